//! The output of `opinio lint`: the summary line, and the JSON document of
//! findings (`docs/lint-json.md`). The findings themselves are diagnostics,
//! rendered in [`crate::diagnostics::render`].

use serde_json::{json, Value as Json};

use crate::diagnostics::render;
use crate::lint::Report;

/// The version of the JSON document's schema.
pub const SCHEMA_VERSION: u32 = 1;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line: files linted, findings, how many are answered and
/// whether they were shown (`all`), files that do not compile.
pub fn summary_text(report: &Report, all: bool) -> String {
    let mut line = format!("linted {}: ", plural(report.files.len(), "file", "files"));
    let (found, answered, unanswered) = (report.findings.len(), report.answered(), report.unanswered());
    if found == 0 {
        line.push_str("no findings");
    } else {
        line.push_str(&plural(found, "finding", "findings"));
        if answered > 0 {
            line.push_str(&format!(", {answered} answered{}", if all { "" } else { " (shown with --all)" }));
        }
        line.push_str(&format!(", {unanswered} unanswered"));
    }
    if !report.problems.is_empty() {
        line.push_str(&format!(", {}", plural(report.problems.len(), "error", "errors")));
    }
    line.push('\n');
    line
}

/// The JSON document: the files linted, every finding (answered or not,
/// each with its answer), the errors of files that do not compile, and the
/// counts.
pub fn lint_json(report: &Report) -> Json {
    let sources = &report.sources;
    let findings: Vec<Json> = report
        .findings
        .iter()
        .map(|f| {
            let mut v = render::json_value(&f.diagnostic, sources);
            let answer = f.answer.as_ref().map_or(Json::Null, |a| {
                let (line, column) = sources.line_col(a.span.file, a.span.start);
                json!({ "reason": a.reason, "file": sources.get(a.span.file).name, "line": line, "column": column })
            });
            if let Some(object) = v.as_object_mut() {
                object.insert("answer".into(), answer);
            }
            v
        })
        .collect();
    let problems: Vec<Json> = report.problems.iter().map(|d| render::json_value(d, sources)).collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "files": report.files,
        "findings": findings,
        "problems": problems,
        "summary": {
            "files": report.files.len(),
            "findings": report.findings.len(),
            "answered": report.answered(),
            "unanswered": report.unanswered(),
            "problems": report.problems.len(),
        },
    })
}
