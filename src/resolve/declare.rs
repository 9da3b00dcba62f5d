//! Declaring names: the type, value, rule and party namespaces, and declared types.

use super::tables::*;
use super::*;
use crate::diagnostics::codes;

/// Declares every item of every module, and moves each module's items into
/// the tables (rules keep their declaration): after it, `ast.items` is empty.
pub(super) fn declare_all(resolved: &mut Resolved, diagnostics: &mut Vec<Diagnostic>) {
    // Types first, so that any declaration may use any type. The items are
    // taken out while they are read, and put back.
    for m in 0..resolved.modules.len() {
        let items = std::mem::take(&mut resolved.modules[m].ast.items);
        for item in &items {
            match item {
                ast::Item::Enum(e) => {
                    let id = EnumId::new(resolved.enums.len());
                    if declare_type(resolved, &e.name, TypeName::Enum(id), ModuleId::new(m), diagnostics) {
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
                            module: ModuleId::new(m),
                        });
                    }
                }
                ast::Item::Record(r) => {
                    let id = RecordId::new(resolved.records.len());
                    if declare_type(resolved, &r.name, TypeName::Record(id), ModuleId::new(m), diagnostics) {
                        resolved.records.push(RecordDef {
                            name: r.name.clone(),
                            description: r.description.clone(),
                            fields: Vec::new(),
                            module: ModuleId::new(m),
                        });
                    }
                }
                ast::Item::Party(p) => {
                    if let Some(&first) = resolved.party_names.get(&p.name.name) {
                        diagnostics.push(duplicate(&p.name.name, "party", p.name.span, resolved.parties[first].name.span));
                        continue;
                    }
                    resolved.party_names.insert(p.name.name.clone(), PartyId::new(resolved.parties.len()));
                    resolved.parties.push(PartyDef { name: p.name.clone(), description: p.description.clone(), module: ModuleId::new(m) });
                }
                _ => {}
            }
        }
        resolved.modules[m].ast.items = items;
    }
    // Then record fields, facts, conclusions, parameters and rules, moved
    // out of the syntax tree.
    for m in 0..resolved.modules.len() {
        let module = ModuleId::new(m);
        let items = std::mem::take(&mut resolved.modules[m].ast.items);
        for item in items {
            match item {
                ast::Item::Record(r) => {
                    let Some((TypeName::Record(id), owner)) = resolved.type_names.get(&r.name.name).copied() else { continue };
                    if owner != module || resolved.records[id].name.span != r.name.span {
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
                    resolved.records[id].fields = fields;
                }
                ast::Item::Fact(d) => {
                    let def = value_def(resolved, &d, module, diagnostics);
                    let id = FactId::new(resolved.facts.len());
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
                ast::Item::Replace(_) | ast::Item::Remove(_) | ast::Item::Set(_) | ast::Item::OpenRule(_) => {
                    super::overlay::apply(resolved, item, module, diagnostics)
                }
                ast::Item::Open(r) => add_rule(resolved, r, RuleForm::Open, module, diagnostics),
                ast::Item::Statement(_) => {}
                ast::Item::Party(_) => {}
                ast::Item::Param(p) => {
                    let ty = resolve_type(resolved, &p.ty, module, diagnostics);
                    let id = ParamId::new(resolved.params.len());
                    if declare_value(resolved, &p.name, ValueName::Param(id), module, diagnostics) {
                        let def = ValueDef { name: p.name, ty, description: p.description, doc: p.doc, module };
                        resolved.params.push((def, p.value));
                    }
                }
                ast::Item::Rule(r) => add_rule(resolved, r, RuleForm::Plain, module, diagnostics),
                ast::Item::Import(_) | ast::Item::Enum(_) => {}
            }
        }
    }
    check_record_cycles(resolved, diagnostics);
    for p in &resolved.positions {
        let decl = resolved.modules[p.module].ast.position.as_ref();
        if let (Some(title), Some(decl)) = (&p.title, decl) {
            if title.trim().is_empty() {
                diagnostics.push(
                    Diagnostic::new(&codes::EMPTY_TITLE, decl.name.span, format!("the position `{}` has an empty title", p.name))
                        .label("its title is empty")
                        .help(format!(
                            "write the name reports should show (`position {} \"Name\"`), or leave the title out to show `{}`",
                            p.name, p.name
                        )),
                );
            }
        }
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

fn check_record_cycles(resolved: &mut Resolved, diagnostics: &mut Vec<Diagnostic>) {
    fn contains(resolved: &Resolved, from: RecordId, target: RecordId, seen: &mut Vec<RecordId>) -> bool {
        for f in &resolved.records[from].fields {
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
    for id in (0..resolved.records.len()).map(RecordId::new) {
        if contains(resolved, id, id, &mut Vec::new()) {
            let r = &resolved.records[id];
            diagnostics.push(
                Diagnostic::new(&codes::NESTED_LIST, r.name.span, format!("the record `{}` contains itself", r.name.name))
                    .label("a field leads back to this record")
                    .help("records nest only finitely; use a list fact for repeated parts"),
            );
            for f in &mut resolved.records[id].fields {
                if matches!(f.ty, Type::Record(_)) {
                    f.ty = Type::Error;
                }
            }
        }
    }
}
