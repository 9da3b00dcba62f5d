//! The terminal rendering of `opinio compare` (`--format table`), fitted to
//! a width (see [`super::fit::width`]).
//!
//! In order: a what-if warning when facts were changed on the command line;
//! the legend; the summary (which questions divide which positions, across
//! every incident); per incident its title and date, its table of results
//! and the causes of its divergences, each change once with the
//! conclusions it reaches; the sources the changes cite, numbered; last,
//! the agreement of each pair of positions and, for each position, the
//! others from the closest.
//!
//! Each thing is said once: a change is listed once per incident with every
//! divergent conclusion it reaches, and its citations once in all, under
//! its number. Tables whose columns do not fit are cut into blocks of
//! columns, or turned (positions as rows) when that takes fewer lines.

use opinio::compare::summary::{self, Question, STANCE_LEGEND};
use opinio::compare::{Agreement, Cause, Cell, Comparison, IncidentComparison, Row};
use opinio::ir::ChangeKind;
use opinio::reports::compare::{
    agreement_text, cell_text, changed_sentence, contested_share, contested_text, ignored_notes, incident_title, CELL_LEGEND,
};

use super::fit::{paragraph, Grid};

/// The comparison as text no wider than `width` (lines of a prose
/// paragraph, and tables; an identifier wider than a whole line is cut).
pub fn table(comparison: &Comparison, width: usize) -> String {
    let mut out = String::new();
    if let Some(sentence) = changed_sentence(comparison) {
        out.push_str(&paragraph(&format!("{sentence}."), width, "", ""));
        out.push('\n');
    }
    out.push_str(&legend(comparison, width));
    out.push('\n');
    out.push_str(&summary_section(comparison, width));
    let tables: Vec<Option<[String; 2]>> = comparison.incidents.iter().map(|c| results_tables(comparison, c, width)).collect();
    let way = fewer_lines(&tables.iter().flatten().collect::<Vec<_>>());
    let mut sources = Sources::default();
    for (c, tables) in comparison.incidents.iter().zip(&tables) {
        out.push('\n');
        let table = tables.as_ref().map_or("", |t| t[way].as_str());
        out.push_str(&incident(comparison, c, table, &mut sources, width));
    }
    if !sources.entries.is_empty() {
        out.push('\n');
        out.push_str(&sources.render(comparison, width));
    }
    if comparison.positions.len() > 1 {
        out.push('\n');
        out.push_str(&agreement_section(comparison, width));
    }
    out
}

/// How to read what follows: the marks of the tables, of the summary and of
/// the causes.
fn legend(comparison: &Comparison, width: usize) -> String {
    let (p, n) = (comparison.positions.len(), comparison.incidents.len());
    let mut out = paragraph(
        &format!(
            "Comparison of {p} position{} on {n} incident{}. How to read it:",
            if p == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        ),
        width,
        "",
        "",
    );
    let divergent = if all_divergent(comparison) {
        "every conclusion shown is one on which the positions diverge"
    } else {
        "`!` marks a conclusion on which the positions diverge"
    };
    let items = [
        format!("Tables: each cell is a position's result on a conclusion; {divergent}. {CELL_LEGEND}"),
        format!("Summary (what divides whom, across the incidents): {STANCE_LEGEND}"),
        "Causes (under each table): each change a position makes to its base that bears on a divergence, once, with its number [n] in the list of sources; then the position's own result on each divergent conclusion it reaches (`false on a, b`: its result on a and on b is false); `through x`: the change bears on x, and on the others by way of it.".to_string(),
    ];
    for item in items {
        out.push_str(&paragraph(&item, width, "- ", "  "));
    }
    out
}

/// Whether every row shown is divergent (as with `--divergent-only`): then
/// no row is marked.
fn all_divergent(comparison: &Comparison) -> bool {
    comparison.incidents.iter().flat_map(|c| &c.rows).all(|r| r.divergent)
}

/// A table of positions by rows (`rows`: a label and a text per position)
/// rendered both ways: with the positions as columns, and turned, with the
/// positions as rows.
fn both_ways(comparison: &Comparison, corner: &str, rows: Vec<(String, Vec<String>)>, width: usize) -> [String; 2] {
    let titles: Vec<String> = (0..comparison.positions.len()).map(|i| comparison.title(i).to_string()).collect();
    let turned = Grid {
        corner: "position",
        heads: rows.iter().map(|(label, _)| label.clone()).collect(),
        rows: titles
            .iter()
            .enumerate()
            .map(|(p, t)| (t.clone(), rows.iter().map(|(_, texts)| texts.get(p).cloned().unwrap_or_default()).collect()))
            .collect(),
    };
    let turned = turned.render(width);
    [Grid { corner, heads: titles, rows }.render(width), turned]
}

/// Of the two ways of a table, or of a list of tables, the one with fewer
/// lines in all (with as many, the positions as columns): every incident's
/// table is laid out the same way, so that they read alike.
fn fewer_lines(ways: &[&[String; 2]]) -> usize {
    let lines = |k: usize| ways.iter().map(|w| w[k].lines().count()).sum::<usize>();
    usize::from(lines(1) < lines(0))
}

/// What divides the positions across the incidents: a table of questions by
/// positions (their stances), then for each question its camps' results.
fn summary_section(comparison: &Comparison, width: usize) -> String {
    let s = summary::summary(comparison);
    if s.questions.is_empty() {
        return paragraph("No conclusion shown divides the positions on any of the incidents.", width, "", "");
    }
    let mut out = paragraph(
        &format!(
            "What divides the positions: {} question{} on which they part on some incident.",
            s.questions.len(),
            if s.questions.len() == 1 { "" } else { "s" }
        ),
        width,
        "",
        "",
    );
    let rows = s
        .questions
        .iter()
        .map(|q| (q.conclusion.clone(), q.stances.iter().map(|st| st.as_ref().map_or_else(|| "-".to_string(), |st| st.text(q))).collect()))
        .collect();
    let ways = both_ways(comparison, "question", rows, width);
    out.push_str(&ways[fewer_lines(&[&ways])]);
    for q in &s.questions {
        out.push_str(&paragraph(&question_text(comparison, q), width, "- ", "  "));
    }
    out
}

/// A question in a sentence: its conclusion and description, the incidents
/// it divides the positions on, and each camp's results there.
fn question_text(comparison: &Comparison, q: &Question) -> String {
    let names: Vec<&str> = q.incidents.iter().filter_map(|&i| comparison.incidents.get(i)).map(|c| c.incident.as_str()).collect();
    // Incidents are named when they are few (names may hold "and" or commas).
    let on = match names.len() {
        1 => format!("On one incident ({})", names.join("; ")),
        2 | 3 => format!("On {} incidents ({})", names.len(), names.join("; ")),
        n => format!("On {n} incidents"),
    };
    let camps: Vec<String> = q.camps.iter().map(|camp| format!("{}: {}", camp.letter, results_text(&camp.results))).collect();
    let description = q.description.trim();
    let description = match description.chars().last() {
        None => String::new(),
        Some('.') => format!(" {description}"),
        Some(_) => format!(" {description}."),
    };
    format!("{}:{description} {on}, {}.", q.conclusion, camps.join("; "))
}

/// A camp's results over a question's incidents, briefly: the one result,
/// or each with on how many incidents (the most frequent first).
fn results_text(results: &[String]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for r in results {
        match counts.iter_mut().find(|(v, _)| v == r) {
            Some((_, n)) => *n += 1,
            None => counts.push((r, 1)),
        }
    }
    if let [(only, _)] = counts.as_slice() {
        return (*only).to_string();
    }
    // Stable: of equal counts, the first found first.
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts.iter().map(|(v, n)| format!("{v} on {n}")).collect::<Vec<_>>().join(", ")
}

/// An incident's table of results, both ways (see [`both_ways`]); `None`
/// when it has no row to show.
fn results_tables(comparison: &Comparison, c: &IncidentComparison, width: usize) -> Option<[String; 2]> {
    if c.rows.is_empty() {
        return None;
    }
    let mark = !all_divergent(comparison);
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let label = if r.divergent && mark { format!("{} !", r.conclusion) } else { r.conclusion.clone() };
            (label, r.cells.iter().map(|cell| cell_text(cell.as_ref())).collect())
        })
        .collect();
    Some(both_ways(comparison, "conclusion", rows, width))
}

/// One incident: its title, file and date, its notes, its table (`table`,
/// rendered), and the causes of its divergences.
fn incident(comparison: &Comparison, c: &IncidentComparison, table: &str, sources: &mut Sources, width: usize) -> String {
    let mut head = format!("{} ({})", incident_title(c), c.file);
    if let Some(date) = &c.meta.date {
        head.push_str(&format!(", {date}"));
    }
    let mut out = paragraph(&head, width, "", "  ");
    for note in ignored_notes(comparison, c) {
        out.push_str(&paragraph(&note, width, "  note: ", "        "));
    }
    if c.rows.is_empty() {
        out.push_str("  no conclusion to show\n");
        return out;
    }
    out.push_str(table);
    let groups = groups(comparison, c);
    let bare: Vec<&str> = c.rows.iter().filter(|r| r.divergent && r.causes.is_empty()).map(|r| r.conclusion.as_str()).collect();
    if !groups.is_empty() {
        out.push_str("Causes:\n");
    }
    for g in &groups {
        let number = sources.number(g.cause);
        out.push_str(&paragraph(&g.text(comparison, number), width, "  ", "      "));
    }
    if !bare.is_empty() {
        out.push_str(&paragraph(&format!("No change of the positions bears directly on {}.", bare.join(", ")), width, "", "  "));
    }
    out
}

/// A change of one position that bears on divergences of an incident, with
/// the divergent conclusions it reaches.
struct Group<'a> {
    /// The cause as found on the first row it reaches.
    cause: &'a Cause,
    /// Its position's column.
    column: usize,
    /// Each row it reaches, with the path by which it reaches it.
    reached: Vec<(&'a Row, &'a [String])>,
}

/// The incident's causes, each once (by position, declaring position,
/// change, target and citations) with every divergent row it reaches: in
/// the order of the positions, then of the first row each reaches.
fn groups<'a>(comparison: &Comparison, c: &'a IncidentComparison) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for row in c.rows.iter().filter(|r| r.divergent) {
        for cause in &row.causes {
            let same = |g: &&mut Group<'a>| {
                let k = g.cause;
                (&k.position, &k.declared_by, k.change, &k.target, &k.cites)
                    == (&cause.position, &cause.declared_by, cause.change, &cause.target, &cause.cites)
            };
            match groups.iter_mut().find(same) {
                Some(g) => g.reached.push((row, &cause.via)),
                None => {
                    let column = comparison.positions.iter().position(|p| p == &cause.position).unwrap_or(usize::MAX);
                    groups.push(Group { cause, column, reached: vec![(row, &cause.via)] });
                }
            }
        }
    }
    // Stable: of one position, in the order found.
    groups.sort_by_key(|g| g.column);
    groups
}

impl Group<'_> {
    /// The cause as a sentence: "United Kingdom removes `x` [3]: false on a,
    /// b; unknown on c (through a)".
    fn text(&self, comparison: &Comparison, number: usize) -> String {
        let cause = self.cause;
        let title = comparison.title(self.column);
        let who = if title.is_empty() { cause.position.as_str() } else { title };
        let mut s = format!("{who} {}", change_phrase(cause.change, &cause.target));
        if cause.declared_by != cause.position {
            s.push_str(&format!(" (in the position it extends, {})", cause.declared_by));
        }
        s.push_str(&format!(" [{number}]: "));
        // Its results, each with the conclusions that have it, in the order of the rows.
        let mut by_result: Vec<(String, Vec<&str>)> = Vec::new();
        for (row, _) in &self.reached {
            let result = row.cells.get(self.column).and_then(Option::as_ref).map_or_else(|| "-".to_string(), bare_result);
            match by_result.iter_mut().find(|(r, _)| *r == result) {
                Some((_, names)) => names.push(&row.conclusion),
                None => by_result.push((result, vec![&row.conclusion])),
            }
        }
        let parts: Vec<String> = by_result.iter().map(|(r, names)| format!("{r} on {}", names.join(", "))).collect();
        s.push_str(&parts.join("; "));
        // Where it bears directly, when it reaches some conclusion by way of another.
        let mut through: Vec<&str> = Vec::new();
        for (_, via) in &self.reached {
            if let (true, Some(last)) = (via.len() > 1, via.last()) {
                if !through.contains(&last.as_str()) {
                    through.push(last);
                }
            }
        }
        if !through.is_empty() {
            s.push_str(&format!(" (through {})", through.join(", ")));
        }
        s
    }
}

/// A change in words, as the reports write it ("removes `x`").
fn change_phrase(kind: ChangeKind, target: &str) -> String {
    opinio::reports::change_text(kind, target)
}

/// A result as the table writes it, without the marks of provenance and
/// reading (a cause's position states every result it reaches).
fn bare_result(cell: &Cell) -> String {
    cell_text(Some(cell)).trim_end_matches(['*', '~', '?']).to_string()
}

/// The changes cited by the causes, numbered in the order they first
/// appear: the same change of the same position, citing the same, has one
/// number across the incidents.
#[derive(Default)]
struct Sources {
    /// Each change: who declared it, what it changes, and what it cites.
    entries: Vec<(String, ChangeKind, String, Vec<String>)>,
}

impl Sources {
    /// The number of `cause`'s change (from 1), given it on first sight.
    fn number(&mut self, cause: &Cause) -> usize {
        let found = self.entries.iter().position(|(by, kind, target, cites)| {
            (by, *kind, target, cites) == (&cause.declared_by, cause.change, &cause.target, &cause.cites)
        });
        match found {
            Some(i) => i + 1,
            None => {
                self.entries.push((cause.declared_by.clone(), cause.change, cause.target.clone(), cause.cites.clone()));
                self.entries.len()
            }
        }
    }

    /// The list: each change by its number, with what it cites.
    fn render(&self, comparison: &Comparison, width: usize) -> String {
        let mut out = paragraph("Sources: the changes named in the causes above, by number, with what each cites.", width, "", "");
        let digits = self.entries.len().to_string().len();
        for (i, (by, kind, target, cites)) in self.entries.iter().enumerate() {
            let who = comparison.positions.iter().position(|p| p == by).map_or(by.as_str(), |c| comparison.title(c));
            let cited = if cites.is_empty() { "no source cited".to_string() } else { cites.join("; ") };
            let first = format!("  [{:>digits$}] ", i + 1);
            let rest = " ".repeat(first.len());
            out.push_str(&paragraph(&format!("{who} {}: {cited}", change_phrase(*kind, target)), width, &first, &rest));
        }
        out
    }
}

/// The agreement of each pair of positions: over every conclusion, then over
/// the contested ones, as matrices; then each position's closest others.
fn agreement_section(comparison: &Comparison, width: usize) -> String {
    let mut out = paragraph(
        "Agreement: the share of results (conclusion x incident) on which two positions agree; in brackets, the share agreed by silence (neither says anything that bears on it).",
        width,
        "",
        "",
    );
    out.push_str(&agreement_table(comparison, agreement_text, width));
    out.push_str(&paragraph("On contested conclusions alone (those some compared position states):", width, "", ""));
    out.push_str(&agreement_table(comparison, contested_text, width));
    out.push_str(&paragraph(
        "Closest positions, on contested conclusions: the share of results the same; in brackets, of results agreed by silence.",
        width,
        "",
        "",
    ));
    for (i, others) in opinio::reports::compare::closest(comparison).iter().enumerate() {
        out.push_str(&paragraph(&ranking(comparison, others, i), width, "  ", "    "));
    }
    out
}

/// A matrix of the pairs of positions, each cell written by `text`, in
/// blocks of columns that fit `width`.
fn agreement_table(comparison: &Comparison, text: fn(&Agreement) -> String, width: usize) -> String {
    let n = comparison.positions.len();
    let titles: Vec<String> = (0..n).map(|i| comparison.title(i).to_string()).collect();
    let rows = (0..n)
        .map(|a| (titles[a].clone(), (0..n).map(|b| comparison.agreement_between(a, b).map(text).unwrap_or_default()).collect()))
        .collect();
    Grid { corner: "", heads: titles.clone(), rows }.render(width)
}

/// The other positions from the closest to position `a` on contested
/// conclusions ("closest to France: Germany 95% (40%); ..."), of equal
/// shares by title; those with no contested result in common are left out.
fn ranking(comparison: &Comparison, closest: &[(usize, &Agreement)], a: usize) -> String {
    let list: Vec<String> = closest.iter().map(|(b, g)| format!("{} {}", comparison.title(*b), contested_share(g))).collect();
    format!("closest to {}: {}", comparison.title(a), list.join("; "))
}
