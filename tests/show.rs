//! `opinio show`, through the real binary: what a position changes against
//! its base, with its sources, and how two positions' changes differ, on the
//! shipped positions and on small fixtures (`tests/fixtures/show/`) that set
//! parameters, standards and burdens; text within its width, JSON with a
//! schema version, the same bytes on every run, `-o` never over a file read,
//! and every faulty input reported with a code or a usage error.

mod common;

use std::path::{Path, PathBuf};

use common::binary::{opinio, opinio_with, text};

const FRANCE: &str = "examples/positions/france.norm";
const US: &str = "examples/positions/united_states.norm";
const UK: &str = "examples/positions/united_kingdom.norm";
const CHINA: &str = "examples/positions/china.norm";
const STRICT: &str = "tests/fixtures/show/strict.norm";
const STRICTER: &str = "tests/fixtures/show/stricter.norm";
const LOOSE: &str = "tests/fixtures/show/loose.norm";
const ECHO: &str = "tests/fixtures/show/echo.norm";
const BASE: &str = "tests/fixtures/show/base.norm";

/// Runs `show` and returns its standard output, which must succeed.
fn show(args: &[&str]) -> String {
    let mut all = vec!["show"];
    all.extend_from_slice(args);
    let out = opinio(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Runs `show --format json` and parses the document.
fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&show(&all)).expect("one JSON document")
}

/// The shipped positions.
fn positions() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join("examples/positions"))
        .expect("examples/positions exists")
        .flatten()
        .map(|e| format!("examples/positions/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".norm"))
        .collect();
    files.sort();
    files
}

/// A directory of its own under the system's temporary directory, removed
/// when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-show-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn france_shows_its_replacement_with_its_citation_once() {
    let out = show(&[FRANCE]);
    assert!(out.starts_with("France (`france`): what it changes against the standard library\n"), "{out}");
    assert!(out.contains("\nRules replaced (1)\n  `scale_and_effects_armed_attack`, concluding `armed_attack_gravity`: "), "{out}");
    let cite = "International Law Applied to Operations in\n           Cyberspace, 9 September 2019, section 1.2, p. 8";
    assert_eq!(out.matches(cite).count(), 1, "the citation of the replacement, shown once: {out}");
    assert!(out.contains("arguable reading: \"substantial\" and \"considerable\" are read as severity"), "{out}");
    assert!(out.contains("7 changes: 1 rule replaced, 3 rules added, 3 open questions settled; 2 declarations of its own"), "{out}");
    assert!(out.contains("Open questions of the base settled, each by its removal (3)\n  `anticipatory_self_defence`"), "{out}");
    assert!(out.contains("Parameters declared (2)\n  `fr_armed_attack_min_severity` = high: "), "{out}");
    assert!(out.contains("by the standard library, not settled by France:\n    `factors_only`, on `force_level_effects`"), "{out}");
    assert!(out.contains("Conclusions: 8 stated by France (a change bears on them); 30 inherited from the standard library"), "{out}");
    assert!(out.contains("\n  `attributable`: The operation is attributable to the State"), "inherited by silence: {out}");
}

#[test]
fn france_as_json_has_a_schema_version_and_every_change() {
    let v = json(&[FRANCE]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["position"]["name"], "france");
    assert_eq!(v["position"]["title"], "France");
    assert_eq!(v["position"]["extends"][0]["name"], "stdlib");
    assert_eq!(v["base_known"], true);
    let replaced = &v["changes"]["replaced"][0];
    assert_eq!(replaced["target"], "scale_and_effects_armed_attack");
    assert_eq!(replaced["declaration"], "rule");
    assert_eq!(replaced["conclusions"][0]["name"], "armed_attack_gravity");
    assert!(replaced["cites"][0].as_str().is_some_and(|c| c.ends_with("section 1.2, p. 8")), "{replaced}");
    assert_eq!(replaced["reading"]["kind"], "arguable");
    let removed: Vec<&str> = v["changes"]["removed"].as_array().unwrap().iter().map(|c| c["target"].as_str().unwrap()).collect();
    assert_eq!(removed, ["anticipatory_self_defence", "non_state_self_defence", "collective_countermeasures"]);
    assert!(v["changes"]["removed"].as_array().unwrap().iter().all(|c| c["declaration"] == "open"), "open questions settled");
    assert_eq!(v["changes"]["added"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["declared"]["params"][0]["name"], "fr_armed_attack_min_severity");
    assert_eq!(v["declared"]["params"][0]["value"], "high");
    assert_eq!(v["conclusions"]["stated"], 8);
    assert_eq!(v["conclusions"]["inherited"].as_array().map(Vec::len), Some(30));
    assert_eq!(v["questions"]["from_base"].as_array().map(Vec::len), Some(5));
}

#[test]
fn statements_are_shown_with_their_dates_and_as_of_leaves_later_ones_out() {
    let v = json(&[US]);
    let statements: Vec<&str> = v["position"]["statements"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(statements, ["us_letter_2014", "gge_2015", "ney_2020"]);
    let removed = &v["changes"]["removed"][0];
    assert_eq!(removed["target"], "tallinn_rule_4");
    assert_eq!(removed["statement"]["name"], "ney_2020");
    assert_eq!(removed["statement"]["date"], "2020-03-02");
    let out = show(&[US]);
    assert!(out.contains("`tallinn_rule_4`, which concluded `sovereignty_as_a_rule`: "), "{out}");
    assert!(out.contains("    made in `ney_2020` (2020-03-02)\n"), "{out}");

    // The United Kingdom as it stood on 2018-01-01: Wright's 2018 speech is left out.
    let out = show(&[UK, "--as-of", "2018-01-01"]);
    assert!(out.contains("`wright_2018` (2018-05-23) (made after the day shown: its changes are left out)"), "{out}");
    assert!(out.contains("as of:      2018-01-01"), "{out}");
    assert!(!out.contains("`tallinn_rule_4`"), "removed in 2018: {out}");
    assert!(show(&[UK]).contains("`tallinn_rule_4`"));
}

#[test]
fn china_leaves_a_rule_open() {
    let out = show(&[CHINA]);
    assert!(
        out.contains("Rules left open: whether they apply (1)\n  whether `countermeasures_by_injured_state` applies, concluding"),
        "{out}"
    );
    assert!(out.contains("by China (among its changes above):\n    whether `countermeasures_by_injured_state` applies"), "{out}");
}

#[test]
fn the_united_states_against_france() {
    let out = show(&[US, "--against", FRANCE]);
    assert!(out.starts_with("United States (`united_states`) against France (`france`): how their changes differ\n"), "{out}");
    assert!(out.contains("Changed by both alike, each on its own sources (2)\n  `anticipatory_self_defence`"), "{out}");
    assert!(out.contains("    United States settles it (removes the open question), in `ney_2020` (2020-03-02)\n"), "{out}");
    assert!(out.contains("    France settles it (removes the open question)\n"), "{out}");
    assert!(out.contains("Only United States (6 changes: 3 rules removed, 3 rules added)"), "{out}");
    assert!(out.contains("Only France (5 changes: 1 rule replaced, 3 rules added, 1 open question settled)"), "{out}");
    assert!(out.contains("stated by United States only, inherited by France (4):\n    `due_diligence`: "), "{out}");
    let v = json(&[US, "--against", FRANCE]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["a"]["name"], "united_states");
    assert_eq!(v["b"]["name"], "france");
    assert_eq!(v["alike"][0]["target"], "anticipatory_self_defence");
    assert_eq!(v["alike"][0]["a"][0]["position"], "united_states");
    assert_eq!(v["alike"][0]["b"][0]["position"], "france");
    assert_eq!(v["differently"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["only_a"]["changes"]["removed"][0]["target"], "tallinn_rule_4");
    assert_eq!(v["only_b"]["changes"]["replaced"][0]["target"], "scale_and_effects_armed_attack");
    assert_eq!(v["only_b"]["declared"]["params"].as_array().map(Vec::len), Some(2));
}

#[test]
fn parameters_standards_and_burdens_are_shown_with_the_bases_values() {
    let out = show(&[STRICT]);
    assert!(out.contains("Parameters set (1)\n  `grave_loss` = 5000000000 USD (the base: 1000000000 USD): "), "{out}");
    assert!(out.contains("the standard of proof of `attributable`: clear_and_convincing (the base: none)"), "{out}");
    assert!(out.contains("contested reading: other States accept attribution"), "{out}");
    let out = show(&[LOOSE]);
    assert!(out.contains("Burdens of proof set (1)\n  the burden of proving `self_defence`: on `victim_state` (the base: none)"), "{out}");
    let v = json(&[STRICT]);
    let param = &v["changes"]["params"][0]["param"];
    assert_eq!(param["from"], "1000000000 USD");
    assert_eq!(param["to"], "5000000000 USD");
    assert_eq!(v["changes"]["standards"][0]["proof"]["to"]["standard"], "clear_and_convincing");
    assert_eq!(v["changes"]["standards"][0]["proof"]["from"]["standard"], serde_json::Value::Null);
}

#[test]
fn parameters_set_differently_and_rules_replaced_alike() {
    let out = show(&[STRICT, "--against", LOOSE]);
    assert!(out.contains("Changed by both, differently (2)\n  the parameter `grave_loss`: "), "{out}");
    assert!(out.contains("    Strict State sets it to 5000000000 USD (the base: 1000000000 USD), in `speech_2024` (2024-05-05)"), "{out}");
    assert!(out.contains("    Loose State sets it to 100000000 USD (the base: 1000000000 USD)\n"), "{out}");
    let v = json(&[STRICT, "--against", LOOSE]);
    let targets: Vec<&str> = v["differently"].as_array().unwrap().iter().map(|p| p["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["grave_loss", "effective_control"]);
    assert_eq!(v["alike"][0]["target"], "anticipatory");

    // The same rule and the same value on other sources: alike.
    let v = json(&[LOOSE, "--against", ECHO]);
    let alike: Vec<&str> = v["alike"].as_array().unwrap().iter().map(|p| p["target"].as_str().unwrap()).collect();
    assert_eq!(alike, ["grave_loss", "effective_control"]);
    assert_eq!(v["differently"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_position_on_a_position_shows_its_chain_and_its_bases_changes() {
    let out = show(&[STRICTER]);
    assert!(out.contains("extends:    Strict State (`strict`), which extends `base`\n"), "{out}");
    assert!(out.contains("Made by Strict State (`strict`), which it extends (5)\n"), "{out}");
    assert!(out.contains("  Open questions of the base settled, each by its removal (1)\n    `anticipatory`"), "{out}");
    assert!(out.contains("`grave_loss` = 5000000000 USD (the base: 1000000000 USD)"), "measured against the base's base: {out}");
    let out = show(&[STRICTER, "--against", STRICT]);
    assert!(out.contains("Shared: made by Strict State, on which both build (5 changes: "), "{out}");
    assert!(out.contains("Only `stricter` (1 change: 1 rule left open)"), "{out}");
}

#[test]
fn text_fits_its_width() {
    let widest = |out: &str| out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    for file in positions() {
        let mut runs = vec![vec!["show", file.as_str()]];
        if !file.ends_with("france.norm") {
            runs.push(vec!["show", file.as_str(), "--against", FRANCE]);
        }
        for args in runs {
            for (columns, width) in [(None, 100), (Some("100"), 100), (Some("72"), 72)] {
                let env: Vec<(&str, &str)> = columns.map(|c| ("COLUMNS", c)).into_iter().collect();
                let out = opinio_with(&args, &env);
                assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
                let stdout = text(&out.stdout);
                assert!(widest(&stdout) <= width, "{args:?} at COLUMNS={columns:?}: a line is wider than {width}:\n{stdout}");
            }
        }
    }
}

#[test]
fn every_run_gives_the_same_bytes() {
    for args in [&[US][..], &[US, "--against", FRANCE], &[STRICT, "--against", LOOSE]] {
        for format in ["text", "json", "markdown"] {
            let mut all = vec!["show"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--format", format]);
            let (first, second) = (opinio(&all), opinio(&all));
            assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
            assert_eq!(first.stdout, second.stdout, "{all:?}");
        }
    }
}

#[test]
fn markdown_has_the_sections() {
    let out = show(&[FRANCE, "--format", "markdown"]);
    assert!(out.starts_with("# France (`france`): what it changes against the standard library\n"), "{out}");
    assert!(out.contains("\n### Rules replaced (1)\n\n- `scale_and_effects_armed_attack`"), "{out}");
    assert!(out.contains("\n## Questions left open\n"), "{out}");
    let out = show(&[US, "--against", FRANCE, "--format", "markdown"]);
    assert!(out.contains("\n## Changed by both alike, each on its own sources (2)\n"), "{out}");
}

#[test]
fn output_goes_to_a_file_and_never_over_a_file_read() {
    let scratch = Scratch::new("output");
    let target = scratch.path("france.txt");
    let out = opinio(&["show", FRANCE, "-o", &target]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), show(&[FRANCE]));

    // The position, the other position, and a base they extend.
    let copy = scratch.path("strict.norm");
    let base = scratch.path("base.norm");
    std::fs::copy(STRICT, &copy).unwrap();
    std::fs::copy(BASE, &base).unwrap();
    let before = std::fs::read_to_string(&copy).unwrap();
    for (args, read) in [
        (vec!["show", FRANCE, "-o", FRANCE], FRANCE),
        (vec!["show", US, "--against", FRANCE, "-o", "./examples/positions/france.norm"], FRANCE),
        (vec!["show", &copy, "-o", &copy], copy.as_str()),
        (vec!["show", &copy, "-o", &base], base.as_str()),
    ] {
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("a file this command reads; write the output elsewhere"), "{err}");
        assert!(err.contains(&format!("is `{read}`")), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), before, "the position is left as it was");
    assert!(std::fs::read_to_string(FRANCE).unwrap().contains("position france \"France\""));
}

#[test]
fn faulty_input_is_reported_with_a_code_or_a_usage_error() {
    let out = opinio(&["--error-format", "plain", "show", "examples/positions/no_such.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error[E0701]: cannot read `examples/positions/no_such.norm`: no such file"),
        "{}",
        text(&out.stderr)
    );

    let out = opinio(&["--error-format", "plain", "show", "tests/fixtures/cli/faulty.norm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    let out = opinio(&["--error-format", "plain", "show", FRANCE, "--against", "tests/fixtures/cli/faulty.norm"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    for (args, says) in [
        (vec!["show", BASE], "declares the module `base`, not a position: a module changes nothing"),
        (vec!["show", FRANCE, "--against", BASE], "declares the module `base`, not a position"),
        (vec!["show", FRANCE, "--against", FRANCE], "are both the position `france`"),
        (vec!["show", FRANCE, "--as-of", "incident"], "`--as-of incident` needs an incident"),
        (vec!["show", FRANCE, "--as-of", "2019-13-01"], "is neither a date"),
        (vec!["show", FRANCE, "--format", "yaml"], "invalid value 'yaml'"),
    ] {
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(says), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn france_text_snapshot() {
    insta::assert_snapshot!("show_france_text", show(&[FRANCE]));
}

/// The examples of `docs/show.md`: each ```` ```text ```` block that begins
/// with `$ opinio show ARGS` holds what the binary prints for ARGS.
/// `OPINIO_UPDATE_DOCS=1` rewrites them.
#[test]
fn the_examples_of_the_documentation_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/show.md");
    let doc = std::fs::read_to_string(&path).expect("docs/show.md exists");
    let mut out = String::new();
    let mut rest = doc.as_str();
    let mut examples = 0;
    while let Some(start) = rest.find("```text\n$ opinio show ") {
        let command_start = start + "```text\n".len();
        let command_end = command_start + rest[command_start..].find('\n').expect("a command line");
        let block_end = command_end + rest[command_end..].find("\n```\n").expect("a closed block") + 1;
        let args: Vec<&str> = rest[command_start + "$ opinio ".len()..command_end].split_whitespace().collect();
        let run = opinio(&args);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", text(&run.stderr));
        out.push_str(&rest[..command_end + 1]);
        out.push_str(&text(&run.stdout));
        rest = &rest[block_end..];
        examples += 1;
    }
    out.push_str(rest);
    assert!(examples >= 3, "docs/show.md shows its examples");
    if std::env::var_os("OPINIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &out).expect("write docs/show.md");
        return;
    }
    assert!(out == doc, "the examples of docs/show.md are out of date; run `OPINIO_UPDATE_DOCS=1 cargo test --test show`");
}
