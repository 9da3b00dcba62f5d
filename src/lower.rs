//! Phase 4, lower: [`Checked`] -> [`ir::Program`].
//!
//! In: a checked program. Out: the IR the evaluator runs: flat tables indexed
//! by slot and id, each conclusion's rules ordered so that a rule's
//! defeaters come before it, and what each rule reads (for explanations).
//! Guarantees: the IR's invariants (see [`ir::Program`]) hold.

use std::collections::{BTreeSet, HashMap};

use crate::check::{defeat_graph_of, Checked, FactLayout};
use crate::ir::{self, ChangeKind, ConclusionId, ConclusionInfo, Defeater, EnumInfo, Expr, ParamId, ParamInfo, Reads, RuleInfo, SlotId};
use crate::resolve::{RuleForm, RuleId};

/// Lowers a checked program to IR.
pub fn lower(checked: &Checked) -> ir::Program {
    let resolved = &checked.resolved;
    let defeaters = defeat_graph_of(checked);
    let mut rules_by_conclusion: Vec<Vec<RuleId>> = vec![Vec::new(); resolved.conclusions.len()];
    for (i, r) in checked.rules.iter().enumerate() {
        if let Some(c) = r.conclusion {
            rules_by_conclusion[c].push(RuleId::new(i));
        }
    }
    let conclusions = resolved
        .conclusions
        .iter()
        .zip(rules_by_conclusion)
        .zip(&checked.standards)
        .map(|((c, rules), standard)| ConclusionInfo {
            name: c.def.name.name.clone(),
            ty: c.def.ty,
            description: c.def.description.clone(),
            rules: defeaters_first(&rules, &defeaters),
            origin: resolved.origin(c.def.module),
            burden: c.burden.as_ref().map(|b| ir::ProofRequirement {
                value: b.value,
                cites: b.cites.clone(),
                origin: resolved.origin(b.module),
            }),
            standard: c.standard.as_ref().zip(standard.as_ref()).map(|(s, e)| ir::ProofRequirement {
                value: e.clone(),
                cites: s.cites.clone(),
                origin: resolved.origin(s.module),
            }),
            deontic: c.deontic.as_ref().map(|d| ir::DeonticInfo {
                kind: match d.kind {
                    crate::syntax::ast::DeonticKind::Obligation => ir::DeonticKind::Obligation,
                    crate::syntax::ast::DeonticKind::Permission => ir::DeonticKind::Permission,
                    crate::syntax::ast::DeonticKind::Prohibition => ir::DeonticKind::Prohibition,
                },
                bearer: d.bearer,
                breach: d.breach,
            }),
            breach_of: c.breach_of,
            stated_by: Vec::new(),
        })
        .collect();
    let rules = checked
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let def = &resolved.rules[i];
            RuleInfo {
                name: def.decl.name.name.clone(),
                module: resolved.modules[def.module].name.clone(),
                conclusion: r.conclusion.expect("checked: every rule has a conclusion"),
                is_default: def.decl.is_default,
                cites: def.decl.cites.iter().map(|c| c.text.clone()).collect(),
                value: r.value.clone(),
                condition: r.condition.clone(),
                defeaters: defeaters[i].iter().map(|&(rule, kind)| Defeater { rule, kind }).collect(),
                reads: reads(&[&r.condition, &r.value]),
                origin: resolved.origin(def.module),
                form: match &def.form {
                    RuleForm::Plain => ir::RuleForm::Rule,
                    RuleForm::Assessment(_) => ir::RuleForm::Assessment,
                    RuleForm::Tier { tiers, index } => ir::RuleForm::Tier { tiers: tiers.clone(), index: *index },
                    RuleForm::Breach { norm } => ir::RuleForm::Breach { norm: *norm },
                    RuleForm::Open => ir::RuleForm::Open,
                },
                reading: def.decl.reading.as_ref().map(reading),
            }
        })
        .collect();
    let mut program = ir::Program {
        name: resolved.modules.last().map(|m| m.name.clone()).unwrap_or_default(),
        enums: resolved
            .enums
            .iter()
            .map(|e| EnumInfo { name: e.name.name.clone(), values: e.values.iter().map(|v| v.name.clone()).collect() })
            .collect(),
        records: checked.layout.records.clone(),
        facts: resolved
            .facts
            .iter()
            .zip(&checked.layout.facts)
            .map(|(f, layout)| ir::FactInfo {
                name: f.name.name.clone(),
                ty: f.ty,
                slot: match layout {
                    FactLayout::Slot(s) => *s,
                    FactLayout::Record { first, .. } => *first,
                    FactLayout::Error => SlotId(0),
                },
                description: f.description.clone(),
            })
            .collect(),
        slots: checked.layout.slots.clone(),
        params: resolved
            .params
            .iter()
            .zip(&checked.params)
            .map(|((def, _), value)| ParamInfo {
                name: def.name.name.clone(),
                ty: def.ty,
                value: value.clone(),
                description: def.description.clone(),
            })
            .collect(),
        conclusions,
        rules,
        strata: checked.strata.clone(),
        parties: resolved.parties.iter().map(|p| ir::PartyInfo { name: p.name.name.clone(), description: p.description.clone() }).collect(),
        positions: resolved
            .positions
            .iter()
            .map(|p| ir::PositionInfo { name: p.name.clone(), title: p.title.clone(), extends: p.extends.clone(), cites: p.cites.clone() })
            .collect(),
        changes: resolved
            .changes
            .iter()
            .map(|c| ir::ChangeInfo {
                position: resolved.origin(c.module),
                kind: c.kind,
                target: c.target.clone(),
                cites: c.cites.clone(),
                conclusions: c.conclusions.clone(),
                reading: c.reading.as_ref().map(reading),
                statement: c.statement.map(|s| s as u32),
            })
            .collect(),
        statements: resolved
            .statements
            .iter()
            .map(|s| ir::StatementInfo {
                position: resolved.origin(s.module),
                name: s.name.name.clone(),
                description: s.description.clone(),
                date: s.date.clone(),
                cites: s.cites.clone(),
                applies: s.applies,
            })
            .collect(),
        as_of: resolved.as_of.map(crate::value::civil_from_days),
        questions: checked
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let def = &resolved.rules[i];
                let _ = r.question?;
                let conclusion = r.conclusion?;
                Some(match def.opened {
                    // A position leaves open whether a rule of its base applies.
                    Some(change) => {
                        let change = &resolved.changes[change];
                        ir::QuestionInfo {
                            name: def.decl.name.name.clone(),
                            kind: ir::QuestionKind::Rule,
                            conclusion,
                            origin: resolved.origin(change.module),
                            cites: change.cites.clone(),
                            reading: change.reading.as_ref().map(reading),
                        }
                    }
                    None => ir::QuestionInfo {
                        name: def.decl.name.name.clone(),
                        kind: ir::QuestionKind::Conclusion,
                        conclusion,
                        origin: resolved.origin(def.module),
                        cites: def.decl.cites.iter().map(|c| c.text.clone()).collect(),
                        reading: def.decl.reading.as_ref().map(reading),
                    },
                })
            })
            .collect(),
    };
    provenance(&mut program);
    program
}

fn reading(r: &crate::syntax::ast::Reading) -> ir::Reading {
    ir::Reading { kind: r.kind, note: r.note.clone() }
}

/// Fills in each conclusion's `stated_by`: the changes that bear on it
/// directly, and those of every conclusion its rules read, in the order of
/// evaluation (a recursive group shares one set).
fn provenance(program: &mut ir::Program) {
    if program.changes.is_empty() {
        return;
    }
    let n = program.conclusions.len();
    let mut direct: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    let mut by_rule: HashMap<&str, Vec<ConclusionId>> = HashMap::new();
    for rule in &program.rules {
        by_rule.entry(rule.name.as_str()).or_default().push(rule.conclusion);
        if let ir::RuleForm::Tier { tiers, .. } = &rule.form {
            by_rule.entry(tiers.as_str()).or_default().push(rule.conclusion);
        }
    }
    for (i, change) in program.changes.iter().enumerate() {
        let i = i as u32;
        let mut bears = |c: ConclusionId| {
            direct[c].insert(i);
        };
        match change.kind {
            ChangeKind::Replace | ChangeKind::Add => by_rule.get(change.target.as_str()).into_iter().flatten().copied().for_each(bears),
            ChangeKind::Remove | ChangeKind::Open => {
                change.conclusions.iter().filter_map(|name| program.conclusion_named(name)).for_each(bears)
            }
            ChangeKind::SetStandard | ChangeKind::SetBurden => program.conclusion_named(&change.target).into_iter().for_each(bears),
            ChangeKind::SetParam => {
                let Some(p) = program.params.iter().position(|p| p.name == change.target).map(ParamId::new) else { continue };
                for rule in program.rules.iter().filter(|r| r.reads.params.contains(&p)) {
                    bears(rule.conclusion);
                }
                for (c, info) in program.conclusions.iter().enumerate() {
                    if info.standard.as_ref().is_some_and(|s| s.value == Expr::Param(p)) {
                        bears(ConclusionId::new(c));
                    }
                }
            }
        }
    }
    let mut cone: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    for stratum in &program.strata {
        let group: &[ConclusionId] = match stratum {
            ir::Stratum::Single(c) => std::slice::from_ref(c),
            ir::Stratum::Recursive(group) => group,
        };
        let mut set: BTreeSet<u32> = BTreeSet::new();
        for &c in group {
            set.extend(&direct[c]);
            for &r in &program.conclusions[c].rules {
                for &read in &program.rules[r].reads.conclusions {
                    set.extend(&cone[read]);
                }
            }
        }
        for &c in group {
            cone[c].clone_from(&set);
        }
    }
    for (info, set) in program.conclusions.iter_mut().zip(cone) {
        info.stated_by = set.into_iter().collect();
    }
}

/// Orders a conclusion's rules so that every rule comes after its defeaters;
/// otherwise in declaration order. The defeat graph is acyclic (checked).
fn defeaters_first(rules: &[RuleId], defeaters: &[Vec<(RuleId, ir::DefeatKind)>]) -> Vec<RuleId> {
    let mut placed: Vec<RuleId> = Vec::with_capacity(rules.len());
    while placed.len() < rules.len() {
        let before = placed.len();
        for &r in rules {
            if !placed.contains(&r) && defeaters[r].iter().all(|(d, _)| placed.contains(d)) {
                placed.push(r);
            }
        }
        if placed.len() == before {
            // Unreachable for a checked program; keep every rule anyway.
            placed.extend(rules.iter().filter(|r| !placed.contains(r)).copied().collect::<Vec<_>>());
        }
    }
    placed
}

fn reads(exprs: &[&Expr]) -> Reads {
    let (mut slots, mut conclusions, mut params) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    fn walk(e: &Expr, s: &mut BTreeSet<SlotId>, c: &mut BTreeSet<ConclusionId>, p: &mut BTreeSet<ParamId>) {
        match e {
            Expr::Slot(id) => {
                s.insert(*id);
            }
            Expr::Conclusion(id) => {
                c.insert(*id);
            }
            Expr::Param(id) => {
                p.insert(*id);
            }
            Expr::Not(x) | Expr::Neg(x) => walk(x, s, c, p),
            Expr::Proven(x, standard) => {
                walk(x, s, c, p);
                walk(standard, s, c, p);
            }
            Expr::Assessment(a) => {
                for f in &a.factors {
                    walk(&f.rating, s, c, p);
                    walk(&f.weight, s, c, p);
                }
                walk(&a.threshold, s, c, p);
            }
            Expr::And(items) | Expr::Or(items) => {
                for item in items {
                    walk(item, s, c, p);
                }
            }
            Expr::Compare(_, l, r) | Expr::Arith(_, l, r) => {
                walk(l, s, c, p);
                walk(r, s, c, p);
            }
            Expr::Quantifier { list, filter, .. } => {
                s.insert(*list);
                if let Some(f) = filter {
                    walk(f, s, c, p);
                }
            }
            Expr::Const(_) | Expr::Field { .. } | Expr::Open(_) => {}
        }
    }
    for e in exprs {
        walk(e, &mut slots, &mut conclusions, &mut params);
    }
    Reads { slots: slots.into_iter().collect(), conclusions: conclusions.into_iter().collect(), params: params.into_iter().collect() }
}
