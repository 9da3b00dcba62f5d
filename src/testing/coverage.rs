//! Which rules, exceptions and assessment factors a run exercised.
//!
//! A rule is keyed by where it is declared, so a rule of the standard
//! library kept by several positions counts once, fired if it fired under
//! any of them.

use std::collections::BTreeMap;

use crate::eval::{Outcome, RuleState};
use crate::ir::{Program, RuleForm};
use crate::source::SourceMap;
use crate::Compiled;

/// What a run exercised.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Every rule, by place: whether it fired (applied, undefeated).
    pub rules: BTreeMap<Place, bool>,
    /// Every rule that can defeat another (an `exception to` it, a rule that
    /// `prevails over` it, or any rule over a `default rule`): whether it
    /// defeated it in an evaluation.
    pub exceptions: BTreeMap<Place, bool>,
    /// Every factor of an assessment: whether it was rated (known) in an
    /// evaluation.
    pub factors: BTreeMap<Place, bool>,
    /// The number of evaluations recorded.
    pub evaluations: usize,
}

/// Where something is declared, and what it is called.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file.
    pub file: String,
    /// The line.
    pub line: usize,
    /// `rule `x``, `assessment `x``, `factor `f` of `x``.
    pub what: String,
}

impl Coverage {
    /// Every rule, exception and factor of these programs, none exercised yet.
    pub(super) fn new<'a>(programs: impl Iterator<Item = (&'a Program, &'a Compiled, &'a SourceMap)>) -> Coverage {
        let mut c = Coverage::default();
        for (program, compiled, sources) in programs {
            c.visit(program, compiled, sources, None);
        }
        c
    }

    /// Records one evaluation.
    pub(super) fn record(&mut self, program: &Program, compiled: &Compiled, sources: &SourceMap, outcome: &Outcome) {
        self.evaluations += 1;
        self.visit(program, compiled, sources, Some(outcome));
    }

    fn visit(&mut self, program: &Program, compiled: &Compiled, sources: &SourceMap, outcome: Option<&Outcome>) {
        let is_exception: Vec<bool> = {
            let mut v = vec![false; program.rules.len()];
            for r in &program.rules {
                for d in &r.defeaters {
                    v[d.rule] = true;
                }
            }
            v
        };
        for (r, rule) in program.rules.iter().enumerate() {
            // Derived breach rules are not written by anyone.
            if matches!(rule.form, RuleForm::Breach { .. }) {
                continue;
            }
            let Some(span) = compiled.rule_spans.get(r) else { continue };
            let (line, _) = sources.line_col(span.file, span.start);
            let file = sources.get(span.file).name.clone();
            let label = crate::reports::rule_label(program, crate::ir::RuleId::new(r));
            let place = |what: String| Place { file: file.clone(), line, what };
            let co = outcome.map(|o| o.get(rule.conclusion));
            let state = co.and_then(|co| co.rules.iter().find(|x| x.rule.index() == r));
            let fired = state.is_some_and(|s| s.state == RuleState::Applied);
            *self.rules.entry(place(label.clone())).or_default() |= fired;
            if is_exception[r] {
                let defeated =
                    co.is_some_and(|co| co.rules.iter().any(|x| matches!(x.state, RuleState::Defeated { by, .. } if by.index() == r)));
                *self.exceptions.entry(place(format!("{label}, over {}", defeated_names(program, r)))).or_default() |= defeated;
            }
            if rule.form == RuleForm::Assessment {
                let rated = state.and_then(|s| s.assessment.as_ref());
                for (i, name) in assessment_factors(&rule.condition).iter().enumerate() {
                    let known = rated.is_some_and(|a| a.factors.get(i).is_some_and(|f| f.share.is_some()));
                    *self.factors.entry(place(format!("factor `{name}` of {label}"))).or_default() |= known;
                }
            }
        }
    }

    /// Adds another run's coverage (of other test files) to this one.
    pub fn merge(&mut self, other: &Coverage) {
        for (mine, theirs) in
            [(&mut self.rules, &other.rules), (&mut self.exceptions, &other.exceptions), (&mut self.factors, &other.factors)]
        {
            for (place, done) in theirs {
                *mine.entry(place.clone()).or_default() |= *done;
            }
        }
        self.evaluations += other.evaluations;
    }

    /// (exercised, total) for rules, exceptions and factors.
    pub fn totals(&self) -> [(usize, usize); 3] {
        let count = |m: &BTreeMap<Place, bool>| (m.values().filter(|v| **v).count(), m.len());
        [count(&self.rules), count(&self.exceptions), count(&self.factors)]
    }

    /// The report: totals, then what never fired, by file and line.
    pub fn text(&self) -> String {
        let [rules, exceptions, factors] = self.totals();
        let mut out = format!("coverage over {} evaluations:\n", self.evaluations);
        out.push_str(&format!("  rules fired:                 {} of {}\n", rules.0, rules.1));
        out.push_str(&format!(
            "  defeaters that defeated:     {} of {} (exceptions, priorities, rules over defaults)\n",
            exceptions.0, exceptions.1
        ));
        out.push_str(&format!("  assessment factors rated:    {} of {}\n", factors.0, factors.1));
        for (title, map) in [
            ("rules that never fired", &self.rules),
            ("defeaters that never defeated a rule", &self.exceptions),
            ("factors never rated", &self.factors),
        ] {
            let missing: Vec<&Place> = map.iter().filter(|(_, v)| !**v).map(|(p, _)| p).collect();
            if missing.is_empty() {
                continue;
            }
            out.push_str(&format!("{title}:\n"));
            for p in missing {
                out.push_str(&format!("  {} ({}:{})\n", p.what, p.file, p.line));
            }
        }
        out
    }
}

/// The rules a rule can defeat, for the report: `` `a` (default), `b` (exception) ``.
fn defeated_names(program: &Program, r: usize) -> String {
    let mut names = Vec::new();
    for rule in &program.rules {
        for d in rule.defeaters.iter().filter(|d| d.rule.index() == r) {
            names.push(format!("`{}` ({})", rule.name, d.kind.name()));
        }
    }
    names.join(", ")
}

/// The factor names of an assessment's weighted test.
fn assessment_factors(e: &crate::ir::Expr) -> Vec<String> {
    match e {
        crate::ir::Expr::And(items) => items.first().map(assessment_factors).unwrap_or_default(),
        crate::ir::Expr::Assessment(a) => a.factors.iter().map(|f| f.name.clone()).collect(),
        _ => Vec::new(),
    }
}
