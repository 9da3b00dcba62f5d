//! How values, rules, statuses and proofs are written: the wording every
//! report shares. Each command's output is made here, in one module each:
//! [`eval`], [`explain`], [`compare`], [`test`] and [`junit`]; the
//! diagnostics are rendered in [`crate::diagnostics::render`].
//!
//! Every report is deterministic: conclusions in declaration order, rules in
//! evaluation order, facts in slot order.

pub mod compare;
pub mod eval;
pub mod explain;
pub mod junit;
pub mod test;

use serde_json::{json, Value as Json};

use crate::eval::Status;
use crate::ir::{DefeatKind, DeonticKind, Program, RuleForm, RuleId};
use crate::value::{civil_from_days, format_duration, NumberDisplay, Proof, Tri, Value};

/// A proof level as JSON: a standard's name, `"law"`, or `null` when unstated.
pub fn proof_json(p: Proof) -> Json {
    p.name().map_or(Json::Null, |n| Json::String(n.into()))
}

/// How a rule is named in explanations: `rule `x``, `assessment `x``,
/// `tier 2 of `x``, `the breach of `x``.
pub fn rule_label(program: &Program, r: RuleId) -> String {
    let rule = &program.rules[r];
    match &rule.form {
        RuleForm::Rule => format!("rule `{}`", rule.name),
        RuleForm::Assessment => format!("assessment `{}`", rule.name),
        RuleForm::Tier { tiers, index: Some(i) } => format!("tier {i} of `{tiers}`"),
        RuleForm::Tier { tiers, index: None } => format!("the `otherwise` of `{tiers}`"),
        RuleForm::Breach { norm } => {
            let norm = &program.conclusions[norm];
            match norm.deontic.as_ref().map(|d| d.kind) {
                Some(DeonticKind::Prohibition) => format!("rule `{}` (the prohibition applies and is violated)", rule.name),
                _ => format!("rule `{}` (the obligation is owed and not met)", rule.name),
            }
        }
    }
}

/// Several rules, named as in [`rule_label`], with plain rules grouped:
/// "rules `a`, `b`".
pub fn rule_labels(program: &Program, rules: &[RuleId]) -> String {
    let plain = rules.iter().all(|&r| program.rules[r].form == RuleForm::Rule);
    if plain && rules.len() > 1 {
        let names: Vec<String> = rules.iter().map(|&r| format!("`{}`", program.rules[r].name)).collect();
        return format!("rules {}", names.join(", "));
    }
    rules.iter().map(|&r| rule_label(program, r)).collect::<Vec<_>>().join(", ")
}

/// A defeating rule, named briefly: a plain rule by its name alone.
fn defeater_label(program: &Program, r: RuleId) -> String {
    match program.rules[r].form {
        RuleForm::Rule => format!("`{}`", program.rules[r].name),
        _ => rule_label(program, r),
    }
}

/// The note on a fact (or record field) an incident gives that the norms
/// `norms` do not declare, and that was therefore ignored under them:
/// "fact `x` is not in the vocabulary of `france`; ignored".
pub fn ignored_note(name: &str, norms: &[&str]) -> String {
    let what = if name.contains('.') { "field" } else { "fact" };
    let norms: Vec<String> = norms.iter().map(|n| format!("`{n}`")).collect();
    format!("{what} `{name}` is not in the vocabulary of {}; ignored", norms.join(", "))
}

/// The standard a conclusion requires, by name.
pub fn required_standard(program: &Program, c: &crate::ir::ConclusionInfo) -> Option<String> {
    let s = c.standard.as_ref()?;
    let v = match &s.value {
        crate::ir::Expr::Const(v) => v.clone(),
        crate::ir::Expr::Param(p) => program.params[p].value.clone(),
        _ => Value::Unknown,
    };
    Some(value_text(program, &v))
}

fn deontic_text(k: DeonticKind) -> &'static str {
    match k {
        DeonticKind::Obligation => "obligation",
        DeonticKind::Permission => "permission",
        DeonticKind::Prohibition => "prohibition",
    }
}

/// Rounds a score for display (to 4 decimals), so that outputs stay stable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A value as the language writes it (`unknown` when unknown).
pub fn value_text(program: &Program, v: &Value) -> String {
    match v {
        Value::Unknown => "unknown".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => NumberDisplay(*n).to_string(),
        Value::Money(m) => format!("{} {}", NumberDisplay(m.amount), m.currency.as_str()),
        Value::Duration(d) => format_duration(*d),
        Value::Date(d) => civil_from_days(*d),
        Value::Text(t) => format!("{t:?}"),
        Value::Enum(e, i) => program.enums[e].values[*i as usize].clone(),
        Value::List(items) => format!("a list of {}", items.len()),
    }
}

/// A value as JSON (`null` when unknown).
pub fn value_json(program: &Program, v: &Value) -> Json {
    match v {
        Value::Unknown => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                json!(*n as i64)
            } else {
                json!(n)
            }
        }
        Value::Text(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(|e| Json::Array(e.iter().map(|v| value_json(program, v)).collect())).collect()),
        other => Json::String(value_text(program, other)),
    }
}

fn tri_text(t: Tri) -> &'static str {
    match t {
        Tri::True => "true",
        Tri::False => "false",
        Tri::Unknown => "unknown",
    }
}
