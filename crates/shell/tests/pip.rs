//! pip on Debian's system Python: PEP 668's refusal, as a `docker build` on bookworm or
//! Ubuntu 24.04 prints it, and what gets past it.

mod common;

use common::{bytes_under, sh_with_catalog};

const SETUP: &str = "apt-get update -qq >/dev/null && apt-get install -y -qq python3-pip >/dev/null 2>&1";

/// What pip 23 printed on bookworm (python3.11) for `pip install flask` (a BuildKit log line
/// each, blank lines of the context keeping pip's four-space indent).
const REFUSAL: &str = "error: externally-managed-environment

× This environment is externally managed
╰─> To install Python packages system-wide, try apt install
    python3-xyz, where xyz is the package you are trying to
    install.
    
    If you wish to install a non-Debian-packaged Python package,
    create a virtual environment using python3 -m venv path/to/venv.
    Then use path/to/venv/bin/python and path/to/venv/bin/pip. Make
    sure you have python3-full installed.
    
    If you wish to install a non-Debian packaged Python application,
    it may be easiest to use pipx install xyz, which will manage a
    virtual environment for you. Make sure you have pipx installed.
    
    See /usr/share/doc/python3.11/README.venv for more information.

note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.
hint: See PEP 668 for the detailed specification.
";

#[test]
fn pip_on_the_system_python_refuses_as_pep_668_says() {
    for command in ["pip install flask", "pip3 install -r requirements.txt", "python3 -m pip install --no-cache-dir flask"] {
        let (status, log, _) = sh_with_catalog(&format!("{SETUP}\n{command}"));
        assert_eq!((status, log.as_str()), (1, REFUSAL), "{command}");
    }
}


#[test]
fn past_pep_668_pip_installs_what_pip_resolves_with_its_cache() {
    let (status, log, fs) = sh_with_catalog(&format!("{SETUP}\npip install --break-system-packages flask"));
    assert_eq!(status, 0, "{log}");
    // pip 23 draws a finished progress bar for downloads over 40 kB, 80 columns wide (the
    // real one measured `103.4/103.4 kB 128.1 MB/s`; the speed here is the modelled one).
    let bar = format!("     {} 103.4/103.4 kB 12.5 MB/s eta 0:00:00\n", "━".repeat(38));
    assert!(log.starts_with(&format!("Collecting flask\n  Downloading flask-3.1.3-py3-none-any.whl (103 kB)\n{bar}Collecting blinker")), "{log}");
    assert!(log.contains("  Downloading blinker-1.9.0-py3-none-any.whl (8.5 kB)\nCollecting"), "no bar under 40 kB: {log}");
    // pip's installation order, as bookworm's pip 23.0.1 printed it in the fidelity chroot.
    assert!(log.contains("\nInstalling collected packages: markupsafe, itsdangerous, click, blinker, werkzeug, jinja2, flask\n"), "{log}");
    let installed = log.lines().find(|l| l.starts_with("Successfully installed ")).expect("pip's summary");
    assert_eq!(installed.split(' ').count() - 2, 7, "flask and its six dependencies: {installed}");
    assert!(log.ends_with("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv\n"));
    let init = fs.get("/usr/local/lib/python3.11/dist-packages/flask/__init__.py", false).expect("the wheel's files");
    assert!(matches!(init, layerlab_image::fs::Node::File(f) if f.content.size() == 2701));
    let script = layerlab_shell::accounts::read_text(&fs, "/usr/local/bin/flask").expect("the console script");
    assert!(script.starts_with("#!/usr/bin/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom flask.cli import main\n"), "{script}");
    let cached = bytes_under(&fs, "root/.cache/pip/http/");
    let wheels: u64 = {
        let index = common::store().pip().unwrap();
        layerlab_catalog::pipsolve::resolve(index, &["flask"]).unwrap().iter().map(|d| d.wheel_size).sum()
    };
    assert_eq!(cached, wheels, "the download cache holds every wheel");

    let (_, _, fs) = sh_with_catalog(&format!("{SETUP}\npip install --no-cache-dir --break-system-packages flask"));
    assert_eq!(bytes_under(&fs, "root/.cache/pip/"), 0, "--no-cache-dir keeps no cache");
    assert!(bytes_under(&fs, "usr/local/lib/python3.11/dist-packages/") > 0);
}

#[test]
fn pip_reads_requirements_files_and_knows_what_is_installed_and_what_does_not_exist() {
    let script = format!("{SETUP}\nexport PIP_BREAK_SYSTEM_PACKAGES=1\nprintf '# deps\\nflask\\n\\nrequests\\n' > /requirements.txt\npip install -q -r /requirements.txt\npip install flask\npip install nosuchpkg");
    let (status, log, _) = sh_with_catalog(&script);
    assert_eq!(status, 1);
    // -q hides pip's progress, not its warnings.
    let (warning, rest) = log.split_once('\n').unwrap();
    assert!(warning.starts_with("WARNING: Running pip as the 'root' user"), "{log}");
    assert!(rest.starts_with("Requirement already satisfied: flask in /usr/local/lib/python3.11/dist-packages (3.1.3)\n"), "{log}");
    assert!(rest.contains("Requirement already satisfied: werkzeug>=3.1.0 in /usr/local/lib/python3.11/dist-packages (from flask) ("), "{log}");
    assert!(log.ends_with("ERROR: Could not find a version that satisfies the requirement nosuchpkg (from versions: none)\nERROR: No matching distribution found for nosuchpkg\n"), "{log}");
}

#[test]
fn pip_is_not_found_before_python3_pip_is_installed() {
    let (status, log, _) = sh_with_catalog("pip install flask");
    assert_eq!((status, log.as_str()), (127, "/bin/sh: 1: pip: not found\n"));
}

/// On the official python image pip is 25 in /usr/local: no PEP 668, site-packages (not
/// Debian's dist-packages), scripts for /usr/local/bin/python3.12, pip 25's root warning.
#[test]
fn pip_on_the_python_image_installs_into_its_site_packages() {
    let image = |name: &str| common::image(name);
    let run = |script: &str| {
        let mut fs = layerlab_shell::rootfs::from_chain(&[&image("debian_bookworm-slim"), &image("python_3.12-slim")]).unwrap();
        let outcome = layerlab_shell::run_with_catalog(&mut fs, &common::invocation(script), common::store());
        (outcome.status, outcome.log, fs)
    };
    let (status, log, fs) = run("pip install --no-cache-dir flask");
    assert_eq!(status, 0, "{log}");
    assert!(log.starts_with("Collecting flask\n"), "{log}");
    assert!(log.ends_with(
        "Successfully installed blinker-1.9.0 click-8.5.1 flask-3.1.3 itsdangerous-2.2.0 jinja2-3.1.6 markupsafe-3.0.4 werkzeug-3.1.9
WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.

[notice] A new release of pip is available: 25.0.1 -> 26.3
[notice] To update, run: pip install --upgrade pip
"
    ), "{log}");
    // pip 25.0.1 names the distribution that required each one (measured in a chroot).
    assert!(log.contains("\nCollecting blinker>=1.9.0 (from flask)\n"), "{log}");
    assert!(fs.get("/usr/local/lib/python3.12/site-packages/flask/__init__.py", false).is_ok());
    assert!(fs.get("/usr/local/lib/python3.12/dist-packages", false).is_err());
    let script = layerlab_shell::accounts::read_text(&fs, "/usr/local/bin/flask").unwrap();
    assert!(script.starts_with("#!/usr/local/bin/python3.12\n"), "{script}");
    let (_, log, _) = run("pip install -q --root-user-action=ignore flask");
    assert_eq!(log, "");
    let (_, log, _) = run("PIP_ROOT_USER_ACTION=ignore pip install -q flask");
    assert_eq!(log, "");
}

/// `python3 --version` and `pip --version`, as the smoke tests at the end of many
/// Dockerfiles run them: Debian's from its packages, a venv's, and the python image's from
/// its PYTHON_VERSION.
#[test]
fn python_and_pip_name_their_versions() {
    let (status, log, _) = common::sh_with_catalog(&format!(
        "{SETUP} && python3 --version && python3 -V && pip3 --version && apt-get install -y -qq python3-venv >/dev/null 2>&1 && python3 -m venv /opt/venv && /opt/venv/bin/pip --version && /opt/venv/bin/python --version"
    ));
    assert_eq!(status, 0, "{log}");
    assert_eq!(
        log,
        "Python 3.11.2\nPython 3.11.2\npip 23.0.1 from /usr/lib/python3/dist-packages/pip (python 3.11)\npip 23.0.1 from /opt/venv/lib/python3.11/site-packages/pip (python 3.11)\nPython 3.11.2\n"
    );
    let mut fs = layerlab_shell::rootfs::from_chain(&[&common::image("debian_bookworm-slim"), &common::image("python_3.12-slim")]).unwrap();
    let mut invocation = common::invocation("python --version && pip --version");
    invocation.env.push(("PYTHON_VERSION".into(), "3.12.14".into()));
    let outcome = layerlab_shell::run_with_catalog(&mut fs, &invocation, common::store());
    assert_eq!(outcome.log, "Python 3.12.14\npip 25.0.1 from /usr/local/lib/python3.12/site-packages/pip (python 3.12)\n");
}
