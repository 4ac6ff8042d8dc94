//! A rough reading of shell command lines, good
//! enough for lint rules: which commands a RUN runs and with which words.
//! (The build itself uses the real simulated shell.)
//!
//! Checks run on every keystroke, so words borrow from the line unless
//! quotes or escapes had to be removed.

use std::borrow::Cow;

/// One simple command: its words, quotes removed.
pub(super) struct SimpleCommand<'a> {
    pub words: &'a [Cow<'a, str>],
    /// Whether its output is piped (`|`) into the next command.
    pub piped: bool,
    /// Index of the program name (after any leading `NAME=value`).
    program: usize,
    /// Index of the first word after the program name that is not a flag.
    subcommand: Option<usize>,
}

impl<'a> SimpleCommand<'a> {
    /// The words from the program name on.
    pub fn program(&self) -> &'a [Cow<'a, str>] {
        &self.words[self.program..]
    }

    /// `tool sub ...`, allowing flags between the tool and the subcommand.
    pub fn is(&self, tool: &str, sub: &str) -> bool {
        self.program().first().is_some_and(|w| w == tool) && self.subcommand.is_some_and(|i| self.words[i] == sub)
    }

    pub fn has_word(&self, any_of: &[&str]) -> bool {
        self.words.iter().any(|w| any_of.contains(&w.as_ref()))
    }
}

/// A shell line read into words, all in one vector, and the commands they form (a
/// vector per command would be regrown word by word on every keystroke).
pub(super) struct Script<'a> {
    words: Vec<Cow<'a, str>>,
    commands: Vec<Bounds>,
}

/// Where one command's words are in [`Script::words`].
struct Bounds {
    start: usize,
    end: usize,
    piped: bool,
    program: usize,
    subcommand: Option<usize>,
}

impl<'a> Script<'a> {
    /// Reads the simple commands of a shell line, split at `&&`, `||`, `;`, `|` and
    /// newlines. Words split at the blanks of sh's default IFS.
    pub fn read(line: &'a str) -> Self {
        // About one word per eight bytes in real RUN scripts.
        let words = Vec::with_capacity(line.len() / 8 + 4);
        let commands = Vec::with_capacity(8);
        let mut reader = Reader { line, script: Script { words, commands }, start: 0, word: None, first_only: false, first: None };
        reader.run();
        reader.script
    }

    /// The first word of the first simple command, quotes removed (what a rule about how
    /// a script starts needs, without reading a long script to its end).
    pub fn first_word(line: &'a str) -> Option<Cow<'a, str>> {
        let script = Script { words: Vec::new(), commands: Vec::new() };
        let mut reader = Reader { line, script, start: 0, word: None, first_only: true, first: None };
        reader.run();
        reader.first
    }

    pub fn commands(&self) -> Vec<SimpleCommand<'_>> {
        let view = |b: &Bounds| SimpleCommand {
            words: &self.words[b.start..b.end],
            piped: b.piped,
            program: b.program,
            subcommand: b.subcommand,
        };
        self.commands.iter().map(view).collect()
    }
}

/// The word being read: where it starts, and its text once quotes or
/// escapes made it differ from the source.
struct Partial {
    start: usize,
    owned: Option<String>,
}

struct Reader<'a> {
    line: &'a str,
    script: Script<'a>,
    /// Where the current command's words start in `script.words`.
    start: usize,
    word: Option<Partial>,
    /// Stop after the first word, kept in `first` (no vector for one word).
    first_only: bool,
    first: Option<Cow<'a, str>>,
}

/// Bytes that end a run of plain word text outside quotes, as a table (most of a
/// script's bytes go through this test).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = *b" \t\n\r\x0b\x0c'\"\\&|;";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

fn is_special(b: u8) -> bool {
    SPECIAL[b as usize]
}

impl<'a> Reader<'a> {
    fn run(&mut self) {
        let bytes = self.line.as_bytes();
        let mut quote: Option<u8> = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i = match (quote, b) {
                (Some(q), b) if b == q => {
                    quote = None;
                    i + 1
                }
                (Some(_), b'\\') => self.escaped(i),
                (Some(q), _) => self.plain_run(i, |b| b == q || b == b'\\'),
                (None, b'\'' | b'"') => {
                    quote = Some(b);
                    self.owned(i);
                    i + 1
                }
                (None, b'\\') if bytes.get(i + 1) == Some(&b'\n') => {
                    // A line continuation joins the word around it, if any.
                    if self.word.is_some() {
                        self.owned(i);
                    }
                    i + 2
                }
                (None, b'\\') => self.escaped(i),
                (None, b'&' | b'|' | b';' | b'\n') => {
                    self.end_word(i);
                    if self.first.is_some() {
                        return;
                    }
                    let doubled = bytes.get(i + 1) == Some(&b);
                    self.end_command(b == b'|' && !doubled);
                    i + 1 + usize::from(doubled)
                }
                (None, b' ' | b'\t' | b'\r' | 0x0b | 0x0c) => {
                    self.end_word(i);
                    if self.first.is_some() {
                        return;
                    }
                    // The whole run of blanks at once: continued lines are indented (spaces and
                    // tabs eight at a time; the rarer blanks one by one).
                    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c);
                    let mut end = i + 1;
                    while bytes.get(end).is_some_and(blank) {
                        end += 1 + crate::scan::indentation(&bytes[end + 1..]);
                    }
                    end
                }
                (None, _) => self.plain_run(i, is_special),
            };
        }
        self.end_word(self.line.len());
        self.end_command(false);
    }

    /// Adds the text from `i` up to the first byte `stop` accepts; returns
    /// where it stopped. Stops are ASCII, so they fall on char boundaries.
    fn plain_run(&mut self, i: usize, stop: impl Fn(u8) -> bool) -> usize {
        let end = self.line.as_bytes()[i..].iter().position(|&b| stop(b)).map_or(self.line.len(), |n| i + n);
        match &mut self.word {
            Some(Partial { owned: Some(text), .. }) => text.push_str(&self.line[i..end]),
            Some(_) => {}
            None => self.word = Some(Partial { start: i, owned: None }),
        }
        end
    }

    /// The escape at `i` and the character it escapes (none at the end).
    fn escaped(&mut self, i: usize) -> usize {
        let next = self.line[i + 1..].chars().next();
        let text = self.owned(i);
        match next {
            Some(c) => {
                text.push(c);
                i + 1 + c.len_utf8()
            }
            None => i + 1,
        }
    }

    /// The word's own text, copied from the source up to `i` where the
    /// source stops being it.
    fn owned(&mut self, i: usize) -> &mut String {
        let line = self.line;
        let word = self.word.get_or_insert(Partial { start: i, owned: None });
        // Room for the rest of a typical quoted word, so it is not regrown piece by piece.
        word.owned.get_or_insert_with(|| {
            let mut text = String::with_capacity(i - word.start + 32);
            text.push_str(&line[word.start..i]);
            text
        })
    }

    fn end_word(&mut self, i: usize) {
        if let Some(word) = self.word.take() {
            let word = word.owned.map_or(Cow::Borrowed(&self.line[word.start..i]), Cow::Owned);
            match self.first_only {
                true => self.first = Some(word),
                false => self.script.words.push(word),
            }
        }
    }

    fn end_command(&mut self, piped: bool) {
        let (start, end) = (self.start, self.script.words.len());
        if start == end {
            return;
        }
        let words = &self.script.words[start..end];
        let assignment = |w: &Cow<str>| w.bytes().any(|b| b == b'=') && !w.starts_with('-');
        let program = words.iter().take_while(|w| assignment(w)).count();
        let subcommand = words.iter().skip(program + 1).position(|w| !w.starts_with('-')).map(|i| program + 1 + i);
        self.script.commands.push(Bounds { start, end, piped, program, subcommand });
        self.start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        Script::read(line).commands().iter().map(|c| c.words.iter().map(|w| w.to_string()).collect()).collect()
    }

    #[test]
    fn splits_commands_and_pipes() {
        let script = Script::read("apt-get update && apt-get install -y \"a b\" | tee x; cd /x");
        let c = script.commands();
        assert_eq!(words("apt-get update && apt-get install -y \"a b\" | tee x; cd /x"), vec![
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "a b"],
            vec!["tee", "x"],
            vec!["cd", "/x"]
        ]);
        assert_eq!(c.iter().map(|c| c.piped).collect::<Vec<_>>(), [false, true, false, false]);
    }

    #[test]
    fn quotes_and_escapes_are_removed_and_plain_words_borrowed() {
        assert_eq!(words(r#"a"b c"d 'e\'f' g\ h \"i "" x\"#), vec![vec!["ab cd", "e'f", "g h", "\"i", "", "x"]]);
        assert_eq!(words("a \\\n b ab\\\nc"), vec![vec!["a", "b", "abc"]]);
        let script = Script::read("pip install flask==3.0 'x y'");
        let c = script.commands();
        assert!(matches!(c[0].words[2], Cow::Borrowed("flask==3.0")));
        assert!(matches!(c[0].words[3], Cow::Owned(_)));
    }

    #[test]
    fn first_word_reads_no_further_than_it_needs() {
        assert_eq!(Script::first_word("cd /x && make").as_deref(), Some("cd"));
        assert_eq!(Script::first_word("  \"c\"d x").as_deref(), Some("cd"));
        assert_eq!(Script::first_word(";; ls -l").as_deref(), Some("ls"));
        assert_eq!(Script::first_word(" \n ").as_deref(), None);
    }

    #[test]
    fn program_and_subcommand() {
        let script = Script::read("DEBIAN_FRONTEND=noninteractive apt-get -q install -y x");
        let c = script.commands();
        assert!(c[0].is("apt-get", "install"));
        assert!(!c[0].is("apt-get", "update"));
        assert_eq!(c[0].program()[0], "apt-get");
    }
}
