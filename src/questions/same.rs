//! Whether two programs derive a conclusion by the same rules from the same
//! facts: then they give it the same result on every incident, which
//! `witness` states without a search.

use std::collections::HashMap;

use crate::ir::{ConclusionId, Expr, Program, RuleId};
use crate::reports::value_text;

/// Compares two programs' derivations, remembering what it found.
pub struct Same<'p> {
    a: &'p Program,
    b: &'p Program,
    memo: HashMap<(ConclusionId, ConclusionId), bool>,
    /// Whether the conclusions read are compared too (else by name alone).
    deep: bool,
}

impl<'p> Same<'p> {
    /// A comparison of `a` and `b`.
    pub fn new(a: &'p Program, b: &'p Program) -> Self {
        Same { a, b, memo: HashMap::new(), deep: true }
    }

    /// A comparison of `a`'s and `b`'s own rules for each conclusion,
    /// taking the conclusions they read by name.
    pub fn shallow(a: &'p Program, b: &'p Program) -> Self {
        Same { a, b, memo: HashMap::new(), deep: false }
    }

    /// The conclusions that `ca` of `a` depends on (itself included) whose
    /// own derivation differs in `b` (or that `b` lacks), by their ids in `a`.
    pub fn differing(a: &'p Program, b: &'p Program, ca: ConclusionId) -> Vec<ConclusionId> {
        let mut same = Same::shallow(a, b);
        let mut out = Vec::new();
        let mut seen = vec![false; a.conclusions.len()];
        let mut stack = vec![ca];
        while let Some(c) = stack.pop() {
            if std::mem::replace(&mut seen[c.index()], true) {
                continue;
            }
            match b.conclusion_named(&a.conclusions[c].name) {
                Some(cb) if same.conclusion(c, cb) => {}
                _ => out.push(c),
            }
            for &r in &a.conclusions[c].rules {
                stack.extend(a.rules[r].reads.conclusions.iter().copied());
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether `ca` of `a` and `cb` of `b` are derived alike: the same type,
    /// standard and burden of proof, the same rules in the same order (the
    /// same conditions, values, defeaters and kinds; citations aside),
    /// reading facts of the same names and conclusions derived alike.
    pub fn conclusion(&mut self, ca: ConclusionId, cb: ConclusionId) -> bool {
        if let Some(&known) = self.memo.get(&(ca, cb)) {
            return known;
        }
        // Assumed while being compared (recursion reads itself).
        self.memo.insert((ca, cb), true);
        let (a, b) = (self.a, self.b);
        let (x, y) = (&a.conclusions[ca], &b.conclusions[cb]);
        let mut same = x.name == y.name
            && a.type_name(x.ty) == b.type_name(y.ty)
            && x.rules.len() == y.rules.len()
            && x.burden.as_ref().map(|p| &a.parties[p.value].name) == y.burden.as_ref().map(|p| &b.parties[p.value].name)
            && match (&x.standard, &y.standard) {
                (None, None) => true,
                (Some(s), Some(t)) => self.expr(&s.value, &t.value),
                _ => false,
            };
        if same {
            same = x.rules.iter().zip(&y.rules).all(|(&ra, &rb)| self.rule(ra, rb));
        }
        self.memo.insert((ca, cb), same);
        same
    }

    fn rule(&mut self, ra: RuleId, rb: RuleId) -> bool {
        let (x, y) = (&self.a.rules[ra], &self.b.rules[rb]);
        x.name == y.name
            && x.is_default == y.is_default
            && x.form == y.form
            && x.defeaters.len() == y.defeaters.len()
            && x.defeaters.iter().zip(&y.defeaters).all(|(d, e)| d.kind == e.kind && self.a.rules[d.rule].name == self.b.rules[e.rule].name)
            && self.expr(&x.condition, &y.condition)
            && self.expr(&x.value, &y.value)
    }

    fn exprs(&mut self, xs: &[Expr], ys: &[Expr]) -> bool {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.expr(x, y))
    }

    fn expr(&mut self, x: &Expr, y: &Expr) -> bool {
        let (a, b) = (self.a, self.b);
        match (x, y) {
            (Expr::Const(v), Expr::Const(w)) => value_text(a, v) == value_text(b, w),
            (Expr::Param(p), Expr::Param(q)) => value_text(a, &a.params[p].value) == value_text(b, &b.params[q].value),
            (Expr::Const(v), Expr::Param(q)) => value_text(a, v) == value_text(b, &b.params[q].value),
            (Expr::Param(p), Expr::Const(w)) => value_text(a, &a.params[p].value) == value_text(b, w),
            (Expr::Slot(s), Expr::Slot(t)) => a.slots[s].name == b.slots[t].name,
            (Expr::Conclusion(c), Expr::Conclusion(d)) if !self.deep => a.conclusions[c].name == b.conclusions[d].name,
            (Expr::Conclusion(c), Expr::Conclusion(d)) => self.conclusion(*c, *d),
            (Expr::Field { depth, leaf }, Expr::Field { depth: d, leaf: l }) => depth == d && leaf == l,
            (Expr::Not(p), Expr::Not(q)) | (Expr::Neg(p), Expr::Neg(q)) => self.expr(p, q),
            (Expr::And(p), Expr::And(q)) | (Expr::Or(p), Expr::Or(q)) => self.exprs(p, q),
            (Expr::Compare(o, l, r), Expr::Compare(p, m, s)) => o == p && self.expr(l, m) && self.expr(r, s),
            (Expr::Arith(o, l, r), Expr::Arith(p, m, s)) => o == p && self.expr(l, m) && self.expr(r, s),
            (Expr::Proven(l, r), Expr::Proven(m, s)) => self.expr(l, m) && self.expr(r, s),
            (Expr::Open(q), Expr::Open(r)) => a.questions[q].name == b.questions[r].name,
            (Expr::Quantifier { kind, list, record, filter }, Expr::Quantifier { kind: k, list: l, record: r, filter: f }) => {
                kind == k
                    && a.slots[list].name == b.slots[l].name
                    && a.records[record].name == b.records[r].name
                    && match (filter, f) {
                        (None, None) => true,
                        (Some(p), Some(q)) => self.expr(p, q),
                        _ => false,
                    }
            }
            (Expr::Assessment(p), Expr::Assessment(q)) => {
                p.mean == q.mean
                    && p.strict == q.strict
                    && p.factors.len() == q.factors.len()
                    && self.expr(&p.threshold, &q.threshold)
                    && p.factors.iter().zip(&q.factors).all(|(f, g)| {
                        f.name == g.name && f.scale == g.scale && self.expr(&f.rating, &g.rating) && self.expr(&f.weight, &g.weight)
                    })
            }
            _ => false,
        }
    }
}
