//! Any word, either escape token: expansion returns a value or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    layerlab_dockerfile::fuzz_entry::expand_everything(&text);
});
