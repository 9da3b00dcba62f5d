//! The shipped standard library and examples: they check without warnings,
//! and their own tests (examples/tests) pass.

use std::path::Path;

use opinio::incident::{self, Format};
use opinio::io::FsLoader;

#[test]
fn examples_check_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut norms: Vec<_> = ["examples", "examples/positions"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    norms.sort();
    assert!(!norms.is_empty());
    for norm in &norms {
        let rel = norm.strip_prefix(root).unwrap().to_string_lossy().to_string();
        let compiled = opinio::compile(&rel, &std::fs::read_to_string(norm).unwrap(), &mut FsLoader);
        assert!(compiled.diagnostics.is_empty(), "{rel}: {:?}", compiled.diagnostics);
        assert!(compiled.program.is_some(), "{rel} compiles");
    }
}

/// The shipped library's own tests (`examples/tests/*.test.norm`), as
/// `opinio test examples/tests` runs them: the expectations on each
/// position's key conclusions, and the golden files holding every
/// position's full evaluation of every shipped incident.
#[test]
fn shipped_tests_pass() {
    let files = opinio::testing::find(Path::new("examples/tests")).expect("examples/tests exists");
    assert!(files.len() >= 10, "a test file per position: {files:?}");
    run_test_files(&files);
}

/// The tests that pin the language's semantics construct by construct
/// (`tests/language/*.test.norm`).
#[test]
fn language_tests_pass() {
    let files = opinio::testing::find(Path::new("tests/language")).expect("tests/language exists");
    assert!(!files.is_empty());
    run_test_files(&files);
}

fn run_test_files(files: &[std::path::PathBuf]) {
    let options = opinio::testing::Options::default();
    let mut report = String::new();
    let mut ok = true;
    for f in files {
        let r = opinio::testing::plan(f, &options).run(&options, &());
        for p in &r.problems {
            report.push_str(&opinio::diagnostics::render::render(
                &p.diagnostics,
                &p.sources,
                opinio::diagnostics::render::ErrorFormat::Plain,
            ));
        }
        ok &= r.failed() == 0 && r.problems.is_empty() && !r.cases.is_empty();
        report.push_str(&opinio::reports::test::suite_text(&r));
    }
    assert!(ok, "run `cargo run -- test` (with `--bless` to accept new golden files):\n{report}");
}

#[test]
fn standard_library_modules_check_cleanly() {
    for module in opinio::stdlib::modules() {
        let text = format!("module check_{0}\nimport {module}\n", module.replace('.', "_"));
        let compiled = opinio::compile("check.norm", &text, &mut FsLoader);
        assert!(compiled.diagnostics.is_empty(), "{module}: {:?}", compiled.diagnostics);
    }
}

/// No rule of the shipped library without a citation, and no incident fact
/// without a source or an explicit unknown.
#[test]
fn the_library_is_sourced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let position = root.join("examples/positions/qu_two_tier.norm");
    let mut positions: Vec<_> = std::fs::read_dir(root.join("examples/positions")).unwrap().flatten().map(|e| e.path()).collect();
    positions.sort();
    let mut uncited = Vec::new();
    for p in &positions {
        let compiled = opinio::compile(&p.to_string_lossy(), &std::fs::read_to_string(p).unwrap(), &mut FsLoader);
        let program = compiled.program.expect("a shipped position compiles");
        for r in &program.rules {
            if r.cites.is_empty() {
                uncited.push(format!("{} ({})", r.name, r.module));
            }
        }
    }
    uncited.sort();
    uncited.dedup();
    assert!(uncited.is_empty(), "rules without a citation: {uncited:?}");

    let compiled = opinio::compile(&position.to_string_lossy(), &std::fs::read_to_string(&position).unwrap(), &mut FsLoader);
    let program = compiled.program.expect("compiles");
    let mut incidents: Vec<_> = std::fs::read_dir(root.join("examples/incidents")).unwrap().flatten().map(|e| e.path()).collect();
    incidents.sort();
    let mut unsourced = Vec::new();
    for path in &incidents {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let incident = incident::load(&program, opinio::source::FileId(0), &text, Format::from_path(&rel).unwrap()).unwrap();
        assert!(!incident.meta.sources.is_empty(), "{rel} lists no sources");
        for (slot, (value, annotation)) in incident.slots.iter().zip(&incident.annotations).enumerate() {
            let given = !value.is_unknown() || annotation.is_some();
            let sourced = annotation.as_ref().is_some_and(|a| a.source.is_some() && (a.proof.is_some() || a.explicit_unknown));
            if given && !sourced {
                unsourced.push(format!("{rel}: {}", program.slots[slot].name));
            }
        }
    }
    assert!(
        unsourced.is_empty(),
        "incident facts without a source and a standard of proof, or an explicit unknown with its source: {unsourced:?}"
    );
}
