//! The tables of declarations every pass fills and reads: adding rules,
//! conclusions, values and types, looking up parties and types, and the
//! diagnostics for duplicates and uncited changes. `declare`, `norms` and
//! `overlay` use these; none of them uses another.

use super::*;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;

/// Field names an incident file uses for annotations.
pub const RESERVED_FIELDS: [&str; 3] = ["value", "source", "proof"];

/// Declares a conclusion with its burden and standard of proof; returns its id.
pub(super) fn declare_conclusion(
    resolved: &mut Resolved,
    d: &ast::ValueDecl,
    proof: &ast::ProofClauses,
    module: ModuleId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ConclusionId> {
    let def = value_def(resolved, d, module, diagnostics);
    if let Type::Record(_) | Type::List(_) = def.ty {
        diagnostics.push(
            Diagnostic::new(&codes::NESTED_LIST, d.ty.span(), format!("the conclusion `{}` has a record or list type", d.name.name))
                .label("conclusions hold single values")
                .help("declare one conclusion per value"),
        );
    }
    let cites: Vec<String> = proof.cites.iter().map(|c| c.text.clone()).collect();
    let burden = proof.burden.as_ref().and_then(|p| {
        let party = lookup_party(resolved, p, diagnostics)?;
        Some(ProofSetting { value: party, span: p.span, cites: cites.clone(), module })
    });
    // A burden's standard (`burden on p to s`) is the conclusion's standard:
    // what its bearer must prove it to. It cannot have two.
    if let (Some(s), Some(b)) = (&proof.standard, &proof.burden_standard) {
        diagnostics.push(
            Diagnostic::new(&codes::TWO_STANDARDS, b.span, format!("the conclusion `{}` is given two standards of proof", d.name.name))
                .label("the standard of its burden")
                .also(s.span, "its own standard")
                .help("keep one: `burden on PARTY to STANDARD` names the standard the party bearing the burden must meet"),
        );
    }
    let standard = proof.burden_standard.as_ref().or(proof.standard.as_ref()).map(|e| ProofSetting {
        value: e.clone(),
        span: e.span,
        cites: cites.clone(),
        module,
    });
    let id = ConclusionId::new(resolved.conclusions.len());
    if !declare_value(resolved, &d.name, ValueName::Conclusion(id), module, diagnostics) {
        return None;
    }
    resolved.conclusions.push(ConclusionDef { def, burden, standard, deontic: None, breach_of: None });
    Some(id)
}

/// The party of this name, or a diagnostic with a suggestion.
pub(super) fn lookup_party(resolved: &Resolved, name: &ast::Ident, diagnostics: &mut Vec<Diagnostic>) -> Option<PartyId> {
    if let Some(&id) = resolved.party_names.get(&name.name) {
        return Some(id);
    }
    let mut names: Vec<&str> = resolved.party_names.keys().map(String::as_str).collect();
    names.sort_unstable();
    let help = suggest::help_for(&name.name, names, || format!("declare it: `party {} \"...\"`", name.name));
    diagnostics.push(
        Diagnostic::new(&codes::UNKNOWN_PARTY, name.span, format!("unknown party `{}`", name.name))
            .label("not a declared party")
            .help(help),
    );
    None
}

/// Adds a rule (or an assessment, tier or breach rule) to the rule namespace.
/// A rule a position adds must cite its source.
pub(super) fn add_rule(resolved: &mut Resolved, decl: ast::RuleDecl, form: RuleForm, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(first) = resolved.rule_names.get(&decl.name.name) {
        let first_span = resolved.rules[first].decl.name.span;
        diagnostics.push(duplicate(&decl.name.name, "rule", decl.name.span, first_span));
        return;
    }
    if resolved.position_of(module).is_some() && !matches!(form, RuleForm::Breach { .. }) {
        let keyword = form.keyword();
        // The tiers of one declaration share its citations: reported once, at the first.
        let later_tier = matches!(form, RuleForm::Tier { index: Some(2..), .. } | RuleForm::Tier { index: None, .. });
        if decl.cites.is_empty() && !later_tier {
            diagnostics.push(uncited(decl.name.span, &format!("the {keyword} `{}`", decl.name.name)));
        }
        let target = match &form {
            RuleForm::Tier { tiers, .. } => tiers.clone(),
            _ => decl.name.name.clone(),
        };
        if !resolved.changes.iter().any(|c| c.module == module && c.target == target) {
            resolved.changes.push(Change {
                module,
                kind: ChangeKind::Add,
                target,
                cites: decl.cites.iter().map(|c| c.text.clone()).collect(),
                span: decl.name.span,
                conclusions: Vec::new(),
                reading: decl.reading.clone(),
                statement: resolved.statement_named(module, decl.statement.as_ref()),
            });
        }
    }
    resolved.rule_names.insert(decl.name.name.clone(), RuleId::new(resolved.rules.len()));
    resolved.rules.push(RuleDef { decl, module, form, opened: None });
}

pub(super) fn value_def(resolved: &Resolved, d: &ast::ValueDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> ValueDef {
    let ty = resolve_type(resolved, &d.ty, module, diagnostics);
    ValueDef { name: d.name.clone(), ty, description: d.description.clone(), doc: d.doc.clone(), module }
}

pub(super) fn declare_type(
    resolved: &mut Resolved,
    name: &ast::Ident,
    ty: TypeName,
    module: ModuleId,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if Type::builtin(&name.name).is_some() {
        diagnostics.push(
            Diagnostic::new(&codes::DUPLICATE, name.span, format!("`{}` is a built-in type", name.name))
                .label("already a type")
                .help("choose another name for this type"),
        );
        return false;
    }
    if let Some((existing, _)) = resolved.type_names.get(&name.name) {
        let first = match existing {
            TypeName::Enum(id) => resolved.enums[id].name.span,
            TypeName::Record(id) => resolved.records[id].name.span,
        };
        diagnostics.push(duplicate(&name.name, "type", name.span, first));
        return false;
    }
    resolved.type_names.insert(name.name.clone(), (ty, module));
    true
}

pub(super) fn declare_value(
    resolved: &mut Resolved,
    name: &ast::Ident,
    value: ValueName,
    module: ModuleId,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if let Some((existing, _)) = resolved.value_names.get(&name.name) {
        diagnostics.push(duplicate(&name.name, "name", name.span, resolved.value_span(*existing)));
        return false;
    }
    resolved.value_names.insert(name.name.clone(), (value, module));
    true
}

pub(super) fn duplicate(name: &str, what: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE, span, format!("the {what} `{name}` is declared twice"))
        .label("declared again here")
        .also(first, "first declared here")
        .help(format!("rename one of them, or remove the second declaration of `{name}`"))
}

pub(super) fn resolve_type(resolved: &Resolved, ty: &ast::TypeExpr, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> Type {
    match ty {
        ast::TypeExpr::Named(id) => {
            if let Some(t) = Type::builtin(&id.name) {
                return t;
            }
            match lookup_type(resolved, id, module, diagnostics) {
                Some(TypeName::Enum(e)) => Type::Enum(e),
                Some(TypeName::Record(r)) => Type::Record(r),
                None => Type::Error,
            }
        }
        ast::TypeExpr::ListOf(id, span) => match lookup_type(resolved, id, module, diagnostics) {
            Some(TypeName::Record(r)) => Type::List(r),
            Some(TypeName::Enum(_)) => {
                diagnostics.push(
                    Diagnostic::new(
                        &codes::NESTED_LIST,
                        *span,
                        format!("`list of {}`: lists hold records, and `{}` is an enumeration", id.name, id.name),
                    )
                    .label("not a record")
                    .help("declare a record with one field of this enumeration and make a list of that record"),
                );
                Type::Error
            }
            None => Type::Error,
        },
    }
}

pub(super) fn lookup_type(resolved: &Resolved, id: &ast::Ident, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> Option<TypeName> {
    match resolved.type_names.get(&id.name) {
        Some((t, owner)) if resolved.visible(module, *owner) => Some(*t),
        Some((t, owner)) => {
            diagnostics.push(resolved.not_imported(&format!("the type `{}`", id.name), id.span, *owner));
            Some(*t)
        }
        None => {
            let candidates = Type::BUILTINS.iter().copied().chain(resolved.type_names.keys().map(String::as_str));
            let mut sorted: Vec<&str> = candidates.collect();
            sorted.sort_unstable();
            let help = suggest::help_for(&id.name, sorted, || {
                "the types are bool, number, money, duration, date, text, and declared enumerations and records".into()
            });
            diagnostics
                .push(Diagnostic::new(&codes::UNKNOWN_TYPE, id.span, format!("unknown type `{}`", id.name)).label("not a type").help(help));
            None
        }
    }
}

/// The diagnostic for a change without a citation.
pub(super) fn uncited(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(&codes::UNCITED_CHANGE, span, format!("{what} changes the base without a citation"))
        .label("no `cites`")
        .help("cite the position paper, with its page or paragraph: `cites \"...\"`")
}
