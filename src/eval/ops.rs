//! The operators on values: comparison, arithmetic (exact within the range
//! of numbers and dates, or an [`ArithError`]) and negation.

use super::error::ArithError;
use crate::ir::{ArithOp, CompareOp};
use crate::value::{in_one_currency, ExchangeRate, Money, Tri, Value};

type Result<T> = std::result::Result<T, ArithError>;

pub(super) fn negate(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::Number(-n),
        Value::Money(m) => Value::Money(Money { amount: -m.amount, ..m }),
        Value::Duration(d) => Value::Duration(-d),
        _ => Value::Unknown,
    }
}

/// Compares two values; amounts in two currencies are compared by one of
/// `rates` (the incident's), and are an error without one.
pub(super) fn compare(op: CompareOp, l: &Value, r: &Value, rates: &[ExchangeRate]) -> Result<Tri> {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (l, r) {
        (Value::Number(a), Value::Number(b)) | (Value::Duration(a), Value::Duration(b)) => a.partial_cmp(b),
        (Value::Money(a), Value::Money(b)) => match in_one_currency(*a, *b, rates) {
            Some((a, b)) => a.amount.partial_cmp(&b.amount),
            None => return Err(ArithError::Currencies { verb: "compare", currencies: [a.currency, b.currency] }),
        },
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Enum(ea, a), Value::Enum(eb, b)) if ea == eb => Some(a.cmp(b)),
        _ => None,
    };
    let b = match (op, ord) {
        (CompareOp::Eq, _) => l == r,
        (CompareOp::Ne, _) => l != r,
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        (_, None) => return Ok(Tri::Unknown),
    };
    Ok(Tri::from_bool(b))
}

/// Computes `l op r`; amounts in two currencies are combined in the left
/// one's, by one of `rates` (the incident's), and are an error without one.
pub(super) fn arith(op: ArithOp, l: &Value, r: &Value, rates: &[ExchangeRate]) -> Result<Value> {
    use Value::*;
    let div = |a: f64, b: f64| if b == 0.0 { Err(ArithError::DivisionByZero) } else { Ok(a / b) };
    let same = |a: &crate::value::Money, b: &crate::value::Money| {
        in_one_currency(*a, *b, rates).ok_or(ArithError::Currencies { verb: "combine", currencies: [a.currency, b.currency] })
    };
    let result = match (op, l, r) {
        (ArithOp::Add, Number(a), Number(b)) => Number(a + b),
        (ArithOp::Sub, Number(a), Number(b)) => Number(a - b),
        (ArithOp::Mul, Number(a), Number(b)) => Number(a * b),
        (ArithOp::Div, Number(a), Number(b)) => Number(div(*a, *b)?),
        (ArithOp::Add, Money(a), Money(b)) => {
            let (a, b) = same(a, b)?;
            Money(crate::value::Money { amount: a.amount + b.amount, currency: a.currency })
        }
        (ArithOp::Sub, Money(a), Money(b)) => {
            let (a, b) = same(a, b)?;
            Money(crate::value::Money { amount: a.amount - b.amount, currency: a.currency })
        }
        (ArithOp::Div, Money(a), Money(b)) => {
            let (a, b) = same(a, b)?;
            Number(div(a.amount, b.amount)?)
        }
        (ArithOp::Mul, Money(a), Number(n)) | (ArithOp::Mul, Number(n), Money(a)) => {
            Money(crate::value::Money { amount: a.amount * n, currency: a.currency })
        }
        (ArithOp::Div, Money(a), Number(n)) => Money(crate::value::Money { amount: div(a.amount, *n)?, currency: a.currency }),
        (ArithOp::Add, Duration(a), Duration(b)) => Duration(a + b),
        (ArithOp::Sub, Duration(a), Duration(b)) => Duration(a - b),
        (ArithOp::Div, Duration(a), Duration(b)) => Number(div(*a, *b)?),
        (ArithOp::Mul, Duration(a), Number(n)) | (ArithOp::Mul, Number(n), Duration(a)) => Duration(a * n),
        (ArithOp::Div, Duration(a), Number(n)) => Duration(div(*a, *n)?),
        (ArithOp::Add, Date(d), Duration(s)) => Date(shift_date(*d, (s / 86_400.0).trunc())?),
        (ArithOp::Sub, Date(d), Duration(s)) => Date(shift_date(*d, -(s / 86_400.0).trunc())?),
        (ArithOp::Sub, Date(a), Date(b)) => Duration((f64::from(*a) - f64::from(*b)) * 86_400.0),
        _ => return Err(ArithError::WrongOperands),
    };
    let finite = match &result {
        Number(n) | Duration(n) => n.is_finite(),
        Money(m) => m.amount.is_finite(),
        _ => true,
    };
    if finite {
        Ok(result)
    } else {
        Err(ArithError::TooLarge)
    }
}

/// A date moved by a whole number of days, if it stays a calendar date
/// (the years 0000 to 9999, as dates are written `YYYY-MM-DD`).
fn shift_date(day: i32, by: f64) -> Result<i32> {
    let (first, last) = crate::value::DATE_RANGE;
    let shifted = f64::from(day) + by;
    if by.is_finite() && shifted >= f64::from(first) && shifted <= f64::from(last) {
        Ok(shifted as i32)
    } else {
        Err(ArithError::DateOutOfRange { day, by })
    }
}
