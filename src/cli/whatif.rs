//! `opinio whatif NORMS INCIDENT CONCLUSION`

use std::process::ExitCode;

use opinio::diagnostics::suggest;
use opinio::questions::{self, domain::Space};
use opinio::reports::whatif as report;

use super::eval::{evaluate, Evaluated};
use super::{Output, Usage};

/// The smallest changes to an incident's facts that give a conclusion
/// another result.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The `.norm` file (a position, or any norms).
    norms: String,
    /// The incident file (`.toml` or `.json`).
    incident: String,
    /// The conclusion.
    conclusion: String,
    /// Only changes that give this result (`true`, `false`, `unknown`,
    /// `open`, or an enumeration value).
    #[arg(long, value_name = "VALUE")]
    to: Option<String>,
    /// Keep this fact as the incident gives it (repeatable; a record fact
    /// keeps all its fields).
    #[arg(long = "fixed", value_name = "FACT")]
    fixed: Vec<String>,
    /// List every smallest set of at most N changes (default: the sets of
    /// the smallest size there is, and of the size after it).
    #[arg(long = "max-changes", value_name = "N")]
    max_changes: Option<usize>,
    /// How many partial incidents the search may evaluate (each takes some
    /// microseconds); the output says when it stopped there.
    #[arg(long, value_name = "N", default_value_t = questions::WHATIF_BUDGET)]
    budget: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Take the positions as they stood on this day (YYYY-MM-DD), or on the
    /// incident's own date (`incident`).
    #[arg(long = "as-of", value_name = "DATE|incident")]
    as_of: Option<String>,
    #[command(flatten)]
    changes: super::FactChanges,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// For a reader.
    Text,
    /// One JSON object (schema in docs/questions.md).
    Json,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let changes = args.changes.changes()?;
    let Evaluated { program, incident, .. } = match evaluate(&args.norms, &args.incident, args.as_of.as_deref(), &changes, out)? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let Some(conclusion) = program.conclusion_named(&args.conclusion) else {
        let names = program.conclusions.iter().map(|c| c.name.as_str());
        return Err(Usage(format!(
            "the norms have no conclusion `{}`{}",
            args.conclusion,
            suggest::did_you_mean(&args.conclusion, names).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
        )));
    };
    if args.max_changes == Some(0) {
        return Err(Usage("`--max-changes` must be at least 1".into()));
    }
    if let Some(to) = &args.to {
        let ty = program.conclusions[conclusion].ty;
        let mut allowed: Vec<String> = match ty {
            opinio::value::Type::Bool => vec!["true".into(), "false".into()],
            opinio::value::Type::Enum(e) => program.enums[e].values.clone(),
            _ => Vec::new(),
        };
        if !allowed.is_empty() {
            allowed.extend(["unknown".to_string(), "open".to_string()]);
            if !allowed.contains(to) {
                return Err(Usage(format!(
                    "`--to {to}`: `{}` is {}, whose results are {}",
                    args.conclusion,
                    program.type_name(ty),
                    allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    let space = Space::of(&[&program]);
    let fixed = fixed_slots(&space, &args.fixed)?;
    let base = questions::base_of(&space, &[&incident]);
    let question =
        questions::Question { conclusion, to: args.to.as_deref(), fixed: &fixed, max_changes: args.max_changes, budget: args.budget };
    let found = questions::what_if(&program, &space, &base, incident.meta.exchange_rates.clone(), &question)
        .map_err(|e| Usage(format!("cannot ask what if: {e}")))?;
    if args.to.as_deref() == Some(found.current.show().as_str()) {
        return Err(Usage(format!(
            "`{}` is already {} on this incident; ask for another result with `--to`",
            args.conclusion,
            found.current.show()
        )));
    }
    let r = report::WhatIfReport::new(&program, &incident, &space, &base, conclusion, args.to.as_deref(), &args.fixed, &found);
    let text = match args.format {
        Format::Text => report::text(&r),
        Format::Json => serde_json::to_string_pretty(&r).map_err(|e| Usage(format!("cannot write JSON: {e}")))? + "\n",
    };
    super::emit(&text).map_err(|e| Usage(format!("cannot write the answer: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// The space slots of the facts named by `--fixed` (a record fact: all its
/// fields); an unknown name is a usage error with a suggestion.
pub fn fixed_slots(space: &Space, names: &[String]) -> Result<Vec<usize>, Usage> {
    let mut out = Vec::new();
    for name in names {
        let prefix = format!("{name}.");
        let slots: Vec<usize> =
            (0..space.slots.len()).filter(|&u| space.slots[u].name == *name || space.slots[u].name.starts_with(&prefix)).collect();
        if slots.is_empty() {
            let names = space.slots.iter().map(|s| s.name.as_str());
            return Err(Usage(format!(
                "`--fixed {name}`: the norms declare no fact `{name}`{}",
                suggest::did_you_mean(name, names).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
            )));
        }
        out.extend(slots);
    }
    Ok(out)
}
