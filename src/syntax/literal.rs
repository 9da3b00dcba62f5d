//! Literals as written in norms, incidents and test files: exact numbers,
//! dates, durations and amounts of money. One reading for every reader.

use super::ast::Literal;
use crate::value::{days_from_civil, Currency, Money, Type, Value};

/// The largest integer an `f64` holds exactly (2^53): numbers in norms and
/// incidents must lie within plus or minus this.
pub const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// A number as written in norms or an incident (underscores allowed), if it
/// is a finite number within [`MAX_EXACT`] of zero, where every integer is
/// exact.
pub fn exact_number(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let n: f64 = cleaned.parse().ok()?;
    (n.is_finite() && n.abs() <= MAX_EXACT && !exceeds_exact(&cleaned)).then_some(n)
}

/// Whether the integer part of a plain decimal numeral is beyond 2^53 (the
/// float would round `9007199254740993` down to the limit itself).
fn exceeds_exact(cleaned: &str) -> bool {
    let digits = cleaned.trim_start_matches(['-', '+']);
    let whole = digits.split('.').next().unwrap_or("");
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !digits.contains(['e', 'E'])
        && whole.trim_start_matches('0').parse::<u128>().map_or(whole.trim_start_matches('0').len() > 30, |w| w > MAX_EXACT as u128)
}

/// Seconds in one unit of a duration literal.
pub fn seconds_per(unit: &str) -> f64 {
    match unit.trim_end_matches('s') {
        "minute" => 60.0,
        "hour" => 3_600.0,
        "day" => 86_400.0,
        _ => 604_800.0,
    }
}

/// `YYYY-MM-DD` to (year, month, day), if it is a real calendar day.
pub fn parse_date(text: &str) -> Option<(i16, i8, i8)> {
    let date: jiff::civil::Date = text.parse().ok()?;
    if text.len() != 10 {
        return None;
    }
    Some((date.year(), date.month(), date.day()))
}

/// `"4000000 USD"` or `"USD 4000000"`.
pub fn parse_money(s: &str) -> Option<Money> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let (amount, code) = match parts.as_slice() {
        [a, c] if Currency::parse(c).is_some() => (*a, *c),
        [c, a] if Currency::parse(c).is_some() => (*a, *c),
        _ => return None,
    };
    if amount.contains(',') && !thousands_grouped(amount) {
        return None;
    }
    let amount = exact_number(&amount.replace(',', ""))?;
    Some(Money { amount, currency: Currency::parse(code)? })
}

/// Whether commas in an amount separate groups of three digits
/// (`4,000,000.50`), as they do in English: `1,2,3` is no amount.
fn thousands_grouped(amount: &str) -> bool {
    let whole = amount.trim_start_matches(['-', '+']).split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `"48 hours"`, `"3 days"`, in seconds.
pub fn parse_duration(s: &str) -> Option<f64> {
    let mut parts = s.split_whitespace();
    let amount = exact_number(parts.next()?)?;
    let unit = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let unit_ok = matches!(unit, "minute" | "minutes" | "hour" | "hours" | "day" | "days" | "week" | "weeks");
    unit_ok.then(|| amount * seconds_per(unit))
}

/// Why a literal has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiteralError {
    /// The currency code is not an ISO 4217 code.
    Currency(String),
    /// The date is no calendar day.
    Date,
}

/// A literal's value and type: the one reading of literals, for the checker
/// (in norms) and for expectations (in test files).
pub fn literal_value(lit: &Literal) -> Result<(Value, Type), LiteralError> {
    Ok(match lit {
        Literal::Bool(b) => (Value::Bool(*b), Type::Bool),
        Literal::Number(n) => (Value::Number(*n), Type::Number),
        Literal::Money(amount, code) => match Currency::parse(code) {
            Some(currency) => (Value::Money(Money { amount: *amount, currency }), Type::Money),
            None => return Err(LiteralError::Currency(code.clone())),
        },
        Literal::Duration(s) => (Value::Duration(*s), Type::Duration),
        Literal::Date(y, m, d) => (Value::Date(days_from_civil(*y, *m, *d).ok_or(LiteralError::Date)?), Type::Date),
        Literal::Text(t) => (Value::Text(t.as_str().into()), Type::Text),
    })
}
