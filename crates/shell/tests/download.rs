//! curl and wget, against what they printed on bookworm (curl 7.88.1, wget 1.21.3) in a
//! chroot whose network resolves only Debian's mirror.

mod common;

use common::sh_with_catalog;

const SETUP: &str = "apt-get update -qq >/dev/null && apt-get install -y -qq curl wget >/dev/null 2>&1\ncd /tmp";
const NOTE: &str = "layerlab: the simulator has no network; only files its catalogs hold (npm tarballs, PyPI wheels, Debian .debs) download\n";

#[test]
fn unreachable_hosts_fail_as_they_do() {
    let script = format!(
        "{SETUP}\ncurl -O https://github.com/krallin/tini/releases/download/v0.19.0/tini; echo \"exit $?\"\ncurl -fsSL https://deb.nodesource.com/setup_20.x; echo \"exit $?\"\ncurl -sL https://github.com/a/b; echo \"exit $?\"\nwget https://github.com/krallin/tini/releases/download/v0.19.0/tini; echo \"exit $?\"\nwget -q -O - https://github.com/x | sh; echo \"exit $?\""
    );
    let (status, log, _) = sh_with_catalog(&script);
    assert_eq!(status, 0);
    assert_eq!(
        log,
        format!(
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
                                 Dload  Upload   Total   Spent    Left  Speed
\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (6) Could not resolve host: github.com
{NOTE}exit 6
curl: (6) Could not resolve host: deb.nodesource.com
{NOTE}exit 6
{NOTE}exit 6
--2026-11-23 09:16:20--  https://github.com/krallin/tini/releases/download/v0.19.0/tini
Resolving github.com (github.com)... failed: Name or service not known.
wget: unable to resolve host address 'github.com'
{NOTE}exit 4
{NOTE}exit 0
"
        )
    );
}

/// Measured: `wget http://deb.debian.org/debian/pool/main/h/hello/hello_2.10-3_amd64.deb`
/// saved 53,080 bytes and logged 2 lines of dots.
#[test]
fn catalog_files_download_at_their_real_size() {
    let deb = "http://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10+deb12u15_amd64.deb";
    let script = format!("{SETUP}\nwget -q {deb}\ncurl -fsSLo ms.tgz https://registry.npmjs.org/ms/-/ms-2.1.3.tgz\nwget {deb} -O again.deb");
    let (status, log, fs) = sh_with_catalog(&script);
    assert_eq!(status, 0, "{log}");
    let size = |p: &str| common::file_size(&fs, p);
    let apt = common::store().apt("bookworm").unwrap();
    assert_eq!(size("/tmp/curl_7.88.1-10+deb12u15_amd64.deb"), apt.packages["curl"].download_size);
    assert_eq!(size("/tmp/ms.tgz"), common::store().npm().unwrap().packages["ms@2.1.3"].tarball_size);
    assert!(log.starts_with(&format!("--2026-11-23 09:16:20--  {deb}\nResolving deb.debian.org (deb.debian.org)... 192.0.2.1\n")), "{log}");
    assert!(log.contains("\n     0K .......... .......... .......... .......... .......... 16% 11.9M 0s\n"), "{log}");
    // 315,764 bytes: six full lines, then 8 dots of whole kilobytes, padded to the column.
    let last = format!("   300K {}{}100% 11.9M=0s\n", ".".repeat(8), " ".repeat(2 + 4 * 11));
    assert!(log.contains(&format!("\n{last}\n2026-11-23 09:16:20 (11.9 MB/s) - 'again.deb' saved [315764/315764]\n\n")), "{log}");
}

/// Measured with git 2.39.5 on bookworm, no network.
#[test]
fn git_clone_fails_as_git_does_without_network() {
    let script = "apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends git >/dev/null 2>&1\ncd /tmp\ngit --version\ngit clone https://github.com/docker/getting-started.git; echo \"exit $?\"\ngit clone --depth 1 https://github.com/x/y app; echo \"exit $?\"\ngit clone git@github.com:x/y.git; echo \"exit $?\"\nls";
    let (status, log, _) = sh_with_catalog(script);
    assert_eq!(status, 0);
    let note = "layerlab: the simulator has no network, so no repository can be cloned\n";
    assert_eq!(
        log,
        format!(
            "git version 2.39.5\nCloning into 'getting-started'...\nfatal: unable to access 'https://github.com/docker/getting-started.git/': Could not resolve host: github.com\n{note}exit 128\nCloning into 'app'...\nfatal: unable to access 'https://github.com/x/y/': Could not resolve host: github.com\n{note}exit 128\nCloning into 'y'...\nerror: cannot run ssh: No such file or directory\nfatal: unable to fork\n{note}exit 128\n"
        )
    );
}
