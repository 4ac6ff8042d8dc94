//! Build checks: each rule on a small Dockerfile with Docker's exact
//! message, the `# check=` directive, and the findings on the 43 real
//! Dockerfiles pinned in tests/data/real_checks.txt (reviewed by hand).

mod common;
use layerlab_dockerfile::checks::{check, CheckOptions, CheckReport, ImageInfo};
use layerlab_dockerfile::instructions::parse_text;
use layerlab_dockerfile::reference::ImageRef;
use std::path::Path;

fn run_with(text: &str, options: &CheckOptions) -> CheckReport {
    let file = parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    check(&file, options)
}

fn findings(text: &str) -> Vec<String> {
    let report = run_with(text, &CheckOptions::default());
    report.findings.iter().map(|f| format!("{}:{} {}", f.start_line, f.rule.name, f.message)).collect()
}

fn assert_has(text: &str, expected: &str) {
    let got = findings(text);
    assert!(got.iter().any(|g| g == expected), "{text:?}\nexpected {expected:?}\ngot {got:#?}");
}

fn assert_lacks(text: &str, rule: &str) {
    let got = findings(text);
    assert!(!got.iter().any(|g| g.split(' ').next().unwrap().ends_with(&format!(":{rule}"))), "{text:?}: {got:#?}");
}

#[test]
fn buildkit_rules_with_dockers_messages() {
    assert_has("FROM alpine AS Build\n", "1:StageNameCasing Stage name 'Build' should be lowercase");
    assert_has("FROM alpine as build\n", "1:FromAsCasing 'as' and 'FROM' keywords' casing do not match");
    assert_lacks("from alpine as build\n", "FromAsCasing");
    assert_has("FROM alpine\nRUN a \\\n\n b\n", "2:NoEmptyContinuation Empty continuation line");
    assert_has("FROM alpine\nrun x\nRUN y\n", "2:ConsistentInstructionCasing Command 'run' should match the case of the command majority (uppercase)");
    assert_has("FROM alpine AS a\nFROM alpine AS a\n", "2:DuplicateStageName Duplicate stage name \"a\", stage names should be unique");
    assert_has("FROM alpine AS scratch\n", "1:ReservedStageName Stage name should not use the same name as reserved stage \"scratch\"");
    assert_has("FROM alpine\nCMD echo hi\n", "2:JSONArgsRecommended JSON arguments recommended for CMD to prevent unintended behavior related to OS signals");
    assert_lacks("FROM alpine\nSHELL [\"/bin/sh\", \"-c\"]\nCMD echo hi\n", "JSONArgsRecommended");
    assert_has("FROM alpine\nMAINTAINER me\n", "2:MaintainerDeprecated Maintainer instruction is deprecated in favor of using label");
    assert_has("ARG VERSION=3\nFROM alpine:${VERSIN}\n", "2:UndefinedArgInFrom FROM argument 'VERSIN' is not declared (did you mean VERSION?)");
    assert_lacks("ARG VERSION\nFROM alpine:${VERSION:-3}\n", "UndefinedArgInFrom");
    assert_has("FROM alpine\nWORKDIR app\n", "2:WorkdirRelativePath Relative workdir \"app\" can have unexpected results if the base image changes");
    assert_lacks("FROM alpine\nWORKDIR /srv\nWORKDIR app\n", "WorkdirRelativePath");
    assert_has("FROM scratch\nARG NAME=x\nCOPY $NAM /\n", "3:UndefinedVar Usage of undefined variable '$NAM' (did you mean $NAME?)");
    assert_lacks("FROM scratch\nENV A=1\nENV B=$A\nCOPY $PATH /\n", "UndefinedVar");
    assert_has("FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n", "2:MultipleInstructionsDisallowed Multiple CMD instructions should not be used in the same stage because only the last one will be used");
    assert_has("FROM alpine\nENV A 1\n", "2:LegacyKeyValueFormat \"ENV key=value\" should be used instead of legacy \"ENV key value\" format");
    assert_has("FROM --platform=$TARGETPLATFORM alpine\n", "1:RedundantTargetPlatform Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior");
    assert_has("FROM alpine\nARG API_KEY\n", "2:SecretsUsedInArgOrEnv Do not use ARG or ENV instructions for sensitive data (ARG \"API_KEY\")");
    assert_lacks("FROM alpine\nENV PUBLIC_KEY=x\nENV KEYBOARD=y\n", "SecretsUsedInArgOrEnv");
    assert_has("ARG BASE\nFROM ${BASE}\n", "2:InvalidDefaultArgInFrom Default value for ARG ${BASE} results in empty or invalid base image name");
    assert_has("FROM --platform=linux/amd64 alpine\n", "1:FromPlatformFlagConstDisallowed FROM --platform flag should not use constant value \"linux/amd64\"");
    assert_lacks("FROM --platform=linux/amd64 alpine AS build-amd64\n", "FromPlatformFlagConstDisallowed");
    assert_has("FROM alpine\nEXPOSE 80/TcP\n", "2:ExposeProtoCasing Defined protocol '80/TcP' in EXPOSE instruction should be lowercase");
    assert_has("FROM alpine\nEXPOSE 127.0.0.1:80:80\n", "2:ExposeInvalidFormat EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'");
}

#[test]
fn experimental_rules_need_the_directive() {
    let text = "# check=experimental=all\nFROM alpine\n# the app\nARG PORT\nCOPY secret.txt /\n";
    let options = CheckOptions { dockerignore: Some(vec!["*.txt".into()]), ..CheckOptions::default() };
    let report = run_with(text, &options);
    let got: Vec<String> = report.findings.iter().map(|f| format!("{}:{} {}", f.start_line, f.rule.name, f.message)).collect();
    assert!(got.contains(&"4:InvalidDefinitionDescription Comment for ARG should follow the format: `# PORT <description>`".to_string()), "{got:#?}");
    assert!(got.contains(&"5:CopyIgnoredFile Attempting to Copy file \"secret.txt\" that is excluded by .dockerignore".to_string()), "{got:#?}");
    let quiet = run_with(&text.replace("# check=experimental=all\n", ""), &options);
    assert!(quiet.findings.iter().all(|f| !f.rule.experimental));
}

struct ArmOnly;

impl ImageInfo for ArmOnly {
    fn env(&self, _: &ImageRef) -> Option<Vec<(String, String)>> {
        Some(vec![("PATH".into(), "/bin".into()), ("PYTHON_VERSION".into(), "3.12".into())])
    }
    fn platforms(&self, _: &ImageRef) -> Option<Vec<String>> {
        Some(vec!["linux/arm64".into()])
    }
}

#[test]
fn image_data_enables_platform_and_env_rules() {
    let options = CheckOptions { images: &ArmOnly, ..CheckOptions::default() };
    let report = run_with("FROM python:3.12\nENV V=$PYTHON_VERSON\n", &options);
    let got: Vec<String> = report.findings.iter().map(|f| format!("{}:{} {}", f.start_line, f.rule.name, f.message)).collect();
    assert!(got.contains(&"1:InvalidBaseImagePlatform Base image python:3.12 was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build".to_string()), "{got:#?}");
    assert!(got.contains(&"2:UndefinedVar Usage of undefined variable '$PYTHON_VERSON' (did you mean $PYTHON_VERSION?)".to_string()), "{got:#?}");
    let without = run_with("FROM python:3.12\nENV V=$PYTHON_VERSON\n", &CheckOptions::default());
    assert!(without.findings.iter().all(|f| f.rule.name != "UndefinedVar"));
    assert_eq!(without.notes, ["UndefinedVar was not checked in stage stage-0: the environment of docker.io/library/python:3.12 is not modelled"]);
}

#[test]
fn check_directive_skips_and_errors() {
    let text = "# check=skip=JSONArgsRecommended;error=true\nFROM alpine\nCMD echo hi\nMAINTAINER me\n";
    let report = run_with(text, &CheckOptions::default());
    assert!(report.findings.iter().all(|f| f.rule.name != "JSONArgsRecommended"));
    assert_eq!(report.error.as_deref(), Some("lint violation found for rules: MaintainerDeprecated"));
    let bad = run_with("# check=skip\nFROM alpine\n", &CheckOptions::default());
    assert_eq!(bad.config_error.as_deref(), Some("failed to parse check options: invalid check option \"skip\""));
    assert!(run_with("# check=skip=all\nFROM alpine\nCMD x\n", &CheckOptions::default()).findings.is_empty());
}

#[test]
fn teaching_rules() {
    let text = "FROM ubuntu\nRUN apt-get update && apt-get install curl\nRUN apk add git\nRUN cd /src && make | tee log\nCOPY . .\nRUN pip install flask==3.0 requests\nADD app.py /app/\nCOPY --from=build /x /y\nFROM alpine:3.20 AS build\nUSER root\n";
    let got = findings(text);
    for expected in [
        "1:UnpinnedBaseImage 'ubuntu' has no tag, so it means 'ubuntu:latest', which changes over time",
        "2:AptListsNotRemoved this RUN leaves /var/lib/apt/lists in the layer",
        "2:AptNoInstallRecommends apt-get install also pulls in recommended packages",
        "2:AptInstallWithoutYes apt-get install will stop at its confirmation prompt",
        "2:UnpinnedPackages installed without a version: curl",
        "3:ApkNoCache apk add keeps its index in /var/cache/apk",
        "4:CdInsteadOfWorkdir cd lasts only until the end of this RUN: use WORKDIR",
        "4:PipeWithoutPipefail a failure before the last | goes unnoticed",
        "5:CopyAllBeforeInstall COPY . comes before this dependency install, so every source edit reruns it",
        "6:PipNoCacheDir pip install keeps its download cache in the layer",
        "6:UnpinnedPackages installed without a version: requests",
        "7:AddInsteadOfCopy ADD copies only local files here: use COPY",
        "8:CopyFromUnknownStage stage 'build' is defined after this line; stages can only copy from earlier ones",
        "10:LastUserRoot the final stage ends with USER root",
    ] {
        assert!(got.iter().any(|g| g == expected), "missing {expected:?} in {got:#?}");
    }
    assert_has("FROM alpine:3.20\nRUN apt-get update\n", "2:AptUpdateAlone apt-get update in its own RUN is cached separately from the install");
    assert_lacks("FROM alpine:3.20\nRUN apt-get update && apt-get install -y --no-install-recommends curl=8.0 && rm -rf /var/lib/apt/lists/*\n", "AptListsNotRemoved");
    assert_lacks("FROM alpine:3.20\nRUN apt-get update && apt-get install -qqy --no-install-recommends curl=8.0\n", "AptInstallWithoutYes");
    assert_lacks("FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n", "CopyFromUnknownStage");
}


/// Every finding on the real corpus, one per line. To update after a
/// deliberate rule change: `LAYERLAB_BLESS=1 cargo test -p layerlab-dockerfile --test checks`,
/// then review the diff line by line for false positives.
#[test]
fn real_dockerfile_findings_are_pinned() {
    let mut out = String::new();
    for path in common::real_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = run_with(&text, &CheckOptions::default());
        let name = path.file_name().unwrap().to_string_lossy();
        for f in &report.findings {
            out.push_str(&format!("{name}:{} {}: {}\n", f.start_line, f.rule.name, f.message));
        }
    }
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real_checks.txt");
    if std::env::var_os("LAYERLAB_BLESS").is_some() {
        std::fs::write(&pinned, &out).unwrap();
    }
    let expected = std::fs::read_to_string(&pinned).unwrap();
    assert_eq!(out, expected, "findings on the real corpus changed");
}

/// Stages built FROM the one before share its variables in layers; a long chain must
/// keep every variable in sight without deep recursion (a pasted file can chain
/// thousands of stages, and the page's wasm stack is small).
#[test]
fn a_long_chain_of_stages_keeps_its_variables_in_a_small_stack() {
    let mut text = String::from("FROM scratch AS s0\nENV FIRST=1\n");
    for i in 1..3000 {
        text.push_str(&format!("FROM s{} AS s{i}\nENV V{i}=$FIRST\n", i - 1));
    }
    text.push_str("COPY $FIRST $V17 $V2999 $MISSING /\n");
    let got = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || findings(&text))
        .unwrap()
        .join()
        .expect("no stack overflow");
    let undefined: Vec<&String> = got.iter().filter(|f| f.contains(":UndefinedVar ")).collect();
    assert_eq!(undefined, ["6001:UndefinedVar Usage of undefined variable '$MISSING'"]);
}

/// Thousands of stages make thousands of findings and notes: each is indexed, not
/// looked for in all the others (a 1.2 MB file of 20,000 stages took minutes before).
#[test]
fn thousands_of_findings_and_notes_stay_linear() {
    let text: String = (0..10_000).map(|i| format!("FROM alpine:3.{i} AS s{i}\nWORKDIR rel{i}\n")).collect();
    let report = run_with(&text, &CheckOptions::default());
    assert_eq!(report.notes.len(), 10_000);
    let relative = report.findings.iter().filter(|f| f.rule.name == "WorkdirRelativePath").count();
    assert_eq!(relative, 10_000);
    // The teaching rule that repeats WorkdirRelativePath stays quiet where it fired.
    assert!(!report.findings.iter().any(|f| f.rule.name == "RelativeWorkdir"));
}
