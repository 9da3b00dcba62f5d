//! The parts every declaration of a test file needs, whatever the norms.

use std::collections::HashMap;

use super::GoldenOutput;
use crate::diagnostics::codes;
use crate::diagnostics::suggest;
use crate::diagnostics::Diagnostic;
use crate::eval::Status;
use crate::source::Span;
use crate::syntax::ast::{GoldenDecl, Ident, TestDecl, TestFile, TestItem};
use crate::value::ProofStandard;

/// The parts every declaration needs, whatever the norms. Returns, per
/// item, whether it lacks one.
pub(super) fn check_declarations(file: &TestFile, out: &mut Vec<Diagnostic>) -> Vec<bool> {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut broken = Vec::new();
    for item in &file.items {
        let before = out.len();
        let (name, span) = match item {
            TestItem::Test(t) => (&t.name, t.span),
            TestItem::Golden(g) => (&g.name, g.span),
        };
        if let Some(first) = seen.insert(&name.name, name.span) {
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, name.span, format!("`{}` is declared twice in this file", name.name))
                    .label("declared again here")
                    .also(first, "first declared here")
                    .help("give each test and golden its own name: failures are reported by name"),
            );
        }
        let head = Span { end: name.span.end, ..span };
        let positions = match item {
            TestItem::Test(t) => &t.positions,
            TestItem::Golden(g) => &g.positions,
        };
        if positions.is_empty() && file.suite.positions.is_empty() {
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, head, format!("`{}` names no norms to run", name.name))
                    .label("no `position`")
                    .help("add `position \"FILE.norm\"` here, or to the `suite` as the default of the file"),
            );
        }
        match item {
            TestItem::Test(t) => check_test(t, file, head, out),
            TestItem::Golden(g) => check_golden(g, file, head, out),
        }
        broken.push(out.len() > before);
    }
    broken
}

fn check_test(t: &TestDecl, file: &TestFile, head: Span, out: &mut Vec<Diagnostic>) {
    if t.incidents.is_empty() && t.facts.is_empty() && file.suite.incidents.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the test `{}` names no incident and gives no facts", t.name.name))
                .label("no `incident` or `facts`")
                .help("add `incident \"FILE.toml\"`, or `facts` with the facts the test stipulates"),
        );
    }
    if t.expectations.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the test `{}` expects nothing", t.name.name))
                .label("no `expect`")
                .help("add `expect conclusion = value`: a test without expectations would always pass"),
        );
    }
    for e in &t.expectations {
        if let Some(s) = &e.status {
            if Status::named(&s.name).is_none() {
                let help = suggest::help_for(&s.name, Status::ALL.iter().map(|s| s.name()), || {
                    format!("a status is one of {}", Status::ALL.iter().map(|s| format!("`{}`", s.name())).collect::<Vec<_>>().join(", "))
                });
                out.push(
                    Diagnostic::new(&codes::TEST_SHAPE, s.span, format!("unknown status `{}`", s.name)).label("no such status").help(help),
                );
            }
        }
        if let Some(p) = &e.proof {
            standard_named(p, out);
        }
    }
    for g in &t.facts {
        if let Some(p) = &g.proof {
            standard_named(p, out);
        }
    }
}

fn standard_named(p: &Ident, out: &mut Vec<Diagnostic>) -> Option<ProofStandard> {
    let found = ProofStandard::parse(&p.name);
    if found.is_none() {
        let names = ProofStandard::ALL.iter().map(|(_, n)| *n);
        let help = suggest::help_for(&p.name, names, || "name a standard of proof, such as `preponderance`".into());
        out.push(
            Diagnostic::new(&codes::NOT_A_STANDARD, p.span, format!("`{}` is not a standard of proof", p.name))
                .label("not a standard")
                .help(help),
        );
    }
    found
}

fn check_golden(g: &GoldenDecl, file: &TestFile, head: Span, out: &mut Vec<Diagnostic>) {
    if g.incidents.is_empty() && file.suite.incidents.is_empty() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the golden `{}` names no incident", g.name.name))
                .label("no `incident`")
                .help("add `incident \"DIR\"` (a directory of incidents, or files)"),
        );
    }
    if let Some(into) = &g.into {
        if let Some(why) = super::golden::into_problem(&into.text) {
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, into.span, why)
                    .label("outside the test file's directory")
                    .help("golden files live below the test file's directory: name a relative directory such as `golden`"),
            );
        }
    }
    if g.into.is_none() {
        out.push(
            Diagnostic::new(&codes::TEST_SHAPE, head, format!("the golden `{}` does not say where its files are", g.name.name))
                .label("no `into`")
                .help("add `into \"DIR\"`: the directory, relative to this file, that holds the golden files"),
        );
    }
    if let Some(o) = &g.output {
        if GoldenOutput::parse(&o.name).is_none() {
            let help = suggest::help_for(&o.name, GoldenOutput::NAMES, || "an output is `eval`, `explain` or `json`".into());
            out.push(
                Diagnostic::new(&codes::TEST_SHAPE, o.span, format!("unknown output `{}`", o.name)).label("no such output").help(help),
            );
        }
    }
}
