//! Declarations that stand for conclusions and rules: deontic norms (a
//! conclusion, and a generated conclusion and rule for its breach) and tiers
//! (one rule per tier, each prevailing over the tiers after it).

use super::tables::{add_rule, declare_conclusion, lookup_party};
use super::*;
use crate::diagnostics::codes;

/// The name of the conclusion that a norm is breached.
pub fn breach_name(norm: &str) -> String {
    format!("{norm}.breach")
}

/// The name of a tier's rule: `name.1`, `name.2`, ..., `name.otherwise`.
pub fn tier_rule_name(tiers: &str, index: Option<u16>) -> String {
    match index {
        Some(i) => format!("{tiers}.{i}"),
        None => format!("{tiers}.otherwise"),
    }
}

/// Declares an obligation, permission or prohibition: a `bool` conclusion with
/// its bearer, and, with `met if` or `violated if`, the conclusion that it is
/// breached and the rule that derives it.
pub(super) fn declare_deontic(resolved: &mut Resolved, d: &ast::DeonticDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    let bool_type = ast::TypeExpr::Named(ast::Ident { name: "bool".into(), span: d.name.span });
    let value = ast::ValueDecl { doc: d.doc.clone(), name: d.name.clone(), ty: bool_type.clone(), description: d.description.clone() };
    let bearer = lookup_party(resolved, &d.bearer, diagnostics);
    let Some(norm) = declare_conclusion(resolved, &value, &d.proof, module, diagnostics) else { return };
    let misplaced = match (d.kind, &d.met, &d.violated) {
        (ast::DeonticKind::Obligation, _, Some(e)) => {
            Some((e, "`violated if` belongs to prohibitions; an obligation is breached when it is not met: write `met if ...`"))
        }
        (ast::DeonticKind::Prohibition, Some(e), _) => {
            Some((e, "`met if` belongs to obligations; a prohibition is breached when it is violated: write `violated if ...`"))
        }
        (ast::DeonticKind::Permission, Some(e), _) | (ast::DeonticKind::Permission, _, Some(e)) => {
            Some((e, "a permission cannot be breached; remove the clause, or declare an obligation or a prohibition"))
        }
        _ => None,
    };
    if let Some((e, help)) = misplaced {
        diagnostics.push(
            Diagnostic::new(&codes::DEONTIC_CLAUSE, e.span, format!("this clause does not fit the {} `{}`", d.kind.keyword(), d.name.name))
                .label(format!("not a clause of a {}", d.kind.keyword()))
                .help(help),
        );
    }
    let compliance = match d.kind {
        ast::DeonticKind::Obligation => d.met.as_ref().map(|e| (e, true)),
        ast::DeonticKind::Prohibition => d.violated.as_ref().map(|e| (e, false)),
        ast::DeonticKind::Permission => None,
    };
    let mut breach = None;
    if let Some((condition, negated)) = compliance {
        let name = ast::Ident { name: breach_name(&d.name.name), span: d.name.span };
        let bearer_name = &d.bearer.name;
        let description = match d.kind {
            ast::DeonticKind::Obligation => format!("`{bearer_name}` breaches the obligation `{}`: it is owed and not met.", d.name.name),
            _ => format!("`{bearer_name}` breaches the prohibition `{}`: it applies and is violated.", d.name.name),
        };
        let value = ast::ValueDecl { doc: None, name: name.clone(), ty: bool_type, description };
        if let Some(id) = declare_conclusion(resolved, &value, &ast::ProofClauses::default(), module, diagnostics) {
            resolved.conclusions[id].breach_of = Some(norm);
            breach = Some(id);
            let norm_ref = ast::Expr { kind: ast::ExprKind::Path(vec![d.name.clone()]), span: d.name.span };
            let rule = ast::RuleDecl {
                doc: None,
                is_default: false,
                name: name.clone(),
                cites: d.proof.cites.clone(),
                exception_to: Vec::new(),
                prevails_over: Vec::new(),
                conclusion: name,
                value: None,
                conditions: vec![ast::Condition { negated: false, expr: norm_ref }, ast::Condition { negated, expr: condition.clone() }],
                reading: None,
                statement: None,
                span: d.name.span,
            };
            add_rule(resolved, rule, RuleForm::Breach { norm }, module, diagnostics);
        }
    }
    if let Some(bearer) = bearer {
        resolved.conclusions[norm].deontic = Some(DeonticDef { kind: d.kind, bearer, breach });
    }
}

/// Declares the rules of `tiers name`: tier `i` concludes its value if its
/// condition holds and prevails over every later tier and `otherwise`.
pub(super) fn declare_tiers(resolved: &mut Resolved, t: ast::TiersDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    let base = &t.rule;
    let count = t.tiers.len() as u16;
    let mut indices: Vec<Option<u16>> = (1..=count).map(Some).collect();
    if t.otherwise.is_some() {
        indices.push(None);
    }
    let ident = |index: Option<u16>| ast::Ident { name: tier_rule_name(&base.name.name, index), span: base.name.span };
    let mut values = t.tiers.into_iter().map(|(v, c)| (v, Some(c))).chain(t.otherwise.map(|v| (v, None)));
    for (n, &index) in indices.iter().enumerate() {
        let Some((value, condition)) = values.next() else { break };
        let mut prevails_over = base.prevails_over.clone();
        prevails_over.extend(indices[n + 1..].iter().map(|&later| ident(later)));
        let rule = ast::RuleDecl {
            doc: base.doc.clone(),
            is_default: base.is_default,
            name: ident(index),
            cites: base.cites.clone(),
            exception_to: base.exception_to.clone(),
            prevails_over,
            conclusion: base.conclusion.clone(),
            value: Some(value),
            conditions: condition.into_iter().map(|expr| ast::Condition { negated: false, expr }).collect(),
            reading: base.reading.clone(),
            statement: base.statement.clone(),
            span: base.span,
        };
        add_rule(resolved, rule, RuleForm::Tier { tiers: base.name.name.clone(), index }, module, diagnostics);
    }
}
