//! Rendering a comparison as LaTeX, for a paper's appendix.
//!
//! In: a [`Comparison`]. Out: a fragment to `\input` ([`latex`]): the summary
//! of the questions that divide the positions, one matrix per incident, and
//! the agreement of each pair of positions on contested conclusions; or a
//! complete document around it ([`latex_document`]).
//!
//! Every table is a `longtable` (it breaks across pages, and a hundred of
//! them never fill LaTeX's queue of floats) with `booktabs` rules and no
//! vertical rule, in `\footnotesize`. Its columns are sized as shares of
//! `\linewidth`, so that it fits the page or column it is put in: the first
//! column (conclusions, questions) wraps, and the positions are split into
//! blocks of at most [`BLOCK`] columns, one table each, the later ones
//! captioned "(continued)". Every text is escaped ([`escape`]); non-ASCII
//! text is left as UTF-8. Deterministic, like every report.

use super::compare::{cell_text, contested_text, ignored_notes, incident_title, CELL_LEGEND};
use crate::compare::summary::{summary, STANCE_LEGEND};
use crate::compare::Comparison;

/// The most position columns one table has: the positions of a wider
/// comparison are split into blocks as even as can be (14 positions: 5, 5
/// and 4), one table each.
pub const BLOCK: usize = 6;

/// The share of the line, in thousandths, that the first column takes.
const FIRST_COLUMN: usize = 220;

/// The most a position's column takes, in thousandths of the line, so that
/// a comparison of two or three positions is not spread over the page.
const MAX_COLUMN: usize = 160;

/// The packages the fragment needs, and how it is used, as the comment that
/// opens it.
const HEADER: &str = "\
% Made by `opinio compare --format latex`: a fragment to \\input in a document.
% It needs, in the preamble:
%   \\usepackage{booktabs,longtable,array}
% Its text is UTF-8: with pdflatex, \\usepackage[utf8]{inputenc} (the default
% since LaTeX 2018; with \\usepackage[T1]{fontenc} for the best glyphs, if the
% T1 fonts are installed); lualatex and xelatex read it natively.
% The tables are longtables in \\footnotesize (they break across pages and do
% not float; in a two-column document, \\onecolumn first), sized as shares of
% \\linewidth, with at most 6 positions each.
";

/// The comparison as a LaTeX fragment: the questions that divide the
/// positions (their stances, with the legend as a note), one matrix of
/// conclusions by positions per incident (captioned with its title and
/// date), and the agreement of each pair of positions on contested
/// conclusions. The packages it needs are named in its opening comment.
pub fn latex(comparison: &Comparison) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\\begingroup\n\\footnotesize\n\\setlength{\\tabcolsep}{3pt}\n\\setlength{\\LTcapwidth}{\\linewidth}\n");
    if let Some(sentence) = super::compare::changed_sentence(comparison) {
        out.push_str(&format!("\\par\\noindent\\textbf{{{}.}}\\par\n", escape(&sentence)));
    }
    let titles: Vec<String> = (0..comparison.positions.len()).map(|i| escape(comparison.title(i))).collect();
    // What divides whom.
    let questions = summary(comparison).questions;
    if questions.is_empty() {
        out.push_str("\\par\\noindent No question divides the positions on these incidents.\\par\n");
    } else {
        Table {
            caption: "Questions that divide the positions, across the incidents".into(),
            label: "opinio-summary".into(),
            corner: "Question".into(),
            columns: titles.clone(),
            rows: questions
                .iter()
                .map(|q| {
                    let stances = q.stances.iter().map(|s| s.as_ref().map_or_else(|| "-".into(), |s| escape(&s.text(q)))).collect();
                    (breakable(&q.conclusion), stances)
                })
                .collect(),
            notes: vec![legend(STANCE_LEGEND)],
        }
        .write(&mut out);
    }
    // Each incident.
    out.push_str(&format!(
        "\\par\\noindent In the tables of the incidents, a conclusion in bold is one on which the positions diverge; {}\\par\n",
        legend(CELL_LEGEND)
    ));
    for (i, c) in comparison.incidents.iter().enumerate() {
        let mut caption = escape(&incident_title(c));
        if let Some(date) = &c.meta.date {
            caption.push_str(&format!(" ({})", escape(date)));
        }
        if c.rows.is_empty() {
            out.push_str(&format!("\\par\\noindent\\textbf{{{caption}}}: no conclusion to show.\\par\n"));
            continue;
        }
        Table {
            caption,
            label: format!("opinio-incident-{}", i + 1),
            corner: "Conclusion".into(),
            columns: titles.clone(),
            rows: c
                .rows
                .iter()
                .map(|r| {
                    let name = if r.divergent { format!("\\textbf{{{}}}", breakable(&r.conclusion)) } else { breakable(&r.conclusion) };
                    (name, r.cells.iter().map(|cell| breakable(&cell_text(cell.as_ref()))).collect())
                })
                .collect(),
            notes: ignored_notes(comparison, c).iter().map(|n| format!("{}.", escape(n))).collect(),
        }
        .write(&mut out);
    }
    // Agreement on contested conclusions.
    if comparison.positions.len() > 1 {
        let n = comparison.positions.len();
        Table {
            caption: "Agreement between positions on contested conclusions".into(),
            label: "opinio-agreement".into(),
            corner: String::new(),
            columns: titles.clone(),
            rows: titles
                .iter()
                .enumerate()
                .map(|(a, title)| {
                    let cells = (0..n)
                        .map(|b| comparison.agreement_between(a, b).map(|g| escape(&contested_text(g))).unwrap_or_default())
                        .collect();
                    (title.clone(), cells)
                })
                .collect(),
            notes: vec![legend(
                "The share of the results on contested conclusions (those whose result some compared position states), \
                 over every conclusion both positions have on every incident, including those not shown, \
                 on which the two positions give the same result; `-`: they have no such result in common.",
            )],
        }
        .write(&mut out);
    }
    out.push_str("\\par\n\\endgroup\n");
    out
}

/// The comparison as a complete document (A4, portrait): a minimal preamble
/// with the packages [`latex`] needs, and the fragment.
pub fn latex_document(comparison: &Comparison) -> String {
    let mut out = String::from(
        "% Made by `opinio compare --format latex-document`: compiles with pdflatex, lualatex or xelatex.\n\
         \\documentclass[a4paper,10pt]{article}\n\
         \\usepackage[utf8]{inputenc}\n\
         \\usepackage[margin=2cm]{geometry}\n\
         \\usepackage{booktabs,longtable,array}\n\
         \\begin{document}\n\
         \\section*{Comparison of positions}\n",
    );
    out.push_str(&latex(comparison));
    out.push_str("\\end{document}\n");
    out
}

/// A table of a first column by positions, already in LaTeX, written as one
/// `longtable` per block of position columns.
struct Table {
    /// The caption, without the "(continued)" of later blocks and pages.
    caption: String,
    /// The label of the first block (`\ref` finds the table's number).
    label: String,
    /// The heading of the first column.
    corner: String,
    /// The heading of each position's column.
    columns: Vec<String>,
    /// Each row: its first cell, and one cell per position.
    rows: Vec<(String, Vec<String>)>,
    /// Notes, set below the last block.
    notes: Vec<String>,
}

impl Table {
    /// Writes the table to `out`.
    fn write(&self, out: &mut String) {
        let blocks = blocks(self.columns.len());
        let last = blocks.len().saturating_sub(1);
        // The columns of every block as wide as those of the first (the
        // largest), so that the blocks line up.
        let widest = blocks.first().map_or(1, |b| b.len().max(1));
        let share = ((1000 - FIRST_COLUMN) / widest).min(MAX_COLUMN);
        for (b, block) in blocks.iter().enumerate() {
            let k = block.len();
            // INVARIANT: with `@{}` at both ends, the row is as wide as the
            // first column and the position columns with their padding:
            // FIRST_COLUMN + k * share thousandths of the line, at most all of it.
            let total = FIRST_COLUMN + k * share;
            // Ragged right; `\hspace{0pt}` lets the first word hyphenate
            // too, where it is wider than its column.
            let wrap = ">{\\raggedright\\arraybackslash\\hspace{0pt}}";
            if b > 0 {
                // The same number as the first block.
                out.push_str("\\addtocounter{table}{-1}\n");
            }
            out.push_str(&format!(
                "\\begin{{longtable}}{{@{{}}{wrap}p{{{}\\linewidth}}*{{{k}}}{{{wrap}p{{\\dimexpr {}\\linewidth-2\\tabcolsep\\relax}}}}@{{}}}}\n",
                thousandths(FIRST_COLUMN),
                thousandths(share)
            ));
            let mut head = self.corner.clone();
            for column in self.columns.get(block.clone()).unwrap_or_default() {
                head.push_str(&format!(" & {column}"));
            }
            let head = format!("\\toprule\n{head}\\\\\n\\midrule\n");
            let continued = format!("\\caption[]{{{} (continued)}}\\\\\n", self.caption);
            if b == 0 {
                out.push_str(&format!("\\caption{{{}}}\\label{{{}}}\\\\\n", self.caption, self.label));
            } else {
                out.push_str(&continued);
            }
            out.push_str(&format!("{head}\\endfirsthead\n{continued}{head}\\endhead\n\\bottomrule\n\\endfoot\n\\bottomrule\n"));
            if b == last && !self.notes.is_empty() {
                out.push_str(&format!(
                    "\\multicolumn{{{}}}{{@{{}}p{{{}\\linewidth}}@{{}}}}{{\\raggedright\\textit{{Note:}} {}}}\\\\\n",
                    k + 1,
                    thousandths(total),
                    self.notes.join(" ")
                ));
            }
            out.push_str("\\endlastfoot\n");
            for (first, cells) in &self.rows {
                out.push_str(first);
                for cell in cells.get(block.clone()).unwrap_or_default() {
                    out.push_str(&format!(" & {cell}"));
                }
                out.push_str("\\\\\n");
            }
            out.push_str("\\end{longtable}\n");
        }
    }
}

/// The blocks of at most [`BLOCK`] columns that `n` columns are split into,
/// as even as can be, the larger first.
fn blocks(n: usize) -> Vec<std::ops::Range<usize>> {
    let count = n.div_ceil(BLOCK).max(1);
    let (size, extra) = (n / count, n % count);
    let mut start = 0;
    (0..count)
        .map(|b| {
            let len = size + usize::from(b < extra);
            start += len;
            start - len..start
        })
        .collect()
}

/// Thousandths as a decimal: `240` is `0.240`.
fn thousandths(n: usize) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

/// Text as LaTeX sets it in text mode, every character as it is: the
/// special characters `& % $ # _ { } ~ ^ \` escaped (`~` as `$\sim$`),
/// `< > |` and the backquote by commands (they are other glyphs in the
/// default fonts), a `-` after a `-` kept from making a dash, control
/// characters (line breaks, tabs) as spaces. Non-ASCII text is left as UTF-8.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            // A tilde at mid height (`\textasciitilde` is a small accent in
            // the default fonts, read as a macron); the penalty before it
            // lets the word it follows hyphenate (math after a word stops
            // TeX from hyphenating it) and keeps it on the word's line.
            '~' => out.push_str("\\nobreak\\ensuremath{\\sim}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '`' => out.push_str("\\`{}"),
            '-' if previous == Some('-') => out.push_str("{}-"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// Text of identifiers (a conclusion's name, a cell's value) escaped, with
/// a break allowed after each `_` and `.`, so that a long one wraps in its
/// column.
fn breakable(name: &str) -> String {
    let mut out = String::new();
    for (i, part) in name.split_inclusive(['_', '.']).enumerate() {
        if i > 0 {
            out.push_str("\\allowbreak{}");
        }
        out.push_str(&escape(part));
    }
    out
}

/// A legend whose code spans are in backquotes (`` `*` marks ... ``), with
/// those spans in typewriter type.
fn legend(text: &str) -> String {
    text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { format!("\\texttt{{{}}}", escape(part)) } else { escape(part) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(escape("&%$#_{}~^\\"), "\\&\\%\\$\\#\\_\\{\\}\\nobreak\\ensuremath{\\sim}\\textasciicircum{}\\textbackslash{}");
        assert_eq!(escape("a<b>c|d`e"), "a\\textless{}b\\textgreater{}c\\textbar{}d\\`{}e");
        assert_eq!(escape("--x---"), "-{}-x-{}-{}-");
        assert_eq!(escape("line\nbreak\ttab"), "line break tab");
        assert_eq!(escape("Côte d’Ivoire"), "Côte d’Ivoire");
        // A hostile text closes no group and starts no command: after the
        // escapes are taken out, no special character is left.
        let hostile = "}\\end{document}%$x^2$ & #1 ~ \\\\ {\\bf";
        let mut rest = escape(hostile);
        for e in ["\\textbackslash{}", "\\nobreak\\ensuremath{\\sim}", "\\textasciicircum{}", "\\{", "\\}", "\\%", "\\$", "\\&", "\\#"] {
            rest = rest.replace(e, "");
        }
        assert!(!rest.contains(['\\', '{', '}', '%', '$', '&', '#', '^', '~']), "{rest}");
    }

    #[test]
    fn names_break_after_underscores_and_dots() {
        assert_eq!(breakable("use_of_force.breach"), "use\\_\\allowbreak{}of\\_\\allowbreak{}force.\\allowbreak{}breach");
    }

    #[test]
    fn legends_set_code_in_typewriter_type() {
        assert_eq!(legend("`*` marks, `~` too"), "\\texttt{*} marks, \\texttt{\\nobreak\\ensuremath{\\sim}} too");
    }

    #[test]
    fn the_opening_comment_gives_the_block_size() {
        assert!(HEADER.contains(&format!("at most {BLOCK} positions each")));
    }

    #[test]
    fn positions_are_split_into_even_blocks() {
        assert_eq!(blocks(14), vec![0..5, 5..10, 10..14]);
        assert_eq!(blocks(6), vec![0..6]);
        assert_eq!(blocks(7), vec![0..4, 4..7]);
        assert_eq!(blocks(2), vec![0..2]);
        assert_eq!(blocks(0), vec![0..0]);
    }
}
