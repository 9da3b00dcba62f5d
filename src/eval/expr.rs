//! Expressions: one `match` over IR node kinds, operators as pure functions.
//!
//! Conditions and values are evaluated apart. [`Evaluator::cond`] gives a
//! [`Tv`]: a truth value (Kleene), how well it is established (its
//! [`Proof`]: the standard its weakest necessary premise meets), and its
//! support. [`Evaluator::eval`] gives an [`Ev`]: the same for a value of any
//! type. The support of an unknown result is the set of unknown facts that
//! leave it open; the support of a known result whose proof is unstated is
//! the set of facts whose standard of proof the incident does not state.

use super::error::ArithError;
use super::ops::{arith, compare, negate};
use super::support::Support;
use super::Evaluator;
use crate::ir::{Assessment, Expr, QuantifierKind, SlotId};
use crate::value::{ExchangeRate, Proof, Tri, Value};

/// The facts of one incident: a value and a proof level per slot.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The value of each slot (missing slots are unknown).
    pub values: &'a [Value],
    /// The proof level of each slot (missing entries are unstated).
    pub proofs: &'a [Proof],
    /// The exchange rates the incident gives, by which amounts in two
    /// currencies compare.
    pub rates: &'a [ExchangeRate],
}

impl Input<'_> {
    fn proof(&self, slot: SlotId) -> Proof {
        self.proofs.get(slot.index()).copied().unwrap_or(Proof::UNSTATED)
    }
}

/// A value, its proof and its support.
#[derive(Debug, Clone)]
pub(super) struct Ev<S> {
    pub value: Value,
    pub proof: Proof,
    pub support: S,
}

/// A truth value, its proof and its support.
#[derive(Debug, Clone)]
pub(super) struct Tv<S> {
    pub tri: Tri,
    pub proof: Proof,
    pub support: S,
}

/// Something established to a proof level, with a support.
pub(super) trait Proofed<S> {
    fn proof(&self) -> Proof;
    fn support(&self) -> &S;
}

impl<S> Proofed<S> for Ev<S> {
    fn proof(&self) -> Proof {
        self.proof
    }
    fn support(&self) -> &S {
        &self.support
    }
}

impl<S> Proofed<S> for Tv<S> {
    fn proof(&self) -> Proof {
        self.proof
    }
    fn support(&self) -> &S {
        &self.support
    }
}

impl<S: Support> Ev<S> {
    /// A value that follows from the norms alone.
    fn law(value: Value) -> Self {
        Ev { value, proof: Proof::LAW, support: S::default() }
    }

    fn unknown(support: S) -> Self {
        Ev { value: Value::Unknown, proof: Proof::UNSTATED, support }
    }

    fn with(value: Value, (proof, support): (Proof, S)) -> Self {
        Ev { value, proof, support }
    }
}

impl<S: Support> Tv<S> {
    /// A truth that follows from the norms alone.
    pub fn law(tri: Tri) -> Self {
        Tv { tri, proof: Proof::LAW, support: S::default() }
    }

    pub fn unknown(support: S) -> Self {
        Tv { tri: Tri::Unknown, proof: Proof::UNSTATED, support }
    }

    pub fn with(tri: Tri, (proof, support): (Proof, S)) -> Self {
        Tv { tri, proof, support }
    }

    /// As a value.
    pub fn into_ev(self) -> Ev<S> {
        Ev { value: Value::from_tri(self.tri), proof: self.proof, support: self.support }
    }
}

/// The proof of a result resting on all of `parts`: the weakest of theirs,
/// and, when that is unstated, the facts that leave it so.
pub(super) fn weakest<S: Support, P: Proofed<S>>(parts: &[&P]) -> (Proof, S) {
    let proof = parts.iter().map(|p| p.proof()).fold(Proof::LAW, Proof::meet);
    let mut support = S::default();
    if S::TRACKS && proof.is_unstated() {
        for p in parts.iter().filter(|p| p.proof().is_unstated()) {
            support.union_with(p.support());
        }
    }
    (proof, support)
}

/// The proof of a result resting on any one of `parts`: the strongest of theirs.
pub(super) fn strongest<S: Support, P: Proofed<S>>(parts: &[&P]) -> (Proof, S) {
    let proof = match parts.split_first() {
        Some((first, rest)) => rest.iter().map(|p| p.proof()).fold(first.proof(), Proof::join),
        None => Proof::LAW,
    };
    let mut support = S::default();
    if S::TRACKS && proof.is_unstated() {
        for p in parts {
            support.union_with(p.support());
        }
    }
    (proof, support)
}

/// Unknown, resting on the unknown ones of `parts`.
fn open_support<'a, S: Support + 'a>(parts: impl IntoIterator<Item = (bool, &'a S)>) -> S {
    let mut support = S::default();
    if S::TRACKS {
        for (_, s) in parts.into_iter().filter(|(unknown, _)| *unknown) {
            support.union_with(s);
        }
    }
    support
}

/// Kleene conjunction with proofs.
pub(super) fn and<S: Support>(a: Tv<S>, b: Tv<S>) -> Tv<S> {
    match (a.tri, b.tri) {
        (Tri::True, Tri::True) => Tv::with(Tri::True, weakest(&[&a, &b])),
        (Tri::False, Tri::False) => Tv::with(Tri::False, strongest(&[&a, &b])),
        (Tri::False, _) => a,
        (_, Tri::False) => b,
        _ => Tv::unknown(open_support([(a.tri == Tri::Unknown, &a.support), (b.tri == Tri::Unknown, &b.support)])),
    }
}

/// Kleene disjunction with proofs.
pub(super) fn or<S: Support>(a: Tv<S>, b: Tv<S>) -> Tv<S> {
    match (a.tri, b.tri) {
        (Tri::False, Tri::False) => Tv::with(Tri::False, weakest(&[&a, &b])),
        (Tri::True, Tri::True) => Tv::with(Tri::True, strongest(&[&a, &b])),
        (Tri::True, _) => a,
        (_, Tri::True) => b,
        _ => Tv::unknown(open_support([(a.tri == Tri::Unknown, &a.support), (b.tri == Tri::Unknown, &b.support)])),
    }
}

/// Kleene negation: the proof of `not x` is the proof of `x`.
pub(super) fn not<S: Support>(a: Tv<S>) -> Tv<S> {
    Tv { tri: a.tri.negate(), ..a }
}

/// The list element bound by each enclosing quantifier, innermost first.
pub(super) struct Env<'a> {
    element: &'a [Value],
    list: SlotId,
    proof: Proof,
    outer: Option<&'a Env<'a>>,
}

type Result<T> = std::result::Result<T, ArithError>;

/// Ratings are compared with the threshold with this tolerance, so that
/// rounding in shares such as 1/3 does not decide a case.
pub(super) const TOLERANCE: f64 = 1e-9;

impl Evaluator<'_> {
    /// Evaluates a condition (an expression of type `bool`).
    pub(super) fn cond<S: Support>(&self, e: &Expr, input: Input<'_>, supports: &[S], env: Option<&Env<'_>>) -> Result<Tv<S>> {
        Ok(match e {
            Expr::Const(v) => Tv::law(v.tri()),
            Expr::Slot(id) => match input.values.get(id.index()) {
                Some(Value::Bool(b)) => {
                    let proof = input.proof(*id);
                    let support = if proof.is_unstated() { S::slot(*id) } else { S::default() };
                    Tv { tri: Tri::from_bool(*b), proof, support }
                }
                _ => Tv::unknown(S::slot(*id)),
            },
            Expr::Conclusion(id) => {
                let tri = self.values[id].tri();
                let proof = self.proofs[id];
                let support = if S::TRACKS && (tri == Tri::Unknown || proof.is_unstated()) { supports[id].clone() } else { S::default() };
                Tv { tri, proof, support }
            }
            Expr::Not(inner) => not(self.cond(inner, input, supports, env)?),
            // The second operand is needed, once the first decides, only to
            // find the strongest proof of the result.
            Expr::And(items) => {
                let Some((first, rest)) = items.split_first() else { return Ok(Tv::law(Tri::True)) };
                let mut a = self.cond(first, input, supports, env)?;
                for item in rest {
                    if a.tri == Tri::False && (a.proof == Proof::LAW || !self.weigh_proofs) {
                        break;
                    }
                    a = and(a, self.cond(item, input, supports, env)?);
                }
                a
            }
            Expr::Or(items) => {
                let Some((first, rest)) = items.split_first() else { return Ok(Tv::law(Tri::False)) };
                let mut a = self.cond(first, input, supports, env)?;
                for item in rest {
                    if a.tri == Tri::True && (a.proof == Proof::LAW || !self.weigh_proofs) {
                        break;
                    }
                    a = or(a, self.cond(item, input, supports, env)?);
                }
                a
            }
            Expr::Compare(op, l, r) => {
                let a = self.eval(l, input, supports, env)?;
                let b = self.eval(r, input, supports, env)?;
                if a.value.is_unknown() || b.value.is_unknown() {
                    return Ok(Tv::unknown(open_support([(a.value.is_unknown(), &a.support), (b.value.is_unknown(), &b.support)])));
                }
                Tv::with(compare(*op, &a.value, &b.value, input.rates)?, weakest(&[&a, &b]))
            }
            Expr::Proven(inner, standard) => {
                let a = self.cond(inner, input, supports, env)?;
                let required = match self.eval::<()>(standard, input, &[], env)?.value {
                    Value::Enum(_, i) => Proof::of_index(i),
                    _ => return Ok(Tv::unknown(S::default())),
                };
                // A wild fact the condition depends on could raise its proof.
                if a.tri == Tri::True && !a.proof.meets(required) {
                    if let Some(wild) = self.wild.as_ref().and_then(|w| w.within(&w.cones.expr(inner))) {
                        let mut support = a.support;
                        support.add_slots(&wild);
                        return Ok(Tv::unknown(support));
                    }
                }
                match a.tri {
                    Tri::True if a.proof.meets(required) => a,
                    // The incident does not say how strong the evidence is: the
                    // facts without a stated standard settle it.
                    Tri::True if a.proof.is_unstated() => Tv::unknown(a.support),
                    // Established, but to a lower standard (or resting on
                    // a premise not established): not proven, and so not
                    // established rather than false.
                    Tri::True => Tv { tri: Tri::False, proof: Proof::LAW.not_established(), support: S::default() },
                    _ => a,
                }
            }
            Expr::Assessment(a) => self.score(a, input, supports, env, None)?.result,
            Expr::Open(q) => Tv::unknown(S::question(*q)),
            Expr::Quantifier { .. } | Expr::Param(_) | Expr::Field { .. } | Expr::Neg(_) | Expr::Arith(..) => {
                let v = self.eval(e, input, supports, env)?;
                Tv { tri: v.value.tri(), proof: v.proof, support: v.support }
            }
        })
    }

    /// Evaluates an expression of any type.
    pub(super) fn eval<S: Support>(&self, e: &Expr, input: Input<'_>, supports: &[S], env: Option<&Env<'_>>) -> Result<Ev<S>> {
        Ok(match e {
            Expr::Const(v) => Ev::law(v.clone()),
            Expr::Slot(id) => {
                let value = input.values.get(id.index()).cloned().unwrap_or(Value::Unknown);
                if value.is_unknown() {
                    return Ok(Ev::unknown(S::slot(*id)));
                }
                let proof = input.proof(*id);
                let support = if proof.is_unstated() { S::slot(*id) } else { S::default() };
                Ev { value, proof, support }
            }
            Expr::Conclusion(id) => {
                let value = self.values[id].clone();
                let proof = self.proofs[id];
                let support = if S::TRACKS && (value.is_unknown() || proof.is_unstated()) { supports[id].clone() } else { S::default() };
                Ev { value, proof, support }
            }
            Expr::Param(id) => Ev::law(self.program.params[id].value.clone()),
            Expr::Open(q) => Ev::unknown(S::question(*q)),
            Expr::Field { depth, leaf } => {
                let mut env = env;
                for _ in 0..*depth {
                    env = env.and_then(|e| e.outer);
                }
                match env {
                    Some(e) => {
                        let value = e.element.get(*leaf as usize).cloned().unwrap_or(Value::Unknown);
                        if value.is_unknown() {
                            return Ok(Ev::unknown(S::slot(e.list)));
                        }
                        let support = if e.proof.is_unstated() { S::slot(e.list) } else { S::default() };
                        Ev { value, proof: e.proof, support }
                    }
                    None => Ev::unknown(S::default()),
                }
            }
            Expr::Neg(inner) => {
                let a = self.eval(inner, input, supports, env)?;
                Ev { value: negate(a.value), ..a }
            }
            Expr::Arith(op, l, r) => {
                let a = self.eval(l, input, supports, env)?;
                let b = self.eval(r, input, supports, env)?;
                if a.value.is_unknown() || b.value.is_unknown() {
                    return Ok(Ev::unknown(open_support([(a.value.is_unknown(), &a.support), (b.value.is_unknown(), &b.support)])));
                }
                Ev::with(arith(*op, &a.value, &b.value, input.rates)?, weakest(&[&a, &b]))
            }
            Expr::Quantifier { kind, list, filter, .. } => self.quantify(*kind, *list, filter.as_deref(), input, supports, env)?,
            Expr::Not(_) | Expr::And(..) | Expr::Or(..) | Expr::Compare(..) | Expr::Proven(..) | Expr::Assessment(_) => {
                self.cond(e, input, supports, env)?.into_ev()
            }
        })
    }

    /// `any`, `all` or `count` over a list fact.
    fn quantify<S: Support>(
        &self,
        kind: QuantifierKind,
        list: SlotId,
        filter: Option<&Expr>,
        input: Input<'_>,
        supports: &[S],
        env: Option<&Env<'_>>,
    ) -> Result<Ev<S>> {
        let Some(Value::List(elements)) = input.values.get(list.index()) else {
            return Ok(Ev::unknown(S::slot(list)));
        };
        let list_proof = input.proof(list);
        let list_tv: Tv<S> =
            Tv { tri: Tri::True, proof: list_proof, support: if list_proof.is_unstated() { S::slot(list) } else { S::default() } };
        // The strongest true and false element results, the weakest of all, and what leaves it open.
        let (mut best_true, mut best_false): (Option<Tv<S>>, Option<Tv<S>>) = (None, None);
        let mut all = Tv::law(Tri::True);
        let mut count = 0u32;
        let mut open: Option<S> = None;
        for element in elements.iter() {
            let r = match filter {
                None => Tv::law(Tri::True),
                Some(f) => {
                    let inner = Env { element, list, proof: list_proof, outer: env };
                    self.cond(f, input, supports, Some(&inner))?
                }
            };
            all = Tv::with(Tri::True, weakest(&[&all, &r]));
            match r.tri {
                Tri::True => {
                    count += 1;
                    best_true = Some(match best_true {
                        Some(b) => Tv::with(Tri::True, strongest(&[&b, &r])),
                        None => r,
                    });
                }
                Tri::False => {
                    best_false = Some(match best_false {
                        Some(b) => Tv::with(Tri::False, strongest(&[&b, &r])),
                        None => r,
                    });
                }
                Tri::Unknown => open.get_or_insert_with(S::default).union_with(&r.support),
            }
        }
        let on_list = |value: Value, r: &Tv<S>| Ev::with(value, weakest(&[r, &list_tv]));
        Ok(match (kind, best_true, best_false, open) {
            (QuantifierKind::Any, Some(t), _, _) => on_list(Value::Bool(true), &t),
            (QuantifierKind::All, _, Some(f), _) => on_list(Value::Bool(false), &f),
            (_, _, _, Some(support)) => Ev::unknown(support),
            (QuantifierKind::Any, _, _, None) => on_list(Value::Bool(false), &all),
            (QuantifierKind::All, _, _, None) => on_list(Value::Bool(true), &all),
            (QuantifierKind::Count, _, _, None) => on_list(Value::Number(f64::from(count)), &all),
        })
    }

    /// Evaluates an assessment: the range of its score given the known and
    /// unknown ratings, and whether it reaches the threshold. With `detail`,
    /// also records each factor's part (for explanations).
    pub(super) fn score<S: Support>(
        &self,
        a: &Assessment,
        input: Input<'_>,
        supports: &[S],
        env: Option<&Env<'_>>,
        mut detail: Option<&mut Vec<FactorScore>>,
    ) -> Result<Score<S>> {
        // The name of what is not a number is written only when it fails.
        let number = |e: &Expr, what: &dyn Fn() -> String| -> Result<f64> {
            match self.eval::<()>(e, input, &[], env)?.value {
                Value::Number(n) => Ok(n),
                _ => Err(ArithError::NotANumber { what: what() }),
            }
        };
        // `total` is the highest score the weights allow: the sum of the positive weights.
        let (mut low, mut high, mut total) = (0.0, 0.0, 0.0);
        let mut known: Tv<S> = Tv::law(Tri::True);
        let mut unknown_support = S::default();
        for f in &a.factors {
            let weight = number(&f.weight, &|| format!("the weight of `{}`", f.name))?;
            let rating = self.eval(&f.rating, input, supports, env)?;
            total += weight.max(0.0);
            let share = if rating.value.is_unknown() {
                low += weight.min(0.0);
                high += weight.max(0.0);
                unknown_support.union_with(&rating.support);
                None
            } else {
                let share = f.scale.share(&rating.value).ok_or_else(|| ArithError::RatingOutOfScale { factor: f.name.clone() })?;
                low += weight * share;
                high += weight * share;
                Some(share)
            };
            let (value, proof) = (rating.value, rating.proof);
            if share.is_some() {
                let rated = Tv { tri: Tri::True, proof, support: rating.support };
                known = Tv::with(Tri::True, weakest(&[&known, &rated]));
            }
            if let Some(d) = detail.as_deref_mut() {
                d.push(FactorScore { weight, share, rating: value, proof });
            }
        }
        if a.mean {
            if total == 0.0 {
                return Err(ArithError::NoPositiveWeight);
            }
            low /= total;
            high /= total;
        }
        let threshold = number(&a.threshold, &|| "the threshold".into())?;
        let meets = |x: f64| if a.strict { x > threshold + TOLERANCE } else { x >= threshold - TOLERANCE };
        let result = if meets(low) {
            known
        } else if !meets(high) {
            Tv { tri: Tri::False, ..known }
        } else {
            Tv::unknown(unknown_support)
        };
        Ok(Score { low, high, total, threshold, result })
    }
}

/// An assessment's evaluation.
pub(super) struct Score<S> {
    /// The lowest and highest score the unknown ratings allow (equal when all are known).
    pub low: f64,
    pub high: f64,
    /// The highest score the weights allow (the sum of the positive weights).
    pub total: f64,
    pub threshold: f64,
    pub result: Tv<S>,
}

/// One factor's part in an assessment.
pub(super) struct FactorScore {
    pub weight: f64,
    /// Its rating scaled to 0..1 (`None` when unknown).
    pub share: Option<f64>,
    pub rating: Value,
    pub proof: Proof,
}
