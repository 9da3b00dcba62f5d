//! Rendering evaluation results: text for people, JSON for machines.
//!
//! The evaluator returns data ([`Outcome`]); this module turns it into text.
//! Both renderings are deterministic: conclusions in declaration order,
//! rules in evaluation order, facts in slot order.

use serde_json::{json, Map, Value as Json};

use crate::eval::{AssessmentOutcome, ConclusionOutcome, Outcome, RuleState, Status};
use crate::incident::Incident;
use crate::ir::{DefeatKind, DeonticKind, Program, RuleForm, RuleId};
use crate::value::{civil_from_days, format_duration, NumberDisplay, Proof, Tri, Value};

/// The version of the `eval --format json` schema.
pub const EVAL_SCHEMA_VERSION: u32 = 2;

/// A proof level as JSON: a standard's name, `"law"`, or `null` when unstated.
pub fn proof_json(p: Proof) -> Json {
    p.name().map_or(Json::Null, |n| Json::String(n.into()))
}

/// How a rule is named in explanations: `rule `x``, `assessment `x``,
/// `tier 2 of `x``, `the breach of `x``.
pub fn rule_label(program: &Program, r: RuleId) -> String {
    let rule = &program.rules[r as usize];
    match &rule.form {
        RuleForm::Rule => format!("rule `{}`", rule.name),
        RuleForm::Assessment => format!("assessment `{}`", rule.name),
        RuleForm::Tier { tiers, index: Some(i) } => format!("tier {i} of `{tiers}`"),
        RuleForm::Tier { tiers, index: None } => format!("the `otherwise` of `{tiers}`"),
        RuleForm::Breach { norm } => {
            let norm = &program.conclusions[*norm as usize];
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
    let plain = rules.iter().all(|&r| program.rules[r as usize].form == RuleForm::Rule);
    if plain && rules.len() > 1 {
        let names: Vec<String> = rules.iter().map(|&r| format!("`{}`", program.rules[r as usize].name)).collect();
        return format!("rules {}", names.join(", "));
    }
    rules.iter().map(|&r| rule_label(program, r)).collect::<Vec<_>>().join(", ")
}

/// A defeating rule, named briefly: a plain rule by its name alone.
fn defeater_label(program: &Program, r: RuleId) -> String {
    match program.rules[r as usize].form {
        RuleForm::Rule => format!("`{}`", program.rules[r as usize].name),
        _ => rule_label(program, r),
    }
}

/// The standard a conclusion requires, by name.
pub fn required_standard(program: &Program, c: &crate::ir::ConclusionInfo) -> Option<String> {
    let s = c.standard.as_ref()?;
    let v = match &s.value {
        crate::ir::Expr::Const(v) => v.clone(),
        crate::ir::Expr::Param(p) => program.params[*p as usize].value.clone(),
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

fn form_json(form: &RuleForm) -> Json {
    match form {
        RuleForm::Rule => json!("rule"),
        RuleForm::Assessment => json!("assessment"),
        RuleForm::Tier { .. } => json!("tier"),
        RuleForm::Breach { .. } => json!("breach"),
    }
}

fn assessment_json(program: &Program, a: &AssessmentOutcome) -> Json {
    json!({
        "aggregate": if a.mean { "mean" } else { "sum" },
        "comparison": if a.strict { ">" } else { ">=" },
        "threshold": a.threshold,
        "score": if a.low == a.high { json!(round(a.low)) } else { Json::Null },
        "score_range": [round(a.low), round(a.high)],
        "result": tri_text(a.result),
        "factors": a.factors.iter().map(|f| json!({
            "factor": f.name,
            "rating": value_json(program, &f.rating),
            "proof": proof_json(f.proof),
            "share": f.share.map(round),
            "weight": f.weight,
            "contribution": f.contribution.map(round),
            "decisive": f.decisive,
        })).collect::<Vec<_>>(),
    })
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

/// The name of a status, as `eval --format json` writes it.
pub fn status_text(s: Status) -> &'static str {
    match s {
        Status::Applied => "applied",
        Status::NoRuleApplies => "no_rule_applies",
        Status::Undetermined => "undetermined",
        Status::StandardUnstated => "standard_unstated",
        Status::BelowStandard => "below_standard",
        Status::BurdenNotMet => "burden_not_met",
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
                let mut proofs = Map::new();
                for (s, v, p) in &r.facts {
                    facts.insert(program.slots[*s as usize].name.clone(), value_json(program, v));
                    proofs.insert(program.slots[*s as usize].name.clone(), proof_json(*p));
                }
                let mut used = Map::new();
                for (d, v, p) in &r.conclusions {
                    used.insert(program.conclusions[*d as usize].name.clone(), value_json(program, v));
                    proofs.insert(program.conclusions[*d as usize].name.clone(), proof_json(*p));
                }
                let mut entry = json!({
                    "rule": ir.name,
                    "form": form_json(&ir.form),
                    "module": ir.module,
                    "origin": ir.origin,
                    "state": state,
                    "condition": tri_text(r.condition),
                    "proof": proof_json(r.proof),
                    "defeated_by": by.map(|b| program.rules[b as usize].name.clone()),
                    "defeat": kind.map(defeat_text),
                    "cites": ir.cites,
                    "facts": facts,
                    "conclusions": used,
                    "proofs": proofs,
                });
                if let Some(a) = &r.assessment {
                    entry["assessment"] = assessment_json(program, a);
                }
                entry
            })
            .collect();
        let names = |slots: &[u32]| slots.iter().map(|s| program.slots[*s as usize].name.clone()).collect::<Vec<_>>();
        let deontic = info.deontic.as_ref().map(|d| {
            json!({
                "kind": deontic_text(d.kind),
                "bearer": program.parties[d.bearer as usize].name,
                "breach": d.breach.map(|b| program.conclusions[b as usize].name.clone()),
            })
        });
        let entry = json!({
            "value": value_json(program, &c.value),
            "status": status_text(c.status),
            "rule": rule.map(|r| r.name.clone()),
            "cites": rule.map(|r| r.cites.clone()).unwrap_or_default(),
            "proof": proof_json(c.proof),
            "standard": required_standard(program, info),
            "burden_on": info.burden.as_ref().map(|b| program.parties[b.value as usize].name.clone()),
            "burden": c.burden.map(|p| program.parties[p as usize].name.clone()),
            "origin": rule.map_or_else(|| info.origin.clone(), |r| r.origin.clone()),
            "deontic": deontic,
            "settled_by": names(&c.settled_by),
            "unstated": names(&c.unstated),
            "rules": rules,
        });
        conclusions.insert(info.name.clone(), entry);
    }
    json!({
        "schema_version": EVAL_SCHEMA_VERSION,
        "norms": program.name,
        "positions": program.positions.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
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
    out.push_str(&format!("norms:    {}\n", program.name));
    if let Some(root) = program.positions.first() {
        let chain: Vec<&str> = program.positions.iter().rev().map(|p| p.name.as_str()).chain([root.extends.as_str()]).collect();
        out.push_str(&format!("position: {}\n", chain.join(" -> ")));
    }
    out.push_str(&format!("incident: {}{when}\n", incident.meta.name));
    for c in &outcome.conclusions {
        conclusion_text(program, c, &mut out);
    }
    out
}

/// Whether two rules are tiers of one `tiers` declaration.
fn same_tiers(program: &Program, a: RuleId, b: RuleId) -> bool {
    match (&program.rules[a as usize].form, &program.rules[b as usize].form) {
        (RuleForm::Tier { tiers: x, .. }, RuleForm::Tier { tiers: y, .. }) => x == y,
        _ => false,
    }
}

fn with_proof(program: &Program, name: &str, v: &Value, p: Proof) -> String {
    match p.name() {
        Some(n) if !v.is_unknown() && p != Proof::LAW => format!("{name} = {} ({n})", value_text(program, v)),
        _ => format!("{name} = {}", value_text(program, v)),
    }
}

fn conclusion_text(program: &Program, c: &ConclusionOutcome, out: &mut String) {
    let info = &program.conclusions[c.conclusion as usize];
    let kind = info.deontic.as_ref().map(|d| format!("  ({} of `{}`)", deontic_text(d.kind), program.parties[d.bearer as usize].name));
    out.push_str(&format!("\n{} = {}{}\n", info.name, value_text(program, &c.value), kind.unwrap_or_default()));
    let positioned = !program.positions.is_empty();
    match (c.status, c.rule) {
        (Status::Applied | Status::BelowStandard | Status::StandardUnstated | Status::BurdenNotMet, Some(r)) => {
            let rule = &program.rules[r as usize];
            let verb = if c.status == Status::Applied { "by" } else { "rule applied:" };
            out.push_str(&format!("  {verb} {}", rule_label(program, r)));
            if positioned {
                out.push_str(&format!(
                    " [{}]",
                    if rule.origin == "base" { "base".to_string() } else { format!("position `{}`", rule.origin) }
                ));
            }
            if !rule.cites.is_empty() {
                out.push_str(&format!(" ({})", rule.cites.join("; ")));
            }
            out.push('\n');
            if let Some(o) = c.rules.iter().find(|o| o.rule == r) {
                // An assessment's table shows its ratings.
                let used: Vec<String> = o
                    .facts
                    .iter()
                    .map(|(s, v, p)| with_proof(program, &program.slots[*s as usize].name, v, *p))
                    .chain(o.conclusions.iter().map(|(d, v, p)| with_proof(program, &program.conclusions[*d as usize].name, v, *p)))
                    .collect();
                match &o.assessment {
                    Some(a) => assessment_text(program, a, out),
                    None if !used.is_empty() => out.push_str(&format!("  using {}\n", used.join(", "))),
                    None => {}
                }
            }
        }
        (Status::Applied, None) => out.push_str("  whichever of the rules that may apply does, it gives this value\n"),
        (Status::NoRuleApplies, _) => out.push_str("  no rule applies\n"),
        _ => {}
    }
    let required = required_standard(program, info).unwrap_or_default();
    match c.status {
        Status::BelowStandard => out.push_str(&format!("  not proven: its premises do not meet the required standard, {required}\n")),
        Status::StandardUnstated => out.push_str(&format!(
            "  not known to meet the required standard, {required}: the incident does not state the standard of proof of some facts\n"
        )),
        _ => {}
    }
    // The proof is shown when the incident states it; `eval --format json`
    // and `explain` show the rest (law, unstated, and for which facts).
    if let (Some(s), false) = (c.proof.standard(), c.value.is_unknown()) {
        out.push_str(&format!("  proof: {}\n", s.name()));
    }
    for o in &c.rules {
        if let RuleState::Defeated { by, kind } = o.state {
            if same_tiers(program, o.rule, by) {
                continue; // implied by the order of the tiers
            }
            out.push_str(&format!(
                "  {} defeated by {} ({})\n",
                rule_label(program, o.rule),
                defeater_label(program, by),
                defeat_text(kind)
            ));
        }
        if o.state == RuleState::NotApplicable && c.rule.is_none() {
            if let Some(a) = &o.assessment {
                let rule = &program.rules[o.rule as usize];
                let cites = if rule.cites.is_empty() { String::new() } else { format!(" ({})", rule.cites.join("; ")) };
                out.push_str(&format!("  {}{cites} is not met:\n", rule_label(program, o.rule)));
                assessment_text(program, a, out);
            }
        }
    }
    if c.value.is_unknown() || c.status == Status::BurdenNotMet {
        if let (Some(p), Some(b)) = (c.burden, &info.burden) {
            out.push_str(&format!("  not established: burden on `{}`", program.parties[p as usize].name));
            if !b.cites.is_empty() {
                out.push_str(&format!(" ({})", b.cites.join("; ")));
            }
            out.push('\n');
        }
        let open: Vec<RuleId> = c
            .rules
            .iter()
            .filter(|o| matches!(o.state, RuleState::Undetermined | RuleState::PossiblyDefeated { .. }))
            .map(|o| o.rule)
            .collect();
        if !open.is_empty() {
            out.push_str(&format!("  undetermined: {} may apply\n", rule_labels(program, &open)));
        }
        for o in c.rules.iter().filter(|o| o.state == RuleState::Undetermined) {
            if let Some(a) = &o.assessment {
                assessment_text(program, a, out);
            }
        }
        if !c.settled_by.is_empty() {
            let settled: Vec<String> = c
                .settled_by
                .iter()
                .map(|s| {
                    let name = &program.slots[*s as usize].name;
                    if c.unstated.contains(s) {
                        format!("{name} (its standard of proof)")
                    } else {
                        name.clone()
                    }
                })
                .collect();
            out.push_str(&format!("  settled by: {}\n", settled.join(", ")));
        }
    }
}

fn assessment_text(program: &Program, a: &AssessmentOutcome, out: &mut String) {
    let agg = if a.mean { "weighted mean" } else { "weighted sum" };
    let op = if a.strict { ">" } else { ">=" };
    let score = if a.low == a.high {
        format!("{}", NumberDisplay(round(a.low)))
    } else {
        format!("between {} and {}", NumberDisplay(round(a.low)), NumberDisplay(round(a.high)))
    };
    out.push_str(&format!("  {agg} {score}, threshold {op} {}\n", NumberDisplay(a.threshold)));
    for f in &a.factors {
        let rating = match f.proof.name() {
            Some(n) if !f.rating.is_unknown() && f.proof != Proof::LAW => format!("{} ({n})", value_text(program, &f.rating)),
            _ => value_text(program, &f.rating),
        };
        let part = match (f.share, f.contribution) {
            (Some(s), Some(c)) => {
                format!("share {} x weight {} = {}", NumberDisplay(round(s)), NumberDisplay(f.weight), NumberDisplay(round(c)))
            }
            _ => format!("weight {}, not counted", NumberDisplay(f.weight)),
        };
        let mark = match (f.decisive, f.share.is_some()) {
            (true, true) => ", decisive",
            (true, false) => ", could decide",
            _ => "",
        };
        out.push_str(&format!("    {}: {rating}: {part}{mark}\n", f.name));
    }
}
