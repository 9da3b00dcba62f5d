//! Running a plan's cases, in parallel, and building each case's incident.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::expect::{check_expectations, expectations};
use super::norms::{IncidentFile, Job, Norms};
use super::{golden, in_file, normalize, CaseKind, CaseReport, CaseResult, Coverage, Options, Plan, Problem, Progress, SuiteReport};
use crate::diagnostics::codes;
use crate::diagnostics::{has_errors, Diagnostic};
use crate::eval::{Evaluator, Outcome};
use crate::incident::{self, Format, Incident, Node, NodeKind};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Given, Literal, TestFile, TestItem, TestValue};

impl Plan {
    /// Runs every case, in parallel; writes golden files only when blessing.
    pub fn run(self, options: &Options, progress: &dyn Progress) -> SuiteReport {
        let Plan { path, dir, file, problems, norms, norm_names, jobs, incidents, broken, vocabularies, .. } = self;
        let mut report = SuiteReport {
            path,
            name: file.as_ref().map(|f| f.suite.name.name.clone()).unwrap_or_default(),
            problems,
            cases: Vec::new(),
            coverage: None,
        };
        let Some(file) = file else { return report };
        let ctx = Context {
            file: &file,
            norms: &norms,
            incidents: &incidents,
            broken: &broken,
            vocabularies: &vocabularies,
            bless: options.bless,
        };
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
        let mut seen: Vec<Vec<Diagnostic>> = Vec::new();
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
                } else if !seen.contains(&p.diagnostics) {
                    // Several tests on one incident under one position meet
                    // the same problem with it: report it once.
                    seen.push(p.diagnostics.clone());
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
        let complete = options.filter.is_none() && goldens.iter().all(|j| j.golden.is_some());
        // The run's own inputs are not stale either (`into "."`).
        let mut produced: Vec<PathBuf> = goldens.iter().filter_map(|j| j.golden.clone()).collect();
        produced.extend([normalize(Path::new(&report.path))].into_iter().chain(norm_names.iter().map(|n| normalize(Path::new(n)))));
        produced.extend(incidents.keys().cloned());
        let sources = norms.iter().flatten().next().map(|n| (n.sources.clone(), n.test_file));
        if let (true, Some((sources, test_file))) = (complete, sources) {
            let mut stale = Vec::new();
            let mut seen_dirs = Vec::new();
            for (i, item) in file.items.iter().enumerate() {
                let TestItem::Golden(g) = item else { continue };
                let Some(into) = &g.into else { continue };
                // A golden refused (E0801) does not say what its directory holds.
                if broken[i] {
                    continue;
                }
                let golden_dir = normalize(&dir.join(&into.text));
                if seen_dirs.contains(&golden_dir) || golden::into_problem(&into.text).is_some() {
                    continue;
                }
                let span = in_file(into.span, test_file);
                for (f, leftover) in golden::stale(&golden_dir, &produced) {
                    let d = match leftover {
                        golden::Leftover::NotProduced => Diagnostic::new(
                            &codes::STALE_GOLDEN,
                            span,
                            format!("`{}` is not produced by `golden {}`", f.display(), g.name.name),
                        )
                        .label("in this golden directory")
                        .help("remove the file if it is stale: `--bless` writes golden files, it never deletes any"),
                        golden::Leftover::Temporary => Diagnostic::new(
                            &codes::STALE_GOLDEN,
                            span,
                            format!("`{}` is a temporary file left by an interrupted `opinio test --bless`", f.display()),
                        )
                        .label("in this golden directory")
                        .help("remove it: the golden file it was to replace was kept, whole"),
                    };
                    stale.push(d);
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
    norms: &'a [Option<Norms>],
    incidents: &'a BTreeMap<PathBuf, IncidentFile>,
    broken: &'a [bool],
    /// Per item: the vocabulary of its positions, loaded together.
    vocabularies: &'a [crate::incident::Vocabulary],
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
                crate::diagnostics::sort(&mut ds);
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
                let Some(golden_file) = &job.golden else {
                    case.result = CaseResult::Error("the golden file cannot be named".into());
                    return (case, None, None);
                };
                match golden::check(golden_file, g, norms, &incident, &outcome, self.bless) {
                    Ok(result) => result,
                    Err((d, why)) => {
                        problem = Some(Problem { diagnostics: vec![d], sources: norms.sources.clone() });
                        CaseResult::Error(why.into())
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
        match self.vocabularies.get(job.item) {
            Some(vocabulary) => incident::load_tree_in(&norms.program, vocabulary, &root).map_err(Some),
            None => incident::load_tree(&norms.program, &root).map_err(Some),
        }
    }
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
            // `open` is an expectation only; the grammar keeps it out of facts.
            TestValue::Unknown | TestValue::Open => {
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

/// A literal of a test file as a node of an incident; amounts, durations and
/// dates keep the value the parser read.
fn literal_node(l: &Literal) -> NodeKind {
    match l {
        Literal::Bool(b) => NodeKind::Bool(*b),
        Literal::Number(n) => NodeKind::Number(*n),
        Literal::Text(s) => NodeKind::Text(s.clone()),
        Literal::Money(..) | Literal::Duration(_) | Literal::Date(..) => NodeKind::Literal(l.clone()),
    }
}
