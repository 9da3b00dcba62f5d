//! Norms: parse, format twice, compile, render every diagnostic in every
//! format, evaluate and explain (`tests/common/pipeline.rs`).
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipeline::norms(text);
    }
});
