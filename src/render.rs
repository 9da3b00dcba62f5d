//! Rendering diagnostics: human (miette), plain (one line each), or JSON.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
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
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(d: &'a Diagnostic, sources: &SourceMap) -> Self {
        let file = sources.get(d.primary.span.file);
        let source = NamedSource::new(file.name.clone(), file.text.clone());
        let span = |s: crate::source::Span| SourceSpan::new((s.start as usize).into(), (s.end - s.start) as usize);
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(d.primary.message.clone()), span(d.primary.span))];
        let mut notes = Vec::new();
        for l in &d.secondary {
            if l.span.file == d.primary.span.file {
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
