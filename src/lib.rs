#![doc = include_str!("../ARCHITECTURE.md")]
#![warn(missing_docs)]
// Diagnostics are rich data returned by value; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod check;
pub mod compare;
pub mod diagnostics;
pub mod eval;
pub mod id;
pub mod incident;
pub mod io;
pub mod ir;
pub mod lint;
pub mod lower;
pub mod questions;
pub mod reports;
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

/// Compiles a `.norm` file: syntax, resolve, check, lower.
///
/// Every phase runs as far as it can, so one call reports every problem; the
/// program is returned only when no phase reported an error.
pub fn compile(entry_name: &str, entry_text: &str, loader: &mut dyn Loader) -> Compiled {
    compile_as_of(entry_name, entry_text, loader, None)
}

/// Compiles as [`compile`] does, with each position as it stood on the day
/// `as_of` (days from 1970-01-01; see [`value::days_from_civil`]): the
/// changes of statements made after it are left out.
pub fn compile_as_of(entry_name: &str, entry_text: &str, loader: &mut dyn Loader, as_of: Option<i32>) -> Compiled {
    compile_keeping(entry_name, entry_text, loader, as_of).0
}

/// Compiles as [`compile_as_of`] does, and hands back the checked program
/// the IR was lowered from (declarations, syntax trees and checked rules)
/// when there is one, where [`compile_as_of`] frees it. Freeing it costs
/// about a tenth of the compile of a large theory: a command that exits
/// next may leave that to the end of the process. Its `resolved.sources`
/// are moved to [`Compiled::sources`].
pub fn compile_keeping(
    entry_name: &str,
    entry_text: &str,
    loader: &mut dyn Loader,
    as_of: Option<i32>,
) -> (Compiled, Option<check::Checked>) {
    let (mut resolved, mut diagnostics) = resolve::resolve_as_of(entry_name, entry_text, loader, as_of);
    let sources = std::mem::take(&mut resolved.sources);
    let parsed_everything = !diagnostics.iter().any(|d| d.code == &codes::SYNTAX || d.code == &codes::INVALID_LITERAL);
    let mut program = None;
    let mut rule_spans = Vec::new();
    let mut kept = None;
    if parsed_everything && !resolved.modules.is_empty() {
        let (checked, more) = check::check(resolved);
        diagnostics.extend(more);
        if let (Some(checked), false) = (checked, diagnostics::has_errors(&diagnostics)) {
            program = Some(lower::lower(&checked));
            rule_spans = checked.resolved.rules.iter().map(|r| r.decl.name.span).collect();
            kept = Some(checked);
        }
    }
    diagnostics::sort(&mut diagnostics);
    (Compiled { sources, program, diagnostics, rule_spans }, kept)
}
