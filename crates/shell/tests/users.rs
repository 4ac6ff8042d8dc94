//! Accounts on the real debian:bookworm-slim /etc files. Expected texts are what
//! bookworm's own useradd (shadow 4.13) and adduser (3.134) print and write in a chroot of
//! the slim image.

mod common;
use common::sh;
use layerlab_image::fs::Node;
use layerlab_shell::accounts::read_text;

fn size(fs: &layerlab_image::fs::Snapshot, path: &str) -> u64 {
    match fs.get(path, true) {
        Ok(Node::File(f)) => f.content.size(),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn useradd_writes_the_account_files() {
    let (status, log, fs) = sh("useradd -m app && id app && ls -A /home/app");
    assert_eq!((status, log.as_str()), (0, "uid=1000(app) gid=1000(app) groups=1000(app)\n.bash_logout\n.bashrc\n.profile\n"));
    assert!(read_text(&fs, "/etc/passwd").unwrap().ends_with("\napp:x:1000:1000::/home/app:/bin/sh\n"));
    assert!(read_text(&fs, "/etc/group").unwrap().ends_with("\napp:x:1000:\n"));
    assert!(read_text(&fs, "/etc/shadow").unwrap().ends_with("\napp:!:20780:0:99999:7:::\n"));
    assert!(read_text(&fs, "/etc/gshadow").unwrap().ends_with("\napp:!::\n"));
    let bashrc = fs.get("/home/app/.bashrc", true).unwrap().meta();
    let skel = fs.get("/etc/skel/.bashrc", true).unwrap().meta();
    assert_eq!((bashrc.uid, bashrc.mtime), (1000, skel.mtime));
    // bookworm's shadow no longer grows the sparse lastlog/faillog for a new UID.
    let (_, _, fs) = sh("useradd -u 100000 big");
    assert_eq!((size(&fs, "/var/log/lastlog"), size(&fs, "/var/log/faillog")), (0, 0));
    let (status, log, _) = sh("useradd app; useradd app; echo $?; useradd -g nope x; echo $?");
    assert_eq!((status, log.as_str()), (0, "useradd: user 'app' already exists\n9\nuseradd: group 'nope' does not exist\n6\n"));
}

#[test]
fn groups_system_accounts_and_membership() {
    let (status, log, fs) = sh("groupadd -r svc && useradd -r -g svc svc && usermod -aG svc nobody && id svc && groupadd svc");
    assert_eq!((status, log.as_str()), (9, "uid=999(svc) gid=999(svc) groups=999(svc)\ngroupadd: group 'svc' already exists\n"));
    assert!(read_text(&fs, "/etc/group").unwrap().ends_with("\nsvc:x:999:nobody\n"));
    assert!(read_text(&fs, "/etc/passwd").unwrap().ends_with("\nsvc:x:999:999::/home/svc:/bin/sh\n"));
    assert!(read_text(&fs, "/etc/shadow").unwrap().ends_with("\nsvc:!:20780::::::\n"));
}

#[test]
fn debian_adduser_speaks_as_adduser_does() {
    let (status, log, fs) = sh("adduser --disabled-password --gecos '' app");
    assert_eq!(
        (status, log.as_str()),
        (
            0,
            "Adding user `app' ...\nAdding new group `app' (1000) ...\nAdding new user `app' (1000) with group `app (1000)' ...\nCreating home directory `/home/app' ...\nCopying files from `/etc/skel' ...\nAdding new user `app' to supplemental / extra groups `users' ...\nAdding user `app' to group `users' ...\n"
        )
    );
    assert!(read_text(&fs, "/etc/passwd").unwrap().ends_with("\napp:x:1000:1000:,,,:/home/app:/bin/bash\n"));
    let (status, log, _) = sh("adduser --system svc2; adduser --system --group svc3; addgroup grp; addgroup --system sgrp");
    assert_eq!(
        (status, log.as_str()),
        (
            0,
            "Adding system user `svc2' (UID 100) ...\nAdding new user `svc2' (UID 100) with group `nogroup' ...\nNot creating `/nonexistent'.\n\
Adding system user `svc3' (UID 101) ...\nAdding new group `svc3' (GID 101) ...\nAdding new user `svc3' (UID 101) with group `svc3' ...\nNot creating `/nonexistent'.\n\
Adding group `grp' (GID 1000) ...\nDone.\nAdding group `sgrp' (GID 102) ...\nDone.\n"
        )
    );
    let (_, log, _) = sh("adduser app");
    assert!(log.ends_with("use --disabled-password (this case is not simulated)\n"), "{log}");
}

/// getopt_long takes an unambiguous prefix of a long option: nginx's Dockerfile writes
/// `--home` for `--home-dir`.
#[test]
fn long_options_may_be_abbreviated() {
    let (status, log, fs) = sh(r#"groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx"#);
    assert_eq!((status, log.as_str()), (0, ""));
    assert!(read_text(&fs, "/etc/passwd").unwrap().ends_with("\nnginx:x:101:101:nginx user:/nonexistent:/bin/false\n"));
    assert!(read_text(&fs, "/etc/group").unwrap().ends_with("\nnginx:x:101:\n"));
}
