//! Changes to an incident's facts given on the command line (`--set
//! FACT=VALUE`, `--unset FACT`): applied to the incident's tree before it is
//! checked, so that a value set is read and checked as the file's own are,
//! and a problem points at the argument that caused it. [`apply`] checks the
//! changes against one program (`eval`, `explain`), [`apply_in`] against
//! programs loaded together (`compare`).

use serde::Serialize;

use super::tree::{self, Format, Node, NodeKind};
use super::Vocabulary;
use crate::diagnostics::{codes, suggest, Diagnostic};
use crate::ir::Program;
use crate::source::{SourceMap, Span};

/// A change to one fact (a record's field dotted: `territorial_state.knew`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactChange {
    /// The fact.
    pub fact: String,
    /// Its new value as written (TOML: `true`, `3`, `"USD 2000000"`, or a
    /// bare word, read as text), or `None` to make it unknown.
    pub value: Option<String>,
}

/// A fact changed, as the outputs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// The fact.
    pub fact: String,
    /// Its new value as written, or `None` when made unknown.
    pub value: Option<String>,
}

impl FactChange {
    /// `FACT=VALUE`, as `--set` takes it.
    pub fn set(arg: &str) -> Result<FactChange, String> {
        match arg.split_once('=') {
            Some((fact, value)) if !fact.trim().is_empty() && !value.trim().is_empty() => {
                Ok(FactChange { fact: fact.trim().to_string(), value: Some(value.trim().to_string()) })
            }
            _ => Err(format!("`{arg}` is not FACT=VALUE (for example `deaths=3` or `territorial_state.knew=true`)")),
        }
    }

    /// `FACT`, as `--unset` takes it.
    pub fn unset(fact: &str) -> FactChange {
        FactChange { fact: fact.trim().to_string(), value: None }
    }
}

/// Applies the changes, in order, to an incident's tree (its `[facts]`
/// table, made if the file has none) for `program`. Each value is read as
/// TOML from a source of its own, named after the argument, so that the
/// checks of the incident point at it; a bare word (an enumeration value) is
/// read as text. A fact made unknown must be one the program declares (a
/// fact, or a record's field dotted): E0502 otherwise.
pub fn apply(root: &mut Node, changes: &[FactChange], program: &Program, sources: &mut SourceMap) -> Result<Vec<Changed>, Diagnostic> {
    for change in changes.iter().filter(|c| c.value.is_none()) {
        let names = program.facts.iter().map(|f| f.name.as_str()).chain(program.slots.iter().map(|s| s.name.as_str()));
        let mut candidates: Vec<&str> = names.collect();
        if !candidates.contains(&change.fact.as_str()) {
            candidates.sort_unstable();
            candidates.dedup();
            return Err(undeclared(change, candidates, "not declared by the norms", sources));
        }
    }
    edit(root, changes, sources)
}

/// Applies the changes to an incident's tree, as [`apply`] does, for
/// programs loaded together (`opinio compare`), whose facts make
/// `vocabulary`: every fact set or made unknown must be one that some of
/// them declares (a fact, a record's field dotted, or a field below it),
/// E0502 at the argument otherwise. A fact that only some declare is
/// ignored, with a note, under the others, as the file's own facts are.
pub fn apply_in(
    root: &mut Node,
    changes: &[FactChange],
    vocabulary: &Vocabulary,
    sources: &mut SourceMap,
) -> Result<Vec<Changed>, Diagnostic> {
    for change in changes {
        if !vocabulary.knows(&change.fact) && !vocabulary.knows_field(&change.fact) {
            let label = if vocabulary.programs() > 1 { "declared by none of the norms loaded" } else { "not declared by the norms" };
            return Err(undeclared(change, vocabulary.names(), label, sources));
        }
    }
    edit(root, changes, sources)
}

/// Makes the changes in the tree (their names checked already).
fn edit(root: &mut Node, changes: &[FactChange], sources: &mut SourceMap) -> Result<Vec<Changed>, Diagnostic> {
    let mut changed = Vec::with_capacity(changes.len());
    for change in changes {
        let path: Vec<&str> = change.fact.split('.').collect();
        let value = match &change.value {
            None => None,
            Some(text) => Some(read_value(&change.fact, text, sources)?),
        };
        // Tables made on the way point at the argument too.
        let at = value.as_ref().map_or(root.span, |v| v.span);
        let NodeKind::Table(entries) = std::mem::replace(&mut root.kind, NodeKind::Null) else {
            return Err(
                Diagnostic::new(&codes::INCIDENT_SHAPE, root.span, "the incident is not a table, so no fact can be changed").label("here")
            );
        };
        let mut facts_path = vec!["facts"];
        facts_path.extend(&path);
        root.kind = NodeKind::Table(with_path(entries, &facts_path, value, at));
        changed.push(Changed { fact: change.fact.clone(), value: change.value.clone() });
    }
    Ok(changed)
}

/// E0502 at the argument naming a fact that is not declared, with "did you
/// mean" drawn from `candidates` (sorted, each once).
fn undeclared(change: &FactChange, candidates: Vec<&str>, label: &str, sources: &mut SourceMap) -> Diagnostic {
    let fact = &change.fact;
    let argument = match &change.value {
        None => format!("--unset {fact}"),
        Some(value) => format!("--set {fact}={value}"),
    };
    let file = sources.add(argument, fact.to_string());
    let help = suggest::help_for(fact, candidates, || "name a fact the norms declare (a record's field dotted)".into());
    Diagnostic::new(&codes::UNKNOWN_FACT, Span::new(file, 0, fact.len()), format!("unknown fact `{fact}`")).label(label).help(help)
}

/// The value of `--set FACT=TEXT`, read from a source named after it.
fn read_value(fact: &str, text: &str, sources: &mut SourceMap) -> Result<Node, Diagnostic> {
    let toml = format!("value = {text}");
    let file = sources.add(format!("--set {fact}={text}"), toml.clone());
    let root = match tree::parse(file, &toml, Format::Toml) {
        Ok(root) => root,
        // Not TOML: a bare word, such as an enumeration value, read as text.
        Err(_) if !text.contains(['"', '\n', '[', '{', '=']) => {
            let quoted = format!("value = \"{text}\"");
            let file = sources.add(format!("--set {fact}={text}"), quoted.clone());
            tree::parse(file, &quoted, Format::Toml)?
        }
        Err(d) => return Err(d),
    };
    match root.kind {
        NodeKind::Table(mut entries) if entries.len() == 1 => Ok(entries.remove(0).2),
        _ => Err(Diagnostic::new(&codes::INCIDENT_SYNTAX, root.span, format!("`{text}` is not one value")).label("here")),
    }
}

/// A table's entries with the entry at a dotted path set to `value`, or
/// removed for `None`; the tables on the way are made where missing (or
/// where something else was given).
fn with_path(mut table: Vec<(String, Span, Node)>, path: &[&str], value: Option<Node>, at: Span) -> Vec<(String, Span, Node)> {
    match path {
        [] => table,
        [last] => {
            // A fact given with its evidence (`{ value = ..., proof = ... }`)
            // keeps it: only its value changes.
            let annotated = table.iter().position(|(k, _, v)| {
                k == last && matches!(&v.kind, NodeKind::Table(fields) if fields.iter().any(|(f, _, _)| f == "value"))
            });
            match (annotated, value) {
                (Some(i), Some(v)) if !matches!(v.kind, NodeKind::Table(_)) => {
                    let fields = match std::mem::replace(&mut table[i].2.kind, NodeKind::Null) {
                        NodeKind::Table(fields) => fields,
                        _ => Vec::new(),
                    };
                    table[i].2.kind = NodeKind::Table(with_path(fields, &["value"], Some(v), at));
                }
                (_, value) => {
                    table.retain(|(k, _, _)| k != last);
                    if let Some(v) = value {
                        let span = v.span;
                        table.push((last.to_string(), span, v));
                    }
                }
            }
            table
        }
        [first, rest @ ..] => {
            let i = match table.iter().position(|(k, _, _)| k == first) {
                Some(i) => i,
                None => {
                    table.push((first.to_string(), at, Node { kind: NodeKind::Table(Vec::new()), span: at }));
                    table.len() - 1
                }
            };
            let inner = match std::mem::replace(&mut table[i].2.kind, NodeKind::Null) {
                NodeKind::Table(fields) => fields,
                _ => Vec::new(),
            };
            table[i].2.kind = NodeKind::Table(with_path(inner, rest, value, at));
            table
        }
    }
}
