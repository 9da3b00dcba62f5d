//! Incident files, as TOML and as JSON, under France's position (which
//! extends the whole standard library): read, evaluate, explain, render.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/pipeline.rs"]
mod pipeline;

use std::sync::LazyLock;

use opinio::incident::Format;

static COMPILED: LazyLock<opinio::Compiled> = LazyLock::new(|| {
    let text = include_str!("../../examples/positions/france.norm");
    let compiled = opinio::compile("france.norm", text, &mut opinio::io::FsLoader);
    assert!(compiled.program.is_some(), "France's position compiles");
    compiled
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipeline::incident(&COMPILED, text, &[Format::Toml, Format::Json]);
    }
});
