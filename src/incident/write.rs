//! Writing an incident file (TOML) from facts: for incidents that the
//! searches make (`opinio witness`), in the shape the reader reads.

use std::fmt::Write as _;

use super::{Annotation, IncidentMeta};
use crate::ir::Program;
use crate::reports::value_json;
use crate::value::{Proof, Type, Value};

/// One fact to write.
#[derive(Debug, Clone)]
pub struct FactOut {
    /// The slot's name (a record's field dotted).
    pub name: String,
    /// Its value (unknown: written `unknown = true`).
    pub value: Value,
    /// Its standard of proof (`UNSTATED`: none written).
    pub proof: Proof,
    /// Its annotation in the file it comes from, if any (source and note kept).
    pub annotation: Option<Annotation>,
}

/// An incident file: `comment` lines first (each after `# `), the
/// `[incident]` table, then `[facts]`, one line per fact, in order.
pub fn to_toml(program: &Program, comment: &[String], meta: &IncidentMeta, facts: &[FactOut]) -> String {
    let mut s = String::new();
    for line in comment {
        if line.is_empty() {
            s.push_str("#\n");
        } else {
            let _ = writeln!(s, "# {line}");
        }
    }
    if !comment.is_empty() {
        s.push('\n');
    }
    s.push_str("[incident]\n");
    let _ = writeln!(s, "name = {}", string(&meta.name));
    if let Some(date) = &meta.date {
        let _ = writeln!(s, "date = {}", string(date));
    } else if let Some(year) = meta.year {
        let _ = writeln!(s, "year = {year}");
    }
    if let Some(summary) = &meta.summary {
        let _ = writeln!(s, "summary = {}", string(summary));
    }
    if !meta.sources.is_empty() {
        let _ = writeln!(s, "sources = [{}]", meta.sources.iter().map(|x| string(x)).collect::<Vec<_>>().join(", "));
    }
    for rate in &meta.exchange_rates {
        let _ = write!(
            s,
            "\n[[exchange_rates]]\nfrom = {}\nto = {}\nrate = {}\n",
            string(rate.from.as_str()),
            string(rate.to.as_str()),
            rate.rate
        );
        if let Some(date) = &rate.date {
            let _ = writeln!(s, "date = {}", string(date));
        }
        let _ = writeln!(s, "source = {}", string(&rate.source));
    }
    s.push_str("\n[facts]\n");
    for f in facts {
        let ty = program.slot_named(&f.name).map(|s| program.slots[s].ty);
        let key = f.name.split('.').map(key).collect::<Vec<_>>().join(".");
        let mut parts = Vec::new();
        if f.value.is_unknown() {
            parts.push("unknown = true".to_string());
        } else {
            parts.push(format!("value = {}", toml_value(program, &f.value, ty)));
        }
        if let (Some(name), false) = (f.proof.name(), f.value.is_unknown()) {
            parts.push(format!("proof = {}", string(name)));
        }
        if let Some(a) = &f.annotation {
            if let Some(source) = &a.source {
                parts.push(format!("source = {}", string(source)));
            }
            if let Some(note) = &a.note {
                parts.push(format!("note = {}", string(note)));
            }
        }
        if parts.len() == 1 && !f.value.is_unknown() {
            let _ = writeln!(s, "{key} = {}", toml_value(program, &f.value, ty));
        } else {
            let _ = writeln!(s, "{key} = {{ {} }}", parts.join(", "));
        }
    }
    s
}

/// A value as an incident file writes it.
fn toml_value(program: &Program, v: &Value, ty: Option<Type>) -> String {
    match v {
        Value::List(items) => {
            let ty = match ty {
                Some(Type::List(r)) => Some(r),
                _ => None,
            };
            let elements: Vec<String> = items
                .iter()
                .map(|e| {
                    let fields: Vec<String> = e
                        .iter()
                        .enumerate()
                        .filter(|(_, x)| !x.is_unknown())
                        .map(|(i, x)| {
                            let path =
                                ty.and_then(|r| program.records[r].leaves.get(i)).map_or_else(|| format!("field{i}"), |l| l.path.clone());
                            format!("{} = {}", path.split('.').map(key).collect::<Vec<_>>().join("."), toml_value(program, x, None))
                        })
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                })
                .collect();
            format!("[{}]", elements.join(", "))
        }
        other => match value_json(program, other) {
            serde_json::Value::String(t) => string(&t),
            j => j.to_string(),
        },
    }
}

/// A TOML key: bare where it can be, quoted otherwise.
fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        string(k)
    }
}

/// A TOML basic string.
fn string(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 2);
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
