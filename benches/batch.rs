//! `opinio batch`'s library path: a flat JSON line read straight into the
//! slots, evaluated and written as a JSON Lines row, per incident, on the
//! peers' reference rules (`benches/data/reference.norm`). The whole-process
//! figures beside the peers come from `benches/peers.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use opinio::batch::{Layout, OutputFormat, Plan};
use opinio::io::FsLoader;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// Flat JSON lines giving every fact of the program, booleans and numbers 0 to 3.
fn lines(program: &opinio::ir::Program, n: usize) -> Vec<String> {
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let mut line = format!("{{\"id\":{i}");
            for slot in &program.slots {
                let value = match slot.ty {
                    opinio::value::Type::Bool => (rng.next_u64() % 2 == 0).to_string(),
                    _ => (rng.next_u64() % 4).to_string(),
                };
                line.push_str(&format!(",\"{}\":{value}", slot.name));
            }
            line.push('}');
            line
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = include_str!("data/reference.norm");
    let compiled = opinio::compile("benches/data/reference.norm", text, &mut FsLoader);
    let program = compiled.program.expect("the reference rule set compiles");
    let programs = vec![program];
    let data = lines(&programs[0], 10_000);
    let plan = Plan::new(&programs, &[], "id").expect("a plan");
    let layout = Layout { wide: false, status: false, provenance: false };
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(data.len() as u64));
    group.bench_function("reference_10k_jsonl_in_jsonl_out", |b| {
        let mut ev = plan.evaluators();
        let mut out = String::new();
        b.iter(|| {
            out.clear();
            for (i, line) in data.iter().enumerate() {
                if let Some(Ok(outcome)) = plan.json_line("bench", i as u64 + 1, line, &mut ev) {
                    plan.write(&outcome, OutputFormat::JsonLines, layout, &mut out);
                }
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
