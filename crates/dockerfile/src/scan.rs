//! Byte scans the front end runs over every word on every keystroke, eight bytes at a
//! time in a register (SWAR): flags (`--mount=type=cache,id=...,target=...`), ARG words,
//! the words of COPY and FROM lines and the words the checks expand are long and nearly
//! always plain. Single bytes (line ends, `$`, `|`) are searched with [`find_byte`].

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of the result is set where `word` has a zero byte. Bits above
/// the lowest set one may be wrong (a borrow runs upward), never those below.
fn zero(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// The high bit of each byte below `!` (blanks and control characters) is set; as in
/// [`zero`], only the lowest set bit is exact.
fn below_bang(word: u64) -> u64 {
    word.wrapping_sub(ONES * 0x21) & !word & HIGHS
}

/// Runs `special` over `bytes` eight at a time and `plain` over the rest; where the first
/// byte `special` flags (or `plain` refuses) is.
fn first_flagged(bytes: &[u8], special: impl Fn(u64) -> u64, plain: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let found = special(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| !plain(b)).map(|i| at + i)
}

/// Where the first byte that is not printable ASCII, or is a quote or `escape`, is.
pub fn first_not_plain(bytes: &[u8], escape: u8) -> Option<usize> {
    let special = |word: u64| {
        below_bang(word)
            | word & HIGHS // not ASCII
            | zero(word ^ (ONES * 0x7f))
            | zero(word ^ (ONES * u64::from(b'"')))
            | zero(word ^ (ONES * u64::from(b'\'')))
            | zero(word ^ (ONES * u64::from(escape)))
    };
    first_flagged(bytes, special, |b| b.is_ascii_graphic() && !matches!(b, b'\'' | b'"') && b != escape)
}

/// Where the first byte below `!` (a blank or another control character) that `wanted`
/// takes is: pass `is_blank` for the first blank. The control characters `wanted` refuses
/// are rare in text, and passed over.
pub fn first_below_bang(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + first_flagged(&bytes[from..], below_bang, |b| b > b' ')?;
        if wanted(bytes[at]) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// The high bit of each byte of the result is set where `word` has a byte other than `b`,
/// exactly for every byte (the addition stays within each byte's low seven bits).
fn other_than(word: u64, b: u8) -> u64 {
    let x = word ^ (ONES * u64::from(b));
    (((x & !HIGHS) + !HIGHS) | x) & HIGHS
}

/// How many spaces and tabs `bytes` starts with, eight bytes at a time: the indentation
/// continued lines leave inside a long RUN script.
pub fn indentation(bytes: &[u8]) -> usize {
    let other = |word: u64| other_than(word, b' ') & other_than(word, b'\t');
    first_flagged(bytes, other, |b| b == b' ' || b == b'\t').unwrap_or(bytes.len())
}

/// Where the first byte of `set` is.
pub fn first_of<const N: usize>(bytes: &[u8], set: [u8; N]) -> Option<usize> {
    let special = |word: u64| set.iter().fold(0, |found, &b| found | zero(word ^ (ONES * u64::from(b))));
    first_flagged(bytes, special, |b| !set.contains(&b))
}

/// Whether `bytes` holds a byte of `set`. A short text is scanned in a register, eight bytes
/// at a time; a long one with vector searches (three bytes each), which cost more to set up.
pub fn contains_any<const N: usize>(bytes: &[u8], set: [u8; N]) -> bool {
    if bytes.len() < 64 {
        return first_of(bytes, set).is_some();
    }
    set.chunks(3).any(|some| match *some {
        [a, b, c] => memchr::memchr3(a, b, c, bytes).is_some(),
        [a, b] => memchr::memchr2(a, b, bytes).is_some(),
        [a] => memchr::memchr(a, bytes).is_some(),
        _ => false, // `chunks` yields no empty slice
    })
}

/// Where the first `needle` in `bytes` is. Most texts searched here are one line or one
/// word: SSE2, which every x86-64 CPU has, is searched inline, where `memchr::memchr`
/// first dispatches (to AVX2 when the CPU has it) at a cost above the search itself on text
/// this short. Other targets use `memchr::memchr`.
#[inline]
pub fn find_byte(needle: u8, bytes: &[u8]) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(finder) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
        return finder.find(bytes);
    }
    memchr::memchr(needle, bytes)
}

/// Every position of `needle` in `bytes`, each found with [`find_byte`].
pub fn positions(needle: u8, bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + find_byte(needle, &bytes[from..])?;
        from = at + 1;
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stop byte at every offset of every length, with filler bytes around it that
    /// must not stop the scan (and zeros after it, which must not move where it is found).
    fn check_every_offset(scan: impl Fn(&[u8]) -> Option<usize>, stops: impl Fn(u8) -> bool, fillers: &[u8]) {
        for stop in 0..=255u8 {
            for len in 1..20 {
                for at in 0..len {
                    for zeros_after in [false, true] {
                        let mut bytes: Vec<u8> = (0..len).map(|i| fillers[i % fillers.len()]).collect();
                        bytes[at] = stop;
                        if zeros_after {
                            bytes.iter_mut().skip(at + 1).for_each(|b| *b = 0x00);
                        }
                        let want = (0..len).find(|&i| stops(bytes[i]));
                        assert_eq!(scan(&bytes), want, "{stop:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_byte_that_is_not_plain_is_found_at_any_offset() {
        let fillers = [b'a', b'~', b'!', b'#', b'&', b'(', b'[', b']', b'}', b'-', b'='];
        for escape in [b'\\', b'`'] {
            let plain = |b: u8| b.is_ascii_graphic() && !matches!(b, b'\'' | b'"') && b != escape;
            check_every_offset(|bytes| first_not_plain(bytes, escape), |b| !plain(b), &fillers);
        }
    }

    #[test]
    fn the_first_wanted_control_byte_is_found_at_any_offset_past_the_others() {
        let blank = |b: u8| matches!(b, b' ' | b'\t' | 0x0b | 0x0c | b'\r');
        check_every_offset(|bytes| first_below_bang(bytes, blank), blank, &[b'a', 0x01, b'~', 0x1f, 0x0a, 0x80, 0xff, b'!']);
    }

    #[test]
    fn indentation_ends_at_any_offset() {
        let indented = |b: u8| b == b' ' || b == b'\t';
        let end = |bytes: &[u8]| Some(indentation(bytes)).filter(|&n| n < bytes.len());
        check_every_offset(end, |b| !indented(b), &[b' ', b'\t']);
    }

    #[test]
    fn a_byte_is_found_at_any_offset_of_short_and_long_texts() {
        check_every_offset(|bytes| find_byte(b'\n', bytes), |b| b == b'\n', &[b'a', b'\r', 0x0b, 0x8a, 0xff]);
        for len in 0..100 {
            assert_eq!(find_byte(b'|', &vec![b'a'; len]), None);
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'|';
                assert_eq!(find_byte(b'|', &bytes), Some(at), "at {at} of {len}");
                // Every second byte from `at` on: each is found, in order.
                (at..len).step_by(2).for_each(|i| bytes[i] = b'|');
                assert!(positions(b'|', &bytes).eq((at..len).step_by(2)), "from {at} of {len}");
            }
        }
    }

    #[test]
    fn any_byte_of_a_set_is_found_in_short_and_long_texts() {
        let set = [b'$', b'\'', b'"', b'`'];
        for len in [1, 63, 64, 200] {
            for at in 0..len {
                for &stop in &set {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = stop;
                    assert!(contains_any(&bytes, set), "{stop:#x} at {at} of {len}");
                }
            }
            assert!(!contains_any(&vec![b'a'; len], set));
        }
    }

    #[test]
    fn the_first_byte_of_a_set_is_found_at_any_offset() {
        let set = [b'$', b'\'', b'"', b'`'];
        check_every_offset(|bytes| first_of(bytes, set), |b| set.contains(&b), &[b'a', 0x00, b'~', 0x80, 0xff, b'#', b'%', b'&']);
    }
}
