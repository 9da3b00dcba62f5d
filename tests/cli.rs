//! The command line, tested through the real binary.

use std::process::{Command, Output};

fn opinio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opinio"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

const NORMS: &str = "tests/fixtures/cli/attribution.norm";
const INCIDENT: &str = "tests/fixtures/cli/incident.toml";
const FAULTY: &str = "tests/fixtures/cli/faulty.norm";

#[test]
fn check_accepts_valid_norms() {
    let out = opinio(&["check", NORMS]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn check_reports_faulty_norms_with_code_and_suggestion() {
    let out = opinio(&["check", FAULTY]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_faulty_human", text(&out.stderr));
    let out = opinio(&["--error-format", "plain", "check", FAULTY]);
    assert_eq!(text(&out.stderr), "tests/fixtures/cli/faulty.norm:7:19: error[E0201]: unknown name `state_directed_operaton`\n  help: did you mean `state_directed_operation`?\n");
}

#[test]
fn check_reports_json_errors() {
    let out = opinio(&["--error-format", "json", "check", FAULTY]);
    assert_eq!(out.status.code(), Some(1));
    let line = text(&out.stderr);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON object");
    assert_eq!(v["code"], "E0201");
    assert_eq!(v["primary"]["line"], 7);
    assert_eq!(v["help"], "did you mean `state_directed_operation`?");
}

#[test]
fn check_reports_a_missing_file() {
    let out = opinio(&["--error-format", "plain", "check", "no/such/file.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0701]: cannot read `no/such/file.norm`: no such file"));
}

#[test]
fn check_emits_ir() {
    let out = opinio(&["check", "--emit-ir", NORMS]);
    assert_eq!(out.status.code(), Some(0));
    let ir: serde_json::Value = serde_json::from_slice(&out.stdout).expect("IR as JSON");
    assert_eq!(ir["conclusions"][0]["name"], "attributable");
    assert_eq!(ir["rules"][1]["cites"][1], "ARSIWA art. 8");
    // The IR round-trips through serde.
    let _: opinio::ir::Program = serde_json::from_slice(&out.stdout).expect("deserialises");
}

#[test]
fn eval_prints_text() {
    let out = opinio(&["eval", NORMS, INCIDENT]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!("eval_text", text(&out.stdout));
}

#[test]
fn eval_prints_json() {
    let out = opinio(&["eval", NORMS, INCIDENT, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["conclusions"]["attributable"];
    assert_eq!(c["value"], serde_json::Value::Null);
    assert_eq!(c["rule"], serde_json::Value::Null);
    assert_eq!(c["settled_by"], serde_json::json!(["state_controlled_operation"]));
    assert!(c["cites"].is_array());
    insta::assert_snapshot!("eval_json", text(&out.stdout));
}

/// A position's results carry their proof, the burden that decided them and
/// the origin of the deciding rule.
#[test]
fn eval_json_gives_proof_burden_and_origin() {
    let position = "tests/fixtures/docs/position.norm";
    let out = opinio(&["eval", position, "tests/fixtures/cli/silent.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["conclusions"]["attributable"];
    assert_eq!(c["value"], serde_json::json!(false));
    assert_eq!(c["status"], "burden_not_met");
    assert_eq!(c["burden"], "victim_state");
    assert_eq!(c["proof"], "law");
    assert_eq!(c["settled_by"], serde_json::json!(["state_control", "state_funding"]));
    let tier = &v["conclusions"]["response_tier"];
    assert_eq!(tier["value"], "strengthen_defences");
    assert_eq!(tier["origin"], "base");
    let out = opinio(&["eval", position, "tests/fixtures/docs/incident.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["conclusions"]["attributable"];
    assert_eq!(
        (c["origin"].as_str(), c["proof"].as_str(), &c["burden"]),
        (Some("funding_suffices"), Some("reasonable_suspicion"), &serde_json::Value::Null)
    );
}

#[test]
fn eval_output_is_deterministic() {
    let a = opinio(&["eval", NORMS, INCIDENT, "--format", "json"]);
    let b = opinio(&["eval", NORMS, INCIDENT, "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn eval_reports_a_faulty_incident() {
    let dir = std::env::temp_dir().join(format!("opinio-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[incident]\nname = \"x\"\n\n[facts]\nstate_directed_operaton = true\nconducted_by_state_organ = \"yes\"\n")
        .unwrap();
    let out = opinio(&["--error-format", "plain", "eval", NORMS, path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(":5:1: error[E0502]: unknown fact `state_directed_operaton`"), "{err}");
    assert!(err.contains("help: did you mean `state_directed_operation`?"), "{err}");
    assert!(err.contains(":6:28: error[E0503]: `conducted_by_state_organ` must be true or false, not text"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(opinio(&["eval", NORMS]).status.code(), Some(2));
    assert_eq!(opinio(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(opinio(&["eval", NORMS, "incident.txt"]).status.code(), Some(2));
    assert_eq!(opinio(&["check", "--emit-ir", NORMS, NORMS]).status.code(), Some(2));
}

#[test]
fn no_colour_when_not_a_terminal() {
    let out = Command::new(env!("CARGO_BIN_EXE_opinio")).args(["check", FAULTY]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    assert!(!text(&out.stderr).contains('\u{1b}'), "escape codes in piped output");
}

const US: &str = "examples/positions/united_states.norm";
const FR: &str = "examples/positions/france.norm";

#[test]
fn compare_shows_the_matrix_divergences_and_their_causes() {
    // At a width of its own, whatever the terminal the tests run in.
    let out = Command::new(env!("CARGO_BIN_EXE_opinio"))
        .args(["compare", US, FR, "--incidents", "examples/scenarios", "--divergent-only"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("self_defence_permitted"), "{stdout}");
    // The cause, with its position's own result on the conclusion it
    // reaches (read as one run of words: lines wrap to the width).
    let words = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("United States adds `us_self_defence_against_non_state_actors` [4]: true on self_defence_permitted"),
        "{stdout}"
    );
    insta::assert_snapshot!("compare_table", stdout);
}

#[test]
fn compare_json_is_deterministic_and_names_causes() {
    let args = ["compare", US, FR, "--incidents", "examples/scenarios/non_state_armed_attack.toml", "--format", "json"];
    let (a, b) = (opinio(&args), opinio(&args));
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "two runs give byte-identical output");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["positions"], serde_json::json!(["united_states", "france"]));
    let rows = v["incidents"][0]["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["conclusion"] == "self_defence_permitted").unwrap();
    assert_eq!(row["divergent"], true);
    assert_eq!(row["cells"]["united_states"]["value"], true);
    assert_eq!(row["cells"]["france"]["value"], false);
    let causes: Vec<&str> = row["causes"].as_array().unwrap().iter().map(|c| c["target"].as_str().unwrap()).collect();
    assert!(causes.contains(&"us_self_defence_against_non_state_actors"), "{causes:?}");
    assert!(v["agreement"][0]["compared"].as_u64().unwrap() > 0);
}

#[test]
fn compare_writes_markdown_and_csv_to_a_file() {
    let dir = std::env::temp_dir().join(format!("opinio-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let md = dir.join("report.md");
    let out = opinio(&["compare", US, FR, "--incidents", "examples/scenarios", "--format", "markdown", "-o", md.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.starts_with("# Comparison of positions"), "{report}");
    assert!(report.contains("Where they part ways"));
    let out = opinio(&["compare", US, FR, "--incidents", "examples/scenarios", "--format", "csv", "--conclusion", "armed_attack"]);
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("incident,file,position,conclusion,value,status,rule,origin,proof,provenance,reading,divergent"));
    assert_eq!(lines.count(), 4, "two scenarios x two positions x one conclusion: {csv}");
    let leftovers: Vec<_> =
        std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compare_rejects_bad_arguments_with_a_clear_message() {
    let out = opinio(&["compare", US, FR, "--incidents", "examples/scenarios", "--conclusion", "armed_atack"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `armed_attack`?"), "{}", text(&out.stderr));
    let out = opinio(&["compare", US, "--incidents", "README.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("neither `.toml` nor `.json`"), "{}", text(&out.stderr));
    let out = opinio(&["compare", US, "--incidents", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("holds no `.toml` or `.json` incident file"), "{}", text(&out.stderr));
    let out = opinio(&["compare", FAULTY, US, "--incidents", "examples/scenarios"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error["), "{}", text(&out.stderr));
}

const DOCS_POSITION: &str = "tests/fixtures/docs/position.norm";

#[test]
fn explain_tells_the_derivation_in_prose() {
    let out = opinio(&["explain", DOCS_POSITION, "tests/fixtures/docs/incident.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("It follows from rule `funding` of the position `funding_suffices`"), "{stdout}");
    insta::assert_snapshot!("explain_text", stdout);
    let out = opinio(&["explain", DOCS_POSITION, "tests/fixtures/cli/silent.toml", "attributable", "--full"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Not established: the burden of proving it lies on `victim_state`"), "{stdout}");
    assert!(stdout.contains("Every rule of the conclusion:"), "{stdout}");
    insta::assert_snapshot!("explain_burden_full", stdout);
}

#[test]
fn explain_json_has_facts_with_sources_and_standards() {
    let out = opinio(&["explain", DOCS_POSITION, "tests/fixtures/docs/incident.toml", "attributable", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let c = &v["conclusions"][0];
    assert_eq!(c["conclusion"], "attributable");
    assert_eq!(c["rule"]["origin"], "funding_suffices");
    let f = &c["rule"]["facts"][0];
    assert_eq!(
        (f["fact"].as_str(), f["proof"].as_str(), f["source"].as_str()),
        (Some("state_funding"), Some("reasonable_suspicion"), Some("Government statement"))
    );
    let out = opinio(&["explain", DOCS_POSITION, "tests/fixtures/docs/incident.toml", "atributable"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `attributable`?"), "{}", text(&out.stderr));
}

#[test]
fn test_passes_and_fails_with_exit_codes() {
    let out = opinio(&["test", "tests/cases/eval/test-passing/main.test.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("\n3 passed, 0 failed\n"), "{}", text(&out.stdout));
    let out = opinio(&["test", "tests/cases/eval/test-failing/main.test.norm"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("test_failing", text(&out.stdout));
    let out = opinio(&["test", "tests/cases/eval/test-passing/main.test.norm", "--filter", "inline"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("\n1 passed, 0 failed\n"), "{}", text(&out.stdout));
    let out = opinio(&["test", "tests/cases/no-such-dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: no such file or directory: `tests/cases/no-such-dir`\n");
}

#[test]
fn test_writes_junit() {
    let dir = std::env::temp_dir().join(format!("opinio-junit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junit = dir.join("report.xml");
    let out = opinio(&["test", "tests/cases/eval/test-failing/main.test.norm", "--junit", junit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<testsuite name=\"failing\"")
            && xml.contains("<failure message=\"expected gravity = low\""),
        "{xml}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The scholar's loop: a rule of a position changes, `opinio test` fails
/// naming the incidents and conclusions that changed, `--bless` accepts the
/// new outputs, and the next run passes. Nothing else is written.
#[test]
fn test_golden_change_bless_and_pass() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("opinio-bless-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("incidents")).unwrap();
    std::fs::copy(root.join("examples/positions/france.norm"), dir.join("france.norm")).unwrap();
    for i in ["stuxnet.toml", "notpetya.json", "wannacry_2017.toml"] {
        std::fs::copy(root.join("examples/incidents").join(i), dir.join("incidents").join(i)).unwrap();
    }
    std::fs::write(
        dir.join("france.test.norm"),
        "suite france \"France on three incidents\"\n  position \"france.norm\"\n  incident \"incidents\"\n\ngolden derivations \"France's evaluation\"\n  into \"golden\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_opinio")).args(args).current_dir(&dir).env("NO_COLOR", "1").output().expect("the binary runs")
    };
    // Never blessed: every golden file is missing, with a coded diagnostic.
    let out = run(&["--error-format", "plain", "test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0805]: no golden file `golden/france/notpetya.txt`"), "{}", text(&out.stderr));
    let out = run(&["test", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("3 passed, 0 failed, 3 golden files written\n"), "{}", text(&out.stdout));
    let out = run(&["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // France's armed attack no longer counts physical damage to property.
    let norms = std::fs::read_to_string(dir.join("france.norm")).unwrap();
    let edited = norms.replacen("            or property_destroyed\n", "", 1);
    assert_ne!(norms, edited);
    std::fs::write(dir.join("france.norm"), edited).unwrap();
    let out = run(&["test"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("test_golden_changed", text(&out.stdout));
    let out = run(&["test", "--bless"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("updated golden/france/stuxnet.txt"), "{}", text(&out.stdout));
    let out = run(&["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine\n");
    let mut files: Vec<String> =
        std::fs::read_dir(dir.join("golden/france")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    files.sort();
    assert_eq!(files, ["notpetya.txt", "stuxnet.txt", "wannacry_2017.txt"], "no temporary file left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_checks_and_rewrites_only_what_parses() {
    let dir = std::env::temp_dir().join(format!("opinio-fmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let messy = dir.join("messy.norm");
    let broken = dir.join("broken.norm");
    std::fs::write(&messy, "module messy\n# keep me\nfact a:bool \"A.\"  conclusion b : bool \"B.\"\nrule r cites \"X\" b if a # and me\n")
        .unwrap();
    std::fs::write(&broken, "module broken\nrule r b if\n").unwrap();
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_opinio")).args(args).current_dir(&dir).env("NO_COLOR", "1").output().unwrap();
    let out = run(&["--error-format", "plain", "fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "would reformat messy.norm\n");
    assert!(text(&out.stderr).starts_with("broken.norm:3:1: error[E0101]"), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&messy).unwrap().contains("fact a:bool"), "--check writes nothing");
    let out = run(&["fmt", "messy.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "module messy\n# keep me\nfact a: bool\n  \"A.\"\nconclusion b: bool\n  \"B.\"\nrule r\n  cites \"X\"\n  b\n    if a # and me\n"
    );
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "module broken\nrule r b if\n", "a file that does not parse is left alone");
    let out = run(&["fmt", "--check", "messy.norm"]);
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_coverage_names_what_never_fired() {
    let out = opinio(&["test", "examples/tests/france.test.norm", "--coverage"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let coverage = &stdout[stdout.find("coverage over").expect("a coverage report")..];
    insta::assert_snapshot!("test_coverage", coverage);
}

#[test]
fn check_accepts_test_files() {
    let out = opinio(&["check", "examples/tests/france.test.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let out = opinio(&["--error-format", "plain", "check", "tests/cases/diagnostics/E0802-unknown-expected-conclusion/main.test.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0802]: `attribution_case` has no conclusion `atributable`"), "{}", text(&out.stderr));
}

/// A scratch directory for one test, removed when dropped: everything a
/// test of the file system writes stays inside it.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.0.join(rel)
    }

    /// Writes a file, creating its directory.
    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Runs the binary in a directory of the scratch directory.
    fn run(&self, dir: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_opinio"))
            .args(["--error-format", "plain"])
            .args(args)
            .current_dir(self.path(dir))
            .env("NO_COLOR", "1")
            .output()
            .expect("the binary runs")
    }

    /// Every file below the directory, relative to it, sorted.
    fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self.0.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let kind = e.file_type().unwrap();
                if kind.is_dir() {
                    stack.push(e.path());
                } else {
                    out.push(e.path().strip_prefix(&self.0).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        out.sort();
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SMALL_NORMS: &str = "module small\n\nfact a: bool\n  \"A.\"\nconclusion c: bool\n  \"C.\"\n\nrule r\n  cites \"X\"\n  c\n    if a\n";
const SMALL_INCIDENT: &str = "{\n  \"incident\": { \"name\": \"An operation\" },\n  \"facts\": { \"a\": true }\n}\n";

/// F06: `into` outside the test file's directory, and a golden file that
/// would be an input of the run, are refused (E0801): nothing is written
/// outside, no input is replaced, with or without `--bless`.
#[test]
fn bless_never_writes_outside_or_over_an_input() {
    let s = Scratch::new("bless-outside");
    s.write("proj/norms.norm", SMALL_NORMS);
    s.write("proj/incidents.norm", &SMALL_NORMS.replace("module small", "module incidents"));
    s.write("proj/incidents/op.json", SMALL_INCIDENT);
    let outside = s.path("OUTSIDE_ABSOLUTE");
    s.write(
        "proj/outside.test.norm",
        &format!(
            "suite s \"S\"\n  position \"norms.norm\"\n  incident \"incidents/op.json\"\n\ngolden absolute \"A\"\n  into \"{}\"\n\ngolden relative \"R\"\n  into \"../OUTSIDE_RELATIVE\"\n",
            outside.display()
        ),
    );
    s.write(
        "proj/clobber.test.norm",
        "suite s \"S\"\n  position \"incidents.norm\"\n  incident \"incidents/op.json\"\n\ngolden g \"G\"\n  output json\n  into \".\"\n",
    );
    let before = s.files();
    for args in [&["test", "outside.test.norm", "--bless"][..], &["test", "clobber.test.norm", "--bless"], &["test", "."]] {
        let out = s.run("proj", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains("error[E0801]"), "{}", text(&out.stderr));
    }
    let out = s.run("proj", &["test", "outside.test.norm"]);
    assert!(text(&out.stderr).contains("outside.test.norm:6:8: error[E0801]: `into \""), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("` leaves the test file's directory"), "{}", text(&out.stderr));
    let out = s.run("proj", &["test", "clobber.test.norm"]);
    assert!(
        text(&out.stderr).contains("error[E0801]: `golden g` would write `incidents/op.json`, which is an incident file of this run"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(s.files(), before, "nothing written");
    assert_eq!(s.read("proj/incidents/op.json"), SMALL_INCIDENT);
}

/// F06: a file that is not a golden file is never overwritten, and a
/// position name `..` (a file `...norm` without a `module` line) cannot
/// make a golden file climb out of `into`.
#[test]
fn bless_never_overwrites_a_file_it_did_not_write() {
    let s = Scratch::new("bless-foreign");
    s.write("norms.norm", SMALL_NORMS);
    s.write("...norm", "fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  cites \"X\"\n  c if a\n");
    s.write("incidents/op.json", SMALL_INCIDENT);
    s.write("golden/small/op.txt", "my notes\n");
    s.write(
        "t/a.test.norm",
        "suite s \"S\"\n  position \"../norms.norm\"\n  incident \"../incidents\"\n\ngolden g \"G\"\n  into \"../golden\"\n",
    );
    s.write("g.test.norm", "suite s \"S\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden g \"G\"\n  into \"golden\"\n");
    s.write(
        "dots/d.test.norm",
        "suite s \"S\"\n  position \"../...norm\"\n  incident \"../incidents\"\n\ngolden g \"G\"\n  into \"golden\"\n",
    );
    let before = s.files();
    let out = s.run("", &["test", "g.test.norm", "dots/d.test.norm", "--bless"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error[E0801]: `golden g` would write `golden/small/op.txt`, an existing file that is not a golden file"),
        "{stderr}"
    );
    assert!(stderr.contains("error[E0801]: the position name `..` cannot name a directory of golden files"), "{stderr}");
    assert_eq!(s.files(), before);
    assert_eq!(s.read("golden/small/op.txt"), "my notes\n");
    // Once the file is moved away, blessing writes the golden file, and the
    // next run passes; a golden file is overwritten when it changed.
    std::fs::remove_file(s.path("golden/small/op.txt")).unwrap();
    let out = s.run("", &["test", "g.test.norm", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let golden = s.read("golden/small/op.txt");
    s.write("golden/small/op.txt", &golden.replace("c = true", "c = false"));
    let out = s.run("", &["test", "g.test.norm", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(s.read("golden/small/op.txt"), golden);
}

/// F14: two test files of one run writing one golden file are an error
/// naming both, and `--bless` converges.
#[test]
fn two_test_files_writing_one_golden_file_are_an_error() {
    let s = Scratch::new("golden-collision");
    s.write("norms.norm", SMALL_NORMS);
    s.write("incidents/op.json", SMALL_INCIDENT);
    s.write(
        "a.test.norm",
        "suite a \"A\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden g \"G\"\n  output eval\n  into \"golden\"\n",
    );
    s.write(
        "b.test.norm",
        "suite b \"B\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden h \"H\"\n  output explain\n  into \"golden\"\n",
    );
    let out = s.run("", &["test", "--bless"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("b.test.norm:7:8: error[E0801]: `golden h` would write `golden/small/op.txt`, as `golden g` of `a.test.norm` does"),
        "{}",
        text(&out.stderr)
    );
    let first = s.read("golden/small/op.txt");
    assert!(first.starts_with("norms:    small\n"), "{first}");
    let out = s.run("", &["test", "--bless"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(s.read("golden/small/op.txt"), first, "the second test file never overwrites the first one's file");
    // Named twice, one test file runs once.
    let out = s.run("", &["test", "a.test.norm", "a.test.norm", "."]);
    assert_eq!(text(&out.stdout).matches("a.test.norm (suite a)").count(), 1, "{}", text(&out.stdout));
}

/// F07: links to directories are not followed by `test` and `fmt` walks,
/// nor by the check for stale golden files; a link to a file is not run
/// twice.
#[cfg(unix)]
#[test]
fn walks_do_not_follow_links_to_directories() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new("symlink-loops");
    s.write("norms.norm", SMALL_NORMS);
    s.write("incidents/op.json", SMALL_INCIDENT);
    s.write("g.test.norm", "suite s \"S\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden g \"G\"\n  into \"golden\"\n");
    let out = s.run("", &["test", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for (link, target) in [("golden/up1", ".."), ("golden/up2", ".."), ("golden/small/self", "."), ("sub/a", ".."), ("sub/b", "..")] {
        std::fs::create_dir_all(s.path(link).parent().unwrap()).unwrap();
        symlink(target, s.path(link)).unwrap();
    }
    symlink("g.test.norm", s.path("sub/link.test.norm")).unwrap();
    let out = s.run("", &["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "no stale golden file: {}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("\n1 passed, 0 failed\n"), "{}", text(&out.stdout));
    let out = s.run("", &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

/// F08: `fmt` writes through a link (the link stays a link), keeps a
/// file's permissions, and refuses a read-only file (E0701, exit 1) while
/// formatting the others.
#[cfg(unix)]
#[test]
fn fmt_writes_through_links_and_keeps_permissions() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let s = Scratch::new("fmt-links");
    let messy = "fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  c   if    a\n";
    for f in ["real.norm", "readonly.norm", "private.norm"] {
        s.write(f, messy);
    }
    let mode = |f: &str| std::fs::metadata(s.path(f)).unwrap().permissions().mode() & 0o777;
    std::fs::set_permissions(s.path("readonly.norm"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(s.path("private.norm"), std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink("real.norm", s.path("link.norm")).unwrap();
    let out = s.run("", &["fmt", "link.norm", "readonly.norm", "private.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "readonly.norm:1:1: error[E0701]: cannot write `readonly.norm`: the file is read-only\n  help: make the file and its directory writable, or leave it: the file was left as it was\n"
    );
    assert_eq!(text(&out.stdout), "reformatted link.norm\nreformatted private.norm\n");
    assert!(std::fs::symlink_metadata(s.path("link.norm")).unwrap().file_type().is_symlink());
    assert!(s.read("real.norm").ends_with("\n  c\n    if a\n"), "{}", s.read("real.norm"));
    assert_eq!(s.read("readonly.norm"), messy);
    assert_eq!((mode("readonly.norm"), mode("private.norm")), (0o444, 0o600));
    assert_eq!(s.files(), ["link.norm", "private.norm", "readonly.norm", "real.norm"], "no temporary file left");
}

/// F11: a write that fails part-way (here the file-size limit, as a full
/// disk would) leaves no temporary file and the old file whole; `fmt` says
/// E0701, goes on and exits 1; the test summary says the golden file could
/// not be written; a temporary file left by a killed run is reported.
#[cfg(unix)]
#[test]
fn a_failed_write_leaves_nothing_behind() {
    if !std::path::Path::new("/bin/sh").exists() {
        eprintln!("skipped: no /bin/sh");
        return;
    }
    let s = Scratch::new("write-fails");
    let messy = "fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  c   if    a\n";
    s.write("x.norm", messy);
    s.write("y.norm", messy);
    s.write("norms.norm", SMALL_NORMS);
    s.write("incidents/op.json", SMALL_INCIDENT);
    s.write("g.test.norm", "suite s \"S\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden g \"G\"\n  into \"golden\"\n");
    let out = s.run("", &["test", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let golden = s.read("golden/small/op.txt");
    s.write("golden/small/op.txt", &golden.replace("c = true", "c = false"));
    // No file may grow past 0 bytes; the signal is ignored, so the write fails.
    let limited = |args: &str| {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(format!("trap '' XFSZ; ulimit -f 0; exec \"$0\" --error-format plain {args}"))
            .arg(env!("CARGO_BIN_EXE_opinio"))
            .current_dir(&s.0)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let before = s.files();
    let out = limited("fmt x.norm y.norm");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("x.norm:1:1: error[E0701]: cannot write `x.norm`: "), "{stderr}");
    assert!(stderr.contains("y.norm:1:1: error[E0701]: cannot write `y.norm`: "), "{stderr}");
    assert_eq!((s.read("x.norm"), s.read("y.norm")), (messy.to_string(), messy.to_string()));
    let out = limited("test --bless");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0701]: cannot write the golden file `golden/small/op.txt`: "), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("the golden file could not be written"), "{}", text(&out.stdout));
    let out = limited("test --junit report.xml");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0701]: cannot write the JUnit report `report.xml`: "), "{}", text(&out.stderr));
    assert_eq!(s.files(), before, "no temporary file left, nothing replaced");
    assert_eq!(s.read("golden/small/op.txt"), golden.replace("c = true", "c = false"));
    // A temporary file of a killed run is reported.
    s.write("golden/small/.op.txt.opinio-4242.tmp", "");
    let out = s.run("", &["test"]);
    assert!(
        text(&out.stderr).contains(
            "warning[W0806]: `golden/small/.op.txt.opinio-4242.tmp` is a temporary file left by an interrupted `opinio test --bless`"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// F12: a golden file checked out with CRLF line endings is the same file.
#[test]
fn golden_files_compare_without_line_endings() {
    let s = Scratch::new("golden-crlf");
    s.write("norms.norm", SMALL_NORMS);
    s.write("incidents/op.json", SMALL_INCIDENT);
    s.write("g.test.norm", "suite s \"S\"\n  position \"norms.norm\"\n  incident \"incidents\"\n\ngolden g \"G\"\n  into \"golden\"\n");
    let out = s.run("", &["test", "--bless"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let crlf = s.read("golden/small/op.txt").replace('\n', "\r\n");
    s.write("golden/small/op.txt", &crlf);
    let out = s.run("", &["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = s.run("", &["test", "--bless"]);
    assert!(text(&out.stdout).ends_with("\n1 passed, 0 failed\n"), "nothing to write: {}", text(&out.stdout));
    assert_eq!(s.read("golden/small/op.txt"), crlf);
}

/// `opinio test` with no path, in this repository, runs the project's
/// tests (`opinio.toml`), not the cases of opinio's own suite that fail on
/// purpose, and passes.
#[test]
fn test_with_no_path_runs_the_projects_tests() {
    let out = opinio(&["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("examples/tests/"), "{stdout}");
    assert!(stdout.lines().last().unwrap().ends_with(" passed, 0 failed"), "{stdout}");
    assert!(!stdout.contains("tests/cases"), "{stdout}");
}

/// The project file: `roots` for `opinio test` with no path (from any
/// directory below it), `exclude` for searches; a bad one is E0808. The
/// summary counts what failed.
#[test]
fn the_project_file_chooses_what_test_runs() {
    let s = Scratch::new("project-file");
    s.write("norms.norm", SMALL_NORMS);
    s.write(
        "suite/ok.test.norm",
        "suite ok \"OK\"\n  position \"../norms.norm\"\n\ntest t \"T\"\n  facts\n    a = true\n  expect c = true\n",
    );
    s.write(
        "suite/fixtures/bad.test.norm",
        "suite bad \"Bad\"\n  position \"../../norms.norm\"\n\ntest t \"T\"\n  facts\n    a = true\n  expect c = false\n",
    );
    s.write(
        "suite/fixtures/broken.test.norm",
        "suite broken \"Broken\"\n  position \"nowhere.norm\"\n\ntest t \"T\"\n  facts\n    a = true\n  expect c = false\n",
    );
    s.write("opinio.toml", "[test]\nroots = [\"suite\"]\nexclude = [\"suite/fixtures\"]\n");
    s.write("docs/readme.md", "\n");
    let out = s.run("", &["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "suite/ok.test.norm (suite ok): 1 passed, 0 failed\n\n1 passed, 0 failed\n");
    let out = s.run("docs", &["test"]);
    assert_eq!(text(&out.stdout), "../suite/ok.test.norm (suite ok): 1 passed, 0 failed\n\n1 passed, 0 failed\n");
    let out = s.run("", &["test", "suite/fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: no test file (`*.test.norm`) under `suite/fixtures` that `opinio.toml` does not exclude\n");
    // Named, an excluded file runs; the summary counts failures and errors.
    let out = s.run("", &["test", "suite/fixtures/bad.test.norm", "suite/fixtures/broken.test.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).ends_with("\n0 passed, 1 failed, 1 error in 1 test file\n"), "{}", text(&out.stdout));
    s.write("opinio.toml", "[test]\nroots = [\"suite\", \"gone\"]\n");
    let out = s.run("docs", &["test"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "../opinio.toml:2:19: error[E0808]: `gone` in `roots` does not exist\n  help: paths in the project file are relative to its directory\n"
    );
}

/// `compare -o` and `test --junit` write like `fmt`: through a link, and
/// never over a read-only file (E0701, exit 1).
#[cfg(unix)]
#[test]
fn outputs_are_written_through_links_and_never_over_read_only_files() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let s = Scratch::new("outputs");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (norms, incident) = (root.join(NORMS), root.join(INCIDENT));
    let (norms, incident) = (norms.to_str().unwrap(), incident.to_str().unwrap());
    s.write("locked.md", "mine\n");
    std::fs::set_permissions(s.path("locked.md"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = s.run("", &["compare", norms, "--incidents", incident, "--format", "markdown", "-o", "locked.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "locked.md:1:1: error[E0701]: cannot write `locked.md`: the file is read-only\n  help: make the file and its directory writable, or leave it: the file was left as it was\n"
    );
    assert_eq!(s.read("locked.md"), "mine\n");
    s.write("reports/real.md", "old\n");
    symlink("reports/real.md", s.path("link.md")).unwrap();
    let out = s.run("", &["compare", norms, "--incidents", incident, "--format", "markdown", "-o", "link.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(s.path("link.md")).unwrap().file_type().is_symlink());
    assert_ne!(s.read("reports/real.md"), "old\n");
    assert_eq!(s.files(), ["link.md", "locked.md", "reports/real.md"]);
}

/// The summary counts everything that makes a run fail: failed cases,
/// cases that could not run, and errors (a test file with a syntax error
/// has no case at all).
#[test]
fn the_summary_counts_what_made_the_run_fail() {
    let out = opinio(&[
        "test",
        "tests/cases/syntax/test-file-syntax/main.test.norm",
        "tests/cases/diagnostics/E0805-missing-golden/main.test.norm",
        "tests/cases/eval/test-failing/main.test.norm",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).ends_with("\n0 passed, 3 failed, 1 could not run, 2 errors in 2 test files\n"), "{}", text(&out.stdout));
    let out = opinio(&["test", "tests/cases/syntax/test-file-syntax/main.test.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).ends_with("\n0 passed, 0 failed, 1 error in 1 test file\n"), "{}", text(&out.stdout));
}

/// A position's removal of a rule is said, with its citation, where the
/// conclusion is shown (issue 13, point 3).
#[test]
fn a_removed_rule_is_named_with_its_citation() {
    let args = ["explain", "examples/positions/united_kingdom.norm", "examples/incidents/notpetya.json", "due_diligence"];
    let out = opinio(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explained = text(&out.stdout);
    assert!(explained.contains("No rule gives it: the position removes rules that concluded it"), "{explained}");
    assert!(
        explained.contains(
            "The position `united_kingdom` removes `knowing_use_of_territory` in its statement uk_2021 (2021-06-03) (United Kingdom, "
        ),
        "{explained}"
    );
    let out = opinio(&["explain", "--format", "json", args[1], args[2], args[3]]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let removed = &json["conclusions"][0]["removed"];
    assert_eq!(removed[0]["position"], "united_kingdom");
    assert_eq!(removed[0]["rule"], "knowing_use_of_territory");
    let out = opinio(&["eval", args[1], args[2]]);
    assert!(text(&out.stdout).contains("  removed by position `united_kingdom` in wright_2018 (2018-05-23): `tallinn_rule_4` ("));
}

/// `--as-of` takes a position as it stood on a day: the changes of its later
/// statements are left out, in eval, explain and compare alike.
#[test]
fn as_of_takes_positions_as_they_stood() {
    let norms = "tests/cases/eval/statements_latest/main.norm";
    let incident = "tests/cases/eval/statements_latest/incident.toml";
    let latest = text(&opinio(&["eval", norms, incident]).stdout);
    assert!(latest.contains("use_of_force = false"), "{latest}");
    let then = opinio(&["eval", norms, incident, "--as-of", "incident"]);
    assert_eq!(then.status.code(), Some(0), "{}", text(&then.stderr));
    let then = text(&then.stdout);
    assert!(then.contains("as of:    2020-01-15") && then.contains("use_of_force = true"), "{then}");
    assert!(then.contains("sovereignty_breach = false"), "the 2018 statement applies on 2020-01-15:\n{then}");
    let before = text(&opinio(&["explain", norms, incident, "sovereignty_breach", "--as-of", "2017-12-31"]).stdout);
    assert!(before.contains("sovereignty_breach = true") && before.contains("as they stood on 2017-12-31"), "{before}");
    let explained = text(&opinio(&["explain", norms, incident, "sovereignty_breach"]).stdout);
    assert!(explained.contains("in its statement speech_2018 (2018-05-23)"), "explain names the statement:\n{explained}");
    let compared = opinio(&["compare", norms, "--incidents", incident, "--as-of", "incident", "--format", "csv"]);
    assert_eq!(compared.status.code(), Some(0), "{}", text(&compared.stderr));
    assert!(text(&compared.stdout).contains("use_of_force,true"), "{}", text(&compared.stdout));
    let bad = opinio(&["eval", norms, incident, "--as-of", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2), "a bad --as-of is a usage error");
    assert!(text(&bad.stderr).contains("neither a date"), "{}", text(&bad.stderr));
}

/// `--as-of incident` on an incident that gives no date is an error that
/// says so (E0504), not a silent "latest".
#[test]
fn as_of_incident_needs_a_date() {
    let dir = std::env::temp_dir().join(format!("opinio-as-of-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let incident = dir.join("undated.toml");
    std::fs::write(&incident, "[incident]\nname = \"Undated\"\n\n[facts]\nintrusion = true\n").unwrap();
    let out = opinio(&["eval", "tests/cases/eval/statements_latest/main.norm", incident.to_str().unwrap(), "--as-of", "incident"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("E0504") && err.contains("`--as-of incident` needs the incident's date"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Every compare format says whether a position states a result or
/// inherits it by silence, and an open question shows as open with who
/// leaves it open and its citation (issue 13).
#[test]
fn compare_marks_stated_inherited_and_open() {
    let base = ["compare", "examples/positions/germany.norm", "examples/positions/japan.norm", "examples/positions/france.norm"];
    let incident = "examples/scenarios/collective_countermeasures.toml";
    let run = |format: &str| {
        let mut args = base.to_vec();
        args.extend([
            "--incidents",
            incident,
            "--conclusion",
            "countermeasures_permitted",
            "--conclusion",
            "attributable",
            "--format",
            format,
        ]);
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("JSON");
    let rows = &json["incidents"][0]["rows"];
    let row = |name: &str| rows.as_array().unwrap().iter().find(|r| r["conclusion"] == name).unwrap().clone();
    let cm = row("countermeasures_permitted");
    assert_eq!(cm["cells"]["germany"]["text"], "open");
    assert_eq!(cm["cells"]["germany"]["provenance"], "stated");
    assert_eq!(cm["cells"]["germany"]["open_questions"][0]["origin"], "germany");
    assert!(cm["cells"]["germany"]["open_questions"][0]["cites"][0].as_str().unwrap().starts_with("Germany, On the Application"));
    assert_eq!(cm["cells"]["japan"]["text"], "open", "Japan is silent: the base's open question");
    assert_eq!(cm["cells"]["japan"]["provenance"], "inherited");
    assert_eq!(cm["cells"]["france"]["text"], "false");
    assert_eq!(cm["cells"]["france"]["provenance"], "stated");
    assert_eq!(row("attributable")["cells"]["japan"]["provenance"], "inherited");
    let csv = run("csv");
    assert!(csv.lines().any(|l| l.contains(",japan,countermeasures_permitted,open,open,") && l.contains(",inherited,")), "{csv}");
    assert!(csv.lines().any(|l| l.contains(",germany,countermeasures_permitted,open,open,") && l.contains(",stated,")), "{csv}");
    let html = run("html");
    assert!(html.contains(">open*?<") && html.contains(">open~<"), "the HTML marks stated and inherited cells");
    let table = run("table");
    assert!(table.contains("open*?") && table.contains("open~") && table.contains("false*"), "{table}");
}

/// `eval --format json` of a position on an incident file, as JSON, with
/// the marks of the changes left out.
fn eval_json(incident: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["eval", "examples/positions/united_states.norm", incident, "--format", "json"];
    args.extend(extra);
    let out = opinio(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json.as_object_mut().unwrap().remove("changed");
    json
}

#[test]
fn set_and_unset_give_what_the_changed_file_gives() {
    // Stuxnet with deaths set to 12 (its evidence kept) and property destroyed
    // unknown, on the command line and in a copy of the file.
    let original = std::fs::read_to_string("examples/incidents/stuxnet.toml").unwrap();
    let mut incident: toml::Table = original.parse().unwrap();
    let facts = incident["facts"].as_table_mut().unwrap();
    facts["deaths"].as_table_mut().unwrap().insert("value".into(), toml::Value::Integer(12));
    facts.remove("property_destroyed");
    let dir = std::env::temp_dir().join(format!("opinio-set-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let changed = dir.join("stuxnet.toml");
    std::fs::write(&changed, toml::to_string(&incident).unwrap()).unwrap();
    let by_hand = eval_json(changed.to_str().unwrap(), &[]);
    let _ = std::fs::remove_dir_all(&dir);
    let set = eval_json("examples/incidents/stuxnet.toml", &["--set", "deaths=12", "--unset", "property_destroyed"]);
    assert_eq!(set, by_hand);
    assert_ne!(set, eval_json("examples/incidents/stuxnet.toml", &[]), "the changes change something");
    // The outputs say what was changed.
    let out = opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--set", "deaths=12"]);
    assert!(text(&out.stdout).contains("changed:  deaths = 12 (--set)"), "{}", text(&out.stdout));
    let out = opinio(&[
        "explain",
        "examples/positions/united_states.norm",
        "examples/incidents/stuxnet.toml",
        "armed_attack",
        "--unset",
        "deaths",
    ]);
    assert!(text(&out.stdout).contains("changed: deaths unknown (--unset)"), "{}", text(&out.stdout));
    let out = opinio(&[
        "eval",
        "examples/positions/united_states.norm",
        "examples/incidents/stuxnet.toml",
        "--format",
        "json",
        "--set",
        "deaths=12",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["changed"], serde_json::json!([{ "fact": "deaths", "value": "12" }]));
}

#[test]
fn a_faulty_set_is_reported_at_its_argument() {
    let out = opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--set", "deathz=12"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0502") && stderr.contains("--set deathz=12") && stderr.contains("did you mean `deaths`?"), "{stderr}");
    let out = opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--set", "deaths=many"]);
    assert!(text(&out.stderr).contains("E0503") && text(&out.stderr).contains("must be a number"), "{}", text(&out.stderr));
    // A path of tables made for a value points at the argument too.
    let out = opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--set", "x.y=1"]);
    assert!(text(&out.stderr).contains("E0502") && text(&out.stderr).contains("--set x.y=1"), "{}", text(&out.stderr));
    // A fact made unknown must be declared: no silent change of nothing.
    let out =
        opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--unset", "territorial_state.nope"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0502") && stderr.contains("--unset territorial_state.nope"), "{stderr}");
    assert!(stderr.contains("did you mean `territorial_state.knew`?"), "{stderr}");
    let out = opinio(&["eval", "examples/positions/united_states.norm", "examples/incidents/stuxnet.toml", "--set", "deaths"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not FACT=VALUE"), "{}", text(&out.stderr));
}

/// The summary of `compare`: every position in exactly one camp per
/// question (or none, lacking the conclusion), camps largest first, and each
/// question dividing the positions on the incidents it names.
#[test]
fn compare_summary_puts_each_position_in_one_camp() {
    let out = opinio(&["compare", US, FR, "examples/positions/china.norm", "--incidents", "examples/incidents", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("JSON");
    assert_eq!(json["titles"], serde_json::json!(["United States", "France", "China"]));
    let questions = json["summary"]["questions"].as_array().expect("questions");
    assert!(questions.len() >= 5, "{questions:?}");
    for q in questions {
        let camps = q["camps"].as_array().unwrap();
        assert!(camps.len() >= 2, "a question divides: {q}");
        let sizes: Vec<usize> = camps.iter().map(|c| c["positions"].as_array().unwrap().len()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {q}");
        let mut members: Vec<u64> =
            camps.iter().flat_map(|c| c["positions"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap())).collect();
        members.sort_unstable();
        assert_eq!(members, vec![0, 1, 2], "each position in one camp: {q}");
        for (p, stance) in q["stances"].as_array().unwrap().iter().enumerate() {
            let camp = &camps[stance["camp"].as_u64().unwrap() as usize];
            assert!(camp["positions"].as_array().unwrap().contains(&serde_json::json!(p)));
        }
        for i in q["incidents"].as_array().unwrap() {
            let rows = json["incidents"][i.as_u64().unwrap() as usize]["rows"].as_array().unwrap();
            assert!(rows.iter().any(|r| r["conclusion"] == q["conclusion"] && r["divergent"] == true), "{q}");
        }
    }
}

/// `--format csl-json` and `bibtex` export the HTML report's bibliography:
/// the same entries, in the same order.
#[test]
fn compare_exports_the_reports_bibliography() {
    let run = |format: &str| {
        let out = opinio(&["compare", US, FR, "--incidents", "examples/incidents", "--divergent-only", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let csl: serde_json::Value = serde_json::from_str(&run("csl-json")).expect("CSL-JSON");
    let items = csl.as_array().expect("an array");
    let html = run("html");
    let entries: Vec<&str> = html.split("<li id=\"ref-").skip(1).collect();
    assert_eq!(items.len(), entries.len(), "one item per entry of the bibliography");
    assert!(items.len() > 5);
    for (k, item) in items.iter().enumerate() {
        assert_eq!(item["id"], format!("opinio-{}", k + 1));
        assert!(item["title"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let bibtex = run("bibtex");
    assert_eq!(bibtex.matches("@misc{opinio").count(), items.len());
    // France's paper is one entry, its sections pinpoints of it.
    assert!(items
        .iter()
        .any(|i| i["title"]
            == "France, Ministry of the Armed Forces, International Law Applied to Operations in Cyberspace, 9 September 2019"));
}

/// `compare -o` never writes over a file it reads: a position, an incident,
/// or a position extended by path; the file is left as it was.
#[test]
fn compare_refuses_to_write_over_a_file_it_reads() {
    let dir = std::env::temp_dir().join(format!("opinio-compare-o-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let position = dir.join("mine.norm");
    let france = std::fs::canonicalize(FR).unwrap();
    std::fs::write(&position, format!("position mine \"Mine\"\n  extends \"{}\"\n  cites \"A paper\"\n", france.display())).unwrap();
    let incident = "examples/incidents/stuxnet.toml";
    let before: Vec<String> = [FR, incident].iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let mine = position.to_string_lossy().to_string();
    for (target, positions) in [(FR, vec![FR]), (incident, vec![US]), (FR, vec![mine.as_str()]), (mine.as_str(), vec![mine.as_str(), US])] {
        let mut args = vec!["compare"];
        args.extend(&positions);
        args.extend(["--incidents", incident, "--format", "html", "-o", target]);
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("a file this command reads"), "{}", text(&out.stderr));
    }
    let after: Vec<String> = [FR, incident].iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    assert_eq!(before, after, "nothing read was written over");
    std::fs::remove_dir_all(&dir).ok();
}
