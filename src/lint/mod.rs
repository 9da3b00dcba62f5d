//! Legal lints (`opinio lint`): what the checker accepts but a reader of the
//! law would question.
//!
//! In: `.norm` files (names and texts), or the standard library, and a
//! [`Loader`]. Out: a [`Report`]: the findings (warnings with a `W09xx`
//! code), each answered or not by a `# lint allow` comment, and the errors
//! of the files that do not compile. Guarantees: findings are reported only
//! in the files linted (what they import or extend is read, not linted),
//! once each, sorted by file and place; the same input gives the same report.
//!
//! Each input is compiled on its own ([`crate::compile_keeping`]) into a
//! [`Unit`]: its checked declarations (with their spans), its program (IR)
//! and, for a position, its [`Base`], compiled apart: the standard library
//! for `extends stdlib`, else the file of the position or module it extends.
//! A lint is one function: a [`UnitLint`] looks at one unit (a position's
//! changes against its base), a [`RunLint`] at every unit at once (what no
//! program of the run reads). Adding a lint is a code in the `W09xx` group
//! of [`codes`] (below `W0950`, so that `# lint allow` may answer it), a
//! function, and its line in [`UNIT_LINTS`] or [`RUN_LINTS`]. A lint pushes
//! its diagnostics to the [`Sink`], with spans translated by [`Sink::span`]
//! from the unit's (or its base's) source map.
//!
//! A finding is answered by a comment in the comment lines directly above
//! the line it points at: `# lint allow NAME[, NAME]...: REASON`
//! (`allow.rs` tells the rules). Answered findings do not fail a run; an allow without a
//! reason, or naming no lint, is itself a finding (W0950), as is one that
//! answers nothing (W0951).

mod allow;
mod changes;
mod fires;
mod same;
mod unread;

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::check::Checked;
use crate::diagnostics::{codes, Diagnostic, Label};
use crate::ir::{ChangeKind, Program};
use crate::resolve::{Change, Loader, ModuleId, RuleForm, RuleId};
use crate::source::{FileId, SourceMap, Span};

/// What `opinio lint` is asked to lint.
#[derive(Debug, Clone)]
pub enum Input {
    /// A `.norm` file (a position or a module), linted with what it imports
    /// or extends read for context.
    File {
        /// Its name, shown in diagnostics (a path).
        name: String,
        /// Its text.
        text: String,
    },
    /// Every module of the standard library, as the loader gives them.
    Stdlib,
}

/// One input compiled: its declarations, its program and, for a position,
/// its base.
///
/// INVARIANT: `checked` is the checked program `program` was lowered from;
/// ids index both alike. Spans point into `sources`.
pub struct Unit {
    /// The entry file's name (`<stdlib>` for the standard library).
    pub name: String,
    /// The files read to compile it.
    pub sources: SourceMap,
    /// Its checked declarations, with spans.
    pub checked: Checked,
    /// Its program.
    pub program: Program,
    /// For a position: the program of what it extends, compiled apart.
    pub base: Option<Rc<Base>>,
}

/// The base of a position, compiled apart: what the position's changes
/// are measured against.
///
/// INVARIANT: as for [`Unit`]: `checked` and `program` agree; spans point
/// into `sources`.
pub struct Base {
    /// The files read to compile it.
    pub sources: SourceMap,
    /// Its checked declarations.
    pub checked: Checked,
    /// Its program.
    pub program: Program,
}

impl Unit {
    /// The entry module: the position or module linted.
    pub fn entry(&self) -> ModuleId {
        ModuleId::new(self.checked.resolved.modules.len().saturating_sub(1))
    }

    /// The changes the entry position makes to its base (none for a module).
    pub fn own_changes(&self) -> impl Iterator<Item = &Change> + '_ {
        let entry = self.entry();
        self.checked.resolved.changes.iter().filter(move |c| c.module == entry)
    }
}

/// The rules a rule-like declaration named `name` stands for (a rule, an
/// assessment, an `open` question, or each tier of a `tiers`), in order.
pub fn rules_named(checked: &Checked, name: &str) -> Vec<RuleId> {
    checked
        .resolved
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| match &r.form {
            RuleForm::Tier { tiers, .. } => tiers == name,
            RuleForm::Breach { .. } => false,
            _ => r.decl.name.name == name,
        })
        .map(|(i, _)| RuleId::new(i))
        .collect()
}

/// Where lints put their findings: the run's files, and the diagnostics
/// found so far.
#[derive(Default)]
pub struct Sink {
    sources: SourceMap,
    files: HashMap<String, FileId>,
    /// The files linted (findings elsewhere are dropped).
    linted: Vec<FileId>,
    findings: Vec<Diagnostic>,
}

impl Sink {
    /// The run's id of a file of another source map (the same name is the
    /// same file: every unit is compiled with the same loader).
    fn file(&mut self, from: &SourceMap, id: FileId) -> FileId {
        let file = from.get(id);
        if let Some(&known) = self.files.get(&file.name) {
            return known;
        }
        let new = self.sources.add(file.name.clone(), file.text.clone());
        self.files.insert(file.name.clone(), new);
        new
    }

    /// A span of another source map (a unit's, or its base's), as a span of
    /// the run.
    pub fn span(&mut self, from: &SourceMap, span: Span) -> Span {
        Span { file: self.file(from, span.file), ..span }
    }

    /// Whether a span of another source map is in a file linted.
    pub fn is_linted(&self, from: &SourceMap, span: Span) -> bool {
        self.files.get(&from.get(span.file).name).is_some_and(|id| self.linted.contains(id))
    }

    /// Adds a finding; its spans must be the run's (see [`Sink::span`]).
    pub fn push(&mut self, d: Diagnostic) {
        self.findings.push(d);
    }

    /// A diagnostic of another source map, with its spans made the run's.
    fn translate(&mut self, from: &SourceMap, mut d: Diagnostic) -> Diagnostic {
        d.primary.span = self.span(from, d.primary.span);
        for label in &mut d.secondary {
            label.span = self.span(from, label.span);
        }
        d
    }
}

/// A lint that looks at one unit.
pub type UnitLint = fn(&Unit, &mut Sink);

/// A lint that looks at every unit of a run at once.
pub type RunLint = fn(&[Unit], &mut Sink);

/// The lints run on each unit, in order.
pub const UNIT_LINTS: &[UnitLint] = &[
    changes::identical_replacement,
    changes::unchanged_setting,
    changes::removal_leaves_no_rule,
    unread::dropped_reads,
    fires::rules_that_never_apply,
];

/// The lints run on the units of a run together, in order.
pub const RUN_LINTS: &[RunLint] = &[unread::unread_declarations];

/// A `# lint allow` comment's answer to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The comment.
    pub span: Span,
    /// Its reason.
    pub reason: String,
}

/// One finding, answered or not.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What was found, with a lint's code.
    pub diagnostic: Diagnostic,
    /// The comment that answers it, if any.
    pub answer: Option<Answer>,
}

/// What a lint run found.
///
/// INVARIANT: every span points into `sources`; `findings` are sorted by
/// file name, place, code and message, without repetition.
pub struct Report {
    /// Every file a finding or a problem points into.
    pub sources: SourceMap,
    /// The files linted, in the order given (for the standard library, its
    /// modules' files).
    pub files: Vec<String>,
    /// The errors of files that do not compile (nothing in them is linted).
    pub problems: Vec<Diagnostic>,
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings no comment answers.
    pub fn unanswered(&self) -> usize {
        self.findings.iter().filter(|f| f.answer.is_none()).count()
    }

    /// How many findings a comment answers.
    pub fn answered(&self) -> usize {
        self.findings.len() - self.unanswered()
    }

    /// Whether the run passes: every file compiled and every finding is answered.
    pub fn passes(&self) -> bool {
        self.problems.is_empty() && self.unanswered() == 0
    }
}

/// The name of the standard library as an input.
pub const STDLIB_NAME: &str = "<stdlib>";

/// A module that imports every module of the standard library, by name:
/// the program of `extends stdlib`, without a position.
fn stdlib_entry(loader: &dyn Loader) -> String {
    let mut text = String::from("module opinio_lint_stdlib\n");
    for name in loader.stdlib_modules() {
        text.push_str(&format!("import {name}\n"));
    }
    text
}

/// The file a module was read from.
fn module_file(checked: &Checked, module: ModuleId) -> Option<FileId> {
    let ast = &checked.resolved.modules[module].ast;
    ast.module.as_ref().map(|m| m.name.span.file).or_else(|| ast.position.as_ref().map(|p| p.name.span.file))
}

/// Compiles an entry; `None` when it does not compile.
fn compile(name: &str, text: &str, loader: &mut dyn Loader) -> (crate::Compiled, Option<(Checked, Program)>) {
    let (mut compiled, checked) = crate::compile_keeping(name, text, loader, None);
    let both = checked.zip(compiled.program.take());
    (compiled, both)
}

/// What the entry position of a checked program extends, as an entry to
/// compile apart: the name and text of its file, or, for `extends stdlib`,
/// of a module that imports every standard library module (named
/// [`STDLIB_NAME`]); `None` for a module. `sources` are the files read to
/// compile the program. Compiled with the same loader, it gives the program
/// the position's changes are measured against.
pub fn base_entry(checked: &Checked, sources: &SourceMap, loader: &dyn Loader) -> Option<(String, String)> {
    let entry = ModuleId::new(checked.resolved.modules.len().checked_sub(1)?);
    let position = checked.resolved.position_of(entry)?;
    if position.extends == "stdlib" {
        return Some((STDLIB_NAME.to_string(), stdlib_entry(loader)));
    }
    let module = checked.resolved.modules.iter().position(|m| m.name == position.extends)?;
    let file = sources.get(module_file(checked, ModuleId::new(module))?);
    Some((file.name.clone(), file.text.clone()))
}

/// The base of the entry position of a checked program, compiled apart
/// (cached by what it extends); `None` for a module, or a base that does
/// not compile.
fn base_of(
    checked: &Checked,
    sources: &SourceMap,
    loader: &mut dyn Loader,
    cache: &mut HashMap<String, Option<Rc<Base>>>,
) -> Option<Rc<Base>> {
    let (name, text) = base_entry(checked, sources, loader)?;
    if let Some(known) = cache.get(&name) {
        return known.clone();
    }
    let (compiled, both) = compile(&name, &text, loader);
    let base = both.map(|(checked, program)| Rc::new(Base { sources: compiled.sources, checked, program }));
    cache.insert(name, base.clone());
    base
}

/// Lints the inputs: compiles each, runs every lint, and answers findings
/// with the `# lint allow` comments of the files linted.
pub fn lint(inputs: &[Input], loader: &mut dyn Loader) -> Report {
    let mut sink = Sink::default();
    let mut units = Vec::new();
    let mut failed: BTreeSet<FileId> = BTreeSet::new();
    let mut problems = Vec::new();
    let mut bases = HashMap::new();
    for input in inputs {
        let (name, text) = match input {
            Input::File { name, text } => (name.clone(), text.clone()),
            Input::Stdlib => (STDLIB_NAME.to_string(), stdlib_entry(loader)),
        };
        let (compiled, both) = compile(&name, &text, loader);
        let Some((checked, program)) = both else {
            // Only what stops compilation: the checker's warnings are `opinio check`'s.
            for d in compiled.diagnostics.into_iter().filter(Diagnostic::is_error) {
                problems.push(sink.translate(&compiled.sources, d));
            }
            if let Input::File { name, text } = input {
                let mut own = SourceMap::new();
                let id = own.add(name.clone(), text.clone());
                let file = sink.file(&own, id);
                sink.linted.push(file);
                failed.insert(file);
            }
            continue;
        };
        let sources = compiled.sources;
        let files: Vec<FileId> = match input {
            Input::File { name, .. } => {
                let entry = ModuleId::new(checked.resolved.modules.len() - 1);
                module_file(&checked, entry).or_else(|| sources.find(name)).into_iter().collect()
            }
            Input::Stdlib => (0..checked.resolved.modules.len() - 1).filter_map(|m| module_file(&checked, ModuleId::new(m))).collect(),
        };
        for f in files {
            let file = sink.file(&sources, f);
            if !sink.linted.contains(&file) {
                sink.linted.push(file);
            }
        }
        let base = base_of(&checked, &sources, loader, &mut bases);
        units.push(Unit { name, sources, checked, program, base });
    }
    for unit in &units {
        for lint in UNIT_LINTS {
            lint(unit, &mut sink);
        }
    }
    for lint in RUN_LINTS {
        lint(&units, &mut sink);
    }
    let Sink { sources, findings: mut raw, linted, .. } = sink;
    raw.retain(|d| linted.contains(&d.primary.span.file));
    let findings = allow::answer(&sources, &linted, &failed, raw);
    let mut findings = findings;
    let key = |f: &Finding| {
        let d = &f.diagnostic;
        (sources.get(d.primary.span.file).name.clone(), d.primary.span.start, d.primary.span.end, d.code.id, d.message.clone())
    };
    findings.sort_by_key(key);
    findings.dedup_by(|a, b| a.diagnostic == b.diagnostic);
    crate::diagnostics::sort(&mut problems);
    problems.dedup();
    let files = linted.iter().map(|&f| sources.get(f).name.clone()).collect();
    Report { sources, files, problems, findings }
}

/// The diagnostic of a finding as shown: an answered one with a label at
/// its answer.
pub fn shown(finding: &Finding) -> Diagnostic {
    let mut d = finding.diagnostic.clone();
    if let Some(answer) = &finding.answer {
        d.secondary.push(Label { span: answer.span, message: format!("answered: {}", answer.reason) });
    }
    d
}

/// Whether a change of this kind removes or replaces rules of the base.
fn drops_rules(kind: ChangeKind) -> bool {
    matches!(kind, ChangeKind::Replace | ChangeKind::Remove)
}

/// The allow comment a help line suggests for a lint.
fn allow_help(code: &codes::Code) -> String {
    format!("`# lint allow {}: REASON` above it", code.name)
}
