//! Types and values of the language, shared by the checker, the IR and the
//! evaluator.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::id::{EnumId, RecordId};

/// A type of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum Type {
    /// `bool`: true, false (or unknown).
    Bool,
    /// `number`: a count or measure without unit.
    Number,
    /// `money`: an amount in a currency.
    Money,
    /// `duration`: a span of time.
    Duration,
    /// `date`: a calendar day.
    Date,
    /// `text`: free text, compared for equality.
    Text,
    /// A user-declared enumeration.
    Enum(EnumId),
    /// A user-declared record (only as the type of a fact or field).
    Record(RecordId),
    /// `list of record`.
    List(RecordId),
    /// The type of an expression that already has an error; never reported again.
    Error,
}

impl Type {
    /// The built-in type of this name.
    pub fn builtin(name: &str) -> Option<Type> {
        Some(match name {
            "bool" => Type::Bool,
            "number" => Type::Number,
            "money" => Type::Money,
            "duration" => Type::Duration,
            "date" => Type::Date,
            "text" => Type::Text,
            "proof_standard" => Type::Enum(PROOF_STANDARD_ENUM),
            _ => return None,
        })
    }

    /// The names of the built-in types, for suggestions.
    pub const BUILTINS: [&'static str; 7] = ["bool", "number", "money", "duration", "date", "text", "proof_standard"];

    /// The type's name as the language writes it, given the names of the
    /// declared enumerations and records (the one table of type names).
    pub fn name<'a>(self, enum_name: impl Fn(EnumId) -> &'a str, record_name: impl Fn(RecordId) -> &'a str) -> String {
        match self {
            Type::Bool => "bool".into(),
            Type::Number => "number".into(),
            Type::Money => "money".into(),
            Type::Duration => "duration".into(),
            Type::Date => "date".into(),
            Type::Text => "text".into(),
            Type::Enum(e) => enum_name(e).into(),
            Type::Record(r) => record_name(r).into(),
            Type::List(r) => format!("list of {}", record_name(r)),
            Type::Error => "?".into(),
        }
    }
}

/// The ordered scale of proof standards, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofStandard {
    /// No evidence.
    None,
    /// A scintilla of evidence.
    Scintilla,
    /// Reasonable suspicion.
    ReasonableSuspicion,
    /// Preponderance of the evidence (more likely than not).
    Preponderance,
    /// Clear and convincing evidence.
    ClearAndConvincing,
    /// Beyond reasonable doubt.
    BeyondReasonableDoubt,
}

impl ProofStandard {
    /// Every standard, weakest first, with its name.
    pub const ALL: [(ProofStandard, &'static str); 6] = [
        (ProofStandard::None, "none"),
        (ProofStandard::Scintilla, "scintilla"),
        (ProofStandard::ReasonableSuspicion, "reasonable_suspicion"),
        (ProofStandard::Preponderance, "preponderance"),
        (ProofStandard::ClearAndConvincing, "clear_and_convincing"),
        (ProofStandard::BeyondReasonableDoubt, "beyond_reasonable_doubt"),
    ];

    /// The standard of this name.
    pub fn parse(name: &str) -> Option<ProofStandard> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL[self as usize].1
    }
}

/// How well a value is established: the standard of proof its weakest
/// necessary premise meets, and whether it rests on a premise that was not
/// established.
///
/// The *level* is ordered: `UNSTATED` (an incident gave a value without
/// saying how strong its evidence is) < the six standards, weakest first <
/// `LAW` (the value follows from the norms and parameters alone, or from a
/// burden of proof). Apart from it, a proof is *not established* when the
/// value rests on a premise that was not: a conclusion decided by its burden
/// of proof, or proven below the standard it requires. The two combine
/// apart: [`Proof::meet`] for premises all needed, [`Proof::join`] for
/// grounds each sufficient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Proof(u8);

impl Proof {
    /// The evidence's standard is not stated.
    pub const UNSTATED: Proof = Proof(0);
    /// No evidence is needed: the value follows from the norms.
    pub const LAW: Proof = Proof(7);
    /// The bit that marks a proof resting on a premise not established.
    const NOT_ESTABLISHED: u8 = 0x80;

    /// The proof of evidence that meets `standard`.
    pub fn of(standard: ProofStandard) -> Proof {
        Proof(standard as u8 + 1)
    }

    /// The proof level that meets the standard at index `i` of the
    /// built-in enumeration `proof_standard`.
    pub fn of_index(i: u16) -> Proof {
        Proof((i.min(5) + 1) as u8)
    }

    /// The same level, resting on a premise not established.
    pub fn not_established(self) -> Proof {
        Proof(self.0 | Self::NOT_ESTABLISHED)
    }

    /// Whether every premise it rests on was established.
    pub fn is_established(self) -> bool {
        self.0 & Self::NOT_ESTABLISHED == 0
    }

    /// Its level alone, without the mark of a premise not established.
    pub fn level(self) -> Proof {
        Proof(self.0 & !Self::NOT_ESTABLISHED)
    }

    /// Whether its level is unstated.
    pub fn is_unstated(self) -> bool {
        self.level() == Proof::UNSTATED
    }

    /// Whether its level meets `required`'s.
    pub fn meets(self, required: Proof) -> bool {
        self.level().0 >= required.level().0
    }

    /// The proof of a result that needs both: the lower level, not
    /// established if either is not.
    pub fn meet(self, other: Proof) -> Proof {
        Proof(self.level().0.min(other.level().0) | ((self.0 | other.0) & Self::NOT_ESTABLISHED))
    }

    /// The proof of a result that either suffices for: the higher level,
    /// not established only if neither is.
    pub fn join(self, other: Proof) -> Proof {
        Proof(self.level().0.max(other.level().0) | (self.0 & other.0 & Self::NOT_ESTABLISHED))
    }

    /// The standard met, if one is stated (`None` for `UNSTATED` and `LAW`).
    pub fn standard(self) -> Option<ProofStandard> {
        match self.level().0 {
            1..=6 => Some(ProofStandard::ALL[self.level().0 as usize - 1].0),
            _ => None,
        }
    }

    /// The name of its level: a standard, `law`, or `None` when unstated.
    pub fn name(self) -> Option<&'static str> {
        match self.level().0 {
            0 => None,
            7 => Some("law"),
            _ => self.standard().map(ProofStandard::name),
        }
    }
}

/// Better established first: a proof resting only on established premises
/// over one that does not, then the higher level. (Choosing the deciding rule
/// among several that apply compares proofs this way.)
impl Ord for Proof {
    fn cmp(&self, other: &Proof) -> std::cmp::Ordering {
        (self.is_established(), self.level().0).cmp(&(other.is_established(), other.level().0))
    }
}

impl PartialOrd for Proof {
    fn partial_cmp(&self, other: &Proof) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// How far a reading of a source is settled: the mark `arguable` or
/// `contested` on a declaration or a change (shared by the syntax and the IR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingKind {
    /// The encoder's reading of a source that can be read otherwise.
    Arguable,
    /// A reading that other States or scholars contest.
    Contested,
}

impl ReadingKind {
    /// Its name, as the language writes it.
    pub fn name(self) -> &'static str {
        match self {
            ReadingKind::Arguable => "arguable",
            ReadingKind::Contested => "contested",
        }
    }
}

/// The built-in enumeration of proof standards: its id, and its values are
/// the names of [`ProofStandard::ALL`], weakest first.
pub const PROOF_STANDARD_ENUM: EnumId = EnumId(0);

/// Three-valued truth: false < unknown < true (Kleene).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    /// Established false.
    False,
    /// Not established either way.
    Unknown,
    /// Established true.
    True,
}

impl Tri {
    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }
    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }
    /// Kleene negation.
    pub fn negate(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
            Tri::True => Tri::False,
        }
    }
    /// From a plain boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// An amount of money: a value in a three-letter currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub amount: f64,
    /// The ISO 4217 code, such as `USD`.
    pub currency: Currency,
}

/// An exchange rate an incident file gives, so that amounts in two
/// currencies compare: one unit of `from` is worth `rate` units of `to`.
/// Used in either direction (the inverse rate converts `to` into `from`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeRate {
    /// The currency converted from.
    pub from: Currency,
    /// The currency converted into.
    pub to: Currency,
    /// Units of `to` per unit of `from`: finite and positive.
    pub rate: f64,
    /// The day the rate applies to, as written in the file (`YYYY-MM-DD`), if given.
    pub date: Option<String>,
    /// Where the rate comes from.
    pub source: String,
}

impl ExchangeRate {
    /// The factor that converts an amount in `from` into `to`, by this
    /// rate or its inverse; `None` if the rate is not between those two.
    pub fn factor(&self, from: Currency, to: Currency) -> Option<f64> {
        if self.from == from && self.to == to {
            Some(self.rate)
        } else if self.from == to && self.to == from {
            Some(1.0 / self.rate)
        } else {
            None
        }
    }
}

/// The amounts `a` and `b` in one currency, by the first of `rates` between
/// their currencies: `b` converted into `a`'s currency. `None` when they
/// differ and no rate joins them.
pub fn in_one_currency(a: Money, b: Money, rates: &[ExchangeRate]) -> Option<(Money, Money)> {
    if a.currency == b.currency {
        return Some((a, b));
    }
    let factor = rates.iter().find_map(|r| r.factor(b.currency, a.currency))?;
    Some((a, Money { amount: b.amount * factor, currency: a.currency }))
}

/// A three-letter currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(pub [u8; 3]);

impl Currency {
    /// From a code such as `USD`; `None` unless three ASCII upper-case letters.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes = code.as_bytes();
        if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_uppercase) {
            Some(Currency([bytes[0], bytes[1], bytes[2]]))
        } else {
            None
        }
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a currency code")))
    }
}

/// A value, or unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Not established (a missing fact, or an undecided conclusion).
    Unknown,
    /// True or false.
    Bool(bool),
    /// A number.
    Number(f64),
    /// An amount of money.
    Money(Money),
    /// A duration in seconds.
    Duration(f64),
    /// A calendar day, as days since 1970-01-01.
    Date(i32),
    /// Free text.
    Text(Arc<str>),
    /// The value at this index of the enumeration.
    Enum(EnumId, u16),
    /// A list of records, each a slice of its fields' values in declared order.
    List(Arc<[Arc<[Value]>]>),
}

impl Value {
    /// The truth value of a `bool` (or unknown).
    pub fn tri(&self) -> Tri {
        match self {
            Value::Bool(b) => Tri::from_bool(*b),
            _ => Tri::Unknown,
        }
    }

    /// From a three-valued truth.
    pub fn from_tri(t: Tri) -> Value {
        match t {
            Tri::True => Value::Bool(true),
            Tri::False => Value::Bool(false),
            Tri::Unknown => Value::Unknown,
        }
    }

    /// Whether this is `Unknown`.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
}

/// Days since 1970-01-01 of a calendar day.
pub fn days_from_civil(year: i16, month: i8, day: i8) -> Option<i32> {
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    let epoch = jiff::civil::date(1970, 1, 1);
    let span = epoch.until((jiff::Unit::Day, date)).ok()?;
    Some(span.get_days())
}

/// The calendar day of a day count since 1970-01-01, as `YYYY-MM-DD`.
pub fn civil_from_days(days: i32) -> String {
    let epoch = jiff::civil::date(1970, 1, 1);
    match jiff::Span::new().try_days(i64::from(days)).and_then(|span| epoch.checked_add(span)) {
        Ok(d) => d.to_string(),
        Err(_) => format!("day {days}"),
    }
}

/// The first and last days a date may be (0000-01-01 and 9999-12-31, the
/// dates written `YYYY-MM-DD`), in days since 1970-01-01.
pub const DATE_RANGE: (i32, i32) = (-719_528, 2_932_896);

/// Formats a number the way the language writes it: integers without a
/// fractional part, others in the shortest exact form.
pub struct NumberDisplay(pub f64);

impl fmt::Display for NumberDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n.fract() == 0.0 && n.abs() < 1e16 {
            write!(f, "{}", n as i64)
        } else {
            write!(f, "{n}")
        }
    }
}

/// Formats a duration in the largest unit that divides it.
pub fn format_duration(seconds: f64) -> String {
    for (unit, size) in [("weeks", 604_800.0), ("days", 86_400.0), ("hours", 3_600.0), ("minutes", 60.0)] {
        if seconds != 0.0 && (seconds / size).fract() == 0.0 {
            let n = seconds / size;
            let unit = if n.abs() == 1.0 { unit.trim_end_matches('s') } else { unit };
            return format!("{} {unit}", NumberDisplay(n));
        }
    }
    format!("{} minutes", NumberDisplay(seconds / 60.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_tables() {
        assert_eq!(Tri::False.and(Tri::Unknown), Tri::False);
        assert_eq!(Tri::True.or(Tri::Unknown), Tri::True);
        assert_eq!(Tri::Unknown.negate(), Tri::Unknown);
        assert_eq!(Tri::True.and(Tri::Unknown), Tri::Unknown);
    }

    #[test]
    fn dates_round_trip() {
        let d = days_from_civil(2007, 4, 27).unwrap();
        assert_eq!(civil_from_days(d), "2007-04-27");
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(0, 1, 1), Some(DATE_RANGE.0));
        assert_eq!(days_from_civil(9999, 12, 31), Some(DATE_RANGE.1));
        assert_eq!(civil_from_days(i32::MAX), format!("day {}", i32::MAX));
    }
}
