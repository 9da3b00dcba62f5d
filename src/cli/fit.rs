//! Fitting terminal output to a width: the width to fit, prose wrapped with
//! a hanging indent, and tables cut into blocks of columns.
//!
//! Widths are display widths (`unicode-width`: what comfy-table measures
//! with), so a title with accents or in another script is measured as the
//! terminal shows it. Everything here is deterministic: the same text and
//! width give the same lines.

use comfy_table::{presets, ContentArrangement, Table};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width when standard output is neither a terminal nor told by
/// `COLUMNS`: a pipe or a file. 100 columns fit a laptop's terminal and a
/// printed page in a small monospace font, and what a pipe is read with
/// (a pager, an editor) may be narrower than the terminal it runs in.
pub const PIPE_WIDTH: usize = 100;

/// The narrowest width fitted to: below it a table of a label and one
/// column cannot show a result legibly, so a narrower `COLUMNS` is taken as
/// this.
pub const MIN_WIDTH: usize = 40;

/// The width to fit output to: `COLUMNS` when it is set to a number (as
/// shells set it for their terminal; also a way to ask for a width), else
/// the terminal's when standard output is one and the output is not
/// written to a file (`to_file`), else [`PIPE_WIDTH`]. Never below
/// [`MIN_WIDTH`].
pub fn width(to_file: bool) -> usize {
    let told = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    let detected = if to_file { None } else { Table::new().width().map(usize::from).filter(|&c| c > 0) };
    told.or(detected).unwrap_or(PIPE_WIDTH).max(MIN_WIDTH)
}

/// The display width of `s`.
pub fn text_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Where a text may break: at spaces only (prose), or also after `_` and
/// `.` (identifiers such as `sovereignty_as_a_rule.breach`, and cells that
/// hold them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// At spaces.
    Spaces,
    /// At spaces, and after `_` and `.`.
    Names,
}

/// The pieces of `text` a line may break between: each with whether a space
/// comes before it (a piece that follows `_` or `.` is glued to the last).
fn pieces(text: &str, breaks: Breaks) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut spaced = true;
        let mut start = 0;
        if breaks == Breaks::Names {
            for (i, c) in word.char_indices() {
                if (c == '_' || c == '.') && i + 1 < word.len() {
                    out.push((spaced, &word[start..=i]));
                    spaced = false;
                    start = i + 1;
                }
            }
        }
        out.push((spaced, &word[start..]));
    }
    out
}

/// The widest piece of `text` (what a column must hold for the text to
/// wrap without cutting a word).
pub fn widest_piece(text: &str, breaks: Breaks) -> usize {
    text.split('\n').flat_map(|line| pieces(line, breaks)).map(|(_, p)| text_width(p)).max().unwrap_or(0)
}

/// Wraps `text` into lines of at most `width` columns (at least 1),
/// breaking where `breaks` allows; a piece wider than a line is cut. Line
/// breaks in `text` are kept.
pub fn wrap(text: &str, width: usize, breaks: Breaks) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for (spaced, piece) in pieces(paragraph, breaks) {
            let gap = usize::from(spaced && !line.is_empty());
            if !line.is_empty() && text_width(&line) + gap + text_width(piece) > width {
                lines.push(std::mem::take(&mut line));
            } else if gap == 1 {
                line.push(' ');
            }
            for c in piece.chars() {
                let w = UnicodeWidthChar::width(c).unwrap_or(0);
                if !line.is_empty() && text_width(&line) + w > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    lines
}

/// `text` as a paragraph of at most `width` columns: its first line after
/// `first`, the others after `rest` (a hanging indent), each ending in a
/// line break.
pub fn paragraph(text: &str, width: usize, first: &str, rest: &str) -> String {
    let indent = text_width(first).max(text_width(rest));
    let mut out = String::new();
    for (i, line) in wrap(text, width.saturating_sub(indent), Breaks::Spaces).iter().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A table to fit: a label column (its head `corner`, one label per row)
/// and data columns (`heads`, one text per row in `rows`).
pub struct Grid<'a> {
    /// The head of the label column.
    pub corner: &'a str,
    /// The heads of the data columns.
    pub heads: Vec<String>,
    /// Each row: its label, and its texts in the order of `heads`.
    pub rows: Vec<(String, Vec<String>)>,
}

/// The widest a data column is made before the blocks are cut (wider text
/// wraps); what a block has to spare then widens its columns again.
const COLUMN_CAP: usize = 14;

/// What a column of a block costs beyond its text: a space each side and a
/// border.
const COLUMN_FRAME: usize = 3;

impl Grid<'_> {
    /// The table as text no wider than `width`: one table, or, when the
    /// columns do not fit side by side, several one under the other, each
    /// with some of the columns and the label column again. Cells wrap
    /// within their column (after `_` and `.` as well as at spaces). The
    /// label column is as wide as its widest label, or narrower (its labels
    /// wrapping) where that leaves room for more columns in a block and so
    /// takes fewer lines in all.
    pub fn render(&self, width: usize) -> String {
        let labels = std::iter::once(self.corner).chain(self.rows.iter().map(|(label, _)| label.as_str()));
        let natural = labels.map(text_width).max().unwrap_or(0).max(1);
        let mut best: Option<String> = None;
        for cap in [width * 2 / 5, width / 3, width / 4] {
            let text = self.render_with(width, natural.min(cap).max(1));
            if best.as_ref().is_none_or(|b| text.lines().count() < b.lines().count()) {
                best = Some(text);
            }
        }
        best.unwrap_or_default()
    }

    /// The table with a label column of at most `label` columns.
    fn render_with(&self, width: usize, label: usize) -> String {
        let n = self.heads.len();
        let column = |i: usize| self.rows.iter().map(move |(_, texts)| texts.get(i).map_or("", String::as_str));
        let corner = wrap(self.corner, label, Breaks::Names);
        let labels: Vec<Vec<String>> = self.rows.iter().map(|(l, _)| wrap(l, label, Breaks::Names)).collect();
        let label = corner.iter().chain(labels.iter().flatten()).map(|l| text_width(l)).max().unwrap_or(1);
        // What a block has left for its data columns.
        let room = width.saturating_sub(1 + label + COLUMN_FRAME);
        let most = room.saturating_sub(COLUMN_FRAME).max(1);
        // Each data column: the least that holds its words, its natural
        // width, and the width it starts from.
        let least: Vec<usize> = (0..n)
            .map(|i| column(i).chain(std::iter::once(self.heads[i].as_str())).map(|t| widest_piece(t, Breaks::Names)).max().unwrap_or(1))
            .collect();
        let natural: Vec<usize> = (0..n)
            .map(|i| column(i).chain(std::iter::once(self.heads[i].as_str())).map(text_width).max().unwrap_or(1).clamp(1, most))
            .collect();
        let cells: Vec<usize> = (0..n).map(|i| column(i).map(text_width).max().unwrap_or(0)).collect();
        let mut widths: Vec<usize> = (0..n).map(|i| least[i].max(cells[i].min(COLUMN_CAP)).clamp(1, most)).collect();
        let mut out = String::new();
        for block in blocks(&widths, room) {
            // Spread what the block has to spare over its columns, a column
            // at a time, up to their natural widths.
            let mut spare = room.saturating_sub(block.clone().map(|i| widths[i] + COLUMN_FRAME).sum());
            while spare > 0 {
                let mut grew = false;
                for i in block.clone() {
                    if spare > 0 && widths[i] < natural[i] {
                        widths[i] += 1;
                        spare -= 1;
                        grew = true;
                    }
                }
                if !grew {
                    break;
                }
            }
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled).force_no_tty();
            let mut header = vec![corner.join("\n")];
            header.extend(block.clone().map(|i| fitted(&self.heads[i], widths[i])));
            t.set_header(header);
            for ((_, texts), l) in self.rows.iter().zip(&labels) {
                let mut row = vec![l.join("\n")];
                row.extend(block.clone().map(|i| fitted(texts.get(i).map_or("", String::as_str), widths[i])));
                t.add_row(row);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out
    }
}

/// `text` wrapped to `width`, its lines joined for a table cell.
fn fitted(text: &str, width: usize) -> String {
    wrap(text, width, Breaks::Names).join("\n")
}

/// The columns (of these widths) cut into consecutive blocks that each fit
/// `room`: as few blocks as cutting greedily gives, and of those, blocks of
/// as even a number of columns as fit. Every block has at least one column.
fn blocks(widths: &[usize], room: usize) -> Vec<std::ops::Range<usize>> {
    let cost = |r: std::ops::Range<usize>| -> usize { widths[r].iter().map(|w| w + COLUMN_FRAME).sum() };
    let mut greedy = Vec::new();
    let mut start = 0;
    while start < widths.len() {
        let mut end = start + 1;
        while end < widths.len() && cost(start..end + 1) <= room {
            end += 1;
        }
        greedy.push(start..end);
        start = end;
    }
    if greedy.len() < 2 {
        return greedy;
    }
    // The same number of blocks, with even numbers of columns, if they fit.
    let k = greedy.len();
    let n = widths.len();
    let even: Vec<std::ops::Range<usize>> = (0..k).map(|b| b * n / k..(b + 1) * n / k).collect();
    if even.iter().all(|r| !r.is_empty() && cost(r.clone()) <= room) {
        even
    } else {
        greedy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_names_after_underscores_and_prose_at_spaces() {
        assert_eq!(wrap("sovereignty_as_a_rule.breach !", 12, Breaks::Names), ["sovereignty_", "as_a_rule.", "breach !"]);
        assert_eq!(wrap("United Kingdom", 8, Breaks::Spaces), ["United", "Kingdom"]);
        assert_eq!(wrap("abcdefgh", 3, Breaks::Spaces), ["abc", "def", "gh"]);
        assert_eq!(paragraph("one two three", 9, "- ", "  "), "- one two\n  three\n");
    }

    #[test]
    fn a_grid_fits_its_width_in_blocks() {
        let heads: Vec<String> = (0..12).map(|i| format!("Position number {i}")).collect();
        let rows = vec![("internationally_wrongful_act !".to_string(), vec!["false (not established)~".to_string(); 12])];
        let grid = Grid { corner: "conclusion", heads, rows };
        for width in [40, 60, 100] {
            let text = grid.render(width);
            assert!(text.lines().all(|l| text_width(l) <= width), "{text}");
            assert!(text.contains("Position") && text.contains("11"));
        }
    }
}
