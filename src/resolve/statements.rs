//! Positions over time: dated statements, and the position as it stood on
//! a day.
//!
//! A position declares its statements (`statement NAME "..." dated DATE`)
//! and marks a change `in NAME`. Before any name is declared, this pass
//! checks the statements and their uses, and, when the program is compiled
//! as of a day, leaves out every declaration of a statement made after it:
//! the position as it stood then. A declaration in no statement always
//! applies.

use super::*;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;

/// A statement a position declares.
#[derive(Debug, Clone)]
pub struct StatementDef {
    /// The position's module.
    pub module: ModuleId,
    /// Its name.
    pub name: ast::Ident,
    /// What it is.
    pub description: String,
    /// When it was made, in days from 1970-01-01.
    pub day: i32,
    /// The date as written, `YYYY-MM-DD`.
    pub date: String,
    /// Its sources.
    pub cites: Vec<String>,
    /// Whether its changes apply: made on or before the day the program is
    /// compiled as of (always, without one).
    pub applies: bool,
}

/// The statement a declaration names with `in NAME`, if any.
fn statement_of(item: &ast::Item) -> Option<&ast::Ident> {
    match item {
        ast::Item::Rule(r) | ast::Item::Open(r) => r.statement.as_ref(),
        ast::Item::Assessment(a) => a.rule.statement.as_ref(),
        ast::Item::Tiers(t) => t.rule.statement.as_ref(),
        ast::Item::Replace(r) => match r.with.as_ref() {
            ast::Item::Rule(d) | ast::Item::Open(d) => d.statement.as_ref(),
            ast::Item::Assessment(a) => a.rule.statement.as_ref(),
            ast::Item::Tiers(t) => t.rule.statement.as_ref(),
            _ => None,
        },
        ast::Item::Remove(r) | ast::Item::OpenRule(r) => r.statement.as_ref(),
        ast::Item::Set(s) => s.statement.as_ref(),
        _ => None,
    }
}

/// Declares every statement, checks every `in NAME`, and, `as_of` a day,
/// removes the declarations of later statements from their modules.
pub(super) fn apply(resolved: &mut Resolved, as_of: Option<i32>, diagnostics: &mut Vec<Diagnostic>) {
    for m in 0..resolved.modules.len() {
        let module = ModuleId::new(m);
        let is_position = resolved.position_of(module).is_some();
        let first = resolved.statements.len();
        for item in &resolved.modules[m].ast.items {
            let ast::Item::Statement(s) = item else { continue };
            if !is_position {
                diagnostics.push(
                    Diagnostic::new(
                        &codes::STATEMENT_OUTSIDE_POSITION,
                        s.name.span,
                        format!(
                            "the statement `{}` is declared in the module `{}`, which is not a position",
                            s.name.name, resolved.modules[m].name
                        ),
                    )
                    .label("only positions make statements")
                    .help(
                        "declare statements in the position whose changes they date (a file that begins with `position NAME extends ...`)",
                    ),
                );
                continue;
            }
            if let Some(earlier) = resolved.statements[first..].iter().find(|d| d.name.name == s.name.name) {
                diagnostics.push(super::tables::duplicate(&s.name.name, "statement", s.name.span, earlier.name.span));
                continue;
            }
            let (y, mo, d) = s.date;
            let day = crate::value::days_from_civil(y, mo, d).unwrap_or(0);
            resolved.statements.push(StatementDef {
                module,
                name: s.name.clone(),
                description: s.description.clone(),
                day,
                date: format!("{y:04}-{mo:02}-{d:02}"),
                cites: s.cites.iter().map(|c| c.text.clone()).collect(),
                applies: as_of.is_none_or(|as_of| day <= as_of),
            });
        }
        let own = first..resolved.statements.len();
        // Check each `in NAME`, and keep the declarations that apply.
        let items = std::mem::take(&mut resolved.modules[m].ast.items);
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let Some(name) = statement_of(&item) else {
                kept.push(item);
                continue;
            };
            match resolved.statements[own.clone()].iter().find(|d| d.name.name == name.name) {
                Some(d) if d.applies => kept.push(item),
                Some(_) => {}
                None => {
                    let names: Vec<&str> = resolved.statements[own.clone()].iter().map(|d| d.name.name.as_str()).collect();
                    let help = suggest::help_for(&name.name, names.iter().copied(), || {
                        if is_position {
                            format!("declare it in this position: `statement {} \"...\" dated YYYY-MM-DD`", name.name)
                        } else {
                            "statements date the changes of a position; this file is not one".to_string()
                        }
                    });
                    diagnostics.push(
                        Diagnostic::new(
                            &codes::UNKNOWN_STATEMENT,
                            name.span,
                            format!("no statement `{}` is declared in this file", name.name),
                        )
                        .label("not a statement of this position")
                        .help(help),
                    );
                    kept.push(item);
                }
            }
        }
        resolved.modules[m].ast.items = kept;
    }
}

impl Resolved {
    /// The statement a declaration of `module` names, by its index in
    /// [`Resolved::statements`].
    pub fn statement_named(&self, module: ModuleId, name: Option<&ast::Ident>) -> Option<usize> {
        let name = name?;
        self.statements.iter().position(|s| s.module == module && s.name.name == name.name)
    }
}
