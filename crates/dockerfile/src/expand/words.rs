//! Splitting an expanded word into words (`ProcessWords`): text that came
//! from a variable splits on whitespace, text that came from quotes or an
//! escape does not.

pub(super) struct WordSplitter {
    /// Off when only the joined value is wanted: then nothing is kept.
    enabled: bool,
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl WordSplitter {
    pub fn new(enabled: bool) -> Self {
        WordSplitter { enabled, word: String::new(), words: Vec::new(), in_word: false }
    }

    /// A character that splits when it is whitespace.
    pub fn add_char(&mut self, c: char) {
        if !self.enabled {
            return;
        }
        if !c.is_whitespace() {
            self.add_raw_char(c);
        } else if self.in_word && !self.word.is_empty() {
            self.words.push(std::mem::take(&mut self.word));
            self.in_word = false;
        }
    }

    pub fn add_raw_char(&mut self, c: char) {
        if !self.enabled {
            return;
        }
        self.word.push(c);
        self.in_word = true;
    }

    pub fn add_str(&mut self, s: &str) {
        if !self.enabled {
            return;
        }
        s.chars().for_each(|c| self.add_char(c));
    }

    pub fn add_raw_str(&mut self, s: &str) {
        if !self.enabled {
            return;
        }
        self.word.push_str(s);
        self.in_word = true;
    }

    pub fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}
