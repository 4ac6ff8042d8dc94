//! Any text as an awk program over a few input lines: lexing, parsing and running return
//! (with mawk's error or a budget's message) without panicking or hanging.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    layerlab_shell::fuzz_entry::run_awk(&text);
});
