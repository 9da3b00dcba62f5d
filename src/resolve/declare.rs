//! Declaring names: the type, value, rule and party namespaces, and declared types.

use super::*;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;

pub(super) fn declare_all(resolved: &mut Resolved, diagnostics: &mut Vec<Diagnostic>) {
    // Types first, so that any declaration may use any type.
    for m in 0..resolved.modules.len() {
        let items = resolved.modules[m].ast.items.clone();
        for item in &items {
            match item {
                ast::Item::Enum(e) => {
                    let id = resolved.enums.len() as EnumId;
                    if declare_type(resolved, &e.name, TypeName::Enum(id), m as ModuleId, diagnostics) {
                        let mut seen: HashMap<&str, Span> = HashMap::new();
                        for v in &e.values {
                            if let Some(first) = seen.insert(&v.name, v.span) {
                                diagnostics.push(duplicate(&v.name, "enumeration value", v.span, first));
                            }
                        }
                        resolved.enums.push(EnumDef {
                            name: e.name.clone(),
                            description: e.description.clone(),
                            values: e.values.clone(),
                            module: m as ModuleId,
                        });
                    }
                }
                ast::Item::Record(r) => {
                    let id = resolved.records.len() as RecordId;
                    if declare_type(resolved, &r.name, TypeName::Record(id), m as ModuleId, diagnostics) {
                        resolved.records.push(RecordDef {
                            name: r.name.clone(),
                            description: r.description.clone(),
                            fields: Vec::new(),
                            module: m as ModuleId,
                        });
                    }
                }
                ast::Item::Party(p) => {
                    if let Some(&first) = resolved.party_names.get(&p.name.name) {
                        diagnostics.push(duplicate(&p.name.name, "party", p.name.span, resolved.parties[first as usize].name.span));
                        continue;
                    }
                    resolved.party_names.insert(p.name.name.clone(), resolved.parties.len() as PartyId);
                    resolved.parties.push(PartyDef { name: p.name.clone(), description: p.description.clone(), module: m as ModuleId });
                }
                _ => {}
            }
        }
    }
    // Then record fields, facts, conclusions, parameters and rules.
    for m in 0..resolved.modules.len() {
        let module = m as ModuleId;
        let items = resolved.modules[m].ast.items.clone();
        for item in items {
            match item {
                ast::Item::Record(r) => {
                    let Some((TypeName::Record(id), owner)) = resolved.type_names.get(&r.name.name).copied() else { continue };
                    if owner != module || resolved.records[id as usize].name.span != r.name.span {
                        continue; // a duplicate, already reported
                    }
                    let mut fields: Vec<FieldDef> = Vec::new();
                    for f in &r.fields {
                        if RESERVED_FIELDS.contains(&f.name.name.as_str()) {
                            diagnostics.push(
                                Diagnostic::new(
                                    &codes::RESERVED_FIELD,
                                    f.name.span,
                                    format!("a record field cannot be named `{}`", f.name.name),
                                )
                                .label("reserved for incident annotations")
                                .help(format!(
                                    "`value`, `source` and `proof` annotate facts in incident files; name the field `{}_`",
                                    f.name.name
                                )),
                            );
                        }
                        if let Some(first) = fields.iter().find(|x| x.name.name == f.name.name) {
                            diagnostics.push(duplicate(&f.name.name, "field", f.name.span, first.name.span));
                            continue;
                        }
                        let ty = resolve_type(resolved, &f.ty, module, diagnostics);
                        if let Type::List(_) = ty {
                            diagnostics.push(
                                Diagnostic::new(
                                    &codes::NESTED_LIST,
                                    f.ty.span(),
                                    format!("the field `{}` is a list inside a record", f.name.name),
                                )
                                .label("lists are allowed only as facts")
                                .help("declare the list as a fact of its own"),
                            );
                        }
                        fields.push(FieldDef { name: f.name.clone(), ty, description: f.description.clone() });
                    }
                    resolved.records[id as usize].fields = fields;
                }
                ast::Item::Fact(d) => {
                    let def = value_def(resolved, &d, module, diagnostics);
                    let id = resolved.facts.len() as FactId;
                    if declare_value(resolved, &d.name, ValueName::Fact(id), module, diagnostics) {
                        resolved.facts.push(def);
                    }
                }
                ast::Item::Conclusion(d) => {
                    declare_conclusion(resolved, &d.value, &d.proof, module, diagnostics);
                }
                ast::Item::Deontic(d) => super::norms::declare_deontic(resolved, &d, module, diagnostics),
                ast::Item::Assessment(a) => {
                    let parts = AssessmentParts { factors: a.factors, aggregate: a.aggregate, strict: a.strict, threshold: a.threshold };
                    add_rule(resolved, a.rule, RuleForm::Assessment(parts), module, diagnostics);
                }
                ast::Item::Tiers(t) => super::norms::declare_tiers(resolved, t, module, diagnostics),
                ast::Item::Replace(_) | ast::Item::Remove(_) | ast::Item::Set(_) => {
                    super::overlay::apply(resolved, item, module, diagnostics)
                }
                ast::Item::Party(_) => {}
                ast::Item::Param(p) => {
                    let ty = resolve_type(resolved, &p.ty, module, diagnostics);
                    let def = ValueDef { name: p.name.clone(), ty, description: p.description.clone(), doc: p.doc.clone(), module };
                    let id = resolved.params.len() as ParamId;
                    if declare_value(resolved, &p.name, ValueName::Param(id), module, diagnostics) {
                        resolved.params.push((def, p.value.clone()));
                    }
                }
                ast::Item::Rule(r) => add_rule(resolved, r, RuleForm::Plain, module, diagnostics),
                ast::Item::Import(_) | ast::Item::Enum(_) => {}
            }
        }
    }
    check_record_cycles(resolved, diagnostics);
    for p in &resolved.positions {
        let decl = resolved.modules[p.module as usize].ast.position.as_ref();
        if let (true, Some(decl)) = (p.cites.is_empty(), decl) {
            diagnostics.push(
                Diagnostic::new(
                    &codes::UNCITED_CHANGE,
                    decl.name.span,
                    format!("the position `{}` does not cite the text it encodes", p.name),
                )
                .label("no `cites`")
                .help("cite the position paper after `extends`: `cites \"...\"`"),
            );
        }
    }
}

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
    let standard = proof.standard.as_ref().map(|e| ProofSetting { value: e.clone(), span: e.span, cites: cites.clone(), module });
    let id = resolved.conclusions.len() as ConclusionId;
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
        let first_span = resolved.rules[*first as usize].decl.name.span;
        diagnostics.push(duplicate(&decl.name.name, "rule", decl.name.span, first_span));
        return;
    }
    if resolved.position_of(module).is_some() && !matches!(form, RuleForm::Breach { .. }) {
        let keyword = form.keyword();
        // The tiers of one declaration share its citations: reported once, at the first.
        let later_tier = matches!(form, RuleForm::Tier { index: Some(2..), .. } | RuleForm::Tier { index: None, .. });
        if decl.cites.is_empty() && !later_tier {
            diagnostics.push(super::overlay::uncited(decl.name.span, &format!("the {keyword} `{}`", decl.name.name)));
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
            });
        }
    }
    resolved.rule_names.insert(decl.name.name.clone(), resolved.rules.len() as RuleId);
    resolved.rules.push(RuleDef { decl, module, form });
}

fn value_def(resolved: &Resolved, d: &ast::ValueDecl, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> ValueDef {
    let ty = resolve_type(resolved, &d.ty, module, diagnostics);
    ValueDef { name: d.name.clone(), ty, description: d.description.clone(), doc: d.doc.clone(), module }
}

fn declare_type(resolved: &mut Resolved, name: &ast::Ident, ty: TypeName, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> bool {
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
            TypeName::Enum(id) => resolved.enums[*id as usize].name.span,
            TypeName::Record(id) => resolved.records[*id as usize].name.span,
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

fn resolve_type(resolved: &Resolved, ty: &ast::TypeExpr, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> Type {
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

fn lookup_type(resolved: &Resolved, id: &ast::Ident, module: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> Option<TypeName> {
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

fn check_record_cycles(resolved: &mut Resolved, diagnostics: &mut Vec<Diagnostic>) {
    fn contains(resolved: &Resolved, from: RecordId, target: RecordId, seen: &mut Vec<RecordId>) -> bool {
        for f in &resolved.records[from as usize].fields {
            if let Type::Record(r) = f.ty {
                if r == target {
                    return true;
                }
                if !seen.contains(&r) {
                    seen.push(r);
                    if contains(resolved, r, target, seen) {
                        return true;
                    }
                }
            }
        }
        false
    }
    for id in 0..resolved.records.len() as RecordId {
        if contains(resolved, id, id, &mut Vec::new()) {
            let r = &resolved.records[id as usize];
            diagnostics.push(
                Diagnostic::new(&codes::NESTED_LIST, r.name.span, format!("the record `{}` contains itself", r.name.name))
                    .label("a field leads back to this record")
                    .help("records nest only finitely; use a list fact for repeated parts"),
            );
            for f in &mut resolved.records[id as usize].fields {
                if matches!(f.ty, Type::Record(_)) {
                    f.ty = Type::Error;
                }
            }
        }
    }
}
