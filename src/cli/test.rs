//! `opinio test [PATH...]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use opinio::source::{SourceMap, Span};
use opinio::testing::{self, Options, Progress, SuiteReport};

use super::{Output, Usage};

/// Run the tests of test files (`*.test.norm`): expectations and golden files.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Test files, or directories searched for `*.test.norm` files (default: the `roots` of the project file `opinio.toml`, else the current directory).
    paths: Vec<String>,
    /// Write the new output of every golden file that differs or is missing (never deletes a file).
    #[arg(long)]
    bless: bool,
    /// Report which rules, exceptions and assessment factors the tests exercised, and which never fired.
    #[arg(long)]
    coverage: bool,
    /// Write a JUnit XML report to this file (replaced atomically).
    #[arg(long, value_name = "FILE")]
    junit: Option<String>,
    /// Run only the tests and goldens whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn tick(&self) {
        self.0.inc(1);
    }
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let project = match testing::Project::find() {
        Ok(project) => project,
        Err(problem) => {
            out.diagnostics(&problem.diagnostics, &problem.sources);
            return Ok(ExitCode::from(1));
        }
    };
    let paths: Vec<PathBuf> = match (&project, args.paths.is_empty()) {
        (_, false) => args.paths.iter().map(PathBuf::from).collect(),
        (Some(project), true) => project.roots.clone(),
        (None, true) => vec![PathBuf::from(".")],
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &paths {
        let p = path.display();
        let found = testing::find_in(path, project.as_ref()).map_err(|e| {
            Usage(if e.kind() == std::io::ErrorKind::NotFound {
                format!("no such file or directory: `{p}`")
            } else {
                format!("cannot read `{p}`: {e}")
            })
        })?;
        if found.is_empty() {
            let excluded = match &project {
                Some(project) if testing::find(path).is_ok_and(|all| !all.is_empty()) => {
                    format!(" that `{}` does not exclude", project.path.display())
                }
                _ => String::new(),
            };
            return Err(Usage(format!("no test file (`*.test.norm`) under `{p}`{excluded}")));
        }
        files.extend(found);
    }
    // A test file named twice (or under two paths named) runs once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    let options = Options { bless: args.bless, filter: args.filter.clone(), coverage: args.coverage, stdlib: out.stdlib.clone() };
    let plans = testing::plan_all(&files, &options);
    let total: usize = plans.iter().map(testing::Plan::len).sum();
    // A bar on a terminal for long runs; nothing when standard error is not one.
    let bar = if total >= 50 { ProgressBar::new(total as u64) } else { ProgressBar::hidden() };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} cases") {
        bar.set_style(style);
    }
    let progress = Bar(bar);
    let reports: Vec<SuiteReport> = plans.into_iter().map(|p| p.run(&options, &progress)).collect();
    progress.0.finish_and_clear();
    let mut text = String::new();
    for r in &reports {
        for p in &r.problems {
            out.diagnostics(&p.diagnostics, &p.sources);
        }
        text.push_str(&opinio::reports::test::suite_text(r));
    }
    if args.coverage {
        let mut all = testing::Coverage::default();
        for c in reports.iter().filter_map(|r| r.coverage.as_ref()) {
            all.merge(c);
        }
        text.push('\n');
        text.push_str(&all.text());
    }
    text.push('\n');
    text.push_str(&opinio::reports::test::summary_line(&reports));
    text.push('\n');
    super::emit(&text).map_err(|e| Usage(format!("cannot write the result: {e}")))?;
    let mut unwritten = false;
    if let Some(path) = &args.junit {
        if let Err(e) = opinio::io::write_atomically(Path::new(path), &opinio::reports::junit::junit(&reports)) {
            let mut sources = SourceMap::new();
            let file = sources.add(path.clone(), "");
            out.diagnostics(&[opinio::io::cannot_write(&format!("the JUnit report `{path}`"), &e, Span::new(file, 0, 0))], &sources);
            unwritten = true;
        }
    }
    let failed = unwritten || reports.iter().any(|r| r.failed() > 0 || r.has_errors());
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
