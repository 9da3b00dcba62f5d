//! `opinio witness POSITION_A POSITION_B [--conclusion C] [--near INCIDENT]`

use std::path::Path;
use std::process::ExitCode;

use opinio::eval::Evaluator;
use opinio::incident::write::{to_toml, FactOut};
use opinio::incident::{self, Format, Incident, IncidentMeta, Vocabulary};
use opinio::ir::Program;
use opinio::questions::domain::Space;
use opinio::questions::search::Found;
use opinio::questions::{self, Witness};
use opinio::source::Span;
use opinio::value::{Proof, Value};
use serde::Serialize;

use super::{read, Output, Usage};

/// An incident on which two positions give a conclusion different results.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first position (`.norm`).
    a: String,
    /// The second position (`.norm`).
    b: String,
    /// The conclusion (default: every conclusion both have, one line each).
    #[arg(long, value_name = "NAME")]
    conclusion: Option<String>,
    /// Start from this incident: the fewest changes to its facts that make
    /// the positions part.
    #[arg(long, value_name = "INCIDENT")]
    near: Option<String>,
    /// Write the incident file here (with `--conclusion`) instead of
    /// printing it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// How many partial incidents the search may evaluate for each
    /// conclusion; a conclusion it cannot decide within them is `undecided`.
    #[arg(long, value_name = "N", default_value_t = questions::BUDGET)]
    budget: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format_::Text)]
    format: Format_,
    /// Take the positions as they stood on this day (YYYY-MM-DD).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format_ {
    /// For a reader.
    Text,
    /// One JSON object (schema in docs/questions.md).
    Json,
}

/// The answer for one conclusion.
#[derive(Debug, Serialize)]
struct Answer {
    conclusion: String,
    /// `found`, `identical`, `none` or `undecided`.
    outcome: &'static str,
    /// Partial incidents evaluated.
    evaluated: u64,
    /// For `found`: whether no incident with fewer facts (changes) parts
    /// them; else none of its facts can be left out.
    smallest: bool,
    /// For `found`: the facts given (otherwise than in `--near`'s incident).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    facts: Vec<FactJson>,
    /// For `found`: each position's result, with its deciding rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    results: Vec<PositionResult>,
    /// For `found`: the incident file.
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<String>,
    /// For `found`: each position's derivation, as `explain` writes it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    derivations: Vec<String>,
    /// Where the finite abstraction is not exact.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    limits: Vec<String>,
}

impl Answer {
    /// An answer that writes no incident.
    fn without_incident(conclusion: &str, outcome: &'static str, evaluated: u64, limits: Vec<String>) -> Answer {
        Answer {
            conclusion: conclusion.to_string(),
            outcome,
            evaluated,
            smallest: false,
            facts: vec![],
            results: vec![],
            incident: None,
            derivations: vec![],
            limits,
        }
    }
}

#[derive(Debug, Serialize)]
struct FactJson {
    fact: String,
    value: String,
    proof: Option<&'static str>,
    /// In `--near`'s incident.
    #[serde(skip_serializing_if = "Option::is_none")]
    was: Option<String>,
    stands_for: Option<String>,
}

#[derive(Debug, Serialize)]
struct PositionResult {
    position: String,
    value: String,
    status: opinio::eval::Status,
    mark: Option<&'static str>,
    rule: Option<String>,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    if args.output.is_some() && args.conclusion.is_none() {
        return Err(Usage("`-o` writes one incident file: name its conclusion with `--conclusion`".into()));
    }
    // Never write over a file read.
    let inputs = [Some(&args.a), Some(&args.b), args.near.as_ref()].into_iter().flatten().map(String::as_str);
    super::refuse_output_over(args.output.as_deref(), inputs, "the incident")?;
    let day = match super::as_of(args.as_of.as_deref())? {
        None => None,
        Some(super::AsOf::Day(day)) => Some(day),
        Some(super::AsOf::Incident) => return Err(Usage("`witness` takes `--as-of DATE`, not `incident`".into())),
    };
    let mut programs = Vec::new();
    for path in [&args.a, &args.b] {
        let c = out.compile_file_as_of(path, day);
        out.diagnostics(&c.diagnostics, &c.sources);
        match c.program {
            Some(p) => programs.push(p),
            None => return Ok(ExitCode::from(1)),
        }
    }
    let (a, b) = (&programs[0], &programs[1]);
    let names: Vec<String> = match &args.conclusion {
        Some(c) => {
            for p in [a, b] {
                if p.conclusion_named(c).is_none() {
                    let help = opinio::diagnostics::suggest::help_for(c, p.conclusions.iter().map(|x| x.name.as_str()), || {
                        "name a conclusion both positions have".into()
                    });
                    return Err(Usage(format!("`{}` has no conclusion `{c}`; {help}", p.name)));
                }
            }
            vec![c.clone()]
        }
        None => a.conclusions.iter().filter(|c| b.conclusion_named(&c.name).is_some()).map(|c| c.name.clone()).collect(),
    };
    let vocabulary = Vocabulary::new([a, b]);
    let space = Space::of(&[a, b]);
    // The incident to start from, read under both positions.
    let near: Option<Vec<Incident>> = match &args.near {
        None => None,
        Some(path) => {
            let Some(format) = Format::from_path(path) else {
                return Err(Usage(format!("`{path}` is neither `.toml` nor `.json`; name the incident file with one of these extensions")));
            };
            let mut sources = opinio::source::SourceMap::new();
            let text = match read(path, &mut sources) {
                Ok(t) => t,
                Err(d) => {
                    out.diagnostics(&[d], &sources);
                    return Ok(ExitCode::from(1));
                }
            };
            let file = sources.add(path.clone(), text.clone());
            let mut read_under = Vec::new();
            for p in [a, b] {
                match incident::load_in(p, &vocabulary, file, &text, format) {
                    Ok(i) => read_under.push(i),
                    Err(ds) => {
                        out.diagnostics(&ds, &sources);
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            Some(read_under)
        }
    };
    let base = match &near {
        Some(incidents) => questions::base_of(&space, &[&incidents[0], &incidents[1]]),
        None => vec![(Value::Unknown, Proof::UNSTATED); space.slots.len()],
    };
    let rates = near.as_ref().map(|i| i[0].meta.exchange_rates.clone()).unwrap_or_default();
    let mut answers = Vec::new();
    for name in &names {
        let result = questions::witness(a, b, &space, &base, rates.clone(), name, args.budget).map_err(Usage)?;
        let answer = match result {
            Witness::Found { found, smallest, runs } => {
                match found_answer(a, b, &space, &base, near.as_deref(), &vocabulary, name, &found, &args) {
                    Ok(answer) => Answer { evaluated: runs, smallest, ..answer },
                    Err(message) => {
                        eprintln!("error: {message}");
                        return Ok(ExitCode::from(1));
                    }
                }
            }
            Witness::Identical => Answer::without_incident(name, "identical", 0, Vec::new()),
            Witness::NoneExists { runs } => Answer::without_incident(name, "none", runs, space.limits.clone()),
            Witness::Undecided { runs } => Answer::without_incident(name, "undecided", runs, space.limits.clone()),
        };
        answers.push(answer);
    }
    if let (Some(path), Some(answer)) = (&args.output, answers.first()) {
        if let Some(text) = &answer.incident {
            if let Err(e) = opinio::io::write_atomically(Path::new(path), text) {
                let mut sources = opinio::source::SourceMap::new();
                let file = sources.add(path.clone(), "");
                out.diagnostics(&[opinio::io::cannot_write(&format!("`{path}`"), &e, Span::new(file, 0, 0))], &sources);
                return Ok(ExitCode::from(1));
            }
        }
    }
    let text = match args.format {
        Format_::Json => {
            let doc = serde_json::json!({ "schema_version": 1, "a": a.name, "b": b.name, "near": args.near, "conclusions": answers });
            serde_json::to_string_pretty(&doc).map_err(|e| Usage(format!("cannot write JSON: {e}")))? + "\n"
        }
        Format_::Text if args.conclusion.is_some() => one_text(a, b, &answers[0], args.output.as_deref(), args.near.as_deref()),
        Format_::Text => table_text(a, b, &answers, args.near.as_deref(), (&args.a, &args.b)),
    };
    super::emit(&text).map_err(|e| Usage(format!("cannot write the answer: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// The incident file of a witness, read back under both positions: both
/// results, and their derivations.
#[allow(clippy::too_many_arguments)]
fn found_answer(
    a: &Program,
    b: &Program,
    space: &Space,
    base: &[(Value, Proof)],
    near: Option<&[Incident]>,
    vocabulary: &Vocabulary,
    conclusion: &str,
    found: &Found,
    args: &Args,
) -> Result<Answer, String> {
    let mut facts: Vec<FactOut> = Vec::new();
    // The facts of the incident started from, as it gives them.
    if let Some(near) = near {
        for (u, slot) in space.slots.iter().enumerate() {
            if found.changes.iter().any(|c| c.slot == u) {
                continue;
            }
            let Some((p, s)) = space.maps.iter().enumerate().find_map(|(p, m)| m[u].map(|s| (p, s))) else { continue };
            let incident = &near[p];
            let annotation = incident.annotations[s.index()].clone();
            if base[u].0.is_unknown() && annotation.is_none() {
                continue;
            }
            facts.push(FactOut { name: slot.name.clone(), value: base[u].0.clone(), proof: base[u].1, annotation });
        }
    }
    for c in &found.changes {
        let note = if near.is_some() { "changed by `opinio witness --near`" } else { "given by `opinio witness`" };
        let annotation = Some(opinio::incident::Annotation { note: Some(note.to_string()), ..Default::default() });
        facts.push(FactOut { name: space.slots[c.slot].name.clone(), value: c.value.clone(), proof: c.proof, annotation });
    }
    let order: Vec<&str> = space.slots.iter().map(|s| s.name.as_str()).collect();
    facts.sort_by_key(|f| order.iter().position(|n| *n == f.name));
    let command = format!(
        "opinio witness {} {} --conclusion {conclusion}{}",
        args.a,
        args.b,
        args.near.as_ref().map(|n| format!(" --near {n}")).unwrap_or_default()
    );
    let meta = match near {
        Some(near) => IncidentMeta {
            name: format!("{} (changed so that {} and {} part on {conclusion})", near[0].meta.name, a.name, b.name),
            ..near[0].meta.clone()
        },
        None => IncidentMeta {
            name: format!("Witness: {} and {} on {conclusion}", a.name, b.name),
            summary: Some(format!(
                "An incident made by `{command}`: as few facts as the search could give on which the two positions give `{conclusion}` different results. Every other fact is unknown. It is not a real incident."
            )),
            ..IncidentMeta::default()
        },
    };
    let mut comment = vec![format!("Made by `{command}`.")];
    for c in found.changes.iter().filter(|c| c.class.is_some()) {
        comment.push(format!("`{}`: the value stands for {}.", space.slots[c.slot].name, c.class.as_deref().unwrap_or_default()));
    }
    let text = to_toml(a, &comment, &meta, &facts);
    // Read back, as `eval` would read it.
    let mut sources = opinio::source::SourceMap::new();
    let file = sources.add("witness.toml".to_string(), text.clone());
    let mut results = Vec::new();
    let mut derivations = Vec::new();
    let mut shown = Vec::new();
    for p in [a, b] {
        let incident = incident::load_in(p, vocabulary, file, &text, Format::Toml).map_err(|ds| {
            format!(
                "the witness incident does not read back under `{}` (a bug in opinio): {}",
                p.name,
                ds.first().map_or("no diagnostic", |d| d.message.as_str())
            )
        })?;
        let outcome =
            Evaluator::new(p).explain(incident.input()).map_err(|e| format!("the witness incident fails under `{}`: {e:?}", p.name))?;
        let c = p.conclusion_named(conclusion).ok_or("no such conclusion")?;
        let o = outcome.get(c);
        let value = opinio::reports::result_text(p, &o.value, o.status);
        shown.push(value.clone());
        results.push(PositionResult {
            position: p.name.clone(),
            value,
            status: o.status,
            mark: opinio::reports::status_mark(o.status, o.value == Value::Bool(false)),
            rule: o.rule.map(|r| p.rules[r].name.clone()),
        });
        let explanation = opinio::reports::explain::explain(p, &incident, &outcome, &[c], false);
        derivations.push(opinio::reports::explain::text(&explanation));
    }
    if shown[0] == shown[1] {
        return Err(format!("the witness found for `{conclusion}` gives both positions `{}` when read back (a bug in opinio)", shown[0]));
    }
    let facts_json = found
        .changes
        .iter()
        .map(|c| FactJson {
            fact: space.slots[c.slot].name.clone(),
            value: opinio::reports::value_text(a, &c.value),
            proof: if c.value.is_unknown() { None } else { c.proof.name() },
            was: near.map(|_| opinio::reports::value_text(a, &base[c.slot].0)),
            stands_for: c.class.clone(),
        })
        .collect();
    Ok(Answer {
        conclusion: conclusion.to_string(),
        outcome: "found",
        evaluated: 0,
        smallest: false,
        facts: facts_json,
        results,
        incident: Some(text),
        derivations,
        limits: space.limits.clone(),
    })
}

fn result_line(r: &PositionResult) -> String {
    let mark = r.mark.map(|m| format!(" ({m})")).unwrap_or_default();
    let by = match &r.rule {
        // A burden or a standard decided it, not the rule that applied.
        _ if matches!(
            r.status,
            opinio::eval::Status::BurdenNotMet | opinio::eval::Status::BelowStandard | opinio::eval::Status::StandardUnstated
        ) =>
        {
            format!(", {}", r.status.name().replace('_', " "))
        }
        Some(rule) => format!(", by {rule}"),
        None if r.value == "open" => String::new(),
        None => format!(", {}", r.status.name().replace('_', " ")),
    };
    format!("{}{mark}{by}", r.value)
}

fn fact_line(f: &FactJson) -> String {
    let proof = f.proof.map(|p| format!(", proven {p}")).unwrap_or_default();
    let was = f.was.as_ref().map(|w| format!(" (was {w})")).unwrap_or_default();
    let stands = f.stands_for.as_ref().map(|s| format!("; stands for {s}")).unwrap_or_default();
    format!("{} = {}{proof}{was}{stands}", f.fact, f.value)
}

fn one_text(a: &Program, b: &Program, answer: &Answer, output: Option<&str>, near: Option<&str>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let c = &answer.conclusion;
    match answer.outcome {
        "found" => {
            let _ = writeln!(s, "{} and {} part on {c}:", a.name, b.name);
            let width = a.name.len().max(b.name.len());
            for r in &answer.results {
                let _ = writeln!(s, "  {:<width$}  {}", r.position, result_line(r));
            }
            let what = match (near, answer.facts.len()) {
                (Some(n), 0) => format!("on `{n}` as it is."),
                (Some(n), k) => format!("changing {} of `{n}`:", count(k, "fact")),
                (None, 0) => "on an incident that gives no fact (every fact unknown).".to_string(),
                (None, k) => format!("on an incident giving {} (every other fact unknown):", count(k, "fact")),
            };
            let _ = writeln!(s, "{what}");
            for f in &answer.facts {
                let _ = writeln!(s, "  {}", fact_line(f));
            }
            if !answer.facts.is_empty() {
                let _ = writeln!(
                    s,
                    "{}",
                    if answer.smallest {
                        "No incident with fewer facts parts them (every smaller one was tried)."
                    } else {
                        "No fact of it can be left out; whether a smaller one parts them was not decided within the budget."
                    }
                );
            }
            for limit in &answer.limits {
                let _ = writeln!(s, "not exact: {limit}");
            }
            match output {
                Some(path) => {
                    let _ = writeln!(s, "\nThe incident file is written to `{path}`.");
                }
                None => {
                    let _ = writeln!(s, "\nThe incident file:\n");
                    s.push_str(answer.incident.as_deref().unwrap_or_default());
                }
            }
            for (p, d) in [a, b].iter().zip(&answer.derivations) {
                let _ = writeln!(s, "\nHow {} decides it:\n", p.name);
                s.push_str(d);
            }
        }
        "identical" => {
            let _ = writeln!(
                s,
                "No incident parts {} and {} on {c}: both derive it by the same rules from the same facts (what either changes of the base, it changes alike or not at all), so they give it the same result on every incident.",
                a.name, b.name
            );
        }
        "none" => {
            let _ = writeln!(
                s,
                "No incident parts {} and {} on {c}: every incident of the finite abstraction gives both the same result ({} partial incidents walked; docs/questions.md says how).",
                a.name, b.name, answer.evaluated
            );
            for limit in &answer.limits {
                let _ = writeln!(s, "not exact: {limit}");
            }
        }
        _ => {
            let _ = writeln!(s, "Undecided: the search stopped after {} partial incidents without finding an incident that parts {} and {} on {c}, or walking them all.", answer.evaluated, a.name, b.name);
        }
    }
    s
}

fn table_text(a: &Program, b: &Program, answers: &[Answer], near: Option<&str>, files: (&str, &str)) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let from = near.map(|n| format!(", changing `{n}`")).unwrap_or_default();
    let _ = writeln!(s, "Where {} and {} part{from} ({} conclusions):", a.name, b.name, answers.len());
    let width = answers.iter().map(|x| x.conclusion.len()).max().unwrap_or(0);
    for x in answers {
        let what = match x.outcome {
            "found" => format!(
                "part {}: {}",
                if x.facts.is_empty() { "with no fact given".to_string() } else { format!("with {}", count(x.facts.len(), "fact")) },
                x.results.iter().map(|r| format!("{} {}", r.position, r.value)).collect::<Vec<_>>().join(", ")
            ),
            "identical" => "never: same rules, same facts".to_string(),
            "none" => format!("never: every incident tried ({} partial incidents)", x.evaluated),
            _ => format!("undecided after {} partial incidents", x.evaluated),
        };
        let _ = writeln!(s, "  {:<width$}  {what}", x.conclusion);
    }
    let _ = writeln!(s, "\n`opinio witness {} {} --conclusion NAME` writes the incident and both derivations.", files.0, files.1);
    s
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
