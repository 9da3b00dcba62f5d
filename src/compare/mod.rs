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
//! share (from a common base position) is never a cause. A change that
//! reaches a conclusion along several paths is listed once, with the shortest
//! (see `causes`): the search never enumerates paths.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use indexmap::IndexSet;
use serde::Serialize;
use serde_json::Value as Json;

use crate::eval::{Outcome, Status};
use crate::ir::{ChangeKind, ConclusionId, Program};
use crate::reports;

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
    /// The positions' titles, as reports show them (the declared title,
    /// else the name), in the same order.
    pub titles: Vec<String>,
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
    /// Of `same`: the cells where at least one of the two states its result
    /// (agreement the positions stated).
    pub same_stated: usize,
    /// Of `same`: the cells both inherit from their base by silence (they
    /// cannot differ there).
    pub same_by_silence: usize,
    /// The cells, both positions have, of contested conclusions: those
    /// whose result some compared position states.
    pub contested_compared: usize,
    /// Of those, the cells where both give the same value.
    pub contested_same: usize,
    /// Of `contested_same`: the cells both inherit from their base by
    /// silence (the rest, at least one of the two states).
    pub contested_same_by_silence: usize,
}

/// Where a position's result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// The position's changes to its base bear on it.
    Stated,
    /// Nothing the position says bears on it: the base's result, by silence.
    Inherited,
}

impl Comparison {
    /// A comparison of `positions` (with their `titles`, in the same order)
    /// over these incidents, with their agreement.
    pub fn new(positions: Vec<String>, titles: Vec<String>, incidents: Vec<IncidentComparison>) -> Comparison {
        let agreement = agreement(&positions, &incidents);
        Comparison { positions, titles, incidents, agreement }
    }

    /// The agreement of the positions in columns `a` and `b`, if both are compared.
    pub fn agreement_between(&self, a: usize, b: usize) -> Option<&Agreement> {
        let (x, y) = (self.positions.get(a)?, self.positions.get(b)?);
        self.agreement.iter().find(|g| (&g.positions[0] == x && &g.positions[1] == y) || (&g.positions[0] == y && &g.positions[1] == x))
    }

    /// The title of the position in column `i` (its name if it has none).
    pub fn title(&self, i: usize) -> &str {
        self.titles.get(i).or(self.positions.get(i)).map_or("", String::as_str)
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
    /// What the file says of the incident: its date or year, summary and sources.
    pub meta: IncidentMetaText,
    /// The facts the file gives (a value, or a note on why it is unknown),
    /// with their sources and notes, in the order of the first position's
    /// vocabulary, then of the others'.
    pub facts: Vec<FactNote>,
    /// One row per conclusion, in the order the positions declare them.
    pub rows: Vec<Row>,
    /// For each position, in the order of the positions: the facts and
    /// fields the incident gives that the position does not declare, ignored
    /// under it because another position declares them.
    pub ignored: Vec<Vec<String>>,
    /// The facts changed from the file's on the command line (`--set`,
    /// `--unset`), in order: when not empty, the rows are those of a what-if,
    /// not of the incident as its file gives it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<crate::incident::Changed>,
}

/// A change that causes divergences on an incident, with the divergent
/// conclusions it reaches there.
#[derive(Debug, Clone)]
pub struct GroupedCause<'a> {
    /// The change (with the path of the first row it reaches).
    pub cause: &'a Cause,
    /// The divergent rows it reaches, in the order of the rows.
    pub rows: Vec<&'a Row>,
}

impl IncidentComparison {
    /// Each change that causes a divergence on this incident, once, with the
    /// divergent conclusions it reaches, in the order first met (row by row,
    /// each row's causes in their order).
    pub fn grouped_causes(&self) -> Vec<GroupedCause<'_>> {
        let mut grouped: indexmap::IndexMap<(&str, &str, ChangeKind, &str), GroupedCause<'_>> = indexmap::IndexMap::new();
        for row in self.rows.iter().filter(|r| r.divergent) {
            for cause in &row.causes {
                let key = (cause.position.as_str(), cause.declared_by.as_str(), cause.change, cause.target.as_str());
                grouped.entry(key).or_insert_with(|| GroupedCause { cause, rows: Vec::new() }).rows.push(row);
            }
        }
        grouped.into_values().collect()
    }

    /// The facts and fields ignored under some position, each once, with the
    /// positions that ignored it (in the order of the positions): in the
    /// order of the positions, then of the incident file.
    pub fn ignored_facts<'a>(&'a self, positions: &'a [String]) -> Vec<(&'a str, Vec<&'a str>)> {
        let mut out: indexmap::IndexMap<&str, Vec<&str>> = indexmap::IndexMap::new();
        for (position, names) in positions.iter().zip(&self.ignored) {
            for name in names {
                out.entry(name.as_str()).or_default().push(position.as_str());
            }
        }
        out.into_iter().collect()
    }
}

/// What an incident file says of the incident itself, as reports show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IncidentMetaText {
    /// When it happened (`YYYY-MM-DD`), or the year alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// A one-paragraph summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The sources the file draws on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// A fact an incident file gives, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct FactNote {
    /// The fact (a record's field as `fact.field`).
    pub fact: String,
    /// Its value as the language writes it (`unknown` when the file says so).
    pub value: String,
    /// The standard of proof its evidence meets, if the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
    /// The source of the value, if the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The file's note on it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One conclusion on one incident, under each position.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The conclusion.
    pub conclusion: String,
    /// Its description (the first position's that has it).
    pub description: String,
    /// Each position's result, in the order of the positions; `None` where
    /// the position has no such conclusion.
    pub cells: Vec<Option<Cell>>,
    /// Whether the positions that have the conclusion give different results.
    pub divergent: bool,
    /// For a divergent row: the changes that bear on it.
    pub causes: Vec<Cause>,
}

/// One position's result for one conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The value as the language writes it (`unknown` when unknown).
    pub text: String,
    /// The value as JSON (`null` when unknown).
    pub value: Json,
    /// Why it has this value (serialised as `applied`, `burden_not_met`, ...).
    pub status: crate::eval::Status,
    /// The deciding rule, if one decided.
    pub rule: Option<String>,
    /// Where the deciding rule comes from: `base` or a position.
    pub origin: Option<String>,
    /// The deciding rule's citations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// How well it is established (a standard, `law`, or `None` when unstated).
    pub proof: Option<String>,
    /// The rules of the conclusion the position removed (empty: none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Stated by the position or inherited by its silence (`None` for
    /// norms that are not a position).
    pub provenance: Option<Provenance>,
    /// For a result left open: the questions that leave it so, who leaves
    /// each open and citing what.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub open_questions: Vec<reports::explain::OpenQuestion>,
    /// The strongest mark (`contested` over `arguable`) among the readings
    /// the result rests on; `None` when none is marked.
    pub reading: Option<crate::ir::ReadingKind>,
    /// How it was reached (what `opinio explain` tells of it), for reports
    /// that open a cell; made into prose when a report is written.
    #[serde(skip)]
    pub explanation: reports::explain::Explanation,
}

impl Cell {
    /// The result as cells write it without the marks of provenance and
    /// reading: the value, and how it was reached where that matters
    /// (`false (burden)`, `true (not proven)`, `false (not established)`).
    pub fn result_text(&self) -> String {
        let mut s = self.text.clone();
        match self.status {
            Status::BurdenNotMet => s.push_str(" (burden)"),
            Status::BelowStandard => s.push_str(" (not proven)"),
            Status::StandardUnstated => s.push_str(" (standard unstated)"),
            // A result resting on what was not established is not a finding.
            Status::PremiseNotEstablished if self.text == "false" => s.push_str(" (not established)"),
            Status::PremiseNotEstablished => s.push_str(" (premise not established)"),
            Status::Applied | Status::NoRuleApplies | Status::Undetermined | Status::Open => {}
        }
        s
    }

    /// Whether two cells give the same result: the same value, and both or
    /// neither left open by a question of law (an open result is its own
    /// value, not an unknown).
    pub fn same_result(&self, other: &Cell) -> bool {
        self.value == other.value && (self.status == Status::Open) == (other.status == Status::Open)
    }
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
    /// (just the divergent conclusion when it bears on it directly). Of
    /// several paths, the shortest, and of those the first by name.
    pub via: Vec<String>,
}

/// Compares the positions' evaluations of one incident. `runs` holds one
/// run per position, in the order of the positions; the facts changed on
/// the command line are those of the first run's incident (the same changes
/// are made under every position).
///
/// Each divergent row lists each change that reaches it once, with one path:
/// the shortest (the first by name among equally short ones) over every pair
/// of positions whose values differ.
pub fn compare_incident(incident: &str, file: &str, runs: &[Run<'_>]) -> IncidentComparison {
    let mut order: IndexSet<&str> = IndexSet::new();
    for run in runs {
        order.extend(run.program.conclusions.iter().map(|c| c.name.as_str()));
    }
    let names: Vec<String> = order.iter().map(|n| n.to_string()).collect();
    let descriptions: Vec<String> = names
        .iter()
        .map(|n| {
            runs.iter()
                .find_map(|run| run.program.conclusion_named(n).map(|c| run.program.conclusions[c].description.clone()))
                .unwrap_or_default()
        })
        .collect();
    // Per run: each row's conclusion id, and each conclusion's row.
    let ids: Vec<Vec<Option<ConclusionId>>> = runs
        .iter()
        .map(|run| {
            let mut ids = vec![None; names.len()];
            for (id, c) in run.program.conclusions.iter().enumerate() {
                if let Some(row) = order.get_index_of(c.name.as_str()) {
                    ids[row].get_or_insert(ConclusionId::new(id));
                }
            }
            ids
        })
        .collect();
    let rows_of: Vec<Vec<u32>> = runs
        .iter()
        .map(|run| run.program.conclusions.iter().map(|c| order.get_index_of(c.name.as_str()).unwrap_or(0) as u32).collect())
        .collect();
    let cells: Vec<Vec<Option<Cell>>> =
        (0..names.len()).map(|row| runs.iter().zip(&ids).map(|(run, ids)| ids[row].map(|id| cell(run, id))).collect()).collect();
    let divergent: Vec<bool> = cells
        .iter()
        .map(|cells| {
            let present: Vec<&Cell> = cells.iter().flatten().collect();
            present.windows(2).any(|w| !w[0].same_result(w[1]))
        })
        .collect();

    // For each divergent row, each change reaching it and its shortest path.
    let mut found: Vec<BTreeMap<CauseKey, Vec<String>>> = vec![BTreeMap::new(); names.len()];
    for (i, a) in runs.iter().enumerate() {
        for (j, b) in runs.iter().enumerate().skip(i + 1) {
            let roots: Vec<usize> = (0..names.len())
                .filter(|&row| divergent[row])
                .filter(|&row| matches!((&cells[row][i], &cells[row][j]), (Some(x), Some(y)) if !x.same_result(y)))
                .collect();
            if roots.is_empty() {
                continue;
            }
            let nodes: Vec<Option<causes::Node>> = (0..names.len())
                .map(|row| match ((ids[i][row], &cells[row][i]), (ids[j][row], &cells[row][j])) {
                    ((Some(ia), Some(x)), (Some(ib), Some(y))) => {
                        Some(causes::Node { a: ia, b: ib, differs: !x.same_result(y) || x.status != y.status || x.proof != y.proof })
                    }
                    _ => None,
                })
                .collect();
            let search = causes::Search::new(*a, *b, &names, &nodes, [&rows_of[i], &rows_of[j]]);
            for row in roots {
                for (change, via) in search.causes(row as u32, &names) {
                    let key = CauseKey {
                        position: change.position.to_string(),
                        declared_by: change.info.position.clone(),
                        change: change.info.kind,
                        target: change.info.target.clone(),
                        cites: change.info.cites.clone(),
                    };
                    match found[row].entry(key) {
                        Entry::Vacant(e) => {
                            e.insert(via);
                        }
                        Entry::Occupied(mut e) => {
                            if (via.len(), &via) < (e.get().len(), e.get()) {
                                e.insert(via);
                            }
                        }
                    }
                }
            }
        }
    }

    let rows = names
        .into_iter()
        .zip(descriptions)
        .zip(cells)
        .zip(divergent)
        .zip(found)
        .map(|((((conclusion, description), cells), divergent), found)| {
            let causes = found
                .into_iter()
                .map(|(k, via)| Cause {
                    position: k.position,
                    declared_by: k.declared_by,
                    change: k.change,
                    target: k.target,
                    cites: k.cites,
                    via,
                })
                .collect();
            Row { conclusion, description, cells, divergent, causes }
        })
        .collect();
    let ignored = runs.iter().map(|run| run.incident.ignored.clone()).collect();
    // The same changes were made to the incident under every position.
    let changed = runs.first().map(|run| run.incident.changed.clone()).unwrap_or_default();
    let meta = runs.first().map(|run| meta_text(&run.incident.meta)).unwrap_or_default();
    let facts = fact_notes(runs);
    IncidentComparison { incident: incident.to_string(), file: file.to_string(), meta, facts, rows, ignored, changed }
}

fn meta_text(meta: &crate::incident::IncidentMeta) -> IncidentMetaText {
    IncidentMetaText {
        date: meta.date.clone().or_else(|| meta.year.map(|y| y.to_string())),
        summary: meta.summary.clone(),
        sources: meta.sources.clone(),
    }
}

/// The facts the incident gives under any of the runs, each once: those
/// with a value, or that the file says are unknown, with their annotations.
fn fact_notes(runs: &[Run<'_>]) -> Vec<FactNote> {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for run in runs {
        let incident = run.incident;
        for (slot, info) in run.program.slots.iter().enumerate() {
            let value = incident.slots.get(slot);
            let annotation = incident.annotations.get(slot).and_then(Option::as_ref);
            let given = value.is_some_and(|v| !v.is_unknown()) || annotation.is_some_and(|a| a.explicit_unknown || a.note.is_some());
            if !given || !seen.insert(info.name.as_str()) {
                continue;
            }
            let proof = incident.proofs.get(slot).and_then(|p| p.name()).map(str::to_string);
            out.push(FactNote {
                fact: info.name.clone(),
                value: value.map_or_else(|| "unknown".to_string(), |v| reports::value_text(run.program, v)),
                proof,
                source: annotation.and_then(|a| a.source.clone()),
                note: annotation.and_then(|a| a.note.clone()),
            });
        }
    }
    out
}

/// What identifies a cause, apart from its path: it is listed once per row.
/// The order of the fields is that of [`Cause`], so rows list their causes
/// in `Cause` order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct CauseKey {
    position: String,
    declared_by: String,
    change: ChangeKind,
    target: String,
    cites: Vec<String>,
}

fn cell(run: &Run<'_>, id: ConclusionId) -> Cell {
    let program = run.program;
    let c = run.outcome.get(id);
    let rule = c.rule.map(|r| &program.rules[r]);
    let explanation = reports::explain::explain(program, run.incident, run.outcome, &[id], false);
    Cell {
        open_questions: explanation.conclusions.first().map(|e| e.open_questions.clone()).unwrap_or_default(),
        text: reports::result_text(program, &c.value, c.status),
        value: reports::value_json(program, &c.value),
        status: c.status,
        rule: rule.map(|r| r.name.clone()),
        origin: rule.map(|r| r.origin.clone()),
        cites: rule.map(|r| r.cites.clone()).unwrap_or_default(),
        proof: c.proof.name().map(str::to_string),
        removed: program.removals_of(&program.conclusions[id].name).map(|r| r.target.clone()).collect(),
        provenance: program.stated(id).map(|stated| if stated { Provenance::Stated } else { Provenance::Inherited }),
        reading: reports::strongest_reading(&reports::readings_of(program, id, c.rule)),
        explanation,
    }
}

mod causes;
pub mod summary;

/// For each pair of positions: in how many of the cells both have they
/// agree, how much of that agreement is stated and how much by silence, and
/// the same over the contested conclusions alone.
fn agreement(positions: &[String], comparisons: &[IncidentComparison]) -> Vec<Agreement> {
    // A conclusion is contested when some compared position states its
    // result on some incident (a result is stated or not whatever the incident).
    let mut contested: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for row in comparisons.iter().flat_map(|c| &c.rows) {
        if row.cells.iter().flatten().any(|c| c.provenance == Some(Provenance::Stated)) {
            contested.insert(row.conclusion.as_str());
        }
    }
    let mut out = Vec::new();
    for i in 0..positions.len() {
        for j in i + 1..positions.len() {
            let mut g = Agreement {
                positions: [positions[i].clone(), positions[j].clone()],
                same: 0,
                compared: 0,
                same_stated: 0,
                same_by_silence: 0,
                contested_compared: 0,
                contested_same: 0,
                contested_same_by_silence: 0,
            };
            for row in comparisons.iter().flat_map(|c| &c.rows) {
                let (Some(a), Some(b)) = (&row.cells[i], &row.cells[j]) else { continue };
                let same = a.same_result(b);
                let silent = a.provenance == Some(Provenance::Inherited) && b.provenance == Some(Provenance::Inherited);
                g.compared += 1;
                g.same += usize::from(same);
                if same {
                    g.same_by_silence += usize::from(silent);
                    g.same_stated += usize::from(!silent);
                }
                if contested.contains(row.conclusion.as_str()) {
                    g.contested_compared += 1;
                    g.contested_same += usize::from(same);
                    g.contested_same_by_silence += usize::from(same && silent);
                }
            }
            out.push(g);
        }
    }
    out
}
