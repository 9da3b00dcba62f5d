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
    match (x, y) {
        (Value::Enum(e, i), Value::Enum(f, j)) => {
            a.program.enums[e].name == b.program.enums[f].name
                && a.program.enums[e].values.get(*i as usize) == b.program.enums[f].values.get(*j as usize)
        }
        _ => x == y,
    }
}

/// Whether two expressions are the same, node by node.
pub(super) fn same_expr(a: Side<'_>, x: &Expr, b: Side<'_>, y: &Expr) -> bool {
    let (pa, pb) = (a.program, b.program);
    let all = |xs: &[Expr], ys: &[Expr]| xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_expr(a, x, b, y));
    match (x, y) {
        (Expr::Const(v), Expr::Const(w)) => same_value(a, v, b, w),
        (Expr::Slot(s), Expr::Slot(t)) => pa.slots[s].name == pb.slots[t].name,
        (Expr::Conclusion(c), Expr::Conclusion(d)) => pa.conclusions[c].name == pb.conclusions[d].name,
        (Expr::Param(p), Expr::Param(q)) => pa.params[p].name == pb.params[q].name,
        (Expr::Field { depth: d, leaf: l }, Expr::Field { depth: e, leaf: m }) => d == e && l == m,
        (Expr::Not(x), Expr::Not(y)) | (Expr::Neg(x), Expr::Neg(y)) => same_expr(a, x, b, y),
        (Expr::And(xs), Expr::And(ys)) | (Expr::Or(xs), Expr::Or(ys)) => all(xs, ys),
        (Expr::Compare(o, l, r), Expr::Compare(p, m, s)) => o == p && same_expr(a, l, b, m) && same_expr(a, r, b, s),
        (Expr::Arith(o, l, r), Expr::Arith(p, m, s)) => o == p && same_expr(a, l, b, m) && same_expr(a, r, b, s),
        (Expr::Proven(e, s), Expr::Proven(f, t)) => same_expr(a, e, b, f) && same_expr(a, s, b, t),
        (Expr::Open(q), Expr::Open(r)) => pa.questions.get(q.index()).map(|q| &q.name) == pb.questions.get(r.index()).map(|q| &q.name),
        (Expr::Assessment(s), Expr::Assessment(t)) => {
            s.mean == t.mean
                && s.strict == t.strict
                && same_expr(a, &s.threshold, b, &t.threshold)
                && s.factors.len() == t.factors.len()
                && s.factors.iter().zip(&t.factors).all(|(f, g)| {
                    f.name == g.name && f.scale == g.scale && same_expr(a, &f.rating, b, &g.rating) && same_expr(a, &f.weight, b, &g.weight)
                })
        }
        (Expr::Quantifier { kind: k, list: l, record: r, filter: f }, Expr::Quantifier { kind: k2, list: l2, record: r2, filter: f2 }) => {
            k == k2
                && pa.slots[l].name == pb.slots[l2].name
                && pa.records[r.index()].name == pb.records[r2.index()].name
                && match (f, f2) {
                    (None, None) => true,
                    (Some(f), Some(g)) => same_expr(a, f, b, g),
                    _ => false,
                }
        }
        _ => false,
    }
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
