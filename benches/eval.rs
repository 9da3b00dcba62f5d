//! Evaluation speed: a compiled rule set over many incidents.
//!
//! `reference.norm` is the peers' reference rule set (`../shared/peers`), so
//! the per-incident figure compares with their table (their best established
//! engine: about 4-6 µs per incident; the hand-written limit: about 8 ns).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use opinio::eval::{Evaluator, Input};
use opinio::io::FsLoader;
use opinio::value::Value;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

fn incidents(program: &opinio::ir::Program, n: usize) -> Vec<Vec<Value>> {
    let mut rng = Rng(42);
    (0..n)
        .map(|_| {
            program
                .slots
                .iter()
                .map(|slot| match (slot.ty, rng.below(10)) {
                    (_, 0) => Value::Unknown,
                    (opinio::value::Type::Bool, r) => Value::Bool(r % 2 == 0),
                    (_, _) => Value::Number(rng.below(4) as f64),
                })
                .collect()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = include_str!("data/reference.norm");
    let compiled = opinio::compile("benches/data/reference.norm", text, &mut FsLoader);
    let program = compiled.program.expect("the reference rule set compiles");
    let data = incidents(&program, 10_000);
    let mut group = c.benchmark_group("eval");
    group.throughput(Throughput::Elements(data.len() as u64));
    group.bench_function("reference_10k_values_only", |b| {
        let mut ev = Evaluator::new(&program);
        b.iter(|| {
            let mut true_count = 0usize;
            for slots in &data {
                if ev.run(Input { values: slots, proofs: &[], rates: &[] }).is_ok() {
                    true_count += ev.values().iter().filter(|v| **v == Value::Bool(true)).count();
                }
            }
            true_count
        })
    });
    group.bench_function("reference_10k_with_trace", |b| {
        b.iter_batched(
            || Evaluator::new(&program),
            |mut ev| data.iter().filter_map(|slots| ev.explain(Input { values: slots, proofs: &[], rates: &[] }).ok()).count(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
