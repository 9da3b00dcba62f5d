//! The declarations checked one kind at a time: parameters (constant
//! values), conclusions (their standards of proof) and rules (conditions and
//! values typed by [`super::elab`]).

use super::elab::Elab;
use super::layout::Layout;
use super::types::*;
use super::CheckedRule;
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::ir::Expr;
use crate::resolve::Resolved;
use crate::syntax::ast::ExprKind;
use crate::value::{Money, Type, Value};

/// Checks every parameter's value: a constant of the declared type.
pub(super) fn check_params(resolved: &Resolved, layout: &Layout, diagnostics: &mut Vec<Diagnostic>) -> Vec<Value> {
    let mut values = Vec::new();
    for (def, value) in &resolved.params {
        let mut elab = Elab::new(resolved, layout, def.module, diagnostics);
        let (e, ty) = elab.expr(value, Some(def.ty));
        if !compatible(ty, def.ty) {
            let (found, wanted) = (type_name(resolved, ty), type_name(resolved, def.ty));
            elab.diagnostics.push(
                Diagnostic::new(
                    &codes::TYPE_MISMATCH,
                    value.span,
                    format!("the parameter `{}` is declared `{wanted}` but its value is `{found}`", def.name.name),
                )
                .label(format!("a `{found}` value"))
                .help(literal_help(def.ty)),
            );
        }
        let v = match fold(&e) {
            Some(v) => v,
            None => {
                elab.diagnostics.push(
                    Diagnostic::new(
                        &codes::PARAM_NOT_CONSTANT,
                        value.span,
                        format!("the value of the parameter `{}` is not a constant", def.name.name),
                    )
                    .label("computed from other names")
                    .help("write a literal value; positions change parameters with `set param`"),
                );
                Value::Unknown
            }
        };
        values.push(v);
    }
    values
}

/// Checks each conclusion's burden and standard of proof: only true/false
/// conclusions have them, and a standard is a built-in standard or a
/// `proof_standard` parameter. Returns each conclusion's standard.
pub(super) fn check_conclusions(resolved: &Resolved, layout: &Layout, diagnostics: &mut Vec<Diagnostic>) -> Vec<Option<Expr>> {
    let mut out = Vec::new();
    for c in &resolved.conclusions {
        let settings =
            [c.burden.as_ref().map(|b| (b.span, "a burden of proof")), c.standard.as_ref().map(|s| (s.span, "a standard of proof"))];
        if c.def.ty != Type::Bool && c.def.ty != Type::Error {
            for (span, what) in settings.into_iter().flatten() {
                let ty = type_name(resolved, c.def.ty);
                diagnostics.push(
                    Diagnostic::new(
                        &codes::PROOF_NOT_BOOL,
                        span,
                        format!("the conclusion `{}` is a `{ty}` and cannot have {what}", c.def.name.name),
                    )
                    .label("only true/false conclusions are proven")
                    .help("put the burden or standard on a true/false conclusion, such as the condition of the rule that gives this value"),
                );
            }
        }
        out.push(c.standard.as_ref().map(|s| {
            let mut elab = Elab::new(resolved, layout, s.module, diagnostics);
            match &s.value.kind {
                ExprKind::Path(path) => elab.standard(path),
                _ => {
                    elab.diagnostics.push(
                        Diagnostic::new(&codes::NOT_A_STANDARD, s.value.span, "a standard of proof is a name, not an expression".to_string())
                            .label("not a standard of proof")
                            .help("write one of none, scintilla, reasonable_suspicion, preponderance, clear_and_convincing, beyond_reasonable_doubt, or a parameter declared `: proof_standard`"),
                    );
                    Expr::Const(Value::Unknown)
                }
            }
        }));
    }
    out
}

/// Checks every rule: its conclusion, value, conditions, exceptions and priorities.
pub(super) fn check_rules(resolved: &Resolved, layout: &Layout, diagnostics: &mut Vec<Diagnostic>) -> Vec<CheckedRule> {
    let mut out = Vec::new();
    let mut questions = 0;
    for rule in &resolved.rules {
        let decl = &rule.decl;
        let mut elab = Elab::new(resolved, layout, rule.module, diagnostics);
        let conclusion = elab.conclusion(&decl.conclusion);
        let conclusion_ty = conclusion.map_or(Type::Error, |c| resolved.conclusions[c].def.ty);
        // An open question, or a rule whose application a position leaves open.
        let question = (matches!(rule.form, crate::resolve::RuleForm::Open) || rule.opened.is_some()).then(|| {
            questions += 1;
            crate::ir::QuestionId::new(questions - 1)
        });
        let value = match (&decl.value, question) {
            (_, Some(q)) if matches!(rule.form, crate::resolve::RuleForm::Open) => Expr::Open(q),
            _ => match &decl.value {
                Some(v) => {
                    let (e, ty) = elab.expr(v, Some(conclusion_ty));
                    if !compatible(ty, conclusion_ty) {
                        let (found, wanted) = (type_name(resolved, ty), type_name(resolved, conclusion_ty));
                        elab.diagnostics.push(
                            Diagnostic::new(
                                &codes::RULE_VALUE_TYPE,
                                v.span,
                                format!(
                                    "the rule `{}` gives a `{found}` value to `{}`, which is `{wanted}`",
                                    decl.name.name, decl.conclusion.name
                                ),
                            )
                            .label(format!("a `{found}` value"))
                            .help(literal_help(conclusion_ty)),
                        );
                    }
                    e
                }
                None => {
                    if !compatible(Type::Bool, conclusion_ty) {
                        let wanted = type_name(resolved, conclusion_ty);
                        elab.diagnostics.push(
                            Diagnostic::new(
                                &codes::MISSING_RULE_VALUE,
                                decl.conclusion.span,
                                format!(
                                    "the rule `{}` does not say which `{wanted}` value `{}` takes",
                                    decl.name.name, decl.conclusion.name
                                ),
                            )
                            .label("no value given")
                            .help(format!("write `{} = <value>`; only true/false conclusions may omit the value", decl.conclusion.name)),
                        );
                    }
                    Expr::Const(Value::Bool(true))
                }
            },
        };
        let mut conditions: Vec<Expr> = match &rule.form {
            crate::resolve::RuleForm::Assessment(parts) => vec![elab.assessment(parts)],
            _ => Vec::new(),
        };
        for c in &decl.conditions {
            let e = elab.condition(&c.expr, if c.negated { "unless" } else { "if" });
            conditions.push(if c.negated { Expr::Not(Box::new(e)) } else { e });
        }
        // Whether a rule a position leaves open applies is open even when
        // its conditions hold; when they fail, it does not apply.
        if let (Some(q), Some(_)) = (question, rule.opened) {
            conditions.push(Expr::Open(q));
        }
        let condition = match conditions.len() {
            0 => None,
            1 => conditions.pop(),
            _ => Some(Expr::And(conditions)),
        };
        let exception_to = decl.exception_to.iter().filter_map(|r| elab.rule(r)).collect();
        let prevails_over = decl.prevails_over.iter().filter_map(|r| elab.rule(r)).collect();
        out.push(CheckedRule {
            conclusion,
            value,
            condition: condition.unwrap_or(Expr::Const(Value::Bool(true))),
            exception_to,
            prevails_over,
            question,
        });
    }
    out
}

/// The constant value of an expression made only of literals.
pub(super) fn fold(e: &Expr) -> Option<Value> {
    match e {
        Expr::Const(v) => Some(v.clone()),
        Expr::Neg(inner) => match fold(inner)? {
            Value::Number(n) => Some(Value::Number(-n)),
            Value::Money(m) => Some(Value::Money(Money { amount: -m.amount, ..m })),
            Value::Duration(d) => Some(Value::Duration(-d)),
            _ => None,
        },
        _ => None,
    }
}
