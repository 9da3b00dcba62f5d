//! What divides whom, across every incident: the summary a report opens with.
//!
//! In: a [`Comparison`]. Out: one [`Question`] per conclusion on which the
//! positions part ways on at least one incident. For each, the positions fall
//! into *camps*: positions in the same camp give the same result on every
//! incident where the question divides them. Camp `A` is the largest (of
//! equal ones, the one its first position comes first in); a position that
//! has no such conclusion is in none. Each position also carries its mark:
//! whether it states its result or inherits it by silence, and on how many
//! of those incidents its result is left open.
//!
//! A summary is data; the reports render it (a table of positions by
//! questions, its camps as letters).

use serde::Serialize;

use super::{Cell, Comparison, Provenance};

/// The questions that divide the positions, in the order of the conclusions.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// One per conclusion on which the positions part on some incident.
    pub questions: Vec<Question>,
}

/// A conclusion on which the positions part ways, across the incidents.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The conclusion.
    pub conclusion: String,
    /// Its description.
    pub description: String,
    /// The incidents (indices into [`Comparison::incidents`]) on which the
    /// positions part on it, in order.
    pub incidents: Vec<usize>,
    /// The camps, largest first: the positions (column indices) that give the
    /// same results on every one of `incidents`, and those results (one
    /// cell text per incident, in the order of `incidents`).
    pub camps: Vec<Camp>,
    /// Per position (in the order of the columns): its stance, or `None`
    /// where the position has no such conclusion.
    pub stances: Vec<Option<Stance>>,
}

/// Positions that answer a question alike on every incident it divides them on.
#[derive(Debug, Clone, Serialize)]
pub struct Camp {
    /// Its letter: `A` for the largest, then `B` ... `Z`, `AA`, `AB` ...
    pub letter: String,
    /// The positions in it (column indices), in the order of the columns.
    pub positions: Vec<usize>,
    /// Their result on each of the question's incidents, as a cell writes it
    /// without the marks of provenance and reading (`true`, `open`, `false
    /// (burden)`).
    pub results: Vec<String>,
}

/// A position's stance on a question.
#[derive(Debug, Clone, Serialize)]
pub struct Stance {
    /// The index of its camp in [`Question::camps`].
    pub camp: usize,
    /// Whether the position states its result or inherits it by silence
    /// (`None` for norms that are not a position).
    pub provenance: Option<Provenance>,
    /// On how many of the question's incidents its result is open.
    pub open: usize,
}

impl Stance {
    /// The stance as a short mark: the camp's letter, `*` stated or `~`
    /// inherited, and `open N` where the result is open on N incidents.
    pub fn text(&self, question: &Question) -> String {
        let mut s = question.camps.get(self.camp).map_or_else(String::new, |c| c.letter.clone());
        match self.provenance {
            Some(Provenance::Stated) => s.push('*'),
            Some(Provenance::Inherited) => s.push('~'),
            None => {}
        }
        if self.open > 0 {
            s.push_str(&format!(" open {}", self.open));
        }
        s
    }
}

/// The legend of [`Stance::text`], as one sentence.
pub const STANCE_LEGEND: &str = "Positions with the same letter give the same results on every incident where the question divides them (A: the largest group); `*` marks a result the position states, `~` one it inherits from its base by silence; `open N`: left open on N of those incidents; `-`: the position has no such conclusion.";

/// The questions that divide the positions of `comparison`, over its rows
/// as they stand (after any filtering).
pub fn summary(comparison: &Comparison) -> Summary {
    // The conclusions, in the order of the rows of the first incident that
    // has each.
    let mut order: indexmap::IndexMap<&str, &str> = indexmap::IndexMap::new();
    for row in comparison.incidents.iter().flat_map(|c| &c.rows) {
        if row.divergent {
            order.entry(row.conclusion.as_str()).or_insert(row.description.as_str());
        }
    }
    let n = comparison.positions.len();
    let questions = order
        .into_iter()
        .map(|(conclusion, description)| {
            // The incidents that divide, and each position's cells on them.
            let mut incidents = Vec::new();
            let mut cells: Vec<Vec<Option<&Cell>>> = vec![Vec::new(); n];
            for (i, c) in comparison.incidents.iter().enumerate() {
                let Some(row) = c.rows.iter().find(|r| r.conclusion == conclusion && r.divergent) else { continue };
                incidents.push(i);
                for (p, cell) in row.cells.iter().enumerate() {
                    if let Some(column) = cells.get_mut(p) {
                        column.push(cell.as_ref());
                    }
                }
            }
            // A position's results: its cell texts on those incidents, or
            // `None` where it has no such conclusion.
            let results: Vec<Option<Vec<String>>> = cells
                .iter()
                .map(|column| {
                    let texts: Option<Vec<String>> = column.iter().map(|c| c.map(Cell::result_text)).collect();
                    texts.filter(|t| !t.is_empty())
                })
                .collect();
            let mut camps: Vec<Camp> = Vec::new();
            for (p, r) in results.iter().enumerate() {
                let Some(r) = r else { continue };
                match camps.iter_mut().find(|c| &c.results == r) {
                    Some(camp) => camp.positions.push(p),
                    None => camps.push(Camp { letter: String::new(), positions: vec![p], results: r.clone() }),
                }
            }
            // Largest first; of equal size, in the order of their first position.
            camps.sort_by(|a, b| b.positions.len().cmp(&a.positions.len()).then(a.positions[0].cmp(&b.positions[0])));
            for (k, camp) in camps.iter_mut().enumerate() {
                camp.letter = letter(k);
            }
            let stances = (0..n)
                .map(|p| {
                    let camp = camps.iter().position(|c| c.positions.contains(&p))?;
                    let column = &cells[p];
                    let provenance = column.iter().flatten().find_map(|c| c.provenance);
                    let open = column.iter().flatten().filter(|c| c.status == crate::eval::Status::Open).count();
                    Some(Stance { camp, provenance, open })
                })
                .collect();
            Question { conclusion: conclusion.to_string(), description: description.to_string(), incidents, camps, stances }
        })
        .collect();
    Summary { questions }
}

/// The letter of the `k`th camp, as spreadsheets name columns: `A` to `Z`,
/// then `AA`, `AB` ...
fn letter(k: usize) -> String {
    let mut k = k;
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (k % 26) as u8));
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    out.iter().rev().collect()
}
