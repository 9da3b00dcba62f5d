//! Rendering evaluation results: text for people, JSON for machines.
//!
//! The evaluator returns data ([`Outcome`]); this module turns it into text.
//! Both renderings are deterministic: conclusions in declaration order,
//! rules in evaluation order, facts in slot order.

use serde_json::{json, Map, Value as Json};

use crate::eval::{Outcome, RuleState, Status};
use crate::incident::Incident;
use crate::ir::{DefeatKind, Program};
use crate::value::{civil_from_days, format_duration, NumberDisplay, Tri, Value};

/// The version of the `eval --format json` schema.
pub const EVAL_SCHEMA_VERSION: u32 = 1;

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
        Value::Enum(e, i) => program.enums[*e as usize].values[*i as usize].clone(),
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

fn defeat_text(kind: DefeatKind) -> &'static str {
    match kind {
        DefeatKind::Exception => "exception",
        DefeatKind::Priority => "priority",
        DefeatKind::Default => "default",
    }
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Applied => "applied",
        Status::NoRuleApplies => "no_rule_applies",
        Status::Undetermined => "undetermined",
    }
}

/// The result of `eval` as one JSON object (schema in `docs/eval-json.md`).
pub fn eval_json(program: &Program, incident: &Incident, outcome: &Outcome) -> Json {
    let mut conclusions = Map::new();
    for c in &outcome.conclusions {
        let info = &program.conclusions[c.conclusion as usize];
        let rule = c.rule.map(|r| &program.rules[r as usize]);
        let rules: Vec<Json> = c
            .rules
            .iter()
            .map(|r| {
                let ir = &program.rules[r.rule as usize];
                let (state, by, kind) = match r.state {
                    RuleState::Applied => ("applied", None, None),
                    RuleState::NotApplicable => ("not_applicable", None, None),
                    RuleState::Undetermined => ("undetermined", None, None),
                    RuleState::Defeated { by, kind } => ("defeated", Some(by), Some(kind)),
                    RuleState::PossiblyDefeated { by, kind } => ("possibly_defeated", Some(by), Some(kind)),
                };
                let mut facts = Map::new();
                for (s, v) in &r.facts {
                    facts.insert(program.slots[*s as usize].name.clone(), value_json(program, v));
                }
                let mut used = Map::new();
                for (d, v) in &r.conclusions {
                    used.insert(program.conclusions[*d as usize].name.clone(), value_json(program, v));
                }
                json!({
                    "rule": ir.name,
                    "module": ir.module,
                    "state": state,
                    "condition": tri_text(r.condition),
                    "defeated_by": by.map(|b| program.rules[b as usize].name.clone()),
                    "defeat": kind.map(defeat_text),
                    "cites": ir.cites,
                    "facts": facts,
                    "conclusions": used,
                })
            })
            .collect();
        conclusions.insert(
            info.name.clone(),
            json!({
                "value": value_json(program, &c.value),
                "status": status_text(c.status),
                "rule": rule.map(|r| r.name.clone()),
                "cites": rule.map(|r| r.cites.clone()).unwrap_or_default(),
                "settled_by": c.settled_by.iter().map(|s| program.slots[*s as usize].name.clone()).collect::<Vec<_>>(),
                "rules": rules,
            }),
        );
    }
    json!({
        "schema_version": EVAL_SCHEMA_VERSION,
        "norms": program.name,
        "incident": {
            "name": incident.meta.name,
            "date": incident.meta.date,
            "year": incident.meta.year,
            "sources": incident.meta.sources,
        },
        "conclusions": conclusions,
    })
}

/// The result of `eval` as text: one paragraph per conclusion.
pub fn eval_text(program: &Program, incident: &Incident, outcome: &Outcome) -> String {
    let mut out = String::new();
    let when = match (&incident.meta.date, incident.meta.year) {
        (Some(d), _) => format!(" ({d})"),
        (None, Some(y)) => format!(" ({y})"),
        _ => String::new(),
    };
    out.push_str(&format!("norms:    {}\nincident: {}{when}\n", program.name, incident.meta.name));
    for c in &outcome.conclusions {
        let info = &program.conclusions[c.conclusion as usize];
        out.push_str(&format!("\n{} = {}\n", info.name, value_text(program, &c.value)));
        match (c.status, c.rule) {
            (Status::Applied, Some(r)) => {
                let rule = &program.rules[r as usize];
                out.push_str(&format!("  by rule `{}`", rule.name));
                if !rule.cites.is_empty() {
                    out.push_str(&format!(" ({})", rule.cites.join("; ")));
                }
                out.push('\n');
                let used: Vec<String> = c
                    .rules
                    .iter()
                    .find(|o| o.rule == r)
                    .map(|o| {
                        o.facts
                            .iter()
                            .map(|(s, v)| format!("{} = {}", program.slots[*s as usize].name, value_text(program, v)))
                            .chain(
                                o.conclusions
                                    .iter()
                                    .map(|(d, v)| format!("{} = {}", program.conclusions[*d as usize].name, value_text(program, v))),
                            )
                            .collect()
                    })
                    .unwrap_or_default();
                if !used.is_empty() {
                    out.push_str(&format!("  using {}\n", used.join(", ")));
                }
            }
            (Status::Applied, None) => out.push_str("  whichever of the rules that may apply does, it gives this value\n"),
            (Status::NoRuleApplies, _) => out.push_str("  no rule applies\n"),
            _ => {}
        }
        for o in &c.rules {
            if let RuleState::Defeated { by, kind } = o.state {
                out.push_str(&format!(
                    "  rule `{}` defeated by `{}` ({})\n",
                    program.rules[o.rule as usize].name,
                    program.rules[by as usize].name,
                    defeat_text(kind)
                ));
            }
        }
        if c.value.is_unknown() {
            let open: Vec<&str> = c
                .rules
                .iter()
                .filter(|o| matches!(o.state, RuleState::Undetermined | RuleState::PossiblyDefeated { .. }))
                .map(|o| program.rules[o.rule as usize].name.as_str())
                .collect();
            if !open.is_empty() {
                out.push_str(&format!(
                    "  undetermined: rule{} {} may apply\n",
                    if open.len() == 1 { "" } else { "s" },
                    open.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            if !c.settled_by.is_empty() {
                let names: Vec<&str> = c.settled_by.iter().map(|s| program.slots[*s as usize].name.as_str()).collect();
                out.push_str(&format!("  settled by: {}\n", names.join(", ")));
            }
        }
    }
    out
}
