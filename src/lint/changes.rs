//! Lints of a position's changes, measured against its base: a `replace`
//! by the same rule (W0901), a `set` to what the base has (W0902), a
//! `remove` that leaves a conclusion without a rule (W0905).

use std::collections::BTreeMap;

use super::same::{same_expr, same_rule, same_value};
use super::{allow_help, rules_named, Base, Sink, Unit};
use crate::diagnostics::{codes, Diagnostic};
use crate::ir::{ChangeKind, Program};
use crate::resolve::Change;

/// W0901: a `replace` whose rules are the base's rules again.
pub(super) fn identical_replacement(unit: &Unit, sink: &mut Sink) {
    let Some(base) = &unit.base else { return };
    for change in unit.own_changes().filter(|c| c.kind == ChangeKind::Replace) {
        let (mine, theirs) = (rules_named(&unit.checked, &change.target), rules_named(&base.checked, &change.target));
        if mine.is_empty() || mine.len() != theirs.len() {
            continue;
        }
        if !mine.iter().zip(&theirs).all(|(&a, &b)| same_rule(unit.side(), a, base.side(), b)) {
            continue;
        }
        let keyword = unit.checked.resolved.rules[mine[0]].form.keyword();
        let span = sink.span(&unit.sources, change.span);
        let theirs_span = sink.span(&base.sources, base.checked.resolved.rules[theirs[0]].decl.name.span);
        sink.push(
            Diagnostic::new(
                &codes::IDENTICAL_REPLACEMENT,
                span,
                format!("the replacement of `{}` is the base's {keyword} again: only its citations differ", change.target),
            )
            .label("the same as the base's")
            .also(theirs_span, "the base's declaration")
            .help(format!(
                "remove the `replace`: the base's declaration applies by the position's silence; if restating it is meant (to make \
                 the position state what it would otherwise inherit), answer it with {}",
                allow_help(&codes::IDENTICAL_REPLACEMENT)
            )),
        );
    }
}

/// The conclusion of a name in a program.
fn conclusion<'a>(program: &'a Program, name: &str) -> Option<&'a crate::ir::ConclusionInfo> {
    program.conclusions.iter().find(|c| c.name == name)
}

/// The text of a standard of proof (a constant or a parameter).
fn standard_text(program: &Program, e: &crate::ir::Expr) -> String {
    match e {
        crate::ir::Expr::Const(v) => crate::reports::value_text(program, v),
        crate::ir::Expr::Param(p) => program.params[p].name.clone(),
        _ => "a standard".to_string(),
    }
}

/// The message for a `set` that gives what the base already has, if it does.
fn unchanged(unit: &Unit, base: &Base, change: &Change) -> Option<String> {
    let (a, b) = (unit.side(), base.side());
    let target = &change.target;
    match change.kind {
        ChangeKind::SetParam => {
            let p = unit.program.params.iter().position(|p| &p.name == target)?;
            let q = base.program.params.iter().position(|p| &p.name == target)?;
            let (x, y) = (&unit.checked.params[p], &base.checked.params[q]);
            let value = crate::reports::value_text(&unit.program, x);
            same_value(a, x, b, y).then(|| format!("this `set` gives the parameter `{target}` the value it has in the base (`{value}`)"))
        }
        ChangeKind::SetStandard | ChangeKind::SetBurden => {
            let (x, y) = (conclusion(&unit.program, target)?, conclusion(&base.program, target)?);
            let standard = match (&x.standard, &y.standard) {
                (None, None) => true,
                (Some(s), Some(t)) => same_expr(a, &s.value, b, &t.value),
                _ => false,
            };
            let party = |p: &Program, c: &crate::ir::ConclusionInfo| c.burden.as_ref().map(|b| p.parties[b.value].name.clone());
            let bearer = party(&unit.program, x);
            if !standard || bearer != party(&base.program, y) {
                return None;
            }
            let standard = x.standard.as_ref().map(|s| standard_text(&unit.program, &s.value));
            Some(match (change.kind, bearer, standard) {
                (ChangeKind::SetBurden, Some(p), Some(s)) => {
                    format!("this `set` puts the burden of proving `{target}` on `{p}`, to `{s}`, as the base does")
                }
                (ChangeKind::SetBurden, Some(p), None) => {
                    format!("this `set` puts the burden of proving `{target}` on `{p}`, as the base does")
                }
                (_, _, Some(s)) => format!("this `set` gives `{target}` the standard of proof it has in the base (`{s}`)"),
                _ => format!("this `set` gives `{target}` what it has in the base"),
            })
        }
        _ => None,
    }
}

/// W0902: a `set` of a parameter, standard or burden of proof to what the
/// base already has.
pub(super) fn unchanged_setting(unit: &Unit, sink: &mut Sink) {
    let Some(base) = &unit.base else { return };
    for change in unit.own_changes() {
        let Some(message) = unchanged(unit, base, change) else { continue };
        let span = sink.span(&unit.sources, change.span);
        sink.push(Diagnostic::new(&codes::UNCHANGED_SETTING, span, format!("{message}: it changes nothing")).label("as in the base").help(
            format!(
                "remove the `set`, or give the value the position holds; if restating the base is meant, answer it with {}",
                allow_help(&codes::UNCHANGED_SETTING)
            ),
        ));
    }
}

/// W0905: a `remove` after which no rule gives a conclusion.
pub(super) fn removal_leaves_no_rule(unit: &Unit, sink: &mut Sink) {
    let mut removals: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in unit.own_changes().filter(|c| c.kind == ChangeKind::Remove) {
        for name in &change.conclusions {
            removals.entry(name.as_str()).or_default().push(change);
        }
    }
    for (name, changes) in removals {
        let Some(c) = conclusion(&unit.program, name) else { continue };
        let Some((last, earlier)) = changes.split_last() else { continue };
        if !c.rules.is_empty() {
            continue;
        }
        let span = sink.span(&unit.sources, last.span);
        let mut d = Diagnostic::new(
            &codes::CONCLUSION_WITHOUT_RULE,
            span,
            format!("after this removal no rule gives `{name}`: under this position it is never concluded"),
        )
        .label(format!("removes the last rule of `{name}`"));
        for e in earlier {
            let s = sink.span(&unit.sources, e.span);
            d = d.also(s, format!("removes a rule of `{name}` too"));
        }
        sink.push(d.help(format!(
            "if the position denies `{name}` altogether, answer it with {}; else give the position a rule of its own for it",
            allow_help(&codes::CONCLUSION_WITHOUT_RULE)
        )));
    }
}
