//! Phase 1, syntax: source text -> [`ast::File`].
//!
//! In: the text of one `.norm` file. Out: its AST with a span on every name
//! and expression, or the syntax diagnostic. Guarantees: the AST follows the
//! grammar in `grammar/opinio.pest`; literals are valid (dates are calendar
//! days, numbers are exact). pest never leaves this module.
//!
//! The module also lays files out canonically ([`format`], `opinio fmt`),
//! on pest's parse tree, which keeps the comments the AST drops. Literals
//! ([`literal`]) are read the same way in norms, incidents and test files.

pub mod ast;
mod error;
mod format;
mod grammar;
pub mod literal;
mod parser;

pub use format::{format, Grammar};
pub use grammar::MAX_DEPTH;
pub use literal::{exact_number, parse_date, seconds_per, MAX_EXACT};
pub use parser::{parse_expr, parse_file, parse_test_file};
