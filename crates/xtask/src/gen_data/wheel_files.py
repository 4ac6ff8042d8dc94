# Reads one wheel (argv[1]) and prints, as JSON, what installing it writes: the unpacked
# files relative to site-packages (with `*.data/scripts/x` as `bin/x`), the `.pyc` files that
# compiling them writes (measured with this interpreter; tagged cpython-312 by the caller),
# and its console-script entry points. Run by `cargo xtask gen-data pip`.
import compileall, configparser, io, json, os, sys, tempfile, zipfile

wheel = zipfile.ZipFile(sys.argv[1])
files, scripts = [], []
for info in wheel.infolist():
    if info.is_dir():
        continue
    name = info.filename
    mode = (info.external_attr >> 16) & 0o777 or 0o644
    parts = name.split("/")
    if parts[0].endswith(".data") and len(parts) > 2:
        if parts[1] == "scripts":
            name, mode = "bin/" + "/".join(parts[2:]), 0o755
        elif parts[1] in ("purelib", "platlib"):
            name = "/".join(parts[2:])
        else:
            continue
    files.append([name, info.file_size, mode])
    if parts[-1] == "entry_points.txt" and parts[0].endswith(".dist-info"):
        config = configparser.ConfigParser(delimiters=("=",))
        config.optionxform = str
        config.read_string(wheel.read(info).decode())
        if config.has_section("console_scripts"):
            scripts = [f"{k} = {v}" for k, v in config.items("console_scripts")]

with tempfile.TemporaryDirectory() as tmp:
    wheel.extractall(tmp)
    compileall.compile_dir(tmp, quiet=2, workers=1)
    bytecode = []
    for root, _, names in os.walk(tmp):
        for n in names:
            if n.endswith(".pyc"):
                path = os.path.join(root, n)
                rel = os.path.relpath(path, tmp)
                bytecode.append([rel, os.path.getsize(path)])

print(json.dumps({"files": files, "bytecode": sorted(bytecode), "console_scripts": scripts}))
