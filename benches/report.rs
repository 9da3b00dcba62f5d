//! The HTML report of `compare`: rendering the shipped comparison (every
//! shipped position on every shipped incident and scenario) with its
//! position pages, and the same positions on the incidents taken twice
//! over, so the growth shows. The size of each page is printed once: the
//! explanations are stored once as data, so it grows with the distinct
//! lines of the explanations, not with the cells.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use opinio::compare::{self, Comparison, Run};
use opinio::eval::Evaluator;
use opinio::incident::{self, Format, Vocabulary};
use opinio::ir::Program;
use opinio::reports::show::{self, PositionReport};
use opinio::source::FileId;

/// The files of a directory with one of these extensions, sorted.
fn files(dir: &str, extensions: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("a shipped directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)))
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out
}

/// The shipped positions, compiled, with their pages.
fn positions() -> (Vec<Program>, Vec<PositionReport>) {
    let paths = files("examples/positions", &["norm"]);
    let programs: Vec<Program> = paths.iter().map(|p| opinio::io::compile_file(p).program.expect("a shipped position compiles")).collect();
    let pages = paths
        .iter()
        .zip(&programs)
        .map(|(path, program)| {
            let (_, bases) = opinio::io::compile_file_and_bases(path, None, None);
            let bases: Vec<Program> = bases.into_iter().filter_map(|(_, b)| b.program).collect();
            show::position_report(show::Position { program, bases: &bases })
        })
        .collect();
    (programs, pages)
}

/// The comparison of `programs` on the shipped incidents, each taken `times` times.
fn comparison(programs: &[Program], times: usize) -> Comparison {
    let vocabulary = Vocabulary::new(programs);
    let mut paths = files("examples/incidents", &["toml", "json"]);
    paths.extend(files("examples/scenarios", &["toml", "json"]));
    let mut incidents = Vec::new();
    for round in 0..times {
        for path in &paths {
            let text = std::fs::read_to_string(path).expect("a shipped incident");
            let format = Format::from_path(path).expect("toml or json");
            let root = incident::parse_tree(FileId(0), &text, format).expect("a shipped incident parses");
            let loaded: Vec<_> =
                programs.iter().map(|p| incident::load_tree_in(p, &vocabulary, &root).expect("a shipped incident loads")).collect();
            let outcomes: Vec<_> =
                programs.iter().zip(&loaded).map(|(p, i)| Evaluator::new(p).explain(i.input()).expect("evaluates")).collect();
            let runs: Vec<Run<'_>> = programs
                .iter()
                .zip(&loaded)
                .zip(&outcomes)
                .map(|((program, incident), outcome)| Run { program, incident, outcome })
                .collect();
            let name = format!("{} {round}", loaded[0].meta.name);
            incidents.push(compare::compare_incident(&name, path, &runs));
        }
    }
    let names = programs.iter().map(|p| p.position_name().to_string()).collect();
    let titles = programs.iter().map(|p| p.title().to_string()).collect();
    Comparison::new(names, titles, incidents)
}

fn bench_html(c: &mut Criterion) {
    assert!(Path::new("examples/positions").is_dir(), "run from the crate's root");
    let (programs, pages) = positions();
    let mut group = c.benchmark_group("html report");
    group.sample_size(10);
    for times in [1, 2] {
        let comparison = comparison(&programs, times);
        let label = format!("{} positions x {} incidents", programs.len(), comparison.incidents.len());
        let page = opinio::reports::html::html(&comparison, &pages);
        eprintln!("html report, {label}: {} bytes", page.len());
        group.bench_with_input(BenchmarkId::from_parameter(&label), &comparison, |b, comparison| {
            b.iter(|| opinio::reports::html::html(comparison, &pages).len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_html);
criterion_main!(benches);
