//! Compile speed: `parse` (syntax alone) and `compile` (syntax, resolve,
//! check and lower, as `opinio check` does) of a generated theory of 1k, 10k
//! and 100k rules, and of a chain of conclusions as deep as 10k rules allow.
//! The theories come from `tests/common/generate.rs`; the 100k-rule file for
//! timing `opinio check` by hand is written by the ignored test
//! `write_generated_theories` of `tests/blowups.rs`.
//!
//! Run: `cargo bench --bench compile -- --warm-up-time 1 --measurement-time 5`.

#[path = "../tests/common/generate.rs"]
mod generate;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use opinio::io::FsLoader;
use opinio::source::FileId;

fn bench(c: &mut Criterion) {
    let theories = [("theory", 1_000, false), ("theory", 10_000, false), ("chain", 10_000, true), ("theory", 100_000, false)];
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    for (shape, n, chain) in theories {
        let text = generate::theory(n, chain);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new(format!("parse_{shape}"), n), &text, |b, text| {
            b.iter(|| opinio::syntax::parse_file(FileId(0), text).map(|file| file.items.len()))
        });
        group.bench_with_input(BenchmarkId::new(format!("compile_{shape}"), n), &text, |b, text| {
            b.iter(|| {
                let compiled = opinio::compile("generated.norm", text, &mut FsLoader);
                assert!(compiled.diagnostics.is_empty(), "the theory compiles cleanly");
                compiled.program.map(|p| p.rules.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
