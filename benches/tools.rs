//! The scholar's tools: `opinio fmt` over the shipped library, and
//! `opinio test` over one position's tests and over every golden file.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use opinio::source::FileId;
use opinio::syntax::{format, Grammar};

fn shipped_norms() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new("stdlib-rules").to_path_buf(), Path::new("examples").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("a shipped directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".norm") {
                out.push((p.display().to_string(), std::fs::read_to_string(&p).expect("a readable file")));
            }
        }
    }
    out.sort();
    out
}

fn bench_format(c: &mut Criterion) {
    let files = shipped_norms();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("fmt");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("shipped library", |b| {
        b.iter(|| {
            for (name, text) in &files {
                let out = format(FileId(0), text, Grammar::for_path(name)).expect("shipped files format");
                std::hint::black_box(out);
            }
        })
    });
    group.finish();
}

fn bench_test(c: &mut Criterion) {
    let options = opinio::testing::Options::default();
    let mut group = c.benchmark_group("test");
    group.sample_size(10);
    for file in ["examples/tests/france.test.norm", "examples/tests/library.test.norm"] {
        group.bench_function(file, |b| {
            b.iter(|| {
                let report = opinio::testing::plan(Path::new(file), &options).run(&options, &());
                assert_eq!(report.failed(), 0);
                std::hint::black_box(report);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_format, bench_test);
criterion_main!(benches);
