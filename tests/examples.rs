//! The shipped standard library and examples: they check without warnings,
//! and their evaluation on every shipped incident is a golden snapshot.

use std::path::Path;

use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::io::FsLoader;

#[test]
fn examples_check_cleanly_and_evaluate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut norms: Vec<_> = ["examples", "examples/positions"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .collect();
    norms.sort();
    let mut incidents: Vec<_> = ["examples/incidents", "examples/scenarios"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().flatten().map(|e| e.path()))
        .collect();
    incidents.sort();
    assert!(!norms.is_empty() && !incidents.is_empty());
    for norm in &norms {
        let rel = norm.strip_prefix(root).unwrap().to_string_lossy().to_string();
        let compiled = opinio::compile(&rel, &std::fs::read_to_string(norm).unwrap(), &mut FsLoader);
        assert!(compiled.diagnostics.is_empty(), "{rel}: {:?}", compiled.diagnostics);
        let program = compiled.program.expect("compiles");
        for path in &incidents {
            let irel = path.strip_prefix(root).unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(path).unwrap();
            let mut sources = compiled.sources.clone();
            let file = sources.add(irel.clone(), text.clone());
            let incident =
                incident::load(&program, file, &text, Format::from_path(&irel).unwrap()).unwrap_or_else(|d| panic!("{irel}: {d:?}"));
            let outcome = Evaluator::new(&program).explain(incident.input()).unwrap_or_else(|e| panic!("{irel}: {e:?}"));
            let name = format!("{}__{}", norm.file_stem().unwrap().to_string_lossy(), path.file_stem().unwrap().to_string_lossy());
            insta::assert_snapshot!(name, opinio::report::eval_text(&program, &incident, &outcome));
        }
    }
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
