//! Rendering a comparison: JSON, Markdown and CSV, and the wording the other
//! renderings share (the HTML page is [`super::html`]; the terminal table
//! lives with the command line, which owns its table crate). All deterministic:
//! incidents in the order given, conclusions in declaration order, positions
//! in the order given.

use serde_json::json;

use super::bibliography::Bibliography;
use super::change_text;
use crate::compare::summary::STANCE_LEGEND;
use crate::compare::{Agreement, Cause, Cell, Comparison, IncidentComparison, Provenance};

/// The version of the `compare --format json` schema.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

/// A cause as a line: "france replaces `x` (France 2019, section 1.2), via armed_attack".
pub fn cause_text(c: &Cause) -> String {
    let mut s = format!("{} {}", c.position, change_text(c.change, &c.target));
    if c.declared_by != c.position {
        s.push_str(&format!(" (in the position it extends, {})", c.declared_by));
    }
    if !c.cites.is_empty() {
        s.push_str(&format!(" ({})", c.cites.join("; ")));
    }
    if c.via.len() > 1 {
        s.push_str(&format!(", through {}", c.via[1..].join(" <- ")));
    }
    s
}

/// A cell as short text: the value, and a marker for burden-decided,
/// not-proven and position-decided results.
pub fn cell_text(cell: Option<&Cell>) -> String {
    let Some(c) = cell else { return "-".into() };
    let mut s = c.result_text();
    // Stated by the position (a rule it added, replaced or removed, a
    // parameter, standard or burden it set, bears on it), or inherited.
    match c.provenance {
        Some(Provenance::Stated) => s.push('*'),
        Some(Provenance::Inherited) => s.push('~'),
        None => {}
    }
    // Resting on a reading marked arguable or contested.
    if c.reading.is_some() {
        s.push('?');
    }
    s
}

/// The legend of the marks `cell_text` writes, as one sentence.
pub const CELL_LEGEND: &str = "`*` marks a result the position states (a rule it adds, replaces or removes, or a parameter, standard or burden it sets, bears on it), `~` one it inherits from its base by silence, `?` one resting on a reading marked arguable or contested; `(not established)` a result that rests on a burden of proof not met or a standard not reached, `(burden)` one decided by its own burden.";

/// The agreement of a pair as a cell: the share of results agreed, and
/// in brackets the share agreed by silence.
pub fn agreement_text(g: &Agreement) -> String {
    if g.compared == 0 {
        return String::new();
    }
    format!("{}% ({}%)", g.same * 100 / g.compared, g.same_by_silence * 100 / g.compared)
}

/// The agreement of a pair on the contested conclusions alone.
pub fn contested_text(g: &Agreement) -> String {
    if g.contested_compared == 0 {
        return "-".into();
    }
    format!("{}%", g.contested_same * 100 / g.contested_compared)
}

/// The notes on the facts of an incident ignored under some positions, one
/// per fact: "fact `x` is not in the vocabulary of `a`, `b`; ignored".
pub fn ignored_notes(comparison: &Comparison, incident: &IncidentComparison) -> Vec<String> {
    incident.ignored_facts(&comparison.positions).into_iter().map(|(name, positions)| super::ignored_note(name, &positions)).collect()
}

/// The incident's title, as every report shows it: its name, and for an
/// incident whose facts were changed on the command line, the changes
/// ("NotPetya (changed: deaths = 12; physical_damage unknown)"), so that a
/// what-if is never taken for the incident as its file gives it.
pub fn incident_title(c: &IncidentComparison) -> String {
    if c.changed.is_empty() {
        return c.incident.clone();
    }
    let changes: Vec<String> = c
        .changed
        .iter()
        .map(|change| match &change.value {
            Some(v) => format!("{} = {v}", change.fact),
            None => format!("{} unknown", change.fact),
        })
        .collect();
    format!("{} (changed: {})", c.incident, changes.join("; "))
}

/// For a comparison whose incidents were changed on the command line, a
/// sentence saying so, with each change ("deaths = 12 (--set)"); `None`
/// when none was. The changes are the same for every incident.
pub fn changed_sentence(comparison: &Comparison) -> Option<String> {
    let changed = &comparison.incidents.iter().find(|c| !c.changed.is_empty())?.changed;
    let changes: Vec<String> = changed.iter().map(super::changed_text).collect();
    Some(format!(
        "What if: every incident is taken with facts changed on the command line, {}; the results are not those of the incidents as their files give them",
        changes.join(", ")
    ))
}

/// The whole comparison as one JSON object (schema in docs/compare-json.md).
pub fn json(comparison: &Comparison) -> serde_json::Value {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    json!({
        "schema_version": COMPARE_SCHEMA_VERSION,
        "positions": positions,
        "titles": comparison.titles,
        "incidents": comparisons.iter().map(|c| {
            let mut incident = json!({
                "incident": c.incident,
                "file": c.file,
                "meta": c.meta,
                "facts": c.facts,
            });
            let ignored: serde_json::Map<_, _> = positions
                .iter()
                .zip(&c.ignored)
                .filter(|(_, names)| !names.is_empty())
                .map(|(p, names)| (p.clone(), json!(names)))
                .collect();
            if !ignored.is_empty() {
                incident["ignored"] = serde_json::Value::Object(ignored);
            }
            if !c.changed.is_empty() {
                incident["changed"] = json!(c.changed);
            }
            incident["rows"] = c.rows.iter().map(|r| json!({
                "conclusion": r.conclusion,
                "description": r.description,
                "divergent": r.divergent,
                "cells": positions.iter().zip(&r.cells).map(|(p, cell)| (p.clone(), serde_json::to_value(cell).unwrap_or_default())).collect::<serde_json::Map<_, _>>(),
                "causes": r.causes,
            })).collect::<Vec<_>>().into();
            incident
        }).collect::<Vec<_>>(),
        "agreement": comparison.agreement,
        "summary": crate::compare::summary::summary(comparison),
    })
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The comparison as Markdown: the legend; what divides the positions
/// (questions by positions, then each question's camps); the agreement on
/// contested questions, with the closest positions; per incident, its date,
/// summary and sources, the table and each change that causes a divergence,
/// once, with the conclusions it reaches; last, the bibliography every
/// citation refers to.
pub fn markdown(comparison: &Comparison) -> String {
    let c = comparison;
    let bibliography = bibliography(c);
    let refs = |cites: &[String]| -> String {
        cites.iter().filter_map(|cite| bibliography.reference(cite)).map(|r| r.to_string()).collect::<Vec<_>>().join("; ")
    };
    let titles: Vec<&str> = (0..c.positions.len()).map(|i| c.title(i)).collect();
    let mut out = String::from("# Comparison of positions\n\n");
    out.push_str(&format!(
        "Made by Opinio {}: {} positions, {} incidents. Positions: {}.\n\n",
        env!("CARGO_PKG_VERSION"),
        c.positions.len(),
        c.incidents.len(),
        (0..c.positions.len()).map(|i| format!("{} (`{}`)", md_cell(titles[i]), c.positions[i])).collect::<Vec<_>>().join(", ")
    ));
    out.push_str(&format!("**How to read the tables.** {STANCE_LEGEND} {CELL_LEGEND} Numbers in brackets refer to the bibliography.\n"));
    if let Some(sentence) = changed_sentence(c) {
        out.push_str(&format!("\n**{}.**\n", md_cell(&sentence).replace('*', "\\*")));
    }
    let summary = crate::compare::summary::summary(c);
    out.push_str("\n## What divides the positions\n\n");
    if summary.questions.is_empty() {
        out.push_str("The positions give the same results on every conclusion shown, on every incident.\n");
    } else {
        out.push_str(&format!(
            "| question | incidents | {} |\n|---|---|{}\n",
            titles.iter().map(|t| md_cell(t)).collect::<Vec<_>>().join(" | "),
            "---|".repeat(titles.len())
        ));
        for q in &summary.questions {
            let stances: Vec<String> = q.stances.iter().map(|s| s.as_ref().map_or_else(|| "-".to_string(), |s| s.text(q))).collect();
            out.push_str(&format!("| `{}` | {} | {} |\n", q.conclusion, q.incidents.len(), stances.join(" | ")));
        }
        out.push_str("\nThe camps on each question:\n\n");
        for q in &summary.questions {
            out.push_str(&format!("- `{}`: {}\n", q.conclusion, md_cell(&q.description)));
            for camp in &q.camps {
                let who: Vec<&str> = camp.positions.iter().map(|&p| titles[p]).collect();
                out.push_str(&format!("  - **{}** ({}): {}\n", camp.letter, md_cell(&who.join(", ")), md_cell(&camp_results(c, q, camp))));
            }
        }
    }
    if c.positions.len() > 1 {
        out.push_str("\n## Agreement on contested questions\n\nThe share of results on which two positions agree over the contested conclusions (those some compared position states), on every incident; in brackets, the share of those agreed by silence (neither says anything that bears on them).\n\n");
        for (a, ranking) in closest(c).iter().enumerate() {
            let list: Vec<String> = ranking.iter().map(|(b, g)| format!("{} {}", md_cell(titles[*b]), contested_share(g))).collect();
            out.push_str(&format!("- **Closest to {}:** {}\n", md_cell(titles[a]), list.join(", ")));
        }
    }
    for inc in &c.incidents {
        out.push_str(&format!("\n## {}\n\n", md_cell(&incident_title(inc))));
        let date = inc.meta.date.as_deref().map(|d| format!("{d}. ")).unwrap_or_default();
        out.push_str(&format!("{date}File `{}`.\n", inc.file));
        if let Some(summary) = &inc.meta.summary {
            out.push_str(&format!("\n{}\n", md_cell(summary)));
        }
        if !inc.meta.sources.is_empty() {
            out.push_str("\nSources of the incident file:\n\n");
            for s in &inc.meta.sources {
                out.push_str(&format!("- {}\n", md_cell(s)));
            }
        }
        let notes = ignored_notes(c, inc);
        if !notes.is_empty() {
            out.push('\n');
        }
        for note in &notes {
            out.push_str(&format!("Note: {note}.\n"));
        }
        out.push_str(&format!(
            "\n| conclusion | {} |\n|---|{}\n",
            titles.iter().map(|t| md_cell(t)).collect::<Vec<_>>().join(" | "),
            "---|".repeat(titles.len())
        ));
        for r in &inc.rows {
            let name = if r.divergent { format!("**`{}`**", r.conclusion) } else { format!("`{}`", r.conclusion) };
            let cells: Vec<String> = r.cells.iter().map(|cell| md_cell(&cell_text(cell.as_ref()))).collect();
            out.push_str(&format!("| {name} | {} |\n", cells.join(" | ")));
        }
        let grouped = inc.grouped_causes();
        let unexplained: Vec<_> = inc.rows.iter().filter(|r| r.divergent && r.causes.is_empty()).collect();
        if !grouped.is_empty() || !unexplained.is_empty() {
            out.push_str("\nWhere they part ways, and why:\n\n");
            for g in &grouped {
                out.push_str(&format!("- {}\n", md_cell(&grouped_cause_text(c, g, &refs(&g.cause.cites)))));
            }
            for r in unexplained {
                out.push_str(&format!("- `{}`: no change of the positions bears on it directly\n", r.conclusion));
            }
        }
    }
    out.push_str("\n## Bibliography\n\n");
    for entry in bibliography.entries() {
        out.push_str(&format!("{}. {}\n", entry.number, md_cell(&entry.text)));
    }
    out
}

/// Every citation of the changes and deciding rules the divergent results
/// rest on, numbered in the order the reports first cite them: by incident,
/// row by row, the cells' then the causes'.
pub fn bibliography(comparison: &Comparison) -> Bibliography {
    Bibliography::of(divergent_cites(comparison))
}

/// The citations the divergent results rest on, in the order the reports
/// first cite them: by incident, row by row, the deciding rules' of the
/// cells, then the causes'.
pub fn divergent_cites(comparison: &Comparison) -> Vec<&str> {
    let mut cites: Vec<&str> = Vec::new();
    for inc in &comparison.incidents {
        for row in inc.rows.iter().filter(|r| r.divergent) {
            for cell in row.cells.iter().flatten() {
                cites.extend(cell.cites.iter().map(String::as_str));
            }
            for cause in &row.causes {
                cites.extend(cause.cites.iter().map(String::as_str));
            }
        }
    }
    cites
}

/// A change that causes divergences on an incident, as a line: who makes
/// it, what it is, its references (`refs`), and the conclusions it reaches
/// with the position's result on each: "France replaces
/// `scale_and_effects_armed_attack` [3], section 1.2; it reaches
/// `armed_attack` (false (not established)*)".
pub fn grouped_cause_text(comparison: &Comparison, g: &crate::compare::GroupedCause<'_>, refs: &str) -> String {
    let cause = g.cause;
    let p = comparison.positions.iter().position(|n| *n == cause.position);
    let who = p.map_or(cause.position.as_str(), |p| comparison.title(p));
    let mut s = format!("{who} {}", change_text(cause.change, &cause.target));
    if cause.declared_by != cause.position {
        s.push_str(&format!(" (in the position it extends, `{}`)", cause.declared_by));
    }
    if !refs.is_empty() {
        s.push_str(&format!(" {refs}"));
    }
    let reaches: Vec<String> = g
        .rows
        .iter()
        .map(|row| {
            let value = p
                .and_then(|p| row.cells.get(p))
                .and_then(Option::as_ref)
                .map(|cell| format!(" ({})", cell_text(Some(cell))))
                .unwrap_or_default();
            format!("`{}`{value}", row.conclusion)
        })
        .collect();
    s.push_str(&format!("; it reaches {}", reaches.join(", ")));
    s
}

/// A camp's results on a question's incidents, grouped by result: "true on
/// NotPetya, Stuxnet; false on Sony".
pub fn camp_results(comparison: &Comparison, q: &crate::compare::summary::Question, camp: &crate::compare::summary::Camp) -> String {
    let mut by_result: indexmap::IndexMap<&str, Vec<&str>> = indexmap::IndexMap::new();
    for (k, r) in camp.results.iter().enumerate() {
        if let Some(inc) = q.incidents.get(k).and_then(|&i| comparison.incidents.get(i)) {
            by_result.entry(r.as_str()).or_default().push(inc.incident.as_str());
        }
    }
    by_result.iter().map(|(r, incidents)| format!("{r} on {}", incidents.join(", "))).collect::<Vec<_>>().join("; ")
}

/// For each position (in the order of the columns), the others that share
/// contested conclusions with it, closest first (of equal agreement, by
/// title), with their agreement.
pub fn closest(comparison: &Comparison) -> Vec<Vec<(usize, &Agreement)>> {
    let n = comparison.positions.len();
    (0..n)
        .map(|a| {
            let mut others: Vec<(usize, &Agreement)> = (0..n)
                .filter(|&b| b != a)
                .filter_map(|b| comparison.agreement_between(a, b).map(|g| (b, g)))
                .filter(|(_, g)| g.contested_compared > 0)
                .collect();
            others.sort_by(|(x, g), (y, h)| {
                (h.contested_same * g.contested_compared)
                    .cmp(&(g.contested_same * h.contested_compared))
                    .then_with(|| comparison.title(*x).cmp(comparison.title(*y)))
            });
            others
        })
        .collect()
}

/// The contested agreement of a pair: "95% (40%)": the share agreed, and of
/// it the share agreed by silence; `-` when they share no contested result.
pub fn contested_share(g: &Agreement) -> String {
    if g.contested_compared == 0 {
        return "-".into();
    }
    format!("{}% ({}%)", g.contested_same * 100 / g.contested_compared, g.contested_same_by_silence * 100 / g.contested_compared)
}

/// The comparison as CSV: one row per position x incident x conclusion. An
/// incident changed on the command line is named with its changes
/// ([`incident_title`]).
pub fn csv(comparison: &Comparison) -> Result<String, String> {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header =
        ["incident", "file", "position", "conclusion", "value", "status", "rule", "origin", "proof", "provenance", "reading", "divergent"];
    w.write_record(header).map_err(|e| e.to_string())?;
    for c in comparisons {
        let title = incident_title(c);
        for r in &c.rows {
            for (p, cell) in positions.iter().zip(&r.cells) {
                let Some(cell) = cell else { continue };
                let divergent = if r.divergent { "true" } else { "false" };
                w.write_record([
                    title.as_str(),
                    c.file.as_str(),
                    p.as_str(),
                    r.conclusion.as_str(),
                    cell.text.as_str(),
                    cell.status.name(),
                    cell.rule.as_deref().unwrap_or(""),
                    cell.origin.as_deref().unwrap_or(""),
                    cell.proof.as_deref().unwrap_or(""),
                    match cell.provenance {
                        Some(Provenance::Stated) => "stated",
                        Some(Provenance::Inherited) => "inherited",
                        None => "",
                    },
                    cell.reading.map_or("", crate::ir::ReadingKind::name),
                    divergent,
                ])
                .map_err(|e| e.to_string())?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
