//! Expectations: checked against each position, then against each outcome.

use super::norms::Norms;
use super::{in_file, Failure};
use crate::diagnostics::codes;
use crate::diagnostics::suggest;
use crate::diagnostics::Diagnostic;
use crate::eval::{Outcome, Status};
use crate::incident::Incident;
use crate::ir::{ConclusionId, Program};
use crate::reports::rule_label;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Literal, TestDecl, TestValue};
use crate::syntax::literal::{literal_value, LiteralError};
use crate::value::{Proof, ProofStandard, Type, Value};

/// The statuses a test can expect, by name.
/// The expectations of a test checked against one position: the conclusion
/// exists, the rule concludes it, the value has its type.
pub(super) fn check_expectations(t: &TestDecl, norms: &Norms) -> Vec<Diagnostic> {
    let program = &norms.program;
    let mut out = Vec::new();
    for e in &t.expectations {
        let span = in_file(e.conclusion.span, norms.test_file);
        let Some(c) = program.conclusion_named(&e.conclusion.name) else {
            let names = program.conclusions.iter().map(|c| c.name.as_str());
            let help = suggest::help_for(&e.conclusion.name, names, || "name a conclusion the norms declare".into());
            out.push(
                Diagnostic::new(&codes::UNKNOWN_EXPECTED, span, format!("`{}` has no conclusion `{}`", program.name, e.conclusion.name))
                    .label("not a conclusion of these norms")
                    .help(help),
            );
            continue;
        };
        let info = &program.conclusions[c];
        if let Err(why) = expected_value(program, info.ty, &e.value) {
            out.push(
                Diagnostic::new(&codes::EXPECTED_VALUE_TYPE, in_file(e.value_span, norms.test_file), why.0)
                    .label(format!("`{}` is {}", info.name, program.type_name(info.ty)))
                    .help(why.1),
            );
        }
        for f in e.settled_by.iter().flatten() {
            if program.slot_named(&f.name).is_none() {
                let names = program.slots.iter().map(|s| s.name.as_str());
                let help = suggest::help_for(&f.name, names, || "name facts the norms declare (record fields as `record.field`)".into());
                out.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_FACT,
                        in_file(f.span, norms.test_file),
                        format!("`{}` has no fact `{}`", program.name, f.name),
                    )
                    .label("not a fact of these norms")
                    .help(help),
                );
            }
        }
        if let Some(by) = &e.by {
            if !info.rules.iter().any(|&r| program.rules[r].name == by.name) {
                let names: Vec<&str> = info.rules.iter().map(|&r| program.rules[r].name.as_str()).collect();
                let help = suggest::help_for(&by.name, names.iter().copied(), || {
                    if names.is_empty() {
                        format!("no rule concludes `{}`", info.name)
                    } else {
                        format!(
                            "the rules concluding `{}` are {}",
                            info.name,
                            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                        )
                    }
                });
                out.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_DECIDING_RULE,
                        in_file(by.span, norms.test_file),
                        format!("no rule `{}` concludes `{}` in `{}`", by.name, info.name, program.name),
                    )
                    .label("not a rule of this conclusion")
                    .help(help),
                );
            }
        }
    }
    out
}

/// A value written in a test file, as a value of a type: `Err((message, help))`.
fn expected_value(program: &Program, ty: Type, v: &TestValue) -> Result<Value, (String, String)> {
    let wrong = |found: &str| {
        let wanted = program.type_name(ty);
        let help = match ty {
            Type::Enum(e) => {
                format!("write one of {}", program.enums[e].values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
            }
            Type::Bool => "write `true`, `false` or `unknown`".into(),
            _ => format!("write a value of type `{wanted}`, or `unknown`"),
        };
        (format!("expected a value of type `{wanted}`, found {found}"), help)
    };
    Ok(match (v, ty) {
        (TestValue::Unknown | TestValue::Open, _) => Value::Unknown,
        (TestValue::Literal(l), _) if !matches!(ty, Type::Enum(_)) => match literal_value(l) {
            Ok((value, t)) if t == ty => value,
            Ok(_) => return Err(wrong(literal_kind(l))),
            Err(LiteralError::Currency(currency)) => {
                return Err((format!("`{currency}` is not a currency code"), "write a three-letter ISO 4217 code, such as `USD`".into()))
            }
            Err(LiteralError::Date) => return Err(("not a calendar date".into(), "write dates as YYYY-MM-DD".into())),
        },
        (TestValue::Name(n), Type::Enum(e)) => match program.enums[e].values.iter().position(|v| v == n) {
            Some(i) => Value::Enum(e, i as u16),
            None => {
                let values = &program.enums[e].values;
                let help = suggest::help_for(n, values.iter().map(String::as_str), || {
                    format!("write one of {}", values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
                });
                return Err((format!("`{n}` is not a value of `{}`", program.enums[e].name), help));
            }
        },
        (TestValue::Name(n), _) => return Err(wrong(&format!("the name `{n}`"))),
        (TestValue::Literal(l), _) => return Err(wrong(literal_kind(l))),
    })
}

fn literal_kind(l: &Literal) -> &'static str {
    match l {
        Literal::Bool(_) => "true/false",
        Literal::Number(_) => "a number",
        Literal::Money(..) => "an amount of money",
        Literal::Duration(_) => "a duration",
        Literal::Date(..) => "a date",
        Literal::Text(_) => "text",
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) | (Value::Duration(x), Value::Duration(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        (Value::Money(x), Value::Money(y)) => x.currency == y.currency && (x.amount - y.amount).abs() <= 1e-9 * x.amount.abs().max(1.0),
        _ => a == b,
    }
}

/// The expectations of a test that do not hold on an outcome.
pub(super) fn expectations(t: &TestDecl, norms: &Norms, incident: &Incident, outcome: &Outcome) -> Vec<Failure> {
    let program = &norms.program;
    let mut failures = Vec::new();
    for e in &t.expectations {
        let Some(c) = program.conclusion_named(&e.conclusion.name) else { continue };
        let info = &program.conclusions[c];
        let Ok(want) = expected_value(program, info.ty, &e.value) else { continue };
        let got = outcome.get(c);
        let mut ok = same_value(&want, &got.value);
        // `open` and `unknown` are two results: a question of law left open
        // is not a fact left unknown.
        match e.value {
            TestValue::Open => ok &= got.status == Status::Open,
            TestValue::Unknown => ok &= got.status != Status::Open,
            _ => {}
        }
        if let Some(by) = &e.by {
            ok &= got.rule.is_some_and(|r| program.rules[r].name == by.name);
        }
        if let Some(p) = e.proof.as_ref().and_then(|p| ProofStandard::parse(&p.name)) {
            ok &= got.proof.meets(Proof::of(p));
        }
        if let Some(s) = e.status.as_ref().and_then(|s| Status::named(&s.name)) {
            ok &= got.status == s;
        }
        if let Some(facts) = &e.settled_by {
            let mut want: Vec<&str> = facts.iter().map(|f| f.name.as_str()).collect();
            let mut have: Vec<&str> = got.settled_by.iter().map(|&s| program.slots[s].name.as_str()).collect();
            want.sort_unstable();
            have.sort_unstable();
            ok &= want == have;
        }
        if !ok {
            failures.push(Failure {
                at: at(&norms.sources, in_file(e.span, norms.test_file)),
                expected: expected_text(&norms.sources, in_file(e.span, norms.test_file)),
                got: got_text(program, c, outcome),
                derivation: derivation(program, incident, outcome, c),
            });
        }
    }
    failures
}

fn at(sources: &SourceMap, span: Span) -> String {
    let (line, col) = sources.line_col(span.file, span.start);
    format!("{}:{line}:{col}", sources.get(span.file).name)
}

/// An expectation as written, on one line.
fn expected_text(sources: &SourceMap, span: Span) -> String {
    let text = &sources.get(span.file).text;
    let written = text.get(span.start as usize..span.end as usize).unwrap_or_default();
    written.trim_start_matches("expect").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the evaluation gave, in the form of an expectation.
fn got_text(program: &Program, c: ConclusionId, outcome: &Outcome) -> String {
    let got = outcome.get(c);
    let mut s = format!("{} = {}", program.conclusions[c].name, crate::reports::result_text(program, &got.value, got.status));
    match got.rule {
        Some(r) => s.push_str(&format!(" by {} ({})", program.rules[r].name, rule_label(program, r))),
        None => s.push_str(" by no rule"),
    }
    if let Some(p) = got.proof.standard() {
        s.push_str(&format!(" proven {}", p.name()));
    }
    s.push_str(&format!(" status {}", got.status.name()));
    if let Some(party) = got.burden {
        s.push_str(&format!(" (burden on `{}`)", program.parties[party].name));
    }
    if !got.settled_by.is_empty() {
        let names: Vec<&str> = got.settled_by.iter().map(|&f| program.slots[f].name.as_str()).collect();
        s.push_str(&format!(" settled by {}", names.join(", ")));
    }
    s
}

fn derivation(program: &Program, incident: &Incident, outcome: &Outcome, c: ConclusionId) -> String {
    crate::reports::explain::text(&crate::reports::explain::explain(program, incident, outcome, &[c], false))
}
