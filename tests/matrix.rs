//! The golden matrix: every shipped position on every shipped incident, all
//! conclusions, one snapshot per incident. A change to a rule, a parameter or
//! a fact shows up as a reviewable diff of the cells it changes; the full
//! derivations are the snapshots of `tests/examples.rs`.
//!
//! Incidents are the real ones of `examples/incidents/` and the stipulated
//! scenarios of `examples/scenarios/`, which exercise readings no real
//! incident reaches (self-defence against non-State actors, collective
//! countermeasures).
//!
//! A cell is the conclusion's value, with `, burden` when a burden of proof
//! decided it, `, not proven` when its premises fall short of its standard,
//! `, standard unstated` when their standard is not stated, and `*` when the
//! deciding rule comes from the position rather than the base. `-` marks a
//! conclusion the position does not have.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use opinio::eval::{Evaluator, Status};
use opinio::incident::{self, Format};
use opinio::io::FsLoader;

fn files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)))
        .collect();
    out.sort();
    out
}

#[test]
fn every_position_on_every_incident() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let positions = files(&root.join("examples/positions"), &["norm"]);
    let mut incidents = files(&root.join("examples/incidents"), &["toml", "json"]);
    incidents.extend(files(&root.join("examples/scenarios"), &["toml", "json"]));
    assert!(!positions.is_empty() && !incidents.is_empty());
    let programs: Vec<(String, opinio::ir::Program)> = positions
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
            let compiled = opinio::compile(&rel, &std::fs::read_to_string(p).unwrap(), &mut FsLoader);
            assert!(compiled.diagnostics.is_empty(), "{rel}: {:?}", compiled.diagnostics);
            let program = compiled.program.expect("a shipped position compiles");
            (program.name.clone(), program)
        })
        .collect();
    for path in &incidents {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        // conclusion -> position -> cell; conclusions in the order the first
        // position that has them declares them.
        let mut order: Vec<String> = Vec::new();
        let mut cells: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut title = String::new();
        for (name, program) in &programs {
            let incident = incident::load(program, opinio::source::FileId(0), &text, Format::from_path(&rel).unwrap())
                .unwrap_or_else(|d| panic!("{rel} under {name}: {d:?}"));
            title = incident.meta.name.clone();
            let outcome = Evaluator::new(program).explain(incident.input()).unwrap_or_else(|e| panic!("{rel} under {name}: {e:?}"));
            for c in &outcome.conclusions {
                let info = &program.conclusions[c.conclusion.index()];
                if !order.contains(&info.name) {
                    order.push(info.name.clone());
                }
                let mut cell = opinio::reports::value_text(program, &c.value);
                match c.status {
                    Status::BurdenNotMet => cell.push_str(", burden"),
                    Status::BelowStandard => cell.push_str(", not proven"),
                    Status::StandardUnstated => cell.push_str(", standard unstated"),
                    _ => {}
                }
                if c.rule.is_some_and(|r| program.rules[r.index()].origin != "base") {
                    cell.push('*');
                }
                cells.entry(info.name.clone()).or_default().insert(name.clone(), cell);
            }
        }
        let mut out = format!("{title} ({rel})\n\n| conclusion |");
        for (name, _) in &programs {
            out.push_str(&format!(" {name} |"));
        }
        out.push_str(&format!("\n|---|{}\n", "---|".repeat(programs.len())));
        for conclusion in &order {
            out.push_str(&format!("| {conclusion} |"));
            for (name, _) in &programs {
                out.push_str(&format!(" {} |", cells[conclusion].get(name).map_or("-", String::as_str)));
            }
            out.push('\n');
        }
        let stem = rel.trim_start_matches("examples/").trim_end_matches(".toml").trim_end_matches(".json").replace('/', "__");
        insta::with_settings!({ snapshot_path => "snapshots/matrix", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(stem, out);
        });
    }
}
