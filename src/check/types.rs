//! Types as the checker compares and names them: which fit where, the one
//! table of type names, the type of arithmetic, and the helps of mismatches.

use crate::ir::ArithOp;
use crate::resolve::Resolved;
use crate::value::Type;

/// Whether a value of type `found` fits where `wanted` is expected.
pub(super) fn compatible(found: Type, wanted: Type) -> bool {
    found == wanted || found == Type::Error || wanted == Type::Error
}

/// The name of a type as the language writes it.
pub(super) fn type_name(resolved: &Resolved, ty: Type) -> String {
    ty.name(|e| &resolved.enums[e].name.name, |r| &resolved.records[r].name.name)
}

pub(super) fn literal_help(ty: Type) -> String {
    match ty {
        Type::Bool => "write `true`, `false` or a condition".into(),
        Type::Number => "write a number such as `3` or `0.5`".into(),
        Type::Money => "write an amount with its currency, such as `100_000_000 USD`".into(),
        Type::Duration => "write a duration such as `48 hours` or `3 days`".into(),
        Type::Date => "write a date such as `2007-04-27`".into(),
        Type::Text => "write text in double quotes".into(),
        _ => "write a value of the declared type".into(),
    }
}

/// The result type of arithmetic, if the operands fit.
pub(super) fn arith_type(op: ArithOp, l: Type, r: Type) -> Option<Type> {
    use Type::*;
    if l == Error || r == Error {
        return Some(Error);
    }
    Some(match (op, l, r) {
        (_, Number, Number) => Number,
        (ArithOp::Add | ArithOp::Sub, Money, Money) => Money,
        (ArithOp::Add | ArithOp::Sub, Duration, Duration) => Duration,
        (ArithOp::Add | ArithOp::Sub, Date, Duration) => Date,
        (ArithOp::Sub, Date, Date) => Duration,
        (ArithOp::Mul, Money, Number) | (ArithOp::Mul, Number, Money) | (ArithOp::Div, Money, Number) => Money,
        (ArithOp::Mul, Duration, Number) | (ArithOp::Mul, Number, Duration) | (ArithOp::Div, Duration, Number) => Duration,
        (ArithOp::Div, Money, Money) | (ArithOp::Div, Duration, Duration) => Number,
        _ => return None,
    })
}

pub(super) fn compare_help(l: Type, r: Type) -> String {
    match (l, r) {
        (Type::Money, Type::Number) | (Type::Number, Type::Money) => "write the number as money, with a currency: `100_000_000 USD`".into(),
        (Type::Duration, Type::Number) | (Type::Number, Type::Duration) => "write the number as a duration, with a unit: `48 hours`".into(),
        (Type::Bool, _) | (_, Type::Bool) => {
            "a condition is true or false; compare it with `= true` only if both sides are conditions".into()
        }
        _ => "both sides must have the same type".into(),
    }
}
