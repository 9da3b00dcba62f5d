//! The derivation trace: data, rendered elsewhere.

use serde::Serialize;

use super::expr::{FactorScore, Input};
use super::support::SlotSet;
use super::{Evaluator, Status};
use crate::ir::{ConclusionId, DefeatKind, Expr, PartyId, QuestionId, RuleId, SlotId};
use crate::value::{Proof, Tri, Value};

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
    /// How well it is established: the standard its weakest necessary premise meets.
    pub proof: Proof,
    /// Why it has this value.
    pub status: Status,
    /// The deciding rule, if a rule applied.
    pub rule: Option<RuleId>,
    /// The party whose burden of proof decided it (status `BurdenNotMet`).
    pub burden: Option<PartyId>,
    /// Every rule of the conclusion and what became of it, defeaters first.
    pub rules: Vec<RuleOutcome>,
    /// For a conclusion left unknown, or decided by a burden of proof: the
    /// facts that would settle it (a known fact here lacks only its standard of proof).
    pub settled_by: Vec<SlotId>,
    /// The facts, given in the incident, whose standard of proof it does not
    /// state and which leave this conclusion open (among `settled_by`) or
    /// its proof unstated (for a known conclusion).
    pub unstated: Vec<SlotId>,
    /// For a result resting on a premise not established (status
    /// `PremiseNotEstablished`): the conclusions not established (decided by
    /// a burden of proof, or below their standard) it rests on, through the
    /// rules that decided it (the deciding rule and its defeaters, or every
    /// rule when none applied). Empty when what was not established is a
    /// `proven` condition of one of those rules.
    pub rests_on: Vec<ConclusionId>,
    /// For a result left unknown (status `Open`, or `Undetermined` when facts
    /// too are missing): the open questions that leave it so.
    pub questions: Vec<QuestionId>,
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
    /// How well its applying (or not applying) is established.
    pub proof: Proof,
    /// The facts it read, with their values and proof in this incident.
    pub facts: Vec<(SlotId, Value, Proof)>,
    /// The conclusions it read, with their values and proof.
    pub conclusions: Vec<(ConclusionId, Value, Proof)>,
    /// For an assessment: each factor's part.
    pub assessment: Option<AssessmentOutcome>,
}

/// The weighing of an assessment's factors.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentOutcome {
    /// Each factor, in declared order.
    pub factors: Vec<FactorOutcome>,
    /// The lowest score the unknown ratings allow (the score, when all are known).
    pub low: f64,
    /// The highest score the unknown ratings allow.
    pub high: f64,
    /// The threshold.
    pub threshold: f64,
    /// Whether the score is the weighted mean (else the weighted sum).
    pub mean: bool,
    /// Whether the score must exceed the threshold (else reach it).
    pub strict: bool,
    /// Whether the threshold is reached.
    pub result: Tri,
}

/// One factor's part in an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct FactorOutcome {
    /// The factor's name.
    pub name: String,
    /// Its rating.
    pub rating: Value,
    /// How well the rating is established.
    pub proof: Proof,
    /// The rating on the scale 0 to 1 (`None` when unknown).
    pub share: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// Its contribution to the score: weight x share (divided by the sum of
    /// the positive weights for a mean); `None` when unknown.
    pub contribution: Option<f64>,
    /// Whether the result turns on it: with the least favourable rating the
    /// threshold would not be reached (for a result that is reached), or
    /// with the most favourable it would be (for one that is not).
    pub decisive: bool,
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

pub(super) fn build(ev: &Evaluator<'_>, input: Input<'_>, supports: &[SlotSet]) -> Result<Outcome, (RuleId, super::error::ArithError)> {
    let program = ev.program;
    let (conditions, active, proofs) = ev.rule_states();
    let slot = |s: SlotId| {
        (s, input.values.get(s.index()).cloned().unwrap_or(Value::Unknown), input.proofs.get(s.index()).copied().unwrap_or(Proof::UNSTATED))
    };
    let mut conclusions = Vec::with_capacity(program.conclusions.len());
    for (c, info) in program.conclusions.iter().enumerate() {
        let (status, rule) = ev.status[c];
        let mut rules = Vec::with_capacity(info.rules.len());
        for &r in &info.rules {
            let ir = &program.rules[r];
            let cond = conditions[r];
            let find = |t: Tri| ir.defeaters.iter().find(|d| active[d.rule] == t);
            let state = match (cond, active[r]) {
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
            let assessment = match first_conjunct(&ir.condition) {
                Expr::Assessment(a) => Some(assessment(ev, a, input).map_err(|m| (r, m))?),
                _ => None,
            };
            rules.push(RuleOutcome {
                rule: r,
                condition: cond,
                state,
                proof: proofs[r],
                facts: ir.reads.slots.iter().map(|&s| slot(s)).collect(),
                conclusions: ir.reads.conclusions.iter().map(|&d| (d, ev.values[d].clone(), ev.proofs[d])).collect(),
                assessment,
            });
        }
        let value = ev.values[c].clone();
        let proof = ev.proofs[c];
        let support: Vec<SlotId> = supports.get(c).map(|s| s.iter().collect()).unwrap_or_default();
        let questions: Vec<QuestionId> =
            if value.is_unknown() { supports.get(c).map(|s| s.questions().collect()).unwrap_or_default() } else { Vec::new() };
        let open = value.is_unknown() || status == Status::BurdenNotMet;
        let known = |s: &SlotId| input.values.get(s.index()).is_some_and(|v| !v.is_unknown());
        conclusions.push(ConclusionOutcome {
            conclusion: ConclusionId::new(c),
            value,
            proof,
            status,
            rule,
            burden: if status == Status::BurdenNotMet { info.burden.as_ref().map(|b| b.value) } else { None },
            rules,
            settled_by: if open { support.clone() } else { Vec::new() },
            unstated: if open || proof.is_unstated() { support.iter().copied().filter(known).collect() } else { Vec::new() },
            rests_on: Vec::new(),
            questions,
        });
    }
    rests_on(ev, &mut conclusions);
    Ok(Outcome { conclusions })
}

/// Fills in what each result whose premise was not established rests on,
/// in the order of evaluation (a recursive group twice, so that what one of
/// its conclusions finds reaches the others).
fn rests_on(ev: &Evaluator<'_>, conclusions: &mut [ConclusionOutcome]) {
    let program = ev.program;
    let find = |c: ConclusionId, conclusions: &mut [ConclusionOutcome]| {
        if conclusions[c.index()].status != Status::PremiseNotEstablished {
            return;
        }
        let deciding = conclusions[c.index()].rule;
        let mut found: Vec<ConclusionId> = Vec::new();
        for &r in &program.conclusions[c].rules {
            // The deciding rule and the rules that could have defeated it
            // (an earlier tier), or, when no rule applied, every rule.
            let relevant = deciding.is_none_or(|d| d == r || program.rules[d].defeaters.iter().any(|x| x.rule == r));
            if !relevant {
                continue;
            }
            for &d in &program.rules[r].reads.conclusions {
                if ev.proofs[d].is_established() {
                    continue;
                }
                match conclusions[d.index()].status {
                    Status::BurdenNotMet | Status::BelowStandard => found.push(d),
                    Status::PremiseNotEstablished if d != c => found.extend(conclusions[d.index()].rests_on.iter().copied()),
                    _ => {}
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        conclusions[c.index()].rests_on = found;
    };
    for stratum in &program.strata {
        match stratum {
            crate::ir::Stratum::Single(c) => find(*c, conclusions),
            crate::ir::Stratum::Recursive(group) => {
                for _ in 0..2 {
                    for &c in group {
                        find(c, conclusions);
                    }
                }
            }
        }
    }
}

/// The first condition of a rule (an assessment's weighted test comes first).
fn first_conjunct(e: &Expr) -> &Expr {
    match e {
        Expr::And(items) if !items.is_empty() => first_conjunct(&items[0]),
        other => other,
    }
}

fn assessment(ev: &Evaluator<'_>, a: &crate::ir::Assessment, input: Input<'_>) -> Result<AssessmentOutcome, super::error::ArithError> {
    let mut detail: Vec<FactorScore> = Vec::new();
    let score = ev.score::<()>(a, input, &[], None, Some(&mut detail))?;
    let scale = if a.mean && score.total != 0.0 { score.total } else { 1.0 };
    let tolerance = super::expr::TOLERANCE;
    let meets = |x: f64| if a.strict { x > score.threshold + tolerance } else { x >= score.threshold - tolerance };
    let result = score.result.tri;
    let factors = a
        .factors
        .iter()
        .zip(detail)
        .map(|(f, d)| {
            let contribution = d.share.map(|s| d.weight * s / scale);
            let (least, most) = ((d.weight.min(0.0)) / scale, (d.weight.max(0.0)) / scale);
            let decisive = match (result, contribution) {
                (Tri::True, Some(c)) => !meets(score.low - c + least),
                (Tri::False, Some(c)) => meets(score.high - c + most),
                (Tri::Unknown, None) => true,
                _ => false,
            };
            FactorOutcome {
                name: f.name.clone(),
                rating: d.rating,
                proof: d.proof,
                share: d.share,
                weight: d.weight,
                contribution,
                decisive,
            }
        })
        .collect();
    Ok(AssessmentOutcome { factors, low: score.low, high: score.high, threshold: score.threshold, mean: a.mean, strict: a.strict, result })
}

impl Outcome {
    /// The outcome of one conclusion.
    pub fn get(&self, c: ConclusionId) -> &ConclusionOutcome {
        &self.conclusions[c]
    }
}
