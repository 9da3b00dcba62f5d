//! `opinio batch`: the same values as `eval` on every shipped position and
//! incident; a faulty record reported with its line and skipped; CSV input;
//! the input's order kept on several threads; an output file put in place
//! only when the run completes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

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

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// A scratch directory, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-batch-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
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

/// A TOML value as JSON, dates as strings.
fn toml_to_json(v: &toml::Value) -> Json {
    match v {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => Json::from(*i),
        toml::Value::Float(f) => Json::from(*f),
        toml::Value::Boolean(b) => Json::Bool(*b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

fn files(dir: &str, ext: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| ext.contains(&x.to_str().unwrap())))
        .collect();
    out.sort();
    out
}

/// Every shipped incident and scenario as one line of JSON Lines, whole
/// (`incident`, `facts`, `exchange_rates`).
fn shipped_lines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in files("examples/incidents", &["toml", "json"]).into_iter().chain(files("examples/scenarios", &["toml"])) {
        let text = std::fs::read_to_string(&path).unwrap();
        let json: Json = if path.extension().unwrap() == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            toml_to_json(&toml::Value::Table(toml::from_str::<toml::Table>(&text).unwrap()))
        };
        let name = json["incident"]["name"].as_str().unwrap().to_string();
        out.push((name, json.to_string()));
    }
    out
}

#[test]
fn batch_gives_the_values_of_eval_on_every_shipped_position_and_incident() {
    let scratch = Scratch::new("eval");
    let lines = shipped_lines();
    let input = scratch.path("shipped.jsonl");
    std::fs::write(&input, lines.iter().map(|(_, l)| format!("{l}\n")).collect::<String>()).unwrap();
    let positions: Vec<String> =
        files("examples/positions", &["norm"]).iter().map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().to_string()).collect();
    let mut args: Vec<&str> = vec!["batch"];
    args.extend(positions.iter().map(String::as_str));
    args.extend(["--incidents", &input, "--status", "--jobs", "2", "-q"]);
    let out = opinio(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows: Vec<Json> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), lines.len() * positions.len());
    // Each position, evaluated alone through the library as `eval` does, on
    // each incident file: the same value and status for every conclusion.
    let mut compared = 0;
    for (p, position) in positions.iter().enumerate() {
        let compiled = opinio::io::compile_file_with(root().join(position).to_str().unwrap(), None);
        let program = compiled.program.expect("the shipped position compiles");
        for (i, (name, line)) in lines.iter().enumerate() {
            let row = &rows[i * positions.len() + p];
            assert_eq!(row["id"], Json::String(name.clone()));
            assert_eq!(row["position"], Json::String(program.name.clone()));
            let mut sources = opinio::source::SourceMap::new();
            let file = sources.add("line", line.clone());
            let incident = opinio::incident::load(&program, file, line, opinio::incident::Format::Json).expect("the incident loads");
            let mut ev = opinio::eval::Evaluator::new(&program);
            ev.run(incident.input()).expect("it evaluates");
            for (c, info) in program.conclusions.iter().enumerate() {
                let (value, status) = (&ev.values()[c], ev.statuses()[c].0);
                let expected = if status == opinio::eval::Status::Open { Json::Null } else { opinio::reports::value_json(&program, value) };
                assert_eq!(row[&info.name], expected, "{} on {name}: {}", program.name, info.name);
                assert_eq!(
                    row[format!("{}.status", info.name)],
                    Json::String(status.name().into()),
                    "{} on {name}: {}",
                    program.name,
                    info.name
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 10_000, "{compared} results compared");
}

/// Flat records of the peers' reference facts, as `../shared/peers/gen.py` writes them.
fn reference_line(id: usize) -> String {
    format!("{{\"id\":{id},\"state_organ\":{},\"deaths\":{},\"injuries\":0,\"physical_damage\":{}}}", id % 2 == 0, id % 5, id % 3 == 0)
}

#[test]
fn a_faulty_record_is_reported_with_its_line_and_skipped() {
    let scratch = Scratch::new("faulty");
    let mut lines: Vec<String> = (0..3000).map(reference_line).collect();
    lines[1499] = "{\"id\": 1499, \"deaths\": ".into();
    lines[2499] = "{\"id\": 2499, \"deathz\": 3}".into();
    let input = scratch.path("cases.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = opinio(&[
        "--error-format",
        "plain",
        "batch",
        "benches/data/reference.norm",
        "--incidents",
        &input,
        "--conclusion",
        "attributable",
        "--format",
        "csv",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cases.jsonl, line 1500:1:") && stderr.contains("error[E0501]"), "{stderr}");
    assert!(stderr.contains("cases.jsonl, line 2500:") && stderr.contains("error[E0502]: unknown fact `deathz`"), "{stderr}");
    assert!(stderr.contains("help: did you mean `deaths`?"), "{stderr}");
    assert!(stderr.contains("2998 incidents evaluated, 2 skipped"), "{stderr}");
    let stdout = text(&out.stdout);
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows[0], "id,position,attributable");
    assert_eq!(rows.len(), 1 + 2998);
    // Every other record, in the input's order.
    let ids: Vec<usize> = rows[1..].iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    let expected: Vec<usize> = (0..3000).filter(|i| *i != 1499 && *i != 2499).collect();
    assert_eq!(ids, expected);
    // --fail-fast stops at the first.
    let out = opinio(&["batch", "benches/data/reference.norm", "--incidents", &input, "--fail-fast", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).lines().count() < 3000);
}

#[test]
fn csv_in_and_out_agree_with_json_lines() {
    let scratch = Scratch::new("csv");
    let csv = scratch.path("cases.csv");
    std::fs::write(&csv, "id,state_organ,deaths,physical_damage\na,true,3,true\nb,false,,false\n").unwrap();
    let jsonl = scratch.path("cases.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\":\"a\",\"state_organ\":true,\"deaths\":3,\"physical_damage\":true}\n{\"id\":\"b\",\"state_organ\":false,\"physical_damage\":false}\n",
    )
    .unwrap();
    let run = |input: &str| {
        let out = opinio(&["batch", "benches/data/reference.norm", "--incidents", input, "--format", "csv", "--status", "-q"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let from_csv = run(&csv);
    assert_eq!(from_csv, run(&jsonl));
    assert!(from_csv.starts_with("id,position,"), "{from_csv}");
    // A header naming no fact stops before any record.
    std::fs::write(&csv, "id,stat_organ\na,true\n").unwrap();
    let out = opinio(&["batch", "benches/data/reference.norm", "--incidents", &csv]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("`stat_organ` is neither a fact"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn the_output_file_is_put_in_place_only_when_the_run_completes() {
    let scratch = Scratch::new("output");
    let input = scratch.path("cases.jsonl");
    std::fs::write(&input, (0..100).map(reference_line).collect::<Vec<_>>().join("\n") + "\n").unwrap();
    let target = scratch.path("results.csv");
    std::fs::write(&target, "mine\n").unwrap();
    let out = opinio(&["batch", "benches/data/reference.norm", "--incidents", &input, "--format", "csv", "--wide", "-o", &target, "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written.lines().count(), 101);
    assert!(written.starts_with("id,reference.attributable,"), "{written}");
    // Stopped by --fail-fast: the file is left as it was, and nothing else is left behind.
    std::fs::write(&input, "{\"id\": 0, \"deaths\": \n").unwrap();
    std::fs::write(&target, "mine\n").unwrap();
    let out = opinio(&["batch", "benches/data/reference.norm", "--incidents", &input, "-o", &target, "--fail-fast", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine\n");
    let left: Vec<String> = std::fs::read_dir(&scratch.0).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

/// A fact's plain value: the `value` of an annotated fact, `None` when it is
/// unknown or a list (which the direct reader leaves to the located one).
fn plain(v: &Json) -> Option<Json> {
    let v = match v {
        Json::Object(o) if o.contains_key("value") => o["value"].clone(),
        Json::Object(o) if o.contains_key("unknown") => return None,
        other => other.clone(),
    };
    (!v.is_array()).then_some(v)
}

#[test]
fn flat_records_read_directly_give_the_values_of_whole_incidents() {
    // The shipped incidents' facts, plain (no standards of proof, no lists),
    // written flat (records by their dotted fields) and as whole incidents:
    // the first take the direct reader, the second the located one.
    let scratch = Scratch::new("direct");
    let (mut flat, mut whole) = (String::new(), String::new());
    for (name, line) in shipped_lines() {
        let incident: Json = serde_json::from_str(&line).unwrap();
        if incident.get("exchange_rates").is_some() {
            continue;
        }
        let mut facts = serde_json::Map::new();
        for (k, v) in incident["facts"].as_object().unwrap() {
            match v {
                Json::Object(o) if !o.contains_key("value") && !o.contains_key("unknown") => {
                    for (field, fv) in o {
                        if let Some(p) = plain(fv) {
                            facts.insert(format!("{k}.{field}"), p);
                        }
                    }
                }
                _ => {
                    if let Some(p) = plain(v) {
                        facts.insert(k.clone(), p);
                    }
                }
            }
        }
        let mut record = facts.clone();
        record.insert("id".into(), Json::String(name.clone()));
        flat.push_str(&Json::Object(record).to_string());
        flat.push('\n');
        whole.push_str(&serde_json::json!({ "incident": { "name": name }, "facts": facts }).to_string());
        whole.push('\n');
    }
    let (flat_path, whole_path) = (scratch.path("flat.jsonl"), scratch.path("whole.jsonl"));
    std::fs::write(&flat_path, &flat).unwrap();
    std::fs::write(&whole_path, &whole).unwrap();
    let positions: Vec<String> =
        files("examples/positions", &["norm"]).iter().map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().to_string()).collect();
    let run = |input: &str| {
        let mut args: Vec<&str> = vec!["batch"];
        args.extend(positions.iter().map(String::as_str));
        args.extend(["--incidents", input, "--status", "--provenance", "-q"]);
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let direct = run(&flat_path);
    assert!(direct.lines().count() > 300);
    assert_eq!(direct, run(&whole_path));
}

#[test]
fn the_fast_path_gives_the_values_of_the_located_path() {
    // The peers' three positions take the fast path (flat code, a block of
    // records at a time) from flat records; the same records written as
    // whole incidents take the located path and the evaluator. Some facts
    // are left out (unknown), in a varying order.
    let scratch = Scratch::new("fast");
    let (mut flat, mut whole) = (String::new(), String::new());
    let levels = ["none", "reasonable_suspicion", "preponderance", "clear_and_convincing", "beyond_reasonable_doubt"];
    let booleans = ["state_organ", "state_directed", "state_controlled_op", "state_financed", "state_organised", "intl_armed_conflict"];
    let numbers = ["severity", "immediacy", "deaths", "economic_loss", "military_character", "presumptive_legality"];
    let mut seed = 5u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for id in 0..2000 {
        let mut facts = serde_json::Map::new();
        for b in booleans {
            if next(5) > 0 {
                facts.insert(b.into(), Json::Bool(next(2) == 0));
            }
        }
        for n in numbers {
            if next(5) > 0 {
                facts.insert(n.into(), Json::from(next(4) * if n == "economic_loss" { 60 } else { 1 }));
            }
        }
        for e in ["attribution_evidence", "imminence_evidence"] {
            if next(5) > 0 {
                facts.insert(e.into(), Json::String(levels[next(5) as usize].into()));
            }
        }
        for b in ["physical_damage", "necessary", "proportionate", "imminent_threat", "last_window", "non_state_actor"] {
            facts.insert(b.into(), Json::Bool(next(2) == 0));
        }
        let mut record = serde_json::Map::new();
        record.insert("id".into(), Json::from(id));
        record.extend(facts.clone());
        flat.push_str(&Json::Object(record).to_string());
        flat.push('\n');
        whole.push_str(&serde_json::json!({ "incident": { "name": id.to_string() }, "facts": facts }).to_string());
        whole.push('\n');
    }
    let (flat_path, whole_path) = (scratch.path("flat.jsonl"), scratch.path("whole.jsonl"));
    std::fs::write(&flat_path, &flat).unwrap();
    std::fs::write(&whole_path, &whole).unwrap();
    let run = |input: &str, wide: bool| {
        let mut args = vec!["batch", "benches/data/peers/us.norm", "benches/data/peers/france.norm", "benches/data/peers/china.norm"];
        args.extend(["--incidents", input, "--status", "--format", "csv", "--jobs", "2"]);
        if wide {
            args.push("--wide");
        }
        let out = opinio(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    for wide in [false, true] {
        let (fast, summary) = run(&flat_path, wide);
        assert!(fast.contains(",unknown,undetermined") && fast.contains(",true,applied"), "{fast}");
        assert_eq!((fast, summary), run(&whole_path, wide));
    }
}

#[test]
fn what_the_fast_path_cannot_compute_goes_to_the_evaluator() {
    // A division by zero: the fast path leaves the record to the
    // evaluator, which reports it with its line; the others are evaluated.
    let scratch = Scratch::new("division");
    let norm = scratch.path("ratio.norm");
    std::fs::write(
        &norm,
        "module ratio\nfact a: number \"A.\"\nfact b: number \"B.\"\nconclusion ratio: number \"R.\"\nconclusion high: bool \"H.\"\n\
         rule r\n  ratio = a / b\nrule h\n  high if ratio > 1\n",
    )
    .unwrap();
    let input = scratch.path("cases.jsonl");
    std::fs::write(&input, "{\"a\":2,\"b\":1}\n{\"a\":2,\"b\":0}\n{\"a\":2}\n{\"a\":0,\"b\":4}\n").unwrap();
    let out = opinio(&["--error-format", "plain", "batch", &norm, "--incidents", &input, "--format", "csv", "--status"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cases.jsonl, line 2") && stderr.contains("division by zero"), "{stderr}");
    assert!(stderr.contains("3 incidents evaluated, 1 skipped"), "{stderr}");
    assert_eq!(
        text(&out.stdout),
        "id,position,ratio,ratio.status,high,high.status\n\
         1,ratio,2,applied,true,applied\n\
         3,ratio,unknown,undetermined,unknown,undetermined\n\
         4,ratio,0,applied,false,no_rule_applies\n"
    );
}
