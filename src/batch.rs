//! Batch evaluation of case databases: many incidents, one per line of a
//! JSON Lines or CSV file, under several positions in one pass.
//!
//! A [`Plan`] holds the positions, their shared vocabulary and the columns
//! chosen; [`Plan::json_line`] and [`Plan::csv_record`] evaluate one record
//! under every position, and [`Plan::write`] renders the results. Nothing is
//! kept from one record to the next: memory does not grow with the input,
//! and records can be evaluated on several threads, each with its own
//! [`Evaluators`], and written in their input order.
//!
//! A record's problems are [`Failure`]s with their line number, never a
//! panic: the caller reports them and goes on with the next record.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::diagnostics::{codes, Diagnostic};
use crate::eval::fast::{self, Code};
use crate::eval::{Evaluator, Status};
use crate::incident::{self, Format, Node, NodeKind, Vocabulary};
use crate::ir::{ConclusionId, Program};
use crate::reports;
use crate::source::{SourceMap, Span};
use crate::value::{Proof, Type, Value};

/// How the records of the input are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line: an incident's facts (flat), or a whole
    /// incident (`{"incident": {...}, "facts": {...}}`).
    JsonLines,
    /// Comma-separated values with a header of fact names (a record's fields
    /// dotted: `territorial_state.knew`); an empty cell is unknown.
    Csv,
}

impl InputFormat {
    /// The format a file name's extension names: `.jsonl`, `.ndjson` and
    /// `.json` are JSON Lines, `.csv` is CSV.
    pub fn from_path(path: &str) -> Option<InputFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
            Some(InputFormat::JsonLines)
        } else if lower.ends_with(".csv") {
            Some(InputFormat::Csv)
        } else {
            None
        }
    }
}

/// How the results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    JsonLines,
    /// Comma-separated values with a header.
    Csv,
}

/// What each output row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// One row per incident with a column per position and conclusion
    /// (`position.conclusion`), instead of one row per incident and position.
    pub wide: bool,
    /// A status column for each conclusion (`conclusion.status`).
    pub status: bool,
    /// A provenance column for each conclusion (`stated` or `inherited`).
    pub provenance: bool,
}

/// The positions evaluated, their shared vocabulary and the columns chosen.
pub struct Plan<'p> {
    programs: &'p [Program],
    vocabulary: Vocabulary,
    /// The conclusions written, in order: by name, with each program's id for it.
    columns: Vec<(String, Vec<Option<ConclusionId>>)>,
    /// The key of a flat record that names the incident rather than a fact.
    id_key: String,
    /// The type of each name a CSV header may hold, from any program.
    slot_types: BTreeMap<String, Type>,
    /// Per program, each name a flat record may give, with its slot and type.
    slots: Vec<HashMap<String, (usize, Type)>>,
    /// The positions lowered together to flat code, when they have the
    /// shape of the fast path ([`fast`]).
    code: Option<Code>,
    /// The inputs of `code` by name (the id key excepted).
    code_inputs: HashMap<String, usize>,
}

/// One evaluator per position, reused from record to record, with the
/// buffers a record's values are read into.
pub struct Evaluators<'p> {
    evaluators: Vec<Evaluator<'p>>,
    /// Per position: the slot values, their proofs (all unstated on the
    /// direct path), and which slots a record has set.
    buffers: Vec<(Vec<Value>, Vec<Proof>, Vec<bool>)>,
    /// The registers of the fast path, if the plan has its code.
    run: Option<fast::Run>,
    /// The reader's state on the fast path.
    reader: FastReader,
    /// The last record's results, kept so that their vectors are reused.
    outcome: Outcome,
}

/// What the fast path's reader keeps from record to record.
#[derive(Debug, Default)]
struct FastReader {
    /// For each input, the number of the last record that gave it (a name
    /// given twice in a record is found by it).
    given: Vec<u32>,
    /// The number of the current record.
    record: u32,
    /// The input found at each place of the last record: records of a
    /// database list their facts in one order, so a key is most often
    /// checked with one comparison of strings, without hashing.
    order: Vec<usize>,
    /// The id each record of the block gives, by lane, if it gives one
    /// (bit `lane` of `has_id`).
    ids: Vec<String>,
    has_id: u64,
    /// The lane the record being read goes to.
    lane: usize,
}

/// The results of one record.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The record's line (1-based; for CSV, the line its record starts on).
    pub line: u64,
    /// The incident's identifier: the value of the id key, the incident's
    /// name, or else its line number.
    pub id: String,
    /// Per position, per column: the value and status, `None` where the
    /// position has no such conclusion.
    pub results: Vec<Vec<Option<(Value, Status)>>>,
}

/// The results of one record as [`Plan::json_lines`] gives them: read from
/// an [`Outcome`], or straight from the lane of the fast path's registers
/// that holds the record (no row of values is built for it).
#[derive(Clone, Copy)]
pub struct Results<'a> {
    line: u64,
    id: &'a str,
    cells: Cells<'a>,
}

/// Where a record's results are read from.
#[derive(Clone, Copy)]
enum Cells<'a> {
    Outcome(&'a [Vec<Option<(Value, Status)>>]),
    Lane { columns: &'a [(String, Vec<Option<ConclusionId>>)], code: &'a Code, run: &'a fast::Run, lane: usize },
}

impl<'a> Results<'a> {
    /// The results an outcome holds.
    pub fn of(outcome: &'a Outcome) -> Results<'a> {
        Results { line: outcome.line, id: &outcome.id, cells: Cells::Outcome(&outcome.results) }
    }

    /// The record's line (1-based; for CSV, the line its record starts on).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The incident's identifier: the value of the id key, the incident's
    /// name, or else its line number.
    pub fn id(&self) -> &str {
        self.id
    }

    /// The value and status of a position's column, `None` where the
    /// position has no such conclusion.
    pub fn cell(&self, position: usize, column: usize) -> Option<(Value, Status)> {
        match self.cells {
            Cells::Outcome(rows) => rows[position][column].clone(),
            Cells::Lane { columns, code, run, lane } => columns[column].1[position].map(|c| run.result(code, position, c, lane)),
        }
    }

    /// The results as an outcome.
    pub fn to_outcome(&self, positions: usize, columns: usize) -> Outcome {
        Outcome {
            line: self.line,
            id: self.id.to_string(),
            results: (0..positions).map(|p| (0..columns).map(|i| self.cell(p, i)).collect()).collect(),
        }
    }
}

/// A record that could not be evaluated.
pub struct Failure {
    /// Its line (1-based).
    pub line: u64,
    /// What is wrong, pointing into `sources`.
    pub diagnostics: Vec<Diagnostic>,
    /// The record's text, named after the input and its line.
    pub sources: SourceMap,
}

/// Counts of each conclusion's results per position.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Records evaluated.
    pub evaluated: u64,
    /// Records skipped for a problem.
    pub failed: u64,
    /// Per position, per column, the number of each result, by value and
    /// status; [`Plan::summary_text`] names them (`true`, `false (not
    /// established)`, `open`, ...).
    counts: Vec<Vec<Counts>>,
}

impl Summary {
    /// Adds the counts of another summary of the same plan (a part of the
    /// records counted apart, on another thread).
    pub fn merge(&mut self, other: &Summary) {
        self.evaluated += other.evaluated;
        self.failed += other.failed;
        for (mine, theirs) in self.counts.iter_mut().flatten().zip(other.counts.iter().flatten()) {
            for (a, b) in mine.truths.iter_mut().zip(&theirs.truths) {
                *a += b;
            }
            for (key, n) in &theirs.others {
                *mine.others.entry(key.clone()).or_insert(0) += n;
            }
        }
    }
}

/// One column's counts: of unknown, false and true in an array by status
/// (no hashing for the most common results), of any other value in a map.
#[derive(Debug, Clone)]
struct Counts {
    /// By `3 * status + (0 unknown, 1 false, 2 true)`.
    truths: [u64; 3 * Status::ALL.len()],
    others: HashMap<(ValueKey, Status), u64>,
}

impl Default for Counts {
    fn default() -> Self {
        Counts { truths: [0; 3 * Status::ALL.len()], others: HashMap::new() }
    }
}

/// A value as a key for counting: equal values count together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueKey {
    /// A value of its own kind, by its bits (numbers) or index (booleans,
    /// enumerations, dates).
    Plain(u8, u64),
    /// Any other value, by its text.
    Text(String),
}

impl ValueKey {
    fn of(program: &Program, v: &Value) -> ValueKey {
        match v {
            Value::Unknown => ValueKey::Plain(0, 0),
            Value::Bool(b) => ValueKey::Plain(1, u64::from(*b)),
            Value::Number(n) => ValueKey::Plain(2, n.to_bits()),
            Value::Enum(e, i) => ValueKey::Plain(3, ((e.index() as u64) << 16) | u64::from(*i)),
            Value::Date(d) => ValueKey::Plain(4, *d as u64),
            other => ValueKey::Text(reports::value_text(program, other)),
        }
    }
}

impl<'p> Plan<'p> {
    /// A plan for these positions, writing `conclusions` (every conclusion of
    /// any position when empty, in the order the first position declares
    /// them, then the others'). An unknown conclusion name is an error
    /// message.
    pub fn new(programs: &'p [Program], conclusions: &[String], id_key: &str) -> Result<Plan<'p>, String> {
        let mut names: Vec<String> = Vec::new();
        if conclusions.is_empty() {
            for p in programs {
                for c in &p.conclusions {
                    if !names.contains(&c.name) {
                        names.push(c.name.clone());
                    }
                }
            }
        } else {
            for wanted in conclusions {
                if !programs.iter().any(|p| p.conclusion_named(wanted).is_some()) {
                    let mut all: Vec<&str> = programs.iter().flat_map(|p| p.conclusions.iter().map(|c| c.name.as_str())).collect();
                    all.sort_unstable();
                    all.dedup();
                    let help = crate::diagnostics::suggest::help_for(wanted, all, || "name a conclusion of one of the positions".into());
                    return Err(format!("no position has a conclusion `{wanted}`; {help}"));
                }
                if !names.contains(wanted) {
                    names.push(wanted.clone());
                }
            }
        }
        let columns = names.into_iter().map(|n| (n.clone(), programs.iter().map(|p| p.conclusion_named(&n)).collect())).collect();
        let mut slot_types = BTreeMap::new();
        for p in programs {
            for s in &p.slots {
                slot_types.entry(s.name.clone()).or_insert(s.ty);
            }
        }
        let slots = programs
            .iter()
            .map(|p| {
                p.slots
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !matches!(s.ty, Type::List(_)))
                    .map(|(i, s)| (s.name.clone(), (i, s.ty)))
                    .collect()
            })
            .collect();
        let code = Code::lower(programs);
        let code_inputs = code
            .iter()
            .flat_map(|c| c.inputs().iter().enumerate())
            .filter(|(_, input)| input.name != id_key)
            .map(|(i, input)| (input.name.clone(), i))
            .collect();
        Ok(Plan {
            programs,
            vocabulary: Vocabulary::new(programs),
            columns,
            id_key: id_key.to_string(),
            slot_types,
            slots,
            code,
            code_inputs,
        })
    }

    /// Whether the positions are evaluated by the fast path's flat code
    /// (see [`fast`]), rather than by the evaluator alone.
    pub fn is_fast(&self) -> bool {
        self.code.is_some()
    }

    /// The names of the positions, in order.
    pub fn positions(&self) -> Vec<&str> {
        self.programs.iter().map(|p| p.name.as_str()).collect()
    }

    /// The names of the columns written, in order.
    pub fn conclusions(&self) -> Vec<&str> {
        self.columns.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// A fresh evaluator for each position.
    pub fn evaluators(&self) -> Evaluators<'p> {
        Evaluators {
            evaluators: self.programs.iter().map(Evaluator::new).collect(),
            buffers: self
                .programs
                .iter()
                .map(|p| (vec![Value::Unknown; p.slots.len()], vec![Proof::UNSTATED; p.slots.len()], vec![false; p.slots.len()]))
                .collect(),
            run: self.code.as_ref().map(Code::run),
            reader: FastReader { given: vec![0; self.code.as_ref().map_or(0, |c| c.inputs().len())], ..FastReader::default() },
            outcome: Outcome::default(),
        }
    }

    /// An empty summary of the right shape.
    pub fn summary(&self) -> Summary {
        Summary { counts: vec![vec![Counts::default(); self.columns.len()]; self.programs.len()], ..Summary::default() }
    }

    /// Evaluates one line of JSON Lines, as bytes (`input` names the input
    /// in diagnostics). An empty line is `None`. The results are kept in
    /// `evaluators` until the next record. (Many lines are evaluated faster
    /// together, by [`Self::json_lines`].)
    pub fn json_line<'e>(
        &self,
        input: &str,
        line: u64,
        bytes: &[u8],
        evaluators: &'e mut Evaluators<'p>,
    ) -> Option<Result<&'e Outcome, Failure>> {
        let mut result = None;
        let (positions, columns) = (self.programs.len(), self.columns.len());
        self.json_lines(input, [(line, bytes)], evaluators, |r| {
            result = Some(r.map(|results| results.to_outcome(positions, columns)));
            true
        });
        result.map(|r| {
            r.map(|outcome| {
                evaluators.outcome = outcome;
                &evaluators.outcome
            })
        })
    }

    /// Evaluates lines of JSON Lines (their numbers and bytes), in order:
    /// `each` is given each record's results, or why it could not be
    /// evaluated, and says whether to go on. Empty lines give nothing.
    ///
    /// Records are read a block of [`fast::LANES`] at a time into the lanes
    /// of the fast path's registers (when the positions have its shape) and
    /// evaluated together; a record it cannot take goes the located way
    /// alone.
    pub fn json_lines<'l>(
        &self,
        input: &str,
        lines: impl IntoIterator<Item = (u64, &'l [u8])>,
        evaluators: &mut Evaluators<'p>,
        mut each: impl FnMut(Result<Results<'_>, Failure>) -> bool,
    ) {
        let mut lines = lines.into_iter();
        let mut block: Vec<(u64, &[u8])> = Vec::with_capacity(fast::LANES);
        // The lanes read by the fast path.
        let mut read: u64;
        loop {
            block.clear();
            block.extend(lines.by_ref().filter(|(_, bytes)| !bytes.iter().all(u8::is_ascii_whitespace)).take(fast::LANES));
            if block.is_empty() {
                return;
            }
            read = 0;
            if let (Some(code), Some(run)) = (&self.code, &mut evaluators.run) {
                run.clear(code);
                evaluators.reader.has_id = 0;
                for (lane, (_, bytes)) in block.iter().enumerate() {
                    evaluators.reader.lane = lane;
                    read |= u64::from(self.read_fast(code, run, &mut evaluators.reader, bytes)) << lane;
                }
                run.eval(code, block.len());
            }
            for (lane, &(line, bytes)) in block.iter().enumerate() {
                let go_on = match (&self.code, &evaluators.run) {
                    (Some(code), Some(run)) if read >> lane & 1 == 1 && !run.needs_evaluator(lane) => {
                        let id = &mut evaluators.outcome.id;
                        id.clear();
                        if evaluators.reader.has_id >> lane & 1 == 1 {
                            id.push_str(&evaluators.reader.ids[lane]);
                        } else {
                            let _ = write!(id, "{line}");
                        }
                        each(Ok(Results { line, id, cells: Cells::Lane { columns: &self.columns, code, run, lane } }))
                    }
                    _ => match self.json_record(input, line, bytes, evaluators) {
                        Ok(()) => each(Ok(Results::of(&evaluators.outcome))),
                        Err(failure) => each(Err(failure)),
                    },
                };
                if !go_on {
                    return;
                }
            }
        }
    }

    /// Evaluates one record of JSON Lines without the fast path, into
    /// `evaluators.outcome`: by the direct path if it can, else by the
    /// located path, which gives the diagnostics.
    fn json_record(&self, input: &str, line: u64, bytes: &[u8], evaluators: &mut Evaluators<'p>) -> Result<(), Failure> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            let mut sources = SourceMap::new();
            let file = sources.add(format!("{input}, line {line}"), String::new());
            let d = Diagnostic::new(&codes::INCIDENT_SYNTAX, Span::new(file, 0, 0), "the record cannot be read: it is not valid UTF-8")
                .help("write the database in UTF-8, one record per line");
            return Err(Failure { line, diagnostics: vec![d], sources });
        };
        // The direct path: a flat record of plain values, read into the
        // evaluators' slots (for positions the fast path does not take:
        // what it could not read, the direct path cannot either).
        let flat = if self.code.is_none() { serde_json::from_str::<Flat<'_>>(text).ok() } else { None };
        if let Some(outcome) = flat.and_then(|Flat(fields)| self.direct(line, &fields, evaluators)) {
            evaluators.outcome = outcome;
            return Ok(());
        }
        let mut sources = SourceMap::new();
        let file = sources.add(format!("{input}, line {line}"), text.to_string());
        let root = match incident::parse_tree(file, text, Format::Json) {
            Ok(root) => root,
            Err(d) => return Err(Failure { line, diagnostics: vec![d], sources }),
        };
        let (id, root) = self.incident_root(root, line);
        evaluators.outcome = self.evaluate(line, id, &root, sources, evaluators)?;
        Ok(())
    }

    /// Reads a flat record of plain values into the lane `reader.lane` of
    /// the fast path's registers; `false` when the record needs the located
    /// path (as [`Self::direct`]). serde_json checks the UTF-8 of the strings
    /// it reads, and JSON has nothing else but ASCII.
    fn read_fast(&self, code: &Code, run: &mut fast::Run, reader: &mut FastReader, bytes: &[u8]) -> bool {
        reader.record = reader.record.wrapping_add(1);
        if reader.record == 0 {
            reader.given.iter_mut().for_each(|g| *g = 0);
            reader.record = 1;
        }
        let mut de = sonic_rs::Deserializer::from_slice(bytes);
        let read = serde::de::DeserializeSeed::deserialize(FastRecord { plan: self, code, run, reader }, &mut de);
        read.is_ok() && de.end().is_ok()
    }

    /// Evaluates a flat record of plain values without building a tree;
    /// `None` when the record needs the located path (a value of another
    /// kind, a name no position declares, a name given twice, a failed
    /// evaluation).
    fn direct(&self, line: u64, fields: &[(Cow<'_, str>, Scalar<'_>)], evaluators: &mut Evaluators<'p>) -> Option<Outcome> {
        let mut id = None;
        for (i, (k, v)) in fields.iter().enumerate() {
            if *k == self.id_key {
                if id.is_some() {
                    return None;
                }
                id = Some(match v {
                    Scalar::Str(s) => s.to_string(),
                    Scalar::Number(n) => crate::value::NumberDisplay(*n).to_string(),
                    Scalar::Bool(b) => b.to_string(),
                });
            } else if !self.slots.iter().any(|m| m.contains_key(k.as_ref())) {
                // Declared by no position (an error, said by the located
                // path), or a record field given by its flattened name under a
                // position that lacks it: the located path decides.
                return None;
            } else if fields[..i].iter().any(|(other, _)| other == k) {
                return None;
            }
        }
        let id = id.unwrap_or_else(|| line.to_string());
        let mut results = Vec::with_capacity(self.programs.len());
        for (p, program) in self.programs.iter().enumerate() {
            let (values, proofs, set) = &mut evaluators.buffers[p];
            values.iter_mut().for_each(|v| *v = Value::Unknown);
            set.iter_mut().for_each(|s| *s = false);
            for (k, v) in fields {
                if *k == self.id_key {
                    continue;
                }
                match self.slots[p].get(k.as_ref()) {
                    Some(&(slot, ty)) => {
                        values[slot] = plain_value(program, v, ty)?;
                        set[slot] = true;
                    }
                    // Another position's fact: ignored under this one.
                    None if self.vocabulary.knows(k) => {}
                    None => return None,
                }
            }
            let ev = &mut evaluators.evaluators[p];
            ev.run(crate::eval::Input { values, proofs, rates: &[] }).ok()?;
            let statuses = ev.statuses();
            let values = ev.values();
            results.push(self.columns.iter().map(|(_, ids)| ids[p].map(|c| (values[c.index()].clone(), statuses[c.index()].0))).collect());
        }
        Some(Outcome { line, id, results })
    }

    /// The names of a CSV header that no position declares, with where they
    /// are (0-based column).
    pub fn unknown_headers<'h>(&self, header: &'h [String]) -> Vec<(usize, &'h str)> {
        header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.as_str() != self.id_key && !self.slot_types.contains_key(h.as_str()))
            .map(|(i, h)| (i, h.as_str()))
            .collect()
    }

    /// Evaluates one CSV record under `header`: each cell is read as its
    /// fact's type declares (`true`/`false`, a number, or text for the
    /// rest), an empty cell is unknown.
    pub fn csv_record<'e>(
        &self,
        input: &str,
        line: u64,
        header: &[String],
        cells: &[String],
        evaluators: &'e mut Evaluators<'p>,
    ) -> Result<&'e Outcome, Failure> {
        let text = cells.iter().map(|c| csv_quote(c)).collect::<Vec<_>>().join(",");
        let mut sources = SourceMap::new();
        let file = sources.add(format!("{input}, line {line}"), text);
        let mut offset = 0;
        let mut entries = Vec::new();
        let mut id = None;
        if cells.len() != header.len() {
            let d = Diagnostic::new(
                &codes::INCIDENT_SHAPE,
                Span::new(file, 0, 0),
                format!("the record has {} cells where the header names {}", cells.len(), header.len()),
            )
            .label("here")
            .help("give one cell per column of the header (an empty cell for an unknown fact)");
            return Err(Failure { line, diagnostics: vec![d], sources });
        }
        for (name, cell) in header.iter().zip(cells) {
            let quoted = csv_quote(cell).len();
            let span = Span::new(file, offset, offset + quoted);
            offset += quoted + 1;
            if *name == self.id_key {
                id = Some(cell.clone());
                continue;
            }
            if cell.is_empty() {
                continue;
            }
            let kind = match self.slot_types.get(name.as_str()) {
                Some(Type::Bool) => match cell.as_str() {
                    "true" => NodeKind::Bool(true),
                    "false" => NodeKind::Bool(false),
                    _ => NodeKind::Text(cell.clone()),
                },
                Some(Type::Number) => match cell.parse::<f64>() {
                    Ok(n) if n.is_finite() => NodeKind::Number(n),
                    _ => NodeKind::Text(cell.clone()),
                },
                _ => NodeKind::Text(cell.clone()),
            };
            entries.push((name.clone(), span, Node { kind, span }));
        }
        let id = id.filter(|i| !i.is_empty()).unwrap_or_else(|| line.to_string());
        let root = flat_root(file, &id, Node { kind: NodeKind::Table(entries), span: Span::new(file, 0, offset.saturating_sub(1)) });
        let outcome = self.evaluate(line, id, &root, sources, evaluators)?;
        evaluators.outcome = outcome;
        Ok(&evaluators.outcome)
    }

    /// A whole incident as given, or a flat record of facts made one.
    fn incident_root(&self, root: Node, line: u64) -> (String, Node) {
        let file = root.span.file;
        let NodeKind::Table(entries) = &root.kind else {
            // Not an object: the validator says so.
            return (line.to_string(), root);
        };
        let whole = entries.iter().any(|(k, _, _)| k == "facts") && entries.iter().any(|(k, _, _)| k == "incident");
        if whole {
            let name = entries
                .iter()
                .find(|(k, _, _)| k == "incident")
                .and_then(|(_, _, v)| match &v.kind {
                    NodeKind::Table(meta) => meta.iter().find(|(k, _, _)| k == "name").and_then(|(_, _, n)| match &n.kind {
                        NodeKind::Text(t) => Some(t.clone()),
                        _ => None,
                    }),
                    _ => None,
                })
                .unwrap_or_else(|| line.to_string());
            return (name, root);
        }
        let mut id = None;
        let mut facts = Vec::with_capacity(entries.len());
        for (k, span, v) in entries {
            if *k == self.id_key {
                id = match &v.kind {
                    NodeKind::Text(t) => Some(t.clone()),
                    NodeKind::Number(n) => Some(crate::value::NumberDisplay(*n).to_string()),
                    NodeKind::Bool(b) => Some(b.to_string()),
                    _ => None,
                };
            } else {
                facts.push((k.clone(), *span, v.clone()));
            }
        }
        let id = id.unwrap_or_else(|| line.to_string());
        let span = root.span;
        let root = flat_root(file, &id, Node { kind: NodeKind::Table(facts), span });
        (id, root)
    }

    /// Validates a record under each position and evaluates it.
    fn evaluate(
        &self,
        line: u64,
        id: String,
        root: &Node,
        sources: SourceMap,
        evaluators: &mut Evaluators<'p>,
    ) -> Result<Outcome, Failure> {
        let mut results = Vec::with_capacity(self.programs.len());
        for (program, ev) in self.programs.iter().zip(evaluators.evaluators.iter_mut()) {
            let incident = match incident::load_tree_in(program, &self.vocabulary, root) {
                Ok(i) => i,
                Err(diagnostics) => return Err(Failure { line, diagnostics, sources }),
            };
            if let Err(e) = ev.run(incident.input()) {
                let d = Diagnostic::new(
                    &codes::ARITHMETIC,
                    root.span,
                    format!("evaluating the record under the position `{}` failed: {e}", program.name),
                )
                .label("this record")
                .help("check the record's values: amounts combined must be in one currency or joined by an exchange rate the record gives, divisors must not be zero, and a rating given as a number must lie between 0 and 1");
                return Err(Failure { line, diagnostics: vec![d], sources });
            }
            let statuses = ev.statuses();
            let values = ev.values();
            results.push(
                self.columns
                    .iter()
                    .enumerate()
                    .map(|(i, _)| self.columns[i].1[results.len()].map(|c| (values[c.index()].clone(), statuses[c.index()].0)))
                    .collect(),
            );
        }
        Ok(Outcome { line, id, results })
    }

    /// Adds a record's results to the summary.
    pub fn count(&self, results: &Results<'_>, summary: &mut Summary) {
        summary.evaluated += 1;
        for (p, row) in summary.counts.iter_mut().enumerate() {
            for (i, counts) in row.iter_mut().enumerate() {
                match results.cell(p, i) {
                    Some((Value::Unknown, s)) => counts.truths[3 * s.index()] += 1,
                    Some((Value::Bool(b), s)) => counts.truths[3 * s.index() + 1 + usize::from(b)] += 1,
                    Some((v, s)) => *counts.others.entry((ValueKey::of(&self.programs[p], &v), s)).or_insert(0) += 1,
                    None => {}
                }
            }
        }
    }

    /// The counts of one position's column, by result text: numbers, dates
    /// and enumeration values in their order, then the rest by text.
    fn counts_of(&self, summary: &Summary, p: usize, i: usize) -> Vec<(String, u64)> {
        // Each text's count, and its place on the value's scale, if it has one.
        let mut out: BTreeMap<String, (Option<f64>, u64)> = BTreeMap::new();
        let counts = &summary.counts[p][i];
        for (k, n) in counts.truths.iter().enumerate().filter(|(_, n)| **n > 0) {
            let value = match k % 3 {
                0 => Value::Unknown,
                b => Value::Bool(b == 2),
            };
            out.entry(self.result_text(p, &value, Status::ALL[k / 3])).or_insert((None, 0)).1 += n;
        }
        for ((key, status), n) in &counts.others {
            let (value, scale) = match key {
                ValueKey::Plain(0, _) => (Value::Unknown, None),
                ValueKey::Plain(1, b) => (Value::Bool(*b == 1), None),
                ValueKey::Plain(2, bits) => (Value::Number(f64::from_bits(*bits)), Some(f64::from_bits(*bits))),
                ValueKey::Plain(3, k) => {
                    (Value::Enum(crate::value::EnumId::new((k >> 16) as usize), (*k & 0xffff) as u16), Some((*k & 0xffff) as f64))
                }
                ValueKey::Plain(_, d) => (Value::Date(*d as i32), Some(f64::from(*d as i32))),
                ValueKey::Text(t) => {
                    let text = match reports::status_mark(*status, false) {
                        Some(mark) => format!("{t} ({mark})"),
                        None => t.clone(),
                    };
                    out.entry(text).or_insert((None, 0)).1 += n;
                    continue;
                }
            };
            out.entry(self.result_text(p, &value, *status)).or_insert((scale, 0)).1 += n;
        }
        let mut counts: Vec<(String, (Option<f64>, u64))> = out.into_iter().collect();
        counts.sort_by(|(ta, (a, _)), (tb, (b, _))| match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(b).then_with(|| ta.cmp(tb)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ta.cmp(tb),
        });
        counts.into_iter().map(|(t, (_, n))| (t, n)).collect()
    }

    /// A result as text: the value (`open` for an open question), with the
    /// mark `(not established)` where a burden decided it or it rests on
    /// what was not established.
    fn result_text(&self, p: usize, v: &Value, s: Status) -> String {
        let program = &self.programs[p];
        let text = reports::result_text(program, v, s);
        match reports::status_mark(s, *v == Value::Bool(false)) {
            Some(mark) => format!("{text} ({mark})"),
            None => text,
        }
    }

    /// The header line of the output (CSV only; JSON Lines has none).
    pub fn header(&self, format: OutputFormat, layout: Layout) -> Option<String> {
        if format != OutputFormat::Csv {
            return None;
        }
        let mut cols = vec!["id".to_string()];
        let groups: Vec<String> =
            if layout.wide { self.programs.iter().map(|p| format!("{}.", p.name)).collect() } else { vec![String::new()] };
        if !layout.wide {
            cols.push("position".into());
        }
        for prefix in &groups {
            for (name, _) in &self.columns {
                cols.push(format!("{prefix}{name}"));
                if layout.status {
                    cols.push(format!("{prefix}{name}.status"));
                }
                if layout.provenance {
                    cols.push(format!("{prefix}{name}.provenance"));
                }
            }
        }
        Some(cols.iter().map(|c| csv_quote(c)).collect::<Vec<_>>().join(",") + "\n")
    }

    /// Appends a record's rows to `out`.
    pub fn write(&self, results: &Results<'_>, format: OutputFormat, layout: Layout, out: &mut String) {
        // One row for every position, or one for each.
        let n = self.programs.len();
        let rows = if layout.wide { 1 } else { n };
        for row in 0..rows {
            let positions = if layout.wide { 0..n } else { row..row + 1 };
            match format {
                OutputFormat::JsonLines => {
                    // Written by hand, as serde_json writes an object in
                    // insertion order: no map is built per row.
                    out.push_str("{\"id\":");
                    push_json_str(out, results.id);
                    if !layout.wide {
                        out.push_str(",\"position\":");
                        push_json_str(out, &self.programs[positions.start].name);
                    }
                    for p in positions.clone() {
                        let prefix = if layout.wide { self.programs[p].name.as_str() } else { "" };
                        for (i, (name, ids)) in self.columns.iter().enumerate() {
                            let cell = results.cell(p, i);
                            push_json_key(out, prefix, name, "");
                            match &cell {
                                Some((v, s)) if *s != Status::Open => push_json_value(out, &self.programs[p], v),
                                _ => out.push_str("null"),
                            }
                            if layout.status {
                                push_json_key(out, prefix, name, ".status");
                                match cell {
                                    Some((_, s)) => push_json_str(out, s.name()),
                                    None => out.push_str("null"),
                                }
                            }
                            if layout.provenance {
                                push_json_key(out, prefix, name, ".provenance");
                                match self.provenance(p, ids[p]) {
                                    Some(t) => push_json_str(out, t),
                                    None => out.push_str("null"),
                                }
                            }
                        }
                    }
                    out.push_str("}\n");
                }
                OutputFormat::Csv => {
                    // Cells pushed as they come: no vector, no string per cell
                    // for the common values.
                    push_csv(out, results.id);
                    if !layout.wide {
                        out.push(',');
                        push_csv(out, &self.programs[positions.start].name);
                    }
                    for p in positions.clone() {
                        for (i, (_, ids)) in self.columns.iter().enumerate() {
                            let cell = results.cell(p, i);
                            out.push(',');
                            match &cell {
                                Some((_, Status::Open)) => out.push_str("open"),
                                Some((Value::Unknown, _)) => out.push_str("unknown"),
                                Some((Value::Bool(true), _)) => out.push_str("true"),
                                Some((Value::Bool(false), _)) => out.push_str("false"),
                                Some((Value::Number(n), _)) => {
                                    let _ = write!(out, "{}", crate::value::NumberDisplay(*n));
                                }
                                Some((Value::Enum(e, k), _)) => push_csv(out, &self.programs[p].enums[*e].values[*k as usize]),
                                Some((v, s)) => push_csv(out, &reports::result_text(&self.programs[p], v, *s)),
                                None => {}
                            }
                            if layout.status {
                                out.push(',');
                                if let Some((_, s)) = cell {
                                    out.push_str(s.name());
                                }
                            }
                            if layout.provenance {
                                out.push(',');
                                if let Some(t) = self.provenance(p, ids[p]) {
                                    out.push_str(t);
                                }
                            }
                        }
                    }
                    out.push('\n');
                }
            }
        }
    }

    /// Whether a position states a conclusion's result or inherits it,
    /// `None` for a program without positions or a conclusion it lacks.
    fn provenance(&self, p: usize, c: Option<ConclusionId>) -> Option<&'static str> {
        c.and_then(|c| self.programs[p].stated(c)).map(|stated| if stated { "stated" } else { "inherited" })
    }

    /// The summary as text: the records evaluated and skipped, then, per
    /// position, each conclusion's results and their counts.
    pub fn summary_text(&self, summary: &Summary) -> String {
        let mut out = format!("{} incidents evaluated, {} skipped\n", summary.evaluated, summary.failed);
        for (p, program) in self.programs.iter().enumerate() {
            let _ = writeln!(out, "{}:", program.name);
            for (i, (name, ids)) in self.columns.iter().enumerate() {
                if ids[p].is_none() {
                    continue;
                }
                let counts = self.counts_of(summary, p, i);
                let parts: Vec<String> = counts.iter().map(|(v, n)| format!("{v} {n}")).collect();
                let _ = writeln!(out, "  {name}: {}", if parts.is_empty() { "-".to_string() } else { parts.join(", ") });
            }
        }
        out
    }
}

/// A plain value of a flat record as a slot of type `ty` takes it, as the
/// incident reader would; `None` for anything it would refuse or treat
/// apart (numbers at or beyond 2^53, which it checks digit by digit).
fn plain_value(program: &Program, v: &Scalar<'_>, ty: Type) -> Option<Value> {
    use crate::syntax::literal::{parse_duration, parse_money};
    Some(match (ty, v) {
        (Type::Bool, Scalar::Bool(b)) => Value::Bool(*b),
        (Type::Number, Scalar::Number(n)) if n.is_finite() && n.abs() < crate::syntax::MAX_EXACT => Value::Number(*n),
        (Type::Text, Scalar::Str(s)) => Value::Text(Arc::from(s.as_ref())),
        (Type::Enum(e), Scalar::Str(s)) => Value::Enum(e, program.enums[e].values.iter().position(|x| x == s)? as u16),
        (Type::Money, Scalar::Str(s)) => Value::Money(parse_money(s)?),
        (Type::Duration, Scalar::Str(s)) => Value::Duration(parse_duration(s)?),
        (Type::Date, Scalar::Str(s)) => {
            Value::Date(crate::syntax::parse_date(s).and_then(|(y, m, d)| crate::value::days_from_civil(y, m, d))?)
        }
        _ => return None,
    })
}

/// A flat record read into the registers of the fast path: each key
/// found among the code's inputs (first at the place the last record had
/// it), each value read as its input's type declares. Anything the located
/// path would read otherwise or refuse fails, without a message.
struct FastRecord<'a, 'p> {
    plan: &'a Plan<'p>,
    code: &'a Code,
    run: &'a mut fast::Run,
    reader: &'a mut FastReader,
}

impl<'de> serde::de::DeserializeSeed<'de> for FastRecord<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FastRecord<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a flat object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let FastRecord { plan, code, run, reader } = self;
        let inputs = code.inputs();
        let mut place = 0;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let expected = reader.order.get(place).copied().filter(|&i| inputs[i].name == key);
            let Some(i) = expected.or_else(|| plan.code_inputs.get(key.as_ref()).copied()) else {
                let lane = reader.lane;
                if key == plan.id_key && reader.has_id >> lane & 1 == 0 {
                    reader.has_id |= 1 << lane;
                    if reader.ids.len() <= lane {
                        reader.ids.resize_with(lane + 1, String::new);
                    }
                    let id = &mut reader.ids[lane];
                    id.clear();
                    let _ = match map.next_value::<Scalar<'de>>()? {
                        Scalar::Str(s) => write!(id, "{s}"),
                        Scalar::Number(n) => write!(id, "{}", crate::value::NumberDisplay(n)),
                        Scalar::Bool(b) => write!(id, "{b}"),
                    };
                    continue;
                }
                return Err(A::Error::custom(""));
            };
            if reader.given[i] == reader.record {
                return Err(A::Error::custom(""));
            }
            reader.given[i] = reader.record;
            match reader.order.get_mut(place) {
                Some(o) => *o = i,
                None => reader.order.push(i),
            }
            place += 1;
            let input = &inputs[i];
            match input.ty {
                Type::Bool => run.set_bool(code, i, reader.lane, map.next_value::<bool>()?),
                Type::Number => {
                    let n = map.next_value::<f64>()?;
                    if !(n.is_finite() && n.abs() < crate::syntax::MAX_EXACT) {
                        return Err(A::Error::custom(""));
                    }
                    run.set_number(code, i, reader.lane, n);
                }
                Type::Enum(e) => {
                    let Key(name) = map.next_value::<Key<'de>>()?;
                    let values = &plan.programs[input.program].enums[e].values;
                    let index = values.iter().position(|v| *v == name).ok_or_else(|| A::Error::custom(""))?;
                    run.set_number(code, i, reader.lane, index as f64);
                }
                ty => {
                    let v = map.next_value::<Scalar<'de>>()?;
                    let value = plain_value(&plan.programs[input.program], &v, ty).ok_or_else(|| A::Error::custom(""))?;
                    run.set(code, i, reader.lane, &value);
                }
            }
        }
        Ok(())
    }
}

/// A flat JSON object of plain values (booleans, numbers, strings), read
/// without a tree; any other shape fails to deserialise.
struct Flat<'a>(Vec<(Cow<'a, str>, Scalar<'a>)>);

/// A plain JSON value.
enum Scalar<'a> {
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
}

impl<'de> serde::Deserialize<'de> for Flat<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Flat<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a flat object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Flat<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    out.push((k, map.next_value::<Scalar<'de>>()?));
                }
                Ok(Flat(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// An object's key, borrowed from the line where it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor).map(Key)
    }
}

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a boolean, a number or a string")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(n as f64))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(n))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

struct StrVisitor;

impl<'de> serde::de::Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_string()))
    }
}

/// `{"incident": {"name": id}, "facts": facts}`.
fn flat_root(file: crate::source::FileId, id: &str, facts: Node) -> Node {
    let at = Span::new(file, 0, 0);
    let meta = Node { kind: NodeKind::Table(vec![("name".into(), at, Node { kind: NodeKind::Text(id.to_string()), span: at })]), span: at };
    let span = facts.span;
    Node { kind: NodeKind::Table(vec![("incident".into(), at, meta), ("facts".into(), span, facts)]), span }
}

/// `,"prefix.name.suffix":` (the prefix and its dot only when not empty).
fn push_json_key(out: &mut String, prefix: &str, name: &str, suffix: &str) {
    out.push_str(",\"");
    if !prefix.is_empty() {
        push_escaped(out, prefix);
        out.push('.');
    }
    push_escaped(out, name);
    push_escaped(out, suffix);
    out.push_str("\":");
}

/// A value as JSON, as [`reports::value_json`] gives it.
fn push_json_value(out: &mut String, program: &Program, v: &Value) {
    match v {
        Value::Unknown => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Text(t) => push_json_str(out, t),
        Value::Enum(e, i) => push_json_str(out, &program.enums[*e].values[*i as usize]),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => {
            let _ = write!(out, "{}", *n as i64);
        }
        other => out.push_str(&reports::value_json(program, other).to_string()),
    }
}

/// A JSON string.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// A string's characters as JSON escapes them (quote, backslash and control
/// characters), as serde_json does.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A CSV cell, quoted when it must be, pushed onto `out`.
fn push_csv(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A CSV cell, quoted when it must be.
pub fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in ["plain", "a \"quoted\" word", "back\\slash", "new\nline\r\ttab", "\u{1}\u{8}\u{c}\u{1f}", "é, 中文, 🙂", "/slash"] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn csv_cells_are_quoted_when_they_must_be() {
        assert_eq!(csv_quote("plain"), "plain");
        assert_eq!(csv_quote("a,b"), "\"a,b\"");
        assert_eq!(csv_quote("say \"no\""), "\"say \"\"no\"\"\"");
    }
}
