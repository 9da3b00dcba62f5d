//! Comparing positions: every position on every incident, the cells where
//! they diverge, and why.
//!
//! In: for each incident, the evaluation ([`Outcome`]) of each position's
//! program. Out: a [`Comparison`], data rendered elsewhere: one row per
//! conclusion and incident, with each position's result and, where the
//! positions give different results, the *causes*: the changes the positions
//! make to their base (replaced, removed or added rules, parameters,
//! standards and burdens of proof) that bear on the divergent conclusion.
//!
//! Causes are found by following the derivations, not by guessing: a change
//! bears on a conclusion when it replaces, removes or adds one of its rules,
//! sets a parameter one of its rules reads, or sets its standard or burden;
//! and the search goes down into each conclusion those rules read whose
//! result also differs between the two positions. A change both positions
//! share (from a common base position) is never a cause.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value as Json;

use crate::eval::{Outcome, RuleState};
use crate::ir::{ChangeInfo, ChangeKind, ConclusionId, Program, RuleForm};
use crate::report;

/// One position's evaluation of one incident.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The position's program.
    pub program: &'a Program,
    /// The incident, as read under this program.
    pub incident: &'a crate::incident::Incident,
    /// Its evaluation of the incident.
    pub outcome: &'a Outcome,
}

/// The comparison of several positions on several incidents.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The positions, in the order of the columns.
    pub positions: Vec<String>,
    /// One comparison per incident, in the order given.
    pub incidents: Vec<IncidentComparison>,
    /// For each pair of positions, how often they agree, over every
    /// conclusion both have on every incident (before any filtering of rows).
    pub agreement: Vec<Agreement>,
}

/// How often two positions give the same result.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The two positions.
    pub positions: [String; 2],
    /// The cells (conclusion x incident) where both give the same value.
    pub same: usize,
    /// The cells both positions have.
    pub compared: usize,
}

impl Comparison {
    /// A comparison of `positions` over these incidents, with their agreement.
    pub fn new(positions: Vec<String>, incidents: Vec<IncidentComparison>) -> Comparison {
        let agreement = render::agreement(&positions, &incidents);
        Comparison { positions, incidents, agreement }
    }

    /// Keeps only the rows that `keep` accepts (the agreement is unchanged).
    pub fn retain_rows(&mut self, mut keep: impl FnMut(&Row) -> bool) {
        for i in &mut self.incidents {
            i.rows.retain(&mut keep);
        }
    }
}

/// The comparison of several positions on one incident.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentComparison {
    /// The incident's name.
    pub incident: String,
    /// The incident file, as given.
    pub file: String,
    /// One row per conclusion, in the order the positions declare them.
    pub rows: Vec<Row>,
}

/// One conclusion on one incident, under each position.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The conclusion.
    pub conclusion: String,
    /// Each position's result, in the order of the positions; `None` where
    /// the position has no such conclusion.
    pub cells: Vec<Option<Cell>>,
    /// Whether the positions that have the conclusion give different results.
    pub divergent: bool,
    /// For a divergent row: the changes that bear on it.
    pub causes: Vec<Cause>,
}

/// One position's result for one conclusion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The value as the language writes it (`unknown` when unknown).
    pub text: String,
    /// The value as JSON (`null` when unknown).
    pub value: Json,
    /// Why it has this value (`applied`, `burden_not_met`, ...).
    pub status: String,
    /// The deciding rule, if one decided.
    pub rule: Option<String>,
    /// Where the deciding rule comes from: `base` or a position.
    pub origin: Option<String>,
    /// How well it is established (a standard, `law`, or `None` when unstated).
    pub proof: Option<String>,
    /// Its explanation in prose (as `opinio explain` gives it), for reports.
    #[serde(skip)]
    pub explanation: String,
}

/// A change of a position that bears on a divergent conclusion.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cause {
    /// The position (of the compared ones) whose program has the change.
    pub position: String,
    /// The position that declared the change (the same, or a position it extends).
    pub declared_by: String,
    /// What kind of change.
    pub change: ChangeKind,
    /// The rule, parameter or conclusion changed.
    pub target: String,
    /// The citations given for the change.
    pub cites: Vec<String>,
    /// The conclusions through which the change reaches the divergent one,
    /// from the divergent conclusion down to the one the change bears on
    /// (just the divergent conclusion when it bears on it directly).
    pub via: Vec<String>,
}

/// Compares the positions' evaluations of one incident. `runs` holds one
/// run per position, in the order of the positions.
pub fn compare_incident(incident: &str, file: &str, runs: &[Run<'_>]) -> IncidentComparison {
    let mut order: Vec<String> = Vec::new();
    for run in runs {
        for c in &run.program.conclusions {
            if !order.contains(&c.name) {
                order.push(c.name.clone());
            }
        }
    }
    let rows = order
        .into_iter()
        .map(|conclusion| {
            let cells: Vec<Option<Cell>> = runs.iter().map(|run| cell(run, &conclusion)).collect();
            let present: Vec<&Cell> = cells.iter().flatten().collect();
            let divergent = present.windows(2).any(|w| w[0].value != w[1].value);
            let mut causes = BTreeSet::new();
            if divergent {
                for (i, a) in runs.iter().enumerate() {
                    for (j, b) in runs.iter().enumerate().skip(i + 1) {
                        if let (Some(ca), Some(cb)) = (&cells[i], &cells[j]) {
                            if ca.value != cb.value {
                                find_causes(&conclusion, *a, *b, &mut vec![conclusion.clone()], &mut causes);
                            }
                        }
                    }
                }
            }
            Row { conclusion, cells, divergent, causes: causes.into_iter().collect() }
        })
        .collect();
    IncidentComparison { incident: incident.to_string(), file: file.to_string(), rows }
}

fn cell(run: &Run<'_>, conclusion: &str) -> Option<Cell> {
    let program = run.program;
    let id = program.conclusion_named(conclusion)?;
    let c = run.outcome.get(id);
    let rule = c.rule.map(|r| &program.rules[r as usize]);
    Some(Cell {
        text: report::value_text(program, &c.value),
        value: report::value_json(program, &c.value),
        status: report::status_text(c.status).to_string(),
        rule: rule.map(|r| r.name.clone()),
        origin: rule.map(|r| r.origin.clone()),
        proof: c.proof.name().map(str::to_string),
        explanation: crate::explain::text(&crate::explain::explain(program, run.incident, run.outcome, &[id], false)),
    })
}

/// What a conclusion's derivation rests on in one program: the names of its
/// rules (and of the `tiers` declarations they belong to), the parameters
/// they read, and the conclusions they read.
struct Footprint {
    rules: BTreeSet<String>,
    params: BTreeSet<String>,
    reads: BTreeSet<String>,
}

fn footprint(program: &Program, conclusion: ConclusionId) -> Footprint {
    let mut f = Footprint { rules: BTreeSet::new(), params: BTreeSet::new(), reads: BTreeSet::new() };
    for &r in &program.conclusions[conclusion as usize].rules {
        let rule = &program.rules[r as usize];
        f.rules.insert(rule.name.clone());
        if let RuleForm::Tier { tiers, .. } = &rule.form {
            f.rules.insert(tiers.clone());
        }
        f.params.extend(rule.reads.params.iter().map(|&p| program.params[p as usize].name.clone()));
        f.reads.extend(rule.reads.conclusions.iter().map(|&d| program.conclusions[d as usize].name.clone()));
    }
    if let Some(s) = &program.conclusions[conclusion as usize].standard {
        if let crate::ir::Expr::Param(p) = &s.value {
            f.params.insert(program.params[*p as usize].name.clone());
        }
    }
    f
}

/// Whether the rule (or `tiers` declaration) `name` of conclusion `c` took
/// part in the derivation: it exists in this program and its conditions did
/// not simply fail.
fn took_part(run: Run<'_>, c: ConclusionId, name: &str) -> bool {
    run.outcome.get(c).rules.iter().any(|o| {
        let rule = &run.program.rules[o.rule as usize];
        let named = rule.name == name || matches!(&rule.form, RuleForm::Tier { tiers, .. } if tiers == name);
        named && o.state != RuleState::NotApplicable
    })
}

/// Whether a change of a program bears on a conclusion with these footprints.
/// A rule-level change bears on it only if the rule took part in one of the
/// two derivations: a rule whose conditions fail in both cannot explain a
/// difference.
fn bears_on(change: &ChangeInfo, conclusion: &str, a: &Footprint, b: &Footprint, took_part: impl Fn(&str) -> bool) -> bool {
    match change.kind {
        ChangeKind::Replace | ChangeKind::Remove | ChangeKind::Add => {
            (a.rules.contains(&change.target) || b.rules.contains(&change.target)) && took_part(&change.target)
        }
        ChangeKind::SetParam => a.params.contains(&change.target) || b.params.contains(&change.target),
        ChangeKind::SetStandard | ChangeKind::SetBurden => change.target == conclusion,
    }
}

/// Collects the changes of `a` and `b` that bear on `conclusion`, and goes
/// down into the conclusions it reads whose results differ.
fn find_causes(conclusion: &str, a: Run<'_>, b: Run<'_>, via: &mut Vec<String>, out: &mut BTreeSet<Cause>) {
    let (Some(ia), Some(ib)) = (a.program.conclusion_named(conclusion), b.program.conclusion_named(conclusion)) else { return };
    let (fa, fb) = (footprint(a.program, ia), footprint(b.program, ib));
    for (run, other) in [(a, b), (b, a)] {
        let position = run.program.positions.last().map_or_else(|| run.program.name.clone(), |p| p.name.clone());
        for change in &run.program.changes {
            let shared =
                other.program.changes.iter().any(|o| o.position == change.position && o.kind == change.kind && o.target == change.target);
            let part = |name: &str| took_part(a, ia, name) || took_part(b, ib, name);
            if !shared && bears_on(change, conclusion, &fa, &fb, part) {
                out.insert(Cause {
                    position: position.clone(),
                    declared_by: change.position.clone(),
                    change: change.kind,
                    target: change.target.clone(),
                    cites: change.cites.clone(),
                    via: via.clone(),
                });
            }
        }
    }
    for read in fa.reads.union(&fb.reads) {
        if via.contains(read) {
            continue; // a recursive group: already being explained
        }
        let (ca, cb) = (cell(&a, read), cell(&b, read));
        let differs = match (&ca, &cb) {
            (Some(x), Some(y)) => x.value != y.value || x.status != y.status || x.proof != y.proof,
            _ => true,
        };
        if differs {
            via.push(read.clone());
            find_causes(read, a, b, via, out);
            via.pop();
        }
    }
}

mod render;

pub use render::{cause_text as render_cause, cell_text as render_cell, change_text, csv, html, json, markdown, COMPARE_SCHEMA_VERSION};
