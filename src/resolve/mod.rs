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

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::value::{EnumId, RecordId, Type};

pub use load::{LoadError, Loader, ModuleSource};

/// Index of a loaded module.
pub type ModuleId = u16;
/// Index of a fact declaration.
pub type FactId = u32;
/// Index of a conclusion.
pub type ConclusionId = u32;
/// Index of a parameter.
pub type ParamId = u32;
/// Index of a rule.
pub type RuleId = u32;

/// A loaded module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The dotted name.
    pub name: String,
    /// Its parsed text.
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

/// A declared rule (its expressions are still AST).
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// The declaration.
    pub decl: ast::RuleDecl,
    /// Where it is declared.
    pub module: ModuleId,
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
    pub conclusions: Vec<ValueDef>,
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
}

impl Resolved {
    /// The span of a value name's declaration.
    pub fn value_span(&self, name: ValueName) -> Span {
        match name {
            ValueName::Fact(id) => self.facts[id as usize].name.span,
            ValueName::Conclusion(id) => self.conclusions[id as usize].name.span,
            ValueName::Param(id) => self.params[id as usize].0.name.span,
        }
    }

    /// The diagnostic for a name (`what` is "`x`" or "the type `x`") used
    /// where its module `owner` is not imported.
    pub fn not_imported(&self, what: &str, span: Span, owner: ModuleId) -> Diagnostic {
        let owner_name = &self.modules[owner as usize].name;
        Diagnostic::new(
            &crate::codes::NOT_IMPORTED,
            span,
            format!("{what} is declared in module `{owner_name}`, which is not imported here"),
        )
        .label("not imported")
        .help(format!("add `import {owner_name}` at the top of this file"))
    }

    /// Whether module `from` may use a declaration of module `owner`.
    pub fn visible(&self, from: ModuleId, owner: ModuleId) -> bool {
        from == owner || self.modules[from as usize].imports.contains(&owner)
    }
}

/// Loads the entry file and everything it imports, and declares every name.
pub fn resolve(entry_name: &str, entry_text: &str, loader: &mut dyn Loader) -> (Resolved, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut resolved = Resolved::default();
    load::load_all(entry_name, entry_text, loader, &mut resolved, &mut diagnostics);
    declare::declare_all(&mut resolved, &mut diagnostics);
    (resolved, diagnostics)
}
