#![doc = include_str!("../ARCHITECTURE.md")]
#![warn(missing_docs)]
// Diagnostics are rich data returned by value; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod compare;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod incident;
pub mod io;
pub mod ir;
pub mod lower;
pub mod report;
pub mod resolve;
pub mod source;
pub mod stdlib;
pub mod syntax;
pub mod testing;
pub mod value;

use diagnostics::{codes, Diagnostic};
use resolve::Loader;
use source::SourceMap;

/// The result of compiling a `.norm` file and its imports.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// The program, when there was no error.
    pub program: Option<ir::Program>,
    /// Every problem found, errors and warnings, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each rule of the program is declared (its name), by rule id.
    pub rule_spans: Vec<source::Span>,
}

impl Compiled {
    /// Turns an evaluation error into a diagnostic pointing at the rules involved.
    pub fn eval_diagnostic(&self, error: &eval::EvalError) -> Option<Diagnostic> {
        let program = self.program.as_ref()?;
        let cites = |r: ir::RuleId| {
            let c = &program.rules[r as usize].cites;
            if c.is_empty() {
                String::from("no citation")
            } else {
                c.join("; ")
            }
        };
        Some(match error {
            eval::EvalError::Conflict { conclusion, first, second } => {
                let name = &program.conclusions[*conclusion as usize].name;
                let (a, b) = (&program.rules[first.0 as usize].name, &program.rules[second.0 as usize].name);
                Diagnostic::new(
                    &codes::RULE_CONFLICT,
                    self.rule_spans[second.0 as usize],
                    format!(
                        "the rules `{a}` and `{b}` both apply and give `{name}` different values: {} and {}",
                        report::value_text(program, &first.1),
                        report::value_text(program, &second.1)
                    ),
                )
                .label(format!("gives {} ({})", report::value_text(program, &second.1), cites(second.0)))
                .also(self.rule_spans[first.0 as usize], format!("gives {} ({})", report::value_text(program, &first.1), cites(first.0)))
                .help(format!("decide which prevails: add `prevails over {a}` to `{b}`, or make one an exception to the other"))
            }
            eval::EvalError::Arithmetic { rule, message } => Diagnostic::new(
                &codes::ARITHMETIC,
                self.rule_spans[*rule as usize],
                format!("evaluating the rule `{}` failed: {message}", program.rules[*rule as usize].name),
            )
            .label("in this rule")
            .help("check the incident's values: amounts combined must be in one currency, divisors must not be zero, and a rating given as a number must lie between 0 and 1; a date moved by a duration must stay between the years 0000 and 9999"),
            eval::EvalError::NoFixpoint { conclusion } => Diagnostic::new(
                &codes::RECURSION,
                self.rule_spans.first().copied().unwrap_or(source::Span::new(source::FileId(0), 0, 0)),
                format!("the recursive conclusion `{}` did not settle", program.conclusions[*conclusion as usize].name),
            )
            .help("this is a bug in opinio; please report it with the norms and the incident"),
        })
    }
}

/// Compiles a `.norm` file: syntax, resolve, check, lower.
///
/// Every phase runs as far as it can, so one call reports every problem; the
/// program is returned only when no phase reported an error.
pub fn compile(entry_name: &str, entry_text: &str, loader: &mut dyn Loader) -> Compiled {
    let (resolved, mut diagnostics) = resolve::resolve(entry_name, entry_text, loader);
    let sources = resolved.sources.clone();
    let parsed_everything = !diagnostics.iter().any(|d| d.code == &codes::SYNTAX || d.code == &codes::INVALID_LITERAL);
    let mut program = None;
    let mut rule_spans = Vec::new();
    if parsed_everything && !resolved.modules.is_empty() {
        let (checked, more) = check::check(resolved);
        diagnostics.extend(more);
        if let (Some(checked), false) = (checked, diagnostics::has_errors(&diagnostics)) {
            program = Some(lower::lower(&checked));
            rule_spans = checked.resolved.rules.iter().map(|r| r.decl.name.span).collect();
        }
    }
    diagnostics::sort(&mut diagnostics);
    Compiled { sources, program, diagnostics, rule_spans }
}
