//! The canonical layout of a `.norm` or `*.test.norm` file (`opinio fmt`).
//!
//! In: the text of one file. Out: the same text laid out canonically, or the
//! syntax diagnostic. Guarantees: the output has the same significant tokens
//! (words, literals, punctuation, comments and doc lines) in the same order as
//! the input, which is checked on every call; formatting is idempotent.
//!
//! The formatter works on pest's parse tree, not on the AST, because the AST
//! keeps neither comments nor the author's line breaks. Every leaf of the tree
//! is a token; the text between two leaves (a gap) holds only whitespace,
//! comments and the punctuation the grammar does not name (`=`, `:`, `,`, `(`,
//! `)`). A first pass walks the tree into a list of [`Event`]s: the tokens and
//! comments, where a declaration or clause begins a line, and where an
//! expression or list begins (for aligning its continuation lines). A second
//! pass prints them.
//!
//! Layout: declarations at column 0, their clauses two columns in, conditions
//! four; tokens on a line joined by one space; the author's line breaks kept
//! only before an infix operator and after a list's comma, with the
//! continuation aligned to the start of its expression or list; comments and
//! single blank lines kept where they were.

use pest::iterators::Pair;

use super::error::syntax_error;
use super::grammar::{parse, Rule};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// Which grammar a file follows: norms, or tests of norms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// A `.norm` file: a module or a position.
    Norms,
    /// A `*.test.norm` file: a suite of tests.
    Tests,
}

impl Grammar {
    /// The grammar of a file, by its name: `*.test.norm` is a test file.
    pub fn for_path(path: impl AsRef<std::path::Path>) -> Grammar {
        let name = path.as_ref().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.ends_with(".test.norm") {
            Grammar::Tests
        } else {
            Grammar::Norms
        }
    }

    fn entry(self) -> Rule {
        match self {
            Grammar::Norms => Rule::file,
            Grammar::Tests => Rule::test_file,
        }
    }
}

/// Lays `text` out canonically.
///
/// On a syntax error, returns the diagnostic the parser gives. If the laid
/// out text would not have the tokens of `text` (a bug in the formatter),
/// returns a [`codes::FORMAT_LOST`](crate::diagnostics::codes::FORMAT_LOST) diagnostic instead of losing anything.
pub fn format(file: FileId, text: &str, grammar: Grammar) -> Result<String, Vec<Diagnostic>> {
    let events = layout(file, text, grammar)?;
    let output = print(&events);
    check(file, text, &output, grammar)?;
    Ok(output)
}

// ---------------------------------------------------------------- events

/// One step of the layout, in text order.
#[derive(Debug)]
enum Event<'a> {
    /// The next token begins a line at this indent.
    Line(usize),
    /// An expression or list begins: its continuation lines align with its
    /// first token.
    Open,
    /// The innermost expression or list ends.
    Close,
    /// A token or comment of the source.
    Piece(Piece<'a>),
}

#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    kind: Kind,
    /// Line breaks in the source between the previous piece and this one.
    newlines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// A `##` line, which runs to the end of its line.
    Doc,
    /// A `#` comment, which runs to the end of its line.
    Comment,
    /// An infix operator: the author may break the line before it.
    Infix,
    /// The unary minus, written against its operand.
    Neg,
    /// `=`, `:`, `,`, `(` or `)`.
    Punct(char),
}

/// Where a child of a declaration goes.
enum Place {
    /// On the current line.
    Inline,
    /// On a line of its own, this many columns right of the declaration.
    Below(usize),
    /// A declaration of its own, two columns right (a record's field).
    Nested,
    /// A declaration that continues the current line (after `replace`).
    InlineDecl,
}

/// Parses `text` and walks its tree into events.
fn layout(file: FileId, text: &str, grammar: Grammar) -> Result<Vec<Event<'_>>, Vec<Diagnostic>> {
    let mut pairs = parse(grammar.entry(), text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut walker = Walker { text, last: 0, newlines: 0, events: Vec::new(), stray: None };
    if let Some(root) = pairs.next() {
        for decl in root.into_inner() {
            if decl.as_rule() != Rule::EOI {
                walker.decl(decl, 0, false);
            }
        }
    }
    walker.flush_to(text.len());
    match walker.stray {
        Some(offset) => Err(vec![internal_error(file, text, offset)]),
        None => Ok(walker.events),
    }
}

struct Walker<'a> {
    text: &'a str,
    /// End of the last piece taken from the source.
    last: usize,
    /// Line breaks seen since the last piece.
    newlines: usize,
    events: Vec<Event<'a>>,
    /// The first character in a gap that is neither whitespace, a comment
    /// nor known punctuation: a grammar change the formatter does not know.
    stray: Option<usize>,
}

impl<'a> Walker<'a> {
    fn push(&mut self, text: &'a str, kind: Kind) {
        self.events.push(Event::Piece(Piece { text, kind, newlines: self.newlines }));
        self.newlines = 0;
    }

    /// Takes the comments and punctuation in the gap up to `pos`.
    fn flush_to(&mut self, pos: usize) {
        if pos <= self.last {
            return;
        }
        let text = self.text;
        let mut i = self.last;
        while i < pos {
            let Some(c) = text[i..pos].chars().next() else { break };
            let mut next = i + c.len_utf8();
            match c {
                '\n' => self.newlines += 1,
                '#' => {
                    next = text[i..pos].find('\n').map_or(pos, |n| i + n);
                    self.push(text[i..next].trim_end(), Kind::Comment);
                }
                '=' | ':' | ',' | '(' | ')' => self.push(&text[i..next], Kind::Punct(c)),
                c if c.is_whitespace() || c == BOM => {}
                _ => {
                    self.stray.get_or_insert(i);
                }
            }
            i = next;
        }
        self.last = pos;
    }

    fn leaf(&mut self, pair: Pair<'a, Rule>) {
        let span = pair.as_span();
        self.flush_to(span.start());
        let kind = match pair.as_rule() {
            Rule::doc_line => Kind::Doc,
            Rule::op_neg => Kind::Neg,
            r if is_infix(r) => Kind::Infix,
            _ => Kind::Word,
        };
        let text = if kind == Kind::Doc { span.as_str().trim_end() } else { span.as_str() };
        self.push(text, kind);
        self.last = span.end();
    }

    fn line(&mut self, indent: usize) {
        self.events.push(Event::Line(indent));
    }

    /// A declaration at `indent`; `inline_start` if its first token continues
    /// the current line.
    fn decl(&mut self, pair: Pair<'a, Rule>, indent: usize, inline_start: bool) {
        let rule = pair.as_rule();
        let span = pair.as_span();
        self.flush_to(span.start());
        if !inline_start {
            self.line(indent);
        }
        let mut after_doc = false;
        let mut idents = 0;
        let mut list_next = false;
        let mut list_open = false;
        for child in pair.into_inner() {
            let child_rule = child.as_rule();
            self.flush_to(child.as_span().start());
            if child_rule == Rule::doc {
                for line in child.into_inner() {
                    self.flush_to(line.as_span().start());
                    self.line(indent);
                    self.leaf(line);
                }
                after_doc = true;
                continue;
            }
            if list_next {
                self.events.push(Event::Open);
                list_open = true;
            }
            if child_rule == Rule::ident {
                idents += 1;
            }
            match place(rule, child_rule, idents) {
                Place::Inline => {
                    if after_doc {
                        self.line(indent);
                    }
                    self.node(child, indent);
                }
                Place::Below(n) => {
                    self.line(indent + n);
                    self.node(child, indent + n);
                }
                Place::Nested => self.decl(child, indent + 2, false),
                Place::InlineDecl => {
                    if after_doc {
                        self.line(indent);
                    }
                    self.decl(child, indent, true);
                }
            }
            after_doc = false;
            list_next = child_rule == Rule::kw_values;
        }
        self.flush_to(span.end());
        if list_open {
            self.events.push(Event::Close);
        }
    }

    /// Any other pair, on the current line; `indent` is that of its clause.
    fn node(&mut self, pair: Pair<'a, Rule>, indent: usize) {
        let rule = pair.as_rule();
        if is_leaf(&pair) {
            self.leaf(pair);
            return;
        }
        let span = pair.as_span();
        self.flush_to(span.start());
        let framed = rule == Rule::expr;
        if framed {
            self.events.push(Event::Open);
        }
        let mut list_open = false;
        for child in pair.into_inner() {
            let child_rule = child.as_rule();
            self.flush_to(child.as_span().start());
            if is_list(rule) && !list_open && !is_keyword(child_rule) {
                self.events.push(Event::Open);
                list_open = true;
            }
            if child_rule == Rule::given {
                self.line(indent + 2);
            }
            self.node(child, indent);
        }
        self.flush_to(span.end());
        if framed || list_open {
            self.events.push(Event::Close);
        }
    }
}

/// Where `child` goes in a declaration of kind `decl`; `idents` counts the
/// names so far, `child` included.
fn place(decl: Rule, child: Rule, idents: usize) -> Place {
    match child {
        Rule::field_decl => Place::Nested,
        Rule::rule_decl | Rule::assessment_decl | Rule::tiers_decl | Rule::open_decl => Place::InlineDecl,
        Rule::condition | Rule::tier | Rule::otherwise_tier => Place::Below(4),
        // The conclusion a `tiers` declaration decides, after its clauses.
        Rule::ident if decl == Rule::tiers_decl && idents == 2 => Place::Below(2),
        Rule::description if description_inline(decl) => Place::Inline,
        Rule::extends_clause
        | Rule::cites_clause
        | Rule::exception_clause
        | Rule::prevails_clause
        | Rule::burden_clause
        | Rule::standard_clause
        | Rule::bearer_clause
        | Rule::met_clause
        | Rule::violated_clause
        | Rule::factor
        | Rule::rule_head
        | Rule::open_head
        | Rule::reading_clause
        | Rule::statement_clause
        | Rule::kw_dated
        | Rule::assessment_head
        | Rule::description
        | Rule::kw_values
        | Rule::positions_clause
        | Rule::incidents_clause
        | Rule::facts_clause
        | Rule::output_clause
        | Rule::into_clause
        | Rule::expectation => Place::Below(2),
        _ => Place::Inline,
    }
}

/// Declarations whose description stays on the line of their name, as the
/// shipped files and docs/language.md write them: enumerations and records
/// (whose values and fields follow), a position's title, and the declarations
/// of test files.
fn description_inline(decl: Rule) -> bool {
    matches!(decl, Rule::position_decl | Rule::enum_decl | Rule::record_decl | Rule::suite_decl | Rule::test_decl | Rule::golden_decl)
}

/// A pair printed as one token. Compound-atomic rules (`path`, `string`,
/// amounts, ...) have inner pairs but are written as one word, and operators
/// are kept whole to know where a line may break.
fn is_leaf(pair: &Pair<'_, Rule>) -> bool {
    matches!(
        pair.as_rule(),
        Rule::path
            | Rule::string
            | Rule::money
            | Rule::duration
            | Rule::signed_number
            | Rule::module_path
            | Rule::rule_ref
            | Rule::doc_line
            | Rule::op_or
            | Rule::op_and
            | Rule::op_not
            | Rule::op_neg
    ) || pair.clone().into_inner().next().is_none()
}

fn is_infix(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::op_or
            | Rule::op_and
            | Rule::op_eq
            | Rule::op_ne
            | Rule::op_le
            | Rule::op_ge
            | Rule::op_lt
            | Rule::op_gt
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
    )
}

/// Clauses ending in a comma-separated list, whose continuation lines align
/// with its first element.
fn is_list(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::cites_clause
            | Rule::exception_clause
            | Rule::prevails_clause
            | Rule::positions_clause
            | Rule::incidents_clause
            | Rule::settled_clause
    )
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_cites
            | Rule::kw_exception
            | Rule::kw_to
            | Rule::kw_prevails
            | Rule::kw_over
            | Rule::kw_position
            | Rule::kw_incident
            | Rule::kw_settled
            | Rule::kw_by
    )
}

// ---------------------------------------------------------------- printing

/// Prints the events.
fn print(events: &[Event<'_>]) -> String {
    let mut printer = Printer::default();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Line(indent) => printer.pending_line = Some(*indent),
            Event::Open => printer.frames.push(None),
            Event::Close => {
                printer.frames.pop();
            }
            Event::Piece(piece) => {
                let next = events[i + 1..].iter().find_map(|e| match e {
                    Event::Piece(p) => Some(p.newlines),
                    _ => None,
                });
                printer.piece(*piece, next.unwrap_or(0));
            }
        }
    }
    printer.finish()
}

#[derive(Default)]
struct Printer<'a> {
    out: String,
    /// The column after the last character printed.
    col: usize,
    /// The indent of the last line a declaration or clause began.
    line_indent: usize,
    /// A declaration or clause begins a line at this indent.
    pending_line: Option<usize>,
    /// The last piece ran to the end of its line (a comment or doc line).
    must_break: bool,
    /// The author broke the line after a list's comma.
    break_next: bool,
    /// The open expressions and lists, each with the column of its first
    /// token once printed.
    frames: Vec<Option<usize>>,
    /// Comments on lines of their own, printed before the next token at its
    /// indent.
    comments: Vec<Piece<'a>>,
    prev: Option<Kind>,
}

impl<'a> Printer<'a> {
    /// Prints a piece; `next_newlines` are the source's line breaks after it.
    fn piece(&mut self, piece: Piece<'a>, next_newlines: usize) {
        if piece.kind == Kind::Comment {
            if piece.newlines == 0 && !self.out.is_empty() && self.comments.is_empty() {
                self.out.push(' ');
                self.out.push_str(piece.text);
            } else {
                self.comments.push(piece);
            }
            self.must_break = true;
            return;
        }
        let broken = piece.newlines > 0 || next_newlines > 0;
        let start = match self.pending_line.take() {
            Some(indent) => {
                self.line_indent = indent;
                Some(indent)
            }
            None if self.must_break || self.break_next || (piece.kind == Kind::Infix && broken) || self.out.is_empty() => {
                Some(self.continuation())
            }
            None => None,
        };
        match start {
            Some(indent) => {
                for comment in std::mem::take(&mut self.comments) {
                    self.newline(indent, comment.newlines >= 2);
                    self.out.push_str(comment.text);
                }
                self.newline(indent, piece.newlines >= 2);
            }
            None if self.spaced(piece.kind) => {
                self.out.push(' ');
                self.col += 1;
            }
            None => {}
        }
        for frame in self.frames.iter_mut().rev().take_while(|f| f.is_none()) {
            *frame = Some(self.col);
        }
        self.out.push_str(piece.text);
        self.col += piece.text.chars().count();
        self.must_break = piece.kind == Kind::Doc;
        self.break_next = piece.kind == Kind::Punct(',') && broken;
        self.prev = Some(piece.kind);
    }

    /// The column of a continuation line: under the first token of the
    /// innermost expression or list, else two right of its clause.
    fn continuation(&self) -> usize {
        self.frames.iter().rev().find_map(|f| *f).unwrap_or(self.line_indent + 2)
    }

    fn spaced(&self, kind: Kind) -> bool {
        !matches!((self.prev, kind), (None, _) | (_, Kind::Punct(',' | ':' | ')')) | (Some(Kind::Punct('(') | Kind::Neg), _))
    }

    /// Ends the line (never at the start of the file) and indents the next.
    fn newline(&mut self, indent: usize, blank: bool) {
        if !self.out.is_empty() {
            self.trim();
            self.out.push('\n');
            if blank {
                self.out.push('\n');
            }
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.col = indent;
    }

    fn trim(&mut self) {
        let len = self.out.trim_end_matches(' ').len();
        self.out.truncate(len);
    }

    fn finish(mut self) -> String {
        for comment in std::mem::take(&mut self.comments) {
            self.newline(0, comment.newlines >= 2);
            self.out.push_str(comment.text);
        }
        self.trim();
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

// ---------------------------------------------------------------- checking

/// A byte-order mark, which the grammar reads as a space (Windows editors
/// write one at the start of a file); the formatter drops it.
const BOM: char = '\u{feff}';

/// Checks that `output` has the tokens of `input` and follows the grammar.
fn check(file: FileId, input: &str, output: &str, grammar: Grammar) -> Result<(), Vec<Diagnostic>> {
    let before = lex(input);
    let after = lex(output);
    let differs = before.iter().zip(&after).position(|(a, b)| a.1 != b.1);
    let differs = differs.or((before.len() != after.len()).then(|| before.len().min(after.len())));
    if let Some(i) = differs {
        let offset = before.get(i).map_or(input.len(), |t| t.0);
        return Err(vec![internal_error(file, input, offset)]);
    }
    if parse(grammar.entry(), output).is_err() {
        return Err(vec![internal_error(file, input, 0)]);
    }
    Ok(())
}

/// The significant tokens of a text, with their offsets: words, strings,
/// comments and doc lines (trailing whitespace trimmed), operators and
/// punctuation. Independent of the grammar, so that it checks the tree walk.
fn lex(text: &str) -> Vec<(usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let rest = &text[i..];
        let len = if c.is_whitespace() || c == BOM {
            i += c.len_utf8();
            continue;
        } else if c == '#' {
            rest.find('\n').unwrap_or(rest.len())
        } else if c == '"' {
            string_len(rest)
        } else if is_word(c) {
            rest.find(|d: char| !is_word(d)).unwrap_or(rest.len())
        } else if matches!(c, '<' | '>' | '!') && rest[1..].starts_with('=') {
            2
        } else {
            c.len_utf8()
        };
        tokens.push((i, rest[..len].trim_end()));
        i += len;
    }
    tokens
}

/// The length of the string literal at the start of `text`, up to its
/// closing quote or the end of its line.
fn string_len(text: &str) -> usize {
    let mut escaped = false;
    for (j, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return j + 1,
            '\n' => return j,
            _ => {}
        }
    }
    text.len()
}

fn internal_error(file: FileId, text: &str, offset: usize) -> Diagnostic {
    let offset = offset.min(text.len());
    let end = text[offset..].chars().next().map_or(offset, |c| offset + c.len_utf8());
    Diagnostic::new(
        &codes::FORMAT_LOST,
        Span::new(file, offset, end),
        "formatting would change the tokens of this file, so it is left as it is",
    )
    .label("the formatted text differs from here")
    .help("this is a bug in `opinio fmt`; please report it with this file")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard behind E0807: a laid-out text whose tokens differ from the
    /// original's is refused. No input reaches it through `format`.
    #[test]
    fn lost_tokens_are_refused() {
        let original = "fact a: bool \"A.\"\n";
        let lost = "fact b: bool \"A.\"\n";
        let err = check(FileId(0), original, lost, Grammar::Norms).expect_err("a changed token is refused");
        assert_eq!(err[0].code.id, "E0807");
        assert!(check(FileId(0), original, original, Grammar::Norms).is_ok());
    }
}
