//! yarn 1.22.22 on node:20-slim, against what it did in a chroot of that image on
//! 2026-12-06 (the npm catalog and npm/yarn.json were generated the same day, so the
//! registry resolved alike). The recorded files are in tests/data/yarn/.

mod common;

use std::collections::BTreeSet;

use layerlab_image::fs::{Node, Snapshot};
use layerlab_shell::accounts::read_text;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/yarn");

fn recorded(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

/// Runs `script` as root in /app of node:20-slim (with its NODE_VERSION), `package_json` there.
fn yarn(package_json: &str, script: &str) -> (i32, String, Snapshot) {
    let image = |name: &str| common::image(name);
    let mut fs = layerlab_shell::rootfs::from_chain(&[&image("debian_bookworm-slim"), &image("node_20-slim")]).unwrap();
    let setup = format!("mkdir -p /app && cd /app && printf '%s' '{package_json}' > package.json\n{script}");
    let mut invocation = common::invocation(&setup);
    invocation.env.push(("NODE_VERSION".into(), "20.20.2".into()));
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    (outcome.status, outcome.log, fs)
}

/// `size path` of every regular file under `dir` (relative to it), sorted by path.
fn sizes(fs: &Snapshot, dir: &str) -> Vec<String> {
    let mut files: Vec<(String, u64)> = fs
        .walk()
        .into_iter()
        .filter_map(|(p, n)| match n {
            Node::File(f) => p.strip_prefix(dir).map(|rest| (rest.to_string(), f.content.size())),
            _ => None,
        })
        .collect();
    files.sort();
    files.into_iter().map(|(p, s)| format!("{s} {p}")).collect()
}

const EXPRESS: &str = r#"{"name":"app","version":"1.0.0","dependencies":{"express":"^5.1.0"}}"#;

#[test]
fn yarn_install_writes_what_yarn_wrote() {
    let (status, log, fs) = yarn(EXPRESS, "yarn install");
    assert_eq!(status, 0, "{log}");
    assert_eq!(
        log,
        "yarn install v1.22.22\nwarning package.json: No license field\ninfo No lockfile found.\nwarning app@1.0.0: No license field\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nDone in 1.47s.\n"
    );
    assert_eq!(read_text(&fs, "/app/yarn.lock").unwrap(), recorded("express.yarn.lock"));
    assert_eq!(read_text(&fs, "/app/node_modules/.yarn-integrity").unwrap(), recorded("express.yarn-integrity"));
    // The cache: every file of every version, its tarball and metadata, at yarn's sizes.
    let mut cache: Vec<String> = recorded("express.cache.txt").lines().map(|l| l.replacen(" ./", " /", 1)).collect();
    cache.sort_by(|a, b| a.split_once(' ').unwrap().1.cmp(b.split_once(' ').unwrap().1));
    // One file differs, as npm/yarn.json's source says: generator-function's package.json
    // names itself as a `file:.` dependency, which yarn records as a path from the project
    // to the cache, and the generator's project sat elsewhere (22 bytes shorter here).
    let ours = sizes(&fs, "usr/local/share/.cache/yarn");
    let differing: Vec<(&String, &String)> = cache.iter().zip(&ours).filter(|(a, b)| a != b).collect();
    assert_eq!(ours.len(), cache.len());
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0].0.starts_with("7035 /v6/npm-generator-function-2.0.1-") && differing[0].1.starts_with("7013 /v6/npm-generator-function-2.0.1-"), "{differing:?}");
    assert!(fs.get("/usr/local/share/.cache/yarn/v6/.tmp", true).is_ok());
    // node_modules: the same files at the same sizes (the integrity file among them).
    let mut modules: Vec<String> = recorded("express.modules.txt").lines().map(|l| l.replacen(" node_modules/", " /", 1)).collect();
    modules.sort_by(|a, b| a.split_once(' ').unwrap().1.cmp(b.split_once(' ').unwrap().1));
    assert_eq!(sizes(&fs, "app/node_modules"), modules);
    // Node's compile cache of yarn.js.
    let blob = "/tmp/v8-compile-cache-0/11.3.244.8-node.38/zSoptzSyarn-v1.22.22zSbinzSyarn.js.BLOB";
    assert!(matches!(fs.get(blob, true), Ok(Node::File(f)) if f.content.size() == 2_197_976));
}

#[test]
fn a_second_install_is_up_to_date_and_frozen_lockfile_leaves_the_lockfile() {
    let (status, log, _) = yarn(r#"{"name":"app","version":"1.0.0","license":"MIT","dependencies":{"ms":"^2.1.3"}}"#, "yarn install >/dev/null && yarn install");
    assert_eq!((status, log.as_str()), (0, "yarn install v1.22.22\n[1/4] Resolving packages...\nsuccess Already up-to-date.\nDone in 0.06s.\n"));
    // Recorded: --frozen-lockfile with a package.json that asks for more than the lockfile
    // holds installs it all and leaves yarn.lock alone (no error in yarn 1.22).
    let script = "yarn install >/dev/null 2>&1 && printf '%s' '{\"name\":\"app\",\"version\":\"1.0.0\",\"dependencies\":{\"express\":\"^5.1.0\",\"ms\":\"^2.1.3\"}}' > package.json && yarn install --frozen-lockfile";
    let (status, log, fs) = yarn(EXPRESS, script);
    assert_eq!(status, 0, "{log}");
    assert!(log.starts_with("yarn install v1.22.22\nwarning package.json: No license field\nwarning app@1.0.0: No license field\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nDone in "), "{log}");
    assert_eq!(read_text(&fs, "/app/yarn.lock").unwrap(), recorded("express.yarn.lock"));
}

#[test]
fn production_installs_dependencies_only_and_locks_everything() {
    let package = r#"{"name":"app","version":"1.0.0","license":"MIT","dependencies":{"ms":"^2.1.3"},"devDependencies":{"nodemon":"^3.1.0"}}"#;
    let (status, _, fs) = yarn(package, "yarn install --production");
    assert_eq!(status, 0);
    assert_eq!(read_text(&fs, "/app/yarn.lock").unwrap(), recorded("production.yarn.lock"));
    assert_eq!(read_text(&fs, "/app/node_modules/.yarn-integrity").unwrap(), recorded("production.yarn-integrity"));
    let Ok(Node::Dir(modules)) = fs.get("/app/node_modules", true) else { panic!() };
    assert_eq!(modules.children.keys().collect::<Vec<_>>(), [".yarn-integrity", "ms"]);
}

#[test]
fn yarn_add_saves_and_lists_what_it_brought() {
    let (status, log, fs) = yarn(r#"{"name":"app","version":"1.0.0","license":"MIT"}"#, "yarn add nodemon --dev");
    assert_eq!(status, 0, "{log}");
    let all = "anymatch@3.1.3 balanced-match@4.0.4 binary-extensions@2.3.0 brace-expansion@5.1.2 braces@3.0.3 chokidar@3.6.0 debug@4.4.3 fill-range@7.1.1 glob-parent@5.1.2 has-flag@3.0.0 ignore-by-default@1.0.1 is-binary-path@2.1.0 is-extglob@2.1.1 is-glob@4.0.3 is-number@7.0.0 minimatch@10.2.6 ms@2.1.3 nodemon@3.1.14 normalize-path@3.0.0 picomatch@2.3.2 pstree.remy@1.1.8 readdirp@3.6.0 simple-update-notifier@2.0.0 supports-color@5.5.0 to-regex-range@5.0.1 touch@3.1.1 undefsafe@2.0.5";
    let names: Vec<&str> = all.split(' ').collect();
    let tree: String = names.iter().enumerate().map(|(i, k)| format!("{} {k}\n", if i + 1 == names.len() { "└─" } else { "├─" })).collect();
    let expected = format!("yarn add v1.22.22\ninfo No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nsuccess Saved 27 new dependencies.\nlayerlab: yarn's list of new dependencies depends on the order it resolved them in; this one may name a few more than yarn would\ninfo Direct dependencies\n└─ nodemon@3.1.14\ninfo All dependencies\n{tree}");
    assert!(log.starts_with(&expected), "{log}");
    assert_eq!(read_text(&fs, "/app/package.json").unwrap(), "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"license\": \"MIT\",\n  \"devDependencies\": {\n    \"nodemon\": \"^3.1.14\"\n  }\n}\n");
    assert_eq!(read_text(&fs, "/app/yarn.lock").unwrap(), recorded("nodemon-dev.yarn.lock"));
    // express's tree: 68 packages. yarn listed 48; which ones depends on the order its
    // resolution ran in, and the simulator lists those 48 and 2 more (depd and mime-types,
    // each also asked for by a second package), with a note saying so.
    let (status, log, _) = yarn(r#"{"name":"app","version":"1.0.0","license":"MIT"}"#, "yarn add express");
    assert_eq!(status, 0, "{log}");
    let real = recorded("add-express.log");
    let listed = |text: &str| text.lines().filter(|l| l.starts_with("├─ ") || l.starts_with("└─ ")).map(|l| l.split_once(' ').unwrap().1.to_string()).collect::<BTreeSet<String>>();
    let extra: Vec<String> = listed(&log).difference(&listed(&real)).cloned().collect();
    assert_eq!(extra, ["depd@2.0.0", "mime-types@3.0.2"]);
    assert!(listed(&real).is_subset(&listed(&log)));
    let head = |text: &str| text.lines().take_while(|l| !l.starts_with("success Saved ") || l.ends_with("lockfile.")).collect::<Vec<_>>().join("\n");
    assert_eq!(head(&log), head(&real));
    assert!(log.contains("success Saved 50 new dependencies.\n") && real.contains("success Saved 48 new dependencies.\n"));
    assert!(log.contains("layerlab: yarn's list of new dependencies depends on the order it resolved them in; this one may name a few more than yarn would\n"));
    for (link, target) in [("nodemon", "../nodemon/bin/nodemon.js"), ("nodetouch", "../touch/bin/nodetouch.js"), ("semver", "../semver/bin/semver.js")] {
        assert!(matches!(fs.get(&format!("/app/node_modules/.bin/{link}"), false), Ok(Node::Symlink { target: t, .. }) if t == target), "{link}");
    }
}

#[test]
fn yarn_fails_as_yarn_fails() {
    let (status, log, _) = yarn("{}", "yarn install ms");
    assert_eq!(status, 1);
    assert_eq!(log, "yarn install v1.22.22\nerror `install` has been replaced with `add` to add new dependencies. Run \"yarn add ms\" instead.\ninfo Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.\n");
    let (status, log, _) = yarn("{}", "yarn add");
    assert_eq!(status, 1);
    assert_eq!(log, "yarn add v1.22.22\nerror Missing list of packages to add to your project.\ninfo Visit https://yarnpkg.com/en/docs/cli/add for documentation about this command.\n");
    let (_, log, _) = yarn(r#"{"license":"MIT","dependencies":{"ms":"^2.1.3"}}"#, "echo '{}' > package-lock.json && yarn install --silent && echo silent && yarn cache clean && ls /usr/local/share/.cache/yarn/v6");
    // --silent keeps even the warning about npm's lockfile to itself.
    assert_eq!(log, "silent\nyarn cache v1.22.22\nsuccess Cleared cache.\nDone in 0.03s.\n");
    let (_, log, _) = yarn("{}", "yarn upgrade");
    assert!(log.ends_with("layerlab: `yarn upgrade` is not simulated: of yarn's commands install, add, cache clean and --version are modelled\n"), "{log}");
}

/// Recorded: without a package.json yarn still makes node_modules with an empty integrity
/// file and a yarn.lock of its header alone.
#[test]
fn yarn_without_a_package_json() {
    let (status, log, fs) = yarn("{}", "rm package.json && yarn install");
    assert_eq!(status, 0, "{log}");
    assert!(log.starts_with("yarn install v1.22.22\ninfo No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nDone in "), "{log}");
    assert_eq!(read_text(&fs, "/app/yarn.lock").unwrap(), "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n");
    assert_eq!(
        read_text(&fs, "/app/node_modules/.yarn-integrity").unwrap(),
        "{\n  \"systemParams\": \"linux-x64-115\",\n  \"modulesFolders\": [],\n  \"flags\": [],\n  \"linkedModules\": [],\n  \"topLevelPatterns\": [],\n  \"lockfileEntries\": {},\n  \"files\": [],\n  \"artifacts\": {}\n}"
    );
}

/// `--exact` and `--tilde` decide the range `yarn add` saves, in package.json and yarn.lock.
#[test]
fn yarn_add_saves_exact_and_tilde_ranges() {
    for (flag, range) in [("--exact", "2.1.3"), ("-T", "~2.1.3"), ("", "^2.1.3")] {
        let (status, log, fs) = yarn(r#"{"name":"app","version":"1.0.0","license":"MIT"}"#, &format!("yarn add ms {flag}"));
        assert_eq!(status, 0, "{log}");
        assert_eq!(read_text(&fs, "/app/package.json").unwrap(), format!("{{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"license\": \"MIT\",\n  \"dependencies\": {{\n    \"ms\": \"{range}\"\n  }}\n}}\n"));
        let lock = read_text(&fs, "/app/yarn.lock").unwrap();
        // A pattern starting with a letter is written unquoted.
        assert!(lock.contains(&format!("\nms@{range}:\n  version \"2.1.3\"\n")), "{flag}: {lock}");
    }
}
