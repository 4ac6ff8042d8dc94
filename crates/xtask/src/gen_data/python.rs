//! python:3.12-slim, rebuilt with the official Dockerfile's steps (docker-library/repo-info's
//! python_3.12-slim history) on our debian:bookworm-slim. python.org is not reachable and
//! bookworm has no Python 3.12, so the `/usr/local` Python is reconstructed: Debian bookworm's
//! Python 3.11 packages laid out as CPython's `make install` lays out 3.12, the test folders
//! and bytecode removed as the official step removes them, pip from PyPI as ensurepip
//! installs it; then the stdlib's file sizes are scaled so the image totals the published
//! size. The runtime libraries the official step keeps are installed for real.

use std::path::{Path, PathBuf};

use layerlab_catalog::image::{Config, ImageFile};
use layerlab_catalog::manifest::{self, Entry, Kind};

use super::debian::MIRROR;
use super::derived::{self, Recipe, Step};
use super::host::{self, sh};

pub const PYTHON: &str = "3.12.14";
/// The pip CPython 3.12's late releases bundle (assumed: ensurepip's wheel is not reachable).
pub const PIP: &str = "25.0.1";
const REPO_INFO: &str = "python_3.12-slim.txt";
const STDLIB: &str = "usr/local/lib/python3.12/";

/// The libraries the official step marks manual (what the built interpreter links to, by
/// `ldd`), as python:3.12-slim's package list has them beyond debian:bookworm-slim's.
const RUNTIME_LIBS: &str = "libgdbm6 libncursesw6 libnsl2 libreadline8 libsqlite3-0";

/// Debian's Python 3.11, the source of the reconstructed tree.
const DEBIAN_PYTHON: &str = "python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpython3.11 libpython3.11-dev python3.11-dev python3-lib2to3 python3-tk idle-python3.11";

/// The official build step, with the tree made from Debian's files instead of compiled.
const INSTALL: &str = r#"set -eux
apt-get update
apt-get install -y --no-install-recommends RUNTIME_LIBS
mkdir -p /tmp/py && cd /tmp/py
apt-get download DEBIAN_PYTHON
for deb in *.deb; do dpkg-deb -x "$deb" root; done
L=/usr/local/lib/python3.12
mkdir -p /usr/local/bin /usr/local/include /usr/local/lib/pkgconfig /usr/local/share/man/man1
cp -a root/usr/lib/python3.11 $L
# Debian's own: the PEP 668 marker, its sitecustomize link, the dist-packages convention.
rm -f $L/EXTERNALLY-MANAGED $L/sitecustomize.py
mkdir -p $L/site-packages
printf 'This directory exists so that 3rd party packages can be installed\nhere.  Read the source for site.py for more details.\n' > $L/site-packages/README.txt
for f in $L/lib-dynload/*cpython-311*; do mv "$f" "$(echo "$f" | sed 's/cpython-311/cpython-312/')"; done
mv $L/config-3.11-x86_64-linux-gnu $L/config-3.12-x86_64-linux-gnu
cp -a root/usr/include/python3.11 /usr/local/include/python3.12
cp root/usr/include/x86_64-linux-gnu/python3.11/pyconfig.h /usr/local/include/python3.12/
cp root/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 /usr/local/lib/libpython3.12.so.1.0
ln -s libpython3.12.so.1.0 /usr/local/lib/libpython3.12.so
for pc in python-3.11 python-3.11-embed; do
  sed -e 's/3\.11/3.12/g' -e 's|^prefix=/usr$|prefix=/usr/local|' root/usr/lib/x86_64-linux-gnu/pkgconfig/$pc.pc > /usr/local/lib/pkgconfig/$(echo $pc | sed 's/3\.11/3.12/').pc
done
ln -s python-3.12.pc /usr/local/lib/pkgconfig/python3.pc
ln -s python-3.12-embed.pc /usr/local/lib/pkgconfig/python3-embed.pc
cp root/usr/bin/python3.11 /usr/local/bin/python3.12
for tool in pydoc3.11:pydoc3.12 idle-python3.11:idle3.12 x86_64-linux-gnu-python3.11-config:python3.12-config; do
  sed -e 's|^#! */usr/bin/python3.11|#!/usr/local/bin/python3.12|' -e 's/3\.11/3.12/g' root/usr/bin/${tool%%:*} > /usr/local/bin/${tool##*:}
  chmod 755 /usr/local/bin/${tool##*:}
done
printf '#!/usr/local/bin/python3.12\nimport sys\nfrom lib2to3.main import main\n\nsys.exit(main("lib2to3.fixes"))\n' > /usr/local/bin/2to3-3.12
chmod 755 /usr/local/bin/2to3-3.12
ln -s python3.12 /usr/local/bin/python3
ln -s python3.12-config /usr/local/bin/python3-config
ln -s pydoc3.12 /usr/local/bin/pydoc3
ln -s idle3.12 /usr/local/bin/idle3
ln -s 2to3-3.12 /usr/local/bin/2to3
gunzip -c root/usr/share/man/man1/python3.11.1.gz > /usr/local/share/man/man1/python3.12.1
ln -s python3.12.1 /usr/local/share/man/man1/python3.1
# ensurepip: the bundled wheel, pip unpacked into site-packages, its two scripts.
mkdir -p $L/ensurepip/_bundled
cp /layerlab-inputs/pip.whl $L/ensurepip/_bundled/pip-PIP-py3-none-any.whl
tar -xf /layerlab-inputs/pip.tar -C $L/site-packages
printf 'pip\n' > $L/site-packages/pip-PIP.dist-info/INSTALLER
for script in pip3 pip3.12; do
  printf '#!/usr/local/bin/python3.12\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == "__main__":\n    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])\n    sys.exit(main())\n' > /usr/local/bin/$script
  chmod 755 /usr/local/bin/$script
done
cd /
rm -rf /tmp/py
find /usr/local -depth \( \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \) \) \) -exec rm -rf '{}' +
ldconfig
rm -rf /var/lib/apt/lists/*"#;

/// The pip wheel from PyPI that stands in for the one CPython bundles, downloaded once.
pub fn pip_wheel() -> Result<PathBuf, String> {
    let downloads = super::work_dir().join("downloads");
    let wheel = downloads.join(format!("pip-{PIP}-py3-none-any.whl"));
    sh(&format!(
        "mkdir -p {d} && (test -s {w} || python3 -m pip download -q --no-deps --only-binary=:all: -d {d} pip=={PIP})",
        d = downloads.display(),
        w = wheel.display()
    ))?;
    Ok(wheel)
}

pub fn generate(out: &Path) -> Result<(), String> {
    let wheel = pip_wheel()?;
    let unpacked = wheel.with_extension("tar");
    sh(&format!(
        "d=$(mktemp -d) && python3 -m zipfile -e {w} $d && tar --owner=0 --group=0 -cf {t} -C $d . && rm -rf $d",
        w = wheel.display(),
        t = unpacked.display()
    ))?;
    let repo_info = host::read(&crate::repo::root().join("../shared/data/repo-info").join(REPO_INFO))?;
    let install = INSTALL.replace("RUNTIME_LIBS", RUNTIME_LIBS).replace("DEBIAN_PYTHON", DEBIAN_PYTHON).replace("PIP", PIP);
    let steps = derived::repo_info_history(&repo_info)?
        .into_iter()
        .map(|line| match line.strip_prefix("RUN ") {
            Some(body) => {
                let body = body.trim_end_matches(" # buildkit");
                let script = if body.contains("PYTHON_VERSION") { install.clone() } else { body.to_string() };
                Step::Run { created_by: format!("RUN /bin/sh -c {body} # buildkit"), script }
            }
            None => Step::Meta(line),
        })
        .collect();
    let mut image = derived::build(Recipe {
        name: "python:3.12-slim",
        base: "debian:bookworm-slim",
        created: "2026-08-25T01:21:02Z",
        fidelity: format!("approximate: the official python:3.12-slim steps run on debian:bookworm-slim in a chroot; Python {PYTHON} in /usr/local reconstructed from Debian bookworm's Python 3.11 packages in CPython's install layout, its stdlib sizes scaled to the published image size; pip {PIP} from PyPI"),
        origin: format!("{MIRROR} bookworm ({DEBIAN_PYTHON}; {RUNTIME_LIBS}; ca-certificates netbase tzdata); https://files.pythonhosted.org (pip {PIP}); steps and published size from docker-library/repo-info {REPO_INFO}"),
        tools: vec![host::deb_tool("debuerreotype")?, host::deb_tool("apt")?],
        rewrites: vec![
            "python.org's source build replaced by Debian's Python 3.11 files renamed for 3.12 (cpython-311 → cpython-312, python3.11 → python3.12); Debian's EXTERNALLY-MANAGED and sitecustomize.py left out".into(),
            "/usr/local/bin/python3.12 is Debian's statically linked interpreter; the official one is a small launcher of libpython3.12.so.1.0".into(),
            format!("pip {PIP} (assumed to be the bundled version) unpacked from its PyPI wheel; its two console scripts written in pip's script form"),
        ],
        inputs: vec![("pip.whl".into(), wheel), ("pip.tar".into(), unpacked)],
        steps,
        config: Config {
            env: vec![
                "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                "LANG=C.UTF-8".into(),
                "GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305".into(),
                format!("PYTHON_VERSION={PYTHON}"),
                "PYTHON_SHA256=5c8462af5790baf43a321a1559dbe0db06d1be4300fb85fb53c40060668e548a".into(),
            ],
            cmd: Some(vec!["python3".into()]),
            ..Config::default()
        },
    })?;
    let base = ImageFile::from_json(&host::read(&out.join("images/debian_bookworm-slim.json"))?).map_err(|e| e.to_string())?;
    let factor = scale_to(&mut image, derived::own_size(&base)?, published_size(&repo_info)?)?;
    image.source.rewrites.push(format!("file sizes under /{STDLIB} multiplied by {factor:.4} so the image totals the published virtual size"));
    derived::write(out, &image, "python_3.12-slim.json")
}

/// `Virtual Size: ~ 124.35 Mb`, in bytes (repo-info's megabytes are 10^6 bytes).
fn published_size(text: &str) -> Result<u64, String> {
    let line = text.lines().find_map(|l| l.strip_prefix("Virtual Size: ~ ")).ok_or("no Virtual Size line")?;
    let megabytes: f64 = line.split_whitespace().next().and_then(|n| n.parse().ok()).ok_or("unreadable Virtual Size")?;
    Ok((megabytes * 1e6).round() as u64)
}

/// Multiplies the sizes of the stdlib's files so base + layers = `target`; returns the factor.
fn scale_to(image: &mut ImageFile, base: u64, target: u64) -> Result<f64, String> {
    let mut stdlib = 0u64;
    for layer in &image.layers {
        stdlib += layer.entries().map_err(|e| e.to_string())?.iter().filter(|e| in_stdlib(e)).map(|e| e.size).sum::<u64>();
    }
    let rest = base + derived::own_size(image)? - stdlib;
    if stdlib == 0 || target <= rest {
        return Err(format!("cannot scale: stdlib {stdlib} bytes, the rest {rest}, target {target}"));
    }
    let factor = (target - rest) as f64 / stdlib as f64;
    for layer in &mut image.layers {
        let mut entries = layer.entries().map_err(|e| e.to_string())?;
        for entry in entries.iter_mut().filter(|e| in_stdlib(e)) {
            entry.size = (entry.size as f64 * factor).round() as u64;
        }
        layer.manifest = manifest::encode(&entries);
    }
    Ok(factor)
}

fn in_stdlib(entry: &Entry) -> bool {
    entry.kind == Kind::File && entry.path.starts_with(STDLIB)
}
