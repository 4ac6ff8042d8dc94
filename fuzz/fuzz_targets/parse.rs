//! Any text: the parser, the dump, the instruction layer and the checks
//! must return (an error is fine) without panicking or hanging.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    layerlab_dockerfile::fuzz_entry::parse_everything(&text);
});
