//! Test files, run as `opinio test` runs them (without `--bless`), in a
//! scratch directory beside links to the shipped positions and incidents.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/pipeline.rs"]
mod pipeline;

use std::path::PathBuf;
use std::sync::LazyLock;

static SCRATCH: LazyLock<PathBuf> = LazyLock::new(|| {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").canonicalize().expect("the examples");
    let scratch = std::env::temp_dir().join(format!("opinio-fuzz-tests-{}", std::process::id()));
    std::fs::create_dir_all(scratch.join("tests")).expect("a scratch directory");
    for d in ["positions", "incidents", "scenarios"] {
        let link = scratch.join(d);
        if !link.exists() {
            std::os::unix::fs::symlink(examples.join(d), link).expect("a link");
        }
    }
    scratch.join("tests")
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipeline::test_file(&SCRATCH, text);
    }
});
