//! `opinio compare --set FACT=VALUE --unset FACT`, through the real binary:
//! the changes are made to every incident given, under every position, and
//! give the matrix that copies of the files edited by hand give; every
//! output format marks each changed incident, so that a saved what-if is
//! never taken for the incident itself; a faulty change is reported once, at
//! its argument, with a code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const US: &str = "examples/positions/united_states.norm";
const FR: &str = "examples/positions/france.norm";
const CHINA: &str = "examples/positions/china.norm";
const FR_DISCLOSED: &str = "tests/fixtures/vocab/elsewhere/france_disclosed.norm";
const NOTPETYA: &str = "examples/incidents/notpetya.json";
const STUXNET: &str = "examples/incidents/stuxnet.toml";
const CHANGES: [&str; 4] = ["--set", "deaths=12", "--unset", "purposeful_attack"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn opinio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opinio"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("OPINIO_STDLIB")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// A directory of its own under the system's temporary directory, removed
/// when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-compare-set-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// NotPetya as its file would say `deaths = 12` (its evidence kept) and
/// nothing of `purposeful_attack`, and with `extra` facts added.
fn notpetya_edited(extra: &[(&str, serde_json::Value)]) -> String {
    let mut incident: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join(NOTPETYA)).unwrap()).unwrap();
    let facts = incident["facts"].as_object_mut().unwrap();
    facts["deaths"]["value"] = serde_json::json!(12);
    facts.shift_remove("purposeful_attack");
    for (k, v) in extra {
        facts.insert(k.to_string(), v.clone());
    }
    serde_json::to_string_pretty(&incident).unwrap()
}

/// Stuxnet edited so.
fn stuxnet_edited() -> String {
    let mut incident: toml::Table = std::fs::read_to_string(root().join(STUXNET)).unwrap().parse().unwrap();
    let facts = incident["facts"].as_table_mut().unwrap();
    facts["deaths"].as_table_mut().unwrap().insert("value".into(), toml::Value::Integer(12));
    facts.remove("purposeful_attack");
    toml::to_string(&incident).unwrap()
}

fn compare_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["compare"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let out = opinio(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The comparison with each incident's `file` and `changed` taken out: the
/// matrix, divergences, causes, notes and agreement.
fn matrix(mut json: serde_json::Value) -> serde_json::Value {
    for incident in json["incidents"].as_array_mut().unwrap() {
        let incident = incident.as_object_mut().unwrap();
        incident.shift_remove("file");
        incident.shift_remove("changed");
    }
    json
}

#[test]
fn set_and_unset_give_the_matrix_the_changed_files_give() {
    let scratch = Scratch::new("matrix");
    let notpetya = scratch.write("notpetya.json", &notpetya_edited(&[]));
    let stuxnet = scratch.write("stuxnet.toml", &stuxnet_edited());
    let mut args = vec![US, FR, "--incidents", NOTPETYA, STUXNET];
    args.extend(CHANGES);
    let set = compare_json(&args);
    let by_hand = compare_json(&[US, FR, "--incidents", &notpetya, &stuxnet]);
    assert_eq!(matrix(set.clone()), matrix(by_hand.clone()));
    assert_ne!(matrix(set.clone()), matrix(compare_json(&[US, FR, "--incidents", NOTPETYA, STUXNET])), "the changes change something");
    // Every incident given is changed, and says so; the files edited by hand are not.
    let changed = serde_json::json!([{ "fact": "deaths", "value": "12" }, { "fact": "purposeful_attack", "value": null }]);
    for incident in set["incidents"].as_array().unwrap() {
        assert_eq!(incident["changed"], changed, "{incident}");
    }
    for incident in by_hand["incidents"].as_array().unwrap() {
        assert!(incident.get("changed").is_none(), "{incident}");
    }
    // The CSV matrix is the same too, but for the incident's name and file.
    let csv = |args: &[&str]| {
        let mut all = vec!["compare"];
        all.extend(args);
        all.extend(["--format", "csv"]);
        let out = opinio(&all);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout).lines().map(|l| l.split(',').skip(2).collect::<Vec<_>>().join(",")).collect::<Vec<_>>()
    };
    let mut args = vec![US, FR, "--incidents", NOTPETYA, STUXNET];
    args.extend(CHANGES);
    assert_eq!(csv(&args), csv(&[US, FR, "--incidents", &notpetya, &stuxnet]));
}

#[test]
fn a_fact_only_one_position_declares_is_set_under_it_and_ignored_under_the_other() {
    let fact = "operation_publicly_disclosed";
    let scratch = Scratch::new("vocabulary");
    let edited = notpetya_edited(&[(fact, serde_json::json!(true))]);
    let notpetya = scratch.write("notpetya.json", &edited);
    let set = compare_json(&[
        CHINA,
        FR_DISCLOSED,
        "--incidents",
        NOTPETYA,
        "--set",
        "deaths=12",
        "--unset",
        "purposeful_attack",
        "--set",
        &format!("{fact}=true"),
    ]);
    let by_hand = compare_json(&[CHINA, FR_DISCLOSED, "--incidents", &notpetya]);
    assert_eq!(set["incidents"][0]["ignored"], serde_json::json!({ "china": [fact] }));
    assert_eq!(matrix(set), matrix(by_hand));
}

#[test]
fn every_format_marks_a_changed_incident() {
    let title = "NotPetya (changed: deaths = 12; purposeful_attack unknown)";
    let what_if =
        "What if: every incident is taken with facts changed on the command line, deaths = 12 (--set), purposeful_attack unknown (--unset)";
    let run = |format: &str, changes: &[&str]| {
        let mut args = vec!["compare", US, FR, "--incidents", NOTPETYA, STUXNET, "--format", format];
        args.extend(changes);
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // The table wraps its lines to the width: read as one run of words.
    let table = run("table", &CHANGES).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(table.starts_with(what_if), "{table}");
    assert!(table.contains(&format!("{title} ({NOTPETYA})")), "{table}");
    assert!(table.contains("Stuxnet (changed: deaths = 12; purposeful_attack unknown) ("), "{table}");
    let markdown = run("markdown", &CHANGES);
    assert!(markdown.contains(&format!("**{what_if}")), "{markdown}");
    assert!(markdown.contains(&format!("## {title}\n")), "{markdown}");
    assert!(markdown.contains(&format!("File `{NOTPETYA}`.")), "{markdown}");
    let csv = run("csv", &CHANGES);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(row.starts_with(title) || row.starts_with("Stuxnet (changed: deaths = 12; purposeful_attack unknown),"), "{row}");
    }
    let html = run("html", &CHANGES);
    assert!(html.contains("<title>Opinio: comparison of positions (what if)</title>"), "{html}");
    assert!(html.contains(&format!("<p class=\"changed\">{what_if}")), "{html}");
    assert!(html.contains(&format!("<h2>{title}</h2>")), "{html}");
    assert!(html.contains(&format!("<a href=\"#incident-0\">{title}</a>")), "{html}");
    // Without changes, no mark.
    for format in ["table", "markdown", "csv", "html", "json"] {
        let plain = run(format, &[]);
        for mark in ["(changed:", "What if", "(what if)", "class=\"changed\"", "\"changed\":"] {
            assert!(!plain.contains(mark), "{format}: {mark} in {plain}");
        }
    }
}

#[test]
fn a_faulty_change_is_reported_once_at_its_argument() {
    let run = |changes: &[&str]| {
        let mut args = vec!["--error-format", "plain", "compare", US, FR, "--incidents", NOTPETYA, STUXNET];
        args.extend(changes);
        let out = opinio(&args);
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, stdout, stderr) = run(&["--set", "deathz=12"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.matches("--set deathz=12:1:1: error[E0502]: unknown fact `deathz`").count(), 1, "{stderr}");
    assert!(stderr.contains("did you mean `deaths`?"), "{stderr}");
    let (code, _, stderr) = run(&["--unset", "territorial_state.nope"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("--unset territorial_state.nope:1:1: error[E0502]"), "{stderr}");
    assert!(stderr.contains("did you mean `territorial_state.knew`?"), "{stderr}");
    // A value of the wrong type: at the argument, once.
    let (code, _, stderr) = run(&["--set", "deaths=many"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[E0503]").count(), 1, "{stderr}");
    assert!(stderr.contains("--set deaths=many:") && stderr.contains("changed by `--set` and `--unset`"), "{stderr}");
    let (code, _, stderr) = run(&["--set", "deaths"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is not FACT=VALUE"), "{stderr}");
}
