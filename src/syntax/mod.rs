//! Phase 1, syntax: source text -> [`ast::File`].
//!
//! In: the text of one `.norm` file. Out: its AST with a span on every name
//! and expression, or the syntax diagnostic. Guarantees: the AST follows the
//! grammar in `grammar/opinio.pest`; literals are valid (dates are calendar
//! days, numbers are exact). pest never leaves this module.

pub mod ast;
mod parser;

pub use parser::{parse_date, parse_expr, parse_file, parse_test_file, seconds_per};
