//! Reading a test file into a plan: its declarations checked, its paths
//! resolved, each position compiled once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::declarations::check_declarations;
use super::expect::check_expectations;
use super::norms::{IncidentFile, Job, Norms};
use super::{golden, normalize, writes, CaseKind, Options, Problem};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::incident::{Format, Vocabulary};
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{Citation, TestFile, TestItem};

/// A test file read, checked and compiled, ready to run.
pub struct Plan {
    pub(super) path: String,
    pub(super) dir: PathBuf,
    pub(super) file: Option<TestFile>,
    /// The test file alone, for problems with the file itself.
    pub(super) sources: SourceMap,
    pub(super) problems: Vec<Problem>,
    pub(super) norms: Vec<Option<Norms>>,
    pub(super) norm_names: Vec<String>,
    pub(super) incidents: BTreeMap<PathBuf, IncidentFile>,
    pub(super) jobs: Vec<Job>,
    /// Per item of the file: whether it lacks a part it needs (reported).
    pub(super) broken: Vec<bool>,
    /// Per item of the file: the vocabulary of the positions it names, which
    /// its incidents are read in (a fact one of them declares is ignored
    /// under the others).
    pub(super) vocabularies: Vec<Vocabulary>,
}

/// Reads a test file, resolves the paths it names (relative to its
/// directory), checks its declarations and compiles each position once, and
/// checks that its golden files may be written (see [`plan_all`]).
pub fn plan(path: &Path, options: &Options) -> Plan {
    let mut plan = plan_one(path, options);
    writes::check(std::slice::from_mut(&mut plan));
    plan
}

/// Plans the test files of one run, and checks their golden files together:
/// none may be an input of the run (a file of norms, an incident, a test
/// file) or an existing file that is not a golden file, and no two test
/// files may write one file (E0801).
pub fn plan_all(paths: &[PathBuf], options: &Options) -> Vec<Plan> {
    let mut plans: Vec<Plan> = paths.iter().map(|p| plan_one(p, options)).collect();
    writes::check(&mut plans);
    plans
}

fn plan_one(path: &Path, options: &Options) -> Plan {
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
        vocabularies: Vec::new(),
    };
    let text = match crate::io::read(&display, &mut plan.sources) {
        Ok(t) => t,
        Err(d) => {
            plan.problem(vec![d]);
            return plan;
        }
    };
    let file_id = plan.sources.add(display.clone(), text.clone());
    let file = match crate::syntax::parse_test_file(file_id, &text) {
        Ok(f) => f,
        Err(mut ds) => {
            let norms =
                crate::syntax::parse_file(file_id, &text).is_ok_and(|f| f.module.is_some() || f.position.is_some() || !f.items.is_empty());
            // A character that does not show keeps the help that names it.
            for d in ds.iter_mut().filter(|d| d.code == &codes::SYNTAX && !d.message.contains("(U+")) {
                d.help = Some(if norms {
                    format!("`{display}` is a file of norms, not of tests: a test file begins with `suite NAME` and names the norms it tests with `position \"FILE.norm\"` (docs/language.md, section \"Tests\")")
                } else {
                    "a test file begins with `suite NAME`, then `test` and `golden` declarations; see docs/language.md, section \"Tests\""
                        .into()
                });
            }
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
                plan.jobs.push(Job { kind, item: i, norms: n, incident: None, golden: None });
            }
            for inc in &incident_files {
                plan.jobs.push(Job { kind, item: i, norms: n, incident: Some(inc.clone()), golden: None });
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
        let mut sources = SourceMap::new();
        match crate::io::read(&f.display, &mut sources) {
            Ok(t) => {
                incident_texts.insert(path.clone(), t);
            }
            Err(d) => plan.problems.push(Problem { diagnostics: vec![d], sources }),
        }
    }
    for n in 0..plan.norms.len() {
        let name = plan.norm_names[n].clone();
        let compiled = crate::io::compile_file_with(&name, options.stdlib.as_ref());
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
    // The positions of one declaration are loaded together.
    plan.vocabularies = (0..file.items.len())
        .map(|i| {
            let mut used: Vec<usize> = plan.jobs.iter().filter(|j| j.item == i).map(|j| j.norms).collect();
            used.sort_unstable();
            used.dedup();
            Vocabulary::new(used.iter().filter_map(|&n| plan.norms[n].as_ref().map(|n| &n.program)))
        })
        .collect();
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
    // Each golden case's file; two golden declarations writing one file.
    let mut writers: HashMap<PathBuf, usize> = HashMap::new();
    let mut unnamed: Vec<(usize, String)> = Vec::new();
    for job in plan.jobs.iter_mut().filter(|j| j.kind == CaseKind::Golden) {
        let (TestItem::Golden(g), Some(norms), Some(incident)) = (&file.items[job.item], &plan.norms[job.norms], &job.incident) else {
            continue;
        };
        let path = match golden::path(&plan.dir, g, &norms.program.name, incident) {
            Ok(path) => path,
            Err(why) => {
                // A bad `into` is reported with the declaration.
                let into_reported = g.into.as_ref().is_some_and(|i| golden::into_problem(&i.text).is_some());
                if !into_reported && !unnamed.contains(&(job.item, why.clone())) {
                    clashes.push(
                        Diagnostic::new(&codes::TEST_SHAPE, g.name.span, why.clone())
                            .label("its golden files would be written elsewhere")
                            .help("a golden file is `DIR/<position>/<incident>.txt`: give the norms a `module` or `position` line with a plain name, and the incident file a plain name"),
                    );
                    unnamed.push((job.item, why));
                }
                plan.broken[job.item] = true;
                continue;
            }
        };
        job.golden = Some(path.clone());
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

fn text_of(sources: &SourceMap, id: FileId) -> String {
    sources.get(id).text.to_string()
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Expand {
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
}
