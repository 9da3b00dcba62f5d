//! The abstract syntax tree: what a `.norm` file says, with spans, before any
//! name is resolved.

use serde::Serialize;

use crate::source::Span;
pub use crate::value::ReadingKind;

/// A name as written, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// One parsed `.norm` file.
#[derive(Debug, Clone, Serialize)]
pub struct File {
    /// The `module` declaration, if the file has one.
    pub module: Option<ModuleDecl>,
    /// The `position` declaration, if the file is a position.
    pub position: Option<PositionDecl>,
    /// The declarations, in source order.
    pub items: Vec<Item>,
}

/// `module a.b`
#[derive(Debug, Clone, Serialize)]
pub struct ModuleDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The dotted module name.
    pub name: Ident,
}

/// `position name extends base cites "..."`: a State's reading of the law as
/// an overlay on a base (the standard library or another position).
#[derive(Debug, Clone, Serialize)]
pub struct PositionDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The position's name (also its module name).
    pub name: Ident,
    /// The name reports show (`position france "France"`), if given.
    pub title: Option<String>,
    /// What it extends: `stdlib`, another position or module, or a position file.
    pub extends: Base,
    /// The position paper(s) it encodes.
    pub cites: Vec<Citation>,
}

/// What a position extends.
#[derive(Debug, Clone, Serialize)]
pub enum Base {
    /// `extends stdlib`, or `extends name`: a position or module found like
    /// an import.
    Name(Ident),
    /// `extends "path/to/position.norm"`: a position file, by its path
    /// relative to the extending file.
    Path(Citation),
}

impl Base {
    /// Where the base is written.
    pub fn span(&self) -> Span {
        match self {
            Base::Name(i) => i.span,
            Base::Path(c) => c.span,
        }
    }
}

/// A top-level declaration.
#[derive(Debug, Clone, Serialize)]
pub enum Item {
    /// `import a.b`
    Import(Ident),
    /// `enum name "..." values a, b`
    Enum(EnumDecl),
    /// `record name "..." field ...`
    Record(RecordDecl),
    /// `fact name: type "..."`
    Fact(ValueDecl),
    /// `conclusion name: type "..."`
    Conclusion(ConclusionDecl),
    /// `param name: type = value "..."`
    Param(ParamDecl),
    /// `party name "..."`
    Party(PartyDecl),
    /// `obligation name "..." bearer party ...`, and permissions and prohibitions.
    Deontic(DeonticDecl),
    /// `rule name ...`
    Rule(RuleDecl),
    /// `assessment name ... factor ... conclusion if weighted sum >= t`
    Assessment(AssessmentDecl),
    /// `tiers name ... conclusion tier v if c ... otherwise v`
    Tiers(TiersDecl),
    /// `replace rule name ...` (positions only).
    Replace(ReplaceDecl),
    /// `remove rule name cites "..."` (positions only).
    Remove(RemoveDecl),
    /// `set param name = value cites "..."` and the like (positions only).
    Set(SetDecl),
    /// `open name ... conclusion if ...`: a question left open. Its `value`
    /// is always `None`.
    Open(RuleDecl),
    /// `open rule name cites "..."` (positions only): whether a rule of the
    /// base applies is left open.
    OpenRule(RemoveDecl),
    /// `statement name "..." dated YYYY-MM-DD` (positions only).
    Statement(StatementDecl),
}

/// A dated statement of a position: a speech, a paper, a submission.
#[derive(Debug, Clone, Serialize)]
pub struct StatementDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// Its name.
    pub name: Ident,
    /// What it is, as a reader would cite it.
    pub description: String,
    /// When it was made: (year, month, day), as written.
    pub date: (i16, i8, i8),
    /// Where the date is written.
    pub date_span: Span,
    /// Its sources (where it is published).
    pub cites: Vec<Citation>,
    /// The whole declaration.
    pub span: Span,
}

/// `arguable "note"` or `contested "note"`: how far a declaration or change
/// is a settled reading of its source.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    /// Arguable or contested.
    pub kind: ReadingKind,
    /// Why, if said.
    pub note: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// A conclusion: a value derived by rules, with its burden and standard of proof.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionDecl {
    /// Its name, type and description.
    pub value: ValueDecl,
    /// Its burden, standard and their sources.
    pub proof: ProofClauses,
}

/// `burden on party`, `standard s` and `cites "..."` of a conclusion.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProofClauses {
    /// The party that bears the burden of proving the conclusion.
    pub burden: Option<Ident>,
    /// The standard of proof the conclusion must meet to hold.
    pub standard: Option<Expr>,
    /// `burden on p to s`: the standard the bearer must meet.
    pub burden_standard: Option<Expr>,
    /// The sources of the burden and the standard.
    pub cites: Vec<Citation>,
}

/// A party: a role a State plays (the victim State, the territorial State),
/// which bears burdens of proof and deontic norms.
#[derive(Debug, Clone, Serialize)]
pub struct PartyDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// Its name.
    pub name: Ident,
    /// Its description.
    pub description: String,
}

/// Obligation, permission or prohibition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeonticKind {
    /// The bearer must do something.
    Obligation,
    /// The bearer may do something.
    Permission,
    /// The bearer must not do something.
    Prohibition,
}

impl DeonticKind {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            DeonticKind::Obligation => "obligation",
            DeonticKind::Permission => "permission",
            DeonticKind::Prohibition => "prohibition",
        }
    }
}

/// `obligation name "..." bearer party [met if c]`, `prohibition ... [violated if c]`,
/// `permission ...`: a true/false conclusion (the norm binds or permits the
/// bearer in this incident) that rules conclude.
#[derive(Debug, Clone, Serialize)]
pub struct DeonticDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// Which kind of norm.
    pub kind: DeonticKind,
    /// Its name (the name of the conclusion).
    pub name: Ident,
    /// What the bearer must, may or must not do.
    pub description: String,
    /// Who the norm binds or permits.
    pub bearer: Ident,
    /// `met if c`: when an obligation is complied with.
    pub met: Option<Expr>,
    /// `violated if c`: when a prohibition is violated.
    pub violated: Option<Expr>,
    /// Burden, standard and sources.
    pub proof: ProofClauses,
}

/// A weighted multi-factor assessment: a rule whose condition is that the
/// weighted ratings of its factors reach a threshold.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentDecl {
    /// The rule part: name, citations, exceptions, the conclusion (always
    /// `true` when the threshold is reached) and further conditions.
    pub rule: RuleDecl,
    /// The factors, in order.
    pub factors: Vec<Factor>,
    /// `sum` or `mean`.
    pub aggregate: Aggregate,
    /// `>` rather than `>=`.
    pub strict: bool,
    /// The threshold.
    pub threshold: Expr,
}

/// One factor of an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// The factor's name (and, without `= rating`, the fact or conclusion rating it).
    pub name: Ident,
    /// `= rating`, when the rating is not the name itself.
    pub rating: Option<Expr>,
    /// Its weight.
    pub weight: Expr,
}

/// How an assessment combines weighted ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Aggregate {
    /// The sum of weight x rating.
    Sum,
    /// The sum divided by the sum of the weights.
    Mean,
}

/// An ordered choice: `tiers name ... conclusion tier v1 if c1 tier v2 if c2 otherwise v3`.
#[derive(Debug, Clone, Serialize)]
pub struct TiersDecl {
    /// The rule part: name, citations, exceptions and the conclusion (its
    /// `value` and `conditions` are unused).
    pub rule: RuleDecl,
    /// Each tier's value and condition, first tier first.
    pub tiers: Vec<(Expr, Expr)>,
    /// The value when no tier's condition holds.
    pub otherwise: Option<Expr>,
}

/// `replace rule ...`: a position's replacement of a base rule, assessment or tiers.
#[derive(Debug, Clone, Serialize)]
pub struct ReplaceDecl {
    /// The replacement, of the same kind and name as the replaced declaration.
    pub with: Box<Item>,
    /// The whole declaration.
    pub span: Span,
}

/// `remove rule name cites "..."`.
#[derive(Debug, Clone, Serialize)]
pub struct RemoveDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// `rule`, `assessment` or `tiers`.
    pub kind: String,
    /// The removed rule's name.
    pub name: Ident,
    /// Why: the position paper.
    pub cites: Vec<Citation>,
    /// `arguable` or `contested`, if marked.
    pub reading: Option<Reading>,
    /// `in STATEMENT`: the dated statement it was made in.
    pub statement: Option<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// `set ... cites "..."`.
#[derive(Debug, Clone, Serialize)]
pub struct SetDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// What is set.
    pub target: SetTarget,
    /// Why: the position paper.
    pub cites: Vec<Citation>,
    /// `arguable` or `contested`, if marked.
    pub reading: Option<Reading>,
    /// `in STATEMENT`: the dated statement it was made in.
    pub statement: Option<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// What a `set` changes.
#[derive(Debug, Clone, Serialize)]
pub enum SetTarget {
    /// `set param name = value`
    Param(Ident, Expr),
    /// `set standard of conclusion = standard`
    Standard(Ident, Expr),
    /// `set burden of conclusion on party [to standard]`
    Burden(Ident, Ident, Option<Expr>),
}

/// An enumeration type.
#[derive(Debug, Clone, Serialize)]
pub struct EnumDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The type's name.
    pub name: Ident,
    /// The one-line description.
    pub description: String,
    /// The values, in declared order.
    pub values: Vec<Ident>,
}

/// A record type: a group of named fields.
#[derive(Debug, Clone, Serialize)]
pub struct RecordDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The type's name.
    pub name: Ident,
    /// The one-line description.
    pub description: String,
    /// The fields, in declared order.
    pub fields: Vec<ValueDecl>,
}

/// A typed name with a description: a fact, a conclusion or a record field.
#[derive(Debug, Clone, Serialize)]
pub struct ValueDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The declared type.
    pub ty: TypeExpr,
    /// The one-line description.
    pub description: String,
}

/// A named parameter with its default value.
#[derive(Debug, Clone, Serialize)]
pub struct ParamDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The name.
    pub name: Ident,
    /// The declared type.
    pub ty: TypeExpr,
    /// The default value.
    pub value: Expr,
    /// The one-line description.
    pub description: String,
}

/// A type as written.
#[derive(Debug, Clone, Serialize)]
pub enum TypeExpr {
    /// A built-in type, an enumeration or a record, by name.
    Named(Ident),
    /// `list of record`
    ListOf(Ident, Span),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(id) => id.span,
            TypeExpr::ListOf(_, span) => *span,
        }
    }
}

/// A rule: a conclusion, a value and conditions, with citations and its place
/// among the other rules of the same conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// Whether it is a `default rule`, which any other applicable rule overrides.
    pub is_default: bool,
    /// The rule's name.
    pub name: Ident,
    /// The sources it cites.
    pub cites: Vec<Citation>,
    /// `exception to r`: the rules this one is an exception to.
    pub exception_to: Vec<Ident>,
    /// `prevails over r`: the rules this one has priority over.
    pub prevails_over: Vec<Ident>,
    /// The conclusion it concludes.
    pub conclusion: Ident,
    /// `= value`, if written; a true/false conclusion defaults to `true`.
    pub value: Option<Expr>,
    /// The `if` and `unless` conditions, in order.
    pub conditions: Vec<Condition>,
    /// `arguable` or `contested`, if marked.
    pub reading: Option<Reading>,
    /// `in STATEMENT`: the dated statement it was made in.
    pub statement: Option<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// A citation string.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The text, unescaped.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// `if e` or `unless e`.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// `true` for `unless`.
    pub negated: bool,
    /// The condition.
    pub expr: Expr,
}

/// An expression with its span.
#[derive(Debug, Clone, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, Serialize)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// A name or a dotted path (`territorial_state.knew`).
    Path(Vec<Ident>),
    /// A prefix operator.
    Unary(UnaryOp, Box<Expr>),
    /// An infix operator other than `and` and `or`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A chain of `and`, or of `or`: two operands or more, in order.
    Logic(Logic, Vec<Expr>),
    /// `e proven standard`: `e` holds and is established to the standard.
    Proven(Box<Expr>, Vec<Ident>),
    /// `breach of norm`: an obligation or prohibition is breached.
    Breach(Ident),
    /// `any x in xs where c`, `all ...`, `count ...`.
    Quantifier {
        /// Which quantifier.
        kind: QuantifierKind,
        /// The bound variable.
        var: Ident,
        /// The list ranged over.
        list: Vec<Ident>,
        /// The condition, if any (`count` may omit it).
        filter: Option<Box<Expr>>,
    },
}

/// A literal as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    /// `true` or `false`.
    Bool(bool),
    /// `12`, `0.5`.
    Number(f64),
    /// `10_000_000 USD`.
    Money(f64, String),
    /// `48 hours`, in seconds.
    Duration(f64),
    /// `2007-04-27`, as (year, month, day).
    Date(i16, i8, i8),
    /// `"text"`.
    Text(String),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// `and`, `or`: the connectives that chain without nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Logic {
    /// `a and b and ...`
    And,
    /// `a or b or ...`
    Or,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// `any`, `all`, `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QuantifierKind {
    /// True if some element satisfies the condition.
    Any,
    /// True if every element satisfies the condition.
    All,
    /// The number of elements that satisfy the condition.
    Count,
}

// ---------------------------------------------------------------- test files

/// One parsed test file (`*.test.norm`).
#[derive(Debug, Clone, Serialize)]
pub struct TestFile {
    /// The `suite` header.
    pub suite: SuiteDecl,
    /// Its tests and golden declarations, in file order.
    pub items: Vec<TestItem>,
}

/// `suite name "..."`, with the defaults of the file's declarations.
#[derive(Debug, Clone, Serialize)]
pub struct SuiteDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The suite's name.
    pub name: Ident,
    /// The description, if given.
    pub description: Option<String>,
    /// Default norms for declarations that name none.
    pub positions: Vec<Citation>,
    /// Default incidents for declarations that name none.
    pub incidents: Vec<Citation>,
}

/// A declaration of a test file.
#[derive(Debug, Clone, Serialize)]
pub enum TestItem {
    /// `test`.
    Test(TestDecl),
    /// `golden`.
    Golden(GoldenDecl),
}

/// `test name "..."`: expectations on conclusions.
#[derive(Debug, Clone, Serialize)]
pub struct TestDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// The test's name.
    pub name: Ident,
    /// The description, if given.
    pub description: Option<String>,
    /// The norms to run it under (files or directories, as written).
    pub positions: Vec<Citation>,
    /// The incidents to run it on (files or directories, as written).
    pub incidents: Vec<Citation>,
    /// Facts given inline, replacing or completing the incident's.
    pub facts: Vec<Given>,
    /// Where the expectations come from.
    pub cites: Vec<Citation>,
    /// What the test expects.
    pub expectations: Vec<Expectation>,
    /// The whole declaration.
    pub span: Span,
}

/// `name = value [proven standard]` under `facts`.
#[derive(Debug, Clone, Serialize)]
pub struct Given {
    /// The fact (or record field, `territorial_state.knew`).
    pub name: Ident,
    /// Its value.
    pub value: TestValue,
    /// Where the value is written.
    pub value_span: Span,
    /// The standard its evidence meets, if given.
    pub proof: Option<Ident>,
}

/// `expect conclusion = value [by rule] [proven standard] [status s] [settled by f, ...]`.
#[derive(Debug, Clone, Serialize)]
pub struct Expectation {
    /// The conclusion.
    pub conclusion: Ident,
    /// The value expected.
    pub value: TestValue,
    /// Where the value is written.
    pub value_span: Span,
    /// The rule expected to decide it.
    pub by: Option<Ident>,
    /// The standard it must be established to, at least.
    pub proof: Option<Ident>,
    /// How it must be decided.
    pub status: Option<Ident>,
    /// Exactly the facts that would settle it (for a conclusion left open or
    /// decided by a burden of proof).
    pub settled_by: Option<Vec<Ident>>,
    /// The whole expectation.
    pub span: Span,
}

/// A value written in a test file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TestValue {
    /// `unknown`.
    Unknown,
    /// `open` (in expectations only): left open by a question of law.
    Open,
    /// A literal, as in expressions.
    Literal(Literal),
    /// A bare name: an enumeration value.
    Name(String),
}

/// `golden name "..."`: whole evaluations kept in files.
#[derive(Debug, Clone, Serialize)]
pub struct GoldenDecl {
    /// The doc string.
    pub doc: Option<String>,
    /// Its name.
    pub name: Ident,
    /// The description, if given.
    pub description: Option<String>,
    /// The norms (files or directories, as written).
    pub positions: Vec<Citation>,
    /// The incidents (files or directories, as written).
    pub incidents: Vec<Citation>,
    /// `eval`, `explain` or `json`, if given.
    pub output: Option<Ident>,
    /// The directory of the golden files, relative to the test file.
    pub into: Option<Citation>,
    /// The whole declaration.
    pub span: Span,
}
