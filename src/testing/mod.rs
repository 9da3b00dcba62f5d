//! `opinio test`: the tests of a test file (`*.test.norm`), run.
//!
//! In: a test file's path. Out: a [`SuiteReport`]: every problem found in the
//! file, in the norms or in the incidents it names (as diagnostics with their
//! sources), and one [`CaseReport`] per test x position x incident and per
//! golden file. Nothing is written unless blessing is asked for, and then
//! only golden files the suite produces, each atomically.
//!
//! A run has two steps: [`plan`] reads the file, resolves its paths, checks
//! its declarations and compiles every position once; [`Plan::run`] evaluates
//! the cases, in parallel.

mod coverage;
mod golden;
pub mod junit;
mod report;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::codes;
use crate::diagnostic::{has_errors, Diagnostic};
use crate::eval::{Evaluator, Outcome, Status};
use crate::incident::{self, Format, Incident, Node, NodeKind};
use crate::io::FsLoader;
use crate::ir::{ConclusionId, Program};
use crate::report::{rule_label, status_text, value_text};
use crate::source::{FileId, SourceMap, Span};
use crate::suggest;
use crate::syntax::ast::{Citation, Given, GoldenDecl, Literal, TestDecl, TestFile, TestItem, TestValue};
use crate::value::{days_from_civil, Currency, Proof, ProofStandard, Type, Value};
use crate::Compiled;

pub use coverage::Coverage;
pub use golden::GoldenOutput;
pub use report::{failure_text, suite_text, summary_line};

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write the new outputs of golden declarations instead of comparing.
    pub bless: bool,
    /// Run only the tests and goldens whose name contains this text.
    pub filter: Option<String>,
    /// Gather which rules, exceptions and factors the run exercised.
    pub coverage: bool,
}

/// Problems reported with the files they point into.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The files they point into.
    pub sources: SourceMap,
}

/// The result of running one test file.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// The test file, as named.
    pub path: String,
    /// The suite's name (empty when the file did not parse).
    pub name: String,
    /// Problems with the file, the norms or the incidents, in the order found.
    pub problems: Vec<Problem>,
    /// One entry per case run, in file order.
    pub cases: Vec<CaseReport>,
    /// What the cases exercised, when asked for.
    pub coverage: Option<Coverage>,
}

impl SuiteReport {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| has_errors(&p.diagnostics))
    }

    /// The number of cases that passed (or whose golden file was written).
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }

    /// The number of cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// What kind of declaration a case comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// A `test`.
    Test,
    /// A `golden`.
    Golden,
}

/// One test under one position on one incident, or one golden file.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// `test` or `golden`.
    pub kind: CaseKind,
    /// The declaration's name.
    pub name: String,
    /// The position's name.
    pub position: String,
    /// The incident's name and file (or `inline facts`).
    pub incident: String,
    /// What happened.
    pub result: CaseResult,
}

impl CaseReport {
    /// Whether it passed.
    pub fn passed(&self) -> bool {
        matches!(self.result, CaseResult::Passed | CaseResult::Written { .. })
    }

    /// `name [position] on incident`.
    pub fn title(&self) -> String {
        let kind = match self.kind {
            CaseKind::Test => "test",
            CaseKind::Golden => "golden",
        };
        format!("{kind} {} [{}] on {}", self.name, self.position, self.incident)
    }
}

/// The result of a case.
#[derive(Debug, Clone)]
pub enum CaseResult {
    /// Every expectation held, or the golden file is unchanged.
    Passed,
    /// Expectations that did not hold.
    Failed(Vec<Failure>),
    /// The golden file differs from the new output.
    Changed {
        /// The golden file.
        file: String,
        /// A unified diff, golden file to new output.
        diff: String,
        /// What changed, per conclusion (`armed_attack: false -> true`).
        conclusions: Vec<String>,
    },
    /// `--bless` wrote the golden file.
    Written {
        /// The golden file.
        file: String,
        /// Whether it did not exist before.
        created: bool,
    },
    /// The case could not run (the problem is among the suite's problems).
    Error(String),
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Where the expectation is written (`file:line:col`).
    pub at: String,
    /// What was expected, as written.
    pub expected: String,
    /// What the evaluation gave.
    pub got: String,
    /// How the conclusion was derived, as `opinio explain` tells it.
    pub derivation: String,
}

/// Counts progress, for a progress bar.
pub trait Progress: Sync {
    /// One case is done.
    fn tick(&self);
}

impl Progress for () {
    fn tick(&self) {}
}

/// The test files under a path: the file itself, or every `*.test.norm`
/// file below a directory (skipping hidden directories and `target`), sorted.
pub fn find(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return std::fs::metadata(path).map(|_| vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    stack.push(p);
                }
            } else if name.ends_with(".test.norm") {
                out.push(normalize(&p));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A position compiled for a suite, with the files its cases point into.
struct Norms {
    compiled: Compiled,
    program: Program,
    /// The compiled sources, the test file and the incident files.
    sources: SourceMap,
    /// The test file's id in `sources`.
    test_file: FileId,
    /// Each incident file's id in `sources`, by path.
    incidents: HashMap<PathBuf, FileId>,
}

/// An incident file named by the suite.
struct IncidentFile {
    display: String,
    format: Format,
}

/// One case to run.
struct Job {
    kind: CaseKind,
    /// Index into the file's items.
    item: usize,
    norms: usize,
    /// `None` for a test's inline facts alone.
    incident: Option<PathBuf>,
}

/// A test file read, checked and compiled, ready to run.
pub struct Plan {
    path: String,
    dir: PathBuf,
    file: Option<TestFile>,
    /// The test file alone, for problems with the file itself.
    sources: SourceMap,
    problems: Vec<Problem>,
    norms: Vec<Option<Norms>>,
    norm_names: Vec<String>,
    incidents: BTreeMap<PathBuf, IncidentFile>,
    jobs: Vec<Job>,
    /// Per item of the file: whether it lacks a part it needs (reported).
    broken: Vec<bool>,
}

/// Reads a test file, resolves the paths it names (relative to its
/// directory), checks its declarations and compiles each position once.
pub fn plan(path: &Path, options: &Options) -> Plan {
    let display = path.display().to_string();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut plan = Plan {
        path: display.clone(),
        dir,
        file: None,
        sources: SourceMap::new(),
        problems: Vec::new(),
        norms: Vec::new(),
        norm_names: Vec::new(),
        incidents: BTreeMap::new(),
        jobs: Vec::new(),
        broken: Vec::new(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let file = plan.sources.add(display.clone(), "");
            let why = if e.kind() == std::io::ErrorKind::NotFound { "no such file".to_string() } else { e.to_string() };
            plan.problem(vec![Diagnostic::new(&codes::UNREADABLE, Span::new(file, 0, 0), format!("cannot read `{display}`: {why}"))
                .label("unreadable")
                .help("check the path; paths are relative to the current directory")]);
            return plan;
        }
    };
    let file_id = plan.sources.add(display.clone(), text.clone());
    let file = match crate::syntax::parse_test_file(file_id, &text) {
        Ok(f) => f,
        Err(ds) => {
            plan.problem(ds);
            return plan;
        }
    };
    let mut diagnostics = Vec::new();
    plan.broken = check_declarations(&file, &mut diagnostics);
    let mut norm_index: HashMap<PathBuf, usize> = HashMap::new();
    let wanted = |name: &str| options.filter.as_deref().is_none_or(|f| name.contains(f));
    for (i, item) in file.items.iter().enumerate() {
        let (name, positions, incidents, kind) = match item {
            TestItem::Test(t) => (&t.name, &t.positions, &t.incidents, CaseKind::Test),
            TestItem::Golden(g) => (&g.name, &g.positions, &g.incidents, CaseKind::Golden),
        };
        if !wanted(&name.name) {
            continue;
        }
        let positions = if positions.is_empty() { &file.suite.positions } else { positions };
        let has_facts = matches!(item, TestItem::Test(t) if !t.facts.is_empty());
        let incidents = if incidents.is_empty() && !has_facts { &file.suite.incidents } else { incidents };
        let norm_files = plan.expand(positions, Expand::Norms, &mut diagnostics);
        let incident_files = plan.expand(incidents, Expand::Incidents, &mut diagnostics);
        if let TestItem::Golden(g) = item {
            // Golden files are named after the incident file: two incidents
            // of one name would write the same file.
            let mut stems: HashMap<String, &PathBuf> = HashMap::new();
            for f in &incident_files {
                let stem = f.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
                if let Some(first) = stems.insert(stem.clone(), f) {
                    diagnostics.push(
                        Diagnostic::new(
                            &codes::TEST_SHAPE,
                            g.name.span,
                            format!(
                                "the golden `{}` has two incidents named `{stem}`: `{}` and `{}`",
                                g.name.name,
                                first.display(),
                                f.display()
                            ),
                        )
                        .label("their golden files would be one file")
                        .help("rename one incident file, or split the golden in two with different `into` directories"),
                    );
                    plan.broken[i] = true;
                }
            }
        }
        for norm in norm_files {
            let n = *norm_index.entry(norm.clone()).or_insert_with(|| {
                plan.norms.push(None);
                plan.norm_names.push(norm.display().to_string());
                plan.norms.len() - 1
            });
            if incident_files.is_empty() && kind == CaseKind::Test {
                plan.jobs.push(Job { kind, item: i, norms: n, incident: None });
            }
            for inc in &incident_files {
                plan.jobs.push(Job { kind, item: i, norms: n, incident: Some(inc.clone()) });
            }
        }
    }
    if !diagnostics.is_empty() {
        plan.problem(diagnostics);
    }
    // Compile each position once, with the test file and the incidents its
    // cases read added to its sources, so that every diagnostic of a case
    // can point into any of them.
    let mut incident_texts: HashMap<PathBuf, String> = HashMap::new();
    for (path, f) in &plan.incidents {
        if let Ok(t) = std::fs::read_to_string(path) {
            incident_texts.insert(path.clone(), t);
        } else {
            let mut sources = SourceMap::new();
            let id = sources.add(f.display.clone(), "");
            plan.problems.push(Problem {
                diagnostics: vec![Diagnostic::new(&codes::UNREADABLE, Span::new(id, 0, 0), format!("cannot read `{}`", f.display))
                    .label("unreadable")
                    .help("check that the incident file is readable UTF-8 text")],
                sources,
            });
        }
    }
    for n in 0..plan.norms.len() {
        let path = PathBuf::from(&plan.norm_names[n]);
        let name = plan.norm_names[n].clone();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                let mut sources = SourceMap::new();
                let id = sources.add(name.clone(), "");
                plan.problems.push(Problem {
                    diagnostics: vec![Diagnostic::new(&codes::UNREADABLE, Span::new(id, 0, 0), format!("cannot read `{name}`: {e}"))
                        .label("unreadable")
                        .help("check that the norms file is readable UTF-8 text")],
                    sources,
                });
                continue;
            }
        };
        let compiled = crate::compile(&name, &text, &mut FsLoader);
        if !compiled.diagnostics.is_empty() {
            plan.problems.push(Problem { diagnostics: compiled.diagnostics.clone(), sources: compiled.sources.clone() });
        }
        let Some(program) = compiled.program.clone() else { continue };
        let mut sources = compiled.sources.clone();
        let test_file = sources.add(display.clone(), text_of(&plan.sources, file_id));
        let mut incidents = HashMap::new();
        for (p, f) in &plan.incidents {
            if let Some(t) = incident_texts.get(p) {
                incidents.insert(p.clone(), sources.add(f.display.clone(), t.clone()));
            }
        }
        plan.norms[n] = Some(Norms { compiled, program, sources, test_file, incidents });
    }
    // Golden files are named after the position: two norms files giving one
    // position name would write the same files.
    let mut clashes = Vec::new();
    for (i, item) in file.items.iter().enumerate() {
        let TestItem::Golden(g) = item else { continue };
        let mut names: HashMap<&str, &str> = HashMap::new();
        let mut used: Vec<usize> = plan.jobs.iter().filter(|j| j.item == i).map(|j| j.norms).collect();
        used.dedup();
        for n in used {
            let Some(norms) = &plan.norms[n] else { continue };
            if let Some(first) = names.insert(&norms.program.name, &plan.norm_names[n]) {
                if first != plan.norm_names[n] {
                    clashes.push(
                        Diagnostic::new(
                            &codes::TEST_SHAPE,
                            g.name.span,
                            format!("`{first}` and `{}` both declare `{}`", plan.norm_names[n], norms.program.name),
                        )
                        .label("their golden files would be one directory")
                        .help("give each position its own name, or split the golden in two with different `into` directories"),
                    );
                    plan.broken[i] = true;
                }
            }
        }
    }
    // Two golden declarations writing one file.
    let mut writers: HashMap<PathBuf, usize> = HashMap::new();
    for job in plan.jobs.iter().filter(|j| j.kind == CaseKind::Golden) {
        let (TestItem::Golden(g), Some(norms), Some(incident)) = (&file.items[job.item], &plan.norms[job.norms], &job.incident) else {
            continue;
        };
        let path = golden::path(&plan.dir, g, norms, incident);
        match writers.get(&path) {
            Some(&first) if first != job.item => {
                if !plan.broken[job.item] {
                    let TestItem::Golden(other) = &file.items[first] else { continue };
                    clashes.push(
                        Diagnostic::new(
                            &codes::TEST_SHAPE,
                            g.name.span,
                            format!("`golden {}` would write `{}`, as `golden {}` does", g.name.name, path.display(), other.name.name),
                        )
                        .label("writes another golden's file")
                        .also(other.name.span, "also written by this golden")
                        .help("give each golden its own `into` directory"),
                    );
                }
                plan.broken[job.item] = true;
            }
            Some(_) => {}
            None => {
                writers.insert(path, job.item);
            }
        }
    }
    if !clashes.is_empty() {
        plan.problem(clashes);
    }
    // Names and values each test expects, checked against each position once.
    let mut checked = Vec::new();
    for job in &plan.jobs {
        if job.kind != CaseKind::Test || checked.contains(&(job.item, job.norms)) {
            continue;
        }
        checked.push((job.item, job.norms));
        let (TestItem::Test(t), Some(norms)) = (&file.items[job.item], &plan.norms[job.norms]) else { continue };
        let ds = check_expectations(t, norms);
        if !ds.is_empty() {
            plan.problems.push(Problem { diagnostics: ds, sources: norms.sources.clone() });
        }
    }
    plan.file = Some(file);
    plan
}

/// A path with `dir/..` and `.` removed, as far as the path itself says.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn text_of(sources: &SourceMap, id: FileId) -> String {
    sources.get(id).text.to_string()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expand {
    Norms,
    Incidents,
}

impl Plan {
    fn problem(&mut self, diagnostics: Vec<Diagnostic>) {
        self.problems.push(Problem { diagnostics, sources: self.sources.clone() });
    }

    /// Files named by `position` or `incident` clauses, relative to the test
    /// file; a directory stands for its `.norm` (or incident) files, sorted.
    fn expand(&mut self, names: &[Citation], what: Expand, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for name in names {
            let path = normalize(&self.dir.join(&name.text));
            let wanted = |p: &Path| match what {
                Expand::Norms => p.to_string_lossy().ends_with(".norm") && !p.to_string_lossy().ends_with(".test.norm"),
                Expand::Incidents => Format::from_path(&p.to_string_lossy()).is_some(),
            };
            let kind = if what == Expand::Norms { "`.norm`" } else { "incident (`.toml` or `.json`)" };
            if path.is_dir() {
                let mut found: Vec<PathBuf> = std::fs::read_dir(&path)
                    .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.is_file() && wanted(p)).collect())
                    .unwrap_or_default();
                found.sort();
                if found.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(&codes::UNREADABLE, name.span, format!("the directory `{}` holds no {kind} file", path.display()))
                            .label("empty directory")
                            .help("name a directory that holds them, or the files themselves"),
                    );
                }
                out.extend(found);
            } else if !path.exists() {
                diagnostics.push(
                    Diagnostic::new(&codes::UNREADABLE, name.span, format!("no such file or directory: `{}`", path.display()))
                        .label("not found")
                        .help("paths in a test file are relative to the test file's directory"),
                );
            } else if !wanted(&path) {
                diagnostics.push(
                    Diagnostic::new(&codes::TEST_SHAPE, name.span, format!("`{}` is not a {kind} file", path.display()))
                        .label("wrong kind of file")
                        .help(if what == Expand::Norms {
                            "`position` names norms: a `.norm` file or a directory of them"
                        } else {
                            "`incident` names incident files (`.toml`, `.json`) or a directory of them"
                        }),
                );
            } else {
                out.push(path);
            }
        }
        if what == Expand::Incidents {
            for p in &out {
                let display = p.display().to_string();
                let format = Format::from_path(&display).unwrap_or(Format::Toml);
                self.incidents.entry(p.clone()).or_insert(IncidentFile { display, format });
            }
        }
        out
    }

    /// The problems found so far: in the file, the norms it names and its
    /// expectations (incidents are read only when the cases run).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The number of cases the plan runs.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether the plan runs no case.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Runs every case, in parallel; writes golden files only when blessing.
    pub fn run(self, options: &Options, progress: &dyn Progress) -> SuiteReport {
        let Plan { path, dir, file, problems, norms, jobs, incidents, broken, .. } = self;
        let mut report = SuiteReport {
            path,
            name: file.as_ref().map(|f| f.suite.name.name.clone()).unwrap_or_default(),
            problems,
            cases: Vec::new(),
            coverage: None,
        };
        let Some(file) = file else { return report };
        let ctx = Context { file: &file, dir: &dir, norms: &norms, incidents: &incidents, broken: &broken, bless: options.bless };
        let results: Vec<(CaseReport, Option<Problem>, Option<Outcome>)> = jobs
            .par_iter()
            .map(|job| {
                let r = ctx.run(job, options.coverage);
                progress.tick();
                r
            })
            .collect();
        let mut coverage = options.coverage.then(|| Coverage::new(norms.iter().flatten().map(|n| (&n.program, &n.compiled, &n.sources))));
        // Missing golden files: the first few of each declaration, then a count.
        const SHOWN_MISSING: usize = 3;
        let mut missing: HashMap<usize, (usize, Option<Problem>)> = HashMap::new();
        for (job, (case, problem, outcome)) in jobs.iter().zip(results) {
            if let (Some(cov), Some(outcome), Some(n)) = (coverage.as_mut(), outcome.as_ref(), norms[job.norms].as_ref()) {
                cov.record(&n.program, &n.compiled, &n.sources, outcome);
            }
            if let Some(p) = problem {
                if p.diagnostics.iter().any(|d| d.code == &codes::MISSING_GOLDEN) {
                    let (count, last) = missing.entry(job.item).or_default();
                    *count += 1;
                    if *count <= SHOWN_MISSING {
                        report.problems.push(p);
                    } else {
                        *last = Some(p);
                    }
                } else {
                    report.problems.push(p);
                }
            }
            report.cases.push(case);
        }
        let mut items: Vec<_> = missing.into_iter().collect();
        items.sort_by_key(|(item, _)| *item);
        for (item, (count, last)) in items {
            let (TestItem::Golden(g), Some(mut p)) = (&file.items[item], last) else { continue };
            let more = count - SHOWN_MISSING;
            if let Some(d) = p.diagnostics.first_mut() {
                d.message = format!("{more} more golden files of `golden {}` are missing", g.name.name);
            }
            report.problems.push(p);
        }
        // Files in golden directories that no golden declaration produced:
        // known only when every golden ran, under every position.
        let goldens: Vec<&Job> = jobs.iter().filter(|j| j.kind == CaseKind::Golden).collect();
        let complete = options.filter.is_none() && goldens.iter().all(|j| norms[j.norms].is_some());
        let produced: Vec<PathBuf> = goldens
            .iter()
            .filter_map(|j| match &file.items[j.item] {
                TestItem::Golden(g) => Some(golden::path(&dir, g, norms[j.norms].as_ref()?, j.incident.as_ref()?)),
                TestItem::Test(_) => None,
            })
            .collect();
        let sources = norms.iter().flatten().next().map(|n| (n.sources.clone(), n.test_file));
        if let (true, Some((sources, test_file))) = (complete, sources) {
            let mut stale = Vec::new();
            let mut seen_dirs = Vec::new();
            for item in &file.items {
                let TestItem::Golden(g) = item else { continue };
                let Some(into) = &g.into else { continue };
                let golden_dir = normalize(&dir.join(&into.text));
                if seen_dirs.contains(&golden_dir) {
                    continue;
                }
                let span = in_file(into.span, test_file);
                for f in golden::stale(&golden_dir, &produced) {
                    stale.push(
                        Diagnostic::new(
                            &codes::STALE_GOLDEN,
                            span,
                            format!("`{}` is not produced by `golden {}`", f.display(), g.name.name),
                        )
                        .label("in this golden directory")
                        .help("remove the file if it is stale: `--bless` writes golden files, it never deletes any"),
                    );
                }
                seen_dirs.push(golden_dir);
            }
            if !stale.is_empty() {
                report.problems.push(Problem { diagnostics: stale, sources });
            }
        }
        report.coverage = coverage;
        report
    }
}

/// What every case reads.
struct Context<'a> {
    file: &'a TestFile,
    dir: &'a Path,
    norms: &'a [Option<Norms>],
    incidents: &'a BTreeMap<PathBuf, IncidentFile>,
    broken: &'a [bool],
    bless: bool,
}

impl Context<'_> {
    fn run(&self, job: &Job, coverage: bool) -> (CaseReport, Option<Problem>, Option<Outcome>) {
        let item = &self.file.items[job.item];
        let name = match item {
            TestItem::Test(t) => t.name.name.clone(),
            TestItem::Golden(g) => g.name.name.clone(),
        };
        let incident_name = job.incident.as_ref().map_or_else(|| "inline facts".to_string(), |p| p.display().to_string());
        let mut case = CaseReport {
            kind: job.kind,
            name,
            position: String::new(),
            incident: incident_name,
            result: CaseResult::Error("the norms do not compile".into()),
        };
        let Some(norms) = &self.norms[job.norms] else { return (case, None, None) };
        case.position = norms.program.name.clone();
        if self.broken.get(job.item).copied().unwrap_or(false) {
            case.result = CaseResult::Error("the declaration has an error".into());
            return (case, None, None);
        }
        let givens: &[Given] = match item {
            TestItem::Test(t) => &t.facts,
            TestItem::Golden(_) => &[],
        };
        let incident = match self.incident(norms, job, givens) {
            Ok(i) => i,
            Err(Some(mut ds)) => {
                crate::diagnostic::sort(&mut ds);
                case.result = CaseResult::Error("the incident cannot be read under these norms".into());
                return (case, Some(Problem { diagnostics: ds, sources: norms.sources.clone() }), None);
            }
            Err(None) => {
                case.result = CaseResult::Error("the incident file cannot be read".into());
                return (case, None, None);
            }
        };
        if let Some(f) = &job.incident {
            case.incident = format!("{} ({})", incident.meta.name, f.display());
        }
        let outcome = match Evaluator::new(&norms.program).explain(incident.input()) {
            Ok(o) => o,
            Err(e) => {
                let mut compiled = norms.compiled.clone();
                compiled.sources = norms.sources.clone();
                case.result = CaseResult::Error("the evaluation failed".into());
                let problem = compiled.eval_diagnostic(&e).map(|d| Problem { diagnostics: vec![d], sources: norms.sources.clone() });
                return (case, problem, None);
            }
        };
        let mut problem = None;
        case.result = match item {
            TestItem::Test(t) => {
                if has_errors(&check_expectations(t, norms)) {
                    CaseResult::Error("the test does not fit these norms".into())
                } else {
                    let failures = expectations(t, norms, &incident, &outcome);
                    if failures.is_empty() {
                        CaseResult::Passed
                    } else {
                        CaseResult::Failed(failures)
                    }
                }
            }
            TestItem::Golden(g) => {
                let incident_path = job.incident.as_ref().expect("a golden case has an incident file");
                match golden::check(self.dir, g, norms, incident_path, &incident, &outcome, self.bless) {
                    Ok(result) => result,
                    Err(d) => {
                        problem = Some(Problem { diagnostics: vec![d], sources: norms.sources.clone() });
                        CaseResult::Error("the golden file is missing or unreadable".into())
                    }
                }
            }
        };
        (case, problem, coverage.then_some(outcome))
    }

    /// The incident of a case: its file with the test's facts in place, or
    /// the test's facts alone. `Err(None)` when the file could not be read
    /// (already reported).
    fn incident(&self, norms: &Norms, job: &Job, givens: &[Given]) -> Result<Incident, Option<Vec<Diagnostic>>> {
        let mut root = match &job.incident {
            Some(path) => {
                let Some(&file) = norms.incidents.get(path) else { return Err(None) };
                let format = self.incidents.get(path).map_or(Format::Toml, |f| f.format);
                let text = norms.sources.get(file).text.clone();
                incident::parse_tree(file, &text, format).map_err(|d| Some(vec![d]))?
            }
            None => {
                let span = givens.first().map_or(Span::new(norms.test_file, 0, 0), |g| in_file(g.name.span, norms.test_file));
                let name = match &self.file.items[job.item] {
                    TestItem::Test(t) => format!("the facts of test `{}`", t.name.name),
                    TestItem::Golden(g) => g.name.name.clone(),
                };
                Node {
                    kind: NodeKind::Table(vec![
                        ("incident".into(), span, Node { kind: NodeKind::Table(vec![("name".into(), span, text(name, span))]), span }),
                        ("facts".into(), span, Node { kind: NodeKind::Table(Vec::new()), span }),
                    ]),
                    span,
                }
            }
        };
        if !givens.is_empty() {
            given_facts(&mut root, givens, norms.test_file);
        }
        incident::load_tree(&norms.program, &root).map_err(Some)
    }
}

/// A span of the test file, moved to its id in another source map.
fn in_file(span: Span, file: FileId) -> Span {
    Span { file, ..span }
}

fn text(s: String, span: Span) -> Node {
    Node { kind: NodeKind::Text(s), span }
}

/// Puts the facts a test gives into an incident's `facts` table, replacing
/// the values the file gives for the same names.
fn given_facts(root: &mut Node, givens: &[Given], file: FileId) {
    let NodeKind::Table(entries) = &mut root.kind else { return };
    let Some((_, _, facts)) = entries.iter_mut().find(|(k, _, _)| k == "facts") else { return };
    let NodeKind::Table(facts) = &mut facts.kind else { return };
    for g in givens {
        let key_span = in_file(g.name.span, file);
        let span = in_file(g.value_span, file);
        let value = match &g.value {
            TestValue::Unknown => {
                Node { kind: NodeKind::Table(vec![("unknown".into(), span, Node { kind: NodeKind::Bool(true), span })]), span }
            }
            TestValue::Name(n) => text(n.clone(), span),
            TestValue::Literal(l) => Node { kind: literal_node(l), span },
        };
        let value = match &g.proof {
            None => value,
            Some(p) => {
                let pspan = in_file(p.span, file);
                let mut parts = match value.kind {
                    NodeKind::Table(parts) => parts,
                    _ => vec![("value".into(), span, value)],
                };
                parts.push(("proof".into(), pspan, text(p.name.clone(), pspan)));
                Node { kind: NodeKind::Table(parts), span: span.to(pspan) }
            }
        };
        match facts.iter_mut().find(|(k, _, _)| *k == g.name.name) {
            Some(entry) => *entry = (g.name.name.clone(), key_span, value),
            None => facts.push((g.name.name.clone(), key_span, value)),
        }
    }
}

/// A literal of a test file as an incident file would write it.
fn literal_node(l: &Literal) -> NodeKind {
    match l {
        Literal::Bool(b) => NodeKind::Bool(*b),
        Literal::Number(n) => NodeKind::Number(*n),
        Literal::Money(amount, currency) => NodeKind::Text(format!("{amount} {currency}")),
        Literal::Duration(seconds) => NodeKind::Text(format!("{} minutes", seconds / 60.0)),
        Literal::Date(y, m, d) => NodeKind::Date(format!("{y:04}-{m:02}-{d:02}")),
        Literal::Text(s) => NodeKind::Text(s.clone()),
    }
}

/// The parts every declaration needs, whatever the norms. Returns, per
/// item, whether it lacks one.
fn check_declarations(file: &TestFile, out: &mut Vec<Diagnostic>) -> Vec<bool> {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut broken = Vec::new();
    for item in &file.items {
        let before = out.len();
        let (name, span) = match item {
            TestItem::Test(t) => (&t.name, t.span),
            TestItem::Golden(g) => (&g.name, g.span),
        };
        if let Some(first) = seen.insert(&name.name, name.span) {
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, name.span, format!("`{}` is declared twice in this file", name.name))
                    .label("declared again here")
                    .also(first, "first declared here")
                    .help("give each test and golden its own name: failures are reported by name"),
            );
        }
        let head = Span { end: name.span.end, ..span };
        let positions = match item {
            TestItem::Test(t) => &t.positions,
            TestItem::Golden(g) => &g.positions,
        };
        if positions.is_empty() && file.suite.positions.is_empty() {
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, head, format!("`{}` names no norms to run", name.name))
                    .label("no `position`")
                    .help("add `position \"FILE.norm\"` here, or to the `suite` as the default of the file"),
            );
        }
        match item {
            TestItem::Test(t) => check_test(t, file, head, out),
            TestItem::Golden(g) => check_golden(g, file, head, out),
        }
        broken.push(out.len() > before);
    }
    broken
}

fn check_test(t: &TestDecl, file: &TestFile, head: Span, out: &mut Vec<Diagnostic>) {
    if t.incidents.is_empty() && t.facts.is_empty() && file.suite.incidents.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the test `{}` names no incident and gives no facts", t.name.name))
                .label("no `incident` or `facts`")
                .help("add `incident \"FILE.toml\"`, or `facts` with the facts the test stipulates"),
        );
    }
    if t.expectations.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the test `{}` expects nothing", t.name.name))
                .label("no `expect`")
                .help("add `expect conclusion = value`: a test without expectations would always pass"),
        );
    }
    for e in &t.expectations {
        if let Some(s) = &e.status {
            if status_named(&s.name).is_none() {
                let help = suggest::help_for(&s.name, STATUSES.iter().map(|(n, _)| *n), || {
                    format!("a status is one of {}", STATUSES.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", "))
                });
                out.push(
                    Diagnostic::new(&codes::TEST_SHAPE, s.span, format!("unknown status `{}`", s.name)).label("no such status").help(help),
                );
            }
        }
        if let Some(p) = &e.proof {
            standard_named(p, out);
        }
    }
    for g in &t.facts {
        if let Some(p) = &g.proof {
            standard_named(p, out);
        }
    }
}

fn standard_named(p: &crate::syntax::ast::Ident, out: &mut Vec<Diagnostic>) -> Option<ProofStandard> {
    let found = ProofStandard::parse(&p.name);
    if found.is_none() {
        let names = ProofStandard::ALL.iter().map(|(_, n)| *n);
        let help = suggest::help_for(&p.name, names, || "name a standard of proof, such as `preponderance`".into());
        out.push(
            Diagnostic::new(&codes::NOT_A_STANDARD, p.span, format!("`{}` is not a standard of proof", p.name))
                .label("not a standard")
                .help(help),
        );
    }
    found
}

fn check_golden(g: &GoldenDecl, file: &TestFile, head: Span, out: &mut Vec<Diagnostic>) {
    if g.incidents.is_empty() && file.suite.incidents.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the golden `{}` names no incident", g.name.name))
                .label("no `incident`")
                .help("add `incident \"DIR\"` (a directory of incidents, or files)"),
        );
    }
    if g.into.is_none() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the golden `{}` does not say where its files are", g.name.name))
                .label("no `into`")
                .help("add `into \"DIR\"`: the directory, relative to this file, that holds the golden files"),
        );
    }
    if let Some(o) = &g.output {
        if GoldenOutput::parse(&o.name).is_none() {
            let help = suggest::help_for(&o.name, GoldenOutput::NAMES, || "an output is `eval`, `explain` or `json`".into());
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, o.span, format!("unknown output `{}`", o.name)).label("no such output").help(help),
            );
        }
    }
}

/// The statuses a test can expect, by name.
const STATUSES: [(&str, Status); 6] = [
    ("applied", Status::Applied),
    ("no_rule_applies", Status::NoRuleApplies),
    ("undetermined", Status::Undetermined),
    ("standard_unstated", Status::StandardUnstated),
    ("below_standard", Status::BelowStandard),
    ("burden_not_met", Status::BurdenNotMet),
];

fn status_named(name: &str) -> Option<Status> {
    STATUSES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The expectations of a test checked against one position: the conclusion
/// exists, the rule concludes it, the value has its type.
fn check_expectations(t: &TestDecl, norms: &Norms) -> Vec<Diagnostic> {
    let program = &norms.program;
    let mut out = Vec::new();
    for e in &t.expectations {
        let span = in_file(e.conclusion.span, norms.test_file);
        let Some(c) = program.conclusion_named(&e.conclusion.name) else {
            let names = program.conclusions.iter().map(|c| c.name.as_str());
            let help = suggest::help_for(&e.conclusion.name, names, || "name a conclusion the norms declare".into());
            out.push(
                Diagnostic::new(&codes::UNKNOWN_EXPECTED, span, format!("`{}` has no conclusion `{}`", program.name, e.conclusion.name))
                    .label("not a conclusion of these norms")
                    .help(help),
            );
            continue;
        };
        let info = &program.conclusions[c as usize];
        if let Err(why) = expected_value(program, info.ty, &e.value) {
            out.push(
                Diagnostic::new(&codes::EXPECTED_VALUE_TYPE, in_file(e.value_span, norms.test_file), why.0)
                    .label(format!("`{}` is {}", info.name, program.type_name(info.ty)))
                    .help(why.1),
            );
        }
        for f in e.settled_by.iter().flatten() {
            if program.slot_named(&f.name).is_none() {
                let names = program.slots.iter().map(|s| s.name.as_str());
                let help = suggest::help_for(&f.name, names, || "name facts the norms declare (record fields as `record.field`)".into());
                out.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_FACT,
                        in_file(f.span, norms.test_file),
                        format!("`{}` has no fact `{}`", program.name, f.name),
                    )
                    .label("not a fact of these norms")
                    .help(help),
                );
            }
        }
        if let Some(by) = &e.by {
            if !info.rules.iter().any(|&r| program.rules[r as usize].name == by.name) {
                let names: Vec<&str> = info.rules.iter().map(|&r| program.rules[r as usize].name.as_str()).collect();
                let help = suggest::help_for(&by.name, names.iter().copied(), || {
                    if names.is_empty() {
                        format!("no rule concludes `{}`", info.name)
                    } else {
                        format!(
                            "the rules concluding `{}` are {}",
                            info.name,
                            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                        )
                    }
                });
                out.push(
                    Diagnostic::new(
                        &codes::UNKNOWN_DECIDING_RULE,
                        in_file(by.span, norms.test_file),
                        format!("no rule `{}` concludes `{}` in `{}`", by.name, info.name, program.name),
                    )
                    .label("not a rule of this conclusion")
                    .help(help),
                );
            }
        }
    }
    out
}

/// A value written in a test file, as a value of a type: `Err((message, help))`.
fn expected_value(program: &Program, ty: Type, v: &TestValue) -> Result<Value, (String, String)> {
    let wrong = |found: &str| {
        let wanted = program.type_name(ty);
        let help = match ty {
            Type::Enum(e) => {
                format!("write one of {}", program.enums[e as usize].values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
            }
            Type::Bool => "write `true`, `false` or `unknown`".into(),
            _ => format!("write a value of type `{wanted}`, or `unknown`"),
        };
        (format!("expected a value of type `{wanted}`, found {found}"), help)
    };
    Ok(match (v, ty) {
        (TestValue::Unknown, _) => Value::Unknown,
        (TestValue::Literal(Literal::Bool(b)), Type::Bool) => Value::Bool(*b),
        (TestValue::Literal(Literal::Number(n)), Type::Number) => Value::Number(*n),
        (TestValue::Literal(Literal::Money(amount, currency)), Type::Money) => match Currency::parse(currency) {
            Some(currency) => Value::Money(crate::value::Money { amount: *amount, currency }),
            None => {
                return Err((format!("`{currency}` is not a currency code"), "write a three-letter ISO 4217 code, such as `USD`".into()))
            }
        },
        (TestValue::Literal(Literal::Duration(s)), Type::Duration) => Value::Duration(*s),
        (TestValue::Literal(Literal::Date(y, m, d)), Type::Date) => match days_from_civil(*y, *m, *d) {
            Some(days) => Value::Date(days),
            None => return Err(("not a calendar date".into(), "write dates as YYYY-MM-DD".into())),
        },
        (TestValue::Literal(Literal::Text(s)), Type::Text) => Value::Text(s.as_str().into()),
        (TestValue::Name(n), Type::Enum(e)) => match program.enums[e as usize].values.iter().position(|v| v == n) {
            Some(i) => Value::Enum(e, i as u16),
            None => {
                let values = &program.enums[e as usize].values;
                let help = suggest::help_for(n, values.iter().map(String::as_str), || {
                    format!("write one of {}", values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
                });
                return Err((format!("`{n}` is not a value of `{}`", program.enums[e as usize].name), help));
            }
        },
        (TestValue::Name(n), _) => return Err(wrong(&format!("the name `{n}`"))),
        (TestValue::Literal(l), _) => return Err(wrong(literal_kind(l))),
    })
}

fn literal_kind(l: &Literal) -> &'static str {
    match l {
        Literal::Bool(_) => "true/false",
        Literal::Number(_) => "a number",
        Literal::Money(..) => "an amount of money",
        Literal::Duration(_) => "a duration",
        Literal::Date(..) => "a date",
        Literal::Text(_) => "text",
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) | (Value::Duration(x), Value::Duration(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        (Value::Money(x), Value::Money(y)) => x.currency == y.currency && (x.amount - y.amount).abs() <= 1e-9 * x.amount.abs().max(1.0),
        _ => a == b,
    }
}

/// The expectations of a test that do not hold on an outcome.
fn expectations(t: &TestDecl, norms: &Norms, incident: &Incident, outcome: &Outcome) -> Vec<Failure> {
    let program = &norms.program;
    let mut failures = Vec::new();
    for e in &t.expectations {
        let Some(c) = program.conclusion_named(&e.conclusion.name) else { continue };
        let info = &program.conclusions[c as usize];
        let Ok(want) = expected_value(program, info.ty, &e.value) else { continue };
        let got = outcome.get(c);
        let mut ok = same_value(&want, &got.value);
        if let Some(by) = &e.by {
            ok &= got.rule.is_some_and(|r| program.rules[r as usize].name == by.name);
        }
        if let Some(p) = e.proof.as_ref().and_then(|p| ProofStandard::parse(&p.name)) {
            ok &= got.proof >= Proof::of(p);
        }
        if let Some(s) = e.status.as_ref().and_then(|s| status_named(&s.name)) {
            ok &= got.status == s;
        }
        if let Some(facts) = &e.settled_by {
            let mut want: Vec<&str> = facts.iter().map(|f| f.name.as_str()).collect();
            let mut have: Vec<&str> = got.settled_by.iter().map(|&s| program.slots[s as usize].name.as_str()).collect();
            want.sort_unstable();
            have.sort_unstable();
            ok &= want == have;
        }
        if !ok {
            failures.push(Failure {
                at: at(&norms.sources, in_file(e.span, norms.test_file)),
                expected: expected_text(&norms.sources, in_file(e.span, norms.test_file)),
                got: got_text(program, c, outcome),
                derivation: derivation(program, incident, outcome, c),
            });
        }
    }
    failures
}

fn at(sources: &SourceMap, span: Span) -> String {
    let (line, col) = sources.line_col(span.file, span.start);
    format!("{}:{line}:{col}", sources.get(span.file).name)
}

/// An expectation as written, on one line.
fn expected_text(sources: &SourceMap, span: Span) -> String {
    let text = &sources.get(span.file).text;
    let written = text.get(span.start as usize..span.end as usize).unwrap_or_default();
    written.trim_start_matches("expect").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the evaluation gave, in the form of an expectation.
fn got_text(program: &Program, c: ConclusionId, outcome: &Outcome) -> String {
    let got = outcome.get(c);
    let mut s = format!("{} = {}", program.conclusions[c as usize].name, value_text(program, &got.value));
    match got.rule {
        Some(r) => s.push_str(&format!(" by {} ({})", program.rules[r as usize].name, rule_label(program, r))),
        None => s.push_str(" by no rule"),
    }
    if let Some(p) = got.proof.standard() {
        s.push_str(&format!(" proven {}", p.name()));
    }
    s.push_str(&format!(" status {}", status_text(got.status)));
    if let Some(party) = got.burden {
        s.push_str(&format!(" (burden on `{}`)", program.parties[party as usize].name));
    }
    if !got.settled_by.is_empty() {
        let names: Vec<&str> = got.settled_by.iter().map(|&f| program.slots[f as usize].name.as_str()).collect();
        s.push_str(&format!(" settled by {}", names.join(", ")));
    }
    s
}

fn derivation(program: &Program, incident: &Incident, outcome: &Outcome, c: ConclusionId) -> String {
    crate::explain::text(&crate::explain::explain(program, incident, outcome, &[c], false))
}
