//! `opinio compare POSITION... --incidents PATH...`

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use opinio::compare::{self, Comparison, IncidentComparison, Run};
use opinio::diagnostics::Diagnostic;
use opinio::eval::Evaluator;
use opinio::incident::{self, Format, Vocabulary};
use opinio::source::Span;

use super::{read, Output, Usage};

/// Evaluate several positions on incidents, and show where and why they diverge.
#[derive(Debug, clap::Args)]
#[command(after_help = "`--set` and `--unset` change every incident given, as if each file said so, under every position: \
a fact only some positions declare is ignored, with a note, under the others; one none declares is an error (E0502). \
Each report names every changed incident with its changes (\"NotPetya (changed: deaths = 12)\"; in JSON, `changed`).")]
pub struct Args {
    /// The position (or norm) files to compare, in the order of the columns.
    #[arg(required = true)]
    positions: Vec<String>,
    /// Incident files (`.toml`, `.json`) or directories of them.
    #[arg(long, required = true, num_args = 1..)]
    incidents: Vec<String>,
    /// Show only these conclusions (repeatable).
    #[arg(long = "conclusion", value_name = "NAME")]
    conclusions: Vec<String>,
    /// Show only the conclusions on which the positions diverge.
    #[arg(long)]
    divergent_only: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    format: CompareFormat,
    /// Write the output to this file (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Take the positions as they stood on this day (YYYY-MM-DD), or on each
    /// incident's own date (`incident`): changes of later statements are left out.
    #[arg(long = "as-of", value_name = "DATE|incident")]
    as_of: Option<String>,
    #[command(flatten)]
    changes: super::FactChanges,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CompareFormat {
    /// The legend, a summary of what divides the positions, then a table per incident and the changes that cause its divergences, fitted to the terminal.
    Table,
    /// One JSON object (schema in docs/compare-json.md).
    Json,
    /// A Markdown report: the summary, the closest positions, each incident, the bibliography.
    Markdown,
    /// One row per position x incident x conclusion.
    Csv,
    /// A self-contained HTML report (no network access, no external assets).
    Html,
    /// The bibliography of the comparison, as CSL-JSON (for Zotero, Mendeley, pandoc).
    CslJson,
    /// The bibliography of the comparison, as BibTeX.
    Bibtex,
    /// LaTeX tables (booktabs, longtable) to `\input` in a paper's appendix.
    Latex,
    /// The LaTeX tables in a complete document, ready to compile.
    LatexDocument,
}

/// The incident files named on the command line: files as given, directories
/// read for `.toml` and `.json` files, sorted.
fn incident_files(paths: &[String]) -> Result<Vec<String>, Usage> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| Usage(format!("cannot read the directory `{p}`: {e}")))?;
            let mut found: Vec<PathBuf> =
                entries.flatten().map(|e| e.path()).filter(|f| f.is_file() && Format::from_path(&f.to_string_lossy()).is_some()).collect();
            found.sort();
            if found.is_empty() {
                return Err(Usage(format!("the directory `{p}` holds no `.toml` or `.json` incident file")));
            }
            out.extend(found.into_iter().map(|f| f.to_string_lossy().to_string()));
        } else if Format::from_path(p).is_none() {
            return Err(Usage(format!(
                "`{p}` is neither `.toml` nor `.json`; name incident files with one of these extensions, or give a directory"
            )));
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let changes = args.changes.changes()?;
    let files = incident_files(&args.incidents)?;
    let as_of = super::as_of(args.as_of.as_deref())?;
    let day = match as_of {
        Some(super::AsOf::Day(day)) => Some(day),
        _ => None,
    };
    // Never write over a file read: the positions and the incidents.
    let output = args.output.as_deref();
    super::refuse_output_over(output, args.positions.iter().chain(&files).map(String::as_str), "the comparison")?;
    // Compile every position; report every problem before stopping.
    let mut compiled = Vec::new();
    let mut failed = false;
    for path in &args.positions {
        let c = out.compile_file_as_of(path, day);
        out.diagnostics(&c.diagnostics, &c.sources);
        failed |= c.program.is_none();
        compiled.push(c);
    }
    if failed {
        return Ok(ExitCode::from(1));
    }
    let mut programs: Vec<opinio::ir::Program> = compiled.iter().filter_map(|c| c.program.clone()).collect();
    let names: Vec<String> = programs.iter().map(|p| p.name.clone()).collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(Usage(format!("the position `{n}` is named twice; compare each position once")));
        }
    }
    for wanted in &args.conclusions {
        if !programs.iter().any(|p| p.conclusion_named(wanted).is_some()) {
            let mut all: Vec<&str> = programs.iter().flat_map(|p| p.conclusions.iter().map(|c| c.name.as_str())).collect();
            all.sort_unstable();
            all.dedup();
            let help = opinio::diagnostics::suggest::help_for(wanted, all, || "name a conclusion of one of the positions".into());
            return Err(Usage(format!("no position has a conclusion `{wanted}`; {help}")));
        }
    }
    // The positions are loaded together: a fact one of them declares is
    // ignored, with a note, under those that do not.
    let vocabulary = Vocabulary::new(&programs);
    let mut comparisons: Vec<IncidentComparison> = Vec::new();
    for file in &files {
        let format = Format::from_path(file).expect("filtered above");
        // The incident's own problems point into it alone, whichever position
        // they are found under, so that each is shown once.
        let mut incident_sources = opinio::source::SourceMap::new();
        let text = match read(file, &mut incident_sources) {
            Ok(t) => t,
            Err(d) => {
                out.diagnostics(&[d], &incident_sources);
                return Ok(ExitCode::from(1));
            }
        };
        let incident_file = incident_sources.add(file.clone(), text.clone());
        // `--as-of incident`: the positions as they stood on this incident's day.
        if as_of == Some(super::AsOf::Incident) {
            let day = match incident::day_of(incident_file, &text, format) {
                Ok(day) => day,
                Err(d) => {
                    out.diagnostics(&[d], &incident_sources);
                    return Ok(ExitCode::from(1));
                }
            };
            compiled = args.positions.iter().map(|path| out.compile_file_as_of(path, Some(day))).collect();
            programs = compiled.iter().filter_map(|c| c.program.clone()).collect();
        }
        // The file's tree, with the changes of the command line made to it
        // (checked against every position's facts, pointing at the argument).
        let mut root = match incident::parse_tree(incident_file, &text, format) {
            Ok(root) => root,
            Err(d) => {
                // Unreadable under every position alike.
                let failures: Vec<(usize, Vec<Diagnostic>)> = (0..programs.len()).map(|i| (i, vec![d.clone()])).collect();
                unreadable(&format!("`{file}`"), &names, &failures, &incident_sources, out);
                return Ok(ExitCode::from(1));
            }
        };
        let changed = match incident::apply_changes_in(&mut root, &changes, &vocabulary, &mut incident_sources) {
            Ok(changed) => changed,
            Err(d) => {
                out.diagnostics(&[d], &incident_sources);
                return Ok(ExitCode::from(1));
            }
        };
        let mut incidents = Vec::new();
        let mut failures: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
        for (i, program) in programs.iter().enumerate() {
            match incident::load_tree_in(program, &vocabulary, &root) {
                Ok(incident) => incidents.push(incident::Incident { changed: changed.clone(), ..incident }),
                Err(ds) => failures.push((i, ds)),
            }
        }
        if !failures.is_empty() {
            let what = if changes.is_empty() { format!("`{file}`") } else { format!("`{file}`, changed by `--set` and `--unset`,") };
            unreadable(&what, &names, &failures, &incident_sources, out);
            return Ok(ExitCode::from(1));
        }
        let title = incidents.first().map(|i| i.meta.name.clone()).unwrap_or_default();
        let mut outcomes = Vec::new();
        for ((c, program), incident) in compiled.iter_mut().zip(&programs).zip(&incidents) {
            match Evaluator::new(program).explain(incident.input()) {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    let id = c.sources.add(file.clone(), text.clone());
                    let d = c.eval_diagnostic(&e).unwrap_or_else(|| {
                        Diagnostic::new(&opinio::diagnostics::codes::RULE_CONFLICT, Span::new(id, 0, 0), "evaluation failed".to_string())
                    });
                    out.diagnostics(&[d], &c.sources);
                    return Ok(ExitCode::from(1));
                }
            }
        }
        let runs: Vec<Run<'_>> = programs
            .iter()
            .zip(&outcomes)
            .zip(&incidents)
            .map(|((program, outcome), incident)| Run { program, incident, outcome })
            .collect();
        comparisons.push(compare::compare_incident(&title, file, &runs));
    }
    let titles: Vec<String> = programs.iter().map(|p| p.title().to_string()).collect();
    let mut comparison = Comparison::new(names, titles, comparisons);
    comparison.retain_rows(|r| {
        (args.conclusions.is_empty() || args.conclusions.contains(&r.conclusion)) && (!args.divergent_only || r.divergent)
    });
    // Nor over a file the positions extend or import.
    super::refuse_output_over(output, compiled.iter().flat_map(|c| c.sources.names()), "the comparison")?;
    let rendered = match args.format {
        CompareFormat::Table => super::compare_table::table(&comparison, super::fit::width(args.output.is_some())),
        CompareFormat::Json => match serde_json::to_string_pretty(&opinio::reports::compare::json(&comparison)) {
            Ok(j) => j + "\n",
            Err(e) => return Err(Usage(format!("cannot serialise the comparison: {e}"))),
        },
        CompareFormat::Markdown => opinio::reports::compare::markdown(&comparison),
        CompareFormat::Csv => opinio::reports::compare::csv(&comparison).map_err(|e| Usage(format!("cannot write CSV: {e}")))?,
        CompareFormat::Html => opinio::reports::html::html(&comparison, &pages(&args.positions, &programs, day, out)),
        CompareFormat::CslJson => {
            let bibliography = opinio::reports::html::bibliography_of(&comparison, &pages(&args.positions, &programs, day, out));
            let csl = opinio::reports::bibliography::csl_json(&bibliography);
            serde_json::to_string_pretty(&csl).map_err(|e| Usage(format!("cannot serialise the bibliography: {e}")))? + "\n"
        }
        CompareFormat::Bibtex => opinio::reports::bibliography::bibtex(&opinio::reports::html::bibliography_of(
            &comparison,
            &pages(&args.positions, &programs, day, out),
        )),
        CompareFormat::Latex => opinio::reports::latex::latex(&comparison),
        CompareFormat::LatexDocument => opinio::reports::latex::latex_document(&comparison),
    };
    super::write_output(args.output.as_deref(), &rendered, "the comparison", out)
}

/// Each position's page of the report (what it changes against its bases,
/// compiled apart), in the order of the columns. The positions compiled
/// already, so their bases do: a base that does not compile on its own
/// leaves the page without the base's values, as `opinio show` does.
fn pages(paths: &[String], programs: &[opinio::ir::Program], day: Option<i32>, out: &Output) -> Vec<opinio::reports::show::PositionReport> {
    paths
        .iter()
        .zip(programs)
        .map(|(path, program)| {
            let (_, bases) = opinio::io::compile_file_and_bases(path, out.stdlib.as_ref(), day);
            let bases: Vec<opinio::ir::Program> = bases.into_iter().filter_map(|(_, b)| b.program).collect();
            opinio::reports::show::position_report(opinio::reports::show::Position { program, bases: &bases })
        })
        .collect()
}

/// Reports an incident file (`what`: its name, quoted, and whether it was
/// changed) that cannot be read under some positions: the
/// problems found under every position at once, then each position's own
/// (a value of the wrong type for the fact as that position declares it).
fn unreadable(what: &str, names: &[String], failures: &[(usize, Vec<Diagnostic>)], sources: &opinio::source::SourceMap, out: &Output) {
    // A diagnostic by what it says and where (hashed: an incident may have
    // many problems, under many positions).
    type Key<'d> = (&'static str, u32, u32, &'d str);
    fn key(d: &Diagnostic) -> Key<'_> {
        (d.code.id, d.primary.span.start, d.primary.span.end, d.message.as_str())
    }
    let mut counts: HashMap<Key<'_>, usize> = HashMap::new();
    for (_, ds) in failures {
        let once: HashSet<Key<'_>> = ds.iter().map(key).collect();
        for k in once {
            *counts.entry(k).or_default() += 1;
        }
    }
    // Found under every position: shown once.
    let everywhere = |d: &Diagnostic| failures.len() == names.len() && counts.get(&key(d)) == Some(&failures.len());
    let shared: Vec<Diagnostic> = failures[0].1.iter().filter(|d| everywhere(d)).cloned().collect();
    if !shared.is_empty() {
        if names.len() == 1 {
            eprintln!("error: {what} cannot be read under the position `{}`:", names[0]);
        } else {
            eprintln!("error: {what} cannot be read under any of the positions:");
        }
        out.diagnostics(&shared, sources);
    }
    for (i, ds) in failures {
        let own: Vec<Diagnostic> = ds.iter().filter(|d| !everywhere(d)).cloned().collect();
        if !own.is_empty() {
            eprintln!("error: {what} cannot be read under the position `{}`:", names[*i]);
            out.diagnostics(&own, sources);
        }
    }
}
