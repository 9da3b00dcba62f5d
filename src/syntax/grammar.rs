//! The grammar (`grammar/opinio.pest`), compiled by pest into `Rule` and
//! `OpinioParser`. Only `syntax/` sees them: the parser builds the AST, the
//! formatter lays files out on the parse tree, and `error` reads pest's
//! errors.

use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/opinio.pest"]
pub(super) struct OpinioParser;

/// How deeply an expression may nest: parentheses, prefix operators and
/// operators of different kinds each add a level (a chain of one of `and`
/// or `or` counts once). The checker and the evaluator recurse once per
/// level, so the limit keeps them far from the end of any thread's stack.
pub const MAX_DEPTH: usize = 200;
