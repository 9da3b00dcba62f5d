//! pest -> AST: one `build_<rule>` function per grammar rule.
//!
//! One `build_<rule>` function per grammar rule, in grammar order.

use pest::iterators::Pair;
use rayon::prelude::*;

use super::ast::*;
use super::error::syntax_error;
use super::grammar::{parse, Rule, DECLARATION_WORDS, MAX_DEPTH};
use super::literal::{exact_number, parse_date, seconds_per};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// Parses one file. On a syntax error, returns the one diagnostic that
/// describes it (pest stops at the first).
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    parse_in_parts(file, text, PART_BYTES)
}

/// The size of the parts a large file is read in, in bytes. pest keeps about
/// 25 bytes of tokens for each byte of a part until the part's syntax tree
/// is built; parts keep that small (a 15 MB file needed 350 MB at once).
const PART_BYTES: usize = 1 << 16;

/// Parses a file in parts of about `part_bytes` (see [`part_starts`]), on
/// rayon's threads when there are several: the first part as a
/// `file`, the others as a `file_part`, with the syntax tree and diagnostics
/// of the file read at once. When a part does not parse, the file is read
/// at once, for pest's error on the whole text.
fn parse_in_parts(file: FileId, text: &str, part_bytes: usize) -> Result<File, Vec<Diagnostic>> {
    let starts = part_starts(text, part_bytes);
    let read = |i: usize| {
        let (start, end) = (starts[i], starts.get(i + 1).copied().unwrap_or(text.len()));
        let rule = if i == 0 { Rule::file } else { Rule::file_part };
        let mut pairs = parse(rule, &text[start..end]).ok()?;
        let mut b = Builder::new(file);
        b.offset = start;
        let part = b.build_file(pairs.next().expect("an entry rule always yields one pair"));
        Some((part, b.diagnostics))
    };
    // With one thread, on this one: rayon's would allocate the trees in a
    // memory arena of its own, which the later phases cannot reuse.
    let parts: Option<Vec<(File, Vec<Diagnostic>)>> = if starts.len() == 1 || rayon::current_num_threads() == 1 {
        (0..starts.len()).map(read).collect()
    } else {
        (0..starts.len()).into_par_iter().map(read).collect()
    };
    let Some(parts) = parts else {
        return parse_with(file, text, Rule::file, Builder::build_file);
    };
    let mut whole = File { module: None, position: None, items: Vec::with_capacity(parts.iter().map(|(p, _)| p.items.len()).sum()) };
    let mut diagnostics = Vec::new();
    for (i, (part, more)) in parts.into_iter().enumerate() {
        if i == 0 {
            (whole.module, whole.position) = (part.module, part.position);
        }
        whole.items.extend(part.items);
        diagnostics.extend(more);
    }
    if diagnostics.is_empty() {
        Ok(whole)
    } else {
        Err(diagnostics)
    }
}

/// Where a file may be cut into parts of at least `part_bytes`, the first at
/// 0: before a line that begins, in its first column, with a word of
/// [`DECLARATION_WORDS`], after the blank and comment lines before it, and
/// before the doc lines among them (a doc belongs to the declaration after
/// it). That is where pest stops skipping after the declaration before, so
/// each part ends where a declaration's span ends when the file is read at
/// once. As no declaration goes on with such a word, nor with a doc other
/// than a field's, the declarations of each part are those of the whole
/// file; a cut in a declaration that is incomplete without what follows
/// makes its part fail to parse.
fn part_starts(text: &str, part_bytes: usize) -> Vec<usize> {
    let mut starts = vec![0];
    // The first doc line's `##` since the last line of other content.
    let mut doc = None;
    let mut next = 0;
    while next < text.len() {
        let (line, rest) = (next, &text[next..]);
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        next += len;
        let content = rest[..len].trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        let at = next - content.len();
        if content.starts_with("##") {
            doc.get_or_insert(at);
            continue;
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let cut = doc.take().unwrap_or(line);
        let begins = DECLARATION_WORDS
            .iter()
            .any(|w| rest.strip_prefix(w).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')));
        if begins && cut - starts[starts.len() - 1] >= part_bytes {
            starts.push(cut);
        }
    }
    starts
}

/// Parses `text` as `rule` and builds its AST; the builder's diagnostics
/// (invalid literals) make it an error.
fn parse_with<T>(
    file: FileId,
    text: &str,
    rule: Rule,
    build: impl FnOnce(&mut Builder, Pair<'_, Rule>) -> T,
) -> Result<T, Vec<Diagnostic>> {
    let pairs = parse(rule, text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut b = Builder::new(file);
    let pair = pairs.into_iter().next().expect("an entry rule always yields one pair");
    let ast = build(&mut b, pair);
    if b.diagnostics.is_empty() {
        Ok(ast)
    } else {
        Err(b.diagnostics)
    }
}

/// Parses one test file (`*.test.norm`). On a syntax error, returns the one
/// diagnostic that describes it.
pub fn parse_test_file(file: FileId, text: &str) -> Result<TestFile, Vec<Diagnostic>> {
    parse_with(file, text, Rule::test_file, Builder::build_test_file)
}

/// Parses a single expression (for tests and tools).
pub fn parse_expr(file: FileId, text: &str) -> Result<Expr, Vec<Diagnostic>> {
    let mut pairs = parse(Rule::standalone_expr, text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut b = Builder::new(file);
    let expr = b.build_expr(pairs.next().expect("one pair").into_inner().next().expect("an expr"));
    if b.diagnostics.is_empty() {
        Ok(expr)
    } else {
        Err(b.diagnostics)
    }
}

/// An operator waiting on the stack of [`Builder::build_expr`].
#[derive(Clone, Copy)]
enum Operator {
    Prefix(UnaryOp),
    Infix(BinaryOp),
}

impl Operator {
    /// Binding strength, loosest first: `or`, `and`, `not`, comparisons,
    /// `+ -`, `* /`, unary minus (`proven` binds tightest of all).
    fn level(self) -> u8 {
        match self {
            Operator::Infix(BinaryOp::Or) => 1,
            Operator::Infix(BinaryOp::And) => 2,
            Operator::Prefix(UnaryOp::Not) => 3,
            Operator::Infix(BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge) => 4,
            Operator::Infix(BinaryOp::Add | BinaryOp::Sub) => 5,
            Operator::Infix(BinaryOp::Mul | BinaryOp::Div) => 6,
            Operator::Prefix(UnaryOp::Neg) => 7,
        }
    }
}

/// The infix operator a grammar rule stands for.
fn infix(rule: Rule) -> Option<BinaryOp> {
    Some(match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        Rule::op_div => BinaryOp::Div,
        _ => return None,
    })
}

struct Builder {
    file: FileId,
    /// Where the text pest read begins in the file (a part's start).
    offset: usize,
    diagnostics: Vec<Diagnostic>,
    /// Expressions being built, one inside another (parentheses, conditions).
    nesting: usize,
    /// Whether the expression being built nests more than [`MAX_DEPTH`] levels.
    too_deep: bool,
}

/// The parts rules, assessments and tiers share: doc, `default`, name,
/// citations, exceptions, priorities and conditions.
#[derive(Default)]
struct RuleParts {
    doc: Option<String>,
    is_default: bool,
    name: Option<Ident>,
    cites: Vec<Citation>,
    exception_to: Vec<Ident>,
    prevails_over: Vec<Ident>,
    conditions: Vec<Condition>,
    marks: Marks,
}

/// The marks a change or a rule-like declaration takes once each: its
/// reading (`arguable`, `contested`) and its statement (`in NAME`).
#[derive(Default)]
struct Marks {
    reading: Option<Reading>,
    statement: Option<Ident>,
}

impl Marks {
    /// Takes a `reading_clause` or `statement_clause`; one written twice is E0105.
    fn take(&mut self, b: &mut Builder, p: Pair<'_, Rule>) {
        let span = b.span(&p);
        let (first, what) = match p.as_rule() {
            Rule::reading_clause => {
                let first = self.reading.as_ref().map(|r| r.span);
                self.reading = Some(b.build_reading(p));
                (first, "`arguable` or `contested`")
            }
            _ => {
                let first = self.statement.as_ref().map(|s| s.span);
                self.statement = b.build_statement_clause(p);
                (first, "`in STATEMENT`")
            }
        };
        b.once(first, span, what);
    }
}

impl RuleParts {
    /// Takes one child pair of a rule-like declaration.
    fn take(&mut self, b: &mut Builder, p: Pair<'_, Rule>) {
        match p.as_rule() {
            Rule::doc => self.doc = Some(b.build_doc(p)),
            Rule::default_mark => self.is_default = true,
            Rule::ident if self.name.is_none() => self.name = Some(b.build_ident(p)),
            Rule::cites_clause => self.cites.extend(b.build_cites_clause(p)),
            Rule::exception_clause => {
                self.exception_to.extend(p.into_inner().filter(|s| s.as_rule() == Rule::ident).map(|s| b.build_ident(s)))
            }
            Rule::prevails_clause => {
                self.prevails_over.extend(p.into_inner().filter(|s| s.as_rule() == Rule::ident).map(|s| b.build_ident(s)))
            }
            Rule::condition => self.conditions.push(b.build_condition(p)),
            Rule::reading_clause | Rule::statement_clause => self.marks.take(b, p),

            _ => {}
        }
    }

    fn finish(self, conclusion: Ident, value: Option<Expr>, span: Span) -> RuleDecl {
        RuleDecl {
            doc: self.doc,
            is_default: self.is_default,
            name: self.name.expect("grammar: a rule has a name"),
            cites: self.cites,
            exception_to: self.exception_to,
            prevails_over: self.prevails_over,
            conclusion,
            value,
            conditions: self.conditions,
            reading: self.marks.reading,
            statement: self.marks.statement,
            span,
        }
    }
}

impl Builder {
    fn new(file: FileId) -> Builder {
        Builder { file, offset: 0, diagnostics: Vec::new(), nesting: 0, too_deep: false }
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn build_file(&mut self, pair: Pair<'_, Rule>) -> File {
        let mut module = None;
        let mut position = None;
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::module_decl => module = Some(self.build_module_decl(p)),
                Rule::position_decl => position = Some(self.build_position_decl(p)),
                Rule::EOI => {}
                _ => items.push(self.build_item(p)),
            }
        }
        File { module, position, items }
    }

    fn build_item(&mut self, p: Pair<'_, Rule>) -> Item {
        match p.as_rule() {
            Rule::import_decl => self.build_import_decl(p),
            Rule::enum_decl => Item::Enum(self.build_enum_decl(p)),
            Rule::record_decl => Item::Record(self.build_record_decl(p)),
            Rule::fact_decl => Item::Fact(self.build_value_decl(p)),
            Rule::conclusion_decl => Item::Conclusion(self.build_conclusion_decl(p)),
            Rule::param_decl => Item::Param(self.build_param_decl(p)),
            Rule::party_decl => Item::Party(self.build_party_decl(p)),
            Rule::deontic_decl => Item::Deontic(self.build_deontic_decl(p)),
            Rule::rule_decl => Item::Rule(self.build_rule_decl(p)),
            Rule::assessment_decl => Item::Assessment(self.build_assessment_decl(p)),
            Rule::tiers_decl => Item::Tiers(self.build_tiers_decl(p)),
            Rule::replace_decl => Item::Replace(self.build_replace_decl(p)),
            Rule::remove_decl => Item::Remove(self.build_remove_decl(p)),
            Rule::set_decl => Item::Set(self.build_set_decl(p)),
            Rule::open_decl => Item::Open(self.build_open_decl(p)),
            Rule::open_rule_decl => Item::OpenRule(self.build_remove_decl(p)),
            Rule::statement_decl => Item::Statement(self.build_statement_decl(p)),
            other => unreachable!("unexpected {other:?} in file"),
        }
    }

    fn build_position_decl(&mut self, pair: Pair<'_, Rule>) -> PositionDecl {
        let mut doc = None;
        let mut name = None;
        let mut extends = None;
        let mut title = None;
        let mut cites = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => title = p.into_inner().next().map(|s| self.build_string(s)),
                Rule::extends_clause => extends = Some(self.build_extends_clause(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                _ => {}
            }
        }
        PositionDecl {
            doc,
            name: name.expect("grammar: position has a name"),
            title,
            extends: extends.expect("grammar: position extends a base"),
            cites,
        }
    }

    fn build_extends_clause(&mut self, pair: Pair<'_, Rule>) -> Base {
        let base =
            pair.into_inner().find(|q| matches!(q.as_rule(), Rule::module_path | Rule::string)).expect("grammar: extends has a base");
        match base.as_rule() {
            Rule::string => {
                let span = self.span(&base);
                Base::Path(Citation { text: self.build_string(base), span })
            }
            _ => Base::Name(self.build_ident(base)),
        }
    }

    fn build_cites_clause(&mut self, pair: Pair<'_, Rule>) -> Vec<Citation> {
        pair.into_inner()
            .filter(|s| s.as_rule() == Rule::string)
            .map(|s| {
                let span = self.span(&s);
                Citation { text: self.build_string(s), span }
            })
            .collect()
    }

    fn build_conclusion_decl(&mut self, pair: Pair<'_, Rule>) -> ConclusionDecl {
        let mut proof = ProofClauses::default();
        let mut doc = None;
        let mut name = None;
        let mut ty = None;
        let mut description = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::type_expr => ty = Some(self.build_type_expr(p)),
                Rule::description => description = self.build_description(p),
                _ => self.build_proof_clause(p, &mut proof),
            }
        }
        let value = ValueDecl {
            doc,
            name: name.expect("grammar: conclusion has a name"),
            ty: ty.expect("grammar: conclusion has a type"),
            description,
        };
        ConclusionDecl { value, proof }
    }

    /// `burden on p`, `standard s` or `cites "..."` of a conclusion or deontic norm.
    fn build_proof_clause(&mut self, p: Pair<'_, Rule>, proof: &mut ProofClauses) {
        match p.as_rule() {
            Rule::burden_clause => {
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::ident => proof.burden = Some(self.build_ident(q)),
                        Rule::expr => proof.burden_standard = Some(self.build_expr(q)),
                        _ => {}
                    }
                }
            }
            Rule::standard_clause => {
                let e = p.into_inner().find(|q| q.as_rule() == Rule::expr).expect("grammar: standard has a value");
                proof.standard = Some(self.build_expr(e));
            }
            Rule::cites_clause => proof.cites.extend(self.build_cites_clause(p)),
            _ => {}
        }
    }

    fn build_party_decl(&mut self, pair: Pair<'_, Rule>) -> PartyDecl {
        let mut doc = None;
        let mut name = None;
        let mut description = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = self.build_description(p),
                _ => {}
            }
        }
        PartyDecl { doc, name: name.expect("grammar: party has a name"), description }
    }

    fn build_deontic_decl(&mut self, pair: Pair<'_, Rule>) -> DeonticDecl {
        let mut doc = None;
        let mut kind = DeonticKind::Obligation;
        let mut name = None;
        let mut description = String::new();
        let mut bearer = None;
        let mut met = None;
        let mut violated = None;
        let mut proof = ProofClauses::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::deontic_kind => {
                    kind = match p.as_str() {
                        "permission" => DeonticKind::Permission,
                        "prohibition" => DeonticKind::Prohibition,
                        _ => DeonticKind::Obligation,
                    }
                }
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = self.build_description(p),
                Rule::bearer_clause => {
                    let party = p.into_inner().find(|q| q.as_rule() == Rule::ident).expect("grammar: bearer is a party");
                    bearer = Some(self.build_ident(party));
                }
                Rule::met_clause | Rule::violated_clause => {
                    let is_met = p.as_rule() == Rule::met_clause;
                    let e = p.into_inner().find(|q| q.as_rule() == Rule::expr).expect("grammar: a condition");
                    let e = Some(self.build_expr(e));
                    if is_met {
                        met = e;
                    } else {
                        violated = e;
                    }
                }
                _ => self.build_proof_clause(p, &mut proof),
            }
        }
        DeonticDecl {
            doc,
            kind,
            name: name.expect("grammar: norm has a name"),
            description,
            bearer: bearer.expect("grammar: norm has a bearer"),
            met,
            violated,
            proof,
        }
    }

    fn build_doc(&mut self, pair: Pair<'_, Rule>) -> String {
        let lines: Vec<&str> = pair
            .into_inner()
            .map(|l| {
                let text = l.as_str().trim_start_matches("##");
                text.strip_prefix(' ').unwrap_or(text).trim_end()
            })
            .collect();
        lines.join("\n")
    }

    fn build_module_decl(&mut self, pair: Pair<'_, Rule>) -> ModuleDecl {
        let mut doc = None;
        let mut name = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::module_path => name = Some(self.build_ident(p)),
                _ => {}
            }
        }
        ModuleDecl { doc, name: name.expect("grammar: module has a path") }
    }

    fn build_assessment_decl(&mut self, pair: Pair<'_, Rule>) -> AssessmentDecl {
        let span = self.span(&pair);
        let mut rule = RuleParts::default();
        let mut factors = Vec::new();
        let mut aggregate = Aggregate::Sum;
        let mut strict = false;
        let mut threshold = None;
        let mut conclusion = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::factor => {
                    let mut name = None;
                    let mut exprs = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => name = Some(self.build_ident(q)),
                            Rule::expr => exprs.push(self.build_expr(q)),
                            _ => {}
                        }
                    }
                    let weight = exprs.pop().expect("grammar: factor has a weight");
                    factors.push(Factor { name: name.expect("grammar: factor has a name"), rating: exprs.pop(), weight });
                }
                Rule::assessment_head => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => conclusion = Some(self.build_ident(q)),
                            Rule::aggregate => aggregate = if q.as_str() == "mean" { Aggregate::Mean } else { Aggregate::Sum },
                            Rule::threshold_op => strict = q.as_str() == ">",
                            Rule::expr => threshold = Some(self.build_expr(q)),
                            _ => {}
                        }
                    }
                }
                _ => rule.take(self, p),
            }
        }
        let conclusion = conclusion.expect("grammar: assessment has a conclusion");
        AssessmentDecl {
            rule: rule.finish(conclusion, None, span),
            factors,
            aggregate,
            strict,
            threshold: threshold.expect("grammar: assessment has a threshold"),
        }
    }

    fn build_tiers_decl(&mut self, pair: Pair<'_, Rule>) -> TiersDecl {
        let span = self.span(&pair);
        let mut rule = RuleParts::default();
        let mut conclusion = None;
        let mut tiers = Vec::new();
        let mut otherwise = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if rule.name.is_some() => conclusion = Some(self.build_ident(p)),
                Rule::tier => {
                    let mut exprs = p.into_inner().filter(|q| q.as_rule() == Rule::expr);
                    let value = self.build_expr(exprs.next().expect("grammar: tier has a value"));
                    let condition = self.build_expr(exprs.next().expect("grammar: tier has a condition"));
                    tiers.push((value, condition));
                }
                Rule::otherwise_tier => {
                    let e = p.into_inner().find(|q| q.as_rule() == Rule::expr).expect("grammar: otherwise has a value");
                    otherwise = Some(self.build_expr(e));
                }
                _ => rule.take(self, p),
            }
        }
        let conclusion = conclusion.expect("grammar: tiers have a conclusion");
        TiersDecl { rule: rule.finish(conclusion, None, span), tiers, otherwise }
    }

    fn build_replace_decl(&mut self, pair: Pair<'_, Rule>) -> ReplaceDecl {
        let span = self.span(&pair);
        let mut doc = None;
        let mut with = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::kw_replace => {}
                _ => with = Some(self.build_item(p)),
            }
        }
        let mut with = with.expect("grammar: replace has a declaration");
        if let Some(doc) = doc {
            match &mut with {
                Item::Rule(r) => r.doc = r.doc.take().or(Some(doc)),
                Item::Assessment(a) => a.rule.doc = a.rule.doc.take().or(Some(doc)),
                Item::Tiers(t) => t.rule.doc = t.rule.doc.take().or(Some(doc)),
                Item::Open(r) => r.doc = r.doc.take().or(Some(doc)),
                _ => {}
            }
        }
        ReplaceDecl { with: Box::new(with), span }
    }

    fn build_remove_decl(&mut self, pair: Pair<'_, Rule>) -> RemoveDecl {
        let span = self.span(&pair);
        let mut doc = None;
        let mut kind = String::new();
        let mut name = None;
        let mut cites = Vec::new();
        let mut marks = Marks::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::removable | Rule::openable => kind = p.as_str().to_string(),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                Rule::reading_clause | Rule::statement_clause => marks.take(self, p),
                _ => {}
            }
        }
        let Marks { reading, statement } = marks;
        RemoveDecl { doc, kind, name: name.expect("grammar: remove and open name a rule"), cites, reading, statement, span }
    }

    /// Reports a clause written twice (E0105): `first` is where it was
    /// written first, if it was.
    fn once(&mut self, first: Option<Span>, again: Span, what: &str) {
        if let Some(first) = first {
            self.diagnostics.push(
                Diagnostic::new(&codes::DUPLICATE_CLAUSE, again, format!("{what} is written twice in this declaration"))
                    .label("written again here")
                    .also(first, "first written here")
                    .help("keep one: a declaration has one reading mark and is made in one statement"),
            );
        }
    }

    fn build_statement_clause(&mut self, pair: Pair<'_, Rule>) -> Option<Ident> {
        pair.into_inner().find(|p| p.as_rule() == Rule::ident).map(|p| self.build_ident(p))
    }

    fn build_statement_decl(&mut self, pair: Pair<'_, Rule>) -> StatementDecl {
        let span = self.span(&pair);
        let (mut doc, mut name, mut description, mut cites) = (None, None, String::new(), Vec::new());
        let (mut date, mut date_span) = ((1970, 1, 1), span);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = p.into_inner().next().map(|s| self.build_string(s)).unwrap_or_default(),
                Rule::date => {
                    date_span = self.span(&p);
                    if let ExprKind::Literal(Literal::Date(y, m, d)) = self.build_date(&p) {
                        date = (y, m, d);
                    }
                }
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                _ => {}
            }
        }
        StatementDecl { doc, name: name.expect("grammar: a statement has a name"), description, date, date_span, cites, span }
    }

    fn build_reading(&mut self, pair: Pair<'_, Rule>) -> Reading {
        let span = self.span(&pair);
        let mut kind = ReadingKind::Arguable;
        let mut note = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::reading_kind if p.as_str() == "contested" => kind = ReadingKind::Contested,
                Rule::string => note = Some(self.build_string(p)),
                _ => {}
            }
        }
        Reading { kind, note, span }
    }

    fn build_open_decl(&mut self, pair: Pair<'_, Rule>) -> RuleDecl {
        let span = self.span(&pair);
        let mut rule = RuleParts::default();
        let mut head = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::open_head => {
                    head = p.into_inner().next().map(|i| self.build_ident(i));
                }
                _ => rule.take(self, p),
            }
        }
        rule.finish(head.expect("grammar: an open question names its conclusion"), None, span)
    }

    fn build_set_decl(&mut self, pair: Pair<'_, Rule>) -> SetDecl {
        let span = self.span(&pair);
        let mut doc = None;
        let mut target = None;
        let mut cites = Vec::new();
        let mut marks = Marks::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                Rule::reading_clause | Rule::statement_clause => marks.take(self, p),
                Rule::set_param | Rule::set_standard | Rule::set_burden => {
                    let which = p.as_rule();
                    let mut idents = Vec::new();
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => idents.push(self.build_ident(q)),
                            Rule::expr => value = Some(self.build_expr(q)),
                            _ => {}
                        }
                    }
                    let mut idents = idents.into_iter();
                    let first = idents.next().expect("grammar: set names a target");
                    target = Some(match which {
                        Rule::set_param => SetTarget::Param(first, value.expect("grammar: set param has a value")),
                        Rule::set_standard => SetTarget::Standard(first, value.expect("grammar: set standard has a value")),
                        _ => SetTarget::Burden(first, idents.next().expect("grammar: set burden names a party"), value),
                    });
                }
                _ => {}
            }
        }
        let Marks { reading, statement } = marks;
        SetDecl { doc, target: target.expect("grammar: set has a target"), cites, reading, statement, span }
    }

    fn build_import_decl(&mut self, pair: Pair<'_, Rule>) -> Item {
        let path = pair.into_inner().find(|p| p.as_rule() == Rule::module_path).expect("grammar: import has a path");
        Item::Import(self.build_ident(path))
    }

    fn build_enum_decl(&mut self, pair: Pair<'_, Rule>) -> EnumDecl {
        let mut doc = None;
        let mut name = None;
        let mut description = String::new();
        let mut values = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident if name.is_none() => name = Some(self.build_ident(p)),
                Rule::ident => values.push(self.build_ident(p)),
                Rule::description => description = self.build_description(p),
                _ => {}
            }
        }
        EnumDecl { doc, name: name.expect("grammar: enum has a name"), description, values }
    }

    fn build_record_decl(&mut self, pair: Pair<'_, Rule>) -> RecordDecl {
        let mut doc = None;
        let mut name = None;
        let mut description = String::new();
        let mut fields = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = self.build_description(p),
                Rule::field_decl => fields.push(self.build_value_decl(p)),
                _ => {}
            }
        }
        RecordDecl { doc, name: name.expect("grammar: record has a name"), description, fields }
    }

    /// `fact_decl`, `conclusion_decl` and `field_decl` share one shape.
    fn build_value_decl(&mut self, pair: Pair<'_, Rule>) -> ValueDecl {
        let mut doc = None;
        let mut name = None;
        let mut ty = None;
        let mut description = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::type_expr => ty = Some(self.build_type_expr(p)),
                Rule::description => description = self.build_description(p),
                _ => {}
            }
        }
        ValueDecl {
            doc,
            name: name.expect("grammar: declaration has a name"),
            ty: ty.expect("grammar: declaration has a type"),
            description,
        }
    }

    fn build_param_decl(&mut self, pair: Pair<'_, Rule>) -> ParamDecl {
        let mut doc = None;
        let mut name = None;
        let mut ty = None;
        let mut value = None;
        let mut description = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::type_expr => ty = Some(self.build_type_expr(p)),
                Rule::expr => value = Some(self.build_expr(p)),
                Rule::description => description = self.build_description(p),
                _ => {}
            }
        }
        ParamDecl {
            doc,
            name: name.expect("grammar: param has a name"),
            ty: ty.expect("grammar: param has a type"),
            value: value.expect("grammar: param has a value"),
            description,
        }
    }

    fn build_description(&mut self, pair: Pair<'_, Rule>) -> String {
        self.build_string(pair.into_inner().next().expect("grammar: description is a string"))
    }

    fn build_type_expr(&mut self, pair: Pair<'_, Rule>) -> TypeExpr {
        let inner = pair.into_inner().next().expect("grammar: type has one part");
        match inner.as_rule() {
            Rule::ident => TypeExpr::Named(self.build_ident(inner)),
            Rule::list_type => {
                let span = self.span(&inner);
                let id = inner.into_inner().find(|p| p.as_rule() == Rule::ident).expect("grammar: list of a name");
                TypeExpr::ListOf(self.build_ident(id), span)
            }
            other => unreachable!("unexpected {other:?} in type"),
        }
    }

    fn build_rule_decl(&mut self, pair: Pair<'_, Rule>) -> RuleDecl {
        let span = self.span(&pair);
        let mut rule = RuleParts::default();
        let mut head = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::rule_head => head = Some(self.build_rule_head(p)),
                _ => rule.take(self, p),
            }
        }
        let (conclusion, value) = head.expect("grammar: rule has a head");
        rule.finish(conclusion, value, span)
    }

    fn build_rule_head(&mut self, pair: Pair<'_, Rule>) -> (Ident, Option<Expr>) {
        let mut inner = pair.into_inner();
        let conclusion = self.build_ident(inner.next().expect("grammar: head has a conclusion"));
        let value = inner.next().map(|e| self.build_expr(e));
        (conclusion, value)
    }

    fn build_condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let inner = pair.into_inner().next().expect("grammar: condition has a kind");
        let negated = inner.as_rule() == Rule::unless_condition;
        let expr = inner.into_inner().find(|p| p.as_rule() == Rule::expr).expect("grammar: condition has an expr");
        Condition { negated, expr: self.build_expr(expr) }
    }

    /// An expression, by operator precedence, without recursion: a chain of
    /// `and` (or of `or`) becomes one node, however long, and only real
    /// nesting (parentheses, quantifier conditions, prefix operators, mixed
    /// operators) deepens the tree, up to [`MAX_DEPTH`] (E0104 beyond).
    fn build_expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        self.expr_with_depth(pair).0
    }

    /// An expression, with the depth of its tree.
    fn expr_with_depth(&mut self, pair: Pair<'_, Rule>) -> (Expr, usize) {
        let span = self.span(&pair);
        if self.nesting >= MAX_DEPTH {
            self.too_deep = true;
            return (Expr { kind: ExprKind::Literal(Literal::Bool(false)), span }, 0);
        }
        if self.nesting == 0 {
            self.too_deep = false;
        }
        self.nesting += 1;
        let mut operands: Vec<(Expr, usize)> = Vec::new();
        let mut operators: Vec<(Operator, Span)> = Vec::new();
        for p in pair.into_inner() {
            let op_span = self.span(&p);
            match p.as_rule() {
                Rule::op_not => operators.push((Operator::Prefix(UnaryOp::Not), op_span)),
                Rule::op_neg => operators.push((Operator::Prefix(UnaryOp::Neg), op_span)),
                Rule::op_proven => {
                    // The tightest operator: it applies to the operand just read.
                    let standard = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::path)
                        .flat_map(|q| q.into_inner())
                        .filter(|q| q.as_rule() == Rule::ident)
                        .map(|q| self.build_ident(q))
                        .collect();
                    let (operand, depth) = operands.pop().expect("grammar: `proven` follows an operand");
                    let span = operand.span.to(op_span);
                    let node = Expr { kind: ExprKind::Proven(Box::new(operand), standard), span };
                    operands.push(self.bounded(node, depth + 1));
                }
                rule => match infix(rule) {
                    Some(op) => {
                        let level = Operator::Infix(op).level();
                        while operators.last().is_some_and(|(top, _)| top.level() >= level) {
                            let (top, top_span) = operators.pop().expect("checked above");
                            self.reduce(&mut operands, top, top_span);
                        }
                        operators.push((Operator::Infix(op), op_span));
                    }
                    None => {
                        let (primary, depth) = self.build_primary(p);
                        operands.push(self.bounded(primary, depth));
                    }
                },
            }
        }
        while let Some((top, top_span)) = operators.pop() {
            self.reduce(&mut operands, top, top_span);
        }
        self.nesting -= 1;
        let (expr, depth) = operands.pop().expect("grammar: an expression has an operand");
        if self.nesting == 0 && self.too_deep {
            let first = Span::new(span.file, span.start as usize, span.start as usize + 1);
            self.diagnostics.push(
                Diagnostic::new(&codes::TOO_DEEP, first, format!("this expression is nested more than {MAX_DEPTH} levels deep"))
                    .label("the expression begins here")
                    .help("each parenthesis, `not`, `-` and change of operator nests one level (a chain of `and`, or of `or`, counts once): give the parts names, concluding each in a rule of its own, and combine the conclusions"),
            );
            return (Expr { kind: ExprKind::Literal(Literal::Bool(false)), span }, 0);
        }
        (expr, depth)
    }

    /// Applies an operator to the operands on top of the stack.
    fn reduce(&mut self, operands: &mut Vec<(Expr, usize)>, op: Operator, op_span: Span) {
        let (rhs, rhs_depth) = operands.pop().expect("grammar: an operator has an operand");
        let (node, depth) = match op {
            Operator::Prefix(op) => {
                let span = op_span.to(rhs.span);
                (Expr { kind: ExprKind::Unary(op, Box::new(rhs)), span }, rhs_depth + 1)
            }
            Operator::Infix(op) => {
                let (lhs, lhs_depth) = operands.pop().expect("grammar: an infix operator has two operands");
                let span = lhs.span.to(rhs.span);
                let logic = match op {
                    BinaryOp::And => Some(Logic::And),
                    BinaryOp::Or => Some(Logic::Or),
                    _ => None,
                };
                match (logic, lhs) {
                    // The chain goes on: one more operand, no deeper.
                    (Some(logic), Expr { kind: ExprKind::Logic(l, mut items), .. }) if l == logic => {
                        items.push(rhs);
                        (Expr { kind: ExprKind::Logic(logic, items), span }, lhs_depth.max(rhs_depth + 1))
                    }
                    (Some(logic), lhs) => (Expr { kind: ExprKind::Logic(logic, vec![lhs, rhs]), span }, lhs_depth.max(rhs_depth) + 1),
                    (None, lhs) => (Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span }, lhs_depth.max(rhs_depth) + 1),
                }
            }
        };
        operands.push(self.bounded(node, depth));
    }

    /// `node`, unless it is nested more than [`MAX_DEPTH`] deep: then E0104
    /// (once per expression) and a placeholder, so that no deeper tree is built.
    fn bounded(&mut self, node: Expr, depth: usize) -> (Expr, usize) {
        if depth <= MAX_DEPTH {
            return (node, depth);
        }
        self.too_deep = true;
        (Expr { kind: ExprKind::Literal(Literal::Bool(false)), span: node.span }, 0)
    }

    /// An operand, with the depth of its tree.
    fn build_primary(&mut self, pair: Pair<'_, Rule>) -> (Expr, usize) {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.expr_with_depth(pair),
            Rule::quantifier => {
                let (kind, depth) = self.build_quantifier(pair);
                return (Expr { kind, span }, depth);
            }
            Rule::breach => {
                let norm = pair.into_inner().find(|p| p.as_rule() == Rule::ident).expect("grammar: breach of a norm");
                ExprKind::Breach(self.build_ident(norm))
            }
            Rule::path => ExprKind::Path(self.build_path(pair)),
            Rule::boolean => ExprKind::Literal(Literal::Bool(pair.as_str() == "true")),
            Rule::number => ExprKind::Literal(Literal::Number(self.build_number(&pair))),
            Rule::money => {
                let mut inner = pair.into_inner();
                let amount = self.build_number(&inner.next().expect("grammar: money has an amount"));
                let currency = inner.next().expect("grammar: money has a currency").as_str().to_string();
                ExprKind::Literal(Literal::Money(amount, currency))
            }
            Rule::duration => {
                let mut inner = pair.into_inner();
                let amount = self.build_number(&inner.next().expect("grammar: duration has an amount"));
                let unit = inner.next().expect("grammar: duration has a unit").as_str();
                ExprKind::Literal(Literal::Duration(amount * seconds_per(unit)))
            }
            Rule::date => self.build_date(&pair),
            Rule::string => ExprKind::Literal(Literal::Text(self.build_string(pair))),
            other => unreachable!("unexpected {other:?} in expression"),
        };
        (Expr { kind, span }, 1)
    }

    fn build_quantifier(&mut self, pair: Pair<'_, Rule>) -> (ExprKind, usize) {
        let mut depth = 1;
        let mut kind = QuantifierKind::Any;
        let mut var = None;
        let mut list = Vec::new();
        let mut filter = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::quantifier_kind => {
                    kind = match p.as_str() {
                        "all" => QuantifierKind::All,
                        "count" => QuantifierKind::Count,
                        _ => QuantifierKind::Any,
                    }
                }
                Rule::ident => var = Some(self.build_ident(p)),
                Rule::path => list = self.build_path(p),
                Rule::expr => {
                    let (e, d) = self.expr_with_depth(p);
                    depth = d + 1;
                    filter = Some(Box::new(e));
                }
                _ => {}
            }
        }
        (ExprKind::Quantifier { kind, var: var.expect("grammar: quantifier binds a name"), list, filter }, depth)
    }

    fn build_path(&mut self, pair: Pair<'_, Rule>) -> Vec<Ident> {
        pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(|p| self.build_ident(p)).collect()
    }

    fn build_number(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        match exact_number(pair.as_str()) {
            Some(n) => n,
            None => {
                self.diagnostics.push(
                    Diagnostic::new(&codes::INVALID_LITERAL, self.span(pair), format!("the number `{}` is too large", pair.as_str()))
                        .label("too large to be exact")
                        .help("numbers are exact up to 9_007_199_254_740_992; use a smaller unit"),
                );
                0.0
            }
        }
    }

    fn build_date(&mut self, pair: &Pair<'_, Rule>) -> ExprKind {
        match parse_date(pair.as_str()) {
            Some((y, m, d)) => ExprKind::Literal(Literal::Date(y, m, d)),
            None => {
                self.diagnostics.push(
                    Diagnostic::new(&codes::INVALID_LITERAL, self.span(pair), format!("`{}` is not a calendar date", pair.as_str()))
                        .label("no such day")
                        .help("write dates as YYYY-MM-DD, for example `2007-04-27`"),
                );
                ExprKind::Literal(Literal::Date(1970, 1, 1))
            }
        }
    }

    fn build_string(&mut self, pair: Pair<'_, Rule>) -> String {
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn build_ident(&mut self, pair: Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(&pair) }
    }

    // ------------------------------------------------------------ test files

    fn build_test_file(&mut self, pair: Pair<'_, Rule>) -> TestFile {
        let mut suite = None;
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::suite_decl => suite = Some(self.build_suite_decl(p)),
                Rule::test_decl => items.push(TestItem::Test(self.build_test_decl(p))),
                Rule::golden_decl => items.push(TestItem::Golden(self.build_golden_decl(p))),
                _ => {}
            }
        }
        TestFile { suite: suite.expect("grammar: a test file begins with `suite`"), items }
    }

    fn build_strings(&mut self, pair: Pair<'_, Rule>) -> Vec<Citation> {
        self.build_cites_clause(pair)
    }

    fn build_suite_decl(&mut self, pair: Pair<'_, Rule>) -> SuiteDecl {
        let (mut doc, mut name, mut description) = (None, None, None);
        let (mut positions, mut incidents) = (Vec::new(), Vec::new());
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = p.into_inner().next().map(|s| self.build_string(s)),
                Rule::positions_clause => positions.extend(self.build_strings(p)),
                Rule::incidents_clause => incidents.extend(self.build_strings(p)),
                _ => {}
            }
        }
        SuiteDecl { doc, name: name.expect("grammar: a suite has a name"), description, positions, incidents }
    }

    fn build_test_decl(&mut self, pair: Pair<'_, Rule>) -> TestDecl {
        let span = self.span(&pair);
        let (mut doc, mut name, mut description) = (None, None, None);
        let (mut positions, mut incidents, mut facts, mut cites, mut expectations) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = p.into_inner().next().map(|s| self.build_string(s)),
                Rule::positions_clause => positions.extend(self.build_strings(p)),
                Rule::incidents_clause => incidents.extend(self.build_strings(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                Rule::facts_clause => {
                    for g in p.into_inner().filter(|g| g.as_rule() == Rule::given) {
                        facts.push(self.build_given(g));
                    }
                }
                Rule::expectation => expectations.push(self.build_expectation(p)),
                _ => {}
            }
        }
        TestDecl {
            doc,
            name: name.expect("grammar: a test has a name"),
            description,
            positions,
            incidents,
            facts,
            cites,
            expectations,
            span,
        }
    }

    fn build_given(&mut self, pair: Pair<'_, Rule>) -> Given {
        let mut inner = pair.into_inner();
        let name = self.build_path_ident(inner.next().expect("grammar: a given fact has a name"));
        let value_pair = inner.next().expect("grammar: a given fact has a value");
        let value_span = self.span(&value_pair);
        let value = self.build_test_value(value_pair);
        let proof = inner.next().and_then(|p| p.into_inner().find(|i| i.as_rule() == Rule::ident)).map(|i| self.build_ident(i));
        Given { name, value, value_span, proof }
    }

    fn build_expectation(&mut self, pair: Pair<'_, Rule>) -> Expectation {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_expect);
        let conclusion = self.build_path_ident(inner.next().expect("grammar: an expectation names a conclusion"));
        let value_pair = inner.next().expect("grammar: an expectation has a value");
        let value_span = self.span(&value_pair);
        let value = self.build_test_value(value_pair);
        let (mut by, mut proof, mut status, mut settled_by) = (None, None, None, None);
        for clause in inner {
            let rule = clause.as_rule();
            if rule == Rule::settled_clause {
                let facts: Vec<Ident> =
                    clause.into_inner().filter(|p| p.as_rule() == Rule::path).map(|p| self.build_path_ident(p)).collect();
                settled_by = Some(facts);
                continue;
            }
            let Some(word) = clause.into_inner().find(|i| matches!(i.as_rule(), Rule::ident | Rule::rule_ref | Rule::open_value)) else {
                continue;
            };
            let word = Ident { name: word.as_str().to_string(), span: self.span(&word) };
            match rule {
                Rule::by_clause => by = Some(word),
                Rule::expect_proof => proof = Some(word),
                Rule::status_clause => status = Some(word),
                _ => {}
            }
        }
        Expectation { conclusion, value, value_span, by, proof, status, settled_by, span }
    }

    /// A dotted path as one name (`territorial_state.knew`).
    fn build_path_ident(&mut self, pair: Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(&pair) }
    }

    fn build_test_value(&mut self, pair: Pair<'_, Rule>) -> TestValue {
        match pair.as_rule() {
            Rule::unknown_value => TestValue::Unknown,
            Rule::open_value => TestValue::Open,
            Rule::ident => TestValue::Name(pair.as_str().to_string()),
            Rule::signed_number => {
                let negative = pair.as_str().starts_with('-');
                let number = pair.into_inner().next().expect("grammar: a signed number has digits");
                let n = self.build_number(&number);
                TestValue::Literal(Literal::Number(if negative { -n } else { n }))
            }
            _ => match self.build_primary(pair).0.kind {
                ExprKind::Literal(l) => TestValue::Literal(l),
                _ => unreachable!("grammar: a test value is a literal"),
            },
        }
    }

    fn build_golden_decl(&mut self, pair: Pair<'_, Rule>) -> GoldenDecl {
        let span = self.span(&pair);
        let (mut doc, mut name, mut description, mut output, mut into) = (None, None, None, None, None);
        let (mut positions, mut incidents) = (Vec::new(), Vec::new());
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::description => description = p.into_inner().next().map(|s| self.build_string(s)),
                Rule::positions_clause => positions.extend(self.build_strings(p)),
                Rule::incidents_clause => incidents.extend(self.build_strings(p)),
                Rule::output_clause => output = p.into_inner().find(|i| i.as_rule() == Rule::ident).map(|i| self.build_ident(i)),
                Rule::into_clause => into = self.build_strings(p).into_iter().next(),
                _ => {}
            }
        }
        GoldenDecl { doc, name: name.expect("grammar: a golden has a name"), description, positions, incidents, output, into, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped norms, and variants of each made at some of its lines:
    /// cut off there, without the line, or with a line inserted that leaves a
    /// declaration incomplete, adds a doc or a field, or breaks the syntax.
    fn variants() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["examples", "stdlib-rules"] {
            let files = crate::io::files_under(&root.join(dir), |name| name.ends_with(".norm")).expect("a shipped directory");
            for path in files {
                let text = std::fs::read_to_string(&path).expect("a shipped file");
                let lines: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                let step = lines.len() / 12 + 1;
                for &at in lines.iter().step_by(step) {
                    let next = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                    out.push(text[..at].to_string());
                    out.push(format!("{}{}", &text[..at], &text[next..]));
                    for inserted in ["replace\n", "remove\n", "## A doc.\n", "field f: bool \"F.\"\n", "rule (\n", "# a comment\n\n"] {
                        out.push(format!("{}{inserted}{}", &text[..at], &text[at..]));
                    }
                }
                out.push(text);
            }
        }
        out
    }

    #[test]
    fn a_file_read_in_parts_gives_what_it_gives_read_at_once() {
        let variants = variants();
        assert!(variants.len() > 1000, "{} variants", variants.len());
        for text in &variants {
            let whole = parse_with(FileId(0), text, Rule::file, Builder::build_file);
            // Parts as small as the cuts allow: a cut at every line that allows one.
            let parts = parse_in_parts(FileId(0), text, 1);
            assert_eq!(format!("{parts:?}"), format!("{whole:?}"), "{text}");
        }
    }

    #[test]
    fn a_file_is_cut_before_the_docs_and_comments_of_a_declaration() {
        let text = "module m\nfact a: bool \"A.\"\n\n  ## The doc of b.\n# a comment\nfact b: bool \"B.\"\n# c\nrecord r \"R.\"\n  field x: bool \"X.\"\n";
        let a = text.find("fact a").expect("a fact");
        let b = text.find("## The").expect("a doc");
        let r = text.find("record").expect("a record");
        assert_eq!(part_starts(text, 1), [0, a, b, r]);
        assert_eq!(part_starts(text, r), [0, r]);
    }
}
