//! What a plan holds for its cases: each position compiled once with the
//! files its cases point into, the incident files named, and the jobs to run.
//! The planner fills these; the expectations, golden files and runner read them.

use std::collections::HashMap;
use std::path::PathBuf;

use super::CaseKind;
use crate::incident::Format;
use crate::ir::Program;
use crate::source::{FileId, SourceMap};
use crate::Compiled;

/// A position compiled for a suite, with the files its cases point into.
pub(super) struct Norms {
    pub(super) compiled: Compiled,
    pub(super) program: Program,
    /// The compiled sources, the test file and the incident files.
    pub(super) sources: SourceMap,
    /// The test file's id in `sources`.
    pub(super) test_file: FileId,
    /// Each incident file's id in `sources`, by path.
    pub(super) incidents: HashMap<PathBuf, FileId>,
}

/// An incident file named by the suite.
pub(super) struct IncidentFile {
    pub(super) display: String,
    pub(super) format: Format,
}

/// One case to run.
pub(super) struct Job {
    pub(super) kind: CaseKind,
    /// Index into the file's items.
    pub(super) item: usize,
    pub(super) norms: usize,
    /// `None` for a test's inline facts alone.
    pub(super) incident: Option<PathBuf>,
    /// The golden file a golden case compares or writes (`None` for a test,
    /// or when the norms do not compile or the file cannot be named).
    pub(super) golden: Option<PathBuf>,
}
