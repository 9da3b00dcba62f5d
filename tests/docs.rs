//! Generated documentation. `docs/diagnostics.md` is generated from the cases
//! in `tests/cases/diagnostics/<CODE>-<name>/`: each code with its faulty
//! example and the message it renders. The example of `docs/eval-json.md` is
//! generated from `tests/fixtures/docs/`. These tests fail when a file is out
//! of date; run `OPINIO_UPDATE_DOCS=1 cargo test --test docs` to rewrite them.

mod common;

use std::path::Path;

#[test]
fn diagnostics_doc_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = root.join("tests/cases/diagnostics");
    let mut dirs: Vec<_> =
        std::fs::read_dir(&cases).expect("tests/cases/diagnostics exists").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut doc = String::from(
        "# Diagnostics\n\n\
         Every problem Opinio reports has a stable code. Codes are grouped by phase: `E01xx` syntax, \
         `E02xx` names and modules, `E03xx` types, `E04xx` rule structure, `E05xx` incident files, \
         `E06xx` evaluation, `E07xx` files; `W` codes are warnings. Each entry shows a faulty example \
         and the message `opinio` prints for it.\n\n\
         This file is generated from `tests/cases/diagnostics/` by `tests/docs.rs`; \
         run `OPINIO_UPDATE_DOCS=1 cargo test --test docs` after changing a message.\n\n\
         | code | name | meaning |\n|---|---|---|\n",
    );
    for code in opinio::codes::ALL {
        doc.push_str(&format!("| [{0}](#{1}) | `{2}` | {3} |\n", code.id, code.id.to_lowercase(), code.name, code.summary));
    }
    for code in opinio::codes::ALL {
        let example = dirs.iter().find(|d| d.file_name().unwrap().to_string_lossy().starts_with(&format!("{}-", code.id)));
        let Some(dir) = example else {
            panic!("no example for {} in tests/cases/diagnostics/ (add a directory named `{}-{}`)", code.id, code.id, code.name);
        };
        let run = common::run_case(dir);
        doc.push_str(&format!(
            "\n## {}\n\n`{}` ({}): {}.\n\n",
            code.id,
            code.name,
            if code.id.starts_with('W') { "warning" } else { "error" },
            code.summary
        ));
        doc.push_str(&format!("```text\n{}```\n\n", common::case_input(dir)));
        doc.push_str(&format!("```text\n{}```\n", run.output));
    }
    let path = root.join("docs/diagnostics.md");
    if std::env::var_os("OPINIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &doc).expect("write docs/diagnostics.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == doc, "docs/diagnostics.md is out of date; run `OPINIO_UPDATE_DOCS=1 cargo test --test docs`");
}

/// The `## Example` section of `docs/eval-json.md`: the fixture files and the
/// real output of `eval --format json` on them.
#[test]
fn eval_json_example_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fixtures/docs");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture exists");
    let (base, position, incident_text) = (read("base.norm"), read("position.norm"), read("incident.toml"));
    let compiled = opinio::compile("position.norm", &position, &mut common::CaseLoader { dir: dir.clone() });
    let program = compiled.program.expect("the example compiles");
    let incident = opinio::incident::load(&program, opinio::source::FileId(99), &incident_text, opinio::incident::Format::Toml)
        .expect("the example incident loads");
    let outcome = opinio::eval::Evaluator::new(&program).explain(incident.input()).expect("the example evaluates");
    let json = serde_json::to_string_pretty(&opinio::report::eval_json(&program, &incident, &outcome)).unwrap();
    let example = format!(
        "## Example\n\n\
         The base (`base.norm`), with a burden of proof and Qu's tiered response:\n\n```\n{base}```\n\n\
         A position on it (`position.norm`):\n\n```\n{position}```\n\n\
         The incident (`incident.toml`):\n\n```toml\n{incident_text}```\n\n\
         `opinio eval position.norm incident.toml --format json` prints:\n\n```json\n{json}\n```\n\n\
         Reading it: the position's rule `funding` makes `attributable` true (`origin` is the\n\
         position), on evidence that meets only reasonable suspicion, so the tiers of the base\n\
         give `diplomacy_first`: tier 1 requires clear and convincing evidence of the link,\n\
         tier 2 reasonable suspicion. Had the incident been silent on funding too,\n\
         `attributable` would be `false` with status `burden_not_met`, `burden` `victim_state`.\n"
    );
    let path = root.join("docs/eval-json.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let head = current.split("## Example").next().unwrap_or_default().to_string();
    let doc = format!("{head}{example}");
    if std::env::var_os("OPINIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &doc).expect("write docs/eval-json.md");
        return;
    }
    assert!(current == doc, "the example in docs/eval-json.md is out of date; run `OPINIO_UPDATE_DOCS=1 cargo test --test docs`");
}
