//! Incident files: metadata and facts, validated against a program's facts.
//!
//! An incident file (TOML or JSON, same shape) has an `incident` table
//! (`name`, and optionally `date`, `year`, `summary`, `sources`) and a `facts`
//! table. A fact is a plain value, or a table with `value` (or `unknown =
//! true`), `source`, `proof` and `note`. A fact left out is unknown. Every
//! problem is reported, with its place in the file; nothing is defaulted.
//!
//! Read under one program alone ([`load`], [`load_tree`]), a fact the program
//! does not declare is an error (E0502). Read under one of several programs
//! loaded together ([`load_in`], [`load_tree_in`], with their
//! [`Vocabulary`]), a fact (or record field) that another of them declares is
//! ignored under this one and listed in [`Incident::ignored`]; only a name
//! that none of them declares is an error. Each program reads the incident in
//! one pass over its tree, every name looked up by hash.

mod changes;
mod tree;
mod vocabulary;
pub mod write;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

pub use changes::{apply as apply_changes, apply_in as apply_changes_in, Changed, FactChange};
pub use tree::{parse as parse_tree, Format, Node, NodeKind};
pub use vocabulary::Vocabulary;

use crate::diagnostics::codes;
use crate::diagnostics::suggest;
use crate::diagnostics::Diagnostic;
use crate::ir::{Program, SlotId};
use crate::source::{FileId, Span};
use crate::syntax::literal::{parse_duration, parse_money};
pub use crate::value::ProofStandard;
use crate::value::{days_from_civil, Currency, ExchangeRate, Proof, RecordId, Type, Value};
use indexmap::IndexSet;

/// What an incident file says about the incident itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IncidentMeta {
    /// Its name.
    pub name: String,
    /// When it happened (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The year, when no exact date is known.
    pub year: Option<i64>,
    /// A one-paragraph summary.
    pub summary: Option<String>,
    /// The sources the file draws on.
    pub sources: Vec<String>,
    /// The exchange rates it gives (`[[exchange_rates]]`), by which amounts
    /// in two currencies compare.
    pub exchange_rates: Vec<ExchangeRate>,
}

/// Where a fact's value comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Annotation {
    /// The source the value comes from.
    pub source: Option<String>,
    /// The proof standard the evidence meets.
    pub proof: Option<ProofStandard>,
    /// A note (for example, why the fact is unknown, or that figures are contested).
    pub note: Option<String>,
    /// Whether the file states explicitly that the fact is unknown.
    pub explicit_unknown: bool,
}

/// A validated incident: one value per slot of the program.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// Metadata.
    pub meta: IncidentMeta,
    /// The value of each slot (`Unknown` where the file is silent).
    pub slots: Vec<Value>,
    /// The annotation of each slot, if any.
    pub annotations: Vec<Option<Annotation>>,
    /// The standard of proof each slot's evidence meets (`UNSTATED` where the file does not say).
    pub proofs: Vec<Proof>,
    /// The facts and record fields the file gives that the program does not
    /// declare but another program loaded with it does, ignored (by name,
    /// fields as `fact.field`, in the order of the file, each once). Always
    /// empty when the program is read alone.
    pub ignored: Vec<String>,
    /// The facts changed from the file's on the command line (`--set`,
    /// `--unset`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<Changed>,
}

impl Incident {
    /// The facts as the evaluator reads them.
    pub fn input(&self) -> crate::eval::Input<'_> {
        crate::eval::Input { values: &self.slots, proofs: &self.proofs, rates: &self.meta.exchange_rates }
    }
}

/// The day an incident file says the incident happened, in days from
/// 1970-01-01, for `--as-of incident`: its `date`, or with only a `year`,
/// the last day of that year (a statement made in the incident's year
/// counts). An error when the file does not parse, or gives neither (E0504).
pub fn day_of(file: FileId, text: &str, format: Format) -> Result<i32, Diagnostic> {
    let root = tree::parse(file, text, format)?;
    let NodeKind::Table(entries) = &root.kind else {
        return Err(Diagnostic::new(&codes::INCIDENT_SHAPE, root.span, "the incident file is not a table".to_string()));
    };
    let incident = entries.iter().find(|(k, _, _)| k == "incident").map(|(_, _, v)| v);
    if let Some(Node { kind: NodeKind::Table(meta), .. }) = incident {
        for (k, _, v) in meta {
            match (k.as_str(), &v.kind) {
                ("date", NodeKind::Date(s) | NodeKind::Text(s)) => {
                    if let Some(day) = crate::syntax::parse_date(s).and_then(|(y, m, d)| days_from_civil(y, m, d)) {
                        return Ok(day);
                    }
                }
                ("year", NodeKind::Number(n)) if n.fract() == 0.0 && (0.0..=9999.0).contains(n) => {
                    if let Some(day) = days_from_civil(*n as i16, 12, 31) {
                        return Ok(day);
                    }
                }
                _ => {}
            }
        }
    }
    let span = incident.map_or(root.span, |n| n.span);
    Err(Diagnostic::new(&codes::INCIDENT_SHAPE, span, "`--as-of incident` needs the incident's date, and this file gives none".to_string())
        .label("no `date` or `year` here")
        .help("add `date = YYYY-MM-DD` (or `year = YYYY`) to the incident table, or give `--as-of` a date"))
}

/// Reads an incident file and validates it against a program alone: a fact
/// the program does not declare is an error.
pub fn load(program: &Program, file: FileId, text: &str, format: Format) -> Result<Incident, Vec<Diagnostic>> {
    let root = tree::parse(file, text, format).map_err(|d| vec![d])?;
    load_tree(program, &root)
}

/// Reads an incident file and validates it against a program loaded with
/// others, whose facts together make `vocabulary`: a fact (or field) that the
/// program does not declare but another does is ignored, and listed in
/// [`Incident::ignored`].
pub fn load_in(program: &Program, vocabulary: &Vocabulary, file: FileId, text: &str, format: Format) -> Result<Incident, Vec<Diagnostic>> {
    let root = tree::parse(file, text, format).map_err(|d| vec![d])?;
    load_tree_in(program, vocabulary, &root)
}

/// Validates an incident already read into a tree (an incident file, or
/// facts a test gives inline) against a program alone.
pub fn load_tree(program: &Program, root: &Node) -> Result<Incident, Vec<Diagnostic>> {
    validate(program, None, root)
}

/// Validates an incident already read into a tree against a program loaded
/// with others (see [`load_in`]).
pub fn load_tree_in(program: &Program, vocabulary: &Vocabulary, root: &Node) -> Result<Incident, Vec<Diagnostic>> {
    validate(program, Some(vocabulary), root)
}

fn validate(program: &Program, vocabulary: Option<&Vocabulary>, root: &Node) -> Result<Incident, Vec<Diagnostic>> {
    // Facts first: a fact that is not a record has a slot of its own name.
    let mut names: HashMap<&str, Name> = HashMap::with_capacity(program.facts.len() + program.slots.len());
    for (i, slot) in program.slots.iter().enumerate() {
        names.insert(slot.name.as_str(), Name::Slot(SlotId::new(i)));
    }
    for (i, fact) in program.facts.iter().enumerate() {
        names.insert(fact.name.as_str(), Name::Fact(i));
    }
    let mut v = Validator {
        program,
        vocabulary,
        names,
        ignored: IndexSet::new(),
        diagnostics: Vec::new(),
        incident: Incident {
            meta: IncidentMeta::default(),
            slots: vec![Value::Unknown; program.slots.len()],
            annotations: vec![None; program.slots.len()],
            proofs: vec![Proof::UNSTATED; program.slots.len()],
            ignored: Vec::new(),
            changed: Vec::new(),
        },
    };
    v.root(root);
    for (proof, annotation) in v.incident.proofs.iter_mut().zip(&v.incident.annotations) {
        if let Some(p) = annotation.as_ref().and_then(|a| a.proof) {
            *proof = Proof::of(p);
        }
    }
    if v.diagnostics.is_empty() {
        v.incident.ignored = v.ignored.into_iter().collect();
        Ok(v.incident)
    } else {
        Err(v.diagnostics)
    }
}

/// What a name at the top of `[facts]` is in the program.
#[derive(Clone, Copy)]
enum Name {
    /// A fact, by its index.
    Fact(usize),
    /// A slot: a fact that is not a record, or a record's field by its flattened name.
    Slot(SlotId),
}

struct Validator<'p> {
    program: &'p Program,
    /// The facts of every program loaded with this one, if any.
    vocabulary: Option<&'p Vocabulary>,
    /// The program's facts and slots, by name.
    names: HashMap<&'p str, Name>,
    /// The names ignored, in the order of the file.
    ignored: IndexSet<String>,
    diagnostics: Vec<Diagnostic>,
    incident: Incident,
}

const TOP_KEYS: [&str; 3] = ["incident", "facts", "exchange_rates"];
const RATE_KEYS: [&str; 5] = ["from", "to", "rate", "date", "source"];
const META_KEYS: [&str; 5] = ["name", "date", "year", "summary", "sources"];
const ANNOTATION_KEYS: [&str; 5] = ["value", "unknown", "source", "proof", "note"];

impl Validator<'_> {
    fn shape(&mut self, span: Span, message: String, label: &str, help: String) {
        self.diagnostics.push(Diagnostic::new(&codes::INCIDENT_SHAPE, span, message).label(label).help(help));
    }

    /// The entries of a table, reporting duplicate keys (JSON allows them).
    fn entries<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(String, Span, Node)]> {
        match &node.kind {
            NodeKind::Table(entries) => {
                let mut seen = HashSet::new();
                for (k, span, _) in entries {
                    if !seen.insert(k.as_str()) {
                        self.shape(*span, format!("`{k}` is given twice"), "given again here", format!("keep one value for `{k}`"));
                    }
                }
                Some(entries)
            }
            other => {
                self.shape(
                    node.span,
                    format!("{what} must be a table, not {}", other.describe()),
                    "not a table",
                    format!("write {what} as a table of keys and values"),
                );
                None
            }
        }
    }

    fn root(&mut self, root: &Node) {
        let Some(entries) = self.entries(root, "an incident file") else { return };
        let mut meta = None;
        let mut facts = None;
        for (k, span, node) in entries {
            match k.as_str() {
                "incident" => meta = Some(node),
                "facts" => facts = Some(node),
                "exchange_rates" => self.exchange_rates(node),
                _ => {
                    let help = suggest::help_for(k, TOP_KEYS, || {
                        "an incident file has two parts, `incident` and `facts`, and may give `exchange_rates`".into()
                    });
                    self.shape(
                        *span,
                        format!("unexpected `{k}` at the top of the incident file"),
                        "not `incident`, `facts` or `exchange_rates`",
                        help,
                    );
                }
            }
        }
        let start = Span::new(root.span.file, 0, 0);
        match meta {
            Some(m) => self.meta(m),
            None => self.shape(
                start,
                "the incident file has no `incident` table".into(),
                "expected `[incident]`",
                "add `[incident]` with at least `name = \"...\"`".into(),
            ),
        }
        match facts {
            Some(f) => self.facts(f),
            None => self.shape(
                start,
                "the incident file has no `facts` table".into(),
                "expected `[facts]`",
                "add a `[facts]` table (it may be empty: every fact is then unknown)".into(),
            ),
        }
    }

    fn meta(&mut self, node: &Node) {
        let Some(entries) = self.entries(node, "`incident`") else { return };
        let mut name = None;
        for (k, span, v) in entries {
            match (k.as_str(), &v.kind) {
                ("name", NodeKind::Text(s)) => name = Some(s.clone()),
                ("summary", NodeKind::Text(s)) => self.incident.meta.summary = Some(s.clone()),
                ("year", NodeKind::Number(n)) if n.fract() == 0.0 => self.incident.meta.year = Some(*n as i64),
                ("date", NodeKind::Date(s) | NodeKind::Text(s)) if crate::syntax::parse_date(s).is_some() => {
                    self.incident.meta.date = Some(s.clone())
                }
                ("sources", NodeKind::Array(items)) => {
                    for item in items {
                        match &item.kind {
                            NodeKind::Text(s) => self.incident.meta.sources.push(s.clone()),
                            other => {
                                self.type_error(item.span, "a source", other.describe(), "text", "write each source as a string".into())
                            }
                        }
                    }
                }
                ("name" | "summary", other) => {
                    self.type_error(v.span, &format!("`{k}`"), other.describe(), "text", "write it in double quotes".into())
                }
                ("year", other) => self.type_error(
                    v.span,
                    "`year`",
                    other.describe(),
                    "a whole number",
                    "write the year as a number, for example `2010`".into(),
                ),
                ("date", other) => self.type_error(
                    v.span,
                    "`date`",
                    other.describe(),
                    "a date",
                    "write the date as YYYY-MM-DD, for example `2007-04-27`".into(),
                ),
                ("sources", other) => self.type_error(
                    v.span,
                    "`sources`",
                    other.describe(),
                    "an array of text",
                    "write `sources = [\"...\", \"...\"]`".into(),
                ),
                _ => {
                    let help = suggest::help_for(k, META_KEYS, || format!("the incident table takes {}", META_KEYS.join(", ")));
                    self.shape(*span, format!("unexpected `{k}` in the incident table"), "unknown key", help);
                }
            }
        }
        match name {
            Some(n) => self.incident.meta.name = n,
            None => {
                self.shape(node.span, "the incident has no `name`".into(), "no name", "add `name = \"...\"` to the incident table".into())
            }
        }
    }

    /// `[[exchange_rates]]`: each with `from` and `to` (currency codes),
    /// `rate` (units of `to` per unit of `from`, finite and positive) and
    /// `source`, and optionally `date`. Two rates between the same two
    /// currencies are an error: which one converts would be arbitrary.
    fn exchange_rates(&mut self, node: &Node) {
        const HELP: &str = "write `[[exchange_rates]]` tables with `from = \"GBP\"`, `to = \"USD\"`, `rate = 1.29`, `source = \"...\"` and optionally `date = 2017-05-12`";
        let NodeKind::Array(items) = &node.kind else {
            self.shape(
                node.span,
                format!("`exchange_rates` must be an array of tables, not {}", node.kind.describe()),
                "not an array",
                HELP.into(),
            );
            return;
        };
        for item in items {
            let Some(entries) = self.entries(item, "an exchange rate") else { continue };
            let (mut from, mut to, mut rate, mut date, mut source) = (None, None, None, None, None);
            for (k, span, v) in entries {
                match (k.as_str(), &v.kind) {
                    ("from" | "to", NodeKind::Text(code)) => match Currency::parse(code) {
                        Some(c) if k == "from" => from = Some(c),
                        Some(c) => to = Some(c),
                        None => self.type_error(
                            v.span,
                            &format!("`{k}`"),
                            "text",
                            "a currency code",
                            "write a three-letter ISO 4217 code, such as `\"GBP\"`".into(),
                        ),
                    },
                    ("rate", NodeKind::Number(n)) if n.is_finite() && *n > 0.0 => rate = Some(*n),
                    ("rate", NodeKind::Number(_)) => self.shape(
                        v.span,
                        "an exchange rate must be a positive number".into(),
                        "not positive",
                        "give the units of `to` that one unit of `from` buys".into(),
                    ),
                    ("date", NodeKind::Date(d) | NodeKind::Text(d)) if crate::syntax::parse_date(d).is_some() => date = Some(d.clone()),
                    ("source", NodeKind::Text(t)) if !t.trim().is_empty() => source = Some(t.clone()),
                    ("from" | "to" | "rate" | "date" | "source", other) => {
                        let wanted = match k.as_str() {
                            "rate" => "a number",
                            "date" => "a date",
                            "source" => "non-empty text",
                            _ => "a currency code",
                        };
                        self.type_error(v.span, &format!("`{k}`"), other.describe(), wanted, HELP.into());
                    }
                    _ => {
                        let help = suggest::help_for(k, RATE_KEYS, || format!("an exchange rate takes {}", RATE_KEYS.join(", ")));
                        self.shape(*span, format!("unexpected `{k}` in an exchange rate"), "unknown key", help);
                    }
                }
            }
            let missing: Vec<&str> =
                [("from", from.is_some()), ("to", to.is_some()), ("rate", rate.is_some()), ("source", source.is_some())]
                    .iter()
                    .filter(|(k, given)| !given && !entries.iter().any(|(e, _, _)| e == k))
                    .map(|(k, _)| *k)
                    .collect();
            if !missing.is_empty() {
                let list = missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                self.shape(
                    item.span,
                    format!("the exchange rate has no {list}"),
                    "incomplete rate",
                    format!("{HELP}; a rate without its source cannot be checked"),
                );
                continue;
            }
            let (Some(from), Some(to), Some(rate), Some(source)) = (from, to, rate, source) else { continue };
            if from == to {
                self.shape(
                    item.span,
                    format!("the exchange rate converts `{}` into itself", from.as_str()),
                    "same currency",
                    "give two different currencies".into(),
                );
            } else if self.incident.meta.exchange_rates.iter().any(|r| r.factor(from, to).is_some()) {
                self.shape(
                    item.span,
                    format!("a second exchange rate between `{}` and `{}`", from.as_str(), to.as_str()),
                    "given again here",
                    "keep one rate for each pair of currencies (the inverse is used for the other direction)".into(),
                );
            } else {
                self.incident.meta.exchange_rates.push(ExchangeRate { from, to, rate, date, source });
            }
        }
    }

    fn facts(&mut self, node: &Node) {
        let Some(entries) = self.entries(node, "`facts`") else { return };
        for (k, span, v) in entries {
            match self.names.get(k.as_str()).copied() {
                Some(Name::Fact(i)) => {
                    let fact = &self.program.facts[i];
                    match fact.ty {
                        Type::Record(r) => self.record(v, r, "", fact.slot, k),
                        Type::Error => {}
                        ty => self.slot(fact.slot, ty, v, k),
                    }
                }
                Some(Name::Slot(slot)) => {
                    let ty = self.program.slots[slot].ty;
                    self.slot(slot, ty, v, k);
                }
                None if self.vocabulary.is_some_and(|voc| voc.knows(k)) => {
                    self.ignored.insert(k.clone());
                }
                None => self.unknown_fact(k, *span),
            }
        }
    }

    /// A name at the top of `[facts]` that no loaded program declares.
    fn unknown_fact(&mut self, k: &str, span: Span) {
        let mut names: Vec<&str> =
            self.program.facts.iter().map(|f| f.name.as_str()).chain(self.program.slots.iter().map(|s| s.name.as_str())).collect();
        if let Some(voc) = self.vocabulary {
            names.extend(voc.names());
        }
        let label = match self.vocabulary {
            Some(voc) if voc.programs() > 1 => "declared by none of the norms loaded",
            _ => "not declared by the norms",
        };
        names.sort_unstable();
        names.dedup();
        let help = suggest::help_for(k, names, || "remove it, or declare the fact in the norms (`fact name: type \"...\"`)".into());
        self.diagnostics.push(Diagnostic::new(&codes::UNKNOWN_FACT, span, format!("unknown fact `{k}`")).label(label).help(help));
    }

    /// The fields of a record fact `fact` (a record value at `prefix` in it).
    fn record(&mut self, node: &Node, record: RecordId, prefix: &str, first: SlotId, fact: &str) {
        let shown = if prefix.is_empty() { fact.to_string() } else { format!("{fact}.{prefix}") };
        let Some(entries) = self.entries(node, &format!("`{shown}`")) else { return };
        let info = &self.program.records[record];
        for (k, span, v) in entries {
            let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            if let Some(i) = info.leaves.iter().position(|l| l.path == path) {
                let ty = info.leaves[i].ty;
                self.slot(SlotId::new(first.index() + i), ty, v, &format!("{fact}.{path}"));
            } else if info.leaves.iter().any(|l| l.path.starts_with(&format!("{path}."))) {
                self.record(v, record, &path, first, fact);
            } else {
                self.unknown_field(fact, &path, &shown, k, *span, record);
            }
        }
    }

    /// A field `path` of the fact `fact` that the program's record does not
    /// have (`shown.k` as written): ignored if another program declares it.
    fn unknown_field(&mut self, fact: &str, path: &str, shown: &str, k: &str, span: Span, record: RecordId) {
        let full = format!("{fact}.{path}");
        if self.vocabulary.is_some_and(|voc| voc.knows_field(&full)) {
            self.ignored.insert(full);
            return;
        }
        let info = &self.program.records[record];
        let mut candidates: Vec<&str> = info.leaves.iter().map(|l| l.path.as_str()).collect();
        if let Some(voc) = self.vocabulary {
            candidates.extend(voc.fields_of(fact));
            candidates.sort_unstable();
            candidates.dedup();
        }
        let help =
            suggest::help_for(path, candidates.iter().copied(), || format!("the fields of `{}` are {}", info.name, candidates.join(", ")));
        self.diagnostics.push(
            Diagnostic::new(&codes::UNKNOWN_FACT, span, format!("`{shown}` has no field `{k}`"))
                .label(format!("not a field of `{}`", info.name))
                .help(help),
        );
    }

    /// A value for one slot: plain, or annotated.
    fn slot(&mut self, slot: SlotId, ty: Type, node: &Node, name: &str) {
        let annotated = match &node.kind {
            NodeKind::Table(entries) if !matches!(ty, Type::Record(_)) => Some(entries),
            _ => None,
        };
        let Some(entries) = annotated else {
            if let Some(v) = self.value(node, ty, name) {
                self.incident.slots[slot] = v;
            }
            return;
        };
        let _ = self.entries(node, name);
        let mut annotation = Annotation::default();
        let mut value = None;
        for (k, span, v) in entries {
            match k.as_str() {
                "value" => value = Some(v),
                "unknown" => match v.kind {
                    NodeKind::Bool(true) => annotation.explicit_unknown = true,
                    _ => self.shape(
                        v.span,
                        format!("`unknown` of `{name}` must be `true`"),
                        "not `true`",
                        "write `unknown = true`, or give a `value` instead".into(),
                    ),
                },
                "source" | "note" => match &v.kind {
                    NodeKind::Text(s) if k == "source" => annotation.source = Some(s.clone()),
                    NodeKind::Text(s) => annotation.note = Some(s.clone()),
                    other => self.type_error(
                        v.span,
                        &format!("the {k} of `{name}`"),
                        other.describe(),
                        "text",
                        "write it in double quotes".into(),
                    ),
                },
                "proof" => match &v.kind {
                    NodeKind::Text(s) => match ProofStandard::parse(s) {
                        Some(p) => annotation.proof = Some(p),
                        None => {
                            let names = ProofStandard::ALL.map(|(_, n)| n);
                            let help = suggest::help_for(s, names, || format!("the standards are, weakest first: {}", names.join(", ")));
                            self.diagnostics.push(
                                Diagnostic::new(&codes::FACT_TYPE, v.span, format!("`{s}` is not a proof standard"))
                                    .label("unknown standard")
                                    .help(help),
                            );
                        }
                    },
                    other => self.type_error(
                        v.span,
                        &format!("the proof standard of `{name}`"),
                        other.describe(),
                        "text",
                        "write a standard such as `\"clear_and_convincing\"`".into(),
                    ),
                },
                _ => {
                    let help = suggest::help_for(k, ANNOTATION_KEYS, || {
                        format!("a fact given as a table takes {}; `{name}` is not a record", ANNOTATION_KEYS.join(", "))
                    });
                    self.shape(*span, format!("unexpected `{k}` in the fact `{name}`"), "unknown key", help);
                }
            }
        }
        match (value, annotation.explicit_unknown) {
            (Some(v), false) => {
                if let Some(v) = self.value(v, ty, name) {
                    self.incident.slots[slot] = v;
                }
            }
            (None, true) => {}
            (Some(v), true) => {
                self.shape(v.span, format!("`{name}` has both a `value` and `unknown = true`"), "both given", "keep one of them".into())
            }
            (None, false) => self.shape(
                node.span,
                format!("the fact `{name}` has no `value`"),
                "no value",
                "add `value = ...`, or write `unknown = true` to record that the public record is silent".into(),
            ),
        }
        self.incident.annotations[slot] = Some(annotation);
    }

    fn type_error(&mut self, span: Span, what: &str, found: &str, wanted: &str, help: String) {
        self.diagnostics.push(
            Diagnostic::new(&codes::FACT_TYPE, span, format!("{what} must be {wanted}, not {found}")).label(found.to_string()).help(help),
        );
    }

    /// A plain value of type `ty`.
    fn value(&mut self, node: &Node, ty: Type, name: &str) -> Option<Value> {
        let what = format!("`{name}`");
        let found = node.kind.describe();
        match (ty, &node.kind) {
            (Type::Bool, NodeKind::Bool(b)) => Some(Value::Bool(*b)),
            (Type::Number, NodeKind::Number(n)) => Some(Value::Number(*n)),
            (_, NodeKind::Literal(l)) => match crate::syntax::literal::literal_value(l) {
                Ok((value, t)) if t == ty => Some(value),
                Ok(_) => {
                    let wanted = self.program.type_name(ty);
                    self.type_error(node.span, &what, found, &format!("a `{wanted}`"), format!("the fact is declared `{wanted}`"));
                    None
                }
                Err(_) => {
                    self.type_error(
                        node.span,
                        &what,
                        found,
                        "a valid value",
                        "write a currency as a three-letter ISO 4217 code, and a date as a calendar day".into(),
                    );
                    None
                }
            },
            (_, NodeKind::Inexact(s)) => {
                self.diagnostics.push(
                    Diagnostic::new(&codes::FACT_TYPE, node.span, format!("{what} is `{s}`, a number too large to be held exactly"))
                        .label("beyond plus or minus 9_007_199_254_740_992")
                        .help(
                            "numbers are exact up to 9_007_199_254_740_992 (2^53); give the value in a larger unit, for example millions",
                        ),
                );
                None
            }
            (Type::Text, NodeKind::Text(s)) => Some(Value::Text(Arc::from(s.as_str()))),
            (Type::Date, NodeKind::Date(s) | NodeKind::Text(s)) => {
                match crate::syntax::parse_date(s).and_then(|(y, m, d)| days_from_civil(y, m, d)) {
                    Some(days) => Some(Value::Date(days)),
                    None => {
                        self.type_error(
                            node.span,
                            &what,
                            "a malformed date",
                            "a date",
                            "write the date as YYYY-MM-DD, for example `2007-04-27`".into(),
                        );
                        None
                    }
                }
            }
            (Type::Money, NodeKind::Text(s)) => match parse_money(s) {
                Some(m) => Some(Value::Money(m)),
                None => {
                    self.type_error(
                        node.span,
                        &what,
                        &format!("`{s}`"),
                        "an amount of money",
                        "write an amount and a currency, for example `\"4_000_000 USD\"` or `\"4,000,000 USD\"` (commas only between groups of three digits; amounts up to 9_007_199_254_740_992)".into(),
                    );
                    None
                }
            },
            (Type::Duration, NodeKind::Text(s)) => match parse_duration(s) {
                Some(d) => Some(Value::Duration(d)),
                None => {
                    self.type_error(
                        node.span,
                        &what,
                        &format!("`{s}`"),
                        "a duration",
                        "write a number and a unit, for example `\"48 hours\"` or `\"3 days\"`".into(),
                    );
                    None
                }
            },
            (Type::Enum(e), NodeKind::Text(s)) => {
                let info = &self.program.enums[e];
                match info.values.iter().position(|v| v == s) {
                    Some(i) => Some(Value::Enum(e, i as u16)),
                    None => {
                        let help = suggest::help_for(s, info.values.iter().map(String::as_str), || {
                            format!("the values of `{}` are {}", info.name, info.values.join(", "))
                        });
                        self.diagnostics.push(
                            Diagnostic::new(&codes::FACT_TYPE, node.span, format!("`{s}` is not a value of `{}`", info.name))
                                .label(format!("not a `{}`", info.name))
                                .help(help),
                        );
                        None
                    }
                }
            }
            (Type::List(r), NodeKind::Array(items)) => {
                let width = self.program.records[r].leaves.len();
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let mut element = vec![Value::Unknown; width];
                    self.element(item, r, "", &mut element, &format!("{name}[{i}]"), name);
                    out.push(Arc::from(element));
                }
                Some(Value::List(Arc::from(out)))
            }
            (ty, _) => {
                let wanted = match ty {
                    Type::Bool => "true or false".to_string(),
                    Type::Number => "a number".into(),
                    Type::Text => "text".into(),
                    Type::Date => "a date".into(),
                    Type::Money => "an amount of money as text".into(),
                    Type::Duration => "a duration as text".into(),
                    Type::Enum(e) => format!("one of {}", self.program.enums[e].values.join(", ")),
                    Type::List(_) => "an array of tables".into(),
                    Type::Record(_) | Type::Error => "a table".into(),
                };
                let help = match (ty, &node.kind) {
                    (Type::Bool, NodeKind::Text(s)) if s == "true" || s == "false" => format!("remove the quotes: `{s}`"),
                    (Type::Number, NodeKind::Text(s)) if s.replace('_', "").parse::<f64>().is_ok() => "remove the quotes".to_string(),
                    (Type::Money, NodeKind::Number(n)) => format!("give the currency: `\"{} USD\"`", crate::value::NumberDisplay(*n)),
                    (Type::Duration, NodeKind::Number(n)) => format!("give the unit: `\"{} hours\"`", crate::value::NumberDisplay(*n)),
                    _ => format!("the fact is declared `{}`", self.program.type_name(ty)),
                };
                self.type_error(node.span, &what, found, &wanted, help);
                None
            }
        }
    }

    /// An element of a list fact (`name` as shown, with its index; `fact`
    /// the list fact's own name).
    fn element(&mut self, node: &Node, record: RecordId, prefix: &str, out: &mut [Value], name: &str, fact: &str) {
        let Some(entries) = self.entries(node, &format!("`{name}`")) else { return };
        let program = self.program;
        let leaves = &program.records[record].leaves;
        for (k, span, v) in entries {
            let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            if let Some(i) = leaves.iter().position(|l| l.path == path) {
                if let Some(value) = self.value(v, leaves[i].ty, &format!("{name}.{k}")) {
                    out[i] = value;
                }
            } else if leaves.iter().any(|l| l.path.starts_with(&format!("{path}."))) {
                self.element(v, record, &path, out, &format!("{name}.{k}"), fact);
            } else if self.vocabulary.is_some_and(|voc| voc.knows_field(&format!("{fact}.{path}"))) {
                self.ignored.insert(format!("{fact}.{path}"));
            } else {
                let mut candidates: Vec<&str> = leaves.iter().map(|l| l.path.as_str()).collect();
                if let Some(voc) = self.vocabulary {
                    candidates.extend(voc.fields_of(fact));
                    candidates.sort_unstable();
                    candidates.dedup();
                }
                let help = suggest::help_for(&path, candidates.iter().copied(), || format!("the fields are {}", candidates.join(", ")));
                self.diagnostics.push(
                    Diagnostic::new(&codes::UNKNOWN_FACT, *span, format!("`{name}` has no field `{k}`")).label("unknown field").help(help),
                );
            }
        }
    }
}
