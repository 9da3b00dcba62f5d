//! Golden files: the whole evaluation of a position on an incident, kept in
//! a file and compared on every run.

use std::path::{Path, PathBuf};

use super::norms::Norms;
use super::{in_file, CaseResult};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::eval::Outcome;
use crate::incident::Incident;
use crate::syntax::ast::GoldenDecl;

/// What a golden file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldenOutput {
    /// The text of `opinio eval`.
    Eval,
    /// The text of `opinio explain --full`.
    Explain,
    /// The JSON of `opinio eval --format json`.
    Json,
}

impl GoldenOutput {
    /// The names an `output` clause takes.
    pub const NAMES: [&'static str; 3] = ["eval", "explain", "json"];

    /// The output of this name.
    pub fn parse(name: &str) -> Option<GoldenOutput> {
        match name {
            "eval" => Some(GoldenOutput::Eval),
            "explain" => Some(GoldenOutput::Explain),
            "json" => Some(GoldenOutput::Json),
            _ => None,
        }
    }

    fn of(g: &GoldenDecl) -> GoldenOutput {
        g.output.as_ref().and_then(|o| GoldenOutput::parse(&o.name)).unwrap_or(GoldenOutput::Eval)
    }

    fn extension(self) -> &'static str {
        match self {
            GoldenOutput::Json => "json",
            _ => "txt",
        }
    }

    /// The output for one evaluation.
    pub fn render(self, program: &crate::ir::Program, incident: &Incident, outcome: &Outcome) -> String {
        match self {
            GoldenOutput::Eval => crate::reports::eval::eval_text(program, incident, outcome),
            GoldenOutput::Explain => {
                crate::reports::explain::text(&crate::reports::explain::explain(program, incident, outcome, &[], true))
            }
            GoldenOutput::Json => {
                let json = crate::reports::eval::eval_json(program, incident, outcome);
                serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
            }
        }
    }
}

/// The golden file of a position on an incident:
/// `DIR/<into>/<position>/<incident file stem>.<txt|json>`, or why there is
/// none: a position or incident name that would not be one plain file name
/// (`..`, `.`, a separator) would put the file elsewhere.
pub(super) fn path(dir: &Path, g: &GoldenDecl, position: &str, incident: &Path) -> Result<PathBuf, String> {
    let into = g.into.as_ref().map_or("golden", |i| i.text.as_str());
    if let Some(why) = into_problem(into) {
        return Err(why);
    }
    if !plain_name(position) {
        return Err(format!("the position name `{position}` cannot name a directory of golden files"));
    }
    let stem = incident.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let file = format!("{stem}.{}", GoldenOutput::of(g).extension());
    if stem.is_empty() || !plain_name(&file) {
        return Err(format!("the incident file name `{}` cannot name a golden file", incident.display()));
    }
    Ok(super::normalize(&dir.join(into).join(position).join(file)))
}

/// Why an `into` directory is refused: golden files stay below the test
/// file's directory, so an absolute path, or one that climbs out with `..`,
/// is refused.
pub(super) fn into_problem(into: &str) -> Option<String> {
    use std::path::Component;
    let mut depth = 0usize;
    for c in Path::new(into).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                return Some(format!("`into \"{into}\"` is an absolute path, outside the test file's directory"))
            }
            Component::ParentDir if depth == 0 => {
                return Some(format!("`into \"{into}\"` leaves the test file's directory"));
            }
            Component::ParentDir => depth -= 1,
            Component::CurDir => {}
            Component::Normal(_) => depth += 1,
        }
    }
    None
}

/// Whether a name is one plain file name: not empty, not `.` or `..`, with
/// no separator.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Whether an existing file is one that a golden declaration could have
/// written for these norms, of any output: the text of `eval` (`norms:
/// ...`), of `explain` (`<norms> on ...`), or the JSON of `eval` (an object
/// with `norms` and `conclusions`). An empty file is taken as one (it holds
/// nothing to lose). Anything else is never overwritten.
pub(super) fn is_golden(text: &str, norms: &str) -> bool {
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if text.trim().is_empty() || first.starts_with("norms:") || first.starts_with(&format!("{norms} on ")) {
        return true;
    }
    matches!(serde_json::from_str::<serde_json::Value>(text), Ok(serde_json::Value::Object(m)) if m.contains_key("norms") && m.contains_key("conclusions"))
}

/// Compares (or, blessing, writes) one golden file. An error comes with
/// the reason the case could not run, for the summary.
pub(super) fn check(
    file: &Path,
    g: &GoldenDecl,
    norms: &Norms,
    incident: &Incident,
    outcome: &Outcome,
    bless: bool,
) -> Result<CaseResult, (Diagnostic, &'static str)> {
    let shown = file.display().to_string();
    let output = GoldenOutput::of(g);
    let new = output.render(&norms.program, incident, outcome);
    let span = in_file(g.into.as_ref().map_or(g.name.span, |i| i.span), norms.test_file);
    let old = match std::fs::read_to_string(file) {
        // Line endings are not part of an output: a golden file checked out
        // with CRLF (git's `core.autocrlf`) is the same file.
        Ok(old) => Some(if old.contains("\r\n") { old.replace("\r\n", "\n") } else { old }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            let d = Diagnostic::new(&codes::UNREADABLE, span, format!("cannot read the golden file `{shown}`: {e}"))
                .label("in this golden directory")
                .help("golden files are UTF-8 text; restore it from version control, or remove it and run `opinio test --bless`");
            return Err((d, "the golden file is unreadable"));
        }
    };
    match (old, bless) {
        (Some(old), _) if old == new => Ok(CaseResult::Passed),
        (old, true) => {
            let created = old.is_none();
            write(file, &new).map_err(|e| {
                (crate::io::cannot_write(&format!("the golden file `{shown}`"), &e, span), "the golden file could not be written")
            })?;
            Ok(CaseResult::Written { file: shown, created })
        }
        (Some(old), false) => Ok(CaseResult::Changed {
            diff: diff(&old, &new, &shown),
            conclusions: if output == GoldenOutput::Json {
                changed_in_json(&old, &new)
            } else {
                changed_conclusions(&norms.program, &old, &new)
            },
            file: shown,
        }),
        (None, false) => Err((
            Diagnostic::new(
                &codes::MISSING_GOLDEN,
                span,
                format!("no golden file `{shown}` for `{}` on `{}`", norms.program.name, incident.meta.name),
            )
            .label("in this golden directory")
            .help("run `opinio test --bless` to write it, then review and commit it"),
            "the golden file is missing",
        )),
    }
}

fn write(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::io::write_atomically(file, text)
}

/// A unified diff from the golden file to the new output.
fn diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new).unified_diff().context_radius(2).header(name, "new output").to_string()
}

/// The conclusions whose paragraph differs between two texts of `eval` (or
/// `explain`): each paragraph begins with the conclusion's name.
fn changed_conclusions(program: &crate::ir::Program, old: &str, new: &str) -> Vec<String> {
    let (old, new) = (paragraphs(program, old), paragraphs(program, new));
    let mut out = Vec::new();
    for c in &program.conclusions {
        let (a, b) = (old.iter().find(|p| p.0 == c.name), new.iter().find(|p| p.0 == c.name));
        match (a, b) {
            (Some(a), Some(b)) if a.2 == b.2 => {}
            (Some(a), Some(b)) => {
                let (ra, rb) = (reason(a.2), reason(b.2));
                let why = if ra == rb { String::new() } else { format!(" ({} -> {})", ra, rb) };
                if a.1 == b.1 {
                    out.push(format!("{}: derivation changed{why}", c.name));
                } else {
                    out.push(format!("{}: {} -> {}{why}", c.name, a.1, b.1));
                }
            }
            (None, Some(b)) => out.push(format!("{}: new, {}", c.name, b.1)),
            (Some(a), None) => out.push(format!("{}: no longer shown (was {})", c.name, a.1)),
            (None, None) => {}
        }
    }
    for a in &old {
        if program.conclusion_named(&a.0).is_none() {
            out.push(format!("{}: no longer a conclusion (was {})", a.0, a.1));
        }
    }
    out
}

/// Why a paragraph's conclusion has its value, in a few words: its first
/// line after the header that is not a description, without citations
/// (`by rule `x``, `no rule applies`, `not established: burden on `v``).
fn reason(paragraph: &str) -> String {
    let line = paragraph.lines().skip(1).map(str::trim).find(|l| !l.starts_with('(')).unwrap_or("");
    let cut = [" (", " [", ", because"].iter().filter_map(|m| line.find(m)).min().unwrap_or(line.len());
    line[..cut].trim_end_matches(':').to_string()
}

/// The conclusions whose entry differs between two outputs of
/// `eval --format json` (nothing when the old file is not such JSON).
fn changed_in_json(old: &str, new: &str) -> Vec<String> {
    let conclusions = |text: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        match serde_json::from_str::<serde_json::Value>(text).ok()?.get("conclusions")? {
            serde_json::Value::Object(m) => Some(m.clone()),
            _ => None,
        }
    };
    let (Some(old), Some(new)) = (conclusions(old), conclusions(new)) else { return Vec::new() };
    let value = |v: &serde_json::Value| match v.get("value") {
        None | Some(serde_json::Value::Null) => "unknown".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(x) => x.to_string(),
    };
    let mut out = Vec::new();
    for (name, b) in &new {
        match old.get(name) {
            Some(a) if a == b => {}
            Some(a) if value(a) != value(b) => out.push(format!("{name}: {} -> {}", value(a), value(b))),
            Some(_) => out.push(format!("{name}: derivation changed")),
            None => out.push(format!("{name}: new, {}", value(b))),
        }
    }
    for (name, a) in &old {
        if !new.contains_key(name) {
            out.push(format!("{name}: no longer a conclusion (was {})", value(a)));
        }
    }
    out
}

/// (conclusion, value, whole paragraph) for each paragraph that begins with
/// `name = value` (eval) or `name: value` / `name = value` (explain).
fn paragraphs<'t>(program: &crate::ir::Program, text: &'t str) -> Vec<(String, String, &'t str)> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let Some(first) = para.lines().next() else { continue };
        let Some((name, rest)) = first.split_once(" = ") else { continue };
        let name = name.trim();
        if name.contains(' ')
            || (program.conclusion_named(name).is_none() && !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
        {
            continue;
        }
        // eval: `name = value  (obligation ...)`; explain: `name = value, established ...`.
        let value = rest.split("  ").next().unwrap_or(rest).split(", ").next().unwrap_or(rest).trim().to_string();
        out.push((name.to_string(), value, para));
    }
    out
}

/// A file in a golden directory that no golden declaration produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Leftover {
    /// A file of another name (a renamed incident or position, or anything else).
    NotProduced,
    /// A temporary file of an interrupted `--bless` (`.NAME.opinio-PID.tmp`).
    Temporary,
}

/// Files under a golden directory that are not among those produced, and
/// temporary files left by an interrupted run. Other hidden files are
/// ignored; symbolic links to directories are not followed.
pub(super) fn stale(dir: &Path, produced: &[PathBuf]) -> Vec<(PathBuf, Leftover)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(p);
            } else if kind.is_symlink() && p.is_dir() {
                // Not followed: a link to `..` would be a loop.
            } else if crate::io::is_temporary(&name) {
                out.push((p, Leftover::Temporary));
            } else if !produced.contains(&p) && !name.starts_with('.') {
                out.push((p, Leftover::NotProduced));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::{changed_in_json, into_problem, is_golden, reason};

    #[test]
    fn a_paragraphs_reason_is_its_deciding_line_without_citations() {
        assert_eq!(reason("armed_attack = true\n  by rule `x` [base] (ARSIWA art. 4)\n  proof: law"), "by rule `x`");
        assert_eq!(
            reason("a = false\n  not established: burden on `v` (ICJ)\n  undetermined: rule `r` may apply"),
            "not established: burden on `v`"
        );
        assert_eq!(
            reason("a = false, established\n  (A description.)\n  It follows from rule `r` (X), because:"),
            "It follows from rule `r`"
        );
    }

    #[test]
    fn json_goldens_name_the_conclusions_that_changed() {
        let old = r#"{"conclusions": {"a": {"value": true, "rule": "r"}, "b": {"value": null}, "gone": {"value": false}}}"#;
        let new = r#"{"conclusions": {"a": {"value": true, "rule": "s"}, "b": {"value": "high"}, "c": {"value": false}}}"#;
        assert_eq!(
            changed_in_json(old, new),
            ["a: derivation changed", "b: unknown -> high", "c: new, false", "gone: no longer a conclusion (was false)"]
        );
        assert!(changed_in_json("not json", new).is_empty());
    }

    #[test]
    fn into_stays_below_the_test_files_directory() {
        assert_eq!(into_problem("golden"), None);
        assert_eq!(into_problem("."), None);
        assert_eq!(into_problem("a/../golden"), None);
        assert!(into_problem("/tmp/x").is_some());
        assert!(into_problem("..").is_some());
        assert!(into_problem("a/../../x").is_some());
    }

    #[test]
    fn golden_files_are_recognised_by_their_first_line_or_their_json() {
        assert!(is_golden("norms:    france\r\nposition: france -> stdlib\r\n", "france"));
        assert!(is_golden("france on Stuxnet\n\na = true\n", "france"));
        assert!(is_golden("{\"schema_version\": 2, \"norms\": \"x\", \"conclusions\": {}}", "x"));
        assert!(is_golden("", "x"));
        assert!(!is_golden("{\"incident\": {}, \"facts\": {}}", "incidents"));
        assert!(!is_golden("my notes\n", "france"));
    }
}
