//! What nothing reads: facts (W0903) and parameters (W0904) that no rule
//! reads, conclusions that no rule gives (W0905), and what a position's
//! changes leave unread that its base reads.
//!
//! A fact is read when a rule (its conditions or value, an assessment's
//! factors, a quantifier's list or filter) reads it; a record fact when a
//! rule reads any of its fields (its fields are not linted one by one: a
//! record describes one thing, given whole). A parameter is read when a
//! rule or a conclusion's standard of proof reads it. A declaration is
//! unread when no program of the run that has it reads it, counting the
//! rules of the modules that import its module, but not those of the
//! positions that extend it (a base is read as it stands): so a module is
//! best linted with the files that import it, and the standard library's
//! findings are the same whether or not positions are linted with it. A
//! module of the standard library is the same module from whichever file it
//! is read.
//!
//! Conclusions are not linted for being unread: `eval`, `explain`,
//! `compare` and `batch` show every conclusion, so one that no rule reads
//! is a result, not dead code. What can be wrong with a conclusion is that
//! no rule gives it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{allow_help, drops_rules, rules_named, Sink, Unit};
use crate::check::{Checked, FactLayout};
use crate::diagnostics::{codes, Diagnostic};
use crate::ir::{ChangeKind, Expr, Program};
use crate::resolve::{Change, FactId, ModuleId};
use crate::source::Span;

/// The slots of a fact.
fn fact_slots(checked: &Checked, f: FactId) -> Range<usize> {
    match &checked.layout.facts[f] {
        FactLayout::Slot(s) => s.index()..s.index() + 1,
        FactLayout::Record { record, first } => first.index()..first.index() + checked.layout.records[record.index()].leaves.len(),
        FactLayout::Error => 0..0,
    }
}

/// What a program reads: each slot and parameter, read or not.
struct Reads {
    slots: Vec<bool>,
    params: Vec<bool>,
}

impl Reads {
    fn of(program: &Program) -> Reads {
        let mut slots = vec![false; program.slots.len()];
        let mut params = vec![false; program.params.len()];
        for rule in &program.rules {
            for &s in &rule.reads.slots {
                slots[s.index()] = true;
            }
            for &p in &rule.reads.params {
                params[p.index()] = true;
            }
        }
        for c in &program.conclusions {
            if let Some(Expr::Param(p)) = c.standard.as_ref().map(|s| &s.value) {
                params[p.index()] = true;
            }
        }
        Reads { slots, params }
    }

    fn fact(&self, checked: &Checked, f: FactId) -> bool {
        fact_slots(checked, f).any(|s| self.slots.get(s).copied().unwrap_or(false))
    }
}

/// What the rules of a unit read and give, each declaration counting only
/// the rules of its own module and of modules that are not positions: a
/// base is read as it stands, not through the positions that extend it.
struct Counted {
    facts: Vec<bool>,
    params: Vec<bool>,
    conclusions: Vec<bool>,
}

impl Counted {
    fn of(unit: &Unit) -> Counted {
        let resolved = &unit.checked.resolved;
        let counts = |by: ModuleId, of: ModuleId| by == of || resolved.position_of(by).is_none();
        let owners = slot_owners(&unit.checked);
        let mut facts = vec![false; resolved.facts.len()];
        let mut params = vec![false; resolved.params.len()];
        let mut conclusions = vec![false; resolved.conclusions.len()];
        for (r, rule) in unit.program.rules.iter().enumerate() {
            let by = resolved.rules[r].module;
            for f in rule.reads.slots.iter().filter_map(|s| owners.get(s.index()).copied().flatten()) {
                facts[f.index()] |= counts(by, resolved.facts[f].module);
            }
            for &p in &rule.reads.params {
                params[p.index()] |= counts(by, resolved.params[p].0.module);
            }
            conclusions[rule.conclusion.index()] |= counts(by, resolved.conclusions[rule.conclusion].def.module);
        }
        for (c, conclusion) in resolved.conclusions.iter().enumerate() {
            let standard = unit.program.conclusions[c].standard.as_ref().map(|s| &s.value);
            if let (Some(setting), Some(Expr::Param(p))) = (&conclusion.standard, standard) {
                params[p.index()] |= counts(setting.module, resolved.params[p].0.module);
            }
        }
        Counted { facts, params, conclusions }
    }
}

/// A declaration seen in the units of a run: whether any reads (or gives)
/// it, and where it is declared (a unit and a span of its sources), in each
/// unit that has it.
#[derive(Default)]
struct Seen {
    used: bool,
    places: Vec<(usize, Span)>,
}

/// Records a declaration of `unit`, declared at `span` in `module`. A
/// declaration is the same in every unit of the run that reads the same
/// file; a standard library module is the same by its name, from whichever
/// file it is read (a directory's module replaces the embedded one of its
/// name, so `opinio lint stdlib-rules` reads each file's imports from the
/// embedded library).
fn see(seen: &mut BTreeMap<(String, String), Seen>, (i, unit): (usize, &Unit), (module, name): (ModuleId, &str), span: Span, used: bool) {
    let module = &unit.checked.resolved.modules[module].name;
    let place = if module.starts_with(crate::stdlib::PREFIX) { module.clone() } else { unit.sources.get(span.file).name.clone() };
    let entry = seen.entry((place, name.to_string())).or_default();
    entry.used |= used;
    entry.places.push((i, span));
}

/// W0903, W0904, W0905: facts and parameters no program of the run reads,
/// conclusions no program gives, at their declarations.
pub(super) fn unread_declarations(units: &[Unit], sink: &mut Sink) {
    let (mut facts, mut params, mut conclusions) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (i, unit) in units.iter().enumerate() {
        let counted = Counted::of(unit);
        let resolved = &unit.checked.resolved;
        for (f, def) in resolved.facts.iter().enumerate() {
            see(&mut facts, (i, unit), (def.module, &def.name.name), def.name.span, counted.facts[f]);
        }
        for (p, (def, _)) in resolved.params.iter().enumerate() {
            see(&mut params, (i, unit), (def.module, &def.name.name), def.name.span, counted.params[p]);
        }
        for (c, def) in resolved.conclusions.iter().enumerate() {
            see(&mut conclusions, (i, unit), (def.def.module, &def.def.name.name), def.def.name.span, counted.conclusions[c]);
        }
    }
    let mut report = |seen: BTreeMap<(String, String), Seen>, make: &dyn Fn(&str, Span) -> Diagnostic| {
        for ((_, name), s) in seen.into_iter().filter(|(_, s)| !s.used) {
            // Where a file linted declares it, if one does.
            let linted = s.places.iter().find(|(u, span)| sink.is_linted(&units[*u].sources, *span));
            if let Some(&(u, span)) = linted {
                let span = sink.span(&units[u].sources, span);
                sink.push(make(&name, span));
            }
        }
    };
    report(facts, &|name, span| {
        Diagnostic::new(&codes::UNREAD_FACT, span, format!("no rule reads the fact `{name}`")).label("read by no rule").help(format!(
            "no conclusion depends on it, whatever an incident gives: read it in a rule or remove it; if it is meant \
                 (recorded for the reader, or for positions to read), answer it with {}",
            allow_help(&codes::UNREAD_FACT)
        ))
    });
    report(params, &|name, span| {
        Diagnostic::new(&codes::UNREAD_PARAMETER, span, format!("no rule reads the parameter `{name}`"))
            .label("read by no rule or standard of proof")
            .help(format!(
                "its value changes nothing: read it in a rule or remove it; if it is meant (for positions to read), answer it with {}",
                allow_help(&codes::UNREAD_PARAMETER)
            ))
    });
    report(conclusions, &|name, span| {
        Diagnostic::new(&codes::CONCLUSION_WITHOUT_RULE, span, format!("no rule gives the conclusion `{name}`"))
            .label("concluded by no rule")
            .help(format!(
                "it is never concluded: add a rule; if it is meant (for positions to give), answer it with {}",
                allow_help(&codes::CONCLUSION_WITHOUT_RULE)
            ))
    });
}

/// For each slot of a program, the fact it belongs to.
fn slot_owners(checked: &Checked) -> Vec<Option<FactId>> {
    let mut owners = vec![None; checked.layout.slots.len()];
    for f in 0..checked.layout.facts.len() {
        let f = FactId::new(f);
        for s in fact_slots(checked, f) {
            if let Some(o) = owners.get_mut(s) {
                *o = Some(f);
            }
        }
    }
    owners
}

/// What a change of the position takes away: the facts and parameters the
/// base's rules it replaces or removes read (by name).
struct Dropped<'a> {
    change: &'a Change,
    facts: BTreeSet<String>,
    params: BTreeSet<String>,
}

/// The label of a change that stopped reading `what`.
fn dropped_label(change: &Change, what: &str) -> String {
    match change.kind {
        ChangeKind::Replace => format!("the base's declaration read `{what}`; its replacement does not"),
        _ => format!("removes a declaration that read `{what}`"),
    }
}

/// W0903, W0904: what the base of a position reads and no rule of the
/// position does, at the changes that took the reading rules away; and a
/// parameter the position sets though no rule of it reads it.
pub(super) fn dropped_reads(unit: &Unit, sink: &mut Sink) {
    let Some(base) = &unit.base else { return };
    let (mine, theirs) = (Reads::of(&unit.program), Reads::of(&base.program));
    let owners = slot_owners(&base.checked);
    let base_resolved = &base.checked.resolved;
    let dropped: Vec<Dropped<'_>> = unit
        .own_changes()
        .filter(|c| drops_rules(c.kind))
        .map(|change| {
            let (mut facts, mut params) = (BTreeSet::new(), BTreeSet::new());
            for r in rules_named(&base.checked, &change.target) {
                let reads = &base.program.rules[r].reads;
                facts.extend(reads.slots.iter().filter_map(|s| owners[s.index()]).map(|f| base_resolved.facts[f].name.name.clone()));
                params.extend(reads.params.iter().map(|&p| base.program.params[p].name.clone()));
            }
            Dropped { change, facts, params }
        })
        .collect();
    let resolved = &unit.checked.resolved;
    for (f, def) in resolved.facts.iter().enumerate() {
        let name = &def.name.name;
        if mine.fact(&unit.checked, FactId::new(f)) {
            continue;
        }
        let read_by_base =
            base_resolved.facts.iter().position(|b| &b.name.name == name).is_some_and(|b| theirs.fact(&base.checked, FactId::new(b)));
        let by: Vec<&Change> = dropped.iter().filter(|d| d.facts.contains(name)).map(|d| d.change).collect();
        let Some((last, rest)) = by.split_last().filter(|_| read_by_base) else { continue };
        let span = sink.span(&unit.sources, last.span);
        let mut d =
            Diagnostic::new(&codes::UNREAD_FACT, span, format!("no rule of this position reads the fact `{name}`, which its base reads"))
                .label(dropped_label(last, name));
        for c in rest {
            let s = sink.span(&unit.sources, c.span);
            d = d.also(s, dropped_label(c, name));
        }
        sink.push(d.help(format!(
            "an incident may still give `{name}`, but under this position no conclusion depends on it; if that is meant, \
             answer it with {}",
            allow_help(&codes::UNREAD_FACT)
        )));
    }
    for (p, (def, _)) in resolved.params.iter().enumerate() {
        let name = &def.name.name;
        if mine.params[p] {
            continue;
        }
        let sets: Vec<&Change> = unit.own_changes().filter(|c| c.kind == ChangeKind::SetParam && &c.target == name).collect();
        let read_by_base = base.program.params.iter().position(|b| &b.name == name).is_some_and(|b| theirs.params[b]);
        let by: Vec<&Change> =
            if read_by_base { dropped.iter().filter(|d| d.params.contains(name)).map(|d| d.change).collect() } else { Vec::new() };
        let (primary, message) = match (sets.first(), by.last()) {
            (Some(set), _) => (*set, format!("this `set` gives the parameter `{name}` a value, but no rule of this position reads it")),
            (None, Some(c)) => (*c, format!("no rule of this position reads the parameter `{name}`, which its base reads")),
            (None, None) => continue,
        };
        let span = sink.span(&unit.sources, primary.span);
        let label =
            if primary.kind == ChangeKind::SetParam { "sets a parameter no rule reads".to_string() } else { dropped_label(primary, name) };
        let mut d = Diagnostic::new(&codes::UNREAD_PARAMETER, span, message).label(label);
        for c in by.iter().filter(|c| !std::ptr::eq(**c, primary)) {
            let s = sink.span(&unit.sources, c.span);
            d = d.also(s, dropped_label(c, name));
        }
        sink.push(d.help(format!(
            "under this position the parameter's value changes nothing; if that is meant, answer it with {}",
            allow_help(&codes::UNREAD_PARAMETER)
        )));
    }
}
