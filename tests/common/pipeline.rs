//! The whole pipeline on one input, as the commands run it: shared by the
//! stable property test (`tests/properties.rs`) and the cargo-fuzz targets
//! (`fuzz/fuzz_targets/`, which include this file). Each function panics only
//! on a broken promise: a span outside its file, an uncoded diagnostic, a
//! formatter that is not idempotent or that changes what the norms mean.

use std::path::Path;

use opinio::diagnostics::render::{self, ErrorFormat};
use opinio::diagnostics::Diagnostic;
use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::io::FsLoader;
use opinio::ir::Program;
use opinio::source::{FileId, SourceMap};
use opinio::syntax::{self, Grammar};

/// Renders diagnostics in every format and checks their places and codes.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for d in diagnostics {
        assert!(opinio::diagnostics::codes::lookup(d.code.id).is_some(), "uncoded diagnostic {d:?}");
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            let text = &sources.get(label.span.file).text;
            assert!(label.span.start <= label.span.end && label.span.end as usize <= text.len(), "span outside its file: {d:?}");
        }
    }
    for format in [ErrorFormat::Human { color: false }, ErrorFormat::Plain, ErrorFormat::Json] {
        let _ = render::render(diagnostics, sources, format);
    }
}

/// Norms: parse, format twice (the second pass changes nothing and the
/// program is the same), compile, render, then evaluate and explain on an
/// incident that gives no facts.
pub fn norms(text: &str) {
    let file = FileId(0);
    let mut sources = SourceMap::new();
    sources.add("fuzz.norm", text);
    if let Err(ds) = syntax::parse_file(file, text) {
        render_all(&ds, &sources);
    }
    if let Ok(once) = syntax::format(file, text, Grammar::Norms) {
        let twice = syntax::format(file, &once, Grammar::Norms).expect("formatted text formats again");
        assert_eq!(once, twice, "formatting is not idempotent");
        let before = opinio::compile("fuzz.norm", text, &mut FsLoader);
        let after = opinio::compile("fuzz.norm", &once, &mut FsLoader);
        assert_eq!(
            before.program.as_ref().map(|p| serde_json::to_string(p).ok()),
            after.program.as_ref().map(|p| serde_json::to_string(p).ok()),
            "formatting changed the program"
        );
    }
    let compiled = opinio::compile("fuzz.norm", text, &mut FsLoader);
    render_all(&compiled.diagnostics, &compiled.sources);
    if let Some(program) = &compiled.program {
        let mut sources = compiled.sources.clone();
        let empty = "[incident]\nname = \"fuzz\"\n\n[facts]\n";
        let file = sources.add("empty.toml", empty);
        evaluate(&compiled, program, &mut sources, file, empty, Format::Toml);
    }
}

/// An incident under compiled norms, read in each of `formats`.
pub fn incident(compiled: &opinio::Compiled, text: &str, formats: &[Format]) {
    let Some(program) = &compiled.program else { return };
    for &format in formats {
        let mut sources = compiled.sources.clone();
        let file = sources.add("fuzz.incident", text);
        evaluate(compiled, program, &mut sources, file, text, format);
    }
}

fn evaluate(compiled: &opinio::Compiled, program: &Program, sources: &mut SourceMap, file: FileId, text: &str, format: Format) {
    match incident::load(program, file, text, format) {
        Err(ds) => render_all(&ds, sources),
        Ok(incident) => {
            let mut ev = Evaluator::new(program);
            match ev.explain(incident.input()) {
                Ok(outcome) => {
                    let _ = opinio::reports::eval::eval_text(program, &incident, &outcome);
                    let _ = opinio::reports::eval::eval_json(program, &incident, &outcome);
                    let explanation = opinio::reports::explain::explain(program, &incident, &outcome, &[], true);
                    let _ = opinio::reports::explain::text(&explanation);
                }
                Err(e) => {
                    let mut c = compiled.clone();
                    c.sources = sources.clone();
                    let d = c.eval_diagnostic(&e).expect("a program");
                    render_all(std::slice::from_ref(&d), sources);
                }
            }
        }
    }
}

/// A test file, written into `dir` (beside the norms and incidents it may
/// name) and run as `opinio test` runs it, without blessing: coded
/// diagnostics or a report.
pub fn test_file(dir: &Path, text: &str) {
    let file = FileId(0);
    let mut sources = SourceMap::new();
    sources.add("fuzz.test.norm", text);
    match syntax::parse_test_file(file, text) {
        Err(ds) => render_all(&ds, &sources),
        Ok(_) => {
            if let Ok(once) = syntax::format(file, text, Grammar::Tests) {
                let twice = syntax::format(file, &once, Grammar::Tests).expect("formatted text formats again");
                assert_eq!(once, twice, "formatting is not idempotent");
            }
        }
    }
    let path = dir.join("fuzz.test.norm");
    std::fs::write(&path, text).expect("a scratch test file");
    let options = opinio::testing::Options::default();
    let report = opinio::testing::plan(&path, &options).run(&options, &());
    for p in &report.problems {
        render_all(&p.diagnostics, &p.sources);
    }
    let _ = opinio::reports::test::suite_text(&report);
}
