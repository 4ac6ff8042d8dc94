//! Any text as a RUN script, under dash, ash and bash: parsing and running on a small
//! filesystem return (with an error or a budget's message) without panicking or hanging.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    layerlab_shell::fuzz_entry::run_everything(&text);
});
