//! Evaluation speed: a compiled rule set over many incidents.
//!
//! `reference.norm` is a part of the peers' reference rule set
//! (`../shared/peers`); `peers/` is all of it (11 conclusions) with their
//! three positions, so the per-incident figures compare with their table
//! (their best established engine: about 4-6 µs per incident; the
//! hand-written limit: about 8 ns). The `fast` group runs the fast path
//! (`opinio::eval::fast`): one position, and the three lowered together.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use opinio::eval::fast::{Code, LANES};
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
                    (opinio::value::Type::Enum(e), r) => Value::Enum(e, (r % 5) as u16),
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

/// The peers' positions, from `benches/data/peers`.
fn peers() -> Vec<opinio::ir::Program> {
    ["us", "france", "china"]
        .iter()
        .map(|p| {
            let path = format!("benches/data/peers/{p}.norm");
            let text = std::fs::read_to_string(&path).expect("the peers' positions are in benches/data/peers");
            opinio::compile(&path, &text, &mut FsLoader).program.expect("the peers' positions compile")
        })
        .collect()
}

fn bench_fast(c: &mut Criterion) {
    let programs = peers();
    let data = incidents(&programs[0], 10_000);
    let mut group = c.benchmark_group("fast");
    group.throughput(Throughput::Elements(data.len() as u64));
    group.bench_function("peers_us_10k_evaluator", |b| {
        let mut ev = Evaluator::new(&programs[0]);
        b.iter(|| {
            data.iter()
                .filter(|slots| ev.run(Input { values: slots, proofs: &[], rates: &[] }).is_ok() && ev.values()[0] == Value::Bool(true))
                .count()
        })
    });
    for (name, positions) in [("peers_us_10k", &programs[..1]), ("peers_3_positions_10k", &programs[..])] {
        let code = Code::lower(positions).expect("the peers' positions have the fast path's shape");
        let first = opinio::ir::ConclusionId::new(0);
        // The registers of every block of incidents, loaded: what is
        // measured first is the evaluation alone, as the limit's figure is.
        let load = |run: &mut opinio::eval::fast::Run, block: &[Vec<Value>]| {
            run.clear(&code);
            for (lane, slots) in block.iter().enumerate() {
                for (s, v) in slots.iter().enumerate() {
                    run.set(&code, code.slot_input(0, opinio::ir::SlotId::new(s)), lane, v);
                }
            }
        };
        let mut loaded: Vec<_> = data
            .chunks(LANES)
            .map(|block| {
                let mut run = code.run();
                load(&mut run, block);
                (run, block.len())
            })
            .collect();
        let count = |run: &opinio::eval::fast::Run, lanes: usize| {
            (0..lanes)
                .map(|lane| (0..positions.len()).filter(|&p| run.result(&code, p, first, lane).0 == Value::Bool(true)).count())
                .sum::<usize>()
        };
        group.bench_function(format!("{name}_eval_only"), |b| {
            b.iter(|| {
                let mut true_count = 0usize;
                for (run, lanes) in &mut loaded {
                    run.eval(&code, *lanes);
                    true_count += count(run, *lanes);
                }
                true_count
            })
        });
        group.bench_function(name, |b| {
            let mut run = code.run();
            b.iter(|| {
                let mut true_count = 0usize;
                for block in data.chunks(LANES) {
                    load(&mut run, block);
                    run.eval(&code, block.len());
                    true_count += count(&run, block.len());
                }
                true_count
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench, bench_fast);
criterion_main!(benches);
