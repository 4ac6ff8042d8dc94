//! npm on node:20-slim, against what npm 10.8.2 did in a chroot of that image on
//! 2026-12-06 (the catalog was generated the same day, so the registry resolved alike).

mod common;

use layerlab_image::fs::{Node, Snapshot};
use layerlab_shell::accounts::read_text;

/// Runs `script` as root in /app of node:20-slim, with `package_json` there.
fn npm(package_json: &str, script: &str) -> (i32, String, Snapshot) {
    let image = |name: &str| common::image(name);
    let mut fs = layerlab_shell::rootfs::from_chain(&[&image("debian_bookworm-slim"), &image("node_20-slim")]).unwrap();
    let setup = format!("mkdir -p /app && cd /app && printf '%s' '{package_json}' > package.json\n{script}");
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &common::invocation(&setup), common::store());
    (outcome.status, outcome.log, fs)
}

fn files_under(fs: &Snapshot, dir: &str) -> (usize, u64) {
    let files: Vec<u64> = fs
        .walk()
        .into_iter()
        .filter(|(p, _)| p.starts_with(dir))
        .filter_map(|(_, n)| match n {
            Node::File(f) => Some(f.content.size()),
            _ => None,
        })
        .collect();
    (files.len(), files.iter().sum())
}

const AUDIT_NOTE: &str = "layerlab: npm audit is not simulated (no advisory database); its lines are left out, as npm leaves them out when the registry's audit does not answer\n";
const LOG: &str = "/root/.npm/_logs/2026-11-23T09_16_20_000Z-debug-0.log";

#[test]
fn npm_ci_needs_a_lockfile() {
    let (status, log, _) = npm(r#"{"name":"t1","version":"1.0.0","dependencies":{"ms":"^2.1.3"}}"#, "npm ci");
    assert_eq!(status, 1);
    assert!(log.starts_with("npm error code EUSAGE\nnpm error\nnpm error The `npm ci` command can only install with an existing package-lock.json or\n"), "{log}");
    assert!(log.contains("npm error aliases: clean-install, ic, install-clean, isntall-clean\nnpm error\nnpm error Run \"npm help ci\" for more info\n"), "{log}");
    assert!(log.ends_with(&format!("npm error A complete log of this run can be found in: {LOG}\n")), "{log}");
}

/// What npm 10.8.2 wrote for this package.json, byte for byte.
const T1_LOCK: &str = r#"{
  "name": "t1",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "t1",
      "version": "1.0.0",
      "dependencies": {
        "ms": "^2.1.3"
      }
    },
    "node_modules/ms": {
      "version": "2.1.3",
      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
      "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==",
      "license": "MIT"
    }
  }
}
"#;

#[test]
fn npm_install_writes_the_tree_and_both_lockfiles_as_npm_does() {
    let (status, log, fs) = npm(r#"{"name":"t1","version":"1.0.0","dependencies":{"ms":"^2.1.3"}}"#, "npm install\nnpm install\nnpm ci\nnpm run build; echo \"exit $?\"");
    assert_eq!(status, 0, "{log}");
    let mut runs = log.split(AUDIT_NOTE);
    assert!(runs.next().unwrap().starts_with("\nadded 1 package in "), "{log}");
    assert!(runs.next().unwrap().starts_with("\nup to date in "), "{log}");
    assert!(runs.next().unwrap().starts_with("\nadded 1 package in "), "npm ci removes node_modules first: {log}");
    assert_eq!(runs.next().unwrap(), format!("npm error Missing script: \"build\"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run\nnpm error A complete log of this run can be found in: {LOG}\nexit 1\n"));
    assert_eq!(read_text(&fs, "/app/package-lock.json").unwrap(), T1_LOCK);
    let hidden = T1_LOCK.replace("    \"\": {\n      \"name\": \"t1\",\n      \"version\": \"1.0.0\",\n      \"dependencies\": {\n        \"ms\": \"^2.1.3\"\n      }\n    },\n", "");
    assert_eq!(read_text(&fs, "/app/node_modules/.package-lock.json").unwrap(), hidden);
    assert_eq!(files_under(&fs, "app/node_modules/ms/"), (4, 3024 + 1079 + 732 + 1886));
}

/// express 5 in a chroot of node:20-slim: 68 packages, 611 files of 2,351,024 bytes in
/// node_modules (the hidden lockfile's 31,122 among them), package-lock.json 31,246 bytes,
/// 31 packages with funding; npm's cache held 68 tarballs and 68 registry documents.
#[test]
fn npm_install_express_matches_the_real_install() {
    let (status, log, fs) = npm(r#"{"name":"app","version":"1.0.0","dependencies":{"express":"^5.1.0"}}"#, "npm install");
    assert_eq!(status, 0, "{log}");
    assert!(log.starts_with("\nadded 68 packages in "), "{log}");
    assert!(log.contains("s\n\n31 packages are looking for funding\n  run `npm fund` for details\n"), "{log}");
    assert_eq!(files_under(&fs, "app/node_modules/"), (611, 2_351_024));
    assert_eq!(read_text(&fs, "/app/package-lock.json").unwrap().len(), 31_246);
    // The cache measured 3,191,223 bytes in 136 files (68 tarballs, 68 registry documents,
    // whose sizes change as packages publish) and 70,478 bytes of index lines.
    let (cached, bytes) = files_under(&fs, "root/.npm/_cacache/content-v2/");
    assert_eq!(cached, 136);
    assert!(bytes.abs_diff(3_191_223) < 3_191_223 / 20, "{bytes}");
    let (lines, bytes) = files_under(&fs, "root/.npm/_cacache/index-v5/");
    assert_eq!(lines, 136);
    assert!(bytes.abs_diff(70_478) < 70_478 / 20, "{bytes}");
}

#[test]
fn npm_install_name_saves_it_and_links_its_commands() {
    let (status, log, fs) = npm("{}", "npm install ms\ncat package.json\nnpm install -g nodemon");
    assert_eq!(status, 0, "{log}");
    assert!(log.contains("{\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}\n"), "{log}");
    assert!(log.contains("\nadded 28 packages in "), "{log}");
    assert!(matches!(fs.get("/usr/local/bin/nodemon", false), Ok(Node::Symlink { target, .. }) if target == "../lib/node_modules/nodemon/bin/nodemon.js"));
    assert!(fs.get("/usr/local/lib/node_modules/nodemon/package.json", false).is_ok());
}

/// npm 10.8.2 in node:20-slim on 2026-12-06: `npm install ms` in an `npm init` project adds
/// the list at the end and leaves the rest of the file as it was (keys not sorted).
#[test]
fn npm_install_name_keeps_package_json_as_written() {
    let init = "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"description\": \"demo\",\n  \"main\": \"index.js\",\n  \"scripts\": {\n    \"start\": \"node index.js\"\n  },\n  \"author\": \"\",\n  \"license\": \"ISC\"\n}\n";
    let (status, log, fs) = npm(init, "npm install ms");
    assert_eq!(status, 0, "{log}");
    let expected = init.replace("\"ISC\"\n}", "\"ISC\",\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\"\n  }\n}");
    assert_eq!(read_text(&fs, "/app/package.json").as_deref(), Some(expected.as_str()));
}

/// npm 10.8.2 in node:20-slim on 2026-12-06: `npm install --save-dev ms` with ms among the
/// dependencies moves it, in package.json and in the lockfile's root entry alike.
#[test]
fn npm_save_dev_moves_a_dependency_in_the_lockfile_too() {
    let manifest = "{\n  \"name\": \"j\",\n  \"dependencies\": {\n    \"ms\": \"^2.1.3\",\n    \"debug\": \"^4.0.0\"\n  }\n}\n";
    let (status, log, fs) = npm(manifest, "npm install --save-dev ms");
    assert_eq!(status, 0, "{log}");
    let lock = read_text(&fs, "/app/package-lock.json").unwrap();
    let root = "    \"\": {\n      \"name\": \"j\",\n      \"dependencies\": {\n        \"debug\": \"^4.0.0\"\n      },\n      \"devDependencies\": {\n        \"ms\": \"^2.1.3\"\n      }\n    },\n";
    assert!(lock.contains(root), "{lock}");
}

#[test]
fn npm_cache_clean_needs_force() {
    let (status, log, fs) = npm(r#"{"dependencies":{"ms":"^2.1.3"}}"#, "npm install -s\nnpm cache clean; echo $?\nnpm cache clean --force");
    assert_eq!(status, 0, "{log}");
    assert!(log.contains("npm error code EFORCE\nnpm error As of npm@5, the npm cache self-heals from corruption issues\n"), "{log}");
    assert!(log.ends_with("1\nnpm warn using --force Recommended protections disabled.\n"), "{log}");
    assert!(fs.get("/root/.npm/_cacache", false).is_err());
    assert!(fs.get(LOG, false).is_ok());
}


/// `node --version`, `yarn --version` and `npm --version`, the smoke tests the official
/// node Dockerfiles end with: what the node:20-slim chroot printed (its build's
/// NODE_VERSION, yarn's folder), and Debian's nodejs and npm from their packages.
#[test]
fn node_tools_name_their_versions() {
    let mut fs = layerlab_shell::rootfs::from_chain(&[&common::image("debian_bookworm-slim"), &common::image("node_20-slim")]).unwrap();
    let mut invocation = common::invocation("node --version && node -v && nodejs --version && yarn --version && yarnpkg -v");
    invocation.env.push(("NODE_VERSION".into(), "20.20.2".into()));
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    assert_eq!((outcome.status, outcome.log.as_str()), (0, "v20.20.2\nv20.20.2\nv20.20.2\n1.22.22\n1.22.22\n"));

    // The bundled npm reads its own package.json, as the chroot's npm printed it.
    let (status, log, _) = npm("{}", "npm --version && npm -v && npx --version");
    assert_eq!((status, log.as_str()), (0, "10.8.2\n10.8.2\n10.8.2\n"));
    let (_, log, _) = npm("{}", "npx prisma generate");
    assert!(log.ends_with("layerlab: `npx prisma generate` runs a JavaScript program, which the simulator cannot run; this step cannot be simulated\n"), "{log}");
    // Without that file the version is said to be unknown, not guessed.
    let (_, log, _) = npm("{}", "rm /usr/local/lib/node_modules/npm/package.json && npm --version");
    assert!(log.ends_with("layerlab: which version /usr/local/bin/npm is, the image data does not record; `npm --version` cannot be answered\n"), "{log}");
    let (_, log, _) = npm("{}", "node server.js");
    assert!(log.ends_with("layerlab: `node server.js` runs a JavaScript program, which the simulator cannot run; this step cannot be simulated\n"), "{log}");

    let (status, log, _) = common::sh_with_catalog(
        "apt-get update -qq >/dev/null && apt-get install -y -qq nodejs npm >/dev/null 2>&1 && node --version && nodejs -v && npm --version && npm -v && npx -v",
    );
    assert_eq!((status, log.as_str()), (0, "v18.20.4\nv18.20.4\n9.2.0\n9.2.0\n9.2.0\n"));
    let (status, log, _) = common::sh_with_catalog("yarn --version");
    assert_eq!((status, log.as_str()), (127, "/bin/sh: 1: yarn: not found\n"));
}
