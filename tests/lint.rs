//! `opinio lint`, through the real binary: the shipped library lints clean
//! (every finding answered by a comment), the JSON document is valid and
//! deterministic, and findings, answers and usage errors reach the exit code.

use std::process::{Command, Output};

fn opinio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opinio"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("OPINIO_STDLIB")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// A case of the corpus with findings: an unread fact of the base, and one
/// the position stops reading.
const UNREAD: &str = "tests/cases/diagnostics/W0903-unread-fact/main.norm";

#[test]
fn the_standard_library_lints_clean() {
    let out = opinio(&["lint"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.stderr.is_empty(), "answered findings are not shown: {}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.starts_with("linted 8 files: ") && summary.ends_with(", 0 unanswered\n"), "{summary}");
}

#[test]
fn the_shipped_positions_lint_clean() {
    let out = opinio(&["lint", "examples/positions"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("linted 14 files: "));
}

#[test]
fn all_shows_the_answered_findings_with_their_reasons() {
    let out = opinio(&["--error-format", "plain", "lint", "--all", "examples/positions/united_kingdom.norm"]);
    assert_eq!(out.status.code(), Some(0), "answered findings do not fail the run");
    let err = text(&out.stderr);
    assert!(err.contains("warning[W0905]: after this removal no rule gives `sovereignty_as_a_rule`"), "{err}");
    assert!(err.contains("answered: sovereignty is a principle, not a rule, for the UK"), "{err}");
}

#[test]
fn json_is_one_valid_deterministic_document() {
    let first = opinio(&["lint", "--format", "json", "examples/positions"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let second = opinio(&["lint", "--format", "json", "examples/positions"]);
    assert_eq!(first.stdout, second.stdout, "the same input gives the same document");
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).expect("one JSON document");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(14));
    assert_eq!(v["files"][0], "examples/positions/australia.norm");
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(v["summary"]["findings"], findings.len());
    assert_eq!(v["summary"]["unanswered"], 0);
    assert_eq!(v["summary"]["problems"], 0);
    for f in findings {
        assert!(f["code"].as_str().is_some_and(|c| c.starts_with("W09")), "{f}");
        assert!(f["primary"]["line"].as_u64().is_some_and(|l| l > 0), "{f}");
        assert!(f["answer"]["reason"].as_str().is_some_and(|r| !r.is_empty()), "{f}");
        assert_eq!(f["answer"]["file"], f["primary"]["file"], "an answer stands in the file of its finding");
    }
}

#[test]
fn an_unanswered_finding_fails_the_run() {
    let out = opinio(&["--error-format", "plain", "lint", UNREAD]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("main.norm:7:13: warning[W0903]: no rule of this position reads the fact `state_control`, which its base reads"),
        "{err}"
    );
    assert!(!err.contains("operation_name"), "the base is read for context, not linted: {err}");
    assert_eq!(text(&out.stdout), "linted 1 file: 1 finding, 1 unanswered\n");
    let json = opinio(&["lint", "--format", "json", UNREAD]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(v["findings"][0]["name"], "unread-fact");
    assert_eq!(v["findings"][0]["answer"], serde_json::Value::Null);
}

#[test]
fn a_directory_lints_its_files_together() {
    // The base's own unread fact is found when the base is linted too.
    let out = opinio(&["--error-format", "json", "lint", "tests/cases/diagnostics/W0903-unread-fact"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        text(&out.stderr).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    let messages: Vec<&str> = lines.iter().filter_map(|d| d["message"].as_str()).collect();
    assert_eq!(
        messages,
        ["no rule reads the fact `operation_name`", "no rule of this position reads the fact `state_control`, which its base reads"]
    );
}

#[test]
fn norms_that_do_not_compile_are_reported_and_fail() {
    let out = opinio(&["--error-format", "plain", "lint", "tests/fixtures/cli/faulty.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0201]"), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "linted 1 file: no findings, 1 error\n");
    let missing = opinio(&["--error-format", "plain", "lint", "no/such/file.norm"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("error[E0701]"));
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&["lint", "examples/tests/france.test.norm"][..], &["lint", "README.md"], &["lint", "--format", "yaml"]] {
        let out = opinio(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    }
    let help = opinio(&["lint", "--help"]);
    assert!(text(&help.stdout).contains("Exit codes: 0 when there is no finding or every finding is answered"));
}

/// The example of `docs/lint-json.md` is the real output.
#[test]
fn the_json_example_in_the_docs_is_current() {
    let out = opinio(&["lint", "--format", "json", UNREAD]);
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-json.md")).expect("docs/lint-json.md");
    let example = doc.split("```json\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a JSON example");
    assert_eq!(example, text(&out.stdout), "update the example in docs/lint-json.md");
}
