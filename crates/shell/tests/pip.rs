//! pip on Debian's system Python: PEP 668's refusal, as a `docker build` on bookworm or
//! Ubuntu 24.04 prints it, and what gets past it.

mod common;

use common::sh_with_catalog;

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
fn what_gets_past_pep_668_is_not_simulated_yet_and_says_so() {
    for command in ["pip install --break-system-packages flask", "PIP_BREAK_SYSTEM_PACKAGES=1 pip install flask", "pip install --target /opt/deps flask"] {
        let (status, log, _) = sh_with_catalog(&format!("{SETUP}\n{command}"));
        assert_ne!(status, 0, "{command}");
        assert!(log.contains("is not simulated yet: pip installs are not modelled"), "{command}: {log}");
    }
}

#[test]
fn pip_is_not_found_before_python3_pip_is_installed() {
    let (status, log, _) = sh_with_catalog("pip install flask");
    assert_eq!((status, log.as_str()), (127, "/bin/sh: 1: pip: not found\n"));
}
