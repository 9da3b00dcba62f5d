//! `# lint allow NAME[, NAME]...: REASON`: a finding answered in the norms.
//!
//! A comment line (`#`; a `##` doc line is the declaration's documentation,
//! not an answer) whose text begins with the words `lint allow` names lints,
//! by name (`unread-fact`) or code (`W0903`), separated by commas or spaces,
//! then a colon and the reason. It answers the findings of those lints at
//! the line just below its block of comment lines (`#` and `##` lines, with
//! no blank line between): the line that names the declaration (`fact
//! NAME`, `replace rule NAME`, `set param NAME`, `remove rule NAME`). A
//! reason is required: an allow without one answers nothing and is itself a
//! finding (W0950), as is one naming something that is not a lint. A name
//! that answers no finding is reported too (W0951), so that an answer does
//! not outlive its finding. Strings cannot span lines, so every line whose
//! first character (after spaces) is `#` is a comment.

use std::collections::{BTreeSet, HashMap};

use super::{Answer, Finding};
use crate::diagnostics::codes::{self, Code};
use crate::diagnostics::{suggest, Diagnostic};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// One well-formed `# lint allow` comment.
struct Allow {
    /// The comment.
    span: Span,
    /// The 0-based line it stands above (the first line after its block of
    /// comment lines), unless a blank line or the end of the file follows.
    target: Option<usize>,
    /// The lints it names, each with whether it answered a finding.
    names: Vec<(&'static Code, bool)>,
    /// Why.
    reason: String,
}

/// `text` without the word `word` at its start (followed by a space, `:`,
/// `,` or nothing), or `None`.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(word)?;
    rest.chars().next().is_none_or(|c| c.is_whitespace() || c == ':' || c == ',').then_some(rest)
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The lint a name or code in an allow stands for; else why not.
fn lookup(name: &str) -> Result<&'static Code, String> {
    let found = codes::ALL.iter().copied().find(|c| c.name == name || c.id.eq_ignore_ascii_case(name));
    match found {
        Some(code) if codes::is_lint(code) => Ok(code),
        Some(code) => Err(format!("`{name}` is not a lint that a comment may answer (`{}` is `{}`)", code.id, code.name)),
        None => {
            let lints = codes::ALL.iter().filter(|c| codes::is_lint(c)).map(|c| c.name);
            let help = suggest::help_for(name, lints, || {
                let names: Vec<String> = codes::ALL.iter().filter(|c| codes::is_lint(c)).map(|c| format!("`{}`", c.name)).collect();
                format!("the lints are {}", names.join(", "))
            });
            Err(format!("`{name}` is not the name or code of a lint; {help}"))
        }
    }
}

/// The allow comments of a file; a malformed one is reported (W0950).
fn scan(id: FileId, file: &SourceFile, malformed: &mut Vec<Diagnostic>) -> Vec<Allow> {
    let mut out = Vec::new();
    let line_text = |l: usize| &file.text[file.line_range(l)];
    for line in 0..file.line_count() {
        let range = file.line_range(line);
        let text = &file.text[range.clone()];
        let trimmed = text.trim_start();
        if !trimmed.starts_with('#') || trimmed.starts_with("##") {
            continue;
        }
        let Some(rest) = strip_word(trimmed[1..].trim_start(), "lint").and_then(|r| strip_word(r.trim_start(), "allow")) else {
            continue;
        };
        let start = range.start + (text.len() - trimmed.len());
        let span = Span::new(id, start, range.start + text.trim_end().len());
        let (names_text, reason) = match rest.split_once(':') {
            Some((names, reason)) => (names, reason.trim()),
            None => (rest, ""),
        };
        let mut names = Vec::new();
        let mut problem = None;
        for name in names_text.split(|c: char| c == ',' || c.is_whitespace()).filter(|n| !n.is_empty()) {
            match lookup(name) {
                Ok(code) if names.iter().any(|(c, _)| *c == code) => {}
                Ok(code) => names.push((code, false)),
                Err(why) => {
                    problem.get_or_insert(why);
                }
            }
        }
        if names.is_empty() && problem.is_none() {
            problem = Some("the comment names no lint".to_string());
        }
        if reason.is_empty() && problem.is_none() {
            problem = Some("the comment gives no reason".to_string());
        }
        if let Some(why) = problem {
            malformed.push(
                Diagnostic::new(&codes::MALFORMED_ALLOW, span, format!("this `# lint allow` answers nothing: {why}"))
                    .label("not a valid answer")
                    .help("write `# lint allow NAME: REASON`, NAME a lint (such as `unread-fact`) and REASON why the finding is meant"),
            );
            continue;
        }
        let mut next = line + 1;
        while next < file.line_count() && is_comment(line_text(next)) {
            next += 1;
        }
        let target = (next < file.line_count() && !line_text(next).trim().is_empty()).then_some(next);
        out.push(Allow { span, target, names, reason: reason.to_string() });
    }
    out
}

/// Answers each finding with the allow comment above its line, if any;
/// adds the findings about the comments themselves (W0950, and W0951 in
/// the files that compiled).
pub(super) fn answer(
    sources: &SourceMap,
    linted: &[FileId],
    failed: &BTreeSet<FileId>,
    raw: Vec<crate::diagnostics::Diagnostic>,
) -> Vec<Finding> {
    let mut meta = Vec::new();
    let mut allows: HashMap<FileId, Vec<Allow>> = HashMap::new();
    for &file in linted.iter().filter(|f| !failed.contains(f)) {
        allows.insert(file, scan(file, sources.get(file), &mut meta));
    }
    let mut out: Vec<Finding> = raw
        .into_iter()
        .map(|d| {
            let span = d.primary.span;
            let line = sources.get(span.file).line_of(span.start as usize);
            let answer = allows.get_mut(&span.file).and_then(|list| {
                list.iter_mut().filter(|a| a.target == Some(line)).find_map(|a| {
                    let (_, used) = a.names.iter_mut().find(|(c, _)| *c == d.code)?;
                    *used = true;
                    Some(Answer { span: a.span, reason: a.reason.clone() })
                })
            });
            Finding { diagnostic: d, answer }
        })
        .collect();
    for &file in linted {
        for allow in allows.get(&file).into_iter().flatten() {
            let unused: Vec<String> = allow.names.iter().filter(|(_, used)| !used).map(|(c, _)| format!("`{}`", c.name)).collect();
            if unused.is_empty() {
                continue;
            }
            let (what, help) = match allow.target {
                Some(_) => (
                    format!("no {} finding at the line below", unused.join(" or ")),
                    "remove the name (or the comment) if the finding is gone; a comment answers the findings at the line just below its block of comment lines",
                ),
                None => (
                    "it stands above no declaration".to_string(),
                    "put the comment directly above the line that names the declaration, with no blank line between",
                ),
            };
            meta.push(
                Diagnostic::new(&codes::UNUSED_ALLOW, allow.span, format!("this `# lint allow` answers nothing: {what}"))
                    .label("answers no finding")
                    .help(help),
            );
        }
    }
    out.extend(meta.into_iter().map(|diagnostic| Finding { diagnostic, answer: None }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(text: &str) -> (Vec<Allow>, Vec<Diagnostic>) {
        let file = SourceFile::new("m.norm", text);
        let mut malformed = Vec::new();
        (scan(FileId(0), &file, &mut malformed), malformed)
    }

    #[test]
    fn names_and_codes_separated_by_commas_or_spaces() {
        let (found, bad) = allows("  # lint allow unread-fact, W0904 conclusion-without-rule: meant\nfact x: bool \"x\"\n");
        assert!(bad.is_empty());
        let names: Vec<&str> = found[0].names.iter().map(|(c, _)| c.name).collect();
        assert_eq!(names, ["unread-fact", "unread-parameter", "conclusion-without-rule"]);
        assert_eq!((found[0].target, found[0].reason.as_str()), (Some(1), "meant"));
    }

    #[test]
    fn doc_lines_and_other_comments_are_not_allows() {
        let (found, bad) = allows("## lint allow unread-fact: a doc line\n# linting: later\n# lint allowed\nfact x: bool \"x\"\n");
        assert!(found.is_empty() && bad.is_empty());
    }

    #[test]
    fn the_target_is_the_line_after_the_comment_block() {
        let (found, _) = allows("# lint allow unread-fact: meant\n## Its doc.\n# a note\nfact x: bool \"x\"\n\n# lint allow unread-fact: meant\n\nfact y: bool \"y\"\n");
        assert_eq!(found.iter().map(|a| a.target).collect::<Vec<_>>(), [Some(3), None]);
    }

    #[test]
    fn the_allow_comments_themselves_cannot_be_allowed() {
        let (found, bad) = allows("# lint allow unused-allow: no\nfact x: bool \"x\"\n");
        assert!(found.is_empty());
        assert_eq!(bad[0].code, &codes::MALFORMED_ALLOW);
        assert!(bad[0].message.contains("`unused-allow` is not a lint"), "{}", bad[0].message);
    }
}
