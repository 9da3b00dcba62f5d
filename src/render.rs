//! Rendering diagnostics: human (miette), plain (one line each), or JSON.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

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

/// One diagnostic as a JSON object.
pub fn json(d: &Diagnostic, sources: &SourceMap) -> String {
    let label = |l: &'_ crate::diagnostic::Label| {
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
    serde_json::to_string(&out).unwrap_or_default()
}

/// A diagnostic with its source, in the shape miette renders.
struct Report<'a> {
    d: &'a Diagnostic,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(d: &'a Diagnostic, sources: &SourceMap) -> Self {
        let file = sources.get(d.primary.span.file);
        let source = Excerpt { name: file.name.clone(), text: file.text.clone() };
        let text = file.text.as_str();
        let span = |s: crate::source::Span| {
            let (start, end) = clip(text, s.start as usize, s.end as usize);
            SourceSpan::new(start.into(), end - start)
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(d.primary.message.clone()), span(d.primary.span))];
        let mut notes = Vec::new();
        let primary_on_long_line = is_long(text, d.primary.span.start as usize);
        for l in &d.secondary {
            let long = primary_on_long_line || is_long(text, l.span.start as usize);
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
fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, end)
}

fn is_long(text: &str, offset: usize) -> bool {
    let (start, end) = line_bounds(text, offset);
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
fn clip(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = floor_boundary(text, start);
    let end = ceil_boundary(text, end.max(start));
    let (_, line_end) = line_bounds(text, start);
    let runs_into_long = end > line_end && text[line_end..end].split('\n').any(|l| l.len() > LONG_LINE);
    if is_long(text, start) || runs_into_long {
        (start, floor_boundary(text, end.min(line_end).min(start + LABEL_MAX)).max(start))
    } else {
        (start, end)
    }
}

/// The source miette shows: the file's text, except that a long line is cut
/// to a window around the place shown (miette pads to the column, and a
/// column past 65,535 would overflow its formatting).
struct Excerpt {
    name: String,
    text: String,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let named = |c: Box<dyn SpanContents<'a> + 'a>| -> Box<dyn SpanContents<'a> + 'a> {
            Box::new(MietteSpanContents::new_named(self.name.clone(), c.data(), *c.span(), c.line(), c.column(), c.line_count()))
        };
        let start = floor_boundary(text, span.offset());
        let (line_start, line_end) = line_bounds(text, start);
        let line = text[..line_start].matches('\n').count();
        if before == 0 && after == 0 {
            // The place itself, for the `[file:line:column]` header; columns
            // count characters, as in the plain and JSON formats.
            let end = ceil_boundary(text, start + span.len()).max(start);
            let column = text[line_start..start].chars().count();
            let line_count = text[start..end].matches('\n').count() + 1;
            let data = &text.as_bytes()[start..end];
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                data,
                SourceSpan::new(start.into(), end - start),
                line,
                column,
                line_count,
            )));
        }
        if line_end - line_start > LONG_LINE {
            let from = floor_boundary(text, start.saturating_sub(WINDOW).max(line_start));
            let to = ceil_boundary(text, (start + span.len()).max(start).saturating_add(WINDOW).min(line_end));
            let column = text[line_start..from].len();
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                &text.as_bytes()[from..to],
                SourceSpan::new(from.into(), to - from),
                line,
                column,
                1,
            )));
        }
        let contents = text.as_bytes().read_span(span, before, after)?;
        let shown = String::from_utf8_lossy(contents.data());
        if shown.split('\n').all(|l| l.len() <= LONG_LINE) {
            return Ok(named(contents));
        }
        // A context line is long: show only the lines of the span.
        let end = ceil_boundary(text, start + span.len());
        let (_, last_end) = line_bounds(text, end);
        let line_count = text[line_start..last_end].matches('\n').count() + 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[line_start..last_end],
            SourceSpan::new(line_start.into(), last_end - line_start),
            line,
            0,
            line_count,
        )))
    }
}
