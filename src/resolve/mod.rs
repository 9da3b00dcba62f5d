//! Phase 2, resolve: files -> [`Resolved`] declarations.
//!
//! In: the entry file's text and a [`Loader`] for the modules it imports.
//! Out: every module loaded once, in dependency order, and tables of the
//! declared enumerations, records, facts, conclusions, parameters and rules,
//! each with its resolved type. Guarantees: no import cycle; every name is
//! declared once per namespace (types, values, rules); every declared type
//! exists. Expressions are left for [`crate::check`], which needs types to
//! resolve enumeration values.

mod declare;
mod load;
mod norms;
mod overlay;
pub mod statements;
mod tables;

pub use crate::ir::ChangeKind;
pub use norms::{breach_name, tier_rule_name};

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::value::{EnumId, RecordId, Type};

pub use load::{LoadError, Loader, ModuleSource};

pub use crate::id::{ConclusionId, FactId, ModuleId, ParamId, PartyId, RuleId};

/// A loaded module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The dotted name.
    pub name: String,
    /// Its parsed text. Once declared, its `items` are moved into the tables
    /// (a rule's declaration into [`RuleDef::decl`]), and `ast.items` is empty.
    pub ast: ast::File,
    /// The modules it imports directly.
    pub imports: Vec<ModuleId>,
}

/// A declared enumeration.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Its name.
    pub name: ast::Ident,
    /// Its description.
    pub description: String,
    /// The values, in declared order.
    pub values: Vec<ast::Ident>,
    /// Where it is declared.
    pub module: ModuleId,
}

/// A declared record type.
#[derive(Debug, Clone)]
pub struct RecordDef {
    /// Its name.
    pub name: ast::Ident,
    /// Its description.
    pub description: String,
    /// The fields, with their resolved types, in declared order.
    pub fields: Vec<FieldDef>,
    /// Where it is declared.
    pub module: ModuleId,
}

/// A field of a record.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Its name.
    pub name: ast::Ident,
    /// Its type.
    pub ty: Type,
    /// Its description.
    pub description: String,
}

/// A declared fact, conclusion or parameter.
#[derive(Debug, Clone)]
pub struct ValueDef {
    /// Its name.
    pub name: ast::Ident,
    /// Its type.
    pub ty: Type,
    /// Its description.
    pub description: String,
    /// Its doc string.
    pub doc: Option<String>,
    /// Where it is declared.
    pub module: ModuleId,
}

/// A declared conclusion, with its burden and standard of proof.
#[derive(Debug, Clone)]
pub struct ConclusionDef {
    /// Its name, type and description.
    pub def: ValueDef,
    /// The party that bears the burden of proving it, where set.
    pub burden: Option<ProofSetting<PartyId>>,
    /// The standard of proof it must meet (still AST: a standard or a parameter).
    pub standard: Option<ProofSetting<ast::Expr>>,
    /// What kind of norm it is, if it is an obligation, permission or prohibition.
    pub deontic: Option<DeonticDef>,
    /// For the generated breach conclusion of a norm: the norm.
    pub breach_of: Option<ConclusionId>,
}

/// A burden or standard of proof and where it was set.
#[derive(Debug, Clone)]
pub struct ProofSetting<T> {
    /// The setting.
    pub value: T,
    /// Where it is written.
    pub span: Span,
    /// Its sources.
    pub cites: Vec<String>,
    /// The module (a position, for `set`) that set it.
    pub module: ModuleId,
}

/// An obligation, permission or prohibition.
#[derive(Debug, Clone)]
pub struct DeonticDef {
    /// Which kind.
    pub kind: ast::DeonticKind,
    /// Whom it binds or permits.
    pub bearer: PartyId,
    /// Its generated breach conclusion (obligations with `met if`,
    /// prohibitions with `violated if`).
    pub breach: Option<ConclusionId>,
}

/// A declared party.
#[derive(Debug, Clone)]
pub struct PartyDef {
    /// Its name.
    pub name: ast::Ident,
    /// Its description.
    pub description: String,
    /// Where it is declared.
    pub module: ModuleId,
}

/// A declared rule (its expressions are still AST).
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// The declaration.
    pub decl: ast::RuleDecl,
    /// Where it is declared.
    pub module: ModuleId,
    /// What declared it: a rule, an assessment, a tier, a breach, an open question.
    pub form: RuleForm,
    /// Whether it applies is left open by a position (`open rule NAME`):
    /// the index of that change in [`Resolved::changes`].
    pub opened: Option<usize>,
}

/// The declaration a rule comes from.
#[derive(Debug, Clone)]
pub enum RuleForm {
    /// `rule`.
    Plain,
    /// `assessment`: the rule's first condition is the weighted test.
    Assessment(AssessmentParts),
    /// One tier of `tiers name`, counted from 1; `None` for `otherwise`.
    Tier {
        /// The name of the `tiers` declaration.
        tiers: String,
        /// The tier's number, from 1, or `None` for `otherwise`.
        index: Option<u16>,
    },
    /// The generated rule deriving a norm's breach.
    Breach {
        /// The norm.
        norm: ConclusionId,
    },
    /// `open`: a question left open.
    Open,
}

impl RuleForm {
    /// The keyword of the declaration, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            RuleForm::Plain | RuleForm::Breach { .. } => "rule",
            RuleForm::Assessment(_) => "assessment",
            RuleForm::Tier { .. } => "tiers",
            RuleForm::Open => "open",
        }
    }
}

/// The weighted test of an assessment.
#[derive(Debug, Clone)]
pub struct AssessmentParts {
    /// The factors.
    pub factors: Vec<ast::Factor>,
    /// Sum or mean.
    pub aggregate: ast::Aggregate,
    /// `>` rather than `>=`.
    pub strict: bool,
    /// The threshold.
    pub threshold: ast::Expr,
}

/// A change a position makes to its base, with its citations.
#[derive(Debug, Clone)]
pub struct Change {
    /// The position (its module).
    pub module: ModuleId,
    /// What it changes.
    pub kind: ChangeKind,
    /// The name of the rule, parameter or conclusion changed.
    pub target: String,
    /// The position's citations for the change.
    pub cites: Vec<String>,
    /// Where the change is written.
    pub span: Span,
    /// For a removal: the conclusions the removed declaration concluded.
    pub conclusions: Vec<String>,
    /// Marked `arguable` or `contested`, if so.
    pub reading: Option<ast::Reading>,
    /// The statement it was made in (an index into [`Resolved::statements`]).
    pub statement: Option<usize>,
}

/// A position: the module that declares it and what it extends.
#[derive(Debug, Clone)]
pub struct PositionDef {
    /// The position's module.
    pub module: ModuleId,
    /// Its name.
    pub name: String,
    /// The name reports show, if declared.
    pub title: Option<String>,
    /// What it extends (`stdlib` or another position's name).
    pub extends: String,
    /// Its citations.
    pub cites: Vec<String>,
}

/// What a name in the value namespace stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueName {
    /// A fact.
    Fact(FactId),
    /// A conclusion.
    Conclusion(ConclusionId),
    /// A parameter.
    Param(ParamId),
}

/// What a name in the type namespace stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeName {
    /// An enumeration.
    Enum(EnumId),
    /// A record.
    Record(RecordId),
}

/// The declarations of a program whose modules are all loaded.
///
/// INVARIANT: every `Type` in the tables names an existing enumeration or
/// record, or is `Type::Error` where a diagnostic was already reported.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The text of every file read.
    pub sources: SourceMap,
    /// The modules, dependencies before dependents; the entry module is last.
    pub modules: Vec<Module>,
    /// Enumerations.
    pub enums: Vec<EnumDef>,
    /// Records.
    pub records: Vec<RecordDef>,
    /// Facts.
    pub facts: Vec<ValueDef>,
    /// Conclusions.
    pub conclusions: Vec<ConclusionDef>,
    /// Parties.
    pub parties: Vec<PartyDef>,
    /// Positions, base first.
    pub positions: Vec<PositionDef>,
    /// The changes positions make, in order.
    pub changes: Vec<Change>,
    /// Parameters, with their default value expression.
    pub params: Vec<(ValueDef, ast::Expr)>,
    /// Rules.
    pub rules: Vec<RuleDef>,
    /// The type namespace.
    pub type_names: HashMap<String, (TypeName, ModuleId)>,
    /// The value namespace.
    pub value_names: HashMap<String, (ValueName, ModuleId)>,
    /// The rule namespace.
    pub rule_names: HashMap<String, RuleId>,
    /// The party namespace.
    pub party_names: HashMap<String, PartyId>,
    /// Rules removed by a position: name, and the removing position's module.
    pub removed_rules: HashMap<String, ModuleId>,
    /// The statements positions declare, in order.
    pub statements: Vec<statements::StatementDef>,
    /// The day the program is compiled as of (days from 1970-01-01), if any.
    pub as_of: Option<i32>,
}

impl Resolved {
    /// The span of a value name's declaration.
    pub fn value_span(&self, name: ValueName) -> Span {
        match name {
            ValueName::Fact(id) => self.facts[id].name.span,
            ValueName::Conclusion(id) => self.conclusions[id].def.name.span,
            ValueName::Param(id) => self.params[id].0.name.span,
        }
    }

    /// The diagnostic for a name (`what` is "`x`" or "the type `x`") used
    /// where its module `owner` is not imported.
    pub fn not_imported(&self, what: &str, span: Span, owner: ModuleId) -> Diagnostic {
        let owner_name = &self.modules[owner].name;
        Diagnostic::new(
            &crate::diagnostics::codes::NOT_IMPORTED,
            span,
            format!("{what} is declared in module `{owner_name}`, which is not imported here"),
        )
        .label("not imported")
        .help(format!("add `import {owner_name}` at the top of this file"))
    }

    /// Whether module `from` may use a declaration of module `owner`.
    pub fn visible(&self, from: ModuleId, owner: ModuleId) -> bool {
        from == owner || owner == BUILTIN || self.modules[from].imports.contains(&owner)
    }

    /// The position that declared a module, if it is a position.
    pub fn position_of(&self, module: ModuleId) -> Option<&PositionDef> {
        self.positions.iter().find(|p| p.module == module)
    }

    /// Where a declaration of `module` comes from: `base`, or the position's name.
    pub fn origin(&self, module: ModuleId) -> String {
        self.position_of(module).map_or_else(|| "base".to_string(), |p| p.name.clone())
    }
}

/// The pseudo-module of built-in declarations (the `proof_standard` enumeration).
pub const BUILTIN: ModuleId = ModuleId(u16::MAX);

/// Loads the entry file and everything it imports, and declares every name.
pub fn resolve(entry_name: &str, entry_text: &str, loader: &mut dyn Loader) -> (Resolved, Vec<Diagnostic>) {
    resolve_as_of(entry_name, entry_text, loader, None)
}

/// Loads and declares as [`resolve`] does, with each position as it stood
/// on the day `as_of` (days from 1970-01-01): the changes of its later
/// statements are left out.
pub fn resolve_as_of(entry_name: &str, entry_text: &str, loader: &mut dyn Loader, as_of: Option<i32>) -> (Resolved, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut resolved = Resolved { as_of, ..Resolved::default() };
    let builtin = |name: &str| ast::Ident { name: name.to_string(), span: Span::new(crate::source::FileId(0), 0, 0) };
    resolved.enums.push(EnumDef {
        name: builtin("proof_standard"),
        description: "A standard of proof, weakest first.".into(),
        values: crate::value::ProofStandard::ALL.iter().map(|(_, n)| builtin(n)).collect(),
        module: BUILTIN,
    });
    load::load_all(entry_name, entry_text, loader, &mut resolved, &mut diagnostics);
    statements::apply(&mut resolved, as_of, &mut diagnostics);
    declare::declare_all(&mut resolved, &mut diagnostics);
    (resolved, diagnostics)
}
