//! The text of a test run: one line per suite, each failure in full, and the
//! summary line.

use crate::testing::{CaseResult, Failure, SuiteReport};

/// One suite's report: its line, then each failure in full. Problems
/// (diagnostics) are rendered by the caller, which knows their format.
pub fn suite_text(report: &SuiteReport) -> String {
    let mut out = String::new();
    let written = report.cases.iter().filter(|c| matches!(c.result, CaseResult::Written { .. })).count();
    let suite = if report.name.is_empty() { String::new() } else { format!(" (suite {})", report.name) };
    let not_run = report.could_not_run();
    let mut line = format!("{}{suite}: {} passed, {} failed", report.path, report.passed(), report.failed() - not_run);
    if not_run > 0 {
        line.push_str(&format!(", {not_run} could not run"));
    }
    if written > 0 {
        line.push_str(&format!(", {written} golden files written"));
    }
    out.push_str(&line);
    out.push('\n');
    for case in &report.cases {
        match &case.result {
            CaseResult::Passed => {}
            CaseResult::Written { file, created } => {
                out.push_str(&format!("  {} {file}\n", if *created { "created" } else { "updated" }));
            }
            CaseResult::Failed(failures) => {
                out.push_str(&format!("\nFAIL {}\n", case.title()));
                for f in failures {
                    out.push_str(&failure_text(f));
                }
            }
            CaseResult::Changed { file, diff, conclusions } => {
                out.push_str(&format!("\nFAIL {}: the golden file changed\n", case.title()));
                out.push_str(&format!("  golden file: {file}\n"));
                if !conclusions.is_empty() {
                    out.push_str("  changed conclusions:\n");
                    for c in conclusions {
                        out.push_str(&format!("    {c}\n"));
                    }
                }
                out.push_str("  diff:\n");
                for l in diff.lines() {
                    out.push_str(&format!("    {l}\n"));
                }
                out.push_str("  run `opinio test --bless` to accept the new output\n");
            }
            CaseResult::Error(_) => {}
        }
    }
    // Cases that could not run, after the failures, briefly: their
    // problems are reported as diagnostics.
    let errors: Vec<_> =
        report.cases.iter().filter_map(|c| if let CaseResult::Error(why) = &c.result { Some((c, why)) } else { None }).collect();
    if !errors.is_empty() {
        let cases = if errors.len() == 1 { "case" } else { "cases" };
        out.push_str(&format!("\n{} {cases} could not run (see the errors reported):\n", errors.len()));
        const SHOWN: usize = 10;
        for (case, why) in errors.iter().take(SHOWN) {
            out.push_str(&format!("  {}: {why}\n", case.title()));
        }
        if errors.len() > SHOWN {
            out.push_str(&format!("  ... and {} more\n", errors.len() - SHOWN));
        }
    }
    out
}

/// One failed expectation: where, expected, got, and the derivation.
pub fn failure_text(f: &Failure) -> String {
    let mut out = format!("  at {}\n    expected: {}\n    got:      {}\n    derivation:\n", f.at, f.expected, f.got);
    for l in f.derivation.lines() {
        if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("      {l}\n"));
        }
    }
    out
}

/// `N passed, N failed` over every suite, then, when there are any, the
/// cases that could not run, the golden files blessing wrote, and the errors
/// reported: everything that makes a run fail is counted.
pub fn summary_line(reports: &[SuiteReport]) -> String {
    let passed: usize = reports.iter().map(SuiteReport::passed).sum();
    let not_run: usize = reports.iter().map(SuiteReport::could_not_run).sum();
    let failed = reports.iter().map(SuiteReport::failed).sum::<usize>() - not_run;
    let written: usize = reports.iter().flat_map(|r| &r.cases).filter(|c| matches!(c.result, CaseResult::Written { .. })).count();
    let errors: usize = reports.iter().map(SuiteReport::errors).sum();
    let files = reports.iter().filter(|r| r.has_errors()).count();
    let mut s = format!("{passed} passed, {failed} failed");
    if not_run > 0 {
        s.push_str(&format!(", {not_run} could not run"));
    }
    if written > 0 {
        s.push_str(&format!(", {written} golden files written"));
    }
    if errors > 0 {
        let (errors, files) = (plural(errors, "error", "errors"), plural(files, "test file", "test files"));
        s.push_str(&format!(", {errors} in {files}"));
    }
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
