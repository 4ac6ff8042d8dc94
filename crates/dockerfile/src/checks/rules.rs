//! The rule table: BuildKit's 22 build checks (names, descriptions and
//! documentation links as BuildKit's `linter/ruleset.go` has them) and
//! Layerlab's teaching rules. Every rule carries a paragraph a learner can
//! read in the page's findings panel.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A BuildKit build check: same name, same message as `docker build`.
    BuildKit,
    /// A Layerlab teaching rule, in our own words.
    Teaching,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub origin: Origin,
    pub description: &'static str,
    pub url: Option<&'static str>,
    /// BuildKit runs experimental rules only when `# check=experimental=...` asks.
    pub experimental: bool,
    pub explanation: &'static str,
}

macro_rules! buildkit {
    ($id:ident, $name:literal, $slug:literal, $desc:literal, $why:literal) => {
        pub static $id: Rule = Rule {
            name: $name,
            origin: Origin::BuildKit,
            description: $desc,
            url: Some(concat!("https://docs.docker.com/go/dockerfile/rule/", $slug, "/")),
            experimental: false,
            explanation: $why,
        };
    };
}

macro_rules! teaching {
    ($id:ident, $name:literal, $desc:literal, $why:literal) => {
        pub static $id: Rule =
            Rule { name: $name, origin: Origin::Teaching, description: $desc, url: None, experimental: false, explanation: $why };
    };
}

buildkit!(STAGE_NAME_CASING, "StageNameCasing", "stage-name-casing", "Stage names should be lowercase",
    "Stage names are case-insensitive: Docker lowercases them. Writing them in lowercase avoids the confusion of `FROM Builder` being read as an image name while `AS Builder` defines the stage `builder`.");
buildkit!(FROM_AS_CASING, "FromAsCasing", "from-as-casing", "The 'as' keyword should match the case of the 'from' keyword",
    "Docker accepts `FROM x as y` and `FROM x AS y` alike. Keeping the keywords in one case makes the file easier to read.");
buildkit!(NO_EMPTY_CONTINUATION, "NoEmptyContinuation", "no-empty-continuation", "Empty continuation lines will become errors in a future release",
    "A blank line inside a `\\`-continued instruction is skipped today, but it is easy to misread as the end of the instruction, and Docker plans to reject it.");
buildkit!(CONSISTENT_INSTRUCTION_CASING, "ConsistentInstructionCasing", "consistent-instruction-casing", "All commands within the Dockerfile should use the same casing (either upper or lower)",
    "Instruction names are case-insensitive, but mixing `RUN` and `run` makes a file harder to scan. Use the case most of the file already uses.");
buildkit!(DUPLICATE_STAGE_NAME, "DuplicateStageName", "duplicate-stage-name", "Stage names should be unique",
    "Two stages with one name make `COPY --from=name` and `--target name` ambiguous. Give every stage its own name.");
buildkit!(RESERVED_STAGE_NAME, "ReservedStageName", "reserved-stage-name", "Reserved words should not be used as stage names",
    "`scratch` and `context` already mean something to the builder (the empty image and the build context), so a stage with that name is confusing at best.");
buildkit!(JSON_ARGS_RECOMMENDED, "JSONArgsRecommended", "json-args-recommended", "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    "In shell form (`CMD python app.py`) Docker runs `/bin/sh -c \"python app.py\"`: the shell is process 1, and `docker stop` sends its SIGTERM to the shell, not to your program, which is killed ten seconds later. The JSON form (`CMD [\"python\", \"app.py\"]`) runs the program directly.");
buildkit!(MAINTAINER_DEPRECATED, "MaintainerDeprecated", "maintainer-deprecated", "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
    "MAINTAINER only sets the image's author field. The standard way is a label: `LABEL org.opencontainers.image.authors=\"you@example.com\"`.");
buildkit!(UNDEFINED_ARG_IN_FROM, "UndefinedArgInFrom", "undefined-arg-in-from", "FROM command must use declared ARGs",
    "A variable in FROM can only come from an ARG declared before the first FROM. An undeclared one expands to an empty string, which usually gives an invalid image name.");
buildkit!(WORKDIR_RELATIVE_PATH, "WorkdirRelativePath", "workdir-relative-path", "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    "A relative WORKDIR is resolved against the current working directory, which comes from the base image until you set one. Start with an absolute path so the result does not depend on the base image.");
buildkit!(UNDEFINED_VAR, "UndefinedVar", "undefined-var", "Variables should be defined before their use",
    "The builder replaces `$NAME` with the value of an ARG or ENV defined earlier in the stage (or in the base image). An unknown name becomes an empty string without any error, which is usually a typo or a missing ARG.");
buildkit!(MULTIPLE_INSTRUCTIONS_DISALLOWED, "MultipleInstructionsDisallowed", "multiple-instructions-disallowed", "Multiple instructions of the same type should not be used in the same stage",
    "An image has one CMD, one ENTRYPOINT and one HEALTHCHECK. When a stage sets one twice, only the last counts; the earlier one is dead code.");
buildkit!(LEGACY_KEY_VALUE_FORMAT, "LegacyKeyValueFormat", "legacy-key-value-format", "Legacy key/value format with whitespace separator should not be used",
    "`ENV key value` sets one variable to everything after the first space, so `ENV A 1 B 2` sets A to `1 B 2`. The `key=value` form is unambiguous and can set several variables.");
pub static INVALID_BASE_IMAGE_PLATFORM: Rule = Rule {
    name: "InvalidBaseImagePlatform",
    origin: Origin::BuildKit,
    description: "Base image platform does not match expected target platform",
    url: None,
    experimental: false,
    explanation: "The base image has no variant for the platform this build targets, so the builder used another one. Programs in it may not run on the target machine.",
};
buildkit!(REDUNDANT_TARGET_PLATFORM, "RedundantTargetPlatform", "redundant-target-platform", "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    "Every FROM already uses the target platform unless told otherwise, so `--platform=$TARGETPLATFORM` changes nothing.");
buildkit!(SECRETS_USED_IN_ARG_OR_ENV, "SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env", "Sensitive data should not be used in the ARG or ENV commands",
    "ARG and ENV values are stored in the image's history and configuration, where anyone who pulls the image can read them. Pass secrets with `RUN --mount=type=secret` instead.");
buildkit!(INVALID_DEFAULT_ARG_IN_FROM, "InvalidDefaultArgInFrom", "invalid-default-arg-in-from", "Default value for global ARG results in an empty or invalid base image name",
    "With no `--build-arg`, the ARG defaults used in this FROM give an empty or invalid image name, so a plain `docker build` fails. Give the ARG a working default.");
buildkit!(FROM_PLATFORM_FLAG_CONST_DISALLOWED, "FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed", "FROM --platform flag should not use a constant value",
    "A fixed `--platform` pins the stage to one platform, so the Dockerfile cannot build multi-platform images. Use `$BUILDPLATFORM` or set the platform on the command line.");
pub static COPY_IGNORED_FILE: Rule = Rule {
    name: "CopyIgnoredFile",
    origin: Origin::BuildKit,
    description: "Attempting to Copy file that is excluded by .dockerignore",
    url: Some("https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/"),
    experimental: true,
    explanation: "Files excluded by .dockerignore are never sent to the builder, so copying them fails or copies nothing.",
};
pub static INVALID_DEFINITION_DESCRIPTION: Rule = Rule {
    name: "InvalidDefinitionDescription",
    origin: Origin::BuildKit,
    description: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
    url: Some("https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/"),
    experimental: true,
    explanation: "A comment right above a named stage or an ARG is read as its description (shown by `docker build --call=outline`) only when it starts with the name.",
};
buildkit!(EXPOSE_PROTO_CASING, "ExposeProtoCasing", "expose-proto-casing", "Protocol in EXPOSE instruction should be lowercase",
    "EXPOSE takes `80/tcp` or `80/udp`. Write the protocol in lowercase.");
buildkit!(EXPOSE_INVALID_FORMAT, "ExposeInvalidFormat", "expose-invalid-format", "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    "EXPOSE documents which container port the program listens on. Host addresses and host ports are chosen when the container is run (`docker run -p 8080:80`), not in the image.");

teaching!(APT_LISTS_NOT_REMOVED, "AptListsNotRemoved", "apt lists not removed in the same RUN as apt-get update",
    "`apt-get update` downloads package lists into /var/lib/apt/lists (tens of megabytes). Unless the same RUN ends with `rm -rf /var/lib/apt/lists/*`, they stay in the layer forever: deleting them in a later RUN only hides them.");
teaching!(APT_NO_INSTALL_RECOMMENDS, "AptNoInstallRecommends", "apt-get install without --no-install-recommends",
    "By default apt also installs 'recommended' packages, often many megabytes you never use. `--no-install-recommends` installs only what the packages need.");
teaching!(APK_NO_CACHE, "ApkNoCache", "apk add without --no-cache",
    "Without `--no-cache`, `apk add` keeps the package index in /var/cache/apk inside the layer. `--no-cache` fetches it, uses it and leaves nothing behind.");
teaching!(PIP_NO_CACHE_DIR, "PipNoCacheDir", "pip install without --no-cache-dir",
    "pip keeps a copy of every downloaded package in ~/.cache/pip. In an image that cache is dead weight in the layer; `--no-cache-dir` skips it.");
teaching!(APT_INSTALL_WITHOUT_YES, "AptInstallWithoutYes", "apt-get install without -y",
    "A build cannot answer apt's 'Do you want to continue? [Y/n]' prompt, so `apt-get install` without `-y` aborts and the RUN fails.");
teaching!(APT_UPDATE_ALONE, "AptUpdateAlone", "apt-get update in a RUN of its own",
    "The layer from `RUN apt-get update` is cached. A later `RUN apt-get install ...` edit reuses the old lists and can fail or install stale versions. Update and install in the same RUN.");
teaching!(CD_INSTEAD_OF_WORKDIR, "CdInsteadOfWorkdir", "cd in RUN instead of WORKDIR",
    "Each RUN starts a new shell, so a `cd` lasts only until the end of that RUN. WORKDIR changes the directory for every later instruction and documents it.");
teaching!(RELATIVE_WORKDIR, "RelativeWorkdir", "relative WORKDIR",
    "A relative WORKDIR is joined to the previous one, so its meaning depends on every WORKDIR before it. An absolute path says where you are at a glance.");
teaching!(SHELL_FORM_CMD, "ShellFormCmd", "CMD or ENTRYPOINT in shell form",
    "Shell form runs your program under `/bin/sh -c`, so the shell, not your program, receives the stop signal. Prefer the JSON form.");
teaching!(SEVERAL_CMD, "SeveralCmd", "several CMD or ENTRYPOINT in one stage",
    "Only the last CMD and the last ENTRYPOINT of a stage end up in the image; the earlier ones do nothing.");
teaching!(LAST_USER_ROOT, "LastUserRoot", "the image runs as root",
    "The last USER of the final stage is root, so the container's processes run as root. Create a user and switch to it at the end: `USER app`.");
teaching!(PIPE_WITHOUT_PIPEFAIL, "PipeWithoutPipefail", "pipe without pipefail",
    "`/bin/sh -c` reports only the exit status of the last command in a pipe, so `curl ... | tar x` succeeds even when curl fails. Use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or `set -o pipefail &&`.");
teaching!(UNPINNED_BASE_IMAGE, "UnpinnedBaseImage", "base image without a tag or with latest",
    "`latest` (what an untagged name means) moves: the same Dockerfile builds a different image next month. Pin a version tag such as `python:3.12-slim`.");
teaching!(UNPINNED_PACKAGES, "UnpinnedPackages", "packages installed without versions",
    "Unversioned installs take whatever is newest on the day of the build, so two builds of one Dockerfile can differ. Pin versions (`pkg=1.2.3`, `pkg==1.2.3`) where reproducibility matters.");
teaching!(ADD_INSTEAD_OF_COPY, "AddInsteadOfCopy", "ADD where COPY would do",
    "ADD also downloads URLs and unpacks archives. For plain local files COPY does the same job without the surprises.");
teaching!(COPY_ALL_BEFORE_INSTALL, "CopyAllBeforeInstall", "COPY . before installing dependencies",
    "Copying the whole project before installing dependencies means any edit to any file invalidates the cache for the install step, which then reruns on every build. Copy the dependency list (requirements.txt, package.json) first, install, then copy the rest.");
teaching!(COPY_FROM_UNKNOWN_STAGE, "CopyFromUnknownStage", "COPY --from of a stage that does not exist (yet)",
    "`COPY --from=name` uses a stage defined *earlier* with `AS name`; anything else is taken as an image name to pull, which usually fails.");

/// Every rule, BuildKit's first, in the order `docker build --check` lists them.
pub static ALL: [&Rule; 39] = [
    &STAGE_NAME_CASING, &FROM_AS_CASING, &NO_EMPTY_CONTINUATION, &CONSISTENT_INSTRUCTION_CASING, &DUPLICATE_STAGE_NAME,
    &RESERVED_STAGE_NAME, &JSON_ARGS_RECOMMENDED, &MAINTAINER_DEPRECATED, &UNDEFINED_ARG_IN_FROM, &WORKDIR_RELATIVE_PATH,
    &UNDEFINED_VAR, &MULTIPLE_INSTRUCTIONS_DISALLOWED, &LEGACY_KEY_VALUE_FORMAT, &INVALID_BASE_IMAGE_PLATFORM,
    &REDUNDANT_TARGET_PLATFORM, &SECRETS_USED_IN_ARG_OR_ENV, &INVALID_DEFAULT_ARG_IN_FROM, &FROM_PLATFORM_FLAG_CONST_DISALLOWED,
    &COPY_IGNORED_FILE, &INVALID_DEFINITION_DESCRIPTION, &EXPOSE_PROTO_CASING, &EXPOSE_INVALID_FORMAT,
    &APT_LISTS_NOT_REMOVED, &APT_NO_INSTALL_RECOMMENDS, &APK_NO_CACHE, &PIP_NO_CACHE_DIR, &APT_INSTALL_WITHOUT_YES,
    &APT_UPDATE_ALONE, &CD_INSTEAD_OF_WORKDIR, &RELATIVE_WORKDIR, &SHELL_FORM_CMD, &SEVERAL_CMD, &LAST_USER_ROOT,
    &PIPE_WITHOUT_PIPEFAIL, &UNPINNED_BASE_IMAGE, &UNPINNED_PACKAGES, &ADD_INSTEAD_OF_COPY, &COPY_ALL_BEFORE_INSTALL,
    &COPY_FROM_UNKNOWN_STAGE,
];
