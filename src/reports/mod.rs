//! How values, rules, statuses and proofs are written: the wording every
//! report shares. Each command's output is made here, in one module each:
//! [`eval`], [`explain`], [`compare`] (and its page, [`html`], and its
//! tables, [`latex`]), [`test`], [`junit`], [`lint`], [`whatif`] and
//! [`show`]; the diagnostics are rendered in [`crate::diagnostics::render`].
//! The sources the norms cite are numbered and exported in [`bibliography`].
//!
//! Every report is deterministic: conclusions in declaration order, rules in
//! evaluation order, facts in slot order.

pub mod bibliography;
pub mod compare;
pub mod eval;
pub mod explain;
pub mod html;
pub mod junit;
pub mod latex;
pub mod lint;
pub mod show;
pub mod test;
pub mod whatif;

use serde_json::{json, Value as Json};

use crate::eval::Status;
use crate::ir::{ChangeKind, ConclusionId, DefeatKind, DeonticKind, Program, RuleForm, RuleId};
use crate::value::{civil_from_days, format_duration, NumberDisplay, Proof, Tri, Value};

/// The mark a result's value carries when it was not established or not
/// proven, as the outputs write it after the value: `not established` for a
/// conclusion decided by its burden of proof or a `false` resting on one,
/// `on a premise not established` for any other value resting on one, `not proven`
/// below a required standard.
pub fn status_mark(status: Status, is_false: bool) -> Option<&'static str> {
    match status {
        Status::BurdenNotMet => Some("not established"),
        Status::BelowStandard => Some("not proven"),
        Status::PremiseNotEstablished if is_false => Some("not established"),
        Status::PremiseNotEstablished => Some("on a premise not established"),
        _ => None,
    }
}

/// A result's value as the outputs write it: `open` for a conclusion a
/// question of law leaves open, else its value (`unknown` when unknown).
pub fn result_text(program: &Program, value: &Value, status: Status) -> String {
    if status == Status::Open {
        return "open".into();
    }
    value_text(program, value)
}

/// The questions that leave a result open, as one line: "`q` (by `uk`:
/// cites), `r` (by the base: cites)".
pub fn questions_text(program: &Program, questions: &[crate::ir::QuestionId]) -> String {
    questions
        .iter()
        .map(|&q| {
            let info = &program.questions[q];
            let by = if info.origin == "base" { "the base".to_string() } else { format!("position `{}`", info.origin) };
            let cites = if info.cites.is_empty() { String::new() } else { format!(", citing {}", info.cites.join("; ")) };
            let reading = info.reading.as_ref().map(|r| format!(", {} reading", r.kind.name())).unwrap_or_default();
            let what = match info.kind {
                crate::ir::QuestionKind::Conclusion => format!("`{}`", info.name),
                crate::ir::QuestionKind::Rule => format!("whether `{}` applies", info.name),
            };
            format!("{what} (by {by}{cites}{reading})")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A reading that a result rests on and that is marked arguable or
/// contested: the deciding rule's, or a change's the result rests on.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MarkedReading {
    /// `arguable` or `contested`.
    pub kind: crate::ir::ReadingKind,
    /// The note given with the mark, if any.
    pub note: Option<String>,
    /// What is marked, as a phrase: "`us` removes `x`", "rule `y`".
    pub what: String,
}

/// The marked readings a result rests on: the deciding rule's mark, and the
/// marks of the changes it is stated by, in that order, each once.
pub fn readings_of(program: &Program, c: ConclusionId, rule: Option<RuleId>) -> Vec<MarkedReading> {
    let mut out: Vec<MarkedReading> = Vec::new();
    if let Some(r) = rule {
        if let Some(reading) = &program.rules[r].reading {
            out.push(MarkedReading { kind: reading.kind, note: reading.note.clone(), what: rule_label(program, r) });
        }
    }
    for &i in &program.conclusions[c].stated_by {
        let change = &program.changes[i as usize];
        let Some(reading) = &change.reading else { continue };
        let what = format!("`{}` {}", change.position, change_text(change.kind, &change.target));
        // A rule the position added or replaced is the change itself.
        let same_rule = rule.is_some_and(|r| program.rules[r].name == change.target && program.rules[r].origin == change.position);
        if same_rule {
            continue;
        }
        // Changes marked alike (one note for several removals) are told once.
        match out
            .iter_mut()
            .find(|m| m.kind == reading.kind && m.note == reading.note && m.what.starts_with(&format!("`{}` ", change.position)))
        {
            Some(m) => m.what.push_str(&format!(", {}", change_text(change.kind, &change.target))),
            None => out.push(MarkedReading { kind: reading.kind, note: reading.note.clone(), what }),
        }
    }
    out
}

/// The strongest mark among readings: `contested` over `arguable`.
pub fn strongest_reading(readings: &[MarkedReading]) -> Option<crate::ir::ReadingKind> {
    readings.iter().map(|r| r.kind).max()
}

/// A marked reading as a line: "arguable reading: `us` removes `x` (note)".
pub fn reading_text(r: &MarkedReading) -> String {
    let note = r.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
    format!("{} reading: {}{note}", r.kind.name(), r.what)
}

/// The statement a change was made in, as a phrase: "in `wright_2018`
/// (2018-05-23)"; empty for an undated change.
pub fn statement_text(program: &Program, change: &crate::ir::ChangeInfo) -> String {
    match change.statement.and_then(|s| program.statements.get(s as usize)) {
        Some(s) => statement_phrase(&s.name, &s.date),
        None => String::new(),
    }
}

/// A statement as the phrase that follows a change: " in `wright_2018`
/// (2018-05-23)".
pub fn statement_phrase(name: &str, date: &str) -> String {
    format!(" in `{name}` ({date})")
}

/// A line wrapped at `width` columns (counted in characters), its leading
/// spaces kept, the lines after the first begun with `indent`; a word
/// longer than a line is cut at the width, so that no line is longer. Ends
/// with a newline.
pub fn wrap(line: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let body = line.trim_start_matches(' ');
    let mut current = line[..line.len() - body.len()].to_string();
    let mut len = current.chars().count();
    let indent_len = indent.chars().count();
    // Whether a word is on the current line yet.
    let mut begun = false;
    for word in body.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        if begun && len + 1 + word.len() > width {
            out.push_str(current.trim_end());
            out.push('\n');
            current = indent.to_string();
            len = indent_len;
        } else if begun {
            current.push(' ');
            len += 1;
        }
        // A word too long for any line is cut at the width.
        while len + word.len() > width && width > len {
            current.extend(word.drain(..width - len));
            out.push_str(&current);
            out.push('\n');
            current = indent.to_string();
            len = indent_len;
        }
        len += word.len();
        current.extend(word);
        begun = true;
    }
    out.push_str(current.trim_end());
    out.push('\n');
    out
}

/// The lines of a report's header on time: the day the positions are taken
/// as of, and their dated statements (those made later marked left out).
pub fn statements_header(program: &Program) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(day) = &program.as_of {
        out.push(format!("as of:    {day} (the positions as they stood then; statements made later are left out)"));
    }
    if !program.statements.is_empty() {
        let list: Vec<String> =
            program.statements.iter().map(|s| format!("`{}` {}{}", s.name, s.date, if s.applies { "" } else { ", left out" })).collect();
        out.push(format!("statements: {}", list.join("; ")));
    }
    out
}

/// A change as a phrase: "replaces `x`".
pub fn change_text(kind: ChangeKind, target: &str) -> String {
    match kind {
        ChangeKind::Replace => format!("replaces `{target}`"),
        ChangeKind::Remove => format!("removes `{target}`"),
        ChangeKind::Add => format!("adds `{target}`"),
        ChangeKind::SetParam => format!("sets the parameter `{target}`"),
        ChangeKind::SetStandard => format!("sets the standard of proof of `{target}`"),
        ChangeKind::SetBurden => format!("sets the burden of proof of `{target}`"),
        ChangeKind::Open => format!("leaves open whether `{target}` applies"),
    }
}

/// Where a result comes from, as one line of `eval` (`None` for a program
/// without positions): `stated: `us` removes `x`, sets the parameter `y``,
/// or `inherited: `us` is silent on it`.
pub fn provenance_text(program: &Program, c: ConclusionId) -> Option<String> {
    let stated = program.stated(c)?;
    if !stated {
        let names: Vec<String> = program.positions.iter().rev().map(|p| format!("`{}`", p.name)).collect();
        let verb = if names.len() == 1 { "is" } else { "are" };
        return Some(format!("inherited: {} {verb} silent on it", names.join(", ")));
    }
    let mut by: Vec<(&str, Vec<String>)> = Vec::new();
    for &i in &program.conclusions[c].stated_by {
        let change = &program.changes[i as usize];
        let phrase = change_text(change.kind, &change.target) + &statement_text(program, change);
        match by.iter_mut().find(|(p, _)| *p == change.position) {
            Some((_, phrases)) => phrases.push(phrase),
            None => by.push((&change.position, vec![phrase])),
        }
    }
    let parts: Vec<String> = by.into_iter().map(|(p, phrases)| format!("`{p}` {}", phrases.join(", "))).collect();
    Some(format!("stated: {}", parts.join("; ")))
}

/// Where a result comes from, as JSON: `null` for a program without
/// positions, else `{"stated": bool, "changes": [{"position", "change", "target"}]}`.
pub fn provenance_json(program: &Program, c: ConclusionId) -> Json {
    let Some(stated) = program.stated(c) else { return Json::Null };
    let changes: Vec<Json> = program.conclusions[c]
        .stated_by
        .iter()
        .map(|&i| {
            let change = &program.changes[i as usize];
            let statement = change.statement.and_then(|s| program.statements.get(s as usize)).map(|s| s.name.clone());
            json!({ "position": change.position, "change": change.kind, "target": change.target, "statement": statement })
        })
        .collect();
    json!({ "stated": stated, "changes": changes })
}

/// A proof level as JSON: a standard's name, `"law"`, or `null` when unstated.
pub fn proof_json(p: Proof) -> Json {
    p.name().map_or(Json::Null, |n| Json::String(n.into()))
}

/// How a rule is named in explanations: `rule `x``, `assessment `x``,
/// `tier 2 of `x``, `the breach of `x``.
pub fn rule_label(program: &Program, r: RuleId) -> String {
    let rule = &program.rules[r];
    match &rule.form {
        RuleForm::Rule => format!("rule `{}`", rule.name),
        RuleForm::Assessment => format!("assessment `{}`", rule.name),
        RuleForm::Tier { tiers, index: Some(i) } => format!("tier {i} of `{tiers}`"),
        RuleForm::Tier { tiers, index: None } => format!("the `otherwise` of `{tiers}`"),
        RuleForm::Breach { norm } => {
            let norm = &program.conclusions[norm];
            match norm.deontic.as_ref().map(|d| d.kind) {
                Some(DeonticKind::Prohibition) => format!("rule `{}` (the prohibition applies and is violated)", rule.name),
                _ => format!("rule `{}` (the obligation is owed and not met)", rule.name),
            }
        }
        RuleForm::Open => format!("the open question `{}`", rule.name),
    }
}

/// Several rules, named as in [`rule_label`], with plain rules grouped:
/// "rules `a`, `b`".
pub fn rule_labels(program: &Program, rules: &[RuleId]) -> String {
    let plain = rules.iter().all(|&r| program.rules[r].form == RuleForm::Rule);
    if plain && rules.len() > 1 {
        let names: Vec<String> = rules.iter().map(|&r| format!("`{}`", program.rules[r].name)).collect();
        return format!("rules {}", names.join(", "));
    }
    rules.iter().map(|&r| rule_label(program, r)).collect::<Vec<_>>().join(", ")
}

/// A defeating rule, named briefly: a plain rule by its name alone.
fn defeater_label(program: &Program, r: RuleId) -> String {
    match program.rules[r].form {
        RuleForm::Rule => format!("`{}`", program.rules[r].name),
        _ => rule_label(program, r),
    }
}

/// An exchange rate an incident gives, as a line: `1 GBP = 1.29 USD
/// (2017-12-31; source)`.
pub fn rate_text(rate: &crate::value::ExchangeRate) -> String {
    let date = rate.date.as_deref().map(|d| format!("{d}; ")).unwrap_or_default();
    format!("1 {} = {} {} ({date}{})", rate.from.as_str(), NumberDisplay(rate.rate), rate.to.as_str(), rate.source)
}

/// A fact changed on the command line, as a line: `deaths = 3 (--set)`,
/// `state_organ unknown (--unset)`.
pub fn changed_text(c: &crate::incident::Changed) -> String {
    match &c.value {
        Some(v) => format!("{} = {v} (--set)", c.fact),
        None => format!("{} unknown (--unset)", c.fact),
    }
}

/// The note on a fact (or record field) an incident gives that the norms
/// `norms` do not declare, and that was therefore ignored under them:
/// "fact `x` is not in the vocabulary of `france`; ignored".
pub fn ignored_note(name: &str, norms: &[&str]) -> String {
    let what = if name.contains('.') { "field" } else { "fact" };
    let norms: Vec<String> = norms.iter().map(|n| format!("`{n}`")).collect();
    format!("{what} `{name}` is not in the vocabulary of {}; ignored", norms.join(", "))
}

/// The standard a conclusion requires, by name.
pub fn required_standard(program: &Program, c: &crate::ir::ConclusionInfo) -> Option<String> {
    let s = c.standard.as_ref()?;
    let v = match &s.value {
        crate::ir::Expr::Const(v) => v.clone(),
        crate::ir::Expr::Param(p) => program.params[p].value.clone(),
        _ => Value::Unknown,
    };
    Some(value_text(program, &v))
}

fn deontic_text(k: DeonticKind) -> &'static str {
    match k {
        DeonticKind::Obligation => "obligation",
        DeonticKind::Permission => "permission",
        DeonticKind::Prohibition => "prohibition",
    }
}

/// Rounds a score for display (to 4 decimals), so that outputs stay stable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A value as the language writes it (`unknown` when unknown).
pub fn value_text(program: &Program, v: &Value) -> String {
    match v {
        Value::Unknown => "unknown".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => NumberDisplay(*n).to_string(),
        Value::Money(m) => format!("{} {}", NumberDisplay(m.amount), m.currency.as_str()),
        Value::Duration(d) => format_duration(*d),
        Value::Date(d) => civil_from_days(*d),
        Value::Text(t) => format!("{t:?}"),
        Value::Enum(e, i) => program.enums[e].values[*i as usize].clone(),
        Value::List(items) => format!("a list of {}", items.len()),
    }
}

/// A value as JSON (`null` when unknown).
pub fn value_json(program: &Program, v: &Value) -> Json {
    match v {
        Value::Unknown => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                json!(*n as i64)
            } else {
                json!(n)
            }
        }
        Value::Text(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(|e| Json::Array(e.iter().map(|v| value_json(program, v)).collect())).collect()),
        other => Json::String(value_text(program, other)),
    }
}

fn tri_text(t: Tri) -> &'static str {
    match t {
        Tri::True => "true",
        Tri::False => "false",
        Tri::Unknown => "unknown",
    }
}
