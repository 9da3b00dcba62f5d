//! What a run may write. Before any case runs, the golden files of every
//! test file of the run are checked together: no golden file is an input of
//! the run (a file of norms, an incident, a test file), none is an existing
//! file that is not a golden file, and no two test files write one file.
//! A golden declaration that fails a check is an error (E0801) and writes
//! nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{golden, CaseKind, Plan, Problem};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::TestItem;

/// Why a golden declaration may not write one of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    /// The file is an input of the run, of this kind.
    Input(&'static str),
    /// The file exists and is not a golden file.
    NotGolden,
    /// Another test file's golden declaration writes it: (test file, golden).
    Collision(String, String),
}

/// A golden declaration refused, with the first file refused and how many.
struct Refused {
    plan: usize,
    item: usize,
    refusal: Refusal,
    first: PathBuf,
    count: usize,
}

/// Checks the golden files of the plans of one run together, before any
/// case runs; each declaration refused is reported once (with its first
/// file and how many more) and marked as broken.
pub(super) fn check(plans: &mut [Plan]) {
    let inputs = inputs(plans);
    let mut writers: HashMap<PathBuf, (usize, usize)> = HashMap::new();
    let mut refused: Vec<Refused> = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        if plan.file.is_none() {
            continue;
        }
        for job in plan.jobs.iter().filter(|j| j.kind == CaseKind::Golden) {
            let (Some(path), Some(norms)) = (&job.golden, &plan.norms[job.norms]) else { continue };
            if plan.broken[job.item] {
                continue;
            }
            let id = identity(path);
            let refusal = if let Some(kind) = inputs.get(&id) {
                Some(Refusal::Input(kind))
            } else if !writable_as_golden(path, &norms.program.name) {
                Some(Refusal::NotGolden)
            } else {
                match writers.get(&id) {
                    Some(&(q, item)) if q != p => {
                        let other = match plans[q].file.as_ref().map(|f| &f.items[item]) {
                            Some(TestItem::Golden(g)) => g.name.name.clone(),
                            _ => String::new(),
                        };
                        Some(Refusal::Collision(plans[q].path.clone(), other))
                    }
                    Some(_) => None,
                    None => {
                        writers.insert(id, (p, job.item));
                        None
                    }
                }
            };
            let Some(refusal) = refusal else { continue };
            match refused.iter_mut().find(|r| r.plan == p && r.item == job.item && r.refusal == refusal) {
                Some(r) => r.count += 1,
                None => refused.push(Refused { plan: p, item: job.item, refusal, first: path.clone(), count: 1 }),
            }
        }
    }
    let mut found: Vec<Vec<Diagnostic>> = vec![Vec::new(); plans.len()];
    for Refused { plan: p, item, refusal, first: path, count } in refused {
        let Some(TestItem::Golden(g)) = plans[p].file.as_ref().map(|f| &f.items[item]) else { continue };
        let span = g.into.as_ref().map_or(g.name.span, |i| i.span);
        let more = match count {
            1 => String::new(),
            2 => " (and 1 more file)".to_string(),
            n => format!(" (and {} more files)", n - 1),
        };
        let head = format!("`golden {}` would write `{}`{more}", g.name.name, path.display());
        let d = match refusal {
            Refusal::Input(kind) => Diagnostic::new(&codes::TEST_SHAPE, span, format!("{head}, which is {kind} of this run"))
                .label("would overwrite an input")
                .help("golden files never replace the files they are made from: choose another `into` directory"),
            Refusal::NotGolden => Diagnostic::new(&codes::TEST_SHAPE, span, format!("{head}, an existing file that is not a golden file"))
                .label("would overwrite a file opinio did not write")
                .help("opinio overwrites only its own golden files: move the file away, or choose another `into` directory"),
            Refusal::Collision(other_file, other) => {
                Diagnostic::new(&codes::TEST_SHAPE, span, format!("{head}, as `golden {other}` of `{other_file}` does"))
                    .label("writes another test file's golden file")
                    .help("give each golden its own `into` directory: one of the two would overwrite the other's files")
            }
        };
        plans[p].broken[item] = true;
        found[p].push(d);
    }
    for (plan, diagnostics) in plans.iter_mut().zip(found) {
        if !diagnostics.is_empty() {
            let sources = plan.sources.clone();
            plan.problems.push(Problem { diagnostics, sources });
        }
    }
}

/// The files the run reads, by identity, with what they are. (Modules that
/// the norms import are `.norm` files too, and a golden file never is one.)
fn inputs(plans: &[Plan]) -> HashMap<PathBuf, &'static str> {
    let mut out = HashMap::new();
    for plan in plans {
        out.entry(identity(Path::new(&plan.path))).or_insert("a test file");
        for path in plan.incidents.keys() {
            out.entry(identity(path)).or_insert("an incident file");
        }
        for name in &plan.norm_names {
            out.entry(identity(Path::new(name))).or_insert("a file of norms");
        }
    }
    out
}

/// Whether a golden file may be written: it does not exist yet, or it is a
/// golden file (see [`golden::is_golden`]). A file that cannot be read is
/// left to the case, which reports it.
fn writable_as_golden(path: &Path, norms: &str) -> bool {
    match std::fs::metadata(path) {
        Err(_) => true,
        Ok(m) if m.is_dir() => false,
        Ok(_) => match std::fs::read_to_string(path) {
            Ok(text) => golden::is_golden(&text, norms),
            Err(e) => e.kind() != std::io::ErrorKind::InvalidData,
        },
    }
}

/// A path as the file system resolves it, to tell two names of one file:
/// the canonical path of the file, or of its directory joined with its name,
/// or else the path made absolute.
fn identity(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => super::normalize(&std::env::current_dir().unwrap_or_default().join(path)),
    }
}
