//! Phase 3, check: [`Resolved`] declarations -> [`Checked`] rules.
//!
//! In: the declarations of a loaded program. Out: every expression resolved
//! to slots and ids and type-checked, the incident input layout, parameter
//! values, and the exception and priority relations between rules.
//! Guarantees (when no error was reported): expressions are well typed; every
//! rule concludes a declared conclusion with a value of its type; exceptions
//! and priorities relate rules of the same conclusion and form no cycle;
//! recursion among conclusions is stratified; no two rules certainly conflict.
//! Every problem is reported in one run: an unknown name becomes a
//! placeholder of type `Error`, which is never reported again.

mod decls;
mod elab;
mod layout;
mod rules;
mod types;

use crate::diagnostics::Diagnostic;
use crate::ir;
use crate::resolve::{ConclusionId, Resolved, RuleId};
use crate::value::Value;

pub use layout::{FactLayout, Layout};

/// A rule after checking.
#[derive(Debug, Clone)]
pub struct CheckedRule {
    /// The conclusion, unless it could not be resolved.
    pub conclusion: Option<ConclusionId>,
    /// The value it gives.
    pub value: ir::Expr,
    /// When it applies.
    pub condition: ir::Expr,
    /// The rules it is an exception to.
    pub exception_to: Vec<RuleId>,
    /// The rules it prevails over.
    pub prevails_over: Vec<RuleId>,
    /// The question it leaves open: an `open` declaration's, or the one a
    /// position's `open rule` adds to its conditions.
    pub question: Option<crate::ir::QuestionId>,
}

/// A type-checked program.
///
/// INVARIANT: built only by [`check`] when it reported no error; every
/// expression is well typed and refers to existing slots, conclusions and
/// parameters; `order` is a valid evaluation order.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The declarations.
    pub resolved: Resolved,
    /// The incident input layout.
    pub layout: Layout,
    /// The value of each parameter.
    pub params: Vec<Value>,
    /// The rules, indexed like `resolved.rules`.
    pub rules: Vec<CheckedRule>,
    /// The evaluation order of conclusions.
    pub strata: Vec<ir::Stratum>,
    /// Each conclusion's standard of proof (a constant or a parameter), if any.
    pub standards: Vec<Option<ir::Expr>>,
}

/// Checks a resolved program. Returns the checked program when there is no
/// error, and every diagnostic (errors and warnings) in any case.
pub fn check(resolved: Resolved) -> (Option<Checked>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let layout = Layout::new(&resolved);
    let params = decls::check_params(&resolved, &layout, &mut diagnostics);
    let checked_rules = decls::check_rules(&resolved, &layout, &mut diagnostics);
    let standards = decls::check_conclusions(&resolved, &layout, &mut diagnostics);
    let strata = rules::check_structure(&resolved, &checked_rules, &mut diagnostics);
    if crate::diagnostics::has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    (Some(Checked { resolved, layout, params, rules: checked_rules, strata, standards }), diagnostics)
}

/// For each rule, the rules that defeat it and why (see [`ir::DefeatKind`]).
pub fn defeat_graph_of(checked: &Checked) -> Vec<Vec<(RuleId, ir::DefeatKind)>> {
    rules::defeat_graph(&checked.resolved, &checked.rules)
}
