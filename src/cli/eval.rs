//! `opinio eval NORMS INCIDENT`

use std::process::ExitCode;

use opinio::diagnostics::{has_errors, Diagnostic};
use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::source::Span;

use super::{read, Output, Usage};

/// Evaluate norms against an incident file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The `.norm` file to evaluate (with everything it imports).
    norms: String,
    /// The incident file (`.toml` or `.json`).
    incident: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Take the positions as they stood on this day (YYYY-MM-DD), or on the
    /// incident's own date (`incident`): changes of later statements are left out.
    #[arg(long = "as-of", value_name = "DATE|incident")]
    as_of: Option<String>,
    #[command(flatten)]
    changes: super::FactChanges,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    /// One paragraph per conclusion.
    Text,
    /// One JSON object (schema in docs/eval-json.md).
    Json,
}

/// Norms evaluated on an incident, for `eval` and `explain`.
pub struct Evaluated {
    /// The compiled norms.
    pub program: opinio::ir::Program,
    /// The incident.
    pub incident: opinio::incident::Incident,
    /// The evaluation, with its trace.
    pub outcome: opinio::eval::Outcome,
}

/// Compiles the norms, reads the incident and evaluates it, reporting every
/// problem. `Ok(Err(code))` when a problem was reported (exit code 1).
pub fn evaluate(
    norms: &str,
    incident_path: &str,
    as_of: Option<&str>,
    changes: &[incident::FactChange],
    out: &Output,
) -> Result<Result<Evaluated, ExitCode>, Usage> {
    let Some(format) = Format::from_path(incident_path) else {
        return Err(Usage(format!(
            "`{incident_path}` is neither `.toml` nor `.json`; name the incident file with one of these extensions"
        )));
    };
    let failed = Ok(Err(ExitCode::from(1)));
    let day = match super::as_of(as_of)? {
        None => None,
        Some(super::AsOf::Day(day)) => Some(day),
        Some(super::AsOf::Incident) => {
            let mut sources = opinio::source::SourceMap::new();
            let text = match read(incident_path, &mut sources) {
                Ok(t) => t,
                Err(d) => {
                    out.diagnostics(&[d], &sources);
                    return failed;
                }
            };
            let file = sources.add(incident_path.to_string(), text.clone());
            match incident::day_of(file, &text, format) {
                Ok(day) => Some(day),
                Err(d) => {
                    out.diagnostics(&[d], &sources);
                    return failed;
                }
            }
        }
    };
    let mut compiled = out.compile_file_as_of(norms, day);
    let Some(program) = compiled.program.clone() else {
        out.diagnostics(&compiled.diagnostics, &compiled.sources);
        return failed;
    };
    // Warnings about the norms still show.
    out.diagnostics(&compiled.diagnostics, &compiled.sources);
    let incident_text = match read(incident_path, &mut compiled.sources) {
        Ok(t) => t,
        Err(d) => {
            out.diagnostics(&[d], &compiled.sources);
            return failed;
        }
    };
    let file = compiled.sources.add(incident_path.to_string(), incident_text.clone());
    let loaded = if changes.is_empty() {
        incident::load(&program, file, &incident_text, format)
    } else {
        // The changes are made to the file's tree, then checked with it.
        incident::parse_tree(file, &incident_text, format)
            .and_then(|mut root| Ok((incident::apply_changes(&mut root, changes, &program, &mut compiled.sources)?, root)))
            .map_err(|d| vec![d])
            .and_then(|(changed, root)| incident::load_tree(&program, &root).map(|i| incident::Incident { changed, ..i }))
    };
    let incident = match loaded {
        Ok(i) => i,
        Err(diagnostics) => {
            out.diagnostics(&diagnostics, &compiled.sources);
            return failed;
        }
    };
    let mut evaluator = Evaluator::new(&program);
    let outcome = match evaluator.explain(incident.input()) {
        Ok(o) => o,
        Err(e) => {
            let d = compiled.eval_diagnostic(&e).unwrap_or_else(|| {
                Diagnostic::new(&opinio::diagnostics::codes::RULE_CONFLICT, Span::new(file, 0, 0), "evaluation failed".to_string())
            });
            out.diagnostics(&[d], &compiled.sources);
            return failed;
        }
    };
    debug_assert!(!has_errors(&compiled.diagnostics));
    Ok(Ok(Evaluated { program, incident, outcome }))
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let changes = args.changes.changes()?;
    let Evaluated { program, incident, outcome } = match evaluate(&args.norms, &args.incident, args.as_of.as_deref(), &changes, out)? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    match args.format {
        OutputFormat::Text => super::emit(&opinio::reports::eval::eval_text(&program, &incident, &outcome)),
        OutputFormat::Json => match serde_json::to_string_pretty(&opinio::reports::eval::eval_json(&program, &incident, &outcome)) {
            Ok(json) => super::emit(&(json + "\n")),
            Err(e) => {
                eprintln!("error: cannot serialise the result: {e}");
                return Ok(ExitCode::from(1));
            }
        },
    }
    .map_err(|e| Usage(format!("cannot write the result: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
