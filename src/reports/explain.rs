//! Explanations for people: the derivation of each conclusion in plain legal
//! prose, with the rules and their citations, the facts with their values,
//! standards of proof and sources, the rules defeated and by what, burdens,
//! assessment factors, and for what stays open the facts that would settle it.
//!
//! In: a program, an incident and its [`Outcome`]. Out: an [`Explanation`]
//! (data, serialisable: `explain --format json`, schema in
//! `docs/explain-json.md`), and its text rendering.

use serde::Serialize;
use serde_json::Value as Json;

use crate::eval::{AssessmentOutcome, Outcome, RuleState, Status};
use crate::incident::Incident;
use crate::ir::{ConclusionId, Program, RuleId, SlotId};
use crate::reports as report;
use crate::value::{Proof, Tri};

/// The version of the `explain --format json` schema.
pub const EXPLAIN_SCHEMA_VERSION: u32 = 1;

/// The explanation of some conclusions of one program on one incident.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The schema version of the JSON form.
    pub schema_version: u32,
    /// The norms (module or position) explained.
    pub norms: String,
    /// The positions the norms are made of, base first.
    pub positions: Vec<String>,
    /// The incident's name.
    pub incident: String,
    /// The facts and fields the incident gives that the norms do not
    /// declare, ignored because other norms loaded with them do (see
    /// [`Incident::ignored`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// One entry per conclusion explained, in declaration order.
    pub conclusions: Vec<ConclusionExplanation>,
}

/// How one conclusion was reached.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionExplanation {
    /// Its name.
    pub conclusion: String,
    /// What it means.
    pub description: String,
    /// Its value as the language writes it.
    pub value: String,
    /// Its value as JSON.
    pub json: Json,
    /// Why it has this value (serialised as in `eval --format json`).
    pub status: Status,
    /// The standard its weakest necessary premise meets (`law`, a standard, or `None`).
    pub proof: Option<String>,
    /// The deciding rule.
    pub rule: Option<RuleExplanation>,
    /// The party whose burden decided it.
    pub burden: Option<Burden>,
    /// Rules that applied, or might have, but were defeated, and by what.
    pub defeated: Vec<Defeat>,
    /// Rules that may apply (for a conclusion left open).
    pub open: Vec<RuleExplanation>,
    /// The facts that would settle it.
    pub settled_by: Vec<FactUse>,
    /// Every rule of the conclusion (only with `--full`).
    pub rules: Vec<RuleExplanation>,
    /// The rules of the conclusion that a position removed, with its citations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removal>,
}

/// A rule (or assessment, or tiers) a position removed.
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    /// The position that removed it.
    pub position: String,
    /// The declaration removed.
    pub rule: String,
    /// The position's citations for the removal.
    pub cites: Vec<String>,
}

/// The removals of a conclusion's rules by the program's positions.
pub fn removals(program: &Program, conclusion: &str) -> Vec<Removal> {
    program
        .removals_of(conclusion)
        .map(|c| Removal { position: c.position.clone(), rule: c.target.clone(), cites: c.cites.clone() })
        .collect()
}

/// A rule and what it rested on.
#[derive(Debug, Clone, Serialize)]
pub struct RuleExplanation {
    /// Its name.
    pub name: String,
    /// How explanations name it (`rule `x``, `tier 2 of `x``).
    pub label: String,
    /// Its citations.
    pub cites: Vec<String>,
    /// `base`, or the position that declared or replaced it.
    pub origin: String,
    /// Its state: `applied`, `not_applicable`, `undetermined`, `defeated`, `possibly_defeated`.
    pub state: String,
    /// The facts it read, with their values, standards and sources.
    pub facts: Vec<FactUse>,
    /// The conclusions it read, with their values.
    pub conclusions: Vec<ConclusionUse>,
    /// For an assessment: each factor's part.
    pub assessment: Option<AssessmentOutcome>,
}

/// A fact as used in a derivation.
#[derive(Debug, Clone, Serialize)]
pub struct FactUse {
    /// Its name (record fields as `fact.field`).
    pub fact: String,
    /// What it means.
    pub description: String,
    /// Its value in the incident (`unknown` when unknown).
    pub value: String,
    /// The standard of proof its evidence meets, if stated.
    pub proof: Option<String>,
    /// Its source, if the incident gives one.
    pub source: Option<String>,
    /// The incident's note on it.
    pub note: Option<String>,
    /// Whether only its standard of proof is missing (it has a value).
    pub standard_only: bool,
}

/// A conclusion as used by a rule.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionUse {
    /// Its name.
    pub conclusion: String,
    /// Its value.
    pub value: String,
    /// Its proof.
    pub proof: Option<String>,
}

/// A burden of proof that decided a conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct Burden {
    /// The party.
    pub party: String,
    /// The sources of the burden.
    pub cites: Vec<String>,
}

/// A defeated rule.
#[derive(Debug, Clone, Serialize)]
pub struct Defeat {
    /// How explanations name the defeated rule.
    pub rule: String,
    /// How explanations name the rule that defeated it.
    pub by: String,
    /// `exception`, `priority` or `default`.
    pub kind: String,
}

/// Explains the conclusions `only` (all when empty) of a program on an incident.
pub fn explain(program: &Program, incident: &Incident, outcome: &Outcome, only: &[ConclusionId], full: bool) -> Explanation {
    let conclusions = outcome
        .conclusions
        .iter()
        .filter(|c| only.is_empty() || only.contains(&c.conclusion))
        .map(|c| {
            let info = &program.conclusions[c.conclusion];
            let rule_of = |r: RuleId| rule(program, incident, outcome, c.conclusion, r);
            let defeated = c
                .rules
                .iter()
                .filter_map(|o| match o.state {
                    RuleState::Defeated { by, kind } => Some(Defeat {
                        rule: report::rule_label(program, o.rule),
                        by: report::rule_label(program, by),
                        kind: kind.name().into(),
                    }),
                    _ => None,
                })
                .collect();
            let open = if c.value.is_unknown() || c.status == Status::BurdenNotMet {
                c.rules
                    .iter()
                    .filter(|o| matches!(o.state, RuleState::Undetermined | RuleState::PossiblyDefeated { .. }))
                    .map(|o| rule_of(o.rule))
                    .collect()
            } else {
                Vec::new()
            };
            ConclusionExplanation {
                conclusion: info.name.clone(),
                description: info.description.clone(),
                value: report::value_text(program, &c.value),
                json: report::value_json(program, &c.value),
                status: c.status,
                proof: c.proof.name().map(str::to_string),
                rule: c.rule.map(rule_of),
                burden: c.burden.map(|p| Burden {
                    party: program.parties[p].name.clone(),
                    cites: info.burden.as_ref().map(|b| b.cites.clone()).unwrap_or_default(),
                }),
                defeated,
                open,
                settled_by: c.settled_by.iter().map(|&s| fact(program, incident, s)).collect(),
                rules: if full { c.rules.iter().map(|o| rule_of(o.rule)).collect() } else { Vec::new() },
                removed: removals(program, &info.name),
            }
        })
        .collect();
    Explanation {
        schema_version: EXPLAIN_SCHEMA_VERSION,
        norms: program.name.clone(),
        positions: program.positions.iter().map(|p| p.name.clone()).collect(),
        incident: incident.meta.name.clone(),
        ignored: incident.ignored.clone(),
        conclusions,
    }
}

fn fact(program: &Program, incident: &Incident, slot: SlotId) -> FactUse {
    let info = &program.slots[slot];
    let value = incident.slots.get(slot.index()).cloned().unwrap_or(crate::value::Value::Unknown);
    let annotation = incident.annotations.get(slot.index()).and_then(Option::as_ref);
    let proof = incident.proofs.get(slot.index()).copied().unwrap_or(Proof::UNSTATED);
    FactUse {
        fact: info.name.clone(),
        description: info.description.clone(),
        standard_only: !value.is_unknown() && proof == Proof::UNSTATED,
        value: report::value_text(program, &value),
        proof: proof.standard().map(|s| s.name().to_string()),
        source: annotation.and_then(|a| a.source.clone()),
        note: annotation.and_then(|a| a.note.clone()),
    }
}

fn rule(program: &Program, incident: &Incident, outcome: &Outcome, c: ConclusionId, r: RuleId) -> RuleExplanation {
    let ir = &program.rules[r];
    let o = outcome.get(c).rules.iter().find(|o| o.rule == r);
    let state = match o.map(|o| o.state) {
        Some(RuleState::Applied) => "applied",
        Some(RuleState::NotApplicable) | None => "not_applicable",
        Some(RuleState::Undetermined) => "undetermined",
        Some(RuleState::Defeated { .. }) => "defeated",
        Some(RuleState::PossiblyDefeated { .. }) => "possibly_defeated",
    };
    RuleExplanation {
        name: ir.name.clone(),
        label: report::rule_label(program, r),
        cites: ir.cites.clone(),
        origin: ir.origin.clone(),
        state: state.into(),
        facts: o.map(|o| o.facts.iter().map(|(s, _, _)| fact(program, incident, *s)).collect()).unwrap_or_default(),
        conclusions: o
            .map(|o| {
                o.conclusions
                    .iter()
                    .map(|(d, v, p)| ConclusionUse {
                        conclusion: program.conclusions[d].name.clone(),
                        value: report::value_text(program, v),
                        proof: p.name().map(str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        assessment: o.and_then(|o| o.assessment.clone()),
    }
}

/// The explanation as prose, one paragraph per conclusion.
pub fn text(e: &Explanation) -> String {
    let mut out = format!("{} on {}\n", e.norms, e.incident);
    for name in &e.ignored {
        out.push_str(&format!("note: {}\n", report::ignored_note(name, &[&e.norms])));
    }
    for c in &e.conclusions {
        out.push('\n');
        out.push_str(&format!("{} = {}", c.conclusion, c.value));
        if let (Some(p), false) = (&c.proof, c.value == "unknown" || c.status == Status::BurdenNotMet) {
            if p != "law" {
                out.push_str(&format!(", established to the standard {p}"));
            }
        }
        out.push('\n');
        out.push_str(&format!("  ({})\n", c.description));
        match c.status {
            Status::BurdenNotMet => {
                if let Some(b) = &c.burden {
                    out.push_str(&format!("  Not established: the burden of proving it lies on `{}`{}.\n", b.party, cites(&b.cites)));
                }
            }
            Status::BelowStandard => out.push_str("  Not proven: its premises do not meet the standard of proof it requires.\n"),
            Status::StandardUnstated => {
                out.push_str("  Open: the incident does not state how well some of the facts it rests on are shown.\n")
            }
            // A removal, not a failed condition, may be why no rule gives it: say which.
            Status::NoRuleApplies if !c.removed.is_empty() => {
                out.push_str("  No rule gives it: the position removes rules that concluded it, and any other rule's conditions fail.\n")
            }
            Status::NoRuleApplies => out.push_str("  No rule gives it: the conditions of each of its rules fail.\n"),
            Status::Undetermined => out.push_str("  Open: the facts the incident gives do not decide it.\n"),
            Status::Applied => {}
        }
        for r in &c.removed {
            out.push_str(&format!("  The position `{}` removes `{}`{}.\n", r.position, r.rule, cites(&r.cites)));
        }
        if let Some(r) = &c.rule {
            let from = if r.origin == "base" { String::new() } else { format!(" of the position `{}`", r.origin) };
            out.push_str(&format!("  It follows from {}{from}{}", r.label, cites(&r.cites)));
            out.push_str(if r.facts.is_empty() && r.conclusions.is_empty() && r.assessment.is_none() { ".\n" } else { ", because:\n" });
            rule_body(r, &mut out);
        }
        for d in &c.defeated {
            let why = match d.kind.as_str() {
                "exception" => "as an exception to it",
                "priority" => "which prevails over it",
                _ => "it being a default rule",
            };
            out.push_str(&format!("  {} gives way to {}, {why}.\n", capitalise(&d.rule), d.by));
        }
        for r in &c.open {
            let turns = if r.facts.is_empty() && r.conclusions.is_empty() && r.assessment.is_none() {
                ", unless a rule that prevails over it applies"
            } else {
                "; it turns on:"
            };
            out.push_str(&format!("  {} may apply{}{turns}\n", capitalise(&r.label), cites(&r.cites)));
            rule_body(r, &mut out);
        }
        if !c.settled_by.is_empty() {
            out.push_str("  It would be settled by establishing:\n");
            for f in &c.settled_by {
                let what = if f.standard_only { " (given, but without its standard of proof)" } else { "" };
                out.push_str(&format!("    - {}{what}: {}\n", f.fact, f.description));
            }
        }
        if !c.rules.is_empty() {
            out.push_str("  Every rule of the conclusion:\n");
            for r in &c.rules {
                out.push_str(&format!("    {} ({}){}\n", r.label, r.state.replace('_', " "), cites(&r.cites)));
            }
        }
    }
    out
}

fn rule_body(r: &RuleExplanation, out: &mut String) {
    for f in &r.facts {
        let mut s = format!("    - {} = {}", f.fact, f.value);
        if let Some(p) = &f.proof {
            s.push_str(&format!(" ({p})"));
        }
        s.push_str(&format!(": {}", f.description));
        if let Some(src) = &f.source {
            s.push_str(&format!(" Source: {src}."));
        }
        out.push_str(&s);
        out.push('\n');
    }
    for d in &r.conclusions {
        let proof = d.proof.as_ref().filter(|p| *p != "law").map(|p| format!(" ({p})")).unwrap_or_default();
        out.push_str(&format!("    - {} = {}{proof}\n", d.conclusion, d.value));
    }
    if let Some(a) = &r.assessment {
        let agg = if a.mean { "weighted mean" } else { "weighted sum" };
        let score = if a.low == a.high { format!("{:.4}", a.low) } else { format!("between {:.4} and {:.4}", a.low, a.high) };
        let reached = match a.result {
            Tri::True => "reached",
            Tri::False => "not reached",
            Tri::Unknown => "perhaps reached",
        };
        out.push_str(&format!(
            "    - the {agg} of its factors is {score}; the threshold {} {} is {reached}:\n",
            if a.strict { ">" } else { ">=" },
            a.threshold
        ));
        for f in &a.factors {
            let part = match f.contribution {
                // `-0.0000` reads as a negative contribution; it is none.
                Some(x) => format!("contributes {:.4}", if x.abs() < 0.00005 { 0.0 } else { x }),
                None => "unknown, not counted".into(),
            };
            let mark = if f.decisive {
                if f.share.is_some() {
                    ", decisive"
                } else {
                    ", could decide"
                }
            } else {
                ""
            };
            out.push_str(&format!("        {} (weight {}): {part}{mark}\n", f.name, f.weight));
        }
    }
}

fn cites(c: &[String]) -> String {
    if c.is_empty() {
        String::new()
    } else {
        format!(" ({})", c.join("; "))
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
