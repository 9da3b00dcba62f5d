//! The `eval` command's output: text for people, JSON for machines
//! (`docs/eval-json.md`), and the diagnostic an evaluation error becomes.

use serde_json::{json, Map, Value as Json};

use super::*;
use crate::diagnostics::Diagnostic;
use crate::eval::{AssessmentOutcome, ConclusionOutcome, Outcome, RuleState};
use crate::incident::Incident;
use crate::ir::{Program, RuleForm, RuleId};
use crate::value::{Proof, Value};

/// The version of the `eval --format json` schema.
pub const EVAL_SCHEMA_VERSION: u32 = 2;

fn form_json(form: &RuleForm) -> Json {
    match form {
        RuleForm::Rule => json!("rule"),
        RuleForm::Assessment => json!("assessment"),
        RuleForm::Tier { .. } => json!("tier"),
        RuleForm::Breach { .. } => json!("breach"),
        RuleForm::Open => json!("open"),
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

/// The result of `eval` as one JSON object (schema in `docs/eval-json.md`).
pub fn eval_json(program: &Program, incident: &Incident, outcome: &Outcome) -> Json {
    let mut conclusions = Map::new();
    for c in &outcome.conclusions {
        let info = &program.conclusions[c.conclusion];
        let rule = c.rule.map(|r| &program.rules[r]);
        let rules: Vec<Json> = c
            .rules
            .iter()
            .map(|r| {
                let ir = &program.rules[r.rule];
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
                    facts.insert(program.slots[s].name.clone(), value_json(program, v));
                    proofs.insert(program.slots[s].name.clone(), proof_json(*p));
                }
                let mut used = Map::new();
                for (d, v, p) in &r.conclusions {
                    used.insert(program.conclusions[d].name.clone(), value_json(program, v));
                    proofs.insert(program.conclusions[d].name.clone(), proof_json(*p));
                }
                let mut entry = json!({
                    "rule": ir.name,
                    "form": form_json(&ir.form),
                    "module": ir.module,
                    "origin": ir.origin,
                    "state": state,
                    "condition": tri_text(r.condition),
                    "proof": proof_json(r.proof),
                    "defeated_by": by.map(|b| program.rules[b].name.clone()),
                    "defeat": kind.map(DefeatKind::name),
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
        let names = |slots: &[crate::ir::SlotId]| slots.iter().map(|s| program.slots[*s].name.clone()).collect::<Vec<_>>();
        let deontic = info.deontic.as_ref().map(|d| {
            json!({
                "kind": deontic_text(d.kind),
                "bearer": program.parties[d.bearer].name,
                "breach": d.breach.map(|b| program.conclusions[b].name.clone()),
            })
        });
        let entry = json!({
            "value": value_json(program, &c.value),
            "status": c.status.name(),
            "rule": rule.map(|r| r.name.clone()),
            "cites": rule.map(|r| r.cites.clone()).unwrap_or_default(),
            "proof": proof_json(c.proof),
            "standard": required_standard(program, info),
            "burden_on": info.burden.as_ref().map(|b| program.parties[b.value].name.clone()),
            "burden": c.burden.map(|p| program.parties[p].name.clone()),
            "origin": rule.map_or_else(|| info.origin.clone(), |r| r.origin.clone()),
            "deontic": deontic,
            "settled_by": names(&c.settled_by),
            "unstated": names(&c.unstated),
            "rests_on": c.rests_on.iter().map(|&d| program.conclusions[d].name.clone()).collect::<Vec<_>>(),
            "open": c.questions.iter().map(|&q| {
                let info = &program.questions[q];
                json!({
                    "question": info.name,
                    "kind": info.kind,
                    "origin": info.origin,
                    "cites": info.cites,
                    "reading": info.reading,
                })
            }).collect::<Vec<_>>(),
            "provenance": provenance_json(program, c.conclusion),
            "readings": readings_of(program, c.conclusion, c.rule),
            "rules": rules,
        });
        conclusions.insert(info.name.clone(), entry);
    }
    let mut out = json!({
        "schema_version": EVAL_SCHEMA_VERSION,
        "norms": program.name,
        "positions": program.positions.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "as_of": program.as_of,
        "statements": program.statements,
        "incident": {
            "name": incident.meta.name,
            "date": incident.meta.date,
            "year": incident.meta.year,
            "sources": incident.meta.sources,
        },
    });
    if !incident.meta.exchange_rates.is_empty() {
        out["incident"]["exchange_rates"] = json!(incident.meta.exchange_rates);
    }
    if !incident.changed.is_empty() {
        out["changed"] = json!(incident.changed);
    }
    if !incident.ignored.is_empty() {
        out["ignored"] = json!(incident.ignored);
    }
    out["conclusions"] = Json::Object(conclusions);
    out
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
    for line in statements_header(program) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("incident: {}{when}\n", incident.meta.name));
    for c in &incident.changed {
        out.push_str(&format!("changed:  {}\n", changed_text(c)));
    }
    for rate in &incident.meta.exchange_rates {
        out.push_str(&format!("rate:     {}\n", rate_text(rate)));
    }
    for name in &incident.ignored {
        out.push_str(&format!("note: {}\n", ignored_note(name, &[&program.name])));
    }
    for c in &outcome.conclusions {
        conclusion_text(program, outcome, c, &mut out);
    }
    out
}

/// Whether two rules are tiers of one `tiers` declaration.
fn same_tiers(program: &Program, a: RuleId, b: RuleId) -> bool {
    match (&program.rules[a].form, &program.rules[b].form) {
        (RuleForm::Tier { tiers: x, .. }, RuleForm::Tier { tiers: y, .. }) => x == y,
        _ => false,
    }
}

fn with_proof(program: &Program, name: &str, v: &Value, p: Proof) -> String {
    if !p.is_established() && !v.is_unknown() {
        let mark = if *v == Value::Bool(false) { "not established" } else { "on a premise not established" };
        return format!("{name} = {} ({mark})", value_text(program, v));
    }
    match p.name() {
        Some(n) if !v.is_unknown() && p.level() != Proof::LAW => format!("{name} = {} ({n})", value_text(program, v)),
        _ => format!("{name} = {}", value_text(program, v)),
    }
}

fn conclusion_text(program: &Program, outcome: &Outcome, c: &ConclusionOutcome, out: &mut String) {
    let info = &program.conclusions[c.conclusion];
    let kind = info.deontic.as_ref().map(|d| format!("  ({} of `{}`)", deontic_text(d.kind), program.parties[d.bearer].name));
    let mark = status_mark(c.status, c.value == Value::Bool(false)).map(|m| format!(" ({m})")).unwrap_or_default();
    out.push_str(&format!("\n{} = {}{mark}{}\n", info.name, result_text(program, &c.value, c.status), kind.unwrap_or_default()));
    let positioned = !program.positions.is_empty();
    if let Some(line) = provenance_text(program, c.conclusion) {
        out.push_str(&format!("  {line}\n"));
    }
    match (c.status, c.rule) {
        (
            Status::Applied | Status::BelowStandard | Status::StandardUnstated | Status::BurdenNotMet | Status::PremiseNotEstablished,
            Some(r),
        ) => {
            let rule = &program.rules[r];
            let verb = if matches!(c.status, Status::Applied | Status::PremiseNotEstablished) { "by" } else { "rule applied:" };
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
                    .map(|(s, v, p)| with_proof(program, &program.slots[s].name, v, *p))
                    .chain(o.conclusions.iter().map(|(d, v, p)| match outcome.get(*d).status {
                        Status::Open => format!("{} = open", program.conclusions[d].name),
                        _ => with_proof(program, &program.conclusions[d].name, v, *p),
                    }))
                    .collect();
                match &o.assessment {
                    Some(a) => assessment_text(program, a, out),
                    None if !used.is_empty() => out.push_str(&format!("  using {}\n", used.join(", "))),
                    None => {}
                }
            }
        }
        (Status::Applied, None) => out.push_str("  whichever of the rules that may apply does, it gives this value\n"),
        (Status::NoRuleApplies | Status::PremiseNotEstablished, _) => out.push_str("  no rule applies\n"),
        _ => {}
    }
    if c.status == Status::PremiseNotEstablished {
        out.push_str(&format!("  rests on what was not established: {}\n", rests_on_text(program, outcome, c)));
    }
    for r in readings_of(program, c.conclusion, c.rule) {
        out.push_str(&format!("  {}\n", reading_text(&r)));
    }
    for r in super::explain::removals(program, &info.name) {
        let cites = if r.cites.is_empty() { String::new() } else { format!(" ({})", r.cites.join("; ")) };
        let made = r.statement.as_ref().map(|s| format!(" in {s}")).unwrap_or_default();
        out.push_str(&format!("  removed by position `{}`{made}: `{}`{cites}\n", r.position, r.rule));
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
            out.push_str(&format!("  {} defeated by {} ({})\n", rule_label(program, o.rule), defeater_label(program, by), kind.name()));
        }
        if o.state == RuleState::NotApplicable && c.rule.is_none() {
            if let Some(a) = &o.assessment {
                let rule = &program.rules[o.rule];
                let cites = if rule.cites.is_empty() { String::new() } else { format!(" ({})", rule.cites.join("; ")) };
                out.push_str(&format!("  {}{cites} is not met:\n", rule_label(program, o.rule)));
                assessment_text(program, a, out);
            }
        }
    }
    if c.value.is_unknown() || c.status == Status::BurdenNotMet {
        if let (Some(p), Some(b)) = (c.burden, &info.burden) {
            out.push_str(&format!("  not established: burden on `{}`", program.parties[p].name));
            if let Some(s) = required_standard(program, info) {
                out.push_str(&format!(" to {s}"));
            }
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
            let word = if c.status == Status::Open { "open" } else { "undetermined" };
            out.push_str(&format!("  {word}: {} may apply\n", rule_labels(program, &open)));
        }
        for o in c.rules.iter().filter(|o| o.state == RuleState::Undetermined) {
            if let Some(a) = &o.assessment {
                assessment_text(program, a, out);
            }
        }
        if !c.questions.is_empty() {
            out.push_str(&format!("  left open: {}\n", questions_text(program, &c.questions)));
        }
        if !c.settled_by.is_empty() {
            let settled: Vec<String> = c
                .settled_by
                .iter()
                .map(|s| {
                    let name = &program.slots[s].name;
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

/// What a result resting on a premise not established rests on, as one
/// line: each conclusion not established, and why.
pub(super) fn rests_on_text(program: &Program, outcome: &Outcome, c: &ConclusionOutcome) -> String {
    if c.rests_on.is_empty() {
        return "a `proven` condition of one of its rules, whose premises fall short of the standard it names".into();
    }
    c.rests_on
        .iter()
        .map(|&d| {
            let info = &program.conclusions[d];
            match (outcome.get(d).status, &info.burden) {
                (Status::BurdenNotMet, Some(b)) => format!("`{}` (burden on `{}`)", info.name, program.parties[b.value].name),
                _ => format!("`{}` (not proven to the standard {})", info.name, required_standard(program, info).unwrap_or_default()),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
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
            Some(n) if !f.rating.is_unknown() && f.proof.level() != Proof::LAW => format!("{} ({n})", value_text(program, &f.rating)),
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

impl crate::Compiled {
    /// Turns an evaluation error into a diagnostic pointing at the rules involved.
    pub fn eval_diagnostic(&self, error: &crate::eval::EvalError) -> Option<Diagnostic> {
        let program = self.program.as_ref()?;
        let cites = |r: crate::ir::RuleId| {
            let c = &program.rules[r].cites;
            if c.is_empty() {
                String::from("no citation")
            } else {
                c.join("; ")
            }
        };
        Some(match error {
            crate::eval::EvalError::Conflict { conclusion, first, second } => {
                let name = &program.conclusions[conclusion].name;
                let (a, b) = (&program.rules[first.0].name, &program.rules[second.0].name);
                Diagnostic::new(
                    &crate::diagnostics::codes::RULE_CONFLICT,
                    self.rule_spans[second.0],
                    format!(
                        "the rules `{a}` and `{b}` both apply and give `{name}` different values: {} and {}",
                        value_text(program, &first.1),
                        value_text(program, &second.1)
                    ),
                )
                .label(format!("gives {} ({})", value_text(program, &second.1), cites(second.0)))
                .also(self.rule_spans[first.0], format!("gives {} ({})", value_text(program, &first.1), cites(first.0)))
                .help(format!("decide which prevails: add `prevails over {a}` to `{b}`, or make one an exception to the other"))
            }
            crate::eval::EvalError::Arithmetic { rule, message } => Diagnostic::new(
                &crate::diagnostics::codes::ARITHMETIC,
                self.rule_spans[rule],
                format!("evaluating the rule `{}` failed: {message}", program.rules[rule].name),
            )
            .label("in this rule")
            .help("check the incident's values: amounts combined must be in one currency or joined by an exchange rate the incident gives (`[[exchange_rates]]`), divisors must not be zero, and a rating given as a number must lie between 0 and 1; a date moved by a duration must stay between the years 0000 and 9999"),
            crate::eval::EvalError::NoFixpoint { conclusion } => Diagnostic::new(
                &crate::diagnostics::codes::RECURSION,
                self.rule_spans.first().copied().unwrap_or(crate::source::Span::new(crate::source::FileId(0), 0, 0)),
                format!("the recursive conclusion `{}` did not settle", program.conclusions[conclusion].name),
            )
            .help("this is a bug in opinio; please report it with the norms and the incident"),
        })
    }
}
