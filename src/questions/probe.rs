//! Evaluating one partial incident under several programs at once: each
//! fact of the space set or left wild, each program's result for the
//! conclusion asked about either settled or not.

use std::sync::Arc;

use super::domain::Space;
use crate::eval::{Cones, Evaluator, Input, SlotSet, Wild};
use crate::ir::{ConclusionId, Program, RuleId, SlotId};
use crate::value::{EnumId, ExchangeRate, Proof, Tri, Value};

/// What one fact is, at one point of a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Not yet chosen: any value, unknown among them, to any standard.
    Wild,
    /// Chosen: a value (maybe unknown), and its standard of proof (`None`
    /// while not yet chosen).
    Set(Value, Option<Proof>),
}

/// A program's result for the conclusion, as the outputs compare results:
/// its value (unknown included) and whether a question of law leaves it open.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The value, as the language writes it.
    pub text: String,
    /// The value.
    pub value: Value,
    /// Left open by a question of law.
    pub open: bool,
}

impl Answer {
    /// Whether two answers are the same result (as `compare` decides it).
    pub fn same(&self, other: &Answer) -> bool {
        self.text == other.text && self.open == other.open
    }

    /// How the outputs write it.
    pub fn show(&self) -> String {
        if self.open {
            "open".to_string()
        } else {
            self.text.clone()
        }
    }
}

/// What the programs give at one point.
#[derive(Debug, Clone)]
pub enum Seen {
    /// Some program fails whatever the wild facts are (two rules apply
    /// with different values, or an arithmetic error).
    Fails,
    /// Each program's answer, where it is settled, and the wild facts
    /// (space slots) the unsettled ones rest on.
    Results {
        /// By program: the answer if settled.
        answers: Vec<Option<Answer>>,
        /// The wild space slots the unsettled answers rest on, the
        /// preferred ones first, each part ascending.
        open: Vec<usize>,
        /// Whether the two programs are known to agree whatever the wild
        /// facts (see [`Probe::set_frontier`]).
        agree: bool,
        /// The facts (space slots) the answers rest on: the union of the
        /// supports of the conclusion in each program, ascending.
        support: Vec<usize>,
    },
}

/// What a member of a probe answers about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A conclusion's result.
    Conclusion(ConclusionId),
    /// Whether a rule applies (its conditions hold and no defeater applies):
    /// `true`, `false` or `unknown`.
    Applies(RuleId),
    /// Whether a rule's conditions hold (whatever its defeaters).
    Holds(RuleId),
}

impl Target {
    /// The conclusion it bears on.
    fn conclusion(self, program: &Program) -> ConclusionId {
        match self {
            Target::Conclusion(c) => c,
            Target::Applies(r) | Target::Holds(r) => program.rules[r].conclusion,
        }
    }
}

/// For one enumeration of the reference program: the program's own, by
/// name, with the place of each value (`None` where it lacks one).
type EnumMap = Option<(EnumId, Vec<Option<u16>>)>;

/// One program, ready to evaluate partial incidents of the space.
struct Member<'p> {
    program: &'p Program,
    evaluator: Evaluator<'p>,
    cones: Arc<Cones>,
    only: Arc<[bool]>,
    conclusion: ConclusionId,
    target: Target,
    /// The program's slot of each space slot.
    map: Vec<Option<SlotId>>,
    /// The space slot of each of the program's slots.
    back: Vec<Option<usize>>,
    /// The program's enumeration of each enumeration of the reference
    /// program, by name, with the place of each value.
    enums: Vec<EnumMap>,
    values: Vec<Value>,
    proofs: Vec<Proof>,
}

/// Several programs evaluating partial incidents of one space.
pub struct Probe<'p> {
    members: Vec<Member<'p>>,
    rates: Vec<ExchangeRate>,
    /// The conclusions whose own rules differ between two programs, by
    /// their ids in each; empty when not comparing two.
    frontier: Vec<(ConclusionId, ConclusionId)>,
    /// The space slots to branch on first.
    preferred: Vec<bool>,
    /// How many partial incidents were evaluated.
    pub runs: u64,
}

impl<'p> Probe<'p> {
    /// A probe of `conclusions[i]` under `programs[i]`, over `space` (made
    /// from the same programs, in the same order). `rates`: the exchange
    /// rates the incidents give.
    pub fn new(programs: &[&'p Program], conclusions: &[ConclusionId], space: &Space, rates: Vec<ExchangeRate>) -> Probe<'p> {
        let targets: Vec<Target> = conclusions.iter().map(|&c| Target::Conclusion(c)).collect();
        Self::with_targets(programs, &targets, space, rates)
    }

    /// A probe of `targets[i]` under `programs[i]`: a conclusion's result,
    /// or whether a rule applies or holds. Space maps are by program, so a
    /// program may be given twice, for two targets.
    pub fn with_targets(programs: &[&'p Program], targets: &[Target], space: &Space, rates: Vec<ExchangeRate>) -> Probe<'p> {
        let reference = programs[0];
        let members = programs
            .iter()
            .zip(targets)
            .zip(space.maps.iter().cycle())
            .map(|((&program, &target), map)| {
                let conclusion = target.conclusion(program);
                let mut back = vec![None; program.slots.len()];
                for (u, s) in map.iter().enumerate() {
                    if let Some(s) = s {
                        back[s.index()] = Some(u);
                    }
                }
                let enums = reference
                    .enums
                    .iter()
                    .map(|e| {
                        let theirs = program.enums.iter().position(|o| o.name == e.name)?;
                        let places =
                            e.values.iter().map(|v| program.enums[theirs].values.iter().position(|o| o == v).map(|i| i as u16)).collect();
                        Some((EnumId::new(theirs), places))
                    })
                    .collect();
                Member {
                    program,
                    evaluator: Evaluator::new(program),
                    cones: Arc::new(Cones::of(program)),
                    only: Cones::needed(program, &[conclusion]),
                    conclusion,
                    target,
                    map: map.clone(),
                    back,
                    enums,
                    values: vec![Value::Unknown; program.slots.len()],
                    proofs: vec![Proof::UNSTATED; program.slots.len()],
                }
            })
            .collect();
        Probe { members, rates, frontier: Vec::new(), preferred: Vec::new(), runs: 0 }
    }

    /// For two programs that derive the conclusion alike except through
    /// `frontier` (conclusions whose own rules differ, by their ids in
    /// each): a run reports that they agree whatever the wild facts when
    /// every frontier conclusion depends on no wild fact and has the same
    /// value, proof, status and support in both. (Every other conclusion
    /// the answer depends on is derived alike from the same inputs.) Their
    /// facts are branched on first.
    pub fn set_frontier(&mut self, frontier: Vec<(ConclusionId, ConclusionId)>, slots: usize) {
        let mut preferred = vec![false; slots];
        for (m, pick) in self.members.iter().zip([0usize, 1]) {
            for f in &frontier {
                let c = if pick == 0 { f.0 } else { f.1 };
                for s in m.cones.conclusion(c).iter() {
                    if let Some(u) = m.back[s.index()] {
                        preferred[u] = true;
                    }
                }
            }
        }
        self.frontier = frontier;
        self.preferred = preferred;
    }

    /// Whether the frontier conclusions are settled alike in both programs
    /// after a run with these wild slots (by program).
    fn frontier_agrees(&self, wild: &[SlotSet]) -> bool {
        if self.frontier.is_empty() || self.members.len() != 2 {
            return false;
        }
        let (m, n) = (&self.members[0], &self.members[1]);
        self.frontier.iter().all(|&(ca, cb)| {
            if m.cones.conclusion(ca).intersects(&wild[0]) || n.cones.conclusion(cb).intersects(&wild[1]) {
                return false;
            }
            let (ea, eb) = (&m.evaluator, &n.evaluator);
            let support = |member: &Member<'_>, c: ConclusionId| -> Vec<usize> {
                let mut v: Vec<usize> = member.evaluator.supports()[c.index()].iter().filter_map(|s| member.back[s.index()]).collect();
                v.sort_unstable();
                v
            };
            crate::reports::value_text(m.program, &ea.values()[ca]) == crate::reports::value_text(n.program, &eb.values()[cb])
                && ea.proofs()[ca] == eb.proofs()[cb]
                && ea.statuses()[ca].0 == eb.statuses()[cb].0
                && support(m, ca) == support(n, cb)
                && ea.supports()[ca.index()].questions().count() == eb.supports()[cb.index()].questions().count()
        })
    }

    /// The programs.
    pub fn programs(&self) -> impl Iterator<Item = &'p Program> + '_ {
        self.members.iter().map(|m| m.program)
    }

    /// The space slots a member's target can depend on.
    pub fn cone(&self, member: usize) -> Vec<usize> {
        let m = &self.members[member];
        m.cones.conclusion(m.conclusion).iter().filter_map(|s| m.back[s.index()]).collect()
    }

    /// Evaluates a partial incident.
    pub fn run(&mut self, cells: &[Cell]) -> Seen {
        self.runs += 1;
        let mut answers = Vec::with_capacity(self.members.len());
        let mut open: Vec<usize> = Vec::new();
        let mut wilds = Vec::with_capacity(self.members.len());
        let mut support: Vec<usize> = Vec::new();
        for m in &mut self.members {
            let mut wild = SlotSet::default();
            for (u, cell) in cells.iter().enumerate() {
                let Some(s) = m.map[u] else { continue };
                let (value, proof) = match cell {
                    Cell::Wild => {
                        wild.insert(s);
                        (Value::Unknown, Proof::UNSTATED)
                    }
                    Cell::Set(v, p) => {
                        if p.is_none() && !v.is_unknown() {
                            wild.insert(s);
                        }
                        (translate(&m.enums, v), p.unwrap_or(Proof::UNSTATED))
                    }
                };
                m.values[s.index()] = value;
                m.proofs[s.index()] = proof;
            }
            let wild = Wild { slots: wild, cones: Arc::clone(&m.cones), only: Some(Arc::clone(&m.only)) };
            wilds.push(wild.slots.clone());
            let input = Input { values: &m.values, proofs: &m.proofs, rates: &self.rates };
            if m.evaluator.run_wild(input, &wild).is_err() {
                return Seen::Fails;
            }
            let c = m.conclusion;
            let (value, rests_on, settled, open_here) = match m.target {
                Target::Conclusion(_) => {
                    let rests_on = &m.evaluator.supports()[c.index()];
                    let settled = m.evaluator.settled(c, &wild);
                    let value = m.evaluator.values()[c].clone();
                    (value, rests_on.clone(), settled, rests_on.intersection(&wild.slots))
                }
                Target::Applies(r) => {
                    let tri = m.evaluator.rule_states().1[r.index()];
                    let rests_on = m.evaluator.rule_supports()[r.index()].clone();
                    let settled = tri != Tri::Unknown || !rests_on.intersects(&wild.slots);
                    let open_here = rests_on.intersection(&wild.slots);
                    (Value::from_tri(tri), rests_on, settled, open_here)
                }
                Target::Holds(r) => {
                    // Its support is not kept: what its cone holds wild.
                    let tri = m.evaluator.rule_states().0[r.index()];
                    let cone = m.cones.rule(r).intersection(&wild.slots);
                    let settled = tri != Tri::Unknown || !cone.intersects(&wild.slots);
                    (Value::from_tri(tri), cone.clone(), settled, cone)
                }
            };
            support.extend(rests_on.iter().filter_map(|s| m.back[s.index()]));
            if settled {
                let open = matches!(m.target, Target::Conclusion(_)) && m.evaluator.statuses()[c].0 == crate::eval::Status::Open;
                answers.push(Some(Answer { text: crate::reports::value_text(m.program, &value), value, open }));
            } else {
                open.extend(open_here.iter().filter_map(|s| m.back[s.index()]));
                answers.push(None);
            }
        }
        open.sort_unstable_by_key(|&u| (!self.preferred.get(u).copied().unwrap_or(false), u));
        open.dedup();
        let agree = self.frontier_agrees(&wilds);
        support.sort_unstable();
        support.dedup();
        Seen::Results { answers, open, agree, support }
    }
}

/// A value of the reference program as another program writes it.
fn translate(enums: &[EnumMap], v: &Value) -> Value {
    match v {
        Value::Enum(e, i) => match enums.get(e.index()).and_then(|m| m.as_ref()) {
            Some((theirs, places)) => places.get(*i as usize).copied().flatten().map_or(Value::Unknown, |j| Value::Enum(*theirs, j)),
            None => Value::Unknown,
        },
        Value::List(items) => {
            Value::List(items.iter().map(|e| e.iter().map(|x| translate(enums, x)).collect::<Vec<_>>().into()).collect::<Vec<_>>().into())
        }
        other => other.clone(),
    }
}
