//! The open vocabulary, through the real binary: an incident giving a fact
//! that only one position declares is read under every position of a
//! `compare` run (the fact ignored, with a note, under the others); a
//! position in another directory extends a shipped one by path; shared
//! vocabulary comes from a standard library directory (`--stdlib`,
//! `OPINIO_STDLIB`, `[stdlib] path`) or from a module next to the positions,
//! without rebuilding opinio.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = "tests/fixtures/vocab/elsewhere/france_disclosed.norm";
const INCIDENT: &str = "tests/fixtures/vocab/incident.toml";
const SHARED_INCIDENT: &str = "tests/fixtures/vocab/shared_incident.toml";
const FACT: &str = "operation_publicly_disclosed";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn opinio_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opinio"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1").env_remove("OPINIO_STDLIB");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the binary runs")
}

fn opinio(args: &[&str]) -> Output {
    opinio_in(root(), args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Every shipped position, sorted.
fn shipped() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples/positions"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the shipped positions: {files:?}");
    files
}

/// The names of the shipped positions (their `position` lines), in file order.
fn shipped_names() -> Vec<String> {
    shipped()
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(root().join(f)).unwrap();
            let line = text.lines().find(|l| l.starts_with("position ")).expect("a position line");
            line["position ".len()..].split_whitespace().next().unwrap_or("").to_string()
        })
        .collect()
}

fn compare_all(extra: &[&str], incident: &str, format: &str) -> Output {
    let files = shipped();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend(extra);
    args.extend(["--incidents", incident, "--format", format]);
    opinio(&args)
}

/// A directory of its own for a test, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-vocab-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_incident_giving_a_fact_of_one_position_evaluates_under_every_shipped_position() {
    let out = compare_all(&[FIXTURE], INCIDENT, "json");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names = shipped_names();
    let mut positions = names.clone();
    positions.push("france_disclosed".into());
    assert_eq!(json["positions"], serde_json::json!(positions));
    let incident = &json["incidents"][0];
    // Ignored under each shipped position, and only there.
    let ignored = incident["ignored"].as_object().expect("an `ignored` object");
    assert_eq!(ignored.keys().cloned().collect::<Vec<_>>(), names);
    for (position, facts) in ignored {
        assert_eq!(facts, &serde_json::json!([FACT]), "under {position}");
    }
    // Every position evaluated the incident: each has a cell for a shared conclusion.
    let rows = incident["rows"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|r| r["conclusion"] == name).unwrap_or_else(|| panic!("a row `{name}`"));
    for p in &positions {
        assert!(row("armed_attack")["cells"][p].is_object(), "no result of {p}");
    }
    // The fixture's own conclusion reads the fact.
    let cells = &row("disclosure_recorded")["cells"];
    assert_eq!(cells["france_disclosed"]["value"], true);
    assert!(names.iter().all(|p| cells[p].is_null()));

    // The table, Markdown and HTML say so once per incident.
    let note = format!(
        "fact `{FACT}` is not in the vocabulary of {}; ignored",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    );
    // The table wraps its lines to the width: read as one run of words.
    let table = text(&compare_all(&[FIXTURE], INCIDENT, "table").stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(table.matches(&format!("note: {note} ")).count(), 1, "{table}");
    let markdown = text(&compare_all(&[FIXTURE], INCIDENT, "markdown").stdout);
    assert_eq!(markdown.matches(&format!("Note: {note}.")).count(), 1);
    let html = text(&compare_all(&[FIXTURE], INCIDENT, "html").stdout);
    assert!(
        html.contains(
            "<p class=\"note\">Note: fact <code>operation_publicly_disclosed</code> is not in the vocabulary of <code>australia</code>"
        ),
        "{html}"
    );
}

#[test]
fn the_comparison_is_deterministic() {
    let a = compare_all(&[FIXTURE], INCIDENT, "json");
    let b = compare_all(&[FIXTURE], INCIDENT, "json");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_position_in_another_directory_extends_a_shipped_one_by_path() {
    let out = opinio(&["eval", FIXTURE, INCIDENT]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("position: france_disclosed -> france -> stdlib\n"), "{stdout}");
    assert!(stdout.contains("disclosure_recorded = true"));
    assert!(!stdout.contains("note:"), "the fixture knows its fact: {stdout}");
    // It changes nothing of France's reading: the two agree on every
    // conclusion they share, on every shipped incident.
    let out = opinio(&["compare", "examples/positions/france.norm", FIXTURE, "--incidents", "examples/incidents", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let agreement = &json["agreement"][0];
    assert_eq!(agreement["same"], agreement["compared"], "{agreement}");
    assert!(agreement["compared"].as_u64().unwrap() > 100);
}

#[test]
fn read_alone_the_norms_still_refuse_a_fact_they_do_not_declare() {
    let out = opinio(&["--error-format", "plain", "eval", "examples/positions/france.norm", INCIDENT]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("error[E0502]: unknown fact `{FACT}`")), "{}", text(&out.stderr));
}

#[test]
fn a_fact_no_position_declares_is_an_error_once_with_a_suggestion() {
    let scratch = Scratch::new("unknown");
    let typo = std::fs::read_to_string(root().join(INCIDENT)).unwrap().replace(&format!("{FACT} ="), "operation_publicly_disclosd =");
    let incident = scratch.write("typo.toml", &typo);
    let files = shipped();
    let mut args: Vec<&str> = vec!["--error-format", "plain", "compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend([FIXTURE, "--incidents", incident.to_str().unwrap()]);
    let out = opinio(&args);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("error[E0502]: unknown fact `operation_publicly_disclosd`").count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("help: did you mean `{FACT}`?")), "{stderr}");
    assert!(stderr.contains("cannot be read under any of the positions"), "{stderr}");
}

#[test]
fn a_value_of_the_wrong_type_is_reported_under_the_position_that_declares_the_fact() {
    let scratch = Scratch::new("type");
    let wrong = std::fs::read_to_string(root().join(INCIDENT))
        .unwrap()
        .replace(&format!("{FACT} = {{ value = true"), &format!("{FACT} = {{ value = 3"));
    let incident = scratch.write("wrong.toml", &wrong);
    let out = opinio(&[
        "--error-format",
        "plain",
        "compare",
        "examples/positions/china.norm",
        FIXTURE,
        "--incidents",
        incident.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot be read under the position `france_disclosed`"), "{stderr}");
    assert!(!stderr.contains("`china`"), "{stderr}");
    assert_eq!(stderr.matches("error[E0503]").count(), 1, "{stderr}");
}

#[test]
fn a_standard_library_directory_adds_shared_vocabulary_without_rebuilding() {
    // Without it, no position knows the fact.
    let out = compare_all(&[], SHARED_INCIDENT, "json");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown fact `ransom_demanded`"), "{}", text(&out.stderr));
    // With it, every position that extends `stdlib` declares it: nothing is ignored.
    for via_env in [false, true] {
        let files = shipped();
        let mut args: Vec<&str> = if via_env { vec![] } else { vec!["--stdlib", "tests/fixtures/vocab/stdlib"] };
        args.push("compare");
        args.extend(files.iter().map(String::as_str));
        args.extend(["--incidents", SHARED_INCIDENT, "--format", "json"]);
        let env: &[(&str, &str)] = if via_env { &[("OPINIO_STDLIB", "tests/fixtures/vocab/stdlib")] } else { &[] };
        let out = opinio_in(root(), &args, env);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(json["incidents"][0].get("ignored").is_none(), "{}", json["incidents"][0]["ignored"]);
        assert_eq!(json["positions"].as_array().unwrap().len(), files.len());
    }
    // The other modules are the embedded ones: the shipped goldens pass with it.
    let out = opinio_in(root(), &["--stdlib", "tests/fixtures/vocab/stdlib", "test", "examples/tests/france.test.norm"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn a_standard_library_directory_that_cannot_be_used_is_an_error() {
    let out = opinio(&["--error-format", "plain", "--stdlib", "no/such/dir", "check", "examples/positions/france.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr)
        .contains("error[E0702]: the standard library directory `no/such/dir` named by `--stdlib` cannot be used: no such directory"));
    let out = opinio_in(root(), &["--error-format", "plain", "check", "examples/positions/france.norm"], &[("OPINIO_STDLIB", INCIDENT)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[E0702]") && stderr.contains("it is not a directory") && stderr.contains("`OPINIO_STDLIB`"), "{stderr}");
}

#[test]
fn the_project_file_names_the_standard_library_directory() {
    let scratch = Scratch::new("project");
    scratch.write("opinio.toml", "[stdlib]\npath = \"std\"\n");
    scratch.write("std/shared_facts.norm", &std::fs::read_to_string(root().join("tests/fixtures/vocab/stdlib/shared_facts.norm")).unwrap());
    let france = root().join("examples/positions/france.norm");
    let incident = root().join(SHARED_INCIDENT);
    let out = opinio_in(&scratch.0, &["eval", france.to_str().unwrap(), incident.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // `--stdlib` takes precedence; a missing directory in the project file is E0808.
    scratch.write("opinio.toml", "[stdlib]\npath = \"nowhere\"\n");
    let out = opinio_in(&scratch.0, &["--error-format", "plain", "eval", france.to_str().unwrap(), incident.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0808]: the standard library directory `nowhere` cannot be used"), "{}", text(&out.stderr));
    let out = opinio_in(&scratch.0, &["--stdlib", "std", "eval", france.to_str().unwrap(), incident.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn positions_import_a_shared_vocabulary_module_of_their_own() {
    let own = ["tests/fixtures/vocab/own/france_own.norm", "tests/fixtures/vocab/own/china_own.norm"];
    let out = opinio(&["compare", own[0], own[1], "--incidents", SHARED_INCIDENT, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["incidents"][0].get("ignored").is_none());
    // With every shipped position, the fact is ignored under those that do not import the module.
    let out = compare_all(&own, SHARED_INCIDENT, "json");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ignored = json["incidents"][0]["ignored"].as_object().unwrap();
    assert_eq!(ignored.keys().cloned().collect::<Vec<_>>(), shipped_names());
}

#[test]
fn the_test_runner_loads_the_positions_of_a_golden_together() {
    let scratch = Scratch::new("golden");
    let positions = root().join("examples/positions");
    let fixture = root().join(FIXTURE);
    let incident = root().join(INCIDENT);
    let test = scratch.write(
        "open.test.norm",
        &format!(
            "suite open_vocabulary \"The open vocabulary\"\n\ngolden everything \"Every shipped position and the fixture\"\n  position \"{}\", \"{}\"\n  incident \"{}\"\n  into \"golden\"\n",
            positions.display(),
            fixture.display(),
            incident.display()
        ),
    );
    let test = test.to_str().unwrap();
    let out = opinio_in(&scratch.0, &["test", test, "--bless"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    for name in shipped_names() {
        let golden = std::fs::read_to_string(scratch.0.join(format!("golden/{name}/incident.txt"))).unwrap();
        assert!(golden.contains(&format!("note: fact `{FACT}` is not in the vocabulary of `{name}`; ignored\n")), "{golden}");
    }
    let own = std::fs::read_to_string(scratch.0.join("golden/france_disclosed/incident.txt")).unwrap();
    assert!(!own.contains("note:") && own.contains("disclosure_recorded = true"));
    let out = opinio_in(&scratch.0, &["test", test], &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let expected = format!("{} passed, 0 failed", shipped_names().len() + 1);
    assert!(text(&out.stdout).contains(&expected), "{}", text(&out.stdout));
}
