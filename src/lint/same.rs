//! Whether two programs say the same thing: rules, expressions and values
//! of two programs compared through the names of what they refer to (the
//! ids of a position and of its base, compiled apart, differ).

use crate::check::Checked;
use crate::ir::{Expr, Program, RuleId};
use crate::value::Value;

/// A program with its checked declarations.
#[derive(Clone, Copy)]
pub(super) struct Side<'a> {
    /// The program.
    pub program: &'a Program,
    /// Its checked declarations.
    pub checked: &'a Checked,
}

impl super::Unit {
    /// The unit's program with its declarations.
    pub(super) fn side(&self) -> Side<'_> {
        Side { program: &self.program, checked: &self.checked }
    }
}

impl super::Base {
    /// The base's program with its declarations.
    pub(super) fn side(&self) -> Side<'_> {
        Side { program: &self.program, checked: &self.checked }
    }
}

/// Whether two values are the same (an enumeration value by its names).
pub(super) fn same_value(a: Side<'_>, x: &Value, b: Side<'_>, y: &Value) -> bool {
    a.program.same_value(x, b.program, y)
}

/// Whether two expressions are the same, node by node.
pub(super) fn same_expr(a: Side<'_>, x: &Expr, b: Side<'_>, y: &Expr) -> bool {
    a.program.same_expr(x, b.program, y)
}

/// A rule's condition as its declaration writes it: without the open
/// question a position's `open rule` adds to it.
fn own_condition(side: Side<'_>, r: RuleId) -> Expr {
    let condition = &side.program.rules[r].condition;
    if side.checked.resolved.rules[r].opened.is_none() {
        return condition.clone();
    }
    match condition {
        Expr::Open(_) => Expr::Const(Value::Bool(true)),
        Expr::And(items) if matches!(items.last(), Some(Expr::Open(_))) => {
            let mut kept = items[..items.len() - 1].to_vec();
            if kept.len() == 1 {
                kept.pop().unwrap_or(Expr::Const(Value::Bool(true)))
            } else {
                Expr::And(kept)
            }
        }
        other => other.clone(),
    }
}

/// The names of rules, sorted.
fn rule_names(side: Side<'_>, rules: &[RuleId]) -> Vec<String> {
    let mut names: Vec<String> = rules.iter().map(|&r| side.program.rules[r].name.clone()).collect();
    names.sort();
    names
}

/// Whether two rules say the same: the same kind of declaration, default or
/// not, the same reading (`arguable`, `contested`), value and condition,
/// and the same rules they are exceptions to and prevail over. Their
/// citations, and the statement they are made in, may differ.
pub(super) fn same_rule(a: Side<'_>, ra: RuleId, b: Side<'_>, rb: RuleId) -> bool {
    let (x, y) = (&a.program.rules[ra], &b.program.rules[rb]);
    let (cx, cy) = (&a.checked.rules[ra], &b.checked.rules[rb]);
    x.form == y.form
        && x.is_default == y.is_default
        && x.reading == y.reading
        && a.program.conclusions[x.conclusion].name == b.program.conclusions[y.conclusion].name
        && same_expr(a, &x.value, b, &y.value)
        && same_expr(a, &own_condition(a, ra), b, &own_condition(b, rb))
        && rule_names(a, &cx.exception_to) == rule_names(b, &cy.exception_to)
        && rule_names(a, &cx.prevails_over) == rule_names(b, &cy.prevails_over)
}
