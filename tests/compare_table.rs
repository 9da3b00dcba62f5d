//! The terminal comparison (`opinio compare`, `--format table`) on the
//! shipped positions and incidents, through the real binary: it fits the
//! width it is given, says each cause once per incident, opens with its
//! legend, and is the same from run to run.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// `opinio compare` of every shipped position on every shipped incident and
/// scenario, at `COLUMNS=columns` (standard output is a pipe), with `extra`
/// arguments: its standard output.
fn compare(columns: &str, extra: &[&str]) -> String {
    let mut positions: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/positions"))
        .expect("the shipped positions")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "norm"))
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    positions.sort();
    let out = Command::new(env!("CARGO_BIN_EXE_opinio"))
        .arg("compare")
        .args(&positions)
        .args(["--incidents", "examples/incidents", "examples/scenarios"])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn no_line_is_wider_than_the_width() {
    for (columns, width) in [("100", 100), ("60", 60)] {
        for extra in [&["--divergent-only"][..], &[]] {
            let text = compare(columns, extra);
            let widest = text.lines().max_by_key(|l| l.chars().count()).unwrap_or("");
            assert!(widest.chars().count() <= width, "at COLUMNS={columns} {extra:?}, a line of {}:\n{widest}", widest.chars().count());
        }
    }
}

/// The causes the table lists under each incident: the incident's file,
/// and each cause's opening (its position, change and target, up to its
/// number `[n]`), continuation lines joined.
fn causes(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut incident: Option<String> = None;
    let mut in_causes = false;
    let mut current: Option<String> = None;
    let mut flush = |current: &mut Option<String>, incident: &Option<String>| {
        if let (Some(cause), Some(incident)) = (current.take(), incident) {
            let head = cause.split(" [").next().unwrap_or("").to_string();
            out.entry(incident.clone()).or_default().push(head);
        }
    };
    for line in text.lines() {
        // An incident's heading (its title may wrap, its file's path does not).
        if let Some(file) = line.split_whitespace().find(|w| w.starts_with("(examples/")) {
            flush(&mut current, &incident);
            incident = Some(file.trim_start_matches('(').split(')').next().unwrap_or("").to_string());
            in_causes = false;
            continue;
        }
        if line == "Causes:" {
            in_causes = true;
        } else if in_causes && line.starts_with("      ") {
            if let Some(c) = current.as_mut() {
                c.push(' ');
                c.push_str(line.trim());
            }
        } else if in_causes && line.starts_with("  ") {
            flush(&mut current, &incident);
            current = Some(line.trim().to_string());
        } else {
            flush(&mut current, &incident);
            in_causes = false;
        }
    }
    flush(&mut current, &incident);
    out
}

#[test]
fn each_cause_appears_once_per_incident() {
    let text = compare("100", &["--divergent-only"]);
    let causes = causes(&text);
    assert!(causes.len() > 10, "causes found under {} incidents only", causes.len());
    for (incident, list) in &causes {
        let once: BTreeSet<&String> = list.iter().collect();
        assert_eq!(once.len(), list.len(), "a cause listed twice under {incident}: {list:#?}");
    }
    // As many as the changes of the JSON's causes, counted once per incident.
    let json: serde_json::Value = serde_json::from_str(&compare("100", &["--divergent-only", "--format", "json"])).expect("JSON");
    for incident in json["incidents"].as_array().expect("incidents") {
        let file = incident["file"].as_str().unwrap_or("").to_string();
        let mut distinct = BTreeSet::new();
        for row in incident["rows"].as_array().expect("rows") {
            for c in row["causes"].as_array().expect("causes") {
                distinct.insert((
                    c["position"].to_string(),
                    c["declared_by"].to_string(),
                    c["change"].to_string(),
                    c["target"].to_string(),
                    c["cites"].to_string(),
                ));
            }
        }
        assert_eq!(causes.get(&file).map_or(0, Vec::len), distinct.len(), "the causes under {file}");
    }
    // A citation is printed once in all, in the list of sources.
    let citation = "Ney 2020 (the DoD General Counsel's view)";
    assert_eq!(text.matches(citation).count(), 1, "{citation}");
}

#[test]
fn the_legend_comes_before_the_first_table() {
    let text = compare("100", &["--divergent-only"]);
    let legend = text.find("How to read it").expect("a legend");
    let table = text.find('┌').expect("a table");
    assert!(legend < table);
    let summary = text.find("What divides the positions").expect("a summary");
    let first_incident = text.find("(examples/incidents/").expect("an incident");
    assert!(legend < summary && summary < first_incident);
}

#[test]
fn the_output_is_the_same_from_run_to_run() {
    assert_eq!(compare("100", &[]), compare("100", &[]));
}

#[test]
fn the_agreement_ranks_the_closest_positions() {
    let text = compare("100", &["--divergent-only"]);
    // The United Kingdom and the United States agree the most on what they state.
    let line = text.lines().find(|l| l.trim_start().starts_with("closest to United Kingdom:")).expect("a ranking of the United Kingdom");
    assert!(line.contains("closest to United Kingdom: United States "), "{line}");
}
