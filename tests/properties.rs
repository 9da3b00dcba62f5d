//! A bounded fuzz test that runs on stable, inside CI's time: seeded random
//! mutations (bytes, tokens, splices, hostile characters) of the shipped
//! files go through the whole pipeline of `tests/common/pipeline.rs`, the
//! same one the cargo-fuzz targets in `fuzz/` run without bound. Seeds are
//! fixed, so a failure names the mutant that reproduces it.

mod common;

use std::path::{Path, PathBuf};

use common::pipeline;
use opinio::incident::Format;

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces a mutation inserts: the language's words and operators, and the
/// inputs that broke earlier versions (deep nesting, huge numbers, invisible
/// characters, out-of-range dates).
const PIECES: &[&str] = &[
    " and ",
    " or ",
    "not ",
    "-",
    " + ",
    " * ",
    " / ",
    " = ",
    " != ",
    " < ",
    "(",
    ")",
    "((((((((",
    "))))))))",
    "\"",
    "#",
    "##",
    "\n",
    "rule ",
    "fact ",
    "conclusion ",
    "if ",
    "unless ",
    "exception to ",
    "prevails over ",
    "position ",
    "extends ",
    "replace ",
    "remove ",
    "set ",
    "param ",
    "proven ",
    "breach of ",
    "any x in ",
    "count ",
    "where ",
    "tiers ",
    "assessment ",
    "factor ",
    "weight ",
    "cites \"x\" ",
    "true",
    "false",
    "0",
    "-1",
    "9007199254740993",
    "1e400",
    "99999999999999999999999",
    "0.5",
    "2020-01-01",
    "9999-12-31",
    "0000-01-01",
    "2020-02-30",
    "8000000 days",
    "1,2,3 USD",
    "1e308 USD",
    "\u{a0}",
    "\u{feff}",
    "\u{0}",
    "\u{202e}",
    "é",
    "\t",
    "\r\n",
    "[",
    "]",
    "{",
    "}",
    "[[",
    "= ",
    "[facts]",
    "[incident]",
    "\"$unknown\"",
];

fn mutate(rng: &mut Rng, seed: &str, other: &str) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(2) {
        let len = chars.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 if len > 0 => {
                let end = (at + 1 + rng.below(24)).min(len);
                chars.drain(at.min(len)..end.max(at.min(len)));
            }
            1 if len > 0 => {
                let end = (at + 1 + rng.below(40)).min(len);
                let copy: Vec<char> = chars[at.min(len)..end.max(at.min(len))].to_vec();
                let to = rng.below(chars.len() + 1);
                chars.splice(to..to, copy);
            }
            2 => {
                let other: Vec<char> = other.chars().collect();
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(200)).min(other.len());
                chars.splice(at..at, other[from..end].iter().copied());
            }
            3 if len > 0 => {
                let i = at.min(len - 1);
                chars[i] = PIECES[rng.below(PIECES.len())].chars().next().unwrap_or('x');
            }
            _ => {
                let piece = PIECES[rng.below(PIECES.len())];
                let times = if rng.below(8) == 0 { 1 + rng.below(300) } else { 1 };
                let insert: String = piece.repeat(times);
                chars.splice(at..at, insert.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// The files below `dir` whose name `keep` accepts (`opinio::io`'s walk).
fn files(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    opinio::io::files_under(dir, keep).expect("a shipped directory")
}

fn read_all(paths: &[PathBuf]) -> Vec<(String, String)> {
    paths.iter().map(|p| (p.display().to_string(), std::fs::read_to_string(p).expect("a shipped file"))).collect()
}

/// Runs `check` on `count` mutants of `seeds`, on two threads; a panic names
/// the seed file and the mutant's number.
fn run_mutants(name: &str, seeds: &[(String, String)], count: usize, check: &(dyn Fn(u64, &str) + Sync)) {
    std::thread::scope(|scope| {
        for part in 0..2u64 {
            scope.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (part + 1) ^ name.len() as u64);
                for i in 0..count / 2 {
                    let (path, seed) = &seeds[rng.below(seeds.len())];
                    let (_, other) = &seeds[rng.below(seeds.len())];
                    let text = mutate(&mut rng, seed, other);
                    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(part, &text)));
                    if run.is_err() {
                        let keep = std::env::temp_dir().join(format!("opinio-{name}-mutant-{part}-{i}"));
                        let _ = std::fs::write(&keep, &text);
                        panic!("{name} mutant {part}/{i} of {path} broke a promise; its text is in {}", keep.display());
                    }
                }
            });
        }
    });
}

#[test]
fn mutated_norms_keep_every_promise() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = read_all(&files(&root.join("tests/cases"), &|p| p.ends_with("main.norm")));
    seeds.extend(read_all(&files(&root.join("examples/positions"), &|p| p.ends_with(".norm"))));
    seeds.extend(read_all(&files(&root.join("stdlib-rules"), &|p| p.ends_with(".norm"))));
    run_mutants("norms", &seeds, 600, &|_, text| pipeline::norms(text));
}

#[test]
fn mutated_incidents_keep_every_promise() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = read_all(&files(&root.join("examples"), &|p| p.ends_with(".toml") || p.ends_with(".json")));
    let position = root.join("examples/positions/france.norm");
    let text = std::fs::read_to_string(&position).expect("France's position");
    let compiled = opinio::compile(&position.display().to_string(), &text, &mut opinio::io::FsLoader);
    assert!(compiled.program.is_some());
    let (toml, json): (Vec<_>, Vec<_>) = seeds.into_iter().partition(|(path, _)| path.ends_with(".toml"));
    run_mutants("toml", &toml, 1_500, &|_, text| pipeline::incident(&compiled, text, &[Format::Toml]));
    run_mutants("json", &json, 1_500, &|_, text| pipeline::incident(&compiled, text, &[Format::Json]));
}

#[cfg(unix)]
#[test]
fn mutated_test_files_keep_every_promise() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = read_all(&files(&root.join("examples/tests"), &|p| p.ends_with(".test.norm")));
    let scratch = std::env::temp_dir().join(format!("opinio-properties-{}", std::process::id()));
    for part in 0..2 {
        let tests = scratch.join(format!("{part}/tests"));
        std::fs::create_dir_all(&tests).expect("a scratch directory");
        for d in ["positions", "incidents", "scenarios"] {
            let link = scratch.join(format!("{part}/{d}"));
            if !link.exists() {
                std::os::unix::fs::symlink(root.join("examples").join(d), link).expect("a link");
            }
        }
    }
    run_mutants("tests", &seeds, 200, &|part, text| pipeline::test_file(&scratch.join(format!("{part}/tests")), text));
    let _ = std::fs::remove_dir_all(&scratch);
}
