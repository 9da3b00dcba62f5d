//! Elaboration: names resolved to ids and expressions typed, from the AST
//! to the IR's expressions, with a diagnostic for each misfit.

use super::layout::{FactLayout, Layout};
use super::types::*;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ArithOp, CompareOp, Expr, SlotId};
use crate::resolve::{ModuleId, Resolved, RuleId, ValueName};
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp, ExprKind, Literal, UnaryOp};
use crate::value::{RecordId, Type, Value};

pub(super) struct Elab<'a> {
    resolved: &'a Resolved,
    layout: &'a Layout,
    module: ModuleId,
    /// Quantifier variables, innermost last.
    scope: Vec<(String, RecordId)>,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Elab<'a> {
    pub(super) fn new(resolved: &'a Resolved, layout: &'a Layout, module: ModuleId, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Elab { resolved, layout, module, scope: Vec::new(), diagnostics }
    }

    pub(super) fn conclusion(&mut self, name: &ast::Ident) -> Option<crate::resolve::ConclusionId> {
        match self.resolved.value_names.get(&name.name) {
            Some((ValueName::Conclusion(id), owner)) => {
                self.check_visible(name, *owner);
                Some(*id)
            }
            Some((other, _)) => {
                let what = if matches!(other, ValueName::Fact(_)) { "fact" } else { "parameter" };
                self.diagnostics.push(
                    Diagnostic::new(&codes::NOT_A_CONCLUSION, name.span, format!("`{}` is a {what}, not a conclusion", name.name))
                        .label("rules can only conclude conclusions")
                        .also(self.resolved.value_span(*other), format!("declared as a {what} here"))
                        .help(format!("{what}s come from the incident; declare a conclusion with another name and conclude that")),
                );
                None
            }
            None => {
                let mut names: Vec<&str> = self.resolved.conclusions.iter().map(|c| c.def.name.name.as_str()).collect();
                names.sort_unstable();
                let in_position = self.resolved.position_of(self.module).is_some();
                let help = suggest::help_for(&name.name, names, || {
                    if in_position {
                        format!("`{}` is not in the shared vocabulary of the base; a position that adds a conclusion declares it: `conclusion {}: bool \"...\"`", name.name, name.name)
                    } else {
                        format!("declare it: `conclusion {}: bool \"...\"`", name.name)
                    }
                });
                self.diagnostics.push(
                    Diagnostic::new(&codes::NOT_A_CONCLUSION, name.span, format!("unknown conclusion `{}`", name.name))
                        .label("not a declared conclusion")
                        .help(help),
                );
                None
            }
        }
    }

    pub(super) fn rule(&mut self, name: &ast::Ident) -> Option<RuleId> {
        if let Some(id) = self.resolved.rule_names.get(&name.name) {
            return Some(*id);
        }
        // INVARIANT: an exception to, or a priority over, a rule that a
        // position removed lapses with it (documented in docs/language.md).
        if self.resolved.removed_rules.contains_key(&name.name) {
            return None;
        }
        let mut names: Vec<&str> = self.resolved.rule_names.keys().map(String::as_str).collect();
        names.sort_unstable();
        let help = suggest::help_for(&name.name, names, || "name a rule declared in this module or an imported one".into());
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_RULE, name.span, format!("unknown rule `{}`", name.name))
                .label("no rule of this name")
                .help(help),
        );
        None
    }

    fn check_visible(&mut self, name: &ast::Ident, owner: ModuleId) {
        if !self.resolved.visible(self.module, owner) {
            self.diagnostics.push(self.resolved.not_imported(&format!("`{}`", name.name), name.span, owner));
        }
    }

    pub(super) fn condition(&mut self, e: &ast::Expr, keyword: &str) -> Expr {
        let (ir, ty) = self.expr(e, Some(Type::Bool));
        if !compatible(ty, Type::Bool) {
            let found = type_name(self.resolved, ty);
            self.diagnostics.push(
                Diagnostic::new(&codes::CONDITION_NOT_BOOL, e.span, format!("the `{keyword}` condition is a `{found}`, not true/false"))
                    .label(format!("a `{found}` value"))
                    .help("compare it with something, for example `deaths > 0`"),
            );
        }
        ir
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, expected: Option<Type>) -> (Expr, Type) {
        match &e.kind {
            ExprKind::Literal(lit) => self.literal(lit, e.span),
            ExprKind::Path(idents) => self.path(idents, e.span, expected),
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let inner = self.condition(inner, "not");
                (Expr::Not(Box::new(inner)), Type::Bool)
            }
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let (ir, ty) = self.expr(inner, expected);
                if !matches!(ty, Type::Number | Type::Money | Type::Duration | Type::Error) {
                    self.mismatch(
                        e.span,
                        format!("`-` cannot negate a `{}`", type_name(self.resolved, ty)),
                        "only numbers, money and durations have a sign",
                    );
                    return (Expr::Neg(Box::new(ir)), Type::Error);
                }
                (Expr::Neg(Box::new(ir)), ty)
            }
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, e.span),
            ExprKind::Logic(logic, items) => {
                let symbol = match logic {
                    ast::Logic::And => "and",
                    ast::Logic::Or => "or",
                };
                let items = items.iter().map(|item| self.condition(item, symbol)).collect();
                (if *logic == ast::Logic::And { Expr::And(items) } else { Expr::Or(items) }, Type::Bool)
            }
            ExprKind::Proven(inner, standard) => {
                let (ir, ty) = self.expr(inner, Some(Type::Bool));
                if !compatible(ty, Type::Bool) {
                    let found = type_name(self.resolved, ty);
                    self.diagnostics.push(
                        Diagnostic::new(&codes::PROOF_NOT_BOOL, inner.span, format!("`proven` applies to a `{found}`, not to a true/false condition"))
                            .label(format!("a `{found}` value"))
                            .help("a standard of proof is met by a proposition: compare the value first, for example `(deaths > 0) proven preponderance`"),
                    );
                }
                let standard = self.standard(standard);
                (Expr::Proven(Box::new(ir), Box::new(standard)), Type::Bool)
            }
            ExprKind::Breach(norm) => self.breach(norm),
            ExprKind::Quantifier { kind, var, list, filter } => self.quantifier(*kind, var, list, filter.as_deref(), e.span),
        }
    }

    /// A standard of proof: a built-in standard, or a parameter of type `proof_standard`.
    pub(super) fn standard(&mut self, path: &[ast::Ident]) -> Expr {
        use crate::value::{ProofStandard, PROOF_STANDARD_ENUM};
        let first = &path[0];
        if path.len() == 1 {
            if let Some(s) = ProofStandard::parse(&first.name) {
                return Expr::Const(Value::Enum(PROOF_STANDARD_ENUM, s as u16));
            }
            if let Some((ValueName::Param(id), owner)) = self.resolved.value_names.get(&first.name).copied() {
                if self.resolved.params[id].0.ty == Type::Enum(PROOF_STANDARD_ENUM) {
                    self.check_visible(first, owner);
                    return Expr::Param(id);
                }
            }
        }
        let mut names: Vec<&str> = ProofStandard::ALL.iter().map(|(_, n)| *n).collect();
        names.extend(
            self.resolved.params.iter().filter(|(d, _)| d.ty == Type::Enum(PROOF_STANDARD_ENUM)).map(|(d, _)| d.name.name.as_str()),
        );
        let written = path.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(".");
        let help = suggest::help_for(&written, names.iter().copied(), || {
            "write one of none, scintilla, reasonable_suspicion, preponderance, clear_and_convincing, beyond_reasonable_doubt, or a parameter declared `: proof_standard`".into()
        });
        let span = first.span.to(path[path.len() - 1].span);
        self.diagnostics.push(
            Diagnostic::new(&codes::NOT_A_STANDARD, span, format!("`{written}` is not a standard of proof"))
                .label("not a standard of proof")
                .help(help),
        );
        Expr::Const(Value::Unknown)
    }

    /// `breach of norm`: the generated breach conclusion of an obligation or prohibition.
    fn breach(&mut self, norm: &ast::Ident) -> (Expr, Type) {
        let found = match self.resolved.value_names.get(&norm.name).copied() {
            Some((ValueName::Conclusion(id), owner)) => {
                self.check_visible(norm, owner);
                Some(&self.resolved.conclusions[id])
            }
            _ => None,
        };
        if let Some(Some(breach)) = found.map(|c| c.deontic.as_ref().and_then(|d| d.breach)) {
            return (Expr::Conclusion(breach), Type::Bool);
        }
        let help = match found.and_then(|c| c.deontic.as_ref()) {
            Some(d) if d.kind == ast::DeonticKind::Permission => "a permission cannot be breached".to_string(),
            Some(d) if d.kind == ast::DeonticKind::Obligation => {
                format!("add `met if ...` to the obligation `{}` to say when it is complied with", norm.name)
            }
            Some(_) => format!("add `violated if ...` to the prohibition `{}` to say when it is violated", norm.name),
            None => {
                let mut names: Vec<&str> = self
                    .resolved
                    .conclusions
                    .iter()
                    .filter(|c| c.deontic.as_ref().is_some_and(|d| d.breach.is_some()))
                    .map(|c| c.def.name.name.as_str())
                    .collect();
                names.sort_unstable();
                suggest::help_for(&norm.name, names, || "`breach of` names an obligation or a prohibition".into())
            }
        };
        self.diagnostics.push(
            Diagnostic::new(
                &codes::NOT_A_NORM,
                norm.span,
                format!("`{}` is not an obligation or prohibition that can be breached", norm.name),
            )
            .label("no breach to derive")
            .help(help),
        );
        (Expr::Const(Value::Unknown), Type::Error)
    }

    /// The weighted test of an assessment.
    pub(super) fn assessment(&mut self, parts: &crate::resolve::AssessmentParts) -> Expr {
        let mut factors = Vec::new();
        for f in &parts.factors {
            let rating_ast =
                f.rating.clone().unwrap_or_else(|| ast::Expr { kind: ExprKind::Path(vec![f.name.clone()]), span: f.name.span });
            let (rating, ty) = self.expr(&rating_ast, None);
            let scale = match ty {
                Type::Bool => ir::RatingScale::Bool,
                Type::Enum(e) => ir::RatingScale::Enum(self.resolved.enums[e].values.len() as u16),
                Type::Number => ir::RatingScale::Unit,
                Type::Error => ir::RatingScale::Unit,
                other => {
                    let found = type_name(self.resolved, other);
                    self.diagnostics.push(
                        Diagnostic::new(&codes::FACTOR_TYPE, rating_ast.span, format!("the factor `{}` is rated by a `{found}`", f.name.name))
                            .label(format!("a `{found}` value"))
                            .help("rate a factor by a true/false value, an enumeration (its values, in order, are the scale) or a number from 0 to 1"),
                    );
                    ir::RatingScale::Unit
                }
            };
            let weight = self.constant_number(&f.weight, &format!("the weight of the factor `{}`", f.name.name));
            factors.push(ir::Factor { name: f.name.name.clone(), rating, scale, weight });
        }
        let threshold = self.constant_number(&parts.threshold, "the threshold of the assessment");
        Expr::Assessment(Box::new(ir::Assessment {
            factors,
            mean: parts.aggregate == ast::Aggregate::Mean,
            strict: parts.strict,
            threshold,
        }))
    }

    /// A number computed from literals and parameters only (weights, thresholds).
    fn constant_number(&mut self, e: &ast::Expr, what: &str) -> Expr {
        let (ir, ty) = self.expr(e, Some(Type::Number));
        fn constant(e: &Expr) -> bool {
            match e {
                Expr::Const(_) | Expr::Param(_) => true,
                Expr::Neg(x) => constant(x),
                Expr::Arith(_, l, r) => constant(l) && constant(r),
                _ => false,
            }
        }
        if !compatible(ty, Type::Number) || !constant(&ir) {
            self.diagnostics.push(
                Diagnostic::new(&codes::FACTOR_TYPE, e.span, format!("{what} is not a constant number"))
                    .label("must not depend on the incident")
                    .help("write a number or a `number` parameter, so that positions can set it with `set param`"),
            );
        }
        ir
    }

    fn literal(&mut self, lit: &Literal, span: Span) -> (Expr, Type) {
        match crate::syntax::literal::literal_value(lit) {
            Ok((v, ty)) => (Expr::Const(v), ty),
            Err(crate::syntax::literal::LiteralError::Currency(code)) => {
                self.diagnostics.push(
                    Diagnostic::new(&codes::INVALID_LITERAL, span, format!("`{code}` is not a currency code"))
                        .label("not a currency")
                        .help("write a three-letter ISO 4217 code such as `USD` or `EUR`"),
                );
                (Expr::Const(Value::Unknown), Type::Error)
            }
            // The parser refuses a date that is no calendar day (E0102).
            Err(crate::syntax::literal::LiteralError::Date) => (Expr::Const(Value::Unknown), Type::Error),
        }
    }

    fn path(&mut self, idents: &[ast::Ident], span: Span, expected: Option<Type>) -> (Expr, Type) {
        let first = &idents[0];
        if let Some(pos) = self.scope.iter().rposition(|(n, _)| *n == first.name) {
            let depth = (self.scope.len() - 1 - pos) as u16;
            let record = self.scope[pos].1;
            if idents.len() == 1 {
                return self.whole_record(first, record, span);
            }
            return match self.leaf(record, &idents[1..], first) {
                Some((leaf, ty)) => (Expr::Field { depth, leaf }, ty),
                None => (Expr::Const(Value::Unknown), Type::Error),
            };
        }
        let Some((name, owner)) = self.resolved.value_names.get(&first.name).copied() else {
            return self.not_a_name(idents, span, expected);
        };
        self.check_visible(first, owner);
        match name {
            ValueName::Fact(id) => {
                let ty = self.resolved.facts[id].ty;
                match self.layout.fact(id).clone() {
                    FactLayout::Slot(slot) => {
                        if idents.len() > 1 {
                            self.no_fields(first, &idents[1], ty);
                            return (Expr::Const(Value::Unknown), Type::Error);
                        }
                        if let Type::List(_) = ty {
                            self.diagnostics.push(
                                Diagnostic::new(&codes::NOT_A_LIST, span, format!("the list `{}` is used as a single value", first.name))
                                    .label("a list")
                                    .help(format!(
                                        "use `any x in {0} where ...`, `all x in {0} where ...` or `count x in {0}`",
                                        first.name
                                    )),
                            );
                            return (Expr::Const(Value::Unknown), Type::Error);
                        }
                        (Expr::Slot(slot), ty)
                    }
                    FactLayout::Record { record, first: base } => {
                        if idents.len() == 1 {
                            return self.whole_record(first, record, span);
                        }
                        match self.leaf(record, &idents[1..], first) {
                            Some((leaf, ty)) => (Expr::Slot(SlotId(base.0 + u32::from(leaf))), ty),
                            None => (Expr::Const(Value::Unknown), Type::Error),
                        }
                    }
                    FactLayout::Error => (Expr::Const(Value::Unknown), Type::Error),
                }
            }
            ValueName::Conclusion(id) => {
                let ty = self.resolved.conclusions[id].def.ty;
                if idents.len() > 1 {
                    self.no_fields(first, &idents[1], ty);
                    return (Expr::Const(Value::Unknown), Type::Error);
                }
                (Expr::Conclusion(id), ty)
            }
            ValueName::Param(id) => {
                let ty = self.resolved.params[id].0.ty;
                if idents.len() > 1 {
                    self.no_fields(first, &idents[1], ty);
                    return (Expr::Const(Value::Unknown), Type::Error);
                }
                (Expr::Param(id), ty)
            }
        }
    }

    /// A path whose first name is not a fact, conclusion, parameter or variable:
    /// an enumeration value, or an unknown name.
    fn not_a_name(&mut self, idents: &[ast::Ident], span: Span, expected: Option<Type>) -> (Expr, Type) {
        let first = &idents[0];
        // `sector.energy`: a qualified enumeration value.
        if idents.len() == 2 {
            if let Some((crate::resolve::TypeName::Enum(e), _)) = self.resolved.type_names.get(&first.name).copied() {
                return self.enum_value(e, &idents[1]);
            }
        }
        if idents.len() == 1 {
            if let Some(Type::Enum(e)) = expected {
                return self.enum_value(e, first);
            }
        }
        // Past the first hundred problems nobody reads a suggestion, and
        // searching every declared name for each of thousands of unknown
        // ones is quadratic.
        let suggestion = (self.diagnostics.len() < suggest::MAX_SUGGESTING)
            .then(|| {
                let mut names: Vec<&str> = self
                    .resolved
                    .value_names
                    .iter()
                    .filter(|(_, (_, owner))| self.resolved.visible(self.module, *owner))
                    .map(|(n, _)| n.as_str())
                    .chain(self.scope.iter().map(|(n, _)| n.as_str()))
                    .collect();
                names.sort_unstable();
                suggest::did_you_mean(&first.name, names)
            })
            .flatten();
        let help = match suggestion {
            Some(n) => format!("did you mean `{n}`?"),
            None => match self.resolved.value_names.get(&first.name) {
                Some(_) => unreachable!("handled by the caller"),
                None => format!("declare it, for example `fact {}: bool \"...\"`, or import the module that declares it", first.name),
            },
        };
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_NAME, first.span, format!("unknown name `{}`", first.name))
                .label("not a fact, conclusion or parameter")
                .help(help),
        );
        let _ = span;
        (Expr::Const(Value::Unknown), Type::Error)
    }

    fn enum_value(&mut self, e: crate::value::EnumId, name: &ast::Ident) -> (Expr, Type) {
        let def = &self.resolved.enums[e];
        if let Some(i) = def.values.iter().position(|v| v.name == name.name) {
            return (Expr::Const(Value::Enum(e, i as u16)), Type::Enum(e));
        }
        let values: Vec<&str> = def.values.iter().map(|v| v.name.as_str()).collect();
        let help = suggest::help_for(&name.name, values.iter().copied(), || {
            format!("the values of `{}` are {}", def.name.name, values.join(", "))
        });
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_ENUM_VALUE, name.span, format!("`{}` is not a value of `{}`", name.name, def.name.name))
                .label(format!("not a `{}`", def.name.name))
                .help(help),
        );
        (Expr::Const(Value::Unknown), Type::Error)
    }

    fn leaf(&mut self, record: RecordId, path: &[ast::Ident], owner: &ast::Ident) -> Option<(u16, Type)> {
        let dotted = path.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(".");
        if let Some(leaf) = self.layout.leaf(record, &dotted) {
            return Some((leaf, self.layout.records[record].leaves[leaf as usize].ty));
        }
        let info = &self.layout.records[record];
        let span = path[0].span.to(path[path.len() - 1].span);
        let leaves: Vec<&str> = info.leaves.iter().map(|l| l.path.as_str()).collect();
        let is_inner_record = info.leaves.iter().any(|l| l.path.starts_with(&format!("{dotted}.")));
        let help = if is_inner_record {
            format!(
                "`{dotted}` is a record; name one of its fields: {}",
                leaves.iter().filter(|l| l.starts_with(&format!("{dotted}."))).copied().collect::<Vec<_>>().join(", ")
            )
        } else {
            suggest::help_for(&dotted, leaves.iter().copied(), || format!("the fields of `{}` are {}", owner.name, leaves.join(", ")))
        };
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_FIELD, span, format!("`{}` has no field `{dotted}`", owner.name))
                .label(format!("not a field of `{}`", info.name))
                .help(help),
        );
        None
    }

    fn whole_record(&mut self, name: &ast::Ident, record: RecordId, span: Span) -> (Expr, Type) {
        let leaves: Vec<&str> = self.layout.records[record].leaves.iter().map(|l| l.path.as_str()).collect();
        self.diagnostics.push(
            Diagnostic::new(&codes::NESTED_LIST, span, format!("`{}` is a whole record, not a single value", name.name))
                .label("a record")
                .help(format!("name one of its fields, for example `{}.{}`", name.name, leaves.first().copied().unwrap_or("field"))),
        );
        (Expr::Const(Value::Unknown), Type::Error)
    }

    fn no_fields(&mut self, owner: &ast::Ident, field: &ast::Ident, ty: Type) {
        let ty = type_name(self.resolved, ty);
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_FIELD, field.span, format!("`{}` is a `{ty}` and has no fields", owner.name))
                .label("no such field")
                .help(format!("only records have fields; remove `.{}`", field.name)),
        );
    }

    fn mismatch(&mut self, span: Span, message: String, help: &str) {
        self.diagnostics.push(Diagnostic::new(&codes::TYPE_MISMATCH, span, message).label("types do not fit").help(help));
    }

    fn is_bare_unknown(&self, e: &ast::Expr) -> bool {
        match &e.kind {
            ExprKind::Path(p) if p.len() == 1 => {
                !self.scope.iter().any(|(n, _)| *n == p[0].name) && !self.resolved.value_names.contains_key(&p[0].name)
            }
            _ => false,
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> (Expr, Type) {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                // The parser builds `and` and `or` as chains (`ExprKind::Logic`).
                let items = vec![self.condition(lhs, op.symbol()), self.condition(rhs, op.symbol())];
                (if op == BinaryOp::And { Expr::And(items) } else { Expr::Or(items) }, Type::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let ((l, lt), (r, rt)) = if self.is_bare_unknown(lhs) && !self.is_bare_unknown(rhs) {
                    let r = self.expr(rhs, None);
                    (self.expr(lhs, Some(r.1)), r)
                } else {
                    let l = self.expr(lhs, None);
                    let r = self.expr(rhs, Some(l.1));
                    (l, r)
                };
                let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                if lt != Type::Error && rt != Type::Error {
                    if lt != rt {
                        let (a, b) = (type_name(self.resolved, lt), type_name(self.resolved, rt));
                        self.mismatch(span, format!("`{}` compares a `{a}` with a `{b}`", op.symbol()), &compare_help(lt, rt));
                    } else if ordered && !matches!(lt, Type::Number | Type::Money | Type::Duration | Type::Date | Type::Enum(_)) {
                        let a = type_name(self.resolved, lt);
                        self.mismatch(
                            span,
                            format!("`{}` cannot order `{a}` values", op.symbol()),
                            "only numbers, money, durations, dates and enumeration values are ordered; use `=` or `!=`",
                        );
                    }
                }
                let op = match op {
                    BinaryOp::Eq => CompareOp::Eq,
                    BinaryOp::Ne => CompareOp::Ne,
                    BinaryOp::Lt => CompareOp::Lt,
                    BinaryOp::Le => CompareOp::Le,
                    BinaryOp::Gt => CompareOp::Gt,
                    _ => CompareOp::Ge,
                };
                (Expr::Compare(op, Box::new(l), Box::new(r)), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let (l, lt) = self.expr(lhs, None);
                let (r, rt) = self.expr(rhs, None);
                let aop = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let ty = match arith_type(aop, lt, rt) {
                    Some(t) => t,
                    None => {
                        let (a, b) = (type_name(self.resolved, lt), type_name(self.resolved, rt));
                        self.mismatch(span, format!("`{}` cannot combine a `{a}` and a `{b}`", op.symbol()), &compare_help(lt, rt));
                        Type::Error
                    }
                };
                (Expr::Arith(aop, Box::new(l), Box::new(r)), ty)
            }
        }
    }

    fn quantifier(
        &mut self,
        kind: ast::QuantifierKind,
        var: &ast::Ident,
        list: &[ast::Ident],
        filter: Option<&ast::Expr>,
        span: Span,
    ) -> (Expr, Type) {
        let result_ty = if kind == ast::QuantifierKind::Count { Type::Number } else { Type::Bool };
        let list_name = &list[0];
        let found = match self.resolved.value_names.get(&list_name.name).copied() {
            Some((ValueName::Fact(id), owner)) if list.len() == 1 => {
                self.check_visible(list_name, owner);
                match (self.resolved.facts[id].ty, self.layout.fact(id)) {
                    (Type::List(record), FactLayout::Slot(slot)) => Some((record, *slot)),
                    (Type::Error, _) => return (Expr::Const(Value::Unknown), result_ty),
                    (ty, _) => {
                        let ty = type_name(self.resolved, ty);
                        self.diagnostics.push(
                            Diagnostic::new(&codes::NOT_A_LIST, list_name.span, format!("`{}` is a `{ty}`, not a list", list_name.name))
                                .label("not a list")
                                .help("`any`, `all` and `count` range over facts declared `list of <record>`"),
                        );
                        None
                    }
                }
            }
            Some(_) | None if self.resolved.value_names.contains_key(&list_name.name) || list.len() > 1 => {
                let span = list[0].span.to(list[list.len() - 1].span);
                self.diagnostics.push(
                    Diagnostic::new(&codes::NOT_A_LIST, span, "only a list fact can be ranged over".to_string())
                        .label("not a list fact")
                        .help("`any`, `all` and `count` range over facts declared `list of <record>`"),
                );
                None
            }
            _ => {
                self.not_a_name(list, span, None);
                None
            }
        };
        let Some((record, slot)) = found else {
            return (Expr::Const(Value::Unknown), result_ty);
        };
        self.scope.push((var.name.clone(), record));
        let filter = filter.map(|f| Box::new(self.condition(f, "where")));
        self.scope.pop();
        if filter.is_none() && kind != ast::QuantifierKind::Count {
            self.diagnostics.push(
                Diagnostic::new(&codes::SYNTAX, span, "`any` and `all` need a `where` condition".to_string())
                    .label("no condition")
                    .help(format!("write `... where {}.<field>`", var.name)),
            );
        }
        let kind = match kind {
            ast::QuantifierKind::Any => ir::QuantifierKind::Any,
            ast::QuantifierKind::All => ir::QuantifierKind::All,
            ast::QuantifierKind::Count => ir::QuantifierKind::Count,
        };
        (Expr::Quantifier { kind, list: slot, record, filter }, result_ty)
    }
}
