//! The comparison as a self-contained HTML page, for the screen and for print.
//!
//! The page reads like a paper's appendix: what divides whom across every
//! incident first (the summary), the agreement on contested questions, then
//! each incident (its date, summary, sources and facts, its matrix, and the
//! changes that cause each divergence), a page per position (what it
//! changes, with citations, and what it inherits), the conclusions with their
//! descriptions, and a numbered bibliography that every citation refers to.
//!
//! **Size.** The explanation of each cell (what `opinio explain` prints) is
//! embedded once, as data: the distinct lines of every explanation, and each
//! distinct explanation as a list of line numbers. A script renders one when
//! its cell is clicked, and the explanations of divergent cells as notes
//! for print. Without the script the page still shows every table.
//!
//! **Print.** Tables never hold more than [`PRINT_COLUMNS`] positions nor
//! [`PRINT_ROWS`] rows: wider or longer ones are split into blocks, each a
//! table of its own that repeats its labels, so that every table fits on one
//! landscape page of A4 or Letter and none is cut.
//!
//! No network access, no external assets, no test hook: the browser test
//! drives the page from outside.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use indexmap::IndexSet;

use super::bibliography::Bibliography;
use super::compare::{agreement_text, cell_text, changed_sentence, closest, contested_share, ignored_notes, incident_title, CELL_LEGEND};
use super::show::PositionReport;
use crate::compare::summary::{self, Summary, STANCE_LEGEND};
use crate::compare::{Comparison, IncidentComparison, Row};

/// The most positions a table holds side by side.
pub const PRINT_COLUMNS: usize = 7;
/// The most rows a table holds.
pub const PRINT_ROWS: usize = 20;
/// The most positions side by side in the summary, whose cells are short.
const SUMMARY_COLUMNS: usize = 10;
/// The most questions a block of the summary holds (their descriptions
/// make its rows tall).
const SUMMARY_ROWS: usize = 10;

/// The comparison as a page. `pages` holds each position's report (what it
/// changes, what it inherits), in the order of the columns; `bibliography`
/// numbers every citation the page makes.
pub fn html(comparison: &Comparison, pages: &[PositionReport]) -> String {
    let mut page = Page::new(comparison, pages);
    page.write();
    page.out
}

/// The page being written.
struct Page<'a> {
    comparison: &'a Comparison,
    pages: &'a [PositionReport],
    summary: Summary,
    bibliography: Bibliography,
    /// The distinct lines of the explanations.
    lines: IndexSet<String>,
    /// The distinct explanations, as line numbers.
    bodies: IndexSet<Vec<u32>>,
    /// Per matrix table, in the order of the page: the explanation of each
    /// cell, row by row (-1 where the position has no such conclusion).
    cells: Vec<Vec<i64>>,
    /// The number of the next table.
    tables: usize,
    out: String,
}

impl<'a> Page<'a> {
    fn new(comparison: &'a Comparison, pages: &'a [PositionReport]) -> Page<'a> {
        Page {
            comparison,
            pages,
            summary: summary::summary(comparison),
            bibliography: bibliography_of(comparison, pages),
            lines: IndexSet::new(),
            bodies: IndexSet::new(),
            cells: Vec::new(),
            tables: 0,
            out: String::new(),
        }
    }

    fn write(&mut self) {
        self.head();
        self.summary_section();
        self.agreement_section();
        for i in 0..self.comparison.incidents.len() {
            self.incident_section(i);
        }
        self.positions_section();
        self.conclusions_section();
        self.bibliography_section();
        self.data();
        self.out.push_str("</main>\n</body>\n</html>\n");
    }

    /// The next table's caption: "Table N. text".
    fn caption(&mut self, text: &str) -> String {
        self.tables += 1;
        format!("<caption><span class=\"number\">Table {}.</span> {}</caption>", self.tables, text)
    }

    fn head(&mut self) {
        let c = self.comparison;
        let what_if = if changed_sentence(c).is_some() { " (what if)" } else { "" };
        let _ = write!(
            self.out,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"Opinio {version}\">\n\
             <title>Opinio: comparison of positions{what_if}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
             <header>\n<h1>Comparison of positions</h1>\n<p class=\"stamp\">Made by Opinio {version}: {} positions, {} incidents.</p>\n",
            c.positions.len(),
            c.incidents.len(),
            version = env!("CARGO_PKG_VERSION"),
        );
        let _ = writeln!(
            self.out,
            "<p>Positions: {}.</p>",
            (0..c.positions.len())
                .map(|i| format!("<a href=\"#position-{}\">{}</a>", esc(&c.positions[i]), esc(c.title(i))))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(sentence) = changed_sentence(c) {
            let _ = writeln!(self.out, "<p class=\"changed\">{}.</p>", code(&sentence));
        }
        let _ = writeln!(
            self.out,
            "<p class=\"legend\"><b>How to read the tables.</b> {} {} Click a cell to read how it was reached; in print, the explanations of the divergent cells follow each incident as notes. Numbers in brackets refer to the <a href=\"#bibliography\">bibliography</a>.</p>",
            code(STANCE_LEGEND),
            code(CELL_LEGEND)
        );
        self.out.push_str("<nav class=\"toc\"><a href=\"#summary\">What divides the positions</a> &middot; <a href=\"#agreement\">Agreement</a> &middot; <a href=\"#incidents\">Incidents</a> &middot; <a href=\"#positions\">Positions</a> &middot; <a href=\"#conclusions\">Conclusions</a> &middot; <a href=\"#bibliography\">Bibliography</a></nav>\n</header>\n");
    }

    /// What divides whom: questions by positions, then each question's camps.
    fn summary_section(&mut self) {
        let c = self.comparison;
        self.out.push_str("<section id=\"summary\">\n<h2>What divides the positions</h2>\n");
        if self.summary.questions.is_empty() {
            self.out.push_str("<p>The positions give the same results on every conclusion shown, on every incident.</p>\n</section>\n");
            return;
        }
        let _ = writeln!(
            self.out,
            "<p>{} question{} divide the positions on at least one of the {} incidents. {}</p>",
            self.summary.questions.len(),
            if self.summary.questions.len() == 1 { "" } else { "s" },
            c.incidents.len(),
            code(STANCE_LEGEND)
        );
        let questions = self.summary.questions.clone();
        for cols in blocks(c.positions.len(), SUMMARY_COLUMNS) {
            for rows in blocks(questions.len(), SUMMARY_ROWS) {
                let caption =
                    self.caption(&format!("What divides the positions{}", part(&cols, &rows, c.positions.len(), questions.len())));
                let _ = write!(
                    self.out,
                    "<div class=\"block\"><table class=\"summary\">{caption}\n<thead><tr><th>question</th><th>incidents</th>"
                );
                for p in cols.clone() {
                    let _ = write!(self.out, "<th>{}</th>", esc(c.title(p)));
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for q in &questions[rows.clone()] {
                    let _ = write!(
                        self.out,
                        "<tr><th><a href=\"#q-{name}\">{label}</a><div class=\"description\">{}</div></th><td class=\"n\">{}</td>",
                        code(&q.description),
                        q.incidents.len(),
                        name = esc(&q.conclusion),
                        label = esc(&label(&q.conclusion)),
                    );
                    for p in cols.clone() {
                        match &q.stances[p] {
                            Some(s) => {
                                let _ = write!(self.out, "<td class=\"camp c{}\">{}</td>", s.camp.min(5), esc(&s.text(q)));
                            }
                            None => self.out.push_str("<td>-</td>"),
                        }
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody></table></div>\n");
            }
        }
        self.out.push_str("<h3>The camps on each question</h3>\n<dl class=\"camps\">\n");
        for q in &questions {
            let _ = writeln!(
                self.out,
                "<dt id=\"q-{}\">{} <span class=\"id\">{}</span></dt>",
                esc(&q.conclusion),
                esc(&label(&q.conclusion)),
                esc(&q.conclusion)
            );
            for camp in &q.camps {
                let who: Vec<String> = camp.positions.iter().map(|&p| esc(c.title(p))).collect();
                // The incidents by result: "true on NotPetya, Stuxnet".
                let mut by_result: indexmap::IndexMap<&str, Vec<String>> = indexmap::IndexMap::new();
                for (k, r) in camp.results.iter().enumerate() {
                    if let Some(&i) = q.incidents.get(k) {
                        by_result
                            .entry(r.as_str())
                            .or_default()
                            .push(format!("<a href=\"#incident-{i}\">{}</a>", esc(&c.incidents[i].incident)));
                    }
                }
                let results: Vec<String> =
                    by_result.iter().map(|(r, incidents)| format!("<b>{}</b> on {}", esc(r), incidents.join(", "))).collect();
                let _ = writeln!(
                    self.out,
                    "<dd><span class=\"camp c{}\">{}</span> {}: {}</dd>",
                    camp_class(q, camp),
                    esc(&camp.letter),
                    who.join(", "),
                    results.join("; ")
                );
            }
        }
        self.out.push_str("</dl>\n</section>\n");
    }

    /// Agreement on the contested conclusions: the matrix and, per
    /// position, the others from the closest.
    fn agreement_section(&mut self) {
        let c = self.comparison;
        self.out.push_str("<section id=\"agreement\">\n<h2>Agreement on contested questions</h2>\n");
        if c.positions.len() < 2 {
            self.out.push_str("<p>One position: nothing to compare.</p>\n</section>\n");
            return;
        }
        self.out.push_str("<p class=\"legend\">The share of results on which two positions agree, over the contested conclusions alone (those some compared position states) on every incident; in brackets, the share of those they agree on by silence, where neither says anything that bears on the result. Agreement over every conclusion is in the JSON output.</p>\n");
        let n = c.positions.len();
        for cols in blocks(n, 2 * PRINT_COLUMNS) {
            for rows in blocks(n, PRINT_ROWS) {
                let caption = self.caption(&format!("Agreement on contested questions{}", part(&cols, &rows, n, n)));
                let _ = write!(self.out, "<div class=\"block\"><table class=\"agreement\">{caption}\n<thead><tr><th></th>");
                for b in cols.clone() {
                    let _ = write!(self.out, "<th>{}</th>", esc(c.title(b)));
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for a in rows.clone() {
                    let _ = write!(self.out, "<tr><th>{}</th>", esc(c.title(a)));
                    for b in cols.clone() {
                        match c.agreement_between(a, b) {
                            Some(g) if g.contested_compared > 0 => {
                                let share = g.contested_same * 100 / g.contested_compared;
                                let _ = write!(
                                    self.out,
                                    "<td class=\"s{}\" title=\"{} of {}; {} by silence\">{}</td>",
                                    share / 20,
                                    g.contested_same,
                                    g.contested_compared,
                                    g.contested_same_by_silence,
                                    esc(&contested_share(g))
                                );
                            }
                            _ => self.out.push_str("<td></td>"),
                        }
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody></table></div>\n");
            }
        }
        self.out.push_str("<h3>Closest positions</h3>\n<ul class=\"ranking\">\n");
        for (a, others) in closest(c).iter().enumerate() {
            let list: Vec<String> = others.iter().map(|(b, g)| format!("{} {}", esc(c.title(*b)), esc(&contested_share(g)))).collect();
            let _ = writeln!(self.out, "<li><b>Closest to {}:</b> {}</li>", esc(c.title(a)), list.join(", "));
        }
        let _ = writeln!(
            self.out,
            "</ul>\n<p class=\"legend\">Over every conclusion (not only contested ones): {}.</p>\n</section>",
            (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                .filter_map(|(a, b)| c.agreement_between(a, b).map(|g| format!(
                    "{} / {} {}",
                    esc(c.title(a)),
                    esc(c.title(b)),
                    esc(&agreement_text(g))
                )))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }

    /// The list of the incidents, each with its date and how many
    /// conclusions divide the positions on it.
    fn incident_index(&mut self) {
        self.out.push_str("<section id=\"incidents\">\n<h2>Incidents</h2>\n<ol class=\"incidents\">\n");
        for (i, inc) in self.comparison.incidents.iter().enumerate() {
            let n = inc.rows.iter().filter(|r| r.divergent).count();
            let date = inc.meta.date.as_deref().map(|d| format!(" ({})", esc(d))).unwrap_or_default();
            let _ = writeln!(
                self.out,
                "<li><a href=\"#incident-{i}\">{}</a>{date}: {n} divergent conclusion{}</li>",
                esc(&incident_title(inc)),
                if n == 1 { "" } else { "s" }
            );
        }
        self.out.push_str("</ol>\n</section>\n");
    }

    fn incident_section(&mut self, i: usize) {
        let c = self.comparison;
        let inc = &c.incidents[i];
        if i == 0 {
            self.incident_index();
        }
        let _ = writeln!(self.out, "<section class=\"incident\" id=\"incident-{i}\">\n<h2>{}</h2>", esc(&incident_title(inc)));
        let date = inc.meta.date.as_deref().map(|d| format!("{}. ", esc(d))).unwrap_or_default();
        let _ = writeln!(self.out, "<p class=\"file\">{date}File <code>{}</code>.</p>", esc(&inc.file));
        if let Some(summary) = &inc.meta.summary {
            let _ = writeln!(self.out, "<p class=\"summary\">{}</p>", code(summary));
        }
        if !inc.meta.sources.is_empty() {
            self.out.push_str("<details class=\"sources\"><summary>Sources of the incident file</summary><ol>\n");
            for s in &inc.meta.sources {
                let _ = writeln!(self.out, "<li>{}</li>", code(s));
            }
            self.out.push_str("</ol></details>\n");
        }
        if !inc.facts.is_empty() {
            let _ = writeln!(
                self.out,
                "<details class=\"facts\"><summary>The {} facts the file gives, with their sources and notes</summary>\n<table class=\"facts\"><thead><tr><th>fact</th><th>value</th><th>proof</th><th>source and note</th></tr></thead><tbody>",
                inc.facts.len()
            );
            for f in &inc.facts {
                let mut note = String::new();
                if let Some(s) = &f.source {
                    let _ = write!(note, "<span class=\"source\">{}</span>", code(s));
                }
                if let Some(n) = &f.note {
                    let _ = write!(note, " {}", code(n));
                }
                let _ = writeln!(
                    self.out,
                    "<tr><th><code>{}</code></th><td>{}</td><td>{}</td><td>{note}</td></tr>",
                    esc(&f.fact),
                    esc(&f.value),
                    esc(f.proof.as_deref().unwrap_or(""))
                );
            }
            self.out.push_str("</tbody></table></details>\n");
        }
        for note in ignored_notes(c, inc) {
            let _ = writeln!(self.out, "<p class=\"note\">Note: {}.</p>", code(&note));
        }
        if inc.rows.is_empty() {
            self.out.push_str("<p>No conclusion to show.</p>\n</section>\n");
            return;
        }
        // The notes: the explanations of the divergent cells (those that
        // depart from the row's most common result, or every cell of a row
        // without one), each distinct one once per incident.
        let mut notes: IndexSet<u32> = IndexSet::new();
        let mut note_of: HashMap<(usize, usize), usize> = HashMap::new();
        let mut body_of: HashMap<(usize, usize), u32> = HashMap::new();
        for (r, row) in inc.rows.iter().enumerate() {
            let common = most_common(row);
            for (p, cell) in row.cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let body = self.body(&super::explain::text(&cell.explanation));
                body_of.insert((r, p), body);
                if row.divergent && common.is_none_or(|v| *v != cell.value) {
                    let (k, _) = notes.insert_full(body);
                    note_of.insert((r, p), k + 1);
                }
            }
        }
        let n = c.positions.len();
        for cols in blocks(n, PRINT_COLUMNS) {
            for rows in blocks(inc.rows.len(), PRINT_ROWS) {
                let caption = self.caption(&format!("{}{}", esc(&inc.incident), part(&cols, &rows, n, inc.rows.len())));
                // The explanations of the table's cells, row by row (-1: none).
                let cells: Vec<i64> = rows
                    .clone()
                    .flat_map(|r| cols.clone().map(move |p| (r, p)))
                    .map(|rp| body_of.get(&rp).map_or(-1, |&b| i64::from(b)))
                    .collect();
                self.cells.push(cells);
                let _ = write!(
                    self.out,
                    "<div class=\"block\"><table class=\"matrix\" data-incident=\"{i}\" data-t=\"{}\">{caption}\n<thead><tr><th>conclusion</th>",
                    self.cells.len() - 1
                );
                for p in cols.clone() {
                    let _ = write!(self.out, "<th>{}</th>", esc(c.title(p)));
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows.clone() {
                    let row = &inc.rows[r];
                    self.matrix_row(row, r, cols.clone(), &note_of);
                }
                self.out.push_str("</tbody></table></div>\n");
            }
        }
        self.causes(inc);
        if !notes.is_empty() {
            let _ = writeln!(
                self.out,
                "<section class=\"notes\" data-incident=\"{i}\"><h3>Notes: how the divergent results were reached</h3><ol>"
            );
            for (k, body) in notes.iter().enumerate() {
                // Who reached it: the cells that refer to this note.
                let mut who: Vec<(usize, usize)> = note_of.iter().filter(|(_, &v)| v == k + 1).map(|(&rp, _)| rp).collect();
                who.sort_unstable();
                let names: Vec<String> =
                    who.iter().map(|&(r, p)| format!("{} on {}", esc(c.title(p)), esc(&label(&inc.rows[r].conclusion)))).collect();
                let _ = writeln!(
                    self.out,
                    "<li id=\"note-{i}-{}\" data-x=\"{body}\"><b>{}.</b><pre class=\"explanation\"></pre></li>",
                    k + 1,
                    names.join("; ")
                );
            }
            self.out.push_str("</ol></section>\n");
        }
        self.out.push_str("</section>\n");
    }

    fn matrix_row(&mut self, row: &Row, r: usize, cols: Range<usize>, note_of: &HashMap<(usize, usize), usize>) {
        let common = most_common(row);
        let _ = write!(
            self.out,
            "<tr{}><th><a href=\"#c-{}\">{}</a></th>",
            if row.divergent { " class=\"divergent\"" } else { "" },
            esc(&row.conclusion),
            esc(&label(&row.conclusion))
        );
        for p in cols {
            match &row.cells[p] {
                None => self.out.push_str("<td>-</td>"),
                Some(cell) => {
                    let mut class = Vec::new();
                    if row.divergent {
                        class.push("d");
                        if common.is_none_or(|v| *v != cell.value) {
                            class.push("x");
                        }
                    }
                    let class = if class.is_empty() { String::new() } else { format!(" class=\"{}\"", class.join(" ")) };
                    let note = note_of.get(&(r, p)).map(|k| format!("<sup class=\"note\">{k}</sup>")).unwrap_or_default();
                    let refs = if row.divergent { self.refs(&cell.cites) } else { String::new() };
                    let _ = write!(self.out, "<td{class}>{}{note}{refs}</td>", esc(&cell_text(Some(cell))));
                }
            }
        }
        self.out.push_str("</tr>\n");
    }

    /// The changes that cause the incident's divergences, each once, with
    /// the conclusions it reaches and each position's result on them.
    fn causes(&mut self, inc: &IncidentComparison) {
        let c = self.comparison;
        let divergent: Vec<&Row> = inc.rows.iter().filter(|r| r.divergent).collect();
        if divergent.is_empty() {
            return;
        }
        let grouped = inc.grouped_causes();
        let unexplained: Vec<&Row> = divergent.iter().copied().filter(|r| r.causes.is_empty()).collect();
        self.out.push_str("<h3>Where they part ways, and why</h3>\n<ul class=\"causes\">\n");
        for crate::compare::GroupedCause { cause, rows } in &grouped {
            let p = c.positions.iter().position(|n| *n == cause.position);
            let who = p.map_or_else(|| esc(&cause.position), |p| esc(c.title(p)));
            let inherited = if cause.declared_by != cause.position {
                format!(" (in the position it extends, <code>{}</code>)", esc(&cause.declared_by))
            } else {
                String::new()
            };
            let reaches: Vec<String> = rows
                .iter()
                .map(|row| {
                    let value =
                        p.and_then(|p| row.cells[p].as_ref()).map(|cell| format!(" ({})", esc(&cell_text(Some(cell))))).unwrap_or_default();
                    format!("<a href=\"#c-{}\">{}</a>{value}", esc(&row.conclusion), esc(&label(&row.conclusion)))
                })
                .collect();
            let _ = writeln!(
                self.out,
                "<li><b>{who}</b> {}{inherited}{}; it reaches {}.</li>",
                code(&super::change_text(cause.change, &cause.target)),
                self.refs(&cause.cites),
                reaches.join(", ")
            );
        }
        for row in unexplained {
            let _ = writeln!(
                self.out,
                "<li><a href=\"#c-{}\">{}</a>: no change of the positions bears on it directly.</li>",
                esc(&row.conclusion),
                esc(&label(&row.conclusion))
            );
        }
        self.out.push_str("</ul>\n");
    }

    fn positions_section(&mut self) {
        self.out.push_str("<section id=\"positions\">\n<h2>Positions</h2>\n<p class=\"legend\">What each position changes in its base (rules, parameters, standards and burdens of proof, open questions), with its citations, and what it inherits by silence.</p>\n");
        let pages = self.pages;
        for (p, report) in pages.iter().enumerate() {
            let name = self.comparison.positions.get(p).cloned().unwrap_or_default();
            self.position_page(&name, report);
        }
        self.out.push_str("</section>\n");
    }

    /// A position's page: who it is, what it changes, what it inherits.
    fn position_page(&mut self, name: &str, r: &PositionReport) {
        use super::show::text::{count_text, extends_text, groups, headline, question_headline, reading_phrase, Seen};
        let s = &r.position;
        let _ = writeln!(
            self.out,
            "<section class=\"position\" id=\"position-{}\">\n<h2>{} <span class=\"id\">{}</span></h2>",
            esc(name),
            esc(&s.title),
            esc(&s.name)
        );
        let _ = writeln!(self.out, "<p>Extends {}.{}</p>", code(&extends_text(s)), self.refs(&s.cites));
        if !s.statements.is_empty() {
            self.out.push_str("<p>Its dated statements:</p><ul class=\"statements\">\n");
            for st in &s.statements {
                let left_out = if st.applies { "" } else { " (made after the day shown: its changes are left out)" };
                let _ = writeln!(
                    self.out,
                    "<li><code>{}</code> ({}){left_out}: {}{}</li>",
                    esc(&st.name),
                    esc(&st.date),
                    code(&st.description),
                    self.refs(&st.cites)
                );
            }
            self.out.push_str("</ul>\n");
        }
        let mut seen = Seen::default();
        let _ = writeln!(self.out, "<p><b>What it changes</b>: {}.</p>", esc(&count_text(&r.changes)));
        for group in groups(&r.changes) {
            let _ = writeln!(self.out, "<h3>{} ({})</h3>\n<ul class=\"changes\">", esc(group.heading), group.items.len());
            for item in group.items {
                let mut details = Vec::new();
                if let Some(st) = &item.statement {
                    details.push(format!("made in <code>{}</code> ({})", esc(&st.name), esc(&st.date)));
                }
                if let Some(reading) = &item.reading {
                    details.push(code(&reading_phrase(reading)));
                }
                let details =
                    if details.is_empty() { String::new() } else { format!("<div class=\"detail\">{}</div>", details.join("; ")) };
                let _ = writeln!(
                    self.out,
                    "<li class=\"change\">{}{}{details}</li>",
                    code(&headline(item, true, &mut seen)),
                    self.refs(&item.cites)
                );
            }
            self.out.push_str("</ul>\n");
        }
        for base in &r.by_bases {
            let _ = writeln!(
                self.out,
                "<h3>Changes it takes from {} ({})</h3>\n<ul class=\"changes\">",
                esc(&base.position.title),
                base.changes.len()
            );
            for item in base.changes.iter() {
                let _ =
                    writeln!(self.out, "<li class=\"change\">{}{}</li>", code(&headline(item, true, &mut seen)), self.refs(&item.cites));
            }
            self.out.push_str("</ul>\n");
        }
        if !r.declared.params.is_empty() || !r.declared.conclusions.is_empty() {
            self.out.push_str("<h3>What it declares that its base does not have</h3>\n<ul>\n");
            for p in &r.declared.params {
                let _ = writeln!(
                    self.out,
                    "<li>the parameter <code>{}</code> = {}: {}</li>",
                    esc(&p.name),
                    esc(&p.value),
                    code(&p.description)
                );
            }
            for c in &r.declared.conclusions {
                let _ = writeln!(self.out, "<li>{}</li>", code(&seen.conclusion(c)));
            }
            self.out.push_str("</ul>\n");
        }
        let questions: Vec<(&str, &super::show::Question)> =
            r.questions.own.iter().map(|q| ("its own", q)).chain(r.questions.from_base.iter().map(|q| ("its base's", q))).collect();
        if !questions.is_empty() {
            self.out.push_str("<h3>Questions it leaves open</h3>\n<ul>\n");
            for (whose, q) in questions {
                let reading = q.reading.as_ref().map(|r| format!("; {}", code(&reading_phrase(r)))).unwrap_or_default();
                let _ = writeln!(self.out, "<li>{} ({whose}){}{reading}</li>", code(&question_headline(q, &mut seen)), self.refs(&q.cites));
            }
            self.out.push_str("</ul>\n");
        }
        let inherited: Vec<String> =
            r.conclusions.inherited.iter().map(|c| format!("<a href=\"#c-{}\">{}</a>", esc(&c.name), esc(&label(&c.name)))).collect();
        let _ = writeln!(
            self.out,
            "<p class=\"inherits\"><b>What it inherits</b>: it states {} conclusion{} (some change of it bears on them); it inherits {} from its base by silence: {}.</p>\n</section>",
            r.conclusions.stated,
            if r.conclusions.stated == 1 { "" } else { "s" },
            inherited.len(),
            if inherited.is_empty() { "none".to_string() } else { inherited.join(", ") }
        );
    }

    fn conclusions_section(&mut self) {
        self.out.push_str("<section id=\"conclusions\">\n<h2>Conclusions</h2>\n<dl class=\"conclusions\">\n");
        let mut seen: IndexSet<&str> = IndexSet::new();
        for row in self.comparison.incidents.iter().flat_map(|i| &i.rows) {
            if seen.insert(row.conclusion.as_str()) {
                let _ = writeln!(
                    self.out,
                    "<dt id=\"c-{}\">{} <span class=\"id\">{}</span></dt><dd>{}</dd>",
                    esc(&row.conclusion),
                    esc(&label(&row.conclusion)),
                    esc(&row.conclusion),
                    code(&row.description)
                );
            }
        }
        self.out.push_str("</dl>\n</section>\n");
    }

    fn bibliography_section(&mut self) {
        self.out.push_str("<section id=\"bibliography\">\n<h2>Bibliography</h2>\n<p class=\"legend\">Every citation the positions and the standard library give for the results above, each once. The references are written as the norms cite them; <code>opinio compare --format csl-json</code> or <code>bibtex</code> exports them for a reference manager.</p>\n<ol class=\"bibliography\">\n");
        for entry in self.bibliography.entries() {
            let _ = writeln!(self.out, "<li id=\"ref-{}\" value=\"{}\">{}</li>", entry.number, entry.number, code(&entry.text));
        }
        self.out.push_str("</ol>\n</section>\n");
    }

    /// The embedded explanations and the script that renders them.
    fn data(&mut self) {
        let c = self.comparison;
        let data = serde_json::json!({
            "positions": (0..c.positions.len()).map(|i| c.title(i)).collect::<Vec<_>>(),
            "incidents": c.incidents.iter().map(incident_title).collect::<Vec<_>>(),
            "lines": self.lines.iter().collect::<Vec<_>>(),
            "bodies": self.bodies.iter().collect::<Vec<_>>(),
            "cells": self.cells,
        });
        // `<` written as an escape, so that no text ends the script element.
        let json = data.to_string().replace('<', "\\u003c");
        let _ = write!(self.out, "<aside id=\"panel\" hidden><button type=\"button\" class=\"close\" aria-label=\"Close\">&times;</button><h3></h3><pre class=\"explanation\"></pre></aside>\n<script type=\"application/json\" id=\"opinio-data\">{json}</script>\n<script>{SCRIPT}</script>\n");
    }

    /// The number of an explanation's body (without its first line, which
    /// names the position and incident), storing its lines once.
    fn body(&mut self, text: &str) -> u32 {
        let ids: Vec<u32> = text.lines().skip(1).map(|l| self.lines.insert_full(l.to_string()).0 as u32).collect();
        self.bodies.insert_full(ids).0 as u32
    }

    /// Citations as bibliography references: ` [3], [4, section 1.2]`.
    fn refs(&self, cites: &[String]) -> String {
        let r = self.refs_of(cites);
        if r.is_empty() {
            r
        } else {
            format!(" {r}")
        }
    }

    fn refs_of(&self, cites: &[String]) -> String {
        cites
            .iter()
            .filter_map(|cite| self.bibliography.reference(cite))
            .map(|r| match r.pinpoint_words() {
                Some(pin) => format!("<a class=\"ref\" href=\"#ref-{n}\">[{n}, {}]</a>", code(pin), n = r.number),
                None => format!("<a class=\"ref\" href=\"#ref-{n}\">[{n}]</a>", n = r.number),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every citation the page makes, numbered in the order the page first
/// makes it: the incidents' (the deciding rules of the divergent cells, the
/// causes), then the positions' pages.
pub fn bibliography_of(comparison: &Comparison, pages: &[PositionReport]) -> Bibliography {
    let mut cites = super::compare::divergent_cites(comparison);
    for page in pages {
        let s = &page.position;
        cites.extend(s.cites.iter().map(String::as_str));
        cites.extend(s.statements.iter().flat_map(|st| &st.cites).map(String::as_str));
        let items = page.changes.iter().chain(page.by_bases.iter().flat_map(|b| b.changes.iter()));
        cites.extend(items.flat_map(|item| &item.cites).map(String::as_str));
        let questions = page.questions.own.iter().chain(&page.questions.from_base);
        cites.extend(questions.flat_map(|q| &q.cites).map(String::as_str));
    }
    Bibliography::of(cites)
}

/// The colour class of a camp (the first six have their own).
fn camp_class(q: &summary::Question, camp: &summary::Camp) -> usize {
    q.camps.iter().position(|c| std::ptr::eq(c, camp)).unwrap_or(0).min(5)
}

/// The most common value among a row's cells, if one is more common than
/// every other.
fn most_common(row: &Row) -> Option<&serde_json::Value> {
    let mut counts: Vec<(&serde_json::Value, usize)> = Vec::new();
    for cell in row.cells.iter().flatten() {
        match counts.iter_mut().find(|(v, _)| **v == cell.value) {
            Some((_, n)) => *n += 1,
            None => counts.push((&cell.value, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    match counts.iter().filter(|(_, n)| *n == most).collect::<Vec<_>>().as_slice() {
        [(v, _)] => Some(*v),
        _ => None,
    }
}

/// Splits `n` items into blocks of at most `max`, as even as can be.
pub fn blocks(n: usize, max: usize) -> Vec<Range<usize>> {
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    let k = n.div_ceil(max.max(1));
    let (size, extra) = (n / k, n % k);
    let mut out = Vec::with_capacity(k);
    let mut start = 0;
    for i in 0..k {
        let len = size + usize::from(i < extra);
        out.push(start..start + len);
        start += len;
    }
    out
}

/// Which part of a split table a block is: "" for a whole table, else
/// " (positions 1-7 of 14; rows 1-20 of 38)".
fn part(cols: &Range<usize>, rows: &Range<usize>, ncols: usize, nrows: usize) -> String {
    let mut parts = Vec::new();
    if cols.len() < ncols {
        parts.push(format!("positions {}-{} of {ncols}", cols.start + 1, cols.end));
    }
    if rows.len() < nrows {
        parts.push(format!("rows {}-{} of {nrows}", rows.start + 1, rows.end));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// A conclusion's name as a reader reads it: `due_diligence.breach` as
/// "due diligence: breach".
pub fn label(conclusion: &str) -> String {
    conclusion.replace('_', " ").replace('.', ": ")
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
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

/// Escapes text for HTML, writing `name` in backticks as code.
pub fn code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut parts = s.split('`');
    let mut inside = false;
    let mut first = true;
    let count = s.matches('`').count();
    for piece in parts.by_ref() {
        if !first {
            inside = !inside;
        }
        first = false;
        // An unpaired backtick is text.
        if inside && count % 2 == 1 {
            out.push('`');
            out.push_str(&esc(piece));
            inside = false;
            continue;
        }
        if inside {
            let _ = write!(out, "<code>{}</code>", esc(piece));
        } else {
            out.push_str(&esc(piece));
        }
    }
    out
}

const STYLE: &str = "\
:root{--line:#c8c8c8;--muted:#555}\
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;line-height:1.4}\
main{max-width:80rem;margin:0 auto;padding:1.5rem 2rem}\
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid var(--line)}h3{font-size:1.05rem}\
a{color:#1d4f91}code{font-size:.9em;background:#f3f3f3;padding:0 .15em;border-radius:2px}\
table{border-collapse:collapse;margin:.4rem 0 1rem}caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}\
th,td{border:1px solid var(--line);padding:.2rem .45rem;text-align:left;vertical-align:top}\
thead th{background:#f2f2f2}tbody th{font-weight:500}\
table.summary tbody th{max-width:26rem}.description{font-weight:400;font-size:.8rem;color:var(--muted)}td.n{text-align:right}\
table.matrix td{cursor:pointer;white-space:nowrap}table.matrix td:focus{outline:2px solid #1d4f91}\
tr.divergent th{background:#fff3cd}td.d{background:#fff8e1}td.x{background:#ffd6a5;font-weight:600}\
.camp{font-weight:600}.c0{background:#e3f2e1}.c1{background:#fde2c8}.c2{background:#d9e6f7}.c3{background:#f3d9f0}.c4{background:#f7f3c6}.c5{background:#e6e6e6}\
span.camp{padding:0 .3em;border-radius:2px}\
table.agreement td{text-align:right}.s0{background:#f8d7d3}.s1{background:#fbe3cf}.s2{background:#fdf1cc}.s3{background:#e9f3d6}.s4{background:#d5ecd4}.s5{background:#c4e6c3}\
.legend,.file,.note,.stamp{color:var(--muted);font-size:.9rem}.summary{max-width:60rem}\
.id{font-family:ui-monospace,monospace;font-size:.8rem;color:var(--muted);font-weight:400}\
ul.causes li,ul.ranking li{margin:.25rem 0}dl.camps dd,dl.conclusions dd{margin:0 0 .3rem 1.5rem}\
sup.note{display:none}a.ref{text-decoration:none;font-size:.85em}\
details{margin:.3rem 0}details summary{cursor:pointer;color:#1d4f91}table.facts{font-size:.85rem}table.facts td{max-width:40rem}.source{font-style:italic}\
pre.explanation{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.8rem;margin:.3rem 0}\
section.notes{display:none}\
#panel{position:fixed;right:0;top:0;bottom:0;width:min(40rem,95vw);overflow:auto;background:#fff;border-left:2px solid #1d4f91;padding:1rem;box-shadow:-4px 0 12px rgba(0,0,0,.15)}\
#panel[hidden]{display:none}#panel .close{float:right;font-size:1.4rem;border:0;background:none;cursor:pointer}\
.changed{background:#fde2e2;border-left:4px solid #c0392b;padding:.4rem .6rem;font-weight:600}\
@page{size:landscape;margin:10mm}\
@media print{\
body{font-size:8pt;line-height:1.25}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}\
nav.toc,#panel,details.facts{display:none}\
h2{break-before:page;break-after:avoid;margin-top:0}h3{break-after:avoid}header h1+p{margin-top:0}\
.block{break-inside:avoid;page-break-inside:avoid}table{font-size:7pt;break-inside:avoid;page-break-inside:avoid;max-width:100%}\
th,td{padding:1px 3px}table.matrix td{white-space:normal;cursor:auto}table.summary tbody th{max-width:none;width:32%}\
sup.note{display:inline;font-size:6pt}\
section.notes{display:block;font-size:6.5pt}section.notes ol{column-count:2;column-gap:6mm}section.notes li{break-inside:avoid}pre.explanation{font-size:6pt}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// Renders an explanation when its cell is clicked (or entered), in a panel
/// beside the table so that no column widens; and fills the notes of the
/// divergent cells, for print. `` `x` `` is shown as code.
const SCRIPT: &str = r#"(function(){
var data=JSON.parse(document.getElementById('opinio-data').textContent);
function body(x){return (data.bodies[x]||[]).map(function(i){return data.lines[i];}).join('\n').replace(/^\n+/,'');}
function fill(pre,text){pre.textContent='';text.split('`').forEach(function(part,i){if(i%2){var c=document.createElement('code');c.textContent=part;pre.appendChild(c);}else{pre.appendChild(document.createTextNode(part));}});}
var panel=document.getElementById('panel');
function explanation(td){var t=td.closest('table.matrix');if(!t||td.cellIndex<1){return -1;}
var cols=t.tHead.rows[0].cells.length-1;var r=td.parentNode.sectionRowIndex;var x=(data.cells[+t.dataset.t]||[])[r*cols+td.cellIndex-1];return x===undefined?-1:x;}
function open(td){var x=explanation(td);if(x<0){return;}var t=td.closest('table');var th=t.tHead.rows[0].cells[td.cellIndex];
var row=td.parentNode.cells[0];
panel.querySelector('h3').textContent=(th?th.textContent:'')+' on '+data.incidents[+t.dataset.incident]+': '+(row?row.textContent:'');
fill(panel.querySelector('pre'),body(x));panel.hidden=false;panel.querySelector('.close').focus();}
document.querySelectorAll('table.matrix tbody td').forEach(function(td){if(explanation(td)>=0){td.tabIndex=0;}});
document.addEventListener('click',function(e){var td=e.target.closest('table.matrix tbody td');if(td&&!e.target.closest('a')){open(td);}});
document.addEventListener('keydown',function(e){if(e.key==='Escape'){panel.hidden=true;}var td=e.target.closest&&e.target.closest('table.matrix tbody td');if(td&&e.key==='Enter'){open(td);}});
panel.querySelector('.close').addEventListener('click',function(){panel.hidden=true;});
document.querySelectorAll('section.notes li[data-x]').forEach(function(li){fill(li.querySelector('pre'),body(+li.dataset.x));});
})();"#;
