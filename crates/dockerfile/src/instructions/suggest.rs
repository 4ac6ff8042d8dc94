//! "Did you mean ...?" the way BuildKit's `util/suggest` words it: the
//! closest option within an edit distance of 2, in the case the user typed.

/// The suggestion for `typed` among `options`, if one is close enough:
/// the first option at the smallest distance below 3; none if `typed` is
/// itself an option (the error is then about something else).
pub fn closest(typed: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let fold = |s: &str| if case_sensitive { s.to_string() } else { s.to_lowercase() };
    let wanted = fold(typed);
    let mut best: Option<String> = None;
    let mut min = 3;
    for option in options {
        let option = fold(option);
        if option == wanted {
            return None;
        }
        let distance = levenshtein(&wanted, &option);
        if distance < min {
            min = distance;
            best = Some(if case_sensitive { option } else { match_case(&option, typed) });
        }
    }
    best
}

/// `<message> (did you mean <suggestion>?)`, or the message alone.
pub fn wrap(message: String, typed: &str, options: &[&str], case_sensitive: bool) -> String {
    match closest(typed, options, case_sensitive) {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}

/// The option in the case the user typed in: all lower, all upper, or
/// (mixed) lower.
fn match_case(option: &str, typed: &str) -> String {
    if typed == typed.to_uppercase() && typed != typed.to_lowercase() {
        option.to_uppercase()
    } else {
        option.to_lowercase()
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_in_the_typed_case() {
        let names = ["RUN", "COPY", "ENTRYPOINT"];
        assert_eq!(closest("RUNN", &names, false).as_deref(), Some("RUN"));
        assert_eq!(closest("cpy", &names, false).as_deref(), Some("copy"));
        assert_eq!(closest("FOOBAR", &names, false), None);
        assert_eq!(closest("Runn", &names, false).as_deref(), Some("run"));
        assert_eq!(closest("RUN", &names, false), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
