//! The abstract syntax tree: what a `.norm` file says, with spans, before any
//! name is resolved.

use serde::Serialize;

use crate::source::Span;

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
    Conclusion(ValueDecl),
    /// `param name: type = value "..."`
    Param(ParamDecl),
    /// `rule name ...`
    Rule(RuleDecl),
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
    /// An infix operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
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
