//! `opinio batch`'s library path: flat JSON lines read straight into the
//! registers of the fast path a block at a time, evaluated and written as
//! CSV rows, on the peers' full reference rules (`benches/data/peers`), for
//! one position and for three in one pass. The whole-process figures beside
//! the peers come from `benches/peers.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use opinio::batch::{Layout, OutputFormat, Plan};
use opinio::io::FsLoader;
use opinio::ir::Program;
use opinio::value::Type;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// Flat JSON lines giving every fact of the program: booleans, numbers 0 to
/// 3, enumeration values.
fn lines(program: &Program, n: usize) -> Vec<String> {
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let mut line = format!("{{\"id\":{i}");
            for slot in &program.slots {
                let value = match slot.ty {
                    Type::Bool => (rng.next_u64() % 2 == 0).to_string(),
                    Type::Enum(e) => {
                        let values = &program.enums[e].values;
                        format!("\"{}\"", values[rng.next_u64() as usize % values.len()])
                    }
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
    let programs: Vec<Program> = ["us", "france", "china"]
        .iter()
        .map(|p| {
            let path = format!("benches/data/peers/{p}.norm");
            let text = std::fs::read_to_string(&path).expect("the peers' positions are in benches/data/peers");
            opinio::compile(&path, &text, &mut FsLoader).program.expect("the peers' positions compile")
        })
        .collect();
    let data = lines(&programs[0], 10_000);
    let layout = Layout { wide: false, status: false, provenance: false };
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(data.len() as u64));
    for (name, positions) in [("peers_us_10k_jsonl_in_csv_out", &programs[..1]), ("peers_3_positions_10k_jsonl_in_csv_out", &programs[..])]
    {
        let plan = Plan::new(positions, &[], "id").expect("a plan");
        assert!(plan.is_fast(), "the peers' positions take the fast path");
        group.bench_function(name, |b| {
            let mut ev = plan.evaluators();
            let mut out = String::new();
            b.iter(|| {
                out.clear();
                let lines = data.iter().enumerate().map(|(i, l)| (i as u64 + 1, l.as_bytes()));
                plan.json_lines("bench", lines, &mut ev, |result| {
                    if let Ok(results) = result {
                        plan.write(&results, OutputFormat::Csv, layout, &mut out);
                    }
                    true
                });
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
