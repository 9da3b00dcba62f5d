//! Why an evaluation gives no result: typed, with the wording people read.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::ir::{ConclusionId, RuleId};
use crate::value::{civil_from_days, Currency, NumberDisplay, Value};

/// An evaluation that cannot give a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvalError {
    /// Two rules applied with different values and neither defeats the other.
    Conflict {
        /// The conclusion.
        conclusion: ConclusionId,
        /// The first rule and its value.
        first: (RuleId, Value),
        /// The second rule and its value.
        second: (RuleId, Value),
    },
    /// Arithmetic failed in a rule.
    Arithmetic {
        /// The rule.
        rule: RuleId,
        /// What failed.
        message: ArithError,
    },
    /// A recursive group of conclusions did not settle (a bug if it happens).
    NoFixpoint {
        /// A conclusion of the group.
        conclusion: ConclusionId,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Conflict { conclusion, first, second } => {
                write!(f, "the rules {} and {} both apply to conclusion {conclusion} with different values", first.0, second.0)
            }
            EvalError::Arithmetic { rule, message } => write!(f, "rule {rule}: {message}"),
            EvalError::NoFixpoint { conclusion } => write!(f, "the recursive conclusion {conclusion} did not settle"),
        }
    }
}

impl std::error::Error for EvalError {}

/// An arithmetic operation that failed on an incident's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ArithError {
    /// A divisor was zero.
    DivisionByZero,
    /// Amounts in two currencies were added, subtracted, divided or compared.
    Currencies {
        /// `combine` or `compare`.
        verb: &'static str,
        /// The two currencies.
        currencies: [Currency; 2],
    },
    /// A result is too large for a number.
    TooLarge,
    /// A date moved by a number of days left the dates written `YYYY-MM-DD`.
    DateOutOfRange {
        /// The date, in days since 1970-01-01.
        day: i32,
        /// The days added (negative: subtracted).
        by: f64,
    },
    /// A factor's weight or an assessment's threshold is not a number.
    NotANumber {
        /// What: `the weight of \`f\``, `the threshold`.
        what: String,
    },
    /// A factor's rating lies outside the scale 0 to 1.
    RatingOutOfScale {
        /// The factor.
        factor: String,
    },
    /// An assessment taking the mean has no factor of positive weight.
    NoPositiveWeight,
    /// Operands the checker should have refused (a bug).
    WrongOperands,
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArithError::DivisionByZero => write!(f, "division by zero"),
            ArithError::Currencies { verb, currencies: [a, b] } => {
                write!(f, "cannot {verb} amounts in `{}` and `{}`", a.as_str(), b.as_str())
            }
            ArithError::TooLarge => write!(f, "the result is too large to compute"),
            ArithError::DateOutOfRange { day, by } => write!(
                f,
                "{} {} {} days is not a date that can be written YYYY-MM-DD (years 0000 to 9999)",
                civil_from_days(*day),
                if *by < 0.0 { "minus" } else { "plus" },
                NumberDisplay(by.abs())
            ),
            ArithError::NotANumber { what } => write!(f, "{what} is not a number"),
            ArithError::RatingOutOfScale { factor } => write!(f, "the rating of the factor `{factor}` is outside the scale 0 to 1"),
            ArithError::NoPositiveWeight => write!(f, "no factor of the assessment has a positive weight, so it has no mean"),
            ArithError::WrongOperands => write!(f, "operands of the wrong kind (a bug: the checker should have caught it)"),
        }
    }
}

impl std::error::Error for ArithError {}

/// Serialised as the sentence it says, as the JSON outputs always had it.
impl Serialize for ArithError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
