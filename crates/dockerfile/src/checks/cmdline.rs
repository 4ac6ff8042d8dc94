//! A rough reading of shell command lines, good
//! enough for lint rules: which commands a RUN runs and with which words.
//! (The build itself uses the real simulated shell.)

/// One simple command: its words, quotes removed.
pub(super) type SimpleCommand = Vec<String>;

/// The simple commands of a shell line, split at `&&`, `||`, `;`, `|` and
/// newlines, with whether each one is piped into the next.
pub(super) fn commands(line: &str) -> Vec<(SimpleCommand, bool)> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => word.extend(chars.next()),
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        word.push(n);
                        in_word = true;
                    }
                }
            }
            (None, '&' | '|' | ';' | '\n') => {
                end_word(&mut word, &mut in_word, &mut words);
                let doubled = chars.peek() == Some(&c);
                if doubled {
                    chars.next();
                }
                let piped = c == '|' && !doubled;
                if !words.is_empty() {
                    out.push((std::mem::take(&mut words), piped));
                }
            }
            (None, c) if c.is_whitespace() => end_word(&mut word, &mut in_word, &mut words),
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push((words, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_and_pipes() {
        let c = commands("apt-get update && apt-get install -y \"a b\" | tee x; cd /x");
        let words: Vec<Vec<&str>> = c.iter().map(|(w, _)| w.iter().map(String::as_str).collect()).collect();
        assert_eq!(words, vec![vec!["apt-get", "update"], vec!["apt-get", "install", "-y", "a b"], vec!["tee", "x"], vec!["cd", "/x"]]);
        assert_eq!(c.iter().map(|(_, p)| *p).collect::<Vec<_>>(), [false, true, false, false]);
    }
}
