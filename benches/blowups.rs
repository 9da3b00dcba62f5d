//! The inputs that once blew up (reliability review, findings F05, F13 and
//! F15), each at two sizes, so the growth shows: `compare` on a ladder of
//! diamonds and on a chain, one W0405 for many rules, "did you mean" for
//! many misspelt names, `check --emit-ir` of a deep rule, and the fixpoint
//! of a recursive ring. The inputs are generated here.
//!
//! Run: `cargo bench --bench blowups -- --warm-up-time 1 --measurement-time 3`.

#[path = "../tests/common/generate.rs"]
mod generate;

use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use opinio::compare::{self, Run};
use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::io::FsLoader;
use opinio::ir::Program;
use opinio::resolve::{LoadError, Loader, ModuleSource};
use opinio::source::FileId;

/// Serves the module `base` from memory, the standard library from disk.
struct Base(String);

impl Loader for Base {
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        if name == "base" {
            return Ok(ModuleSource { display_name: "base.norm".into(), text: self.0.clone() });
        }
        FsLoader.load(name, importer)
    }
}

fn compile(name: &str, text: &str, loader: &mut dyn Loader) -> Program {
    let compiled = opinio::compile(name, text, loader);
    compiled.program.unwrap_or_else(|| panic!("{name} compiles: {:?}", compiled.diagnostics))
}

/// The compare reproduction of F05, compiled: the two positions.
fn ladder(n: usize, diamonds: bool) -> [Program; 2] {
    let files = generate::ladder(n, diamonds);
    let text = |name: &str| files.iter().find(|(f, _)| *f == name).map(|(_, t)| t.clone()).expect("a generated file");
    let mut loader = Base(text("base.norm"));
    [compile("p1.norm", &text("p1.norm"), &mut loader), compile("p2.norm", &text("p2.norm"), &mut loader)]
}

fn bench_compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");
    group.sample_size(10);
    for (shape, diamonds, sizes) in [("diamonds", true, [22, 44]), ("chain", false, [400, 800])] {
        for n in sizes {
            let programs = ladder(n, diamonds);
            let incidents: Vec<_> = programs
                .iter()
                .map(|p| {
                    incident::load(p, FileId(0), "[incident]\nname = \"x\"\n[facts]\na = true\n", Format::Toml).expect("the incident loads")
                })
                .collect();
            let outcomes: Vec<_> =
                programs.iter().zip(&incidents).map(|(p, i)| Evaluator::new(p).explain(i.input()).expect("evaluates")).collect();
            let runs: Vec<Run<'_>> = programs
                .iter()
                .zip(&incidents)
                .zip(&outcomes)
                .map(|((program, incident), outcome)| Run { program, incident, outcome })
                .collect();
            group.bench_with_input(BenchmarkId::new(shape, n), &runs, |b, runs| {
                b.iter(|| {
                    let comparison = compare::compare_incident("x", "incident.toml", runs);
                    assert!(comparison.rows.iter().all(|r| r.divergent));
                    comparison
                })
            });
        }
    }
    group.finish();
}

/// `n` rules giving one number conclusion `n` different values (F15).
fn conflicts(n: usize) -> String {
    let mut out: Vec<String> = (0..n).map(|i| format!("fact f{i}: bool \"F.\"")).collect();
    out.push("conclusion c: number \"C.\"".into());
    out.extend((0..n).map(|i| format!("rule r{i}\n  c = {i} if f{i}")));
    out.join("\n") + "\n"
}

/// `n` facts, and `n` rules each reading a misspelt one (F15).
fn typos(n: usize) -> String {
    let mut out: Vec<String> = (0..n).map(|i| format!("fact fact_number_{i}: bool \"F.\"")).collect();
    out.push("conclusion c: bool \"C.\"".into());
    out.extend((0..n).map(|i| format!("rule r{i}\n  c if fact_numbr_{i}")));
    out.join("\n") + "\n"
}

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for n in [200, 800] {
        let text = conflicts(n);
        group.bench_with_input(BenchmarkId::new("w0405_rules", n), &text, |b, text| {
            b.iter(|| {
                let compiled = opinio::compile("w.norm", text, &mut FsLoader);
                assert_eq!(compiled.diagnostics.len(), 1);
                compiled
            })
        });
    }
    for n in [1000, 4000] {
        let text = typos(n);
        group.bench_with_input(BenchmarkId::new("suggestions", n), &text, |b, text| {
            b.iter(|| {
                let compiled = opinio::compile("s.norm", text, &mut FsLoader);
                assert_eq!(compiled.diagnostics.len(), n);
                compiled
            })
        });
    }
    group.finish();
}

/// `opinio check --emit-ir` of one rule `c if a and a and ... a` of `n`
/// terms (F13), through the binary (the emitter is the command line's). The
/// chain was a left-deep tree when F13 was found; it is one n-ary node now,
/// and real nesting stops at 200 levels (E0104).
fn bench_emit_ir(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("opinio-bench-emit-ir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let mut group = c.benchmark_group("emit_ir");
    group.sample_size(10);
    for n in [2000, 8000] {
        let file = dir.join(format!("deep{n}.norm"));
        let text = format!("fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  c if {}\n", vec!["a"; n].join(" and "));
        std::fs::write(&file, text).expect("a written file");
        group.bench_with_input(BenchmarkId::new("and_terms", n), &file, |b, file| {
            b.iter(|| {
                let out =
                    Command::new(env!("CARGO_BIN_EXE_opinio")).arg("check").arg("--emit-ir").arg(file).output().expect("the binary runs");
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                out.stdout.len()
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A positive recursive ring `a_i if a_(i+1)`, `a_(n-1) if base or a_0`
/// (F13), evaluated with and without a trace.
fn bench_ring(c: &mut Criterion) {
    let mut group = c.benchmark_group("ring");
    group.sample_size(10);
    for n in [1000, 4000] {
        let mut text = vec!["fact base: bool \"B.\"".to_string()];
        text.extend((0..n).map(|i| format!("conclusion a{i}: bool \"A{i}.\"")));
        text.extend((0..n - 1).map(|i| format!("rule r{i}\n  a{i} if a{}", i + 1)));
        text.push(format!("rule r{}\n  a{} if base or a0", n - 1, n - 1));
        let program = compile("ring.norm", &(text.join("\n") + "\n"), &mut FsLoader);
        let incident =
            incident::load(&program, FileId(0), "[incident]\nname = \"x\"\n[facts]\nbase = true\n", Format::Toml).expect("loads");
        group.bench_with_input(BenchmarkId::new("run", n), &incident, |b, incident| {
            let mut ev = Evaluator::new(&program);
            b.iter(|| {
                ev.run(incident.input()).expect("evaluates");
                assert!(ev.values().iter().all(|v| *v == opinio::value::Value::Bool(true)));
            })
        });
        group.bench_with_input(BenchmarkId::new("explain", n), &incident, |b, incident| {
            let mut ev = Evaluator::new(&program);
            b.iter(|| ev.explain(incident.input()).expect("evaluates"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_compare, bench_check, bench_emit_ir, bench_ring);
criterion_main!(benches);
