//! The derivation trace: data, rendered elsewhere.

use serde::Serialize;

use super::support::SlotSet;
use super::{Evaluator, Status};
use crate::ir::{ConclusionId, DefeatKind, RuleId, SlotId};
use crate::value::{Tri, Value};

/// The result of evaluating a program on one incident, with its derivation.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// One entry per conclusion, indexed by conclusion id.
    pub conclusions: Vec<ConclusionOutcome>,
}

/// How one conclusion was decided.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionOutcome {
    /// The conclusion.
    pub conclusion: ConclusionId,
    /// Its value (`Unknown` when undecided).
    pub value: Value,
    /// Why it has this value.
    pub status: Status,
    /// The deciding rule, if a rule applied.
    pub rule: Option<RuleId>,
    /// Every rule of the conclusion and what became of it, defeaters first.
    pub rules: Vec<RuleOutcome>,
    /// For an unknown conclusion: the unknown facts that could settle it.
    pub settled_by: Vec<SlotId>,
}

/// What became of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleOutcome {
    /// The rule.
    pub rule: RuleId,
    /// Whether its conditions held.
    pub condition: Tri,
    /// Its state.
    pub state: RuleState,
    /// The facts it read, with their values in this incident.
    pub facts: Vec<(SlotId, Value)>,
    /// The conclusions it read, with their values.
    pub conclusions: Vec<(ConclusionId, Value)>,
}

/// The state of a rule after evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RuleState {
    /// Its conditions held and nothing defeated it.
    Applied,
    /// Its conditions did not hold.
    NotApplicable,
    /// Its conditions are unknown.
    Undetermined,
    /// Its conditions held (or may have), but a rule that applied defeated it.
    Defeated {
        /// The defeating rule.
        by: RuleId,
        /// Why it defeats.
        kind: DefeatKind,
    },
    /// Its conditions held, but a rule that may apply would defeat it.
    PossiblyDefeated {
        /// The rule that may defeat it.
        by: RuleId,
        /// Why it would defeat.
        kind: DefeatKind,
    },
}

pub(super) fn build(ev: &Evaluator<'_>, slots: &[Value], supports: &[SlotSet]) -> Outcome {
    let program = ev.program;
    let (conditions, active) = ev.rule_states();
    let conclusions = program
        .conclusions
        .iter()
        .enumerate()
        .map(|(c, info)| {
            let (status, rule) = ev.status[c];
            let rules = info
                .rules
                .iter()
                .map(|&r| {
                    let ir = &program.rules[r as usize];
                    let cond = conditions[r as usize];
                    let find = |t: Tri| ir.defeaters.iter().find(|d| active[d.rule as usize] == t);
                    let state = match (cond, active[r as usize]) {
                        (Tri::False, _) => RuleState::NotApplicable,
                        (_, Tri::True) => RuleState::Applied,
                        (_, Tri::False) => match find(Tri::True) {
                            Some(d) => RuleState::Defeated { by: d.rule, kind: d.kind },
                            None => RuleState::NotApplicable,
                        },
                        (Tri::True, Tri::Unknown) => match find(Tri::Unknown) {
                            Some(d) => RuleState::PossiblyDefeated { by: d.rule, kind: d.kind },
                            None => RuleState::Undetermined,
                        },
                        (Tri::Unknown, Tri::Unknown) => RuleState::Undetermined,
                    };
                    RuleOutcome {
                        rule: r,
                        condition: cond,
                        state,
                        facts: ir.reads.slots.iter().map(|&s| (s, slots.get(s as usize).cloned().unwrap_or(Value::Unknown))).collect(),
                        conclusions: ir.reads.conclusions.iter().map(|&d| (d, ev.values[d as usize].clone())).collect(),
                    }
                })
                .collect();
            ConclusionOutcome {
                conclusion: c as ConclusionId,
                value: ev.values[c].clone(),
                status,
                rule,
                rules,
                settled_by: supports.get(c).map(|s| s.iter().collect()).unwrap_or_default(),
            }
        })
        .collect();
    Outcome { conclusions }
}

impl Outcome {
    /// The outcome of one conclusion.
    pub fn get(&self, c: ConclusionId) -> &ConclusionOutcome {
        &self.conclusions[c as usize]
    }
}
