//! Phase 5, eval: [`ir::Program`] x incident -> values and a derivation trace.
//!
//! In: a compiled program and the slot values of one incident. Out: the value
//! of every conclusion and, on request, an [`Outcome`]: for each conclusion
//! the deciding rule, every rule's state (applied, not applicable,
//! undetermined, defeated and by what), the facts and conclusions it used,
//! and for unknown conclusions the facts that could settle them.
//!
//! An [`Evaluator`] owns its buffers and reuses them from one incident to the
//! next: evaluating many incidents allocates nothing per incident on the fast
//! path ([`Evaluator::run`]). The evaluator never formats text.

mod expr;
mod support;
mod trace;

use serde::Serialize;

use crate::ir::{ConclusionId, Program, RuleId, SlotId, Stratum};
use crate::value::{Tri, Type, Value};

pub use support::{SlotSet, Support};
pub use trace::{ConclusionOutcome, Outcome, RuleOutcome, RuleState};

/// Why a conclusion has its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A rule applied and was not defeated.
    Applied,
    /// No rule applied: a true/false conclusion is then false, any other unknown.
    NoRuleApplies,
    /// Unknown facts leave open which rule applies.
    Undetermined,
}

/// An evaluation that cannot give a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvalError {
    /// Two rules applied with different values and neither defeats the other.
    Conflict {
        /// The conclusion.
        conclusion: ConclusionId,
        /// The first rule and its value.
        first: (RuleId, Value),
        /// The second rule and its value.
        second: (RuleId, Value),
    },
    /// Arithmetic failed in a rule.
    Arithmetic {
        /// The rule.
        rule: RuleId,
        /// What failed (lower-case, no final period).
        message: String,
    },
    /// A recursive group of conclusions did not settle (a bug if it happens).
    NoFixpoint {
        /// A conclusion of the group.
        conclusion: ConclusionId,
    },
}

/// Evaluates one program against incidents, reusing its buffers.
#[derive(Debug, Clone)]
pub struct Evaluator<'p> {
    program: &'p Program,
    values: Vec<Value>,
    status: Vec<(Status, Option<RuleId>)>,
    rule_condition: Vec<Tri>,
    rule_active: Vec<Tri>,
}

impl<'p> Evaluator<'p> {
    /// An evaluator for `program`.
    pub fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            values: vec![Value::Unknown; program.conclusions.len()],
            status: vec![(Status::NoRuleApplies, None); program.conclusions.len()],
            rule_condition: vec![Tri::Unknown; program.rules.len()],
            rule_active: vec![Tri::Unknown; program.rules.len()],
        }
    }

    /// The program.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Evaluates every conclusion for an incident's slot values (the fast
    /// path: no trace, no allocation). Read the results with [`Self::values`].
    pub fn run(&mut self, slots: &[Value]) -> Result<(), EvalError> {
        let mut none: Vec<()> = Vec::new();
        self.run_with(slots, &mut none, &mut Vec::new())
    }

    /// The value of each conclusion after [`Self::run`], indexed by conclusion id.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Evaluates with a full derivation trace.
    pub fn explain(&mut self, slots: &[Value]) -> Result<Outcome, EvalError> {
        let mut supports: Vec<SlotSet> = Vec::new();
        let mut rule_supports: Vec<SlotSet> = Vec::new();
        self.run_with(slots, &mut supports, &mut rule_supports)?;
        Ok(trace::build(self, slots, &supports))
    }

    fn run_with<S: Support>(&mut self, slots: &[Value], supports: &mut Vec<S>, rule_supports: &mut Vec<S>) -> Result<(), EvalError> {
        let program = self.program;
        if S::TRACKS {
            supports.clear();
            supports.resize(program.conclusions.len(), S::default());
            rule_supports.clear();
            rule_supports.resize(program.rules.len(), S::default());
        }
        for stratum in &program.strata {
            match stratum {
                Stratum::Single(c) => self.decide(*c, slots, supports, rule_supports)?,
                Stratum::Recursive(group) => self.fixpoint(group, slots, supports, rule_supports)?,
            }
        }
        Ok(())
    }

    /// Least fixed point of a positive recursive group (truth order false < unknown < true).
    fn fixpoint<S: Support>(
        &mut self,
        group: &[ConclusionId],
        slots: &[Value],
        supports: &mut [S],
        rule_supports: &mut [S],
    ) -> Result<(), EvalError> {
        for &c in group {
            self.values[c as usize] = Value::Bool(false);
        }
        // Each value can only rise twice (false -> unknown -> true).
        for _ in 0..=(2 * group.len() + 1) {
            let mut changed = false;
            for &c in group {
                let before = self.values[c as usize].clone();
                self.decide(c, slots, supports, rule_supports)?;
                changed |= self.values[c as usize] != before;
            }
            if !changed {
                return Ok(());
            }
        }
        Err(EvalError::NoFixpoint { conclusion: group[0] })
    }

    /// Decides one conclusion from its rules.
    fn decide<S: Support>(
        &mut self,
        c: ConclusionId,
        slots: &[Value],
        supports: &mut [S],
        rule_supports: &mut [S],
    ) -> Result<(), EvalError> {
        let program = self.program;
        let info = &program.conclusions[c as usize];
        // Applicability, defeaters first.
        for &r in &info.rules {
            let rule = &program.rules[r as usize];
            let (cond, mut sup) = self.eval(&rule.condition, slots, supports, None).map_err(|m| arithmetic(r, m))?;
            let cond = cond.tri();
            let mut defeated = Tri::False;
            let mut def_sup = S::default();
            for d in &rule.defeaters {
                let a = self.rule_active[d.rule as usize];
                if a == Tri::Unknown && S::TRACKS {
                    def_sup.union_with(&rule_supports[d.rule as usize]);
                }
                defeated = defeated.or(a);
            }
            let active = cond.and(defeated.negate());
            if S::TRACKS {
                sup = match (active, cond, defeated) {
                    (Tri::Unknown, Tri::Unknown, Tri::Unknown) => sup.union(def_sup),
                    (Tri::Unknown, Tri::Unknown, _) => sup,
                    (Tri::Unknown, _, _) => def_sup,
                    _ => S::default(),
                };
                rule_supports[r as usize] = sup;
            }
            self.rule_condition[r as usize] = cond;
            self.rule_active[r as usize] = active;
        }
        // The value.
        let mut decided: Option<(RuleId, Value)> = None;
        let mut known: Option<(RuleId, Value)> = None;
        let mut undetermined = false;
        let mut sup = S::default();
        for &r in &info.rules {
            if self.rule_active[r as usize] != Tri::True {
                continue;
            }
            let (v, vs) = self.eval(&program.rules[r as usize].value, slots, supports, None).map_err(|m| arithmetic(r, m))?;
            if v.is_unknown() {
                undetermined = true;
                sup.union_with(&vs);
            } else {
                match &known {
                    Some((first, kv)) if *kv != v => {
                        return Err(EvalError::Conflict { conclusion: c, first: (*first, kv.clone()), second: (r, v) });
                    }
                    Some(_) => {}
                    None => known = Some((r, v.clone())),
                }
            }
            if decided.is_none() {
                decided = Some((r, v));
            }
        }
        // Rules that may apply: they leave the value open unless they agree with it.
        let mut open_value: Option<Value> = None;
        let mut open_agree = true;
        let mut surely_one_applies = false;
        for &r in &info.rules {
            if self.rule_active[r as usize] != Tri::Unknown {
                continue;
            }
            let (v, vs) = self.eval(&program.rules[r as usize].value, slots, supports, None).map_err(|m| arithmetic(r, m))?;
            // A rule whose conditions hold is defeated only if one of its
            // defeaters applies: one of them applies for sure.
            surely_one_applies |= self.rule_condition[r as usize] == Tri::True;
            match &open_value {
                _ if v.is_unknown() => open_agree = false,
                None => open_value = Some(v.clone()),
                Some(o) if *o != v => open_agree = false,
                Some(_) => {}
            }
            let differs = match &decided {
                Some((_, dv)) => v.is_unknown() || *dv != v,
                None => !(info.ty == Type::Bool && v == Value::Bool(false)),
            };
            if differs {
                undetermined = true;
                if S::TRACKS {
                    sup.union_with(&rule_supports[r as usize]);
                    sup.union_with(&vs);
                }
            }
        }
        if decided.is_none() && undetermined && open_agree && surely_one_applies {
            // Whichever of the open rules applies, the value is the same.
            if let Some(v) = open_value {
                self.values[c as usize] = v;
                self.status[c as usize] = (Status::Applied, None);
                if S::TRACKS {
                    supports[c as usize] = S::default();
                }
                return Ok(());
            }
        }
        let (value, status, rule) = match (decided, undetermined) {
            (_, true) => (Value::Unknown, Status::Undetermined, None),
            (Some((r, v)), false) => (v, Status::Applied, Some(r)),
            (None, false) if info.ty == Type::Bool => (Value::Bool(false), Status::NoRuleApplies, None),
            (None, false) => (Value::Unknown, Status::NoRuleApplies, None),
        };
        self.values[c as usize] = value;
        self.status[c as usize] = (status, rule);
        if S::TRACKS {
            supports[c as usize] = if status == Status::Undetermined { sup } else { S::default() };
        }
        Ok(())
    }

    /// The status and deciding rule of each conclusion after a run.
    pub fn statuses(&self) -> &[(Status, Option<RuleId>)] {
        &self.status
    }

    pub(crate) fn rule_states(&self) -> (&[Tri], &[Tri]) {
        (&self.rule_condition, &self.rule_active)
    }
}

fn arithmetic(rule: RuleId, message: String) -> EvalError {
    EvalError::Arithmetic { rule, message }
}

/// The slots of a support set, for callers that only need the list.
pub fn settled_by(set: &SlotSet) -> Vec<SlotId> {
    set.iter().collect()
}
