//! `opinio explain NORMS INCIDENT [CONCLUSION]`

use std::process::ExitCode;

use super::{Output, Usage};

/// Explain, in prose, how the norms decide each conclusion on an incident.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The `.norm` file or position to explain (with everything it imports or extends).
    norms: String,
    /// The incident file (`.toml` or `.json`).
    incident: String,
    /// Explain only this conclusion.
    conclusion: Option<String>,
    /// Show every rule of each conclusion, not only those that decided or may.
    #[arg(long)]
    full: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// Take the positions as they stood on this day (YYYY-MM-DD), or on the
    /// incident's own date (`incident`): changes of later statements are left out.
    #[arg(long = "as-of", value_name = "DATE|incident")]
    as_of: Option<String>,
    #[command(flatten)]
    changes: super::FactChanges,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExplainFormat {
    /// Prose, one paragraph per conclusion.
    Text,
    /// One JSON object (schema in docs/explain-json.md).
    Json,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let changes = args.changes.changes()?;
    let evaluated = match super::eval::evaluate(&args.norms, &args.incident, args.as_of.as_deref(), &changes, out)? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let (program, incident, outcome) = (&evaluated.program, &evaluated.incident, &evaluated.outcome);
    let only = match &args.conclusion {
        None => Vec::new(),
        Some(name) => match program.conclusion_named(name) {
            Some(id) => vec![id],
            None => {
                let mut names: Vec<&str> = program.conclusions.iter().map(|c| c.name.as_str()).collect();
                names.sort_unstable();
                let help = opinio::diagnostics::suggest::help_for(name, names, || "name a conclusion of these norms".into());
                return Err(Usage(format!("`{}` has no conclusion `{name}`; {help}", program.name)));
            }
        },
    };
    let explanation = opinio::reports::explain::explain(program, incident, outcome, &only, args.full);
    let rendered = match args.format {
        ExplainFormat::Text => opinio::reports::explain::text(&explanation),
        ExplainFormat::Json => {
            serde_json::to_string_pretty(&explanation).map_err(|e| Usage(format!("cannot serialise the explanation: {e}")))? + "\n"
        }
    };
    super::emit(&rendered).map_err(|e| Usage(format!("cannot write the explanation: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
