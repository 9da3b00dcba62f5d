//! TOML and JSON incident files, read into one spanned tree.

use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// A value of an incident file, with its place.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of value an incident file can hold.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// `true` / `false`.
    Bool(bool),
    /// An integer or decimal number, exact (within plus or minus 2^53).
    Number(f64),
    /// A number as written that cannot be held exactly: beyond plus or minus
    /// 2^53, or infinite (`1e400`, TOML's `inf` and `nan`).
    Inexact(String),
    /// A string.
    Text(String),
    /// A TOML date (`2007-04-27`), as written.
    Date(String),
    /// A TOML date-time or time, which incidents do not use.
    OtherDatetime(String),
    /// JSON `null`.
    Null,
    /// An amount, a duration or a date given in a test file, read as the
    /// language reads it (not printed to text and read again).
    Literal(crate::syntax::ast::Literal),
    /// An array.
    Array(Vec<Node>),
    /// A table or object: keys with their spans, in file order.
    Table(Vec<(String, Span, Node)>),
}

impl NodeKind {
    /// What the value is, in words, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Bool(_) => "true/false",
            NodeKind::Number(_) => "a number",
            NodeKind::Inexact(_) => "a number too large to be exact",
            NodeKind::Text(_) => "text",
            NodeKind::Date(_) => "a date",
            NodeKind::OtherDatetime(_) => "a date-time",
            NodeKind::Null => "null",
            NodeKind::Literal(crate::syntax::ast::Literal::Money(..)) => "an amount of money",
            NodeKind::Literal(crate::syntax::ast::Literal::Duration(_)) => "a duration",
            NodeKind::Literal(crate::syntax::ast::Literal::Date(..)) => "a date",
            NodeKind::Literal(_) => "a value",
            NodeKind::Array(_) => "an array",
            NodeKind::Table(_) => "a table",
        }
    }
}

/// The format of an incident file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format of a file by its extension.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Some(Format::Toml)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// Parses an incident file into a tree.
pub fn parse(file: FileId, text: &str, format: Format) -> Result<Node, Diagnostic> {
    match format {
        Format::Toml => parse_toml(file, text),
        Format::Json => parse_json(file, text),
    }
}

fn parse_toml(file: FileId, text: &str) -> Result<Node, Diagnostic> {
    match toml::de::DeTable::parse(text) {
        Ok(table) => {
            let span = Span::new(file, table.span().start, table.span().end);
            Ok(Node { kind: toml_table(file, table.get_ref()), span })
        }
        Err(e) => {
            let range = e.span().unwrap_or_else(|| {
                // The reader's recursion limit comes without a place: show the deepest line.
                let at = toml_deepest_line(text);
                at..at
            });
            let message = e.message().trim().trim_end_matches('.').to_string();
            Err(Diagnostic::new(
                &codes::INCIDENT_SYNTAX,
                Span::new(file, range.start, range.end.max(range.start)),
                format!("invalid TOML: {}", first_line(&message)),
            )
            .label("here")
            .help("see docs/language.md, section \"Incident files\", for the shape of an incident"))
        }
    }
}

fn toml_table(file: FileId, table: &toml::de::DeTable<'_>) -> NodeKind {
    NodeKind::Table(
        table
            .iter()
            .map(|(k, v)| {
                let ks = Span::new(file, k.span().start, k.span().end);
                (k.get_ref().to_string(), ks, toml_node(file, v))
            })
            .collect(),
    )
}

fn toml_node(file: FileId, v: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let span = Span::new(file, v.span().start, v.span().end);
    let kind = match v.get_ref() {
        DeValue::String(s) => NodeKind::Text(s.to_string()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let digits = digits.trim_start_matches("0x").trim_start_matches("0o").trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) if n.unsigned_abs() <= crate::syntax::MAX_EXACT as u64 => NodeKind::Number(n as f64),
                _ => NodeKind::Inexact(i.as_str().to_string()),
            }
        }
        DeValue::Float(f) => match crate::syntax::exact_number(f.as_str()) {
            Some(n) => NodeKind::Number(n),
            None => NodeKind::Inexact(f.as_str().to_string()),
        },
        DeValue::Boolean(b) => NodeKind::Bool(*b),
        DeValue::Datetime(d) => {
            if d.time.is_none() && d.offset.is_none() {
                NodeKind::Date(d.to_string())
            } else {
                NodeKind::OtherDatetime(d.to_string())
            }
        }
        DeValue::Array(items) => NodeKind::Array(items.iter().map(|i| toml_node(file, i)).collect()),
        DeValue::Table(t) => toml_table(file, t),
    };
    Node { kind, span }
}

/// How deeply arrays and tables may nest in an incident file. An incident
/// needs five levels at most (facts, a record, a list, its elements, an
/// annotation); reading recurses once per level.
pub const MAX_INCIDENT_DEPTH: usize = 64;

/// Where a JSON text first nests deeper than [`MAX_INCIDENT_DEPTH`], by a
/// scan of its brackets outside strings.
fn json_too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'[' | b'{' if !in_string => {
                depth += 1;
                if depth > MAX_INCIDENT_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The start of the line that nests deepest in a TOML text (dotted keys,
/// brackets), for an error the TOML reader gives without a place.
fn toml_deepest_line(text: &str) -> usize {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        let nesting = code.matches(['.', '[', '{']).count();
        if nesting > best.0 {
            best = (nesting, offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    best.1
}

fn parse_json(file: FileId, text: &str) -> Result<Node, Diagnostic> {
    if let Some(at) = json_too_deep(text) {
        return Err(Diagnostic::new(
            &codes::INCIDENT_SYNTAX,
            Span::new(file, at, at + 1),
            format!("invalid JSON: arrays and objects nested more than {MAX_INCIDENT_DEPTH} levels deep"),
        )
        .label("nested too deeply here")
        .help("an incident nests a few levels at most: `facts`, a record, a list of records; see docs/language.md, section \"Incident files\""));
    }
    let options =
        jsonc_parser::ParseOptions { allow_comments: false, allow_loose_object_property_names: false, allow_trailing_commas: false };
    match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(result) => match result.value {
            Some(v) => Ok(json_node(file, &v)),
            None => Err(Diagnostic::new(&codes::INCIDENT_SYNTAX, Span::new(file, 0, 0), "the JSON file is empty")
                .label("no value")
                .help("an incident is an object with `incident` and `facts`")),
        },
        Err(e) => {
            let r = e.range();
            Err(Diagnostic::new(
                &codes::INCIDENT_SYNTAX,
                Span::new(file, r.start, r.end),
                format!("invalid JSON: {}", lower_first(&e.kind().to_string())),
            )
            .label("here")
            .help("see docs/language.md, section \"Incident files\", for the shape of an incident"))
        }
    }
}

fn json_node(file: FileId, v: &jsonc_parser::ast::Value<'_>) -> Node {
    use jsonc_parser::ast::{ObjectPropName, Value};
    let (kind, range) = match v {
        Value::StringLit(s) => (NodeKind::Text(s.value.to_string()), s.range),
        Value::NumberLit(n) => {
            (crate::syntax::exact_number(n.value).map_or_else(|| NodeKind::Inexact(n.value.to_string()), NodeKind::Number), n.range)
        }
        Value::BooleanLit(b) => (NodeKind::Bool(b.value), b.range),
        Value::NullKeyword(n) => (NodeKind::Null, n.range),
        Value::Array(a) => (NodeKind::Array(a.elements.iter().map(|e| json_node(file, e)).collect()), a.range),
        Value::Object(o) => (
            NodeKind::Table(
                o.properties
                    .iter()
                    .map(|p| {
                        let (name, r) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        (name, Span::new(file, r.start, r.end), json_node(file, &p.value))
                    })
                    .collect(),
            ),
            o.range,
        ),
    };
    Node { kind, span: Span::new(file, range.start, range.end) }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
