//! Diagnostics are data.
//!
//! Every phase returns a list of [`Diagnostic`]s and keeps going after the
//! first one. Rendering (human through miette, plain, or JSON) is chosen at
//! the edge, in [`render`]. Each has a stable code from [`codes`]; [`suggest`]
//! proposes a known name for a misspelt one.

pub mod codes;
pub mod render;
pub mod suggest;

use serde::Serialize;

use crate::source::Span;
use codes::Code;
pub use codes::Severity;

/// A span with a short text, shown under the source line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there (lower-case, no final period).
    pub message: String,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code, from [`crate::diagnostics::codes`].
    pub code: &'static Code,
    /// Error or warning; taken from the code.
    pub severity: Severity,
    /// One sentence, lower-case, user input in backticks, no final period.
    pub message: String,
    /// The exact place of the problem.
    pub primary: Label,
    /// Other places that explain it (the first declaration of a duplicate, ...).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `code` at `span`.
    pub fn new(code: &'static Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            primary: Label { span, message: String::from("here") },
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Sets the text of the primary label.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops compilation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by place, then code, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (a.primary.span, a.code.id, &a.message).cmp(&(b.primary.span, b.code.id, &b.message)));
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
