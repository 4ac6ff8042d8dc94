//! gcc (modelled outputs) and make (plain Makefiles), against gcc 12.2 and GNU make 4.3
//! on bookworm.

mod common;

use common::sh_with_catalog;

const SETUP: &str = "apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends gcc libc6-dev make >/dev/null 2>&1\nmkdir -p /m && cd /m";

#[test]
fn gcc_writes_outputs_of_the_measured_size_and_fails_as_gcc_does() {
    let script = format!(
        "{SETUP}\nprintf '#include <stdio.h>\\nint main(void) {{ printf(\"hello\\\\n\"); return 0; }}\\n' > hello.c\nwc -c < hello.c\ngcc -o hello hello.c\ngcc -static -o hellos hello.c\ngcc -c hello.c\ngcc -o x nosuch.c; echo \"exit $?\"\ngcc; echo \"exit $?\""
    );
    let (status, log, fs) = sh_with_catalog(&script);
    assert_eq!(status, 0, "{log}");
    let size = |p: &str| common::file_size(&fs, p);
    // Measured: 15,960 (linked), 762,424 (-static), 1,368 (object) for this 67-byte source.
    assert_eq!((size("/m/hello"), size("/m/hellos"), size("/m/hello.o")), (15_960, 762_424, 1_368));
    assert!(log.starts_with("67\nlayerlab: hello is modelled, not compiled: 15960 bytes"), "{log}");
    assert!(log.ends_with("cc1: fatal error: nosuch.c: No such file or directory\ncompilation terminated.\nexit 1\ngcc: fatal error: no input files\ncompilation terminated.\nexit 1\n"), "{log}");
}

#[test]
fn make_runs_plain_makefiles_as_gnu_make_does() {
    let script = format!(
        "{SETUP}\nprintf 'all: build\\n\\t@echo done\\n\\nbuild:\\n\\techo building\\n\\tfalse\\n\\techo never\\n' > Makefile\nmake; echo \"exit $?\"\nprintf 'all:\\n\\n' > Makefile\nmake; echo \"exit $?\"\nprintf 'all: dep.txt\\n\\techo x\\n' > Makefile\nmake; echo \"exit $?\"\nrm Makefile; make; echo \"exit $?\""
    );
    let (status, log, _) = sh_with_catalog(&script);
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "echo building\nbuilding\nfalse\nmake: *** [Makefile:6: build] Error 1\nexit 2\n\
         make: Nothing to be done for 'all'.\nexit 0\n\
         make: *** No rule to make target 'dep.txt', needed by 'all'.  Stop.\nexit 2\n\
         make: *** No targets specified and no makefile found.  Stop.\nexit 2\n"
    );
}

/// Measured with dpkg 1.21's update-alternatives on bookworm.
#[test]
fn update_alternatives_installs_sets_and_links() {
    let script = "apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends python3 >/dev/null 2>&1\nupdate-alternatives --install /usr/bin/python python /usr/bin/python3 1; echo \"exit $?\"\nreadlink /usr/bin/python /etc/alternatives/python\ncat /var/lib/dpkg/alternatives/python\nupdate-alternatives --install /usr/bin/python python /usr/bin/python3 1; echo \"exit $?\"\nupdate-alternatives --install /usr/bin/cc2 cc2 /nonexistent 5; echo \"exit $?\"\nupdate-alternatives --set python /usr/bin/python3; echo \"exit $?\"\nupdate-alternatives --install /usr/bin/python python /usr/bin/python3.11 10; echo \"exit $?\"\ncat /var/lib/dpkg/alternatives/python";
    let (status, log, _) = sh_with_catalog(script);
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "update-alternatives: using /usr/bin/python3 to provide /usr/bin/python (python) in auto mode\nexit 0\n/etc/alternatives/python\n/usr/bin/python3\nauto\n/usr/bin/python\n\n/usr/bin/python3\n1\n\nexit 0\nupdate-alternatives: error: alternative path /nonexistent doesn't exist\nexit 2\nexit 0\nexit 0\nmanual\n/usr/bin/python\n\n/usr/bin/python3\n1\n/usr/bin/python3.11\n10\n\n"
    );
}
