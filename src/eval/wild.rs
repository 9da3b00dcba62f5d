//! Evaluating with some facts left *wild*: not yet chosen, standing for
//! every value they could take (unknown among them) and every standard of
//! proof. The searches of [`crate::questions`] use it to decide whether a
//! conclusion's result is already settled whatever the wild facts turn out
//! to be, and so to prune.
//!
//! A wild fact is evaluated as unknown, with an unstated proof. That is
//! sound for everything monotone in what is known: Kleene logic, the choice
//! among rules, defeaters, assessments (whose score is an interval over the
//! unknown ratings): a result known with some facts unknown keeps its value
//! when they become known, and its proof can only rise (`or` takes the
//! strongest of its true operands). Four steps of the evaluator are not
//! monotone, and in wild mode each leaves the result unknown, resting on the
//! wild facts, where a wild fact could change it:
//!
//! - a burden of proof decides an unknown result (false, not established):
//!   not while the unknown rests on a wild fact;
//! - a standard of proof makes a true result unknown (its proof unstated) or
//!   false (below it), and `proven` does the same within a condition: not
//!   while a wild fact within what the result depends on (its *cone*) could
//!   raise its proof;
//! - rules that apply with an unknown value on premises below the standard
//!   make a conclusion false: the same.
//!
//! So in wild mode a result is *settled* when it is known, or unknown
//! resting on no wild fact: every choice of the wild facts gives it. The
//! tests check this against every choice on small programs.

use std::sync::Arc;

use super::support::{SlotSet, Support};
use crate::ir::{ConclusionId, Expr, Program, RuleId, Stratum};

/// For each conclusion and each rule, the slots its result can depend on,
/// directly or through the conclusions it reads (its defeaters included).
#[derive(Debug, Clone)]
pub struct Cones {
    conclusions: Vec<SlotSet>,
    rules: Vec<SlotSet>,
}

impl Cones {
    /// The cones of a program's conclusions and rules.
    pub fn of(program: &Program) -> Cones {
        let mut conclusions = vec![SlotSet::default(); program.conclusions.len()];
        let mut rules = vec![SlotSet::default(); program.rules.len()];
        let settle = |c: ConclusionId, conclusions: &mut Vec<SlotSet>, rules: &mut Vec<SlotSet>| {
            let mut cone = SlotSet::default();
            for &r in &program.conclusions[c].rules {
                let rule = &program.rules[r];
                let mut own = SlotSet::default();
                for &s in &rule.reads.slots {
                    own.insert(s);
                }
                for &read in &rule.reads.conclusions {
                    own.union_with(&conclusions[read]);
                }
                cone.union_with(&own);
                rules[r] = own;
            }
            let changed = conclusions[c] != cone;
            conclusions[c] = cone;
            changed
        };
        for stratum in &program.strata {
            match stratum {
                Stratum::Single(c) => {
                    settle(*c, &mut conclusions, &mut rules);
                }
                Stratum::Recursive(group) => {
                    // Each round can only add slots: at most one round per slot.
                    for _ in 0..=program.slots.len() {
                        let mut changed = false;
                        for &c in group {
                            changed |= settle(c, &mut conclusions, &mut rules);
                        }
                        if !changed {
                            break;
                        }
                    }
                }
            }
        }
        Cones { conclusions, rules }
    }

    /// The conclusions `c` depends on, itself included, as a mask by id.
    pub fn needed(program: &Program, conclusions: &[ConclusionId]) -> Arc<[bool]> {
        let mut seen = vec![false; program.conclusions.len()];
        let mut stack: Vec<ConclusionId> = conclusions.to_vec();
        while let Some(c) = stack.pop() {
            if std::mem::replace(&mut seen[c.index()], true) {
                continue;
            }
            for &r in &program.conclusions[c].rules {
                stack.extend(program.rules[r].reads.conclusions.iter().copied());
            }
        }
        seen.into()
    }

    /// The slots a conclusion can depend on.
    pub fn conclusion(&self, c: ConclusionId) -> &SlotSet {
        &self.conclusions[c]
    }

    /// The slots a rule's condition and value can depend on.
    pub fn rule(&self, r: RuleId) -> &SlotSet {
        &self.rules[r]
    }

    /// The slots an expression can depend on.
    pub fn expr(&self, e: &Expr) -> SlotSet {
        let mut out = SlotSet::default();
        self.add_expr(e, &mut out);
        out
    }

    fn add_expr(&self, e: &Expr, out: &mut SlotSet) {
        match e {
            Expr::Slot(s) => out.insert(*s),
            Expr::Quantifier { list, filter, .. } => {
                out.insert(*list);
                if let Some(f) = filter {
                    self.add_expr(f, out);
                }
            }
            Expr::Conclusion(c) => out.union_with(&self.conclusions[c]),
            Expr::Not(x) | Expr::Neg(x) => self.add_expr(x, out),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|x| self.add_expr(x, out)),
            Expr::Compare(_, l, r) | Expr::Arith(_, l, r) | Expr::Proven(l, r) => {
                self.add_expr(l, out);
                self.add_expr(r, out);
            }
            Expr::Assessment(a) => {
                for f in &a.factors {
                    self.add_expr(&f.rating, out);
                    self.add_expr(&f.weight, out);
                }
                self.add_expr(&a.threshold, out);
            }
            Expr::Const(_) | Expr::Param(_) | Expr::Field { .. } | Expr::Open(_) => {}
        }
    }
}

/// The facts left wild in one run, with the program's cones.
#[derive(Debug, Clone)]
pub struct Wild {
    /// The wild slots: unknown in the input, standing for any value and
    /// any standard of proof; or known, standing for any standard of proof.
    pub slots: SlotSet,
    /// The program's cones.
    pub cones: Arc<Cones>,
    /// Only these conclusions (by id) need deciding: those the conclusions
    /// asked about depend on. `None`: every one.
    pub only: Option<Arc<[bool]>>,
}

impl Wild {
    /// The wild slots within a cone: empty when no wild fact can change
    /// what the cone's owner depends on.
    pub(super) fn within(&self, cone: &SlotSet) -> Option<SlotSet> {
        cone.intersects(&self.slots).then(|| cone.intersection(&self.slots))
    }

    /// Whether an unknown result's support rests on a wild fact.
    pub(super) fn unsettled<S: Support>(&self, support: &S) -> bool {
        support.as_slots().is_some_and(|s| s.intersects(&self.slots))
    }
}
