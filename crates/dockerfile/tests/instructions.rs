//! Instruction-level errors, worded as `docker build` words them, with the
//! line and column the editor underlines.

use layerlab_dockerfile::instructions::{parse_text, Command};
use layerlab_dockerfile::syntax::position;

/// (Dockerfile, expected message, expected line:column of the span start).
const ERRORS: &[(&str, &str, (usize, usize))] = &[
    ("FROM alpine\nRUN x\nRUNN make\n", "dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)", (3, 1)),
    ("FROM alpine\ncpy a b\n", "dockerfile parse error on line 2: unknown instruction: cpy (did you mean copy?)", (2, 1)),
    ("FROM alpine\nFOO bar\n", "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)", (2, 1)),
    ("FROM alpine\nFOOBAR x\n", "dockerfile parse error on line 2: unknown instruction: FOOBAR", (2, 1)),
    ("FROM a b\n", "dockerfile parse error on line 1: FROM requires either one or three arguments", (1, 1)),
    ("FROM a AS 1st\n", "dockerfile parse error on line 1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols", (1, 11)),
    ("FROM a\nCOPY x\n", "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined", (2, 1)),
    ("FROM a\nADD x\n", "dockerfile parse error on line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined", (2, 1)),
    ("FROM a\nCOPY --form=b x y\n", "dockerfile parse error on line 2: unknown flag: --form (did you mean --from?)", (2, 6)),
    ("FROM a\nCOPY --from b x y\n", "dockerfile parse error on line 2: missing a value on flag: --from", (2, 6)),
    ("FROM a\nCOPY --link=maybe x y\n", "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe", (2, 6)),
    ("FROM a\nCOPY --from=a --from=b x y\n", "dockerfile parse error on line 2: duplicate flag specified: --from", (2, 15)),
    ("FROM a\nRUN --mount=type=bind,from=$X ls\n", "dockerfile parse error on line 2: 'from' doesn't support variable expansion, define alias stage instead", (2, 5)),
    ("FROM a\nWORKDIR\n", "dockerfile parse error on line 2: WORKDIR requires exactly one argument", (2, 1)),
    ("FROM a\nEXPOSE\n", "dockerfile parse error on line 2: EXPOSE requires at least one argument", (2, 1)),
    ("FROM a\nENV =x\n", "dockerfile parse error on line 2: ENV names can not be blank", (2, 5)),
    ("FROM a\nARG =x\n", "dockerfile parse error on line 2: ARG names can not be blank", (2, 5)),
    ("FROM a\nSHELL /bin/bash -c\n", "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form", (2, 1)),
    ("FROM a\nHEALTHCHECK NONE x\n", "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments", (2, 1)),
    ("FROM a\nHEALTHCHECK CONNECT x\n", "dockerfile parse error on line 2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)", (2, 1)),
    ("FROM a\nHEALTHCHECK CMD\n", "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD", (2, 1)),
    ("FROM a\nHEALTHCHECK --interval=10 CMD x\n", "dockerfile parse error on line 2: time: missing unit in duration \"10\"", (2, 13)),
    ("FROM a\nHEALTHCHECK --timeout=1us CMD x\n", "dockerfile parse error on line 2: Interval \"timeout\" cannot be less than 1ms", (2, 13)),
    ("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "dockerfile parse error on line 2: --retries cannot be negative (-1)", (2, 13)),
    ("FROM a\nONBUILD ONBUILD RUN x\n", "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", (2, 1)),
    ("FROM a\nONBUILD FROM b\n", "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger", (2, 1)),
    ("FROM a\nCOPY x <<EOF\nhi\nEOF\n", "dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination", (2, 8)),
    ("FROM a\nUSER --x=1 app\n", "dockerfile parse error on line 2: unknown flag: --x", (2, 6)),
    ("RUN echo hi\n", "no build stage in current context", (1, 1)),
    ("ARG V=1\nFROM a\n", "", (0, 0)),
];

#[test]
fn errors_read_as_dockers_with_positions() {
    for (text, message, (line, column)) in ERRORS {
        match parse_text(text) {
            Ok(_) => assert!(message.is_empty(), "{text:?} should fail with {message:?}"),
            Err(e) => {
                assert_eq!(&e.message, message, "{text:?}");
                let at = position(text, e.span.range().start);
                assert_eq!((at.line, at.column), (*line, *column), "{text:?}");
            }
        }
    }
}

#[test]
fn builds_stages_and_typed_commands() {
    let text = "ARG BASE=python:3.12-slim\nFROM ${BASE} AS Build\nWORKDIR /app\nCOPY --from=base --chown=1000:1000 a b /dst/\nRUN --mount=type=cache,target=/root/.cache pip install x\nENV A=1 B=\"two words\"\nENV LEGACY value with spaces\nARG X Y=2\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/\nCMD [\"python\", \"app.py\"]\nFROM scratch\nCOPY --from=build /app /app\n";
    let file = parse_text(text).unwrap();
    assert_eq!(file.meta_args.len(), 1);
    assert_eq!(file.stages.len(), 2);
    let build = &file.stages[0];
    assert_eq!(build.name(), Some("build"));
    assert_eq!(build.base().image.value, "${BASE}");
    assert_eq!(file.stages[1].display_name(), "stage-1");
    let names: Vec<&str> = build.instructions.iter().map(|i| i.name()).collect();
    assert_eq!(names, ["WORKDIR", "COPY", "RUN", "ENV", "ENV", "ARG", "HEALTHCHECK", "CMD"]);
    let Command::Copy(copy) = &build.instructions[1].command else { panic!() };
    assert_eq!(copy.from.as_ref().unwrap().value, "base");
    assert_eq!(copy.chown.as_ref().unwrap().value, "1000:1000");
    assert_eq!(copy.sources.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(copy.dest.value, "/dst/");
    let Command::Run(run) = &build.instructions[2].command else { panic!() };
    assert_eq!(run.mounts[0].value, "type=cache,target=/root/.cache");
    assert_eq!(run.command.text(), "pip install x");
    assert!(!run.command.exec_form);
    let Command::Env(env) = &build.instructions[3].command else { panic!() };
    assert_eq!((env[1].key.value.as_str(), env[1].value.value.as_str(), env[1].legacy), ("B", "\"two words\"", false));
    let Command::Env(env) = &build.instructions[4].command else { panic!() };
    assert_eq!((env[0].value.value.as_str(), env[0].legacy), ("value with spaces", true));
    let Command::Arg(args) = &build.instructions[5].command else { panic!() };
    assert_eq!(args[1].default.as_ref().unwrap().value, "2");
    let Command::Healthcheck(h) = &build.instructions[6].command else { panic!() };
    assert_eq!(h.test, ["CMD-SHELL", "curl -f http://localhost/"]);
    assert_eq!((h.interval, h.retries), (30_000_000_000, 3));
    let Command::Cmd(cmd) = &build.instructions[7].command else { panic!() };
    assert!(cmd.exec_form);
    assert_eq!(cmd.args.len(), 2);
}

#[test]
fn copy_heredoc_sources_are_inline_files() {
    let text = "FROM a\nCOPY <<-EOF /etc/motd\n\thello\n\tEOF\n";
    let file = parse_text(text).unwrap();
    let Command::Copy(copy) = &file.stages[0].instructions[0].command else { panic!() };
    assert!(copy.sources.is_empty());
    assert_eq!(copy.inline[0].content, "hello\n");
    assert_eq!(copy.dest.value, "/etc/motd");
}

#[test]
fn onbuild_keeps_the_trigger_text() {
    let file = parse_text("FROM a\nONBUILD RUN make install\n").unwrap();
    let Command::Onbuild(on) = &file.stages[0].instructions[0].command else { panic!() };
    assert_eq!(on.expression, "RUN make install");
}
