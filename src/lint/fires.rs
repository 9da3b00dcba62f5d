//! Lints that need a search over incidents (`crate::questions`): a rule no
//! incident makes apply (W0907), and an exception that never applies while
//! the rule it defeats would (W0906).
//!
//! Each is reported only when proved: the search walks every incident of
//! the finite abstraction without finding one. A search that stops at its
//! budget reports nothing (the rule may apply on some incident not tried).

use super::{allow_help, Sink, Unit};
use crate::diagnostics::{codes, Diagnostic};
use crate::ir::{DefeatKind, RuleForm, RuleId};
use crate::questions::{can_apply, domain::Space};

/// How many partial incidents each question may take.
const BUDGET: u64 = 20_000;

/// W0907 and W0906 for the rules declared in the files linted.
pub(super) fn rules_that_never_apply(unit: &Unit, sink: &mut Sink) {
    let program = &unit.program;
    let mut space: Option<Space> = None;
    for (i, rule) in program.rules.iter().enumerate() {
        let r = RuleId::new(i);
        // The breach of a norm is derived, and an `open` question is a
        // reading, not a ground: neither "applies" as a rule does.
        if matches!(rule.form, RuleForm::Breach { .. } | RuleForm::Open) {
            continue;
        }
        let decl = &unit.checked.resolved.rules[r];
        if !sink.is_linted(&unit.sources, decl.decl.name.span) {
            continue;
        }
        let space = space.get_or_insert_with(|| Space::of(&[program]));
        let span = sink.span(&unit.sources, decl.decl.name.span);
        let keyword = decl.form.keyword();
        if can_apply(program, space, r, None, BUDGET) == Some(false) {
            sink.push(
                Diagnostic::new(&codes::RULE_NEVER_APPLIES, span, format!("no incident makes the {keyword} `{}` apply", rule.name))
                    .label("never applies")
                    .help(format!(
                        "its conditions never hold, or a rule that defeats it applies whenever they do (every incident of the finite \
                         abstraction was tried: docs/questions.md); if that is meant, answer it with {}",
                        allow_help(&codes::RULE_NEVER_APPLIES)
                    )),
            );
            continue;
        }
        // An exception (or a rule that prevails) that never applies while
        // the conditions of a rule it defeats hold.
        let defeated: Vec<RuleId> = program
            .rules
            .iter()
            .enumerate()
            .filter(|(_, other)| {
                other.defeaters.iter().any(|d| d.rule == r && matches!(d.kind, DefeatKind::Exception | DefeatKind::Priority))
            })
            .map(|(j, _)| RuleId::new(j))
            .collect();
        for x in defeated {
            if can_apply(program, space, r, Some(x), BUDGET) == Some(false) {
                sink.push(
                    Diagnostic::new(
                        &codes::EXCEPTION_NEVER_APPLIES,
                        span,
                        format!(
                            "`{}` never applies while the conditions of `{}`, which it defeats, hold",
                            rule.name, program.rules[x].name
                        ),
                    )
                    .label("never defeats it")
                    .help(format!(
                        "no incident of the finite abstraction makes both hold (docs/questions.md): the exception changes nothing; \
                         if that is meant, answer it with {}",
                        allow_help(&codes::EXCEPTION_NEVER_APPLIES)
                    )),
                );
            }
        }
    }
}
