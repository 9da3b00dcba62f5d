//! The questions asked of the law (`opinio witness`, `opinio whatif`): the
//! time to answer one on the shipped positions, for the target of
//! one second per pair of positions and conclusion. Each benchmark names the
//! pair (or the incident) and the conclusion; the slowest shipped
//! conclusions (self-defence, countermeasures) are among them.

use criterion::{criterion_group, criterion_main, Criterion};
use opinio::ir::Program;
use opinio::questions::{self, domain::Space};
use opinio::value::{Proof, Value};

fn position(name: &str) -> Program {
    let path = format!("examples/positions/{name}.norm");
    let text = std::fs::read_to_string(&path).expect("a shipped position");
    opinio::compile(&path, &text, &mut opinio::io::FsLoader).program.expect("a shipped position compiles")
}

fn bench_witness(c: &mut Criterion) {
    let mut group = c.benchmark_group("witness");
    group.sample_size(10);
    for (a, b, conclusion) in [
        ("united_states", "france", "armed_attack"),
        ("united_states", "france", "self_defence_permitted"),
        ("united_states", "france", "collective_self_defence_permitted"),
        ("united_states", "china", "countermeasures_permitted"),
        ("china", "united_states", "sovereignty_infringed"),
    ] {
        let (pa, pb) = (position(a), position(b));
        let space = Space::of(&[&pa, &pb]);
        let base = vec![(Value::Unknown, Proof::UNSTATED); space.slots.len()];
        group.bench_function(format!("{a} {b} {conclusion}"), |bench| {
            bench.iter(|| {
                let w = questions::witness(&pa, &pb, &space, &base, Vec::new(), conclusion, questions::BUDGET).expect("both have it");
                assert!(matches!(w, questions::Witness::Found { .. }));
                std::hint::black_box(w);
            })
        });
    }
    group.finish();
}

fn bench_whatif(c: &mut Criterion) {
    let mut group = c.benchmark_group("whatif");
    group.sample_size(10);
    let program = position("united_states");
    let text = std::fs::read_to_string("examples/incidents/notpetya.json").expect("NotPetya");
    let incident =
        opinio::incident::load(&program, opinio::source::FileId(0), &text, opinio::incident::Format::Json).expect("NotPetya reads");
    let space = Space::of(&[&program]);
    let base = questions::base_of(&space, &[&incident]);
    for conclusion in ["armed_attack", "self_defence_permitted", "countermeasures_permitted"] {
        let c = program.conclusion_named(conclusion).expect("a shipped conclusion");
        group.bench_function(format!("united_states notpetya {conclusion}"), |bench| {
            bench.iter(|| {
                let q = questions::Question { conclusion: c, to: None, fixed: &[], max_changes: None, budget: questions::BUDGET };
                let w = questions::what_if(&program, &space, &base, incident.meta.exchange_rates.clone(), &q).expect("it answers");
                std::hint::black_box(w);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_witness, bench_whatif);
criterion_main!(benches);
