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

use expr::{and, not, or, Ev, Tv};

use serde::Serialize;

use crate::ir::{ConclusionId, Program, RuleId, SlotId, Stratum};
use crate::value::{Proof, Tri, Type, Value};

pub use expr::Input;
pub use support::{SlotSet, Support};
pub use trace::{AssessmentOutcome, ConclusionOutcome, FactorOutcome, Outcome, RuleOutcome, RuleState};

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
    /// A rule applied, but the standard of proof of its premises is not
    /// stated, so whether the conclusion's required standard is met is unknown.
    StandardUnstated,
    /// A rule applied, but its premises are established only to a lower
    /// standard than the conclusion requires: not proven, so false.
    BelowStandard,
    /// The conclusion stayed unknown and the party bearing the burden of
    /// proving it did not: false.
    BurdenNotMet,
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
    proofs: Vec<Proof>,
    status: Vec<(Status, Option<RuleId>)>,
    rule_condition: Vec<Tri>,
    rule_active: Vec<Tri>,
    rule_proof: Vec<Proof>,
    /// Whether values depend on proofs (the program uses `proven` or a
    /// conclusion's standard). If not, the fast path does not weigh proofs
    /// and `and` / `or` stop at their first decisive operand.
    values_need_proofs: bool,
    /// Whether the current run weighs proofs: always with a trace.
    weigh_proofs: bool,
}

impl<'p> Evaluator<'p> {
    /// An evaluator for `program`.
    pub fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            values: vec![Value::Unknown; program.conclusions.len()],
            proofs: vec![Proof::UNSTATED; program.conclusions.len()],
            status: vec![(Status::NoRuleApplies, None); program.conclusions.len()],
            rule_condition: vec![Tri::Unknown; program.rules.len()],
            rule_active: vec![Tri::Unknown; program.rules.len()],
            rule_proof: vec![Proof::UNSTATED; program.rules.len()],
            values_need_proofs: program.values_need_proofs(),
            weigh_proofs: true,
        }
    }

    /// The program.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Evaluates every conclusion for an incident's facts (the fast path: no
    /// trace, no allocation). Read the results with [`Self::values`].
    pub fn run(&mut self, input: Input<'_>) -> Result<(), EvalError> {
        let mut none: Vec<()> = Vec::new();
        self.run_with(input, &mut none, &mut Vec::new())
    }

    /// The value of each conclusion after [`Self::run`], indexed by conclusion id.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// How well each conclusion is established after a run, indexed by conclusion id.
    pub fn proofs(&self) -> &[Proof] {
        &self.proofs
    }

    /// Evaluates with a full derivation trace.
    pub fn explain(&mut self, input: Input<'_>) -> Result<Outcome, EvalError> {
        let mut supports: Vec<SlotSet> = Vec::new();
        let mut rule_supports: Vec<SlotSet> = Vec::new();
        self.run_with(input, &mut supports, &mut rule_supports)?;
        trace::build(self, input, &supports).map_err(|(rule, m)| arithmetic(rule, m))
    }

    fn run_with<S: Support>(&mut self, input: Input<'_>, supports: &mut Vec<S>, rule_supports: &mut Vec<S>) -> Result<(), EvalError> {
        let program = self.program;
        self.weigh_proofs = S::TRACKS || self.values_need_proofs;
        if S::TRACKS {
            supports.clear();
            supports.resize(program.conclusions.len(), S::default());
            rule_supports.clear();
            rule_supports.resize(program.rules.len(), S::default());
        }
        for stratum in &program.strata {
            match stratum {
                Stratum::Single(c) => self.decide(*c, input, supports, rule_supports)?,
                Stratum::Recursive(group) => self.fixpoint(group, input, supports, rule_supports)?,
            }
        }
        Ok(())
    }

    /// Least fixed point of a positive recursive group (truth order false < unknown < true).
    fn fixpoint<S: Support>(
        &mut self,
        group: &[ConclusionId],
        input: Input<'_>,
        supports: &mut [S],
        rule_supports: &mut [S],
    ) -> Result<(), EvalError> {
        for &c in group {
            self.values[c as usize] = Value::Bool(false);
            self.proofs[c as usize] = Proof::LAW;
        }
        // Each value can only rise twice (false -> unknown -> true), and each
        // proof settles within the eight proof levels.
        for _ in 0..=(10 * group.len() + 1) {
            let mut changed = false;
            for &c in group {
                let before = (self.values[c as usize].clone(), self.proofs[c as usize]);
                self.decide(c, input, supports, rule_supports)?;
                changed |= (self.values[c as usize].clone(), self.proofs[c as usize]) != before;
            }
            if !changed {
                return Ok(());
            }
        }
        Err(EvalError::NoFixpoint { conclusion: group[0] })
    }

    /// Decides one conclusion from its rules, then applies its standard and burden of proof.
    fn decide<S: Support>(
        &mut self,
        c: ConclusionId,
        input: Input<'_>,
        supports: &mut [S],
        rule_supports: &mut [S],
    ) -> Result<(), EvalError> {
        let program = self.program;
        let info = &program.conclusions[c as usize];
        // Applicability, defeaters first.
        for &r in &info.rules {
            let rule = &program.rules[r as usize];
            let cond: Tv<S> = self.cond(&rule.condition, input, supports, None).map_err(|m| arithmetic(r, m))?;
            let mut defeated: Tv<S> = Tv::law(Tri::False);
            for d in &rule.defeaters {
                defeated = or(defeated, self.activity(d.rule, rule_supports));
            }
            self.rule_condition[r as usize] = cond.tri;
            let active = and(cond, not(defeated));
            self.rule_active[r as usize] = active.tri;
            self.rule_proof[r as usize] = active.proof;
            if S::TRACKS {
                rule_supports[r as usize] = active.support;
            }
        }
        // The value, and the strongest proof among the rules that apply.
        let mut decided: Option<(RuleId, Value)> = None;
        let mut known: Option<(RuleId, Value)> = None;
        let mut best: Option<(RuleId, Tv<S>)> = None;
        let mut undetermined = false;
        let mut sup = S::default();
        for &r in &info.rules {
            if self.rule_active[r as usize] != Tri::True {
                continue;
            }
            let v: Ev<S> = self.eval(&program.rules[r as usize].value, input, supports, None).map_err(|m| arithmetic(r, m))?;
            if v.value.is_unknown() {
                undetermined = true;
                sup.union_with(&v.support);
            } else {
                match &known {
                    Some((first, kv)) if *kv != v.value => {
                        return Err(EvalError::Conflict { conclusion: c, first: (*first, kv.clone()), second: (r, v.value) });
                    }
                    Some(_) => {}
                    None => known = Some((r, v.value.clone())),
                }
                let active = self.activity(r, rule_supports);
                let rated = Tv { tri: Tri::True, proof: v.proof, support: v.support.clone() };
                let this = Tv::with(Tri::True, expr::weakest(&[&active, &rated]));
                best = Some(match best {
                    Some(b) if b.1.proof >= this.proof => b,
                    _ => (r, this),
                });
            }
            if decided.is_none() {
                decided = Some((r, v.value));
            }
        }
        // Rules that may apply: they leave the value open unless they agree with it.
        let mut open_value: Option<Value> = None;
        let mut open_agree = true;
        let mut surely_one_applies = false;
        let mut open_sup = S::default();
        for &r in &info.rules {
            if self.rule_active[r as usize] != Tri::Unknown {
                continue;
            }
            let v: Ev<S> = self.eval(&program.rules[r as usize].value, input, supports, None).map_err(|m| arithmetic(r, m))?;
            // A rule whose conditions hold is defeated only if one of its
            // defeaters applies: one of them applies for sure.
            surely_one_applies |= self.rule_condition[r as usize] == Tri::True;
            match &open_value {
                _ if v.value.is_unknown() => open_agree = false,
                None => open_value = Some(v.value.clone()),
                Some(o) if *o != v.value => open_agree = false,
                Some(_) => {}
            }
            if S::TRACKS {
                open_sup.union_with(&rule_supports[r as usize]);
                open_sup.union_with(&v.support);
            }
            let differs = match &decided {
                Some((_, dv)) => v.value.is_unknown() || *dv != v.value,
                None => !(info.ty == Type::Bool && v.value == Value::Bool(false)),
            };
            if differs {
                undetermined = true;
                if S::TRACKS {
                    sup.union_with(&rule_supports[r as usize]);
                    sup.union_with(&v.support);
                }
            }
        }
        let mut result: (Value, Proof, S, Status, Option<RuleId>) = match (decided, undetermined) {
            (None, true) if open_agree && surely_one_applies && open_value.is_some() => {
                // Whichever of the open rules applies, the value is the same;
                // which one does (and so the proof) is open.
                (open_value.unwrap_or(Value::Unknown), Proof::UNSTATED, open_sup, Status::Applied, None)
            }
            (_, true) => (Value::Unknown, Proof::UNSTATED, sup, Status::Undetermined, None),
            (Some((first, v)), false) => {
                // The deciding rule is the applying rule whose premises are best established.
                let (r, b) = best.unwrap_or((first, Tv::unknown(S::default())));
                (v, b.proof, b.support, Status::Applied, Some(r))
            }
            (None, false) if info.ty == Type::Bool => {
                // No rule applies: false, as well established as the weakest
                // of the findings that each rule does not apply.
                let mut all: Tv<S> = Tv::law(Tri::False);
                for &r in &info.rules {
                    all = Tv::with(Tri::False, expr::weakest(&[&all, &self.activity(r, rule_supports)]));
                }
                (Value::Bool(false), all.proof, all.support, Status::NoRuleApplies, None)
            }
            (None, false) => (Value::Unknown, Proof::UNSTATED, S::default(), Status::NoRuleApplies, None),
        };
        // The standard of proof the conclusion requires.
        if let (Some(standard), Value::Bool(true)) = (&info.standard, &result.0) {
            let required = match &standard.value {
                crate::ir::Expr::Const(Value::Enum(_, i)) => Proof::of_index(*i),
                crate::ir::Expr::Param(p) => match &program.params[*p as usize].value {
                    Value::Enum(_, i) => Proof::of_index(*i),
                    _ => Proof::UNSTATED,
                },
                _ => Proof::UNSTATED,
            };
            if result.1 == Proof::UNSTATED {
                result = (Value::Unknown, Proof::UNSTATED, result.2, Status::StandardUnstated, result.4);
            } else if result.1 < required {
                result = (Value::Bool(false), Proof::LAW, S::default(), Status::BelowStandard, result.4);
            }
        }
        // The burden of proof decides what stays unknown. (The deciding rule
        // is kept when a rule applied but its standard of proof is unstated.)
        if info.burden.is_some() && result.0.is_unknown() {
            result = (Value::Bool(false), Proof::LAW, result.2, Status::BurdenNotMet, result.4);
        }
        let (value, proof, support, status, rule) = result;
        self.values[c as usize] = value;
        self.proofs[c as usize] = proof;
        self.status[c as usize] = (status, rule);
        if S::TRACKS {
            supports[c as usize] = support;
        }
        Ok(())
    }

    /// Whether a rule applies, as decided so far, with its proof and support.
    fn activity<S: Support>(&self, r: RuleId, rule_supports: &[S]) -> Tv<S> {
        Tv {
            tri: self.rule_active[r as usize],
            proof: self.rule_proof[r as usize],
            support: if S::TRACKS { rule_supports[r as usize].clone() } else { S::default() },
        }
    }

    /// The status and deciding rule of each conclusion after a run.
    pub fn statuses(&self) -> &[(Status, Option<RuleId>)] {
        &self.status
    }

    pub(crate) fn rule_states(&self) -> (&[Tri], &[Tri], &[Proof]) {
        (&self.rule_condition, &self.rule_active, &self.rule_proof)
    }
}

fn arithmetic(rule: RuleId, message: String) -> EvalError {
    EvalError::Arithmetic { rule, message }
}

/// The slots of a support set, for callers that only need the list.
pub fn settled_by(set: &SlotSet) -> Vec<SlotId> {
    set.iter().collect()
}
