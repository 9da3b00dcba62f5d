//! Inputs that once blew up (reliability review, findings F05, F13 and F15),
//! generated here at sizes where the old behaviour was slow or flooded the
//! output. These tests assert what the output says, never how long it takes;
//! the timings are in `benches/blowups.rs`.

#[path = "common/generate.rs"]
mod generate;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn opinio(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opinio")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// A fresh directory for one test, removed when dropped.
struct Project(PathBuf);

impl std::ops::Deref for Project {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory for one test, holding `files`.
fn project(name: &str, files: &[(&str, String)]) -> Project {
    let dir = std::env::temp_dir().join(format!("opinio-blowups-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    for (file, content) in files {
        std::fs::write(dir.join(file), content).expect("a written file");
    }
    Project(dir)
}

/// The rows of a `compare --format json`, as (conclusion, causes).
fn compare_rows(dir: &Path) -> Vec<(String, Vec<serde_json::Value>)> {
    let out = opinio(dir, &["compare", "p1.norm", "p2.norm", "--incidents", "incident.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["incidents"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["conclusion"].as_str().unwrap_or_default().to_string(), r["causes"].as_array().cloned().unwrap_or_default()))
        .collect()
}

fn via(cause: &serde_json::Value) -> Vec<&str> {
    cause["via"].as_array().map(|v| v.iter().filter_map(|s| s.as_str()).collect()).unwrap_or_default()
}

#[test]
fn compare_on_a_ladder_of_diamonds_lists_each_change_once_with_a_shortest_path() {
    // 2^20 and more paths lead from the top down to `c0`: the old search
    // enumerated every one of them.
    let dir = project("diamonds", &generate::ladder(30, true));
    let rows = compare_rows(&dir);
    assert_eq!(rows.len(), 30);
    for (conclusion, causes) in &rows {
        let i: usize = conclusion[1..].parse().expect("ci");
        let changes: BTreeSet<(&str, &str)> =
            causes.iter().map(|c| (c["position"].as_str().unwrap_or_default(), c["target"].as_str().unwrap_or_default())).collect();
        assert_eq!(changes.len(), causes.len(), "{conclusion}: each change once: {causes:?}");
        let expected: BTreeSet<(&str, &str)> = if i == 0 { [("p2", "r0")].into() } else { [("p1", "r1b"), ("p2", "r0")].into() };
        assert_eq!(changes, expected, "{conclusion}");
        for cause in causes {
            // The shortest path down two rungs at a time: c(i) <- c(i-2) <- ...
            let target_row = if cause["target"] == "r0" { 0 } else { 1 };
            let path = via(cause);
            assert_eq!(path.first(), Some(&conclusion.as_str()));
            assert_eq!(path.last(), Some(&format!("c{target_row}").as_str()), "{conclusion}: {path:?}");
            let hops = i - target_row;
            assert_eq!(path.len(), 1 + hops.div_ceil(2), "{conclusion}: {path:?}");
        }
    }
    // The first path by name among equally short ones: c3 reaches c0 through
    // c1 (`c3 <- c1 <- c0`), not through c2.
    let c3 = &rows[3].1;
    let r0 = c3.iter().find(|c| c["target"] == "r0").expect("r0 reaches c3");
    assert_eq!(via(r0), ["c3", "c1", "c0"]);
}

#[test]
fn compare_on_a_chain_gives_each_conclusion_its_whole_path() {
    let dir = project("chain", &generate::ladder(300, false));
    let rows = compare_rows(&dir);
    assert_eq!(rows.len(), 300);
    let (conclusion, causes) = &rows[299];
    assert_eq!(conclusion, "c299");
    assert_eq!(causes.len(), 2);
    let r0 = causes.iter().find(|c| c["target"] == "r0").expect("r0 reaches c299");
    let expected: Vec<String> = (0..300).rev().map(|i| format!("c{i}")).collect();
    assert_eq!(via(r0), expected);
}

#[test]
fn compare_output_is_the_same_in_every_run_and_thread_count() {
    let dir = project("determinism", &generate::ladder(16, true));
    let run = |threads: &str, format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_opinio"))
            .args(["compare", "p1.norm", "p2.norm", "--incidents", "incident.toml", "--format", format])
            .current_dir(&*dir)
            .env("NO_COLOR", "1")
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        out.stdout
    };
    for format in ["table", "json", "markdown", "csv", "html"] {
        let first = run("1", format);
        assert_eq!(first, run("2", format), "{format}");
        assert_eq!(first, run("8", format), "{format}");
    }
}

#[test]
fn compare_follows_a_recursive_group_without_looping() {
    // A positive ring a0 <- a1 <- a2 <- a0, started by `start`: the position
    // that removes the start leaves the whole ring false.
    let base = "module base\nfact s: bool \"S.\"\nconclusion start: bool \"Start.\"\n\
        conclusion a0: bool \"A0.\"\nconclusion a1: bool \"A1.\"\nconclusion a2: bool \"A2.\"\n\
        rule rs\n  cites \"X\"\n  start if s\nrule r0\n  cites \"X\"\n  a0 if a1\n\
        rule r1\n  cites \"X\"\n  a1 if a2\nrule r2\n  cites \"X\"\n  a2 if start or a0\n";
    let files = vec![
        ("base.norm", base.to_string()),
        ("p1.norm", "position p1\n  extends base\n  cites \"P1\"\n".to_string()),
        ("p2.norm", "position p2\n  extends base\n  cites \"P2\"\nremove rule rs cites \"nothing\"\n".to_string()),
        ("incident.toml", "[incident]\nname = \"x\"\n[facts]\ns = true\n".to_string()),
    ];
    let dir = project("ring", &files);
    let rows = compare_rows(&dir);
    let causes_of = |name: &str| rows.iter().find(|(c, _)| c == name).map(|(_, c)| c.clone()).unwrap_or_default();
    let a0 = causes_of("a0");
    assert_eq!(a0.len(), 1, "{a0:?}");
    assert_eq!(via(&a0[0]), ["a0", "a1", "a2", "start"]);
    let a2 = causes_of("a2");
    assert_eq!(a2.len(), 1, "{a2:?}");
    assert_eq!(via(&a2[0]), ["a2", "start"]);
}

/// The diagnostics of `opinio --error-format json check FILE`, one object each.
fn check_json(dir: &Path, file: &str) -> Vec<serde_json::Value> {
    let out = opinio(dir, &["--error-format", "json", "check", file]);
    text(&out.stderr).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn rules_giving_a_conclusion_many_values_give_one_w0405() {
    // 800 rules `c = i if f_i`: 319,600 pairs, once one warning each.
    let n = 800;
    let mut norms: Vec<String> = (0..n).map(|i| format!("fact f{i}: bool \"F.\"")).collect();
    norms.push("conclusion c: number \"C.\"".into());
    norms.extend((0..n).map(|i| format!("rule r{i}\n  c = {i} if f{i}")));
    let dir = project("w0405", &[("w.norm", norms.join("\n") + "\n")]);
    let diagnostics = check_json(&dir, "w.norm");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "W0405");
    assert_eq!(
        d["message"],
        "319600 pairs of rules may both apply and give `c` different values: `r0` and `r1`; `r0` and `r2`; `r0` and `r3`; and 319597 more"
    );
    assert_eq!(d["secondary"].as_array().map(Vec::len), Some(3), "{d}");
}

#[test]
fn rules_giving_one_value_or_ordered_by_priority_give_no_w0405() {
    // The rules of a true/false conclusion mostly give `true`: no pair to
    // check. And a chain of priorities settles every pair.
    let n = 400;
    let mut norms: Vec<String> = (0..n).map(|i| format!("fact f{i}: bool \"F.\"")).collect();
    norms.push("conclusion b: bool \"B.\"".into());
    norms.push("conclusion c: number \"C.\"".into());
    norms.extend((0..n).map(|i| format!("rule t{i}\n  b if f{i}")));
    norms.push("rule r0\n  c = 0 if f0".into());
    norms.extend((1..n).map(|i| format!("rule r{i}\n  prevails over r{}\n  c = {i} if f{i}", i - 1)));
    let dir = project("no-w0405", &[("w.norm", norms.join("\n") + "\n")]);
    let diagnostics = check_json(&dir, "w.norm");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn each_misspelt_name_gets_its_suggestion() {
    let n = 600;
    let mut norms: Vec<String> = (0..n).map(|i| format!("fact fact_number_{i}: bool \"F.\"")).collect();
    norms.push("conclusion c: bool \"C.\"".into());
    norms.extend((0..n).map(|i| format!("rule r{i}\n  c if fact_numbr_{i}")));
    let dir = project("typos", &[("s.norm", norms.join("\n") + "\n")]);
    let diagnostics = check_json(&dir, "s.norm");
    assert_eq!(diagnostics.len(), n);
    // The first hundred problems get a suggestion; past them, the plain help.
    for (i, d) in diagnostics.iter().enumerate() {
        assert_eq!(d["code"], "E0201");
        let help = if i < opinio::diagnostics::suggest::MAX_SUGGESTING {
            format!("did you mean `fact_number_{i}`?")
        } else {
            format!("declare it, for example `fact fact_numbr_{i}: bool \"...\"`, or import the module that declares it")
        };
        assert_eq!(d["help"], help, "{d}");
    }
}

/// One rule `c if a and (a or (a and (...)))` nesting `n` levels deep.
fn deep_rule(n: usize) -> String {
    let mut condition = String::from("a");
    for i in 0..n {
        condition = format!("a {} ({condition})", if i % 2 == 0 { "and" } else { "or" });
    }
    format!("fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  c if {condition}\n")
}

#[test]
fn emit_ir_grows_linearly_with_the_depth_of_a_rule() {
    // (Within the 200 levels of nesting the parser accepts.)
    let sizes: Vec<usize> = [50, 190]
        .iter()
        .map(|&n| {
            let dir = project(&format!("deep-{n}"), &[("deep.norm", deep_rule(n))]);
            let out = opinio(&dir, &["check", "--emit-ir", "deep.norm"]);
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            out.stdout.len()
        })
        .collect();
    // Pretty JSON indented every level would grow with the square of the depth.
    assert!(sizes[0] < 10_000 + 100 * 50 && sizes[1] < 10_000 + 100 * 190, "{sizes:?}");
    assert!(sizes[1] < 4 * sizes[0], "{sizes:?}");
}

#[test]
fn emit_ir_is_the_pretty_json_of_the_program() {
    // Deeper than the indented levels, shallow enough for serde_json's
    // recursion limit when reading it back.
    let dir = project("ir", &[("deep.norm", deep_rule(40))]);
    let out = opinio(&dir, &["check", "--emit-ir", "deep.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let compiled = opinio::compile("deep.norm", &deep_rule(40), &mut opinio::io::FsLoader);
    let program = compiled.program.expect("compiles");
    let pretty = serde_json::to_string_pretty(&program).expect("serialises");
    let emitted: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(emitted, serde_json::from_str::<serde_json::Value>(&pretty).expect("JSON"));
    assert!(text(&out.stdout).lines().count() < pretty.lines().count());
    // A shallow program is written exactly as before.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = "tests/fixtures/cli/attribution.norm";
    let out = opinio(root, &["check", "--emit-ir", fixture]);
    let source = std::fs::read_to_string(root.join(fixture)).expect("the fixture");
    let compiled = opinio::compile(fixture, &source, &mut opinio::io::FsLoader);
    let program = compiled.program.expect("compiles");
    assert_eq!(text(&out.stdout), serde_json::to_string_pretty(&program).expect("serialises") + "\n");
}

#[test]
fn a_recursive_ring_evaluates() {
    // a_i if a_(i+1), a_(n-1) if base or a_0: the least fixpoint.
    let n = 2000;
    let mut norms = vec!["fact base: bool \"B.\"".to_string()];
    norms.extend((0..n).map(|i| format!("conclusion a{i}: bool \"A{i}.\"")));
    norms.extend((0..n - 1).map(|i| format!("rule r{i}\n  a{i} if a{}", i + 1)));
    norms.push(format!("rule r{}\n  a{} if base or a0", n - 1, n - 1));
    for (base, expected) in [("true", true), ("false", false)] {
        let dir = project(
            &format!("ring-{base}"),
            &[("ring.norm", norms.join("\n") + "\n"), ("i.toml", format!("[incident]\nname = \"x\"\n[facts]\nbase = {base}\n"))],
        );
        let out = opinio(&dir, &["eval", "ring.norm", "i.toml", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        for i in 0..n {
            assert_eq!(v["conclusions"][format!("a{i}")]["value"], expected, "a{i} with base = {base}");
        }
    }
}

#[test]
fn generated_theories_check_cleanly() {
    for (name, chain) in [("theory", false), ("chain", true)] {
        let file = format!("{name}.norm");
        let dir = project(name, &[(&file, generate::theory(1_000, chain))]);
        let out = opinio(&dir, &["check", &file]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "{name}: no diagnostic");
    }
}

/// Writes the generated theories of 1k, 10k and 100k rules, and the 100k
/// chain, into the directory `OPINIO_THEORY_DIR` (the temporary directory by
/// default) as `theory-N.norm` and `chain-N.norm`, for timing `opinio check`
/// by hand: `cargo test --release --test blowups -- --ignored --nocapture`.
#[test]
#[ignore = "writes files for timing by hand"]
fn write_generated_theories() {
    let dir = std::env::var_os("OPINIO_THEORY_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    for (name, n, chain) in [("theory", 1_000, false), ("theory", 10_000, false), ("theory", 100_000, false), ("chain", 100_000, true)] {
        let path = dir.join(format!("{name}-{n}.norm"));
        std::fs::write(&path, generate::theory(n, chain)).expect("a written theory");
        println!("{}", path.display());
    }
}
