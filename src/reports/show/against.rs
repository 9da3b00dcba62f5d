//! Two positions compared by their changes: what each alone changes, what
//! both change (alike or differently), what a base both extend changes, and
//! which conclusions each states.

use std::collections::BTreeSet;

use super::{
    change_item, declared, rules_named, summary, AgainstReport, ChangeItem, ChangePair, Changes, ConclusionRef, Declared, OnlyOne,
    Position, StatedCompared, SHOW_SCHEMA_VERSION,
};
use crate::ir::{ChangeInfo, ChangeKind, ConclusionId, Program, RuleForm, RuleId};

/// What kind of thing a change is made to: changes to the same kind of
/// thing of the same name are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TargetKind {
    Rule,
    Param,
    Standard,
    Burden,
}

fn target_kind(kind: ChangeKind) -> TargetKind {
    match kind {
        ChangeKind::Replace | ChangeKind::Remove | ChangeKind::Add | ChangeKind::Open => TargetKind::Rule,
        ChangeKind::SetParam => TargetKind::Param,
        ChangeKind::SetStandard => TargetKind::Standard,
        ChangeKind::SetBurden => TargetKind::Burden,
    }
}

/// How the changes of two positions differ: the changes each alone makes,
/// the targets both change (alike or differently), the changes of a base
/// both extend, and the conclusions each states or inherits.
pub fn against(a: Position<'_>, b: Position<'_>) -> AgainstReport {
    let key = |c: &ChangeInfo| (c.position.clone(), c.kind, c.target.clone());
    let a_keys: BTreeSet<_> = a.program.changes.iter().map(key).collect();
    let b_keys: BTreeSet<_> = b.program.changes.iter().map(key).collect();
    // A change both programs have, made by the same position: a base both extend.
    let mut shared = Changes::default();
    for change in a.program.changes.iter().filter(|c| b_keys.contains(&key(c))) {
        shared.push(change_item(a, change));
    }
    let own = |p: Position<'_>, others: &BTreeSet<(String, ChangeKind, String)>| -> Vec<ChangeItem> {
        p.program.changes.iter().filter(|c| !others.contains(&key(c))).map(|c| change_item(p, c)).collect()
    };
    let (mine, theirs) = (own(a, &b_keys), own(b, &a_keys));
    let mut only_a = OnlyOne { declared: declared_only(a, b), ..OnlyOne::default() };
    let mut only_b = OnlyOne { declared: declared_only(b, a), ..OnlyOne::default() };
    let (mut differently, mut alike) = (Vec::new(), Vec::new());
    let mut paired: BTreeSet<(TargetKind, String)> = BTreeSet::new();
    for item in &mine {
        let k = (target_kind(item.kind), item.target.clone());
        let ours: Vec<ChangeItem> = mine.iter().filter(|i| (target_kind(i.kind), &i.target) == (k.0, &k.1)).cloned().collect();
        let others: Vec<ChangeItem> = theirs.iter().filter(|i| (target_kind(i.kind), &i.target) == (k.0, &k.1)).cloned().collect();
        if others.is_empty() {
            only_a.changes.push(item.clone());
            continue;
        }
        if !paired.insert(k.clone()) {
            continue;
        }
        let pair = ChangePair { target: k.1.clone(), a: ours, b: others };
        if made_alike(a, b, &pair) {
            alike.push(pair);
        } else {
            differently.push(pair);
        }
    }
    for item in theirs {
        if !paired.contains(&(target_kind(item.kind), item.target.clone())) {
            only_b.changes.push(item);
        }
    }
    AgainstReport {
        schema_version: SHOW_SCHEMA_VERSION,
        a: summary(a.program),
        b: summary(b.program),
        as_of: a.program.as_of.clone(),
        only_a,
        only_b,
        differently,
        alike,
        shared,
        conclusions: stated_compared(a.program, b.program),
    }
}

/// Whether the two sides of a pair make the same changes: the same kinds,
/// and, for a rule replaced or added, the same rules (values, conditions,
/// defeaters; citations and reading marks aside); for a setting, the same
/// value.
fn made_alike(a: Position<'_>, b: Position<'_>, pair: &ChangePair) -> bool {
    pair.a.len() == pair.b.len()
        && pair.a.iter().zip(&pair.b).all(|(x, y)| {
            x.kind == y.kind
                && match x.kind {
                    ChangeKind::Remove | ChangeKind::Open => true,
                    ChangeKind::Replace | ChangeKind::Add => {
                        same_rules(a.program, &rules_named(a.program, &x.target), b.program, &rules_named(b.program, &y.target))
                    }
                    ChangeKind::SetParam => x.param.as_ref().map(|p| &p.to) == y.param.as_ref().map(|p| &p.to),
                    ChangeKind::SetStandard | ChangeKind::SetBurden => x.proof.as_ref().map(|p| &p.to) == y.proof.as_ref().map(|p| &p.to),
                }
        })
}

/// Whether two lists of rules of two programs say the same, rule by rule.
fn same_rules(pa: &Program, ra: &[RuleId], pb: &Program, rb: &[RuleId]) -> bool {
    let defeaters = |p: &Program, r: RuleId| {
        let mut names: Vec<(String, crate::ir::DefeatKind)> =
            p.rules[r].defeaters.iter().map(|d| (p.rules[d.rule].name.clone(), d.kind)).collect();
        names.sort();
        names
    };
    ra.len() == rb.len()
        && ra.iter().zip(rb).all(|(&x, &y)| {
            let (rx, ry) = (&pa.rules[x], &pb.rules[y]);
            let form = match (&rx.form, &ry.form) {
                (RuleForm::Breach { .. }, RuleForm::Breach { .. }) => true,
                (f, g) => f == g,
            };
            form && rx.is_default == ry.is_default
                && pa.conclusions[rx.conclusion].name == pb.conclusions[ry.conclusion].name
                && pa.same_expr(&rx.value, pb, &ry.value)
                && pa.same_expr(&rx.condition, pb, &ry.condition)
                && defeaters(pa, x) == defeaters(pb, y)
        })
}

/// The conclusions both programs have, by whether each states them.
fn stated_compared(a: &Program, b: &Program) -> StatedCompared {
    let mut out = StatedCompared::default();
    for (i, c) in a.conclusions.iter().enumerate() {
        let Some(d) = b.conclusion_named(&c.name) else { continue };
        let r = ConclusionRef { name: c.name.clone(), description: c.description.clone() };
        match (a.stated(ConclusionId::new(i)) == Some(true), b.stated(d) == Some(true)) {
            (true, true) => out.both.push(r),
            (true, false) => out.a_only.push(r),
            (false, true) => out.b_only.push(r),
            (false, false) => out.neither.push(r),
        }
    }
    out
}

/// What `one` declares that `other` lacks.
fn declared_only(one: Position<'_>, other: Position<'_>) -> Declared {
    let mut d = declared(one);
    d.params.retain(|p| !other.program.params.iter().any(|q| q.name == p.name));
    d.conclusions.retain(|c| other.program.conclusion_named(&c.name).is_none());
    d
}
