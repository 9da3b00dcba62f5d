//! Rendering a comparison: JSON, Markdown and CSV. (The terminal table lives
//! with the command line, which owns its table crate.) All deterministic:
//! incidents in the order given, conclusions in declaration order, positions
//! in the order given.

use serde_json::json;

use super::{Agreement, Cause, Cell, Comparison, IncidentComparison};
use crate::ir::ChangeKind;

/// The version of the `compare --format json` schema.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

/// A change as a phrase: "replaces the rule `x`".
pub fn change_text(kind: ChangeKind, target: &str) -> String {
    match kind {
        ChangeKind::Replace => format!("replaces `{target}`"),
        ChangeKind::Remove => format!("removes `{target}`"),
        ChangeKind::Add => format!("adds `{target}`"),
        ChangeKind::SetParam => format!("sets the parameter `{target}`"),
        ChangeKind::SetStandard => format!("sets the standard of proof of `{target}`"),
        ChangeKind::SetBurden => format!("sets the burden of proof of `{target}`"),
    }
}

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
    match c.status.as_str() {
        "burden_not_met" => s.push_str(" (burden)"),
        "below_standard" => s.push_str(" (not proven)"),
        "standard_unstated" => s.push_str(" (standard unstated)"),
        _ => {}
    }
    if c.origin.as_deref().is_some_and(|o| o != "base") {
        s.push('*');
    }
    s
}

/// The whole comparison as one JSON object (schema in docs/compare-json.md).
pub fn json(comparison: &Comparison) -> serde_json::Value {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    json!({
        "schema_version": COMPARE_SCHEMA_VERSION,
        "positions": positions,
        "incidents": comparisons.iter().map(|c| json!({
            "incident": c.incident,
            "file": c.file,
            "rows": c.rows.iter().map(|r| json!({
                "conclusion": r.conclusion,
                "divergent": r.divergent,
                "cells": positions.iter().zip(&r.cells).map(|(p, cell)| (p.clone(), serde_json::to_value(cell).unwrap_or_default())).collect::<serde_json::Map<_, _>>(),
                "causes": r.causes,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "agreement": comparison.agreement,
    })
}

/// For each pair of positions: in how many of the cells both have, they agree.
pub(super) fn agreement(positions: &[String], comparisons: &[IncidentComparison]) -> Vec<Agreement> {
    let mut out = Vec::new();
    for i in 0..positions.len() {
        for j in i + 1..positions.len() {
            let (mut same, mut total) = (0, 0);
            for row in comparisons.iter().flat_map(|c| &c.rows) {
                if let (Some(a), Some(b)) = (&row.cells[i], &row.cells[j]) {
                    total += 1;
                    same += usize::from(a.value == b.value);
                }
            }
            out.push(Agreement { positions: [positions[i].clone(), positions[j].clone()], same, compared: total });
        }
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The comparison as Markdown: per incident, the table and its divergences;
/// then the agreement between each pair of positions.
pub fn markdown(comparison: &Comparison) -> String {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    let mut out = String::from("# Comparison of positions\n\n");
    out.push_str(&format!(
        "Positions: {}. A cell marked `*` is decided by a rule of the position rather than the base; `(burden)` by a burden of proof.\n",
        positions.join(", ")
    ));
    for c in comparisons {
        out.push_str(&format!("\n## {} (`{}`)\n\n| conclusion |", md_cell(&c.incident), c.file));
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
    out.push_str("\n## Agreement between positions\n\n| positions | same result | of cells |\n|---|---|---|\n");
    for a in &comparison.agreement {
        out.push_str(&format!("| {} / {} | {} | {} |\n", a.positions[0], a.positions[1], a.same, a.compared));
    }
    out
}

/// The comparison as CSV: one row per position x incident x conclusion.
pub fn csv(comparison: &Comparison) -> Result<String, String> {
    let (positions, comparisons) = (&comparison.positions, &comparison.incidents);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = ["incident", "file", "position", "conclusion", "value", "status", "rule", "origin", "proof", "divergent"];
    w.write_record(header).map_err(|e| e.to_string())?;
    for c in comparisons {
        for r in &c.rows {
            for (p, cell) in positions.iter().zip(&r.cells) {
                let Some(cell) = cell else { continue };
                let divergent = if r.divergent { "true" } else { "false" };
                w.write_record([
                    c.incident.as_str(),
                    c.file.as_str(),
                    p.as_str(),
                    r.conclusion.as_str(),
                    cell.text.as_str(),
                    cell.status.as_str(),
                    cell.rule.as_deref().unwrap_or(""),
                    cell.origin.as_deref().unwrap_or(""),
                    cell.proof.as_deref().unwrap_or(""),
                    divergent,
                ])
                .map_err(|e| e.to_string())?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
