//! `python3 -m venv`: the tree Debian's and the python image's venv write (recorded in a
//! chroot), Debian's refusal without python3-venv, and pip inside a venv.

mod common;

use common::{bytes_under, sh_with_catalog, text};
use layerlab_image::fs::Node;



const VENV_SETUP: &str = "apt-get update -qq >/dev/null && apt-get install -y -qq python3-venv >/dev/null 2>&1";

/// Measured on bookworm: `python3 -m venv /opt/venv` after `apt-get install python3-venv`
/// wrote 1,485 files (pip 23.0.1, setuptools 66.1.1, their .pyc) of 21,620,800 bytes. The
/// recording was made in a folder with a longer name, so this also checks that each .pyc
/// and each script naming the folder shrinks by the difference.
#[test]
fn venv_on_bookworm_writes_what_the_real_one_writes() {
    let (status, log, fs) = sh_with_catalog(&format!("{VENV_SETUP}\ncd / && python3 -m venv /opt/venv"));
    assert_eq!((status, log.as_str()), (0, ""));
    assert_eq!(
        text(&fs, "/opt/venv/pyvenv.cfg"),
        "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\nexecutable = /usr/bin/python3.11\ncommand = /usr/bin/python3 -m venv /opt/venv\n"
    );
    assert!(text(&fs, "/opt/venv/bin/activate").contains("\nVIRTUAL_ENV=/opt/venv\n"));
    assert!(text(&fs, "/opt/venv/bin/pip").starts_with("#!/opt/venv/bin/python3\n"));
    assert!(matches!(fs.get("/opt/venv/bin/python3", false), Ok(Node::Symlink { target, .. }) if &**target == "/usr/bin/python3"));
    assert!(fs.get("/opt/venv/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA", false).is_ok());
    assert!(fs.get("/opt/venv/lib/python3.11/site-packages/setuptools-66.1.1.dist-info", false).is_ok());
    let files = fs.walk().into_iter().filter(|(p, n)| p.starts_with("opt/venv/") && matches!(n, Node::File(_))).count();
    assert_eq!(files, 1485);
    assert_eq!(bytes_under(&fs, "opt/venv/"), 21_620_800, "measured with find -printf %s in the chroot");
}

/// Measured on bookworm with python3 but not python3-venv: Debian's message on stdout,
/// exit 1, and the half-made venv left behind (no pip, no activate scripts).
#[test]
fn venv_without_python3_venv_fails_as_debian_s_does() {
    let script = "apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends python3 >/dev/null 2>&1\ncd /tmp\npython3 -m venv rel 2>/dev/null\necho \"exit $?\"\nls /tmp/rel/bin";
    let (status, log, _) = sh_with_catalog(script);
    assert_eq!(status, 0);
    assert_eq!(
        log,
        "The virtual environment was not created successfully because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python3.11-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.

Failing command: /tmp/rel/bin/python3

exit 1
python
python3
python3.11
"
    );
    let (status, log, fs) = sh_with_catalog("apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends python3 >/dev/null 2>&1\npython3 -m venv --without-pip /opt/v2");
    assert_eq!((status, log.as_str()), (0, ""));
    assert_eq!(text(&fs, "/opt/v2/pyvenv.cfg").len(), 160, "measured: 160 bytes with `--without-pip` in its command line");
    assert_eq!(text(&fs, "/opt/v2/bin/activate").len(), 1972, "measured");
    assert!(fs.get("/opt/v2/bin/pip", false).is_err());
}

#[test]
fn venv_usage_errors_are_argparse_s() {
    let (status, log, _) = sh_with_catalog(&format!("{VENV_SETUP}\npython3 -m venv; echo $?; python3 -m venv --bogus /x; echo $?"));
    assert_eq!(status, 0);
    let usage = "usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear]\n            [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps]\n            ENV_DIR [ENV_DIR ...]\n";
    assert_eq!(log, format!("{usage}venv: error: the following arguments are required: ENV_DIR\n2\n{usage}venv: error: unrecognized arguments: --bogus\n2\n"));
}

/// The venv's pip installs into the venv: no PEP 668, no root warning, scripts for the
/// venv's python. Found on PATH (`ENV PATH=/opt/venv/bin:$PATH`) or called by path.
#[test]
fn pip_in_a_venv_installs_into_it() {
    for pip in ["PATH=/opt/venv/bin:$PATH pip", "/opt/venv/bin/pip", "/opt/venv/bin/python -m pip"] {
        let (status, log, fs) = sh_with_catalog(&format!("{VENV_SETUP}\npython3 -m venv /opt/venv\n{pip} install --no-cache-dir flask"));
        assert_eq!(status, 0, "{pip}: {log}");
        assert!(log.starts_with("Collecting flask\n"), "{log}");
        assert!(log.ends_with("Successfully installed blinker-1.9.0 click-8.5.1 flask-3.1.3 itsdangerous-2.2.0 jinja2-3.1.6 markupsafe-3.0.4 werkzeug-3.1.9\n"), "{pip}: {log}");
        assert!(fs.get("/opt/venv/lib/python3.11/site-packages/flask/__init__.py", false).is_ok());
        assert!(text(&fs, "/opt/venv/bin/flask").starts_with("#!/opt/venv/bin/python3\n"));
        assert_eq!(bytes_under(&fs, "usr/local/lib/python3.11/"), 0);
    }
}

/// On the python image: pip 25.0.1 only (3.12 bundles no setuptools), links to
/// /usr/local/bin/python3, and `python -m venv` names /usr/local/bin/python in pyvenv.cfg.
#[test]
fn venv_on_the_python_image() {
    let image = |name: &str| common::image(name);
    let mut fs = layerlab_shell::rootfs::from_chain(&[&image("debian_bookworm-slim"), &image("python_3.12-slim")]).unwrap();
    let invocation = common::invocation("python -m venv /venv");
    let invocation = layerlab_shell::Invocation { env: vec![("PATH".into(), "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin".into())], ..invocation };
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    assert_eq!((outcome.status, outcome.log.as_str()), (0, ""));
    assert_eq!(
        text(&fs, "/venv/pyvenv.cfg"),
        "home = /usr/local/bin\ninclude-system-site-packages = false\nversion = 3.12.14\nexecutable = /usr/local/bin/python3.12\ncommand = /usr/local/bin/python -m venv /venv\n"
    );
    assert!(fs.get("/venv/lib/python3.12/site-packages/pip-25.0.1.dist-info", false).is_ok());
    assert!(fs.get("/venv/lib/python3.12/site-packages/setuptools", false).is_err());
    assert!(fs.get("/venv/bin/pip3.12", false).is_ok());
    assert!(matches!(fs.get("/venv/bin/python3", false), Ok(Node::Symlink { target, .. }) if &**target == "/usr/local/bin/python3"));
}
