//! The grammar (`grammar/opinio.pest`), compiled by pest into `Rule` and
//! `OpinioParser`, and [`parse`], which runs it. Only `syntax/` sees them:
//! the parser builds the AST, the formatter lays files out on the parse
//! tree, and `error` reads pest's errors.

use pest::error::{Error, ErrorVariant};
use pest::iterators::Pairs;
use pest::Parser as _;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/opinio.pest"]
pub(super) struct OpinioParser;

/// How deeply an expression may nest: parentheses, prefix operators and
/// operators of different kinds each add a level (a chain of one of `and`
/// or `or` counts once). The checker and the evaluator recurse once per
/// level, so the limit keeps them far from the end of any thread's stack.
pub const MAX_DEPTH: usize = 200;

/// How deeply the text may nest where pest reads it by recursion: in
/// parentheses and in the conditions of quantifiers (`where`). pest reads
/// each level in a few calls of its own, about 250 bytes of stack (2 KB in
/// a debug build), and is built without its guard on the stack, which cost
/// a tenth of the time of reading; so deeper text is refused before pest
/// reads it, with room to spare on a thread of 2 MB. Any expression nested
/// more than [`MAX_DEPTH`] deep is refused anyway.
pub const MAX_NESTING: usize = 500;

/// The message of the error for text nested more than [`MAX_NESTING`] deep.
pub(super) const NESTING_LIMIT: &str = "nesting limit reached";

/// The words that begin a declaration after the first (`default` begins
/// `default rule`). No declaration goes on with one of them: a declaration
/// that needs more after `replace`, `remove`, `open` or `set` is incomplete
/// without it.
pub(super) const DECLARATION_WORDS: [&str; 19] = [
    "import",
    "enum",
    "record",
    "fact",
    "conclusion",
    "param",
    "party",
    "obligation",
    "permission",
    "prohibition",
    "default",
    "rule",
    "assessment",
    "tiers",
    "replace",
    "remove",
    "set",
    "open",
    "statement",
];

/// Keywords that no expression holds and that may follow one (besides
/// [`DECLARATION_WORDS`]): an expression has ended before each of them.
const AFTER_EXPRESSION_WORDS: [&str; 6] = ["if", "unless", "cites", "weight", "tier", "otherwise"];

/// Parses `text` as `rule`, unless it nests more than [`MAX_NESTING`] deep:
/// then the error (with [`NESTING_LIMIT`]) is at the first `(` or `where`
/// nested deeper, and pest does not read the text.
pub(super) fn parse(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, Error<Rule>> {
    match nested_beyond(text, MAX_NESTING) {
        Some(at) => {
            let position = pest::Position::new(text, at).expect("a `(` or a word begins at a character");
            Err(Error::new_from_pos(ErrorVariant::CustomError { message: NESTING_LIMIT.into() }, position))
        }
        None => OpinioParser::parse(rule, text),
    }
}

/// Where `text` first nests deeper than `limit` as pest reads it, if it
/// does: an upper bound of the depth of pest's recursion at each point,
/// counting each `(` and `where` still open. A `(` closes at its `)`, with
/// the `where`s written inside it; a `where` outside parentheses closes at
/// the next word that ends an expression. Strings and comments count
/// nothing. Past the first point where pest fails, nothing matters, as pest
/// does not read beyond it.
fn nested_beyond(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // The `where`s open at each level of parentheses, the outermost first.
    let mut wheres = vec![0];
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                wheres.push(0);
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b')' if wheres.len() > 1 => depth -= 1 + wheres.pop().unwrap_or(0),
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                let level = wheres.len() - 1;
                if word == "where" {
                    wheres[level] += 1;
                    depth += 1;
                    if depth > limit {
                        return Some(start);
                    }
                } else if level == 0 && wheres[0] > 0 && ends_expression(word) {
                    depth -= wheres[0];
                    wheres[0] = 0;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether an expression has ended before `word`.
fn ends_expression(word: &str) -> bool {
    DECLARATION_WORDS.contains(&word) || AFTER_EXPRESSION_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_open_parentheses_and_wheres() {
        let parens = |n: usize| format!("c if {}a{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(nested_beyond(&parens(3), 3), None);
        assert_eq!(nested_beyond(&parens(4), 3), Some(8));
        // Closed parentheses give their depth back; strings and comments count nothing.
        assert_eq!(nested_beyond("(a) (b) (c) (d) \"((((\" # ((((\n", 1), None);
        let wheres = "c if any x in l where any y in m where x = y";
        assert_eq!(nested_beyond(wheres, 1), wheres.rfind("where"));
        // A `where` closes with the expression: at its parenthesis, or at `if`.
        assert_eq!(nested_beyond("(any x in l where a) and (any y in m where b)", 2), None);
        assert_eq!(nested_beyond("c if any x in l where a\n  if any y in m where b", 1), None);
        let chained = "c if any x in l where a and any y in m where b";
        assert_eq!(nested_beyond(chained, 1), chained.rfind("where"));
    }

    #[test]
    fn text_nested_too_deeply_is_refused_before_pest_reads_it() {
        let text = format!("rule r\n  c if {}a{}\n", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        let error = parse(Rule::file, &text).expect_err("too deep");
        assert!(matches!(error.variant, ErrorVariant::CustomError { ref message } if message == NESTING_LIMIT));
        assert_eq!(error.location, pest::error::InputLocation::Pos(text.find('(').unwrap_or(0) + MAX_NESTING));
        let text = format!("rule r\n  c if {}a{}\n", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(Rule::file, &text).is_ok());
    }
}
