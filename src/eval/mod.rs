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

mod error;
mod expr;
pub mod fast;
mod ops;
#[cfg(test)]
mod rng;
mod support;
mod trace;
pub mod wild;

use expr::{and, not, or, Ev, Tv};

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use serde::Serialize;

use crate::ir::{ConclusionId, Program, RuleId, SlotId, Stratum};
use crate::value::{Proof, Tri, Type, Value};

pub use error::{ArithError, EvalError};
pub use expr::Input;
pub use support::{SlotSet, Support};
pub use trace::{AssessmentOutcome, ConclusionOutcome, FactorOutcome, Outcome, RuleOutcome, RuleState};
pub use wild::{Cones, Wild};

/// Why a conclusion has its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    /// A question the law leaves open (an `open` declaration, or a
    /// position's `open rule`) leaves it open, and no fact the incident
    /// could give would settle it: neither a value nor unknown.
    Open,
    /// Rules decided it (true or false), but the result rests on a premise
    /// that was not established: a conclusion decided by a burden of proof
    /// or not proven to its standard. A `false` here is "not established",
    /// never a finding that the conclusion does not hold.
    PremiseNotEstablished,
}

impl Status {
    /// Every status, in the order of the documentation.
    pub const ALL: [Status; 8] = [
        Status::Applied,
        Status::NoRuleApplies,
        Status::Undetermined,
        Status::StandardUnstated,
        Status::BelowStandard,
        Status::BurdenNotMet,
        Status::PremiseNotEstablished,
        Status::Open,
    ];

    /// The status's name, as every output writes it and a test expects it
    /// (`status burden_not_met`); serde writes the same (a test checks it).
    pub fn name(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::NoRuleApplies => "no_rule_applies",
            Status::Undetermined => "undetermined",
            Status::StandardUnstated => "standard_unstated",
            Status::BelowStandard => "below_standard",
            Status::BurdenNotMet => "burden_not_met",
            Status::PremiseNotEstablished => "premise_not_established",
            Status::Open => "open",
        }
    }

    /// Its place in [`Status::ALL`].
    pub fn index(self) -> usize {
        match self {
            Status::Applied => 0,
            Status::NoRuleApplies => 1,
            Status::Undetermined => 2,
            Status::StandardUnstated => 3,
            Status::BelowStandard => 4,
            Status::BurdenNotMet => 5,
            Status::PremiseNotEstablished => 6,
            Status::Open => 7,
        }
    }

    /// The status of this name.
    pub fn named(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Which conclusions of a recursive group read which.
#[derive(Debug)]
struct Recursion {
    /// For each conclusion of the group (by its place in the group): the
    /// places of the group's conclusions whose rules read it, ascending.
    readers: Vec<Vec<u32>>,
}

impl Recursion {
    fn of(program: &Program, group: &[ConclusionId], place: &mut [Option<u32>]) -> Recursion {
        for (i, &c) in group.iter().enumerate() {
            place[c] = Some(i as u32);
        }
        let mut readers: Vec<Vec<u32>> = vec![Vec::new(); group.len()];
        for (j, &reader) in group.iter().enumerate() {
            for &r in &program.conclusions[reader].rules {
                for &read in &program.rules[r].reads.conclusions {
                    if let Some(i) = place[read] {
                        readers[i as usize].push(j as u32);
                    }
                }
            }
        }
        for list in &mut readers {
            list.sort_unstable();
            list.dedup();
        }
        for &c in group {
            place[c] = None;
        }
        Recursion { readers }
    }
}

/// The conclusions of a recursive group still to decide, by place in the
/// group: in this round, and in the next.
#[derive(Debug, Clone, Default)]
struct Rounds {
    this: BinaryHeap<Reverse<u32>>,
    next: BinaryHeap<Reverse<u32>>,
    in_this: Vec<bool>,
    in_next: Vec<bool>,
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
    /// For each recursive group (in the order of the strata), which
    /// conclusions of the group read which: computed once per program.
    recursion: Arc<[Recursion]>,
    /// The fixpoint's work lists, kept from one run to the next.
    rounds: Rounds,
    /// The support vectors of [`Evaluator::run`], kept from run to run.
    support_buffers: (Vec<SlotSet>, Vec<SlotSet>),
    /// The facts left wild in the current run of [`Evaluator::run_wild`].
    wild: Option<Wild>,
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
            // A status depends on proofs where a burden or a standard can
            // leave a premise not established.
            values_need_proofs: program.values_need_proofs() || program.conclusions.iter().any(|c| c.burden.is_some()),
            weigh_proofs: true,
            recursion: {
                let mut place = vec![None; program.conclusions.len()];
                program
                    .strata
                    .iter()
                    .filter_map(|s| match s {
                        Stratum::Recursive(group) => Some(Recursion::of(program, group, &mut place)),
                        Stratum::Single(_) => None,
                    })
                    .collect()
            },
            rounds: Rounds::default(),
            support_buffers: Default::default(),
            wild: None,
        }
    }

    /// The program.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Evaluates every conclusion for an incident's facts (the fast path: no
    /// trace, no allocation). Read the results with [`Self::values`].
    pub fn run(&mut self, input: Input<'_>) -> Result<(), EvalError> {
        if !self.program.questions.is_empty() {
            // Whether an unknown rests on an open question decides whether a
            // burden of proof applies to it: tracked, in vectors kept from
            // run to run.
            let (mut supports, mut rule_supports) = std::mem::take(&mut self.support_buffers);
            let result = self.run_with(input, &mut supports, &mut rule_supports);
            self.support_buffers = (supports, rule_supports);
            return result;
        }
        let mut none: Vec<()> = Vec::new();
        self.run_with(input, &mut none, &mut Vec::new())
    }

    /// Evaluates every conclusion with some facts left wild (see
    /// [`wild`](crate::eval::wild)): a result is settled, whatever the wild
    /// facts turn out to be, when it is known or when its support
    /// ([`Self::supports`]) holds no wild slot. The input gives each wild slot
    /// an unknown value or an unstated proof.
    pub fn run_wild(&mut self, input: Input<'_>, wild: &Wild) -> Result<(), EvalError> {
        let (mut supports, mut rule_supports) = std::mem::take(&mut self.support_buffers);
        self.wild = Some(wild.clone());
        let result = self.run_with(input, &mut supports, &mut rule_supports);
        self.wild = None;
        self.support_buffers = (supports, rule_supports);
        result
    }

    /// The support of each conclusion after [`Self::run_wild`] (or a run
    /// of a program with open questions), by conclusion id.
    pub fn supports(&self) -> &[SlotSet] {
        &self.support_buffers.0
    }

    /// The support of whether each rule applies after [`Self::run_wild`], by rule id.
    pub fn rule_supports(&self) -> &[SlotSet] {
        &self.support_buffers.1
    }

    /// Whether a result is settled after [`Self::run_wild`]: known, or
    /// unknown resting on no wild fact.
    pub fn settled(&self, c: ConclusionId, wild: &Wild) -> bool {
        !self.values[c].is_unknown() || !self.support_buffers.0.get(c.index()).is_some_and(|s| s.intersects(&wild.slots))
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

    fn run_with<S: Support + PartialEq>(
        &mut self,
        input: Input<'_>,
        supports: &mut Vec<S>,
        rule_supports: &mut Vec<S>,
    ) -> Result<(), EvalError> {
        let program = self.program;
        self.weigh_proofs = S::TRACKS || self.values_need_proofs;
        // Every conclusion decided, and each of its rules, gets its support
        // anew (a recursive group's start from none): the vectors need no
        // clearing from one run to the next.
        if S::TRACKS && (supports.len() != program.conclusions.len() || rule_supports.len() != program.rules.len()) {
            supports.clear();
            supports.resize(program.conclusions.len(), S::default());
            rule_supports.clear();
            rule_supports.resize(program.rules.len(), S::default());
        }
        let recursion = Arc::clone(&self.recursion);
        let mut groups = recursion.iter();
        let only = self.wild.as_ref().and_then(|w| w.only.clone());
        for stratum in &program.strata {
            if let Some(only) = &only {
                let needed = match stratum {
                    Stratum::Single(c) => only[c.index()],
                    Stratum::Recursive(group) => group.iter().any(|c| only[c.index()]),
                };
                if !needed {
                    if let Stratum::Recursive(_) = stratum {
                        groups.next();
                    }
                    continue;
                }
            }
            match stratum {
                Stratum::Single(c) => self.decide(*c, input, supports, rule_supports)?,
                Stratum::Recursive(group) => {
                    let plan = groups.next().ok_or(EvalError::NoFixpoint { conclusion: group.first().copied().unwrap_or_default() })?;
                    let mut rounds = std::mem::take(&mut self.rounds);
                    let result = self.fixpoint(group, plan, &mut rounds, input, supports, rule_supports);
                    self.rounds = rounds;
                    result?
                }
            }
        }
        Ok(())
    }

    /// Least fixed point of a positive recursive group (truth order false < unknown < true).
    ///
    /// The result is that of deciding every conclusion of the group in
    /// order, round after round, until a round changes no value or proof.
    /// But a conclusion none of whose inputs (the values, proofs and
    /// supports of the conclusions it reads) changed since it was last
    /// decided would be decided the same again: only the others are decided,
    /// in the same order. So a ring of n conclusions, settling one conclusion
    /// per round, costs n decisions rather than n rounds of n.
    fn fixpoint<S: Support + PartialEq>(
        &mut self,
        group: &[ConclusionId],
        plan: &Recursion,
        rounds: &mut Rounds,
        input: Input<'_>,
        supports: &mut [S],
        rule_supports: &mut [S],
    ) -> Result<(), EvalError> {
        for &c in group {
            self.values[c] = Value::Bool(false);
            self.proofs[c] = Proof::LAW;
            if S::TRACKS {
                supports[c] = S::default();
            }
        }
        let n = group.len();
        rounds.this.clear();
        rounds.next.clear();
        rounds.in_this.clear();
        rounds.in_this.resize(n, true);
        rounds.in_next.clear();
        rounds.in_next.resize(n, false);
        rounds.this.extend((0..n as u32).map(Reverse));
        // Each value can only rise twice (false -> unknown -> true), and each
        // proof settles within the eight proof levels and its mark of a
        // premise not established.
        for _ in 0..=(20 * n + 2) {
            let mut changed = false;
            while let Some(Reverse(i)) = rounds.this.pop() {
                rounds.in_this[i as usize] = false;
                let c = (group[i as usize]).index();
                let (value_before, proof_before) = (self.values[c].clone(), self.proofs[c]);
                let support_before = if S::TRACKS { Some(supports[c].clone()) } else { None };
                self.decide(ConclusionId::new(c), input, supports, rule_supports)?;
                let (value_changed, proof_changed) = (self.values[c] != value_before, self.proofs[c] != proof_before);
                // A run that does not weigh proofs takes the proof of the
                // first decisive operand of `and` and `or`, which need not
                // rise monotonically: it settles when the values do.
                changed |= value_changed || (proof_changed && self.weigh_proofs);
                if value_changed || proof_changed || support_before.is_some_and(|s| s != supports[c]) {
                    // Its readers later in the group are decided in this
                    // round, the others (and itself) in the next.
                    for &j in &plan.readers[i as usize] {
                        if j > i {
                            if !rounds.in_this[j as usize] {
                                rounds.in_this[j as usize] = true;
                                rounds.this.push(Reverse(j));
                            }
                        } else if !rounds.in_next[j as usize] {
                            rounds.in_next[j as usize] = true;
                            rounds.next.push(Reverse(j));
                        }
                    }
                }
            }
            if !changed {
                return Ok(());
            }
            std::mem::swap(&mut rounds.this, &mut rounds.next);
            std::mem::swap(&mut rounds.in_this, &mut rounds.in_next);
        }
        Err(EvalError::NoFixpoint { conclusion: group.first().copied().unwrap_or_default() })
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
        let info = &program.conclusions[c];
        // Applicability, defeaters first.
        for &r in &info.rules {
            let rule = &program.rules[r];
            let cond: Tv<S> = self.cond(&rule.condition, input, supports, None).map_err(|m| arithmetic(r, m))?;
            let mut defeated: Tv<S> = Tv::law(Tri::False);
            for d in &rule.defeaters {
                defeated = or(defeated, self.activity(d.rule, rule_supports));
            }
            self.rule_condition[r] = cond.tri;
            let active = and(cond, not(defeated));
            self.rule_active[r] = active.tri;
            self.rule_proof[r] = active.proof;
            if S::TRACKS {
                rule_supports[r] = active.support;
            }
        }
        // The value, and the strongest proof among the rules that apply.
        let mut decided: Option<(RuleId, Value)> = None;
        let mut known: Option<(RuleId, Value)> = None;
        let mut best: Option<(RuleId, Tv<S>)> = None;
        let mut undetermined = false;
        let mut sup = S::default();
        // The best-established application of a rule that applies with an
        // unknown value (an open question, or a value read from an unknown
        // fact), and whether a rule that only may apply leaves the value
        // undetermined as well.
        let mut open_applies: Option<Proof> = None;
        let mut may_apply_undetermines = false;
        for &r in &info.rules {
            if self.rule_active[r] != Tri::True {
                continue;
            }
            let v: Ev<S> = self.eval(&program.rules[r].value, input, supports, None).map_err(|m| arithmetic(r, m))?;
            if v.value.is_unknown() {
                undetermined = true;
                sup.union_with(&v.support);
                open_applies = Some(open_applies.map_or(self.rule_proof[r], |p| p.join(self.rule_proof[r])));
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
            if self.rule_active[r] != Tri::Unknown {
                continue;
            }
            let v: Ev<S> = self.eval(&program.rules[r].value, input, supports, None).map_err(|m| arithmetic(r, m))?;
            // A rule whose conditions hold is defeated only if one of its
            // defeaters applies: one of them applies for sure.
            surely_one_applies |= self.rule_condition[r] == Tri::True;
            match &open_value {
                _ if v.value.is_unknown() => open_agree = false,
                None => open_value = Some(v.value.clone()),
                Some(o) if *o != v.value => open_agree = false,
                Some(_) => {}
            }
            if S::TRACKS {
                open_sup.union_with(&rule_supports[r]);
                open_sup.union_with(&v.support);
            }
            let differs = match &decided {
                Some((_, dv)) => v.value.is_unknown() || *dv != v.value,
                None => !(info.ty == Type::Bool && v.value == Value::Bool(false)),
            };
            if differs {
                undetermined = true;
                may_apply_undetermines = true;
                if S::TRACKS {
                    sup.union_with(&rule_supports[r]);
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
        let required = info.standard.as_ref().map(|standard| match &standard.value {
            crate::ir::Expr::Const(Value::Enum(_, i)) => Proof::of_index(*i),
            crate::ir::Expr::Param(p) => match &program.params[p].value {
                Value::Enum(_, i) => Proof::of_index(*i),
                _ => Proof::UNSTATED,
            },
            _ => Proof::UNSTATED,
        });
        // With wild facts, a true result short of the standard is unsettled
        // while a wild fact in its cone could raise its proof.
        let wild_in_cone = self.wild.as_ref().and_then(|w| w.within(w.cones.conclusion(c)));
        if let (Some(required), Value::Bool(true), Some(wild)) = (required, &result.0, &wild_in_cone) {
            if !result.1.meets(required) || result.1.is_unstated() {
                let mut support = std::mem::take(&mut result.2);
                support.add_slots(wild);
                result = (Value::Unknown, Proof::UNSTATED, support, Status::Undetermined, None);
            }
        }
        if let (Some(required), Value::Bool(true)) = (required, &result.0) {
            if result.1.is_unstated() {
                result = (Value::Unknown, Proof::UNSTATED, result.2, Status::StandardUnstated, result.4);
            } else if !result.1.meets(required) {
                // Below the standard: not proven; and where a party bears
                // the burden of proving it to that standard, not established.
                let status = if info.burden.is_some() { Status::BurdenNotMet } else { Status::BelowStandard };
                result = (Value::Bool(false), Proof::LAW.not_established(), S::default(), status, result.4);
            }
        }
        // Rules that apply with an unknown value (an open question, above
        // all) only on premises proven below the standard the conclusion
        // requires cannot make it true, whatever the value: if nothing else
        // leaves it undetermined, it is not proven (not established, where a
        // party bears the burden).
        if let (Some(required), Some(applied)) = (required, open_applies) {
            if let (Some(wild), true) = (&wild_in_cone, result.0.is_unknown() && !applied.meets(required)) {
                // A wild fact could raise or state the proof of the premises.
                result.2.add_slots(wild);
            } else if result.0.is_unknown() && !may_apply_undetermines && !applied.is_unstated() && !applied.meets(required) {
                let status = if info.burden.is_some() { Status::BurdenNotMet } else { Status::BelowStandard };
                result = (Value::Bool(false), Proof::LAW.not_established(), result.2, status, None);
            }
        }
        // What only an open question leaves unknown is open: no fact settles it.
        if result.3 == Status::Undetermined && result.2.has_questions() && !result.2.has_facts() {
            result.3 = Status::Open;
        }
        // The burden of proof decides what stays unknown for want of facts:
        // the party that bears it did not establish them. What only a
        // question of law leaves open (no fact missing) it never decides.
        // (The deciding rule is kept when a rule applied but its standard of
        // proof is unstated.)
        let only_open = result.2.has_questions() && !result.2.has_facts();
        let unsettled = self.wild.as_ref().is_some_and(|w| w.unsettled(&result.2));
        if info.burden.is_some() && result.0.is_unknown() && !only_open && !unsettled {
            result = (Value::Bool(false), Proof::LAW.not_established(), result.2, Status::BurdenNotMet, result.4);
        }
        // A result the rules decided on a premise not established says so.
        if !result.1.is_established() && !result.0.is_unknown() && matches!(result.3, Status::Applied | Status::NoRuleApplies) {
            result.3 = Status::PremiseNotEstablished;
        }
        let (value, proof, support, status, rule) = result;
        self.values[c] = value;
        self.proofs[c] = proof;
        self.status[c] = (status, rule);
        if S::TRACKS {
            supports[c] = support;
        }
        Ok(())
    }

    /// Whether a rule applies, as decided so far, with its proof and support.
    fn activity<S: Support>(&self, r: RuleId, rule_supports: &[S]) -> Tv<S> {
        Tv { tri: self.rule_active[r], proof: self.rule_proof[r], support: if S::TRACKS { rule_supports[r].clone() } else { S::default() } }
    }

    /// The status and deciding rule of each conclusion after a run.
    pub fn statuses(&self) -> &[(Status, Option<RuleId>)] {
        &self.status
    }

    pub(crate) fn rule_states(&self) -> (&[Tri], &[Tri], &[Proof]) {
        (&self.rule_condition, &self.rule_active, &self.rule_proof)
    }
}

fn arithmetic(rule: RuleId, message: ArithError) -> EvalError {
    EvalError::Arithmetic { rule, message }
}

/// The slots of a support set, for callers that only need the list.
pub fn settled_by(set: &SlotSet) -> Vec<SlotId> {
    set.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::rng::Rng;
    use super::*;

    #[test]
    fn status_names_are_serde_names() {
        for s in Status::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
            assert_eq!(Status::named(s.name()), Some(s));
            assert_eq!(Status::ALL[s.index()], s);
        }
    }

    /// The fixpoint as it was first written: every conclusion of the group
    /// decided in every round. The worklist must give exactly its results.
    fn every_round<S: Support>(
        ev: &mut Evaluator<'_>,
        input: Input<'_>,
        supports: &mut Vec<S>,
        rule_supports: &mut Vec<S>,
    ) -> Result<(), EvalError> {
        let program = ev.program;
        ev.weigh_proofs = S::TRACKS || ev.values_need_proofs;
        if S::TRACKS {
            supports.clear();
            supports.resize(program.conclusions.len(), S::default());
            rule_supports.clear();
            rule_supports.resize(program.rules.len(), S::default());
        }
        for stratum in &program.strata {
            match stratum {
                Stratum::Single(c) => ev.decide(*c, input, supports, rule_supports)?,
                Stratum::Recursive(group) => {
                    for &c in group {
                        ev.values[c] = Value::Bool(false);
                        ev.proofs[c] = Proof::LAW;
                    }
                    let mut settled = false;
                    for _ in 0..=(20 * group.len() + 2) {
                        let mut changed = false;
                        for &c in group {
                            let before = (ev.values[c].clone(), ev.proofs[c]);
                            ev.decide(c, input, supports, rule_supports)?;
                            changed |= ev.values[c] != before.0 || (ev.weigh_proofs && ev.proofs[c] != before.1);
                        }
                        if !changed {
                            settled = true;
                            break;
                        }
                    }
                    if !settled {
                        return Err(EvalError::NoFixpoint { conclusion: group[0] });
                    }
                }
            }
        }
        Ok(())
    }

    /// Recursive groups of conclusions, each rule an `and` / `or` of facts
    /// and conclusions (positive, so one group), in random shapes.
    fn random_program(rng: &mut Rng) -> String {
        let (facts, conclusions) = (4, 2 + rng.below(12) as usize);
        let mut out = vec!["module ring".to_string()];
        out.extend((0..facts).map(|i| format!("fact f{i}: bool \"F{i}.\"")));
        out.extend((0..conclusions).map(|i| format!("conclusion c{i}: bool \"C{i}.\"")));
        for c in 0..conclusions {
            for r in 0..1 + rng.below(2) {
                let term = |rng: &mut Rng| match rng.below(3) {
                    0 => format!("f{}", rng.below(facts)),
                    _ => format!("c{}", rng.below(conclusions as u64)),
                };
                let mut cond = term(rng);
                for _ in 0..rng.below(3) {
                    let op = if rng.below(2) == 0 { "and" } else { "or" };
                    cond = format!("({cond}) {op} {}", term(rng));
                }
                out.push(format!("rule r{c}_{r}\n  c{c} if {cond}"));
            }
        }
        out.join("\n") + "\n"
    }

    #[test]
    fn the_worklist_fixpoint_gives_what_deciding_every_round_gives() {
        let mut rng = Rng(7);
        let mut recursive = 0;
        for case in 0..300 {
            let text = random_program(&mut rng);
            let compiled = crate::compile("ring.norm", &text, &mut crate::io::FsLoader);
            let Some(program) = compiled.program else { continue };
            recursive += usize::from(program.strata.iter().any(|s| matches!(s, Stratum::Recursive(_))));
            for _ in 0..4 {
                let values: Vec<Value> = (0..program.slots.len())
                    .map(|_| match rng.below(3) {
                        0 => Value::Unknown,
                        1 => Value::Bool(false),
                        _ => Value::Bool(true),
                    })
                    .collect();
                let proofs: Vec<Proof> = (0..program.slots.len()).map(|_| Proof::of_index(rng.below(7) as u16)).collect();
                let input = Input { values: &values, proofs: &proofs, rates: &[] };
                let (mut a, mut b) = (Evaluator::new(&program), Evaluator::new(&program));
                let (mut sa, mut ra, mut sb, mut rb): (Vec<SlotSet>, Vec<SlotSet>, Vec<SlotSet>, Vec<SlotSet>) = Default::default();
                let (x, y) = (a.run_with(input, &mut sa, &mut ra), every_round(&mut b, input, &mut sb, &mut rb));
                assert_eq!(x, y, "case {case}\n{text}");
                assert_eq!((&a.values, &a.proofs, &a.status), (&b.values, &b.proofs, &b.status), "case {case}\n{text}");
                assert_eq!(
                    (&a.rule_condition, &a.rule_active, &a.rule_proof),
                    (&b.rule_condition, &b.rule_active, &b.rule_proof),
                    "case {case}"
                );
                assert_eq!((sa, ra), (sb, rb), "case {case}: supports\n{text}");
                let b_tracked_values = b.values.clone();
                // The fast path, on the same evaluator (buffers reused).
                let mut none: Vec<()> = Vec::new();
                let (x, y) = (a.run(input), every_round(&mut b, input, &mut none, &mut Vec::new()));
                assert_eq!(x, y, "case {case}: fast path\n{text}\n{values:?} {proofs:?}");
                // Every rule is positive and concludes `true`: nothing fails.
                assert_eq!(x, Ok(()), "case {case}: fast path\n{text}\n{values:?} {proofs:?}");
                assert_eq!((&a.values, &a.proofs, &a.status), (&b.values, &b.proofs, &b.status), "case {case}: fast path");
                assert_eq!(a.values, b_tracked_values, "case {case}: the fast path's values are the trace's");
                assert_eq!((&a.values, &a.proofs, &a.status), (&b.values, &b.proofs, &b.status), "case {case}: fast path");
            }
        }
        assert!(recursive > 100, "only {recursive} programs with a recursive group");
    }

    #[test]
    fn a_ring_settles_in_one_pass_per_conclusion() {
        // a_i if a_(i+1), a_(n-1) if base or a_0: each round of the old loop
        // settled one more conclusion, against the order of the group.
        let n = 300;
        let mut text = vec!["module ring".to_string(), "fact base: bool \"B.\"".to_string()];
        text.extend((0..n).map(|i| format!("conclusion a{i}: bool \"A{i}.\"")));
        text.extend((0..n - 1).map(|i| format!("rule r{i}\n  a{i} if a{}", i + 1)));
        text.push(format!("rule r{}\n  a{} if base or a0", n - 1, n - 1));
        let compiled = crate::compile("ring.norm", &(text.join("\n") + "\n"), &mut crate::io::FsLoader);
        let program = compiled.program.expect("the ring compiles");
        let mut ev = Evaluator::new(&program);
        for (base, expected) in
            [(Value::Bool(true), Value::Bool(true)), (Value::Bool(false), Value::Bool(false)), (Value::Unknown, Value::Unknown)]
        {
            ev.run(Input { values: &[base], proofs: &[], rates: &[] }).expect("evaluates");
            assert!(ev.values().iter().all(|v| *v == expected), "{expected:?}");
        }
    }
}
