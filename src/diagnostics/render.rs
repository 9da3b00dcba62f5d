//! Rendering diagnostics: human (miette), plain (one line each), or JSON.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap};

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// miette's report with source excerpts.
    Human {
        /// Whether to use colour.
        color: bool,
    },
    /// `file:line:col: error[CODE]: message`, with `help:` lines.
    Plain,
    /// One JSON object per line.
    Json,
}

/// Renders diagnostics in the chosen format.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, format: ErrorFormat) -> String {
    match format {
        ErrorFormat::Human { color } => diagnostics.iter().map(|d| human(d, sources, color)).collect(),
        ErrorFormat::Plain => diagnostics.iter().map(|d| plain(d, sources)).collect(),
        ErrorFormat::Json => diagnostics.iter().map(|d| json(d, sources) + "\n").collect(),
    }
}

/// One diagnostic as miette renders it.
pub fn human(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let report = Report::new(d, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        return plain(d, sources);
    }
    out.push('\n');
    out
}

/// One diagnostic on one line, with its help on the next.
pub fn plain(d: &Diagnostic, sources: &SourceMap) -> String {
    let file = sources.get(d.primary.span.file);
    let (line, col) = sources.line_col(d.primary.span.file, d.primary.span.start);
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{}:{line}:{col}: {severity}[{}]: {}\n", file.name, d.code.id, d.message);
    for label in &d.secondary {
        let (l, c) = sources.line_col(label.span.file, label.span.start);
        out.push_str(&format!("  note: {}:{l}:{c}: {}\n", sources.get(label.span.file).name, label.message));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    primary: JsonLabel<'a>,
    secondary: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
}

/// One diagnostic as a JSON object, on one line.
pub fn json(d: &Diagnostic, sources: &SourceMap) -> String {
    serde_json::to_string(&json_value(d, sources)).unwrap_or_default()
}

/// One diagnostic as a JSON value (the object [`json`] writes).
pub fn json_value(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let label = |l: &'_ crate::diagnostics::Label| {
        let (line, column) = sources.line_col(l.span.file, l.span.start);
        let (end_line, end_column) = sources.line_col(l.span.file, l.span.end);
        JsonLabel { file: &sources.get(l.span.file).name, line, column, end_line, end_column, message: "" }
    };
    let mut primary = label(&d.primary);
    primary.message = &d.primary.message;
    let secondary = d
        .secondary
        .iter()
        .map(|l| {
            let mut j = label(l);
            j.message = &l.message;
            j
        })
        .collect();
    let out = JsonDiagnostic {
        code: d.code.id,
        name: d.code.name,
        severity: d.severity,
        message: &d.message,
        primary,
        secondary,
        help: d.help.as_deref(),
    };
    serde_json::to_value(&out).unwrap_or_default()
}

/// A diagnostic with its source, in the shape miette renders.
struct Report<'a> {
    d: &'a Diagnostic,
    source: Excerpt<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(d: &'a Diagnostic, sources: &'a SourceMap) -> Self {
        let file = sources.get(d.primary.span.file);
        let source = Excerpt { file };
        let span = |s: crate::source::Span| {
            let (start, end) = clip(file, s.start as usize, s.end as usize);
            SourceSpan::new(start.into(), end - start)
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(d.primary.message.clone()), span(d.primary.span))];
        let mut notes = Vec::new();
        let primary_on_long_line = is_long(file, d.primary.span.start as usize);
        for l in &d.secondary {
            let long = primary_on_long_line || is_long(file, l.span.start as usize);
            if l.span.file == d.primary.span.file && !long {
                labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), span(l.span)));
            } else {
                let (line, col) = sources.line_col(l.span.file, l.span.start);
                notes.push(format!("note: {} at {}:{line}:{col}", l.message, sources.get(l.span.file).name));
            }
        }
        let help = match (&d.help, notes.is_empty()) {
            (Some(h), true) => Some(h.clone()),
            (h, _) => {
                let mut lines = notes;
                lines.extend(h.iter().cloned());
                (!lines.is_empty()).then(|| lines.join("\n"))
            }
        };
        Report { d, source, labels, related: Vec::new(), help }
    }

    fn is_related(&self) -> bool {
        self.labels.len() == 1 && self.related.is_empty() && self.labels[0].label().is_none_or(|l| l != self.d.primary.message)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_related() {
            write!(f, "note: see {}", self.labels[0].label().unwrap_or(""))
        } else {
            let severity = match self.d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            write!(f, "{severity}[{}]: {}", self.d.code.id, self.d.message)
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.is_related() {
            return None;
        }
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// Lines longer than this many bytes are shown as a window around the place
/// a diagnostic points at (a minified JSON incident is one line of megabytes).
const LONG_LINE: usize = 240;
/// Bytes of context shown on each side of a place on a long line.
const WINDOW: usize = 60;
/// The most bytes of a long line one label underlines.
const LABEL_MAX: usize = 80;

/// The start and end of the line holding `offset`.
fn line_bounds(file: &SourceFile, offset: usize) -> (usize, usize) {
    let range = file.line_range(file.line_of(offset.min(file.text.len())));
    (range.start, range.end)
}

fn is_long(file: &SourceFile, offset: usize) -> bool {
    let (start, end) = line_bounds(file, offset);
    end - start > LONG_LINE
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A label's byte range, on char boundaries; on a long line, or running into
/// one, cut to at most [`LABEL_MAX`] bytes of its first line.
fn clip(file: &SourceFile, start: usize, end: usize) -> (usize, usize) {
    let text = file.text.as_str();
    let start = floor_boundary(text, start);
    let end = ceil_boundary(text, end.max(start));
    let (_, line_end) = line_bounds(file, start);
    let (first, last) = (file.line_of(start), file.line_of(end));
    let runs_into_long = (first + 1..=last).any(|l| file.line_range(l).len() > LONG_LINE);
    if is_long(file, start) || runs_into_long {
        (start, floor_boundary(text, end.min(line_end).min(start + LABEL_MAX)).max(start))
    } else {
        (start, end)
    }
}

/// The source miette shows: the file's lines around a place, read through
/// the file's line index (so that a diagnostic costs the lines it shows, not
/// the whole file), except that a long line is cut to a window around the
/// place (miette pads to the column, and a column past 65,535 would overflow
/// its formatting).
struct Excerpt<'a> {
    file: &'a SourceFile,
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(&'b self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.file;
        let text = file.text.as_str();
        let contents = |from: usize, to: usize, line: usize, column: usize, lines: usize| -> Box<dyn SpanContents<'b> + 'b> {
            Box::new(MietteSpanContents::new_named(
                file.name.clone(),
                &text.as_bytes()[from..to],
                SourceSpan::new(from.into(), to - from),
                line,
                column,
                lines,
            ))
        };
        let start = floor_boundary(text, span.offset());
        let end = ceil_boundary(text, start + span.len()).max(start);
        let (line, last) = (file.line_of(start), file.line_of(end));
        let line_start = file.line_range(line).start;
        if before == 0 && after == 0 {
            // The place itself, for the `[file:line:column]` header; columns
            // count characters, as in the plain and JSON formats.
            let column = text[line_start..start].chars().count();
            return Ok(contents(start, end, line, column, last - line + 1));
        }
        let range = file.line_range(line);
        if range.len() > LONG_LINE {
            let from = floor_boundary(text, start.saturating_sub(WINDOW).max(range.start));
            let to = ceil_boundary(text, end.saturating_add(WINDOW).min(range.end)).max(from);
            return Ok(contents(from, to, line, text[range.start..from].len(), 1));
        }
        // Context lines, unless one of them is long: then the span's lines alone.
        let first = line.saturating_sub(before);
        let final_line = (last + after).min(file.line_count() - 1);
        let (first, final_line) =
            if (first..=final_line).any(|l| file.line_range(l).len() > LONG_LINE) { (line, last) } else { (first, final_line) };
        let from = file.line_range(first).start;
        // Through the last line's break, as miette reads its own sources.
        let to = if final_line + 1 < file.line_count() { file.line_range(final_line + 1).start } else { text.len() };
        // miette's own sources count, as the "line count", the line breaks
        // from the start of the file, and decide on it whether two labels
        // share one excerpt: count the same way, for the same layout.
        Ok(contents(from, to, first, 0, file.line_of(to)))
    }
}
