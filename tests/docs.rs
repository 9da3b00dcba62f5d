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
         `E06xx` evaluation, `E07xx` files, `E08xx` tests and formatting, `W09xx` the legal lints of `opinio lint` (`W0901` to \
         `W0949` the lints a `# lint allow NAME: REASON` comment may answer, `W0950` and after the comments themselves); \
         `W` codes are warnings. Each entry shows a faulty example and the message `opinio` prints for it.\n\n\
         This file is generated from `tests/cases/diagnostics/` by `tests/docs.rs`; \
         run `OPINIO_UPDATE_DOCS=1 cargo test --test docs` after changing a message.\n\n\
         | code | name | meaning |\n|---|---|---|\n",
    );
    for code in opinio::diagnostics::codes::ALL {
        doc.push_str(&format!("| [{0}](#{1}) | `{2}` | {3} |\n", code.id, code.id.to_lowercase(), code.name, code.summary));
    }
    for code in opinio::diagnostics::codes::ALL {
        let example = dirs.iter().find(|d| d.file_name().unwrap().to_string_lossy().starts_with(&format!("{}-", code.id)));
        let Some(dir) = example else {
            if code.id == "E0807" {
                doc.push_str(&format!(
                    "\n## {}\n\n`{}` (error): {}.\n\nNo input produces it: `opinio fmt` checks that the formatted text has \
                     exactly the tokens and comments of the original, and reports this code instead of writing when it would not. \
                     Please report it with the file.\n",
                    code.id, code.name, code.summary
                ));
                continue;
            }
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
    let compiled = opinio::compile("position.norm", &position, &mut common::CaseLoader::new(&dir));
    let program = compiled.program.expect("the example compiles");
    let incident = opinio::incident::load(&program, opinio::source::FileId(99), &incident_text, opinio::incident::Format::Toml)
        .expect("the example incident loads");
    let outcome = opinio::eval::Evaluator::new(&program).explain(incident.input()).expect("the example evaluates");
    let json = serde_json::to_string_pretty(&opinio::reports::eval::eval_json(&program, &incident, &outcome)).unwrap();
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

/// `docs/vocabulary.md`: every party, type, fact, conclusion, norm and
/// parameter of the standard library, module by module, from its declarations.
#[test]
fn vocabulary_doc_is_up_to_date() {
    use opinio::syntax::ast::{Item, TypeExpr};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ty = |t: &TypeExpr| match t {
        TypeExpr::Named(i) => i.name.clone(),
        TypeExpr::ListOf(i, _) => format!("list of {}", i.name),
    };
    let cell = |s: &str| s.replace('|', "\\|");
    let mut doc = String::from(
        "# The shared vocabulary\n\n\
         The facts an incident may give and the conclusions every position draws, as the standard \
         library (`stdlib-rules/`) declares them, module by module. Positions share this vocabulary, \
         so that every incident can be evaluated under every position and their conclusions compared. \
         An incident may still give a fact that only one position declares: `opinio compare` (and a \
         test or golden naming several positions) ignores it, with a note, under the positions that \
         do not declare it, whose conclusions then cannot rest on it. Shared facts belong here, or in \
         a shared vocabulary of your own (a standard library directory, `--stdlib DIR`, or a module \
         the positions import; see language.md, section Positions).\n\n\
         Evidence and burden are not a module of their own: each burden of proof is declared on the \
         conclusion it governs (`attributable`, `armed_attack`, `threat_of_force`, \
         `responsible_for_aid_or_assistance`, `responsible_for_directed_act` and `settlement_obstructed`, on \
         the victim State; \
         `threatened_force_justified`, on the examined State), every fact \
         carries the standard of proof its evidence meets, and positions set the standards they \
         require (`set standard of ...`); see language.md, sections Standards of proof and Burden \
         of proof.\n\n\
         This file is generated from the standard library by `tests/docs.rs`; \
         run `OPINIO_UPDATE_DOCS=1 cargo test --test docs` after changing a declaration.\n",
    );
    for module in opinio::stdlib::modules() {
        let text = opinio::stdlib::module(&module).expect("a standard library module");
        let file = opinio::syntax::parse_file(opinio::source::FileId(0), text).expect("the standard library parses");
        doc.push_str(&format!("\n## `{module}`\n\n"));
        if let Some(d) = file.module.as_ref().and_then(|m| m.doc.as_ref()) {
            let first_paragraph: Vec<&str> = d.lines().take_while(|l| !l.trim().is_empty()).collect();
            doc.push_str(&first_paragraph.join(" "));
            doc.push_str("\n\n");
        }
        let mut rows = Vec::new();
        for item in &file.items {
            let row = match item {
                Item::Party(p) => Some(("party", p.name.name.clone(), String::new(), p.description.clone())),
                Item::Enum(e) => Some((
                    "enumeration",
                    e.name.name.clone(),
                    e.values.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(" < "),
                    e.description.clone(),
                )),
                Item::Record(r) => {
                    for f in &r.fields {
                        rows.push(("field", format!("{}.{}", r.name.name, f.name.name), ty(&f.ty), f.description.clone()));
                    }
                    None
                }
                Item::Fact(f) => Some(("fact", f.name.name.clone(), ty(&f.ty), f.description.clone())),
                Item::Conclusion(c) => {
                    let mut extra = Vec::new();
                    if let Some(b) = &c.proof.burden {
                        extra.push(format!("burden on `{}`", b.name));
                    }
                    if c.proof.standard.is_some() {
                        extra.push("a standard of proof".to_string());
                    }
                    let suffix = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join(", ")) };
                    Some(("conclusion", c.value.name.name.clone(), format!("{}{suffix}", ty(&c.value.ty)), c.value.description.clone()))
                }
                Item::Deontic(d) => {
                    Some((d.kind.keyword(), d.name.name.clone(), format!("bearer `{}`", d.bearer.name), d.description.clone()))
                }
                Item::Param(p) => Some(("parameter", p.name.name.clone(), ty(&p.ty), p.description.clone())),
                _ => None,
            };
            rows.extend(row);
        }
        doc.push_str("| kind | name | type | meaning |\n|---|---|---|---|\n");
        for (kind, name, t, description) in rows {
            doc.push_str(&format!("| {kind} | `{name}` | {} | {} |\n", cell(&t), cell(&description)));
        }
    }
    let path = root.join("docs/vocabulary.md");
    if std::env::var_os("OPINIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &doc).expect("write docs/vocabulary.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == doc, "docs/vocabulary.md is out of date; run `OPINIO_UPDATE_DOCS=1 cargo test --test docs`");
}

/// The test file shown in docs/language.md, section "Tests", runs and
/// passes against the shipped positions, incidents and golden files (in a
/// scratch directory that links them, as the example's paths expect).
#[cfg(unix)]
#[test]
fn language_doc_test_example_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    let section = &doc[doc.find("\n## Tests\n").expect("a Tests section")..];
    let start = section.find("```\n").expect("an example") + 4;
    let example = &section[start..start + section[start..].find("```\n").expect("the example ends")];
    let scratch = std::env::temp_dir().join(format!("opinio-doc-example-{}", std::process::id()));
    let tests = scratch.join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    for (link, target) in [("positions", "examples/positions"), ("incidents", "examples/incidents"), ("scenarios", "examples/scenarios")] {
        let _ = std::os::unix::fs::symlink(root.join(target), scratch.join(link));
    }
    let _ = std::os::unix::fs::symlink(root.join("examples/tests/golden"), tests.join("golden"));
    let path = tests.join("example.test.norm");
    std::fs::write(&path, example).unwrap();
    let options = opinio::testing::Options::default();
    let report = opinio::testing::plan(&path, &options).run(&options, &());
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(report.problems.is_empty(), "{:?}", report.problems.iter().map(|p| &p.diagnostics).collect::<Vec<_>>());
    assert!(report.failed() == 0 && report.passed() > 2, "{}", opinio::reports::test::suite_text(&report));
}
