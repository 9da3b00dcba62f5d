//! The intermediate representation the evaluator runs.
//!
//! Every name is resolved to an index: facts to input slots, conclusions,
//! parameters and rules to their positions in the tables below. Nothing here
//! refers to the AST or to a span, and nothing is looked up by string while
//! evaluating. The whole program is serialisable (`opinio check --emit-ir`).

use serde::{Deserialize, Serialize};

use crate::value::{RecordId, Type, Value};

pub use crate::id::{ConclusionId, ParamId, PartyId, QuestionId, RuleId, SlotId};
pub use crate::value::ReadingKind;

/// A compiled rule set, ready to evaluate against any number of incidents.
///
/// INVARIANT: every index in it is in range; `strata` lists every conclusion
/// once, each after every conclusion it depends on (except inside a recursive
/// stratum); every rule's `defeaters` come before it in its conclusion's
/// `rules`; expressions are well typed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Program {
    /// The entry module's name.
    pub name: String,
    /// Enumerations: names of their values, in order.
    pub enums: Vec<EnumInfo>,
    /// Record types, with their fields flattened to leaves.
    pub records: Vec<RecordInfo>,
    /// The declared facts and where their values live.
    pub facts: Vec<FactInfo>,
    /// The incident input layout: one slot per scalar fact, record leaf or list fact.
    pub slots: Vec<SlotInfo>,
    /// Parameters and their values.
    pub params: Vec<ParamInfo>,
    /// Conclusions and their rules.
    pub conclusions: Vec<ConclusionInfo>,
    /// Rules.
    pub rules: Vec<RuleInfo>,
    /// The evaluation order.
    pub strata: Vec<Stratum>,
    /// Parties: the roles that bear burdens and norms.
    pub parties: Vec<PartyInfo>,
    /// The positions the program is made of, base first (empty for plain modules).
    pub positions: Vec<PositionInfo>,
    /// Every change the positions make to their base, in order.
    pub changes: Vec<ChangeInfo>,
    /// The questions left open: by `open` declarations, and by positions'
    /// `open rule` changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuestionInfo>,
    /// The dated statements of the positions, in order, whether or not
    /// they apply on the day the program is compiled as of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<StatementInfo>,
    /// The day the positions are taken as they stood on (`YYYY-MM-DD`), or
    /// `None` for their latest statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// A dated statement of a position.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatementInfo {
    /// The position that makes it.
    pub position: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// When it was made, `YYYY-MM-DD`.
    pub date: String,
    /// Its sources.
    pub cites: Vec<String>,
    /// Whether its changes apply (made on or before `as_of`).
    pub applies: bool,
}

/// A question left open.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionInfo {
    /// The `open` declaration's name, or the name of the rule whose
    /// application a position leaves open.
    pub name: String,
    /// Whether it leaves a whole conclusion open or a rule's application.
    pub kind: QuestionKind,
    /// The conclusion it bears on.
    pub conclusion: ConclusionId,
    /// Who leaves it open: `base`, or a position.
    pub origin: String,
    /// The sources.
    pub cites: Vec<String>,
    /// Marked `arguable` or `contested`, if so.
    pub reading: Option<Reading>,
}

/// What a question leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// `open NAME ... CONCLUSION if ...`: the conclusion, when its conditions hold.
    Conclusion,
    /// `open rule NAME`: whether the rule applies.
    Rule,
}

/// How far a rule or a change is a settled reading of its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// `arguable` or `contested`.
    pub kind: ReadingKind,
    /// Why, if said.
    pub note: Option<String>,
}

/// The kinds of change a position makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A rule (assessment, tiers) of the base replaced.
    Replace,
    /// A rule (assessment, tiers) of the base removed.
    Remove,
    /// A rule (assessment, tiers) added.
    Add,
    /// A parameter set.
    SetParam,
    /// A conclusion's standard of proof set.
    SetStandard,
    /// A conclusion's burden of proof set.
    SetBurden,
    /// Whether a rule (assessment, tiers) of the base applies left open.
    Open,
}

/// A party.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartyInfo {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
}

/// A position.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PositionInfo {
    /// Its name.
    pub name: String,
    /// The name reports show (`position france "France"`), if declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it extends.
    pub extends: String,
    /// Its citations.
    pub cites: Vec<String>,
}

/// One change a position makes to its base.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeInfo {
    /// The position's name.
    pub position: String,
    /// What kind of change.
    pub kind: ChangeKind,
    /// The rule, parameter or conclusion changed.
    pub target: String,
    /// The citations given for the change.
    pub cites: Vec<String>,
    /// For a removal, or a rule left open: the conclusions the declaration
    /// concluded (the change is shown with each of their results).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conclusions: Vec<String>,
    /// Marked `arguable` or `contested`, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
    /// The statement it was made in (an index into [`Program::statements`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<u32>,
}

/// An enumeration type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumInfo {
    /// Its name.
    pub name: String,
    /// Its values, in declared (and comparison) order.
    pub values: Vec<String>,
}

/// A record type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordInfo {
    /// Its name.
    pub name: String,
    /// Leaves of the record: dotted field paths and their scalar types.
    pub leaves: Vec<LeafInfo>,
}

/// One scalar field of a (possibly nested) record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LeafInfo {
    /// The dotted path inside the record, such as `knew` or `capacity.technical`.
    pub path: String,
    /// Its type.
    pub ty: Type,
    /// Its description.
    pub description: String,
}

/// A declared fact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactInfo {
    /// Its name.
    pub name: String,
    /// Its type (a record fact spans one slot per leaf).
    pub ty: Type,
    /// Its (first) slot.
    pub slot: SlotId,
    /// Its description.
    pub description: String,
}

/// An input slot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotInfo {
    /// The full dotted name, as an incident file writes it.
    pub name: String,
    /// Its type (scalar, or `List`).
    pub ty: Type,
    /// Its description.
    pub description: String,
}

/// A parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its value.
    pub value: Value,
    /// Its description.
    pub description: String,
}

/// A conclusion.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConclusionInfo {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its description.
    pub description: String,
    /// Its rules, each after all of its defeaters.
    pub rules: Vec<RuleId>,
    /// `base`, or the position that declared it.
    pub origin: String,
    /// The party bearing the burden of proving it: when it stays unknown, it is false.
    pub burden: Option<ProofRequirement<PartyId>>,
    /// The standard of proof it must meet to be true (a constant or a parameter).
    pub standard: Option<ProofRequirement<Expr>>,
    /// For obligations, permissions and prohibitions: kind, bearer and breach.
    pub deontic: Option<DeonticInfo>,
    /// For the breach conclusion of a norm: the norm.
    pub breach_of: Option<ConclusionId>,
    /// Where its result comes from: the changes of the program's positions
    /// (indices into [`Program::changes`], ascending) that bear on it,
    /// directly (a rule of it replaced, removed or added, a parameter its
    /// rules read set, its standard or burden set) or through a conclusion
    /// its rules read. Empty: the result is inherited from the base by
    /// silence, whatever the incident.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stated_by: Vec<u32>,
}

/// A burden or standard of proof, with its source.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProofRequirement<T> {
    /// The party, or the standard.
    pub value: T,
    /// Its citations.
    pub cites: Vec<String>,
    /// `base`, or the position that set it.
    pub origin: String,
}

/// An obligation, permission or prohibition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeonticInfo {
    /// Which kind.
    pub kind: DeonticKind,
    /// Whom it binds or permits.
    pub bearer: PartyId,
    /// The conclusion that it is breached, if it can be.
    pub breach: Option<ConclusionId>,
}

/// Obligation, permission or prohibition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeonticKind {
    /// Must.
    Obligation,
    /// May.
    Permission,
    /// Must not.
    Prohibition,
}

/// A rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Its name.
    pub name: String,
    /// The module that declares it.
    pub module: String,
    /// The conclusion it concludes.
    pub conclusion: ConclusionId,
    /// Whether it is a default rule.
    pub is_default: bool,
    /// Its citations.
    pub cites: Vec<String>,
    /// The value it gives when it applies.
    pub value: Expr,
    /// When it applies (its `if` and `unless` conditions, combined).
    pub condition: Expr,
    /// The rules that defeat it when they apply.
    pub defeaters: Vec<Defeater>,
    /// The facts, conclusions and parameters it reads, for explanations.
    pub reads: Reads,
    /// `base`, or the position that declared or replaced it.
    pub origin: String,
    /// The declaration it comes from.
    pub form: RuleForm,
    /// Marked `arguable` or `contested`, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// The declaration a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleForm {
    /// A `rule`.
    Rule,
    /// An `assessment`: its condition begins with the weighted test.
    Assessment,
    /// One tier of a `tiers` declaration.
    Tier {
        /// The `tiers` declaration's name.
        tiers: String,
        /// The tier's number from 1, or `None` for `otherwise`.
        index: Option<u16>,
    },
    /// The rule deriving the breach of a norm.
    Breach {
        /// The norm.
        norm: ConclusionId,
    },
    /// An `open` question: when its conditions hold, it prevails over every
    /// other rule of its conclusion and leaves it open.
    Open,
}

/// One rule that defeats another when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defeater {
    /// The defeating rule.
    pub rule: RuleId,
    /// Why it defeats.
    pub kind: DefeatKind,
}

/// Why one rule defeats another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefeatKind {
    /// The defeater is declared an `exception to` the defeated rule.
    Exception,
    /// The defeater `prevails over` the defeated rule.
    Priority,
    /// The defeated rule is a `default rule` and the defeater is not.
    Default,
    /// The defeater is an `open` question of the same conclusion.
    Open,
}

impl DefeatKind {
    /// The kind's name, as the outputs write it (serde writes the same).
    pub fn name(self) -> &'static str {
        match self {
            DefeatKind::Exception => "exception",
            DefeatKind::Priority => "priority",
            DefeatKind::Default => "default",
            DefeatKind::Open => "open",
        }
    }
}

/// What a rule reads, sorted and without repetition.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reads {
    /// Input slots.
    pub slots: Vec<SlotId>,
    /// Conclusions.
    pub conclusions: Vec<ConclusionId>,
    /// Parameters.
    pub params: Vec<ParamId>,
}

/// A group of conclusions evaluated together.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stratum {
    /// One conclusion that does not depend on itself.
    Single(ConclusionId),
    /// True/false conclusions that depend on each other only positively,
    /// evaluated to their least fixed point.
    Recursive(Vec<ConclusionId>),
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expr {
    /// A constant.
    Const(Value),
    /// An input slot.
    Slot(SlotId),
    /// Another conclusion's value.
    Conclusion(ConclusionId),
    /// A parameter's value.
    Param(ParamId),
    /// A leaf of the list element bound `depth` quantifiers out (0 = innermost).
    Field {
        /// How many quantifiers out the element is bound.
        depth: u16,
        /// The leaf index in the element's record.
        leaf: u16,
    },
    /// Kleene negation.
    Not(Box<Expr>),
    /// Arithmetic negation.
    Neg(Box<Expr>),
    /// Kleene conjunction of two operands or more, evaluated left to right.
    And(Vec<Expr>),
    /// Kleene disjunction of two operands or more, evaluated left to right.
    Or(Vec<Expr>),
    /// A comparison.
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    /// Arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `e proven s`: `e` is true and established to the standard `s` (a
    /// constant or a parameter of type `proof_standard`).
    Proven(Box<Expr>, Box<Expr>),
    /// A weighted multi-factor test against a threshold.
    Assessment(Box<Assessment>),
    /// A question left open: unknown, for a reason of law rather than of fact.
    Open(QuestionId),
    /// `any`, `all` or `count` over a list fact.
    Quantifier {
        /// Which quantifier.
        kind: QuantifierKind,
        /// The list slot.
        list: SlotId,
        /// The record type of its elements.
        record: RecordId,
        /// The condition on each element (`None`: every element counts).
        filter: Option<Box<Expr>>,
    },
}

/// A weighted multi-factor test: each factor's rating, scaled to 0..1, times
/// its weight, summed and compared with a threshold. The weighted mean is the
/// sum divided by the highest sum the weights allow (the sum of the positive
/// weights), so it lies between 0 and 1 when no weight is negative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The factors, in declared order.
    pub factors: Vec<Factor>,
    /// Divide the sum by the sum of the positive weights.
    pub mean: bool,
    /// `>` rather than `>=`.
    pub strict: bool,
    /// The threshold (a constant expression).
    pub threshold: Expr,
}

/// One factor of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Its name.
    pub name: String,
    /// Its rating.
    pub rating: Expr,
    /// How the rating maps to 0..1.
    pub scale: RatingScale,
    /// Its weight (a constant expression).
    pub weight: Expr,
}

/// How a rating maps to a share between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum RatingScale {
    /// false = 0, true = 1.
    Bool,
    /// The i-th of n enumeration values = i / (n - 1).
    Enum(u16),
    /// A number between 0 and 1, taken as it is.
    Unit,
}

impl RatingScale {
    /// The share of a known rating, or `None` for a number outside 0..1.
    pub fn share(self, v: &Value) -> Option<f64> {
        match (self, v) {
            (RatingScale::Bool, Value::Bool(b)) => Some(if *b { 1.0 } else { 0.0 }),
            (RatingScale::Enum(n), Value::Enum(_, i)) => Some(if n <= 1 { 1.0 } else { f64::from(*i) / f64::from(n - 1) }),
            (RatingScale::Unit, Value::Number(x)) if (0.0..=1.0).contains(x) => Some(*x),
            _ => None,
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
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
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// `any`, `all`, `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantifierKind {
    /// Some element satisfies the condition.
    Any,
    /// Every element satisfies the condition.
    All,
    /// How many elements satisfy it.
    Count,
}

impl Program {
    /// The name the program goes by in comparisons: its position's, or its
    /// module's.
    pub fn position_name(&self) -> &str {
        self.positions.last().map_or(self.name.as_str(), |p| p.name.as_str())
    }

    /// The name reports show for it: its position's declared title
    /// (`position france "France"`), else its name.
    pub fn title(&self) -> &str {
        self.positions.last().and_then(|p| p.title.as_deref()).unwrap_or_else(|| self.position_name())
    }

    /// The removals, by the positions of this program, of rules that
    /// concluded `conclusion`, in the order the positions make them.
    pub fn removals_of<'a>(&'a self, conclusion: &'a str) -> impl Iterator<Item = &'a ChangeInfo> + 'a {
        self.changes.iter().filter(move |c| c.kind == ChangeKind::Remove && c.conclusions.iter().any(|n| n == conclusion))
    }

    /// Whether the result of a conclusion is stated by the program's
    /// positions (`Some(true)`), inherited from the base by their silence
    /// (`Some(false)`), or neither, for a program without positions (`None`).
    pub fn stated(&self, c: ConclusionId) -> Option<bool> {
        (!self.positions.is_empty()).then(|| !self.conclusions[c].stated_by.is_empty())
    }

    /// The conclusion of this name.
    pub fn conclusion_named(&self, name: &str) -> Option<ConclusionId> {
        self.conclusions.iter().position(|c| c.name == name).map(ConclusionId::new)
    }

    /// Whether any value depends on how well facts are proven: some rule uses
    /// `proven`, or some conclusion requires a standard of proof.
    pub fn values_need_proofs(&self) -> bool {
        fn uses_proven(e: &Expr) -> bool {
            match e {
                Expr::Proven(..) => true,
                Expr::Not(x) | Expr::Neg(x) => uses_proven(x),
                Expr::And(items) | Expr::Or(items) => items.iter().any(uses_proven),
                Expr::Compare(_, l, r) | Expr::Arith(_, l, r) => uses_proven(l) || uses_proven(r),
                Expr::Quantifier { filter, .. } => filter.as_deref().is_some_and(uses_proven),
                Expr::Assessment(a) => a.factors.iter().any(|f| uses_proven(&f.rating)),
                Expr::Const(_) | Expr::Slot(_) | Expr::Conclusion(_) | Expr::Param(_) | Expr::Field { .. } | Expr::Open(_) => false,
            }
        }
        self.conclusions.iter().any(|c| c.standard.is_some())
            || self.rules.iter().any(|r| uses_proven(&r.condition) || uses_proven(&r.value))
    }

    /// The slot of this name.
    pub fn slot_named(&self, name: &str) -> Option<SlotId> {
        self.slots.iter().position(|s| s.name == name).map(SlotId::new)
    }

    /// The name of a type, as the language writes it.
    pub fn type_name(&self, ty: Type) -> String {
        ty.name(|e| &self.enums[e].name, |r| &self.records[r].name)
    }

    /// Whether a value of this program is the same as a value of `other`
    /// (an enumeration value by the names of its type and of itself: the ids
    /// of two programs compiled apart differ).
    pub fn same_value(&self, x: &Value, other: &Program, y: &Value) -> bool {
        match (x, y) {
            (Value::Enum(e, i), Value::Enum(f, j)) => {
                self.enums[e].name == other.enums[f].name && self.enums[e].values.get(*i as usize) == other.enums[f].values.get(*j as usize)
            }
            _ => x == y,
        }
    }

    /// Whether an expression of this program is the same as an expression
    /// of `other`, node by node, through the names of the facts,
    /// conclusions, parameters, questions and records they refer to.
    pub fn same_expr(&self, x: &Expr, other: &Program, y: &Expr) -> bool {
        let (pa, pb) = (self, other);
        let same = |x: &Expr, y: &Expr| pa.same_expr(x, pb, y);
        let all = |xs: &[Expr], ys: &[Expr]| xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y));
        match (x, y) {
            (Expr::Const(v), Expr::Const(w)) => pa.same_value(v, pb, w),
            (Expr::Slot(s), Expr::Slot(t)) => pa.slots[s].name == pb.slots[t].name,
            (Expr::Conclusion(c), Expr::Conclusion(d)) => pa.conclusions[c].name == pb.conclusions[d].name,
            (Expr::Param(p), Expr::Param(q)) => pa.params[p].name == pb.params[q].name,
            (Expr::Field { depth: d, leaf: l }, Expr::Field { depth: e, leaf: m }) => d == e && l == m,
            (Expr::Not(x), Expr::Not(y)) | (Expr::Neg(x), Expr::Neg(y)) => same(x, y),
            (Expr::And(xs), Expr::And(ys)) | (Expr::Or(xs), Expr::Or(ys)) => all(xs, ys),
            (Expr::Compare(o, l, r), Expr::Compare(p, m, s)) => o == p && same(l, m) && same(r, s),
            (Expr::Arith(o, l, r), Expr::Arith(p, m, s)) => o == p && same(l, m) && same(r, s),
            (Expr::Proven(e, s), Expr::Proven(f, t)) => same(e, f) && same(s, t),
            (Expr::Open(q), Expr::Open(r)) => pa.questions.get(q.index()).map(|q| &q.name) == pb.questions.get(r.index()).map(|q| &q.name),
            (Expr::Assessment(s), Expr::Assessment(t)) => {
                s.mean == t.mean
                    && s.strict == t.strict
                    && same(&s.threshold, &t.threshold)
                    && s.factors.len() == t.factors.len()
                    && s.factors
                        .iter()
                        .zip(&t.factors)
                        .all(|(f, g)| f.name == g.name && f.scale == g.scale && same(&f.rating, &g.rating) && same(&f.weight, &g.weight))
            }
            (
                Expr::Quantifier { kind: k, list: l, record: r, filter: f },
                Expr::Quantifier { kind: k2, list: l2, record: r2, filter: f2 },
            ) => {
                k == k2
                    && pa.slots[l].name == pb.slots[l2].name
                    && pa.records[r.index()].name == pb.records[r2.index()].name
                    && match (f, f2) {
                        (None, None) => true,
                        (Some(f), Some(g)) => same(f, g),
                        _ => false,
                    }
            }
            _ => false,
        }
    }
}
