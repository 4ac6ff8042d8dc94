//! The shell language, checked against what dash 0.5.12 (Debian bookworm's /bin/sh)
//! prints for the same script; bash where the step runs under bash.

mod common;
use common::{bash, out, sh};

#[test]
fn words_quotes_and_parameters() {
    assert_eq!(out("echo hello   world"), (0, "hello world\n".into()));
    assert_eq!(out("x='a  b'; echo $x \"$x\" '$x'"), (0, "a b a  b $x\n".into()));
    assert_eq!(out("echo \"a\\tb\""), (0, "a\tb\n".into()));
    assert_eq!(out("v=/usr/lib/x.tar.gz; echo ${v##*/} ${v%%.*} ${v#*/} ${v%.gz} ${#v}"), (0, "x.tar.gz /usr/lib/x usr/lib/x.tar.gz /usr/lib/x.tar 17\n".into()));
    assert_eq!(out("echo ${u:-default} ${u-} ${u:=set} $u ${u:+alt}"), (0, "default set set alt\n".into()));
    assert_eq!(out("echo $(echo nested $(echo deep)) `echo back`"), (0, "nested deep back\n".into()));
    assert_eq!(out("echo $((1 + 2 * 3)) $(( (1+2) * 3 )) $((7 / 2)) $((7 % 3)) $((1 << 4)) $((x = 5)) $x"), (0, "7 9 3 1 16 5 5\n".into()));
    assert_eq!(out("echo $$ $- $# $0"), (0, "1 0 /bin/sh\n".into()));
    assert_eq!(out("set -- a 'b c' d; echo $#; for a in \"$@\"; do echo \"[$a]\"; done"), (0, "3\n[a]\n[b c]\n[d]\n".into()));
    assert_eq!(out("echo ~ ~root/x"), (0, "/root /root/x\n".into()));
}

#[test]
fn expansion_errors_end_the_script_as_dash_does() {
    assert_eq!(out("echo before\necho ${x/a/b}\necho after"), (2, "before\n/bin/sh: 2: Bad substitution\n".into()));
    assert_eq!(out("set -u; echo $zz"), (2, "/bin/sh: 1: zz: parameter not set\n".into()));
    assert_eq!(out("echo ${zz?oops}"), (2, "/bin/sh: 1: zz: oops\n".into()));
    assert_eq!(out("x=$((1/0))"), (2, "/bin/sh: 1: arithmetic expression: division by zero: \"1/0\"\n".into()));
    assert_eq!(out("echo $((1 +))"), (2, "/bin/sh: 1: arithmetic expression: expecting primary: \"1 +\"\n".into()));
}

#[test]
fn syntax_errors_are_dashs() {
    assert_eq!(out("if true; then echo"), (2, "/bin/sh: 1: Syntax error: end of file unexpected (expecting \"fi\")\n".into()));
    assert_eq!(out("echo before\nif"), (2, "before\n/bin/sh: 2: Syntax error: end of file unexpected (expecting \"then\")\n".into()));
    assert_eq!(out("a=(1 2)"), (2, "/bin/sh: 1: Syntax error: \"(\" unexpected\n".into()));
    assert_eq!(out("echo 'open"), (2, "/bin/sh: 1: Syntax error: Unterminated quoted string\n".into()));
    assert_eq!(out("fi"), (2, "/bin/sh: 1: Syntax error: \"fi\" unexpected\n".into()));
    assert_eq!(out("echo >"), (2, "/bin/sh: 1: Syntax error: end of file unexpected\n".into()));
    assert_eq!(out("echo >\n"), (2, "/bin/sh: 2: Syntax error: newline unexpected\n".into()));
    // Each as dash 0.5.12 words it.
    for (script, message) in [
        ("if true; then fi", "\"fi\" unexpected"),
        ("if true; then", "end of file unexpected (expecting \"fi\")"),
        ("while true; do done", "\"done\" unexpected"),
        ("{ }", "\"}\" unexpected"),
        ("for x in a; do", "end of file unexpected (expecting \"done\")"),
        ("case x in a) echo", "end of file unexpected (expecting \";;\")"),
        ("echo $(", "end of file unexpected (expecting \")\")"),
        ("echo a &&", "end of file unexpected"),
        ("(", "end of file unexpected (expecting \")\")"),
        ("for 1 in a; do :; done", "Bad for loop variable"),
        ("echo ${a", "Missing '}'"),
        ("echo `echo", "EOF in backquote substitution"),
        ("echo $((1+2)", "Missing '))'"),
        (")", "\")\" unexpected"),
        ("echo a ;; b", "\";;\" unexpected"),
    ] {
        assert_eq!(out(script), (2, format!("/bin/sh: 1: Syntax error: {message}\n")), "{script}");
    }
    assert_eq!(out("f() echo hi; f; cat <<EOF"), (0, "hi\n".into()));
}

#[test]
fn control_flow_and_statuses() {
    assert_eq!(out("false; echo $?; true && echo and; false || echo or; ! false; echo $?"), (0, "1\nand\nor\n0\n".into()));
    assert_eq!(out("if [ -d /etc ]; then echo dir; elif true; then echo no; else echo never; fi"), (0, "dir\n".into()));
    assert_eq!(out("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done"), (0, "1\n2\n3\n".into()));
    assert_eq!(out("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i"), (0, "2\n".into()));
    assert_eq!(out("for f in a b c; do [ $f = b ] && continue; echo $f; done"), (0, "a\nc\n".into()));
    assert_eq!(out("for i in 1 2; do for j in x y; do [ $j = y ] && break 2; echo $i$j; done; done"), (0, "1x\n".into()));
    assert_eq!(out("case foo.tar.gz in *.zip) echo zip;; *.tar.*|*.tgz) echo tar;; *) echo other;; esac"), (0, "tar\n".into()));
    assert_eq!(out("f() { local a=2; echo $a $1; return 3; }; a=1; f arg; echo $? $a"), (0, "2 arg\n1 1\n".replace("1 1", "3 1")));
    assert_eq!(out("(exit 4); echo $?; (cd /tmp; echo $PWD); echo $PWD"), (0, "4\n/tmp\n/\n".into()));
    assert_eq!(out("exit 3; echo never"), (3, String::new()));
}

#[test]
fn set_e_stops_at_the_first_failure_outside_conditions() {
    assert_eq!(out("set -e; false || true; if false; then :; fi; false && true; echo still; false; echo never"), (1, "still\n".into()));
    assert_eq!(out("set -e; ! true; echo negated"), (0, "negated\n".into()));
}

#[test]
fn pipelines_run_each_part_in_a_subshell() {
    assert_eq!(out("false | true; echo $?; x=1; echo \"$x\" | { read y; echo \"y=$y\"; }"), (0, "0\ny=1\n".into()));
    assert_eq!(out("printf 'b\\na\\nc\\n' | sort | head -n 2"), (0, "a\nb\n".into()));
    assert_eq!(out("echo x | read v; echo \"[$v]\""), (0, "[]\n".into()));
}

#[test]
fn dash_has_no_pipefail_and_no_double_equals() {
    assert_eq!(out("set -o pipefail"), (2, "/bin/sh: 1: set: Illegal option -o pipefail\n".into()));
    assert_eq!(out("[ a == b ]; echo $?"), (0, "/bin/sh: 1: [: a: unexpected operator\n2\n".into()));
    assert_eq!(out("[[ -d /etc ]]"), (127, "/bin/sh: 1: [[: not found\n".into()));
    assert_eq!(out("source /etc/os-release"), (127, "/bin/sh: 1: source: not found\n".into()));
}

#[test]
fn redirections_and_here_documents() {
    let (status, log, fs) = sh("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f | wc -l\ncat <<EOF > /etc/motd\nhome is $HOME\n\tkept tab\nEOF\ncat <<-'RAW'\n\t$HOME stays\n\tRAW\n");
    assert_eq!((status, log.as_str()), (0, "one\ntwo\n2\n$HOME stays\n"));
    let motd = layerlab_shell::accounts::read_text(&fs, "/etc/motd").unwrap();
    assert_eq!(motd, "home is /root\n\tkept tab\n");
    assert_eq!(out("echo hi > /nope/x; echo $?"), (0, "/bin/sh: 1: cannot create /nope/x: Directory nonexistent\n2\n".into()));
    assert_eq!(out("cat < /nope"), (2, "/bin/sh: 1: cannot open /nope: No such file\n".into()));
    assert_eq!(out("ls /nope 2>&1 >/dev/null | tr a-z A-Z"), (0, "LS: CANNOT ACCESS '/NOPE': NO SUCH FILE OR DIRECTORY\n".into()));
    assert_eq!(out("{ echo a; echo b >&2; } 2>/dev/null"), (0, "a\n".into()));
}

#[test]
fn commands_missing_from_the_image_are_not_found() {
    let (status, log, _) = sh("pip install flask");
    assert_eq!((status, log.as_str()), (127, "/bin/sh: 1: pip: not found\n"));
    assert_eq!(out("cd /nope"), (2, "/bin/sh: 1: cd: can't cd to /nope\n".into()));
}

#[test]
fn bash_has_its_extensions_and_its_wording() {
    assert_eq!(bash("a=(x y z); echo ${#a[@]} ${a[1]} \"${a[@]}\""), (0, "3 y x y z\n".into()));
    assert_eq!(bash("[[ foo.txt == *.txt && -d /etc ]] && echo yes"), (0, "yes\n".into()));
    assert_eq!(bash("v=a-b-c; echo ${v//-/_} ${v/-/+}"), (0, "a_b_c a+b-c\n".into()));
    assert_eq!(bash("set -o pipefail; false | true; echo $?"), (0, "1\n".into()));
    assert_eq!(bash("pip install flask"), (127, "/bin/bash: line 1: pip: command not found\n".into()));
    assert_eq!(bash("echo -e 'a\\tb'; echo 'a\\tb'"), (0, "a\tb\na\\tb\n".into()));
}

/// `sh -c` and `bash -c` start a new process: it sees the exported variables only, none of
/// the parent's functions, and bash sets its own BASH_VERSION (dash has none). Real output
/// of bookworm's dash and bash.
#[test]
fn a_nested_shell_is_a_new_process() {
    let script = r#"x=1; export y=2; f() { echo f; }; sh -c 'echo "[$x][$y]"; f'; echo $?; bash -c 'echo ${BASH_VERSION}'; bash -c "sh -c 'echo [\$BASH_VERSION]'""#;
    let (status, log, _) = common::sh(script);
    assert_eq!((status, log.as_str()), (0, "[][2]\nsh: 1: f: not found\n127\n5.2.15(1)-release\n[]\n"));
}
