//! Rendering a comparison: JSON, Markdown and CSV. (The terminal table lives
//! with the command line, which owns its table crate.) All deterministic:
//! incidents in the order given, conclusions in declaration order, positions
//! in the order given.

use serde_json::json;

use super::change_text;
use crate::compare::{Agreement, Cause, Cell, Comparison, IncidentComparison, Provenance};
use crate::eval::Status;

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
    let mut s = c.text.clone();
    match c.status {
        Status::BurdenNotMet => s.push_str(" (burden)"),
        Status::BelowStandard => s.push_str(" (not proven)"),
        Status::StandardUnstated => s.push_str(" (standard unstated)"),
        // A result resting on what was not established is not a finding.
        Status::PremiseNotEstablished if c.text == "false" => s.push_str(" (not established)"),
        Status::PremiseNotEstablished => s.push_str(" (premise not established)"),
        Status::Applied | Status::NoRuleApplies | Status::Undetermined | Status::Open => {}
    }
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

/// The comparison as Markdown: per incident, the table and its divergences;
/// then the agreement between each pair of positions.
pub fn markdown(comparison: &Comparison) -> String {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    let mut out = String::from("# Comparison of positions\n\n");
    out.push_str(&format!("Positions: {}. {CELL_LEGEND}\n", positions.join(", ")));
    if let Some(sentence) = changed_sentence(comparison) {
        out.push_str(&format!("\n**{}.**\n", md_cell(&sentence)));
    }
    for c in comparisons {
        out.push_str(&format!("\n## {} (`{}`)\n\n", md_cell(&incident_title(c)), c.file));
        let notes = ignored_notes(comparison, c);
        for note in &notes {
            out.push_str(&format!("Note: {note}.\n"));
        }
        if !notes.is_empty() {
            out.push('\n');
        }
        out.push_str("| conclusion |");
        for p in positions {
            out.push_str(&format!(" {p} |"));
        }
        out.push_str(&format!("\n|---|{}\n", "---|".repeat(positions.len())));
        for r in &c.rows {
            let name = if r.divergent { format!("**{}**", r.conclusion) } else { r.conclusion.clone() };
            out.push_str(&format!("| {name} |"));
            for cell in &r.cells {
                out.push_str(&format!(" {} |", md_cell(&cell_text(cell.as_ref()))));
            }
            out.push('\n');
        }
        let divergent: Vec<_> = c.rows.iter().filter(|r| r.divergent).collect();
        if !divergent.is_empty() {
            out.push_str("\nWhere they part ways:\n\n");
            for r in divergent {
                out.push_str(&format!("- **{}**:", r.conclusion));
                if r.causes.is_empty() {
                    out.push_str(" no change of the positions bears on it directly\n");
                } else {
                    out.push('\n');
                    for cause in &r.causes {
                        out.push_str(&format!("  - {}\n", md_cell(&cause_text(cause))));
                    }
                }
            }
        }
    }
    out.push_str("\n## Agreement between positions\n\nSame results, of the results both have; of those, agreed by silence (neither position says anything that bears on them) and stated; and on the contested conclusions alone (those some compared position states).\n\n| positions | same result | of results | by silence | stated | contested: same | of results |\n|---|---|---|---|---|---|---|\n");
    for a in &comparison.agreement {
        out.push_str(&format!(
            "| {} / {} | {} | {} | {} | {} | {} | {} |\n",
            a.positions[0], a.positions[1], a.same, a.compared, a.same_by_silence, a.same_stated, a.contested_same, a.contested_compared
        ));
    }
    out
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

/// A matrix of the pairs of positions as an HTML table, each cell's title
/// and text given by `cell` (an empty cell where it gives none).
fn agreement_html(comparison: &Comparison, cell: impl Fn(&Agreement) -> Option<(String, String)>) -> String {
    let positions = &comparison.positions;
    let mut out = String::from("<table class=\"agreement\">\n<thead><tr><th></th>");
    for p in positions {
        out.push_str(&format!("<th>{}</th>", esc(p)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for a in positions {
        out.push_str(&format!("<tr><th>{}</th>", esc(a)));
        for b in positions {
            let pair = comparison
                .agreement
                .iter()
                .find(|g| (&g.positions[0] == a && &g.positions[1] == b) || (&g.positions[0] == b && &g.positions[1] == a));
            match pair.and_then(&cell) {
                Some((title, text)) => out.push_str(&format!("<td title=\"{}\">{}</td>", esc(&title), esc(&text))),
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;line-height:1.4}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}\
thead th{background:#f2f2f2;position:sticky;top:0}tr.divergent th{background:#fff3cd}td.divergent{background:#fff3cd}\
td.differs{background:#ffd6a5;font-weight:600}details summary{cursor:pointer}\
.explanation{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.8rem;max-width:48rem;background:#fafafa;border:1px solid #ddd;padding:.5rem;margin-top:.25rem}\
.legend,.file,.note{color:#555;font-size:.9rem}ul.causes li{margin:.2rem 0}nav li{margin:.1rem 0}\
@media print{body{margin:0;font-size:9pt}table{font-size:6.5pt}th,td{padding:1px 3px}.explanation{display:none}}";

/// The style of the sentence that marks a what-if (incidents changed on the
/// command line), added only then: a report of the files' own incidents is
/// as it was before `--set`.
const CHANGED_STYLE: &str = ".changed{background:#fde2e2;border-left:4px solid #c0392b;padding:.4rem .6rem;font-weight:600}";

/// With `#selftest` in the address, opens the first divergent cell by a click
/// and records what the browser rendered (rows, whether the explanation
/// shows), for the browser test. Otherwise the page needs no script.
const SCRIPT: &str = "(function(){\
function report(){var rows=document.querySelectorAll('table.matrix tbody tr').length;\
var cell=document.querySelector('td.divergent details')||document.querySelector('table.matrix details');\
var opened='no';if(cell){cell.querySelector('summary').click();var e=cell.querySelector('.explanation');\
if(cell.open&&e&&e.offsetHeight>0){opened='yes'}}\
var p=document.createElement('p');p.id='selftest';p.textContent='selftest: rows '+rows+', opened: '+opened+\
(cell?', explanation: '+cell.querySelector('.explanation').textContent.split('\\n')[0]:'');document.body.appendChild(p)}\
if(location.hash==='#selftest'){report()}})();";

/// The comparison as a self-contained HTML page: for each incident the
/// matrix, divergent rows and the cells that differ highlighted, each cell
/// opening its explanation; the causes of each divergence; and the agreement
/// between each pair of positions. No network access, no external assets.
pub fn html(comparison: &Comparison) -> String {
    let positions = &comparison.positions;
    let mut out = String::from("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let (what_if, changed_style) = if changed_sentence(comparison).is_some() { (" (what if)", CHANGED_STYLE) } else { ("", "") };
    out.push_str(&format!(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Opinio: comparison of positions{what_if}</title>\n",
    ));
    out.push_str(&format!("<style>{STYLE}{changed_style}</style>\n</head>\n<body>\n<h1>Comparison of positions</h1>\n"));
    out.push_str(&format!(
        "<p>Positions compared: {}. Incidents: {}.</p>\n",
        positions.iter().map(|p| format!("<b>{}</b>", esc(p))).collect::<Vec<_>>().join(", "),
        comparison.incidents.len()
    ));
    if let Some(sentence) = changed_sentence(comparison) {
        out.push_str(&format!("<p class=\"changed\">{}.</p>\n", esc(&sentence)));
    }
    out.push_str("<p class=\"legend\">Each cell gives a position's conclusion on the incident; click it to read how it was reached. \
        Highlighted rows are conclusions on which the positions part ways, and the orange cells differ from the most common result. \
        <code>*</code> marks a result the position states (a rule it adds, replaces or removes, or a parameter, standard or burden it sets, bears on it), <code>~</code> one it inherits from its base by silence, <code>?</code> one resting on a reading marked arguable or contested; \
        <code>(not established)</code> a result that rests on a burden of proof not met or a standard not reached, <code>(burden)</code> one decided by its own burden.</p>\n");
    out.push_str("<nav><ul>\n");
    for (i, c) in comparison.incidents.iter().enumerate() {
        let n = c.rows.iter().filter(|r| r.divergent).count();
        out.push_str(&format!(
            "<li><a href=\"#incident-{i}\">{}</a>: {n} divergent conclusion{}</li>\n",
            esc(&incident_title(c)),
            if n == 1 { "" } else { "s" }
        ));
    }
    out.push_str("<li><a href=\"#agreement\">Agreement between positions</a></li>\n</ul></nav>\n");
    for (i, c) in comparison.incidents.iter().enumerate() {
        out.push_str(&format!(
            "<section id=\"incident-{i}\">\n<h2>{}</h2>\n<p class=\"file\">{}</p>\n",
            esc(&incident_title(c)),
            esc(&c.file)
        ));
        for note in ignored_notes(comparison, c) {
            out.push_str(&format!("<p class=\"note\">Note: {}.</p>\n", esc(&note)));
        }
        out.push_str("<table class=\"matrix\">\n<thead><tr><th>conclusion</th>");
        for p in positions {
            out.push_str(&format!("<th>{}</th>", esc(p)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &c.rows {
            // The most common value among the positions that have the conclusion.
            let mut counts: Vec<(&serde_json::Value, usize)> = Vec::new();
            for cell in r.cells.iter().flatten() {
                match counts.iter_mut().find(|(v, _)| **v == cell.value) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((&cell.value, 1)),
                }
            }
            // With a tie there is no most common value, and no cell "differs".
            let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
            let common = match counts.iter().filter(|(_, n)| *n == most).collect::<Vec<_>>().as_slice() {
                [(v, _)] => Some(*v),
                _ => None,
            };
            out.push_str(&format!("<tr{}><th>{}</th>", if r.divergent { " class=\"divergent\"" } else { "" }, esc(&r.conclusion)));
            for cell in &r.cells {
                match cell {
                    None => out.push_str("<td>-</td>"),
                    Some(cell) => {
                        let class = match (r.divergent, common.is_some_and(|v| *v != cell.value)) {
                            (true, true) => " class=\"divergent differs\"",
                            (true, false) => " class=\"divergent\"",
                            _ => "",
                        };
                        out.push_str(&format!(
                            "<td{class}><details><summary>{}</summary><div class=\"explanation\">{}</div></details></td>",
                            esc(&cell_text(Some(cell))),
                            esc(&super::explain::text(&cell.explanation))
                        ));
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        let divergent: Vec<_> = c.rows.iter().filter(|r| r.divergent).collect();
        if !divergent.is_empty() {
            out.push_str("<h3>Where they part ways, and why</h3>\n<ul class=\"causes\">\n");
            for r in divergent {
                out.push_str(&format!("<li><b>{}</b>", esc(&r.conclusion)));
                if r.causes.is_empty() {
                    out.push_str(": no change of the positions bears on it directly</li>\n");
                    continue;
                }
                out.push_str("<ul>\n");
                for cause in &r.causes {
                    out.push_str(&format!("<li>{}</li>\n", esc(&cause_text(cause))));
                }
                out.push_str("</ul></li>\n");
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section id=\"agreement\">\n<h2>Agreement between positions</h2>\n");
    out.push_str("<p class=\"legend\">The share of results (conclusion &times; incident, over every conclusion both positions have) on which two positions agree; in brackets, the share they agree on by silence, where neither says anything that bears on the result. Below, the share on the contested conclusions alone: those some compared position states.</p>\n");
    out.push_str(&agreement_html(comparison, |g| {
        (g.compared > 0).then(|| (format!("{} of {}, {} by silence", g.same, g.compared, g.same_by_silence), agreement_text(g)))
    }));
    out.push_str("<h3>On contested conclusions</h3>\n");
    out.push_str(&agreement_html(comparison, |g| Some((format!("{} of {}", g.contested_same, g.contested_compared), contested_text(g)))));
    out.push_str("</section>\n");
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}
