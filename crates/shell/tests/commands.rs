//! Commands against the real debian:bookworm-slim filesystem: their effects on the
//! snapshot and coreutils' wording (C locale), as a RUN step would print them.

mod common;
use common::{invocation, out, sh, slim};
use layerlab_image::fs::{Content, Node};
use layerlab_shell::{accounts, run, Identity, Invocation, Limits};

#[test]
fn mkdir_touch_rm_and_their_errors() {
    let (status, log, fs) = sh("mkdir -p /app/src/lib && touch /app/src/main.py && mkdir /app/data -m 700 && ls /app /app/src");
    assert_eq!((status, log.as_str()), (0, "/app:\ndata\nsrc\n\n/app/src:\nlib\nmain.py\n"));
    assert_eq!(fs.get("/app/data", true).unwrap().meta().mode, 0o700);
    assert!(matches!(fs.get("/app/src/main.py", true), Ok(Node::File(f)) if f.content.size() == 0));
    assert_eq!(out("mkdir /a/b"), (1, "mkdir: cannot create directory '/a/b': No such file or directory\n".into()));
    assert_eq!(out("mkdir /etc"), (1, "mkdir: cannot create directory '/etc': File exists\n".into()));
    assert_eq!(out("rm /nope; rm -f /nope; echo $?"), (0, "rm: cannot remove '/nope': No such file or directory\n0\n".into()));
    assert_eq!(out("rm /etc"), (1, "rm: cannot remove '/etc': Is a directory\n".into()));
    assert_eq!(out("rmdir /etc"), (1, "rmdir: failed to remove '/etc': Directory not empty\n".into()));
    assert_eq!(out("rm -rf /"), (1, "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n".into()));
    let (_, _, fs) = sh("rm -rf /var/lib/apt/lists/* /usr/share/doc");
    assert!(fs.get("/usr/share/doc", false).is_err());
    assert!(matches!(fs.get("/var/lib/apt/lists", false), Ok(Node::Dir(d)) if d.children.is_empty()));
}

#[test]
fn copies_moves_links_and_modes() {
    let (status, log, fs) = sh("cp /etc/hostname /tmp/h && cp -r /etc/apt /tmp/apt && mv /tmp/h /tmp/h2 && ln -s /tmp/h2 /tmp/link && cat /tmp/link && chmod 600 /tmp/h2 && chmod +x /tmp/apt/sources.list.d && ls -l /tmp/link");
    assert_eq!(status, 0, "{log}");
    let hostname = accounts::read_text(&fs, "/etc/hostname").unwrap();
    assert!(log.starts_with(&hostname));
    assert!(log.ends_with("lrwxrwxrwx 1 root root 7 Nov 23 09:16 /tmp/link -> /tmp/h2\n"), "{log}");
    assert_eq!(fs.get("/tmp/h2", true).unwrap().meta().mode, 0o600);
    assert!(fs.get("/tmp/h", false).is_err());
    assert!(fs.get("/tmp/apt/sources.list.d", true).is_ok());
    assert_eq!(out("cp /etc /tmp/x"), (1, "cp: -r not specified; omitting directory '/etc'\n".into()));
    assert_eq!(out("cp /nope /tmp"), (1, "cp: cannot stat '/nope': No such file or directory\n".into()));
    assert_eq!(out("ln -s a /etc/hostname"), (1, "ln: failed to create symbolic link '/etc/hostname': File exists\n".into()));
    let (_, _, fs) = sh("touch f; chmod u=rwx,g=rx,o= f; chmod a-x,u+s f");
    assert_eq!(fs.get("/f", true).unwrap().meta().mode, 0o4640);
}

#[test]
fn text_tools() {
    assert_eq!(out("printf 'b 2\\na 1\\nc 3\\n' > /t; sort /t | cut -d' ' -f2 | tr '\\n' ,"), (0, "1,2,3,".into()));
    assert_eq!(out("grep -c root /etc/passwd; grep -q nobody /etc/passwd && echo found; grep -v : /etc/passwd; echo $?"), (0, "1\nfound\n1\n".into()));
    assert_eq!(out("grep ^root: /etc/passwd | cut -d: -f6,7"), (0, "/root:/bin/bash\n".into()));
    assert_eq!(out("echo 'listen 80;' | sed -e 's/80/8080/' -e 's/^/  /'"), (0, "  listen 8080;\n".into()));
    assert_eq!(out("printf 'a\\nb\\nc\\n' | sed -n '2p'; printf 'a\\nb\\n' | sed '/a/d'"), (0, "b\nb\n".into()));
    assert_eq!(out("echo 'x=1' > /c; sed -i 's/x=\\(.*\\)/y=\\1\\1/' /c; cat /c"), (0, "y=11\n".into()));
    assert_eq!(out("printf 'one two\\nthree\\n' | wc -l; printf 'one two\\nthree\\n' | wc -w; wc -c /etc/hostname"), (0, "2\n3\n14 /etc/hostname\n".into()));
    assert_eq!(out("nosuchtool 3"), (127, "/bin/sh: 1: nosuchtool: not found\n".into()));
    assert_eq!(out("printf '%s-%d|%5.2f|%x\\n' a 42 3.14159 255; printf '%s\\n' x y"), (0, "a-42| 3.14|ff\nx\ny\n".into()));
    assert_eq!(out("head -n 1 /etc/os-release; tail -n 1 /etc/shells | tee /tmp/shell"), (0, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n/usr/bin/dash\n".into()));
}

#[test]
fn environment_and_identity() {
    assert_eq!(out("id; whoami; which sh; command -v ls; type cd"), (0, "uid=0(root) gid=0(root) groups=0(root)\nroot\n/usr/bin/sh\n/usr/bin/ls\ncd is a shell builtin\n".into()));
    assert_eq!(out("A=1 env | grep -c '^A=1$'; env -i B=2 sh -c 'echo $B'"), (0, "1\n2\n".into()));
    assert_eq!(out("date; date +%Y-%m-%d"), (0, "Mon Nov 23 09:16:20 UTC 2026\n2026-11-23\n".into()));
    assert_eq!(out("sh -c 'echo $0 $1; exit 3' me arg; echo $?"), (0, "me arg\n3\n".into()));
    assert_eq!(out("basename /usr/lib/x.so .so; dirname /usr/lib/x.so; uname -m"), (0, "x\n/usr/lib\nx86_64\n".into()));
}

#[test]
fn dd_and_truncate_make_sized_files_and_report_like_dd() {
    let (status, log, fs) = sh("dd if=/dev/zero of=/big bs=1M count=100 && truncate -s 1G /sparse && rm /big");
    assert_eq!(status, 0);
    assert_eq!(log, "100+0 records in\n100+0 records out\n104857600 bytes (105 MB, 100 MiB) copied, 0.104858 s, 1.0 GB/s\n");
    assert!(fs.get("/big", false).is_err());
    assert!(matches!(fs.get("/sparse", true), Ok(Node::File(f)) if matches!(f.content, Content::Sized { size: 1_073_741_824, .. })));
}

#[test]
fn a_non_root_user_is_refused_what_root_owns() {
    let mut fs = slim();
    let invocation = Invocation { user: Identity { uid: 65534, gid: 65534, name: "nobody".into() }, script: "touch /etc/x; echo hi > /etc/y; mkdir /opt/app; cd /srv && mkdir -p x/y; mkdir -p /tmp/a/b && touch /tmp/ok && echo ok".into(), ..invocation("") };
    let outcome = run(&mut fs, &invocation);
    // `mkdir -p` names the first folder it could not make, as written (coreutils 9.1).
    assert_eq!(
        outcome.log,
        "touch: cannot touch '/etc/x': Permission denied\n/bin/sh: 1: cannot create /etc/y: Permission denied\nmkdir: cannot create directory '/opt/app': Permission denied\nmkdir: cannot create directory 'x': Permission denied\nok\n"
    );
    assert!(matches!(fs.get("/tmp/ok", true), Ok(n) if n.meta().uid == 65534));
}

#[test]
fn budgets_stop_runaway_scripts_with_a_clear_message() {
    let mut fs = slim();
    let looping = run(&mut fs, &Invocation { limits: Limits { steps: 1000, ..Limits::default() }, ..invocation("while true; do :; done; echo never") });
    assert_eq!(looping.status, 1);
    assert_eq!(looping.aborted.as_deref(), Some("layerlab: stopped after 1000 commands: the simulator's step budget ran out (does the script loop forever?)"));
    let bomb = run(&mut fs, &Invocation { limits: Limits { steps: 1000, ..Limits::default() }, ..invocation("f() { f | f; }; f") });
    assert!(bomb.aborted.is_some());
    let huge = run(&mut fs, &invocation("dd if=/dev/zero of=/f bs=1G count=100"));
    assert_eq!(huge.aborted.as_deref(), Some("layerlab: stopped: the step wrote more than 16 GiB (the simulator's disk budget)"));
    let chatty = run(&mut fs, &Invocation { limits: Limits { memory_bytes: 1 << 20, ..Limits::default() }, ..invocation("x=y; while :; do x=$x$x; echo $x; done > /f") });
    assert!(chatty.aborted.as_deref().is_some_and(|m| m.contains("memory budget")), "{:?}", chatty.aborted);
    let loud = run(&mut fs, &Invocation { limits: Limits { log_bytes: 1 << 20, ..Limits::default() }, ..invocation("i=0; while [ $i -lt 40000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done") });
    assert_eq!(loud.status, 0);
    assert!(loud.log.ends_with("\n[output clipped, log limit 1MiB reached]\n"));
    // Clipped mid-line: the notice starts on a line of its own.
    assert_eq!(loud.log.len(), (1 << 20) + "\n[output clipped, log limit 1MiB reached]\n".len());
}

#[test]
fn install_makes_folders_and_copies_with_mode_and_owner() {
    // As coreutils 9.1 printed it in a bookworm-slim chroot.
    let script = "install --verbose --directory --owner nobody --group nogroup --mode 1777 /var/lib/pg/a; stat -c '%A %U %G' /var/lib/pg /var/lib/pg/a\n\
                  echo hi > /tmp/h; install -v -m 644 /tmp/h /usr/local/bin/h; stat -c '%A %s' /usr/local/bin/h\n\
                  install -v -D /tmp/h /opt/x/y/h; install /nonexist /tmp/z; echo \"exit=$?\"";
    let (status, log) = out(script);
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "install: creating directory '/var/lib/pg'\ninstall: creating directory '/var/lib/pg/a'\ndrwxr-xr-x root root\ndrwxrwxrwt nobody nogroup\n\
         '/tmp/h' -> '/usr/local/bin/h'\n-rw-r--r-- 3\n\
         install: creating directory '/opt/x'\ninstall: creating directory '/opt/x/y'\n'/tmp/h' -> '/opt/x/y/h'\ninstall: cannot stat '/nonexist': No such file or directory\nexit=1\n"
    );
}

#[test]
fn mktemp_makes_a_private_file_or_folder_and_prints_its_path() {
    let (status, log) = out("f=$(mktemp); d=$(mktemp -d); stat -c '%A %s' \"$f\" \"$d\"; echo \"$f\" \"$d\"; mktemp foo.XX; echo \"exit=$?\"; cd /root && mktemp foo.XXXX");
    assert_eq!(status, 0);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[..2], ["-rw------- 0", "drwx------ 4096"]);
    let names: Vec<&str> = lines[2].split(' ').collect();
    for name in &names {
        assert!(name.starts_with("/tmp/tmp.") && name.len() == "/tmp/tmp.".len() + 10 && name[9..].chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
    }
    assert_ne!(names[0], names[1]);
    assert_eq!(lines[3..5], ["mktemp: too few X's in template 'foo.XX'", "exit=1"]);
    assert!(lines[5].starts_with("foo.") && lines[5].len() == 8, "relative to the working folder: {}", lines[5]);
    assert_eq!(out("mktemp -d").1, out("mktemp -d").1, "the same step names the same folder");
}

#[test]
fn useradd_keeps_backups_and_gives_subordinate_ids() {
    // What `useradd -m -u 1500 dev` left in Docker 20.10.24's layer (shadow 4.13): each
    // changed account file's old version as FILE- (its bytes, mode and time), and
    // subordinate ids for a regular user. (vfs left group- out: same size and time.)
    let (status, log, fs) = sh("useradd -m -s /bin/bash -u 1500 dev && cat /etc/subuid /etc/subgid && stat -c '%a %s %n' /etc/passwd- /etc/shadow- /etc/gshadow- /etc/subuid-");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "dev:100000:65536\ndev:100000:65536\n644 839 /etc/passwd-\n640 474 /etc/shadow-\n640 364 /etc/gshadow-\n644 0 /etc/subuid-\n");
    assert_eq!(common::file_size(&fs, "/etc/group-"), 434);
    let (_, log, _) = sh("groupadd web && stat -c '%a %n' /etc/passwd- /etc/group- && useradd -r svc && cat /etc/subuid && echo end");
    assert_eq!(log, "600 /etc/passwd-\n644 /etc/group-\nend\n", "groupadd leaves passwd- as the image had it; a system user gets no subordinate ids");
}

#[test]
fn seq_counts_as_coreutils_does() {
    let (status, log) = out("seq 3; seq 2 4 | tr '\\n' ' '; echo; seq -s, 1 2 7; seq -w 8 10; seq 5 -2 1 | tr '\\n' ' '; echo; seq x; echo \"exit=$?\"");
    assert_eq!(status, 0);
    assert_eq!(log, "1\n2\n3\n2 3 4 \n1,3,5,7\n08\n09\n10\n5 3 1 \nseq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\nexit=1\n");
}

#[test]
fn tar_lists_verbosely_with_owner_names_and_uniq_counts() {
    // GNU tar 1.34 and coreutils 9.1 in a bookworm-slim container printed these columns.
    let (status, log) = out("cd /tmp && printf 'b\\na\\nb\\nc\\n' > list.txt && tar czf l.tgz list.txt && tar tzvf l.tgz | cut -c1-30 && sort list.txt | uniq -c && sort list.txt | uniq -d");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "-rw-r--r-- root/root         8\n      1 a\n      2 b\n      1 c\nb\n");
}

#[test]
fn xargs_counts_joined_to_the_option_and_date_reads_an_epoch() {
    let (status, log) = out("printf 'a b\\n' | xargs -n1 echo item; date -u -d @0 +%Y-%m-%dT%H:%M:%S; date -d @86400 +%F; nproc");
    assert_eq!(status, 0, "{log}");
    assert_eq!(log, "item a\nitem b\n1970-01-01T00:00:00\n1970-01-02\n4\n");
}

#[test]
fn a_system_user_outside_the_system_range_gets_useradds_warning() {
    let (status, log, _) = sh("groupadd -g 1001 app && useradd --no-log-init -r -g app -u 1001 app && id app");
    assert_eq!(status, 0);
    assert_eq!(log, "useradd warning: app's uid 1001 is greater than SYS_UID_MAX 999\nuid=1001(app) gid=1001(app) groups=1001(app)\n");
}
