//! The search: a depth-first walk over partial incidents, choosing one wild
//! fact at a time among those an unsettled result rests on, the base
//! incident's value first. A branch ends where every program's result is
//! settled (the wild facts cannot change it): there it is an answer or not,
//! whatever the facts still wild, which keep the base's values. The *cost*
//! of a partial incident is the number of facts it gives otherwise than the
//! base (a value, or a standard of proof); the walk never goes beyond a
//! bound on it, and says whether the bound cut a branch off.

use super::domain::Space;
use super::probe::{Answer, Cell, Probe, Seen};
use crate::value::{Proof, Value};

/// A fact given otherwise than in the base incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The space slot.
    pub slot: usize,
    /// The value given (unknown: made unknown).
    pub value: Value,
    /// The standard it is proven to (`UNSTATED` when not stated).
    pub proof: Proof,
    /// The class of values it stands for, if more than itself.
    pub class: Option<String>,
}

/// A partial incident that meets the goal.
#[derive(Debug, Clone)]
pub struct Found {
    /// The facts given otherwise than in the base, by slot.
    pub changes: Vec<Change>,
    /// Each program's answer.
    pub answers: Vec<Answer>,
}

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every branch was walked to its end.
    Complete,
    /// The bound on the cost cut some branch off.
    Bounded,
    /// The walk stopped after its budget of evaluations.
    OutOfBudget,
}

/// One walk.
pub struct Search<'a, 'p> {
    /// The programs.
    pub probe: &'a mut Probe<'p>,
    /// The space.
    pub space: &'a Space,
    /// The base incident: each space slot's value and proof.
    pub base: &'a [(Value, Proof)],
    /// The slots the walk may change.
    pub free: &'a [bool],
    /// Whether the programs' answers are what is sought.
    pub goal: &'a dyn Fn(&[Answer]) -> bool,
    /// The highest cost allowed.
    pub bound: usize,
    /// How many evaluations the walk may make.
    pub budget: u64,
    /// What was found.
    pub found: Vec<Found>,
    /// Partial incidents on which some program fails (a conflict between rules).
    pub failures: u64,
    /// Stop at the first partial incident found.
    pub first_only: bool,
    /// Try other values before the base's (to find something fast rather
    /// than close to the base).
    pub values_first: bool,
    /// At each partial incident, also evaluate it with every wild fact as
    /// the base gives it: an answer found there is recorded at once, and
    /// the facts its results rest on are branched on first.
    pub eager: bool,
    end: End,
}

impl<'a, 'p> Search<'a, 'p> {
    /// A walk from the base, every free slot wild.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        probe: &'a mut Probe<'p>,
        space: &'a Space,
        base: &'a [(Value, Proof)],
        free: &'a [bool],
        goal: &'a dyn Fn(&[Answer]) -> bool,
        bound: usize,
        budget: u64,
    ) -> Self {
        Search {
            probe,
            space,
            base,
            free,
            goal,
            bound,
            budget,
            found: Vec::new(),
            failures: 0,
            first_only: false,
            values_first: false,
            eager: false,
            end: End::Complete,
        }
    }

    /// Walks every partial incident within the bound.
    pub fn run(&mut self) -> End {
        let mut cells: Vec<Cell> =
            self.base.iter().zip(self.free).map(|((v, p), &free)| if free { Cell::Wild } else { Cell::Set(v.clone(), Some(*p)) }).collect();
        let start = self.probe.runs;
        self.visit(&mut cells, 0, start);
        self.end
    }

    fn cost_of(&self, u: usize, cell: &Cell) -> usize {
        let (bv, bp) = &self.base[u];
        match cell {
            Cell::Wild => 0,
            Cell::Set(v, p) => usize::from(v != bv || p.is_some_and(|p| !v.is_unknown() && p != *bp)),
        }
    }

    fn visit(&mut self, cells: &mut Vec<Cell>, cost: usize, start: u64) {
        if self.probe.runs - start >= self.budget {
            self.end = End::OutOfBudget;
            return;
        }
        let (answers, open) = match self.probe.run(cells) {
            Seen::Fails => {
                self.failures += 1;
                return;
            }
            Seen::Results { agree: true, .. } => return,
            Seen::Results { answers, open, .. } => (answers, open),
        };
        if answers.iter().all(Option::is_some) {
            let answers: Vec<Answer> = answers.into_iter().flatten().collect();
            if (self.goal)(&answers) {
                self.record(cells, answers);
            }
            return;
        }
        // At the bound, the facts still wild keep the base's values (a
        // value chosen otherwise can still take any standard of proof).
        if cost >= self.bound {
            let mut rest = cells.clone();
            let mut fixed = false;
            for (w, cell) in rest.iter_mut().enumerate() {
                let (bv, bp) = &self.base[w];
                let keeps = match cell {
                    Cell::Wild => true,
                    Cell::Set(v, None) => v == bv,
                    Cell::Set(_, Some(_)) => false,
                };
                if keeps {
                    *cell = Cell::Set(bv.clone(), Some(*bp));
                    fixed = true;
                }
            }
            if fixed {
                if self.end == End::Complete {
                    self.end = End::Bounded;
                }
                self.visit(&mut rest, cost, start);
                return;
            }
        }
        let mut pick = open.first().copied();
        if self.eager {
            let completion: Vec<Cell> = cells.iter().enumerate().map(|(w, c)| self.settle(w, c)).collect();
            if let Seen::Results { answers, support, .. } = self.probe.run(&completion) {
                if answers.iter().all(Option::is_some) {
                    let answers: Vec<Answer> = answers.into_iter().flatten().collect();
                    if (self.goal)(&answers) && cost <= self.bound {
                        self.record(&completion, answers);
                        if self.first_only {
                            return;
                        }
                    }
                }
                // The first wild fact the results rest on, in the order of `open`.
                if let Some(&u) = open.iter().find(|u| support.binary_search(u).is_ok()) {
                    pick = Some(u);
                }
            }
        }
        let Some(u) = pick else { return };
        let saved = cells[u].clone();
        for child in self.children(u, &saved) {
            let extra = self.cost_of(u, &child) - self.cost_of(u, &saved);
            if cost + extra > self.bound {
                if self.end == End::Complete {
                    self.end = End::Bounded;
                }
                continue;
            }
            cells[u] = child;
            self.visit(cells, cost + extra, start);
            if self.end == End::OutOfBudget || (self.first_only && !self.found.is_empty()) {
                break;
            }
        }
        cells[u] = saved;
    }

    /// A wild cell (or a wild proof) as the base gives it.
    fn settle(&self, u: usize, cell: &Cell) -> Cell {
        let (bv, bp) = &self.base[u];
        match cell {
            Cell::Wild => Cell::Set(bv.clone(), Some(*bp)),
            Cell::Set(v, None) => Cell::Set(v.clone(), Some(if v == bv { *bp } else { self.default_proof(u) })),
            other => other.clone(),
        }
    }

    /// The proof a value gets when the walk does not choose one: the base's
    /// when it gives one, else unstated.
    fn default_proof(&self, u: usize) -> Proof {
        let (bv, bp) = &self.base[u];
        if bv.is_unknown() {
            Proof::UNSTATED
        } else {
            *bp
        }
    }

    /// The ways to refine a cell, the base's first (or last, with `values_first`).
    fn children(&self, u: usize, cell: &Cell) -> Vec<Cell> {
        let mut out = self.children_base_first(u, cell);
        if self.values_first && out.len() > 1 {
            match cell {
                // The strongest standard first: it meets every requirement.
                Cell::Set(_, None) => {
                    out.sort_by_key(|c| std::cmp::Reverse(if let Cell::Set(_, Some(p)) = c { p.level() } else { Proof::UNSTATED }))
                }
                _ => out.rotate_left(1),
            }
        }
        out
    }

    fn children_base_first(&self, u: usize, cell: &Cell) -> Vec<Cell> {
        let (bv, bp) = &self.base[u];
        match cell {
            Cell::Wild => {
                let mut out =
                    vec![if bv.is_unknown() { Cell::Set(Value::Unknown, Some(Proof::UNSTATED)) } else { Cell::Set(bv.clone(), None) }];
                if !bv.is_unknown() {
                    out.push(Cell::Set(Value::Unknown, Some(Proof::UNSTATED)));
                }
                out.extend(self.space.slots[u].choices.iter().filter(|c| c.value != *bv).map(|c| Cell::Set(c.value.clone(), None)));
                out
            }
            Cell::Set(v, None) => {
                let first = if v == bv { *bp } else { self.default_proof(u) };
                let mut out = vec![Cell::Set(v.clone(), Some(first))];
                out.extend(self.space.proofs.iter().filter(|&&p| p != first).map(|&p| Cell::Set(v.clone(), Some(p))));
                out
            }
            Cell::Set(..) => vec![cell.clone()],
        }
    }

    fn record(&mut self, cells: &[Cell], answers: Vec<Answer>) {
        let mut changes = Vec::new();
        for (u, cell) in cells.iter().enumerate() {
            let Cell::Set(v, p) = self.settle(u, cell) else { continue };
            let proof = p.unwrap_or(Proof::UNSTATED);
            let (bv, bp) = &self.base[u];
            if v != *bv || (!v.is_unknown() && proof != *bp) {
                let class = self.space.slots[u].choices.iter().find(|c| c.value == v).and_then(|c| c.class.clone());
                changes.push(Change { slot: u, value: v, proof, class });
            }
        }
        self.found.push(Found { changes, answers });
    }
}

/// Keeps the answers no other contains (as sets of changes), smallest
/// first, in the order found within a size.
pub fn minimal(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by_key(|f| f.changes.len());
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        let contains = |k: &Found| k.changes.iter().all(|c| f.changes.contains(c));
        if !kept.iter().any(contains) {
            kept.push(f);
        }
    }
    kept
}
