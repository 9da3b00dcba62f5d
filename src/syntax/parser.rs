//! pest -> AST. The only file that sees pest's `Rule` and `Pair`.
//!
//! One `build_<rule>` function per grammar rule, in grammar order.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use pest_derive::Parser;

use super::ast::*;
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

#[derive(Parser)]
#[grammar = "../grammar/opinio.pest"]
pub(super) struct OpinioParser;

/// Parses one file. On a syntax error, returns the one diagnostic that
/// describes it (pest stops at the first).
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    parse_with(file, text, Rule::file, Builder::build_file)
}

/// Parses `text` as `rule` and builds its AST; the builder's diagnostics
/// (invalid literals) make it an error.
fn parse_with<T>(
    file: FileId,
    text: &str,
    rule: Rule,
    build: impl FnOnce(&mut Builder, Pair<'_, Rule>) -> T,
) -> Result<T, Vec<Diagnostic>> {
    let pairs = OpinioParser::parse(rule, text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut b = Builder { file, diagnostics: Vec::new() };
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
    let mut pairs = OpinioParser::parse(Rule::standalone_expr, text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut b = Builder { file, diagnostics: Vec::new() };
    let expr = b.build_expr(pairs.next().expect("one pair").into_inner().next().expect("an expr"));
    if b.diagnostics.is_empty() {
        Ok(expr)
    } else {
        Err(b.diagnostics)
    }
}

/// Operator precedence, loosest first.
static PRATT: std::sync::LazyLock<PrattParser<Rule>> = std::sync::LazyLock::new(pratt);

fn pratt() -> PrattParser<Rule> {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::op_proven))
}

struct Builder {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
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
            span,
        }
    }
}

impl Builder {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
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
            other => unreachable!("unexpected {other:?} in file"),
        }
    }

    fn build_position_decl(&mut self, pair: Pair<'_, Rule>) -> PositionDecl {
        let mut doc = None;
        let mut name = None;
        let mut extends = None;
        let mut cites = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::extends_clause => {
                    let path = p.into_inner().find(|q| q.as_rule() == Rule::module_path).expect("grammar: extends has a path");
                    extends = Some(self.build_ident(path));
                }
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                _ => {}
            }
        }
        PositionDecl {
            doc,
            name: name.expect("grammar: position has a name"),
            extends: extends.expect("grammar: position extends a base"),
            cites,
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
                let party = p.into_inner().find(|q| q.as_rule() == Rule::ident).expect("grammar: burden on a party");
                proof.burden = Some(self.build_ident(party));
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
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::removable => kind = p.as_str().to_string(),
                Rule::ident => name = Some(self.build_ident(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
                _ => {}
            }
        }
        RemoveDecl { doc, kind, name: name.expect("grammar: remove names a rule"), cites, span }
    }

    fn build_set_decl(&mut self, pair: Pair<'_, Rule>) -> SetDecl {
        let span = self.span(&pair);
        let mut doc = None;
        let mut target = None;
        let mut cites = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.build_doc(p)),
                Rule::cites_clause => cites.extend(self.build_cites_clause(p)),
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
                        _ => SetTarget::Burden(first, idents.next().expect("grammar: set burden names a party")),
                    });
                }
                _ => {}
            }
        }
        SetDecl { doc, target: target.expect("grammar: set has a target"), cites, span }
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

    fn build_expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let file = self.file;
        let expr = PRATT
            .map_primary(|p| self.build_primary(p))
            .map_prefix(|op, rhs| {
                let s = op.as_span();
                let span = Span::new(file, s.start(), s.end()).to(rhs.span);
                let op = match op.as_rule() {
                    Rule::op_not => UnaryOp::Not,
                    _ => UnaryOp::Neg,
                };
                Expr { kind: ExprKind::Unary(op, Box::new(rhs)), span }
            })
            .map_postfix(|lhs, op| {
                let s = op.as_span();
                let span = lhs.span.to(Span::new(file, s.start(), s.end()));
                let standard = op
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::path)
                    .flat_map(|p| p.into_inner())
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| Ident { name: p.as_str().to_string(), span: Span::new(file, p.as_span().start(), p.as_span().end()) })
                    .collect();
                Expr { kind: ExprKind::Proven(Box::new(lhs), standard), span }
            })
            .map_infix(|lhs, op, rhs| {
                let op = match op.as_rule() {
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
                    _ => BinaryOp::Div,
                };
                let span = lhs.span.to(rhs.span);
                Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span }
            })
            .parse(pair.into_inner());
        expr
    }

    fn build_primary(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => return self.build_expr(pair),
            Rule::quantifier => self.build_quantifier(pair),
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
        Expr { kind, span }
    }

    fn build_quantifier(&mut self, pair: Pair<'_, Rule>) -> ExprKind {
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
                Rule::expr => filter = Some(Box::new(self.build_expr(p))),
                _ => {}
            }
        }
        ExprKind::Quantifier { kind, var: var.expect("grammar: quantifier binds a name"), list, filter }
    }

    fn build_path(&mut self, pair: Pair<'_, Rule>) -> Vec<Ident> {
        pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(|p| self.build_ident(p)).collect()
    }

    fn build_number(&mut self, pair: &Pair<'_, Rule>) -> f64 {
        let cleaned: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        let whole = cleaned.split('.').next().unwrap_or("");
        let exact = whole.parse::<u128>().is_ok_and(|w| w <= MAX_EXACT as u128);
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() && exact => n,
            _ => {
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
            let Some(word) = clause.into_inner().find(|i| matches!(i.as_rule(), Rule::ident | Rule::rule_ref)) else { continue };
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
            Rule::ident => TestValue::Name(pair.as_str().to_string()),
            Rule::signed_number => {
                let negative = pair.as_str().starts_with('-');
                let number = pair.into_inner().next().expect("grammar: a signed number has digits");
                let n = self.build_number(&number);
                TestValue::Literal(Literal::Number(if negative { -n } else { n }))
            }
            _ => match self.build_primary(pair).kind {
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

/// The largest integer an `f64` holds exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Seconds in one unit of a duration literal.
pub fn seconds_per(unit: &str) -> f64 {
    match unit.trim_end_matches('s') {
        "minute" => 60.0,
        "hour" => 3_600.0,
        "day" => 86_400.0,
        _ => 604_800.0,
    }
}

/// `YYYY-MM-DD` to (year, month, day), if it is a real calendar day.
pub fn parse_date(text: &str) -> Option<(i16, i8, i8)> {
    let date: jiff::civil::Date = text.parse().ok()?;
    if text.len() != 10 {
        return None;
    }
    Some((date.year(), date.month(), date.day()))
}

/// The diagnostic for pest's error (the formatter reports the same).
pub(super) fn syntax_error(file: FileId, text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match error.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let found = found_token(text, start);
    let end = if end > start { end } else { start + found.len().max(if start < text.len() { 1 } else { 0 }) };
    let span = Span::new(file, start, end.min(text.len()));
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let message = if found.is_empty() {
        format!("unexpected end of file, expected {expected}")
    } else {
        format!("unexpected `{found}`, expected {expected}")
    };
    let wants_name = matches!(&error.variant, ErrorVariant::ParsingError { positives, .. } if positives.iter().any(|r| matches!(r, Rule::ident | Rule::path)));
    let help = syntax_help(text, start, &found, wants_name);
    Diagnostic::new(&codes::SYNTAX, span, message).label(format!("expected {expected}")).help(help)
}

/// The word or symbol at `offset`.
fn found_token(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars().next().filter(|c| !c.is_whitespace()).map(String::from).unwrap_or_default()
}

fn syntax_help(text: &str, offset: usize, found: &str, wants_name: bool) -> String {
    if wants_name && KEYWORDS.contains(&found) {
        return format!("`{found}` is a reserved word; choose another name, for example `{found}_`");
    }
    if text[..offset.min(text.len())].trim_end().ends_with(':') {
        return "write a type after `:`: bool, number, money, duration, date, text, an enumeration or a record".into();
    }
    "see docs/language.md for the form of each declaration".into()
}

const KEYWORDS: &[&str] = &[
    "module",
    "import",
    "enum",
    "values",
    "record",
    "field",
    "fact",
    "conclusion",
    "param",
    "list",
    "of",
    "default",
    "rule",
    "cites",
    "exception",
    "to",
    "prevails",
    "over",
    "if",
    "unless",
    "and",
    "or",
    "not",
    "any",
    "all",
    "count",
    "in",
    "where",
    "true",
    "false",
    "position",
    "extends",
    "replace",
    "remove",
    "set",
    "party",
    "burden",
    "on",
    "standard",
    "proven",
    "obligation",
    "permission",
    "prohibition",
    "bearer",
    "met",
    "violated",
    "assessment",
    "factor",
    "weight",
    "tiers",
    "tier",
    "otherwise",
];

fn describe_expected(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().map(|r| rule_name(*r)).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A readable name for each grammar rule, for "expected ..." messages.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::module_decl | Rule::kw_module => "`module`",
        Rule::import_decl | Rule::kw_import => "`import`",
        Rule::enum_decl | Rule::kw_enum => "`enum`",
        Rule::record_decl | Rule::kw_record => "`record`",
        Rule::field_decl | Rule::kw_field => "`field`",
        Rule::fact_decl | Rule::kw_fact => "`fact`",
        Rule::conclusion_decl | Rule::kw_conclusion => "`conclusion`",
        Rule::param_decl | Rule::kw_param => "`param`",
        Rule::rule_decl | Rule::kw_rule | Rule::default_mark | Rule::kw_default => "`rule`",
        Rule::doc | Rule::doc_line => "a `##` doc line",
        Rule::kw_values => "`values`",
        Rule::kw_list => "`list`",
        Rule::kw_of => "`of`",
        Rule::cites_clause | Rule::kw_cites => "`cites`",
        Rule::exception_clause | Rule::kw_exception => "`exception to`",
        Rule::kw_to => "`to`",
        Rule::prevails_clause | Rule::kw_prevails => "`prevails over`",
        Rule::kw_over => "`over`",
        Rule::condition | Rule::if_condition | Rule::kw_if => "`if`",
        Rule::unless_condition | Rule::kw_unless => "`unless`",
        Rule::rule_head => "the conclusion the rule concludes",
        Rule::description => "a description in double quotes",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::type_expr | Rule::list_type => "a type",
        Rule::module_path => "a module name",
        Rule::ident | Rule::path => "a name",
        Rule::expr | Rule::standalone_expr => "an expression",
        Rule::op_or | Rule::kw_or => "`or`",
        Rule::op_and | Rule::kw_and => "`and`",
        Rule::op_not | Rule::kw_not => "`not`",
        Rule::op_eq => "`=`",
        Rule::op_ne => "`!=`",
        Rule::op_lt => "`<`",
        Rule::op_le => "`<=`",
        Rule::op_gt => "`>`",
        Rule::op_ge => "`>=`",
        Rule::op_add => "`+`",
        Rule::op_sub | Rule::op_neg => "`-`",
        Rule::op_mul => "`*`",
        Rule::op_div => "`/`",
        Rule::quantifier | Rule::quantifier_kind | Rule::kw_any | Rule::kw_all | Rule::kw_count => "`any`, `all` or `count`",
        Rule::kw_in => "`in`",
        Rule::kw_where => "`where`",
        Rule::boolean | Rule::kw_true | Rule::kw_false => "`true` or `false`",
        Rule::number => "a number",
        Rule::money | Rule::currency => "an amount of money such as `100 USD`",
        Rule::duration | Rule::time_unit => "a duration such as `48 hours`",
        Rule::date => "a date such as `2007-04-27`",
        Rule::keyword => "a keyword",
        Rule::file => "a declaration",
        Rule::WHITESPACE | Rule::COMMENT => "whitespace",
        Rule::item => "a declaration",
        Rule::rule_clause => "`cites`, `exception to` or `prevails over`",
        Rule::infix => "an operator",
        Rule::prefix => "`not` or `-`",
        Rule::primary | Rule::literal => "a value",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::position_decl | Rule::kw_position => "`position`",
        Rule::extends_clause | Rule::kw_extends => "`extends`",
        Rule::replace_decl | Rule::kw_replace => "`replace`",
        Rule::remove_decl | Rule::kw_remove => "`remove`",
        Rule::removable => "`rule`, `assessment` or `tiers`",
        Rule::set_decl | Rule::kw_set => "`set`",
        Rule::set_param => "`param`",
        Rule::set_standard | Rule::standard_clause | Rule::kw_standard => "`standard`",
        Rule::set_burden | Rule::burden_clause | Rule::kw_burden => "`burden`",
        Rule::conclusion_clause => "`burden on`, `standard` or `cites`",
        Rule::kw_on => "`on`",
        Rule::party_decl | Rule::kw_party => "`party`",
        Rule::deontic_decl | Rule::deontic_kind => "`obligation`, `permission`, `prohibition`",
        Rule::kw_obligation => "`obligation`",
        Rule::kw_permission => "`permission`",
        Rule::kw_prohibition => "`prohibition`",
        Rule::bearer_clause | Rule::kw_bearer => "`bearer`",
        Rule::deontic_clause => "`met if`, `violated if`, `burden on`, `standard` or `cites`",
        Rule::met_clause | Rule::kw_met => "`met if`",
        Rule::violated_clause | Rule::kw_violated => "`violated if`",
        Rule::postfix | Rule::op_proven | Rule::kw_proven => "`proven`",
        Rule::breach | Rule::kw_breach => "`breach of`",
        Rule::assessment_decl | Rule::kw_assessment => "`assessment`",
        Rule::factor | Rule::kw_factor => "`factor`",
        Rule::kw_weight => "`weight`",
        Rule::assessment_head => "the conclusion the assessment concludes",
        Rule::kw_weighted => "`weighted`",
        Rule::aggregate => "`sum` or `mean`",
        Rule::threshold_op => "`>=` or `>`",
        Rule::tiers_decl | Rule::kw_tiers => "`tiers`",
        Rule::tier | Rule::kw_tier => "`tier`",
        Rule::otherwise_tier | Rule::kw_otherwise => "`otherwise`",
        Rule::test_file => "a test file",
        Rule::suite_decl | Rule::kw_suite => "`suite`",
        Rule::test_decl | Rule::kw_test => "`test`",
        Rule::golden_decl | Rule::kw_golden => "`golden`",
        Rule::test_clause => "`position`, `incident`, `facts`, `cites` or `expect`",
        Rule::golden_clause => "`position`, `incident`, `output` or `into`",
        Rule::positions_clause => "`position`",
        Rule::incidents_clause | Rule::kw_incident => "`incident`",
        Rule::facts_clause | Rule::kw_facts => "`facts`",
        Rule::given => "a fact given as `name = value`",
        Rule::given_proof | Rule::expect_proof => "`proven`",
        Rule::output_clause | Rule::kw_output => "`output`",
        Rule::into_clause | Rule::kw_into => "`into`",
        Rule::expectation | Rule::kw_expect => "`expect`",
        Rule::expect_clause => "`by`, `proven`, `status` or `settled by`",
        Rule::by_clause | Rule::kw_by => "`by`",
        Rule::status_clause | Rule::kw_status => "`status`",
        Rule::settled_clause | Rule::kw_settled => "`settled by`",
        Rule::rule_ref => "a rule name",
        Rule::test_value => "a value",
        Rule::unknown_value => "`unknown`",
        Rule::signed_number => "a number",
    }
}
