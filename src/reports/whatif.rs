//! What `opinio whatif` shows: the conclusion's result now, each smallest
//! set of changes that gives another (with the new result and the rule
//! that decides it), and, for the assessments the conclusion depends on,
//! which change of one factor's rating would turn them.

use serde::Serialize;

use super::{result_text, status_mark, value_text};
use crate::eval::{Evaluator, Outcome, Status};
use crate::incident::Incident;
use crate::ir::{ConclusionId, Expr, Program, RatingScale, RuleForm};
use crate::questions::domain::Space;
use crate::questions::search::{End, Found};
use crate::questions::WhatIf;
use crate::value::{Proof, Tri, Value};

/// A result, as the report writes it.
#[derive(Debug, Clone, Serialize)]
pub struct ResultReport {
    /// The value (`open` for a question of law left open).
    pub value: String,
    /// Why it has that value.
    pub status: Status,
    /// The mark of a result not established or not proven, if any.
    pub mark: Option<&'static str>,
    /// The deciding rule, if a rule decided.
    pub rule: Option<String>,
}

/// One fact changed.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeReport {
    /// The fact (a record's field dotted).
    pub fact: String,
    /// Its new value (`unknown`: made unknown).
    pub value: String,
    /// Its value in the incident.
    pub was: String,
    /// The standard its new value is proven to (`None`: not stated).
    pub proof: Option<&'static str>,
    /// The standard of its value in the incident.
    pub was_proof: Option<&'static str>,
    /// The values the new one stands for, when more than itself.
    pub stands_for: Option<String>,
}

/// One smallest set of changes, and the result it gives.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerReport {
    /// The changes.
    pub changes: Vec<ChangeReport>,
    /// The conclusion's result with them.
    pub result: ResultReport,
}

/// How the search went.
#[derive(Debug, Clone, Serialize)]
pub struct SearchReport {
    /// The facts the conclusion depends on, that the search could change.
    pub facts: usize,
    /// The most facts a set could change.
    pub max_changes: usize,
    /// How many partial incidents were evaluated.
    pub evaluated: u64,
    /// Whether every set of at most `max_changes` changes was tried (the
    /// search did not run out of its budget).
    pub complete: bool,
    /// Every set of at most this many changes was tried: the sets listed
    /// of that size or smaller are all there are.
    pub complete_up_to: usize,
    /// Where the finite abstraction is not exact (empty: it is).
    pub limits: Vec<String>,
}

/// One factor change that turns an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct FactorFlip {
    /// The factor.
    pub factor: String,
    /// Its rating now.
    pub rating: String,
    /// The rating that turns the assessment.
    pub to: String,
    /// The score with it.
    pub score: f64,
}

/// An assessment the conclusion depends on, and the factor changes that turn it.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentReport {
    /// The assessment's rule.
    pub rule: String,
    /// Whether its threshold is reached now (`true`, `false`, `unknown`).
    pub reached: String,
    /// The score now (the lowest the unknown ratings allow).
    pub score: f64,
    /// The threshold.
    pub threshold: f64,
    /// Each change of one factor's rating that turns it.
    pub flips: Vec<FactorFlip>,
}

/// The whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct WhatIfReport {
    /// The version of this schema (docs/questions.md).
    pub schema_version: u32,
    /// The norms' module.
    pub norms: String,
    /// The incident's name.
    pub incident: String,
    /// The conclusion.
    pub conclusion: String,
    /// The facts changed on the command line before asking.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<crate::incident::Changed>,
    /// Its result on the incident.
    pub now: ResultReport,
    /// The result asked for (`--to`), if any.
    pub to: Option<String>,
    /// The facts kept as they are (`--fixed`).
    pub fixed: Vec<String>,
    /// The search.
    pub search: SearchReport,
    /// The smallest sets of changes, smallest first.
    pub answers: Vec<AnswerReport>,
    /// The assessments the conclusion depends on.
    pub assessments: Vec<AssessmentReport>,
}

impl WhatIfReport {
    /// The report of a what-if search on `incident` (read under `program`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        program: &Program,
        incident: &Incident,
        space: &Space,
        base: &[(Value, Proof)],
        conclusion: ConclusionId,
        to: Option<&str>,
        fixed: &[String],
        found: &WhatIf,
    ) -> WhatIfReport {
        let mut evaluator = Evaluator::new(program);
        let now_outcome = evaluator.explain(incident.input()).ok();
        let now = match &now_outcome {
            Some(o) => result_of(program, o, conclusion),
            None => ResultReport { value: found.current.show(), status: Status::Undetermined, mark: None, rule: None },
        };
        let answers = found
            .found
            .iter()
            .map(|f| {
                let changed = changed_incident(incident, f);
                let result = match evaluator.explain(changed.input()) {
                    Ok(o) => result_of(program, &o, conclusion),
                    Err(_) => ResultReport { value: f.answers[0].show(), status: Status::Undetermined, mark: None, rule: None },
                };
                AnswerReport { changes: f.changes.iter().map(|c| change_report(program, space, base, c)).collect(), result }
            })
            .collect();
        let facts = {
            let cones = crate::eval::Cones::of(program);
            cones.conclusion(conclusion).iter().count()
        };
        WhatIfReport {
            schema_version: 1,
            norms: program.name.clone(),
            incident: incident.meta.name.clone(),
            conclusion: program.conclusions[conclusion].name.clone(),
            changed: incident.changed.clone(),
            now,
            to: to.map(str::to_string),
            fixed: fixed.to_vec(),
            search: SearchReport {
                facts,
                max_changes: found.max_changes,
                evaluated: found.runs,
                complete: found.end != End::OutOfBudget,
                complete_up_to: found.complete_up_to,
                limits: found.limits.clone(),
            },
            answers,
            assessments: now_outcome.as_ref().map(|o| assessments(program, o, conclusion)).unwrap_or_default(),
        }
    }
}

/// The incident with a set of changes made.
pub fn changed_incident(incident: &Incident, found: &Found) -> Incident {
    let mut changed = incident.clone();
    for c in &found.changes {
        changed.slots[c.slot] = c.value.clone();
        changed.proofs[c.slot] = c.proof;
    }
    changed
}

fn result_of(program: &Program, outcome: &Outcome, c: ConclusionId) -> ResultReport {
    let o = outcome.get(c);
    ResultReport {
        value: result_text(program, &o.value, o.status),
        status: o.status,
        mark: status_mark(o.status, o.value == Value::Bool(false)),
        rule: o.rule.map(|r| program.rules[r].name.clone()),
    }
}

fn change_report(program: &Program, space: &Space, base: &[(Value, Proof)], c: &crate::questions::search::Change) -> ChangeReport {
    let (was, was_proof) = &base[c.slot];
    ChangeReport {
        fact: space.slots[c.slot].name.clone(),
        value: value_text(program, &c.value),
        was: value_text(program, was),
        proof: if c.value.is_unknown() { None } else { c.proof.name() },
        was_proof: if was.is_unknown() { None } else { was_proof.name() },
        stands_for: c.class.clone(),
    }
}

/// The assessments among the rules of the conclusion and of every
/// conclusion it depends on, each with the changes of one factor's rating
/// that would turn it.
fn assessments(program: &Program, outcome: &Outcome, c: ConclusionId) -> Vec<AssessmentReport> {
    let mut seen = vec![false; program.conclusions.len()];
    let mut stack = vec![c];
    let mut order = Vec::new();
    while let Some(x) = stack.pop() {
        if std::mem::replace(&mut seen[x.index()], true) {
            continue;
        }
        order.push(x);
        for &r in &program.conclusions[x].rules {
            stack.extend(program.rules[r].reads.conclusions.iter().rev().copied());
        }
    }
    let mut out = Vec::new();
    for x in order {
        for r in &outcome.get(x).rules {
            let rule = &program.rules[r.rule];
            let (RuleForm::Assessment, Some(a)) = (&rule.form, &r.assessment) else { continue };
            // Reached, but the rule's other conditions fail: no rating of
            // its factors changes anything.
            if a.result == Tri::True && r.condition == Tri::False {
                continue;
            }
            let Some(expr) = assessment_expr(&rule.condition) else { continue };
            let total: f64 = a.factors.iter().map(|f| f.weight.max(0.0)).sum();
            let scale = |x: f64| if a.mean && total > 0.0 { x / total } else { x };
            let meets = |x: f64| if a.strict { x > a.threshold + 1e-9 } else { x >= a.threshold - 1e-9 };
            let mut flips = Vec::new();
            for (f, factor) in a.factors.iter().zip(&expr.factors) {
                let Some(share) = f.share else { continue };
                let n = match factor.scale {
                    RatingScale::Bool => 2,
                    RatingScale::Enum(n) => n,
                    RatingScale::Unit => continue,
                };
                for i in 0..n {
                    let other = if n <= 1 { 1.0 } else { f64::from(i) / f64::from(n - 1) };
                    if (other - share).abs() < 1e-12 {
                        continue;
                    }
                    let delta = scale(f.weight * (other - share));
                    let (low, high) = (a.low + delta, a.high + delta);
                    let now = a.result;
                    let then = if meets(low) {
                        Tri::True
                    } else if !meets(high) {
                        Tri::False
                    } else {
                        Tri::Unknown
                    };
                    if then != now {
                        let to = match (&f.rating, factor.scale) {
                            (Value::Enum(e, _), _) => program.enums[e].values[i as usize].clone(),
                            (_, RatingScale::Bool) => (i == 1).to_string(),
                            _ => format!("{other}"),
                        };
                        flips.push(FactorFlip { factor: f.name.clone(), rating: value_text(program, &f.rating), to, score: round(low) });
                    }
                }
            }
            out.push(AssessmentReport {
                rule: rule.name.clone(),
                reached: match a.result {
                    Tri::True => "true",
                    Tri::False => "false",
                    Tri::Unknown => "unknown",
                }
                .into(),
                score: round(a.low),
                threshold: a.threshold,
                flips,
            });
        }
    }
    out
}

/// The weighted test at the head of an assessment's condition.
fn assessment_expr(e: &Expr) -> Option<&crate::ir::Assessment> {
    match e {
        Expr::Assessment(a) => Some(a),
        Expr::And(items) => items.iter().find_map(assessment_expr),
        _ => None,
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The report as text for a reader.
pub fn text(r: &WhatIfReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "What if: {} on {}, {}", r.norms, r.incident, r.conclusion);
    for c in &r.changed {
        let _ = writeln!(
            s,
            "changed:  {} = {} (--{})",
            c.fact,
            c.value.as_deref().unwrap_or("unknown"),
            if c.value.is_some() { "set" } else { "unset" }
        );
    }
    let _ = writeln!(s, "now:      {}", result_line(&r.now));
    let goal = match &r.to {
        Some(to) => format!("changes that make it {to}"),
        None => "changes that give it another result".into(),
    };
    let fixed = if r.fixed.is_empty() { String::new() } else { format!(", keeping {} as they are", r.fixed.join(", ")) };
    let searched = if r.search.complete {
        format!(
            "searched: {goal}, every set of at most {} {} at a time, among the {} facts it depends on{fixed} ({} partial incidents)",
            r.search.max_changes,
            if r.search.max_changes == 1 { "fact" } else { "facts" },
            r.search.facts,
            r.search.evaluated
        )
    } else {
        format!(
            "searched: {goal}, among the {} facts it depends on{fixed} ({} partial incidents; stopped at its budget: not every set was tried)",
            r.search.facts, r.search.evaluated
        )
    };
    s.push_str(&wrap(&searched, "          "));
    for limit in &r.search.limits {
        let _ = writeln!(s, "not exact: {limit}");
    }
    s.push('\n');
    let what = match &r.to {
        Some(to) => format!("makes it {to}"),
        None => "gives it another result".into(),
    };
    if r.answers.is_empty() && r.search.complete {
        let _ = writeln!(
            s,
            "No change of at most {} {} {what}.",
            r.search.max_changes,
            if r.search.max_changes == 1 { "fact" } else { "facts" }
        );
    } else if r.answers.is_empty() {
        let _ = writeln!(s, "No change found that {what}: the search stopped before it tried every set (raise --budget).");
    } else if !r.search.complete && r.search.complete_up_to > 0 {
        let sets = if r.search.complete_up_to == 1 { "change".to_string() } else { format!("{} changes", r.search.complete_up_to) };
        s.push_str(&wrap(
            &format!(
                "The search stopped before it tried every larger set: every set of at most {sets} is listed; larger ones are \
                 what it found before its budget ran out (raise --budget)."
            ),
            "",
        ));
        s.push('\n');
    } else if !r.search.complete {
        s.push_str(&wrap(
            "The search stopped before it tried every set: what follows is what it found; no change can be left out of it, \
             but sets with fewer changes may exist (raise --budget).",
            "",
        ));
        s.push('\n');
    }
    // Answers changing the same facts together, each set once.
    let mut groups: Vec<(Vec<&str>, Vec<&AnswerReport>)> = Vec::new();
    for a in &r.answers {
        let facts: Vec<&str> = a.changes.iter().map(|c| c.fact.as_str()).collect();
        match groups.iter_mut().find(|(f, _)| *f == facts) {
            Some((_, list)) => list.push(a),
            None => groups.push((facts, vec![a])),
        }
    }
    let mut size = 0;
    for (i, (facts, answers)) in groups.iter().enumerate() {
        if facts.len() != size {
            size = facts.len();
            let _ = writeln!(s, "Changing {} {}:", size, if size == 1 { "fact" } else { "facts together" });
        }
        s.push_str(&wrap(&format!("{:>3}. {}", i + 1, facts.join(", ")), "       "));
        // One fact: a value given to several standards with one result is one line.
        let mut shown: Vec<(String, String, Vec<Option<&str>>, &ChangeReport)> = Vec::new();
        for a in answers {
            if let [c] = a.changes.as_slice() {
                let result = result_line(&a.result);
                if c.value != c.was {
                    if let Some(line) = shown.iter_mut().find(|(v, r, _, _)| *v == c.value && *r == result) {
                        line.2.push(c.proof);
                        continue;
                    }
                }
                shown.push((c.value.clone(), result, vec![c.proof], c));
            }
        }
        for (_, result, proofs, c) in &shown {
            if proofs.len() > 1 {
                let any: Vec<&str> = proofs.iter().map(|p| p.unwrap_or("none stated")).collect();
                let was_proof = c.was_proof.map(|p| format!(", {p}")).unwrap_or_default();
                let stands = c.stands_for.as_ref().map(|x| format!(" [{x}]")).unwrap_or_default();
                let line = format!("       = {}{stands}, proven {} (was {}{was_proof}) -> {result}", c.value, any.join(" or "), c.was);
                s.push_str(&wrap(&line, "           "));
            } else {
                s.push_str(&wrap(&format!("       {} -> {result}", change_text(c)), "           "));
            }
        }
        for a in answers {
            if a.changes.len() == 1 {
                continue;
            } else {
                let _ = writeln!(s, "       -> {}, with", result_line(&a.result));
                for c in &a.changes {
                    let _ = writeln!(s, "            {}", change_line(c));
                }
            }
        }
    }
    if r.assessments.iter().any(|a| !a.flips.is_empty()) {
        let _ = writeln!(
            s,
            "\nAssessments it depends on, and the one rating that would turn each (whether that changes the\nconclusion depends on the rule's other conditions):"
        );
        for a in r.assessments.iter().filter(|a| !a.flips.is_empty()) {
            let _ = writeln!(s, "  {}: reached {} (score {}, threshold {})", a.rule, a.reached, a.score, a.threshold);
            for f in &a.flips {
                let _ = writeln!(s, "    {}: {} -> {} (score {})", f.factor, f.rating, f.to, f.score);
            }
        }
    }
    s
}

fn result_line(r: &ResultReport) -> String {
    let mark = r.mark.map(|m| format!(" ({m})")).unwrap_or_default();
    let rule = match &r.rule {
        // A burden or a standard decided it, not the rule that applied.
        _ if matches!(r.status, Status::BurdenNotMet | Status::BelowStandard | Status::StandardUnstated) => {
            format!(", {}", r.status.name().replace('_', " "))
        }
        Some(rule) => format!(", by {rule}"),
        None if r.status == Status::Open => String::new(),
        None => format!(", {}", r.status.name().replace('_', " ")),
    };
    format!("{}{mark}{rule}", r.value)
}

fn change_line(c: &ChangeReport) -> String {
    format!("{} {}", c.fact, change_text(c))
}

/// A change without the fact's name: `= 12, preponderance [above 10] (was 0, preponderance)`.
fn change_text(c: &ChangeReport) -> String {
    let proof = |p: Option<&str>| p.map(|p| format!(", {p}")).unwrap_or_default();
    let stands = c.stands_for.as_ref().map(|x| format!(" [{x}]")).unwrap_or_default();
    if c.value == c.was {
        format!("proven {} (was {})", c.proof.unwrap_or("to no stated standard"), c.was_proof.unwrap_or("no stated standard"))
    } else {
        format!("= {}{}{stands} (was {}{})", c.value, proof(c.proof), c.was, proof(c.was_proof))
    }
}

/// A line wrapped at 100 columns, the lines after the first indented.
fn wrap(line: &str, indent: &str) -> String {
    super::wrap(line, indent, 100)
}
