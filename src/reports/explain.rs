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
    /// The day the positions are taken as of, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The facts and fields the incident gives that the norms do not
    /// declare, ignored because other norms loaded with them do (see
    /// [`Incident::ignored`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The exchange rates the incident gives, by which amounts in two
    /// currencies were compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exchange_rates: Vec<crate::value::ExchangeRate>,
    /// The facts changed from the incident file's on the command line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<crate::incident::Changed>,
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
    /// The questions of law left open that leave it unknown: its status is
    /// `open` when they alone do, `undetermined` when facts are missing too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub open_questions: Vec<OpenQuestion>,
    /// Where the result comes from (`None` for norms without positions):
    /// stated by the positions' changes, or inherited from the base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The readings marked arguable or contested that the result rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<report::MarkedReading>,
    /// For a result resting on a premise not established: the conclusions
    /// not established it rests on, and why each was not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rests_on: Vec<NotEstablished>,
}

/// A question left open, as an explanation tells it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenQuestion {
    /// The `open` declaration's name, or the rule whose application is open.
    pub question: String,
    /// `conclusion` or `rule`.
    pub kind: crate::ir::QuestionKind,
    /// Who leaves it open: `base`, or a position.
    pub origin: String,
    /// The sources.
    pub cites: Vec<String>,
    /// Marked arguable or contested, if so.
    pub reading: Option<crate::ir::Reading>,
}

/// Where a result comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Whether the positions state it (else it is inherited by their silence).
    pub stated: bool,
    /// The changes it rests on, in the order the positions make them.
    pub changes: Vec<StatedChange>,
}

/// A change of a position on which a result rests.
#[derive(Debug, Clone, Serialize)]
pub struct StatedChange {
    /// The position that makes it.
    pub position: String,
    /// What kind of change.
    pub change: crate::ir::ChangeKind,
    /// The rule, parameter or conclusion changed.
    pub target: String,
    /// Its citations.
    pub cites: Vec<String>,
    /// The dated statement it was made in, if any: `name (YYYY-MM-DD)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// A conclusion that was not established, on which another result rests.
#[derive(Debug, Clone, Serialize)]
pub struct NotEstablished {
    /// The conclusion.
    pub conclusion: String,
    /// `burden_not_met` or `below_standard`.
    pub status: Status,
    /// For a burden: the party that bore it, and its sources.
    pub burden: Option<Burden>,
    /// For a standard: the standard required.
    pub standard: Option<String>,
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
    /// The dated statement it was made in, if any: `name (YYYY-MM-DD)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// The removals of a conclusion's rules by the program's positions.
pub fn removals(program: &Program, conclusion: &str) -> Vec<Removal> {
    program
        .removals_of(conclusion)
        .map(|c| Removal {
            position: c.position.clone(),
            rule: c.target.clone(),
            cites: c.cites.clone(),
            statement: c.statement.and_then(|s| program.statements.get(s as usize)).map(|s| format!("{} ({})", s.name, s.date)),
        })
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
    /// The dated statement in which its position made it, if any: `name (YYYY-MM-DD)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
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
    /// Whether it rests on something not established (or is itself not established).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_established: bool,
}

/// A burden of proof that decided a conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct Burden {
    /// The party.
    pub party: String,
    /// The standard it had to meet, if the conclusion names one.
    pub standard: Option<String>,
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
                value: report::result_text(program, &c.value, c.status),
                json: report::value_json(program, &c.value),
                status: c.status,
                proof: c.proof.name().map(str::to_string),
                rule: c.rule.map(rule_of),
                burden: c.burden.map(|p| Burden {
                    party: program.parties[p].name.clone(),
                    standard: report::required_standard(program, info),
                    cites: info.burden.as_ref().map(|b| b.cites.clone()).unwrap_or_default(),
                }),
                defeated,
                open,
                settled_by: c.settled_by.iter().map(|&s| fact(program, incident, s)).collect(),
                rules: if full { c.rules.iter().map(|o| rule_of(o.rule)).collect() } else { Vec::new() },
                removed: removals(program, &info.name),
                open_questions: c
                    .questions
                    .iter()
                    .map(|&q| {
                        let info = &program.questions[q];
                        OpenQuestion {
                            question: info.name.clone(),
                            kind: info.kind,
                            origin: info.origin.clone(),
                            cites: info.cites.clone(),
                            reading: info.reading.clone(),
                        }
                    })
                    .collect(),
                readings: report::readings_of(program, c.conclusion, c.rule),
                provenance: program.stated(c.conclusion).map(|stated| Provenance {
                    stated,
                    changes: info
                        .stated_by
                        .iter()
                        .map(|&i| {
                            let change = &program.changes[i as usize];
                            StatedChange {
                                position: change.position.clone(),
                                change: change.kind,
                                target: change.target.clone(),
                                cites: change.cites.clone(),
                                statement: change
                                    .statement
                                    .and_then(|s| program.statements.get(s as usize))
                                    .map(|s| format!("{} ({})", s.name, s.date)),
                            }
                        })
                        .collect(),
                }),
                rests_on: c
                    .rests_on
                    .iter()
                    .map(|&d| {
                        let info = &program.conclusions[d];
                        let status = outcome.get(d).status;
                        NotEstablished {
                            conclusion: info.name.clone(),
                            status,
                            burden: info.burden.as_ref().filter(|_| status == Status::BurdenNotMet).map(|b| Burden {
                                party: program.parties[b.value].name.clone(),
                                standard: report::required_standard(program, info),
                                cites: b.cites.clone(),
                            }),
                            standard: report::required_standard(program, info).filter(|_| status == Status::BelowStandard),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Explanation {
        schema_version: EXPLAIN_SCHEMA_VERSION,
        norms: program.name.clone(),
        positions: program.positions.iter().map(|p| p.name.clone()).collect(),
        incident: incident.meta.name.clone(),
        as_of: program.as_of.clone(),
        ignored: incident.ignored.clone(),
        exchange_rates: incident.meta.exchange_rates.clone(),
        changed: incident.changed.clone(),
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
    // The statement in which the rule's position added or replaced it.
    let declared = match &ir.form {
        crate::ir::RuleForm::Tier { tiers, .. } => tiers.as_str(),
        _ => ir.name.as_str(),
    };
    let statement = program
        .changes
        .iter()
        .rev()
        .filter(|c| {
            c.position == ir.origin && c.target == declared && matches!(c.kind, crate::ir::ChangeKind::Add | crate::ir::ChangeKind::Replace)
        })
        .filter_map(|c| c.statement.and_then(|s| program.statements.get(s as usize)))
        .map(|s| format!("{} ({})", s.name, s.date))
        .next();
    RuleExplanation {
        name: ir.name.clone(),
        label: report::rule_label(program, r),
        cites: ir.cites.clone(),
        origin: ir.origin.clone(),
        statement,
        state: state.into(),
        facts: o.map(|o| o.facts.iter().map(|(s, _, _)| fact(program, incident, *s)).collect()).unwrap_or_default(),
        conclusions: o
            .map(|o| {
                o.conclusions
                    .iter()
                    .map(|(d, v, p)| ConclusionUse {
                        conclusion: program.conclusions[d].name.clone(),
                        value: report::result_text(program, v, outcome.get(*d).status),
                        proof: p.name().map(str::to_string),
                        not_established: !p.is_established() && !v.is_unknown(),
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
    if let Some(day) = &e.as_of {
        out.push_str(&format!("(the positions as they stood on {day}; statements made later are left out)\n"));
    }
    for c in &e.changed {
        out.push_str(&format!("changed: {}\n", report::changed_text(c)));
    }
    for rate in &e.exchange_rates {
        out.push_str(&format!("rate: {}\n", report::rate_text(rate)));
    }
    for name in &e.ignored {
        out.push_str(&format!("note: {}\n", report::ignored_note(name, &[&e.norms])));
    }
    for c in &e.conclusions {
        out.push('\n');
        out.push_str(&format!("{} = {}", c.conclusion, c.value));
        if let Some(mark) = report::status_mark(c.status, c.json == serde_json::Value::Bool(false)) {
            out.push_str(&format!(" ({mark})"));
        }
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
                    let to = b.standard.as_ref().map(|s| format!(", to the standard {s}")).unwrap_or_default();
                    let short = if c.rule.is_some() { "; its premises fall short of that standard" } else { "" };
                    out.push_str(&format!(
                        "  Not established: the burden of proving it lies on `{}`{to}{}{short}.\n",
                        b.party,
                        cites(&b.cites)
                    ));
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
            Status::Open => out
                .push_str("  Left open: a question of law the norms leave open decides it, and no fact of the incident would settle it.\n"),
            Status::PremiseNotEstablished => {
                let what = if c.json == serde_json::Value::Bool(false) {
                    "Not established, not found not to hold: it rests on what was not established"
                } else {
                    "It has this value only because something was not established"
                };
                out.push_str(&format!("  {what}:\n"));
                if c.rests_on.is_empty() {
                    out.push_str("    - a `proven` condition of one of its rules, whose premises fall short of the standard it names.\n");
                }
                for n in &c.rests_on {
                    match (&n.burden, &n.standard) {
                        (Some(b), _) => out.push_str(&format!(
                            "    - `{}`: the burden of proving it lies on `{}`{}, and it was not met.\n",
                            n.conclusion,
                            b.party,
                            cites(&b.cites)
                        )),
                        (None, Some(s)) => {
                            out.push_str(&format!("    - `{}`: not proven to the standard it requires, {s}.\n", n.conclusion))
                        }
                        (None, None) => out.push_str(&format!("    - `{}`.\n", n.conclusion)),
                    }
                }
            }
            Status::Applied => {}
        }
        for r in &c.removed {
            let made = r.statement.as_ref().map(|s| format!(" in its statement {s}")).unwrap_or_default();
            out.push_str(&format!("  The position `{}` removes `{}`{made}{}.\n", r.position, r.rule, cites(&r.cites)));
        }
        match &c.provenance {
            Some(p) if p.stated => {
                // The removals of its own rules are told just above.
                let others: Vec<&StatedChange> = p
                    .changes
                    .iter()
                    .filter(|ch| !(ch.change == crate::ir::ChangeKind::Remove && c.removed.iter().any(|r| r.rule == ch.target)))
                    .collect();
                if others.is_empty() {
                    out.push_str("  Stated: the result rests on these removals.\n");
                } else {
                    let also = if others.len() < p.changes.len() { " (besides these removals)" } else { "" };
                    out.push_str(&format!("  Stated: the result rests on these changes of the positions to their base{also}:\n"));
                }
                for change in others {
                    let made = change.statement.as_ref().map(|s| format!(", in the statement {s}")).unwrap_or_default();
                    out.push_str(&format!(
                        "    - `{}` {}{made}{}\n",
                        change.position,
                        report::change_text(change.change, &change.target),
                        cites(&change.cites)
                    ));
                }
            }
            Some(_) => out.push_str(&format!(
                "  Inherited: {} {} silent on it; the result is the base's.\n",
                e.positions.iter().rev().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                if e.positions.len() == 1 { "is" } else { "are" }
            )),
            None => {}
        }
        for r in &c.readings {
            out.push_str(&format!(
                "  It rests on a reading marked {}: {}{}.\n",
                r.kind.name(),
                r.what,
                r.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
            ));
        }
        if let Some(r) = &c.rule {
            let from = match (&r.origin, &r.statement) {
                (o, _) if o == "base" => String::new(),
                (o, Some(s)) => format!(" of the position `{o}`, in its statement {s}"),
                (o, None) => format!(" of the position `{o}`"),
            };
            let lead = if matches!(c.status, Status::Applied | Status::PremiseNotEstablished) {
                "It follows from"
            } else {
                "The rule that applied, short of what the conclusion requires, is"
            };
            out.push_str(&format!("  {lead} {}{from}{}", r.label, cites(&r.cites)));
            out.push_str(if r.facts.is_empty() && r.conclusions.is_empty() && r.assessment.is_none() { ".\n" } else { ", because:\n" });
            rule_body(r, &mut out);
        }
        for d in &c.defeated {
            let why = match d.kind.as_str() {
                "exception" => "as an exception to it",
                "priority" => "which prevails over it",
                "open" => "which leaves the question open",
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
        if !c.open_questions.is_empty() {
            out.push_str(if c.status == Status::Open { "  It is left open by:\n" } else { "  It is also left open by:\n" });
            for q in &c.open_questions {
                let by = if q.origin == "base" { "the base".to_string() } else { format!("the position `{}`", q.origin) };
                let what = match q.kind {
                    crate::ir::QuestionKind::Conclusion => format!("the open question `{}`", q.question),
                    crate::ir::QuestionKind::Rule => format!("whether `{}` applies", q.question),
                };
                let reading = q
                    .reading
                    .as_ref()
                    .map(|r| format!(" ({} reading{})", r.kind.name(), r.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()))
                    .unwrap_or_default();
                out.push_str(&format!("    - {what}, left open by {by}{}{reading}\n", cites(&q.cites)));
            }
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
        let proof = match (&d.proof, d.not_established) {
            (_, true) if d.value == "false" => " (not established)".to_string(),
            (_, true) => " (on a premise not established)".to_string(),
            (Some(p), false) if p != "law" => format!(" ({p})"),
            _ => String::new(),
        };
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
