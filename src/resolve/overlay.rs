//! Positions as overlays: `replace`, `remove` and `set` applied to the base.
//!
//! Modules are declared in dependency order, so when a position's overlay is
//! applied, its base (the standard library, or the positions it extends) is
//! already declared. Every change is recorded in [`Resolved::changes`] with
//! its citations, and must cite a source.

use super::tables::{lookup_party, uncited};
use super::*;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;

/// Applies one `replace`, `remove` or `set` of the position declared by `module`.
pub(super) fn apply(resolved: &mut Resolved, item: ast::Item, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    let span = match &item {
        ast::Item::Replace(r) => r.span,
        ast::Item::Remove(r) | ast::Item::OpenRule(r) => r.span,
        ast::Item::Set(s) => s.span,
        _ => return,
    };
    // A base that did not parse is incomplete: its missing rules would only
    // cascade into errors here.
    if diagnostics.iter().any(|d| d.code == &codes::SYNTAX) {
        return;
    }
    if resolved.position_of(module).is_none() {
        let keyword = match &item {
            ast::Item::Replace(_) => "replace",
            ast::Item::Remove(_) => "remove",
            ast::Item::OpenRule(_) => "open rule",
            _ => "set",
        };
        let name = &resolved.modules[module].name;
        diagnostics.push(
            Diagnostic::new(
                &codes::OVERLAY_OUTSIDE_POSITION,
                span,
                format!("`{keyword}` is written in the module `{name}`, which is not a position"),
            )
            .label("only positions change their base")
            .help(format!(
                "begin the file with `position {name} extends stdlib` (with `cites \"...\"`), or declare the rule (or the `open` question) directly"
            )),
        );
        return;
    }
    match item {
        ast::Item::Replace(r) => replace(resolved, *r.with, module, diagnostics),
        ast::Item::Remove(r) => remove(resolved, r, module, diagnostics),
        ast::Item::OpenRule(r) => open(resolved, r, module, diagnostics),
        ast::Item::Set(s) => set(resolved, s, module, diagnostics),
        _ => {}
    }
}

/// The rules a rule-like declaration of the base stands for, and its keyword.
fn declaration(resolved: &Resolved, name: &str) -> Option<(&'static str, Vec<RuleId>)> {
    if let Some(&id) = resolved.rule_names.get(name) {
        let form = &resolved.rules[id].form;
        if !matches!(form, RuleForm::Tier { .. } | RuleForm::Breach { .. }) {
            return Some((form.keyword(), vec![id]));
        }
    }
    let tiers: Vec<RuleId> = resolved
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(&r.form, RuleForm::Tier { tiers, .. } if tiers == name))
        .map(|(i, _)| RuleId::new(i))
        .collect();
    (!tiers.is_empty()).then_some(("tiers", tiers))
}

/// The names of every rule, assessment and tiers declaration, for suggestions.
fn declaration_names(resolved: &Resolved) -> Vec<String> {
    let mut names: Vec<String> = resolved
        .rules
        .iter()
        .filter_map(|r| match &r.form {
            RuleForm::Tier { tiers, .. } => Some(tiers.clone()),
            RuleForm::Breach { .. } => None,
            _ => Some(r.decl.name.name.clone()),
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn no_target(resolved: &Resolved, what: &str, name: &ast::Ident, replacing: bool) -> Diagnostic {
    let names = declaration_names(resolved);
    let help = suggest::help_for(&name.name, names.iter().map(String::as_str), || {
        if replacing {
            format!("the base has no {what} of this name; to add one, declare it without `replace`")
        } else {
            format!("the base has no {what} of this name, so there is nothing to remove")
        }
    });
    Diagnostic::new(&codes::UNKNOWN_OVERLAY_TARGET, name.span, format!("there is no {what} `{}` in the base to change", name.name))
        .label("not in the base")
        .help(help)
}

fn record(
    resolved: &mut Resolved,
    module: ModuleId,
    kind: ChangeKind,
    target: &str,
    (cites, reading, statement): (&[ast::Citation], &Option<ast::Reading>, &Option<ast::Ident>),
    span: Span,
) {
    let cites = cites.iter().map(|c| c.text.clone()).collect();
    let statement = resolved.statement_named(module, statement.as_ref());
    resolved.changes.push(Change {
        module,
        kind,
        target: target.to_string(),
        cites,
        span,
        conclusions: Vec::new(),
        reading: reading.clone(),
        statement,
    });
}

/// Removes rules from the table, keeping the rule namespace in step.
fn drop_rules(resolved: &mut Resolved, ids: &[RuleId], module: ModuleId) {
    for &id in ids.iter().rev() {
        let rule = resolved.rules.remove(id.index());
        resolved.removed_rules.insert(rule.decl.name.name, module);
    }
    resolved.rule_names = resolved.rules.iter().enumerate().map(|(i, r)| (r.decl.name.name.clone(), RuleId::new(i))).collect();
}

fn replace(resolved: &mut Resolved, with: ast::Item, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    let (keyword, decl) = match &with {
        ast::Item::Rule(r) => ("rule", r),
        ast::Item::Assessment(a) => ("assessment", &a.rule),
        ast::Item::Tiers(t) => ("tiers", &t.rule),
        ast::Item::Open(r) => ("open", r),
        _ => return,
    };
    let name = decl.name.clone();
    let Some((found, ids)) = declaration(resolved, &name.name) else {
        diagnostics.push(no_target(resolved, keyword, &name, true));
        return;
    };
    if found != keyword {
        diagnostics.push(
            Diagnostic::new(&codes::OVERLAY_KIND, name.span, format!("`{}` is declared as `{found}`, not as `{keyword}`", name.name))
                .label(format!("replaced by a `{keyword}`"))
                .help(format!("write `replace {found} {} ...`, or remove it and declare the {keyword} under a new name", name.name)),
        );
        return;
    }
    let old = &resolved.rules[ids[0].index()].decl;
    if old.conclusion.name != decl.conclusion.name {
        diagnostics.push(
            Diagnostic::new(
                &codes::OVERLAY_KIND,
                decl.conclusion.span,
                format!(
                    "the replacement of `{}` concludes `{}`, but the replaced {keyword} concludes `{}`",
                    name.name, decl.conclusion.name, old.conclusion.name
                ),
            )
            .label("another conclusion")
            .also(old.conclusion.span, "the replaced declaration concludes this")
            .help("a replacement concludes the same conclusion; to draw another conclusion, add a new rule"),
        );
        return;
    }
    if decl.cites.is_empty() {
        diagnostics.push(uncited(name.span, &format!("the replacement of `{}`", name.name)));
    }
    record(resolved, module, ChangeKind::Replace, &name.name, (&decl.cites, &decl.reading, &decl.statement), name.span);
    match with {
        ast::Item::Rule(r) => {
            let rule = &mut resolved.rules[ids[0].index()];
            rule.decl = r;
            rule.module = module;
            rule.form = RuleForm::Plain;
        }
        ast::Item::Open(r) => {
            let rule = &mut resolved.rules[ids[0].index()];
            rule.decl = r;
            rule.module = module;
            rule.form = RuleForm::Open;
        }
        ast::Item::Assessment(a) => {
            let rule = &mut resolved.rules[ids[0].index()];
            rule.decl = a.rule;
            rule.module = module;
            rule.form = RuleForm::Assessment(AssessmentParts {
                factors: a.factors,
                aggregate: a.aggregate,
                strict: a.strict,
                threshold: a.threshold,
            });
        }
        ast::Item::Tiers(t) => {
            drop_rules(resolved, &ids, module);
            // The new tiers take the old names again: they are not removed.
            resolved.removed_rules.retain(|n, _| !n.starts_with(&format!("{}.", name.name)));
            super::norms::declare_tiers(resolved, t, module, diagnostics);
        }
        _ => {}
    }
}

/// The rules a `remove` or `open` names, of the kind it says, recorded as a
/// change with the conclusions they conclude; `None` (and a diagnostic)
/// when the base has no such declaration. `keyword` is the change's word.
fn named_change(
    resolved: &mut Resolved,
    r: &ast::RemoveDecl,
    (keyword, kind): (&str, ChangeKind),
    module: ModuleId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<RuleId>> {
    let Some((found, ids)) = declaration(resolved, &r.name.name) else {
        diagnostics.push(no_target(resolved, &r.kind, &r.name, false));
        return None;
    };
    if found != r.kind {
        let help = if kind == ChangeKind::Open && found == "open" {
            format!("`{}` is already an open question", r.name.name)
        } else {
            format!("write `{keyword} {found} {}`", r.name.name)
        };
        diagnostics.push(
            Diagnostic::new(&codes::OVERLAY_KIND, r.name.span, format!("`{}` is declared as `{found}`, not as `{}`", r.name.name, r.kind))
                .label("another kind of declaration")
                .help(help),
        );
        return None;
    }
    if r.cites.is_empty() {
        let what =
            if kind == ChangeKind::Open { format!("leaving `{}` open", r.name.name) } else { format!("the removal of `{}`", r.name.name) };
        diagnostics.push(uncited(r.name.span, &what));
    }
    record(resolved, module, kind, &r.name.name, (&r.cites, &r.reading, &r.statement), r.name.span);
    let mut conclusions: Vec<String> = ids.iter().map(|&id| resolved.rules[id].decl.conclusion.name.clone()).collect();
    conclusions.dedup();
    if let Some(change) = resolved.changes.last_mut() {
        change.conclusions = conclusions;
    }
    Some(ids)
}

fn remove(resolved: &mut Resolved, r: ast::RemoveDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(ids) = named_change(resolved, &r, ("remove", ChangeKind::Remove), module, diagnostics) {
        drop_rules(resolved, &ids, module);
    }
}

/// `open rule NAME`: whether the rule (each tier of a `tiers`) applies is
/// left open; the checker adds the open question to its conditions.
fn open(resolved: &mut Resolved, r: ast::RemoveDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(ids) = named_change(resolved, &r, ("open", ChangeKind::Open), module, diagnostics) {
        let change = resolved.changes.len() - 1;
        for id in ids {
            resolved.rules[id].opened = Some(change);
        }
    }
}

fn set(resolved: &mut Resolved, s: ast::SetDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    let (kind, target) = match &s.target {
        ast::SetTarget::Param(n, _) => (ChangeKind::SetParam, n.clone()),
        ast::SetTarget::Standard(n, _) => (ChangeKind::SetStandard, n.clone()),
        ast::SetTarget::Burden(n, _, _) => (ChangeKind::SetBurden, n.clone()),
    };
    let what = match kind {
        ChangeKind::SetParam => "parameter",
        _ => "conclusion",
    };
    let found = resolved.value_names.get(&target.name).copied();
    let id = match (kind, found) {
        (ChangeKind::SetParam, Some((ValueName::Param(id), _))) => id.index(),
        (ChangeKind::SetStandard | ChangeKind::SetBurden, Some((ValueName::Conclusion(id), _))) => id.index(),
        _ => {
            let mut names: Vec<&str> = resolved
                .value_names
                .iter()
                .filter(|(_, (v, _))| {
                    matches!(
                        (kind, v),
                        (ChangeKind::SetParam, ValueName::Param(_))
                            | (ChangeKind::SetStandard | ChangeKind::SetBurden, ValueName::Conclusion(_))
                    )
                })
                .map(|(n, _)| n.as_str())
                .collect();
            names.sort_unstable();
            let help = suggest::help_for(&target.name, names, || format!("the base has no {what} of this name"));
            diagnostics.push(
                Diagnostic::new(
                    &codes::UNKNOWN_OVERLAY_TARGET,
                    target.span,
                    format!("there is no {what} `{}` in the base to set", target.name),
                )
                .label(format!("not a {what} of the base"))
                .help(help),
            );
            return;
        }
    };
    if s.cites.is_empty() {
        diagnostics.push(uncited(target.span, &format!("setting `{}`", target.name)));
    }
    record(resolved, module, kind, &target.name, (&s.cites, &s.reading, &s.statement), target.span);
    let cites: Vec<String> = s.cites.iter().map(|c| c.text.clone()).collect();
    match s.target {
        ast::SetTarget::Param(_, value) => resolved.params[id].1 = value,
        ast::SetTarget::Standard(_, value) => {
            resolved.conclusions[id].standard = Some(ProofSetting { span: value.span, value, cites, module });
        }
        ast::SetTarget::Burden(_, party, standard) => {
            if let Some(p) = lookup_party(resolved, &party, diagnostics) {
                resolved.conclusions[id].burden = Some(ProofSetting { value: p, span: party.span, cites: cites.clone(), module });
            }
            // `to STANDARD`: the standard the bearer must meet, set with it.
            if let Some(value) = standard {
                resolved.conclusions[id].standard = Some(ProofSetting { span: value.span, value, cites, module });
            }
        }
    }
}
