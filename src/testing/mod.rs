//! `opinio test`: the tests of a test file (`*.test.norm`), run.
//!
//! In: a test file's path. Out: a [`SuiteReport`]: every problem found in the
//! file, in the norms or in the incidents it names (as diagnostics with their
//! sources), and one [`CaseReport`] per test x position x incident and per
//! golden file. Nothing is written unless blessing is asked for, and then
//! only golden files the suite produces, each atomically, below the test
//! file's directory, never over an input of the run or a file that is not a
//! golden file.
//!
//! A run has two steps: [`plan`] reads the file, resolves its paths, checks
//! its declarations and compiles every position once; [`Plan::run`] evaluates
//! the cases, in parallel.

mod coverage;
mod declarations;
mod expect;
mod golden;
mod norms;
mod plan;
mod project;
mod run;
mod writes;

use std::path::{Path, PathBuf};

use crate::diagnostics::{has_errors, Diagnostic};
use crate::source::{FileId, SourceMap, Span};

pub use coverage::Coverage;
pub use golden::GoldenOutput;
pub use plan::{plan, plan_all, Plan};
pub use project::{Project, FILE_NAME as PROJECT_FILE};

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write the new outputs of golden declarations instead of comparing.
    pub bless: bool,
    /// Run only the tests and goldens whose name contains this text.
    pub filter: Option<String>,
    /// Gather which rules, exceptions and factors the run exercised.
    pub coverage: bool,
    /// The directory the standard library is read from first, if any.
    pub stdlib: Option<crate::io::StdlibDir>,
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

    /// The number of cases that did not pass: they failed, or could not run.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// The number of cases that could not run (their problems are among
    /// the suite's problems).
    pub fn could_not_run(&self) -> usize {
        self.cases.iter().filter(|c| matches!(c.result, CaseResult::Error(_))).count()
    }

    /// The number of errors reported (diagnostics, not warnings).
    pub fn errors(&self) -> usize {
        self.problems.iter().flat_map(|p| &p.diagnostics).filter(|d| d.is_error()).count()
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
/// file below a directory (skipping hidden directories and `target`, and
/// not following links to directories), sorted.
pub fn find(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    find_in(path, None)
}

/// The test files under a path, as [`find`] gives them, less those the
/// project file excludes from a search (a file named itself is kept).
pub fn find_in(path: &Path, project: Option<&Project>) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return std::fs::metadata(path).map(|_| vec![path.to_path_buf()]);
    }
    let found = crate::io::files_under(path, |name| name.ends_with(".test.norm"))?;
    Ok(found.iter().filter(|f| !project.is_some_and(|p| p.excludes(f))).map(|f| normalize(f)).collect())
}

pub(crate) use crate::source::normalize;

/// A span of the test file, moved to its id in another source map.
pub(crate) fn in_file(span: Span, file: FileId) -> Span {
    Span { file, ..span }
}
