//! A numbered bibliography of the sources the norms cite, and its export for
//! reference managers (CSL-JSON and BibTeX).
//!
//! In: citation strings, in the order a report meets them. Out: a
//! [`Bibliography`] whose entries are numbered from 1 by first appearance,
//! and a [`Reference`] for every string added, written `[3]` or
//! `[3], section 1.2`.
//!
//! The norms cite their sources as free text (`cites "France, Ministry of the
//! Armed Forces, ..., 9 September 2019, section 1.2"`): there is no author,
//! title or date field to read. The bibliography therefore only groups a
//! pinpoint under its work when the text says so literally (the rule is on
//! [`Bibliography`]), and the exports carry each entry's text whole, as its
//! title, rather than inventing a structure the norms do not give.
//!
//! Guarantees: the same cites added in the same order give the same numbers,
//! the same references and the same exports, byte for byte.

use indexmap::{IndexMap, IndexSet};
use serde_json::{json, Value as Json};

use crate::ir::Program;

/// What separates a work from a pinpoint that follows it: `, ` (a pinpoint:
/// `, section 1.2`), ` (` (a parenthetical: ` (wording unverified)`) and
/// `; ` (a further note), each followed by at least one more character.
/// Nothing else groups.
pub const SEPARATORS: [&str; 3] = [", ", " (", "; "];

/// Where a citation string points in a [`Bibliography`]: the number of its
/// entry and, for a pinpoint of a work, what follows the work's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    /// The entry's number, from 1.
    pub number: usize,
    /// The text that follows the work's text in the citation, separator
    /// included, exactly as written (`, section 1.2`, ` (wording
    /// unverified)`); `None` when the citation is the entry's text itself.
    /// The citation is always the entry's text followed by this.
    pub pinpoint: Option<String>,
}

impl Reference {
    /// The pinpoint without its separator's `, `, `; ` or space:
    /// `section 1.2`, `(wording unverified)`.
    pub fn pinpoint_words(&self) -> Option<&str> {
        self.pinpoint.as_deref().map(pinpoint_words)
    }
}

impl std::fmt::Display for Reference {
    /// `[3]`, or `[3]` followed by the pinpoint as written: `[3], section
    /// 1.2`, `[3] (wording unverified)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]{}", self.number, self.pinpoint.as_deref().unwrap_or(""))
    }
}

/// A pinpoint as written (`, section 1.2`) without its separator's `, `,
/// `; ` or space (`section 1.2`).
fn pinpoint_words(pinpoint: &str) -> &str {
    pinpoint.strip_prefix(", ").or_else(|| pinpoint.strip_prefix("; ")).or_else(|| pinpoint.strip_prefix(' ')).unwrap_or(pinpoint)
}

/// One numbered entry of a [`Bibliography`]: a work, or a citation that
/// extends no other.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Its number, from 1: its place in [`Bibliography::entries`] plus one.
    pub number: usize,
    /// Its full text, as cited.
    pub text: String,
    /// The pinpoints cited under it, as written after its text (separator
    /// included, as in [`Reference::pinpoint`]), each once, in the order
    /// they were first added.
    pub pinpoints: Vec<String>,
}

impl Entry {
    /// Its pinpoints without their separators (`section 1.2`), as
    /// [`Reference::pinpoint_words`] writes them.
    pub fn pinpoint_words(&self) -> impl Iterator<Item = &str> {
        self.pinpoints.iter().map(|p| pinpoint_words(p))
    }

    /// The last year from 1900 to 2099 its text names: a run of exactly four
    /// digits, not touching another digit, starting `19` or `20`. The last,
    /// not the first, because in the shipped citations a later year is the
    /// one of the version cited (`8 December 2020, 97 International Law
    /// Studies 395 (2021)`; `June 2015, updated December 2016`) and an
    /// earlier four-digit number may be no year at all (`Aegis Series Paper
    /// No. 2006, 2020`). A citation ending in a later date (`as quoted in
    /// ..., 2023`) takes that year. `None` when the text names none
    /// (`Tallinn Manual 2.0, rule 4`; a letter of 1841, older than the rule
    /// looks).
    pub fn year(&self) -> Option<u16> {
        last_year(&self.text)
    }

    /// Its type in CSL terms, read from its text only where the text says it
    /// plainly:
    ///
    /// - `legal_case`: the text names a decision (the word `Judgment` or
    ///   `Award`, or `Advisory Opinion`) and either parties (` v. `) or the
    ///   court, first (`ICJ, ` or `PCIJ, `): `ICJ, Corfu Channel (United
    ///   Kingdom v. Albania), Merits, Judgment, 1949`, `ICJ, Legality of the
    ///   Threat or Use of Nuclear Weapons, Advisory Opinion, 1996`, `Lake
    ///   Lanoux Arbitration (France v. Spain), Award, 16 November 1957`;
    /// - `report`: the part before its first comma has the word `report`
    ///   (`UN GGE report, A/70/174`, `Report of the UN Group of Governmental
    ///   Experts, ...`);
    /// - `document` otherwise: statements, letters, speeches, manuals, and
    ///   also treaties (`Charter of the United Nations`) and articles
    ///   (`ARSIWA`), which no word of the text marks alike (a `Convention`
    ///   may be a draft: `Convention on International Information Security
    ///   (Concept)`). `legislation` is never guessed.
    pub fn csl_type(&self) -> &'static str {
        csl_type(&self.text)
    }
}

/// Collects citation strings, in the order a report meets them, and numbers
/// them when [`finish`](BibliographyBuilder::finish)ed: a pinpoint may come
/// before its work and still be grouped under it.
#[derive(Debug, Clone, Default)]
pub struct BibliographyBuilder {
    /// The distinct cites, in first-appearance order.
    cites: IndexSet<String>,
}

impl BibliographyBuilder {
    /// An empty builder.
    pub fn new() -> BibliographyBuilder {
        BibliographyBuilder::default()
    }

    /// Adds a citation string; a string already added changes nothing.
    pub fn add(&mut self, cite: &str) {
        if !self.cites.contains(cite) {
            self.cites.insert(cite.to_string());
        }
    }

    /// Adds every citation of a program, for an export of all its sources:
    /// its positions', its statements', its positions' changes', its rules',
    /// its conclusions' burdens' and standards', and its questions', in that
    /// order and each in the program's order. A report that numbers sources
    /// as it cites them adds them as it writes them instead.
    pub fn add_program(&mut self, program: &Program) {
        for cite in program_cites(program) {
            self.add(cite);
        }
    }

    /// Numbers the entries and resolves every citation added.
    pub fn finish(self) -> Bibliography {
        let cites = self.cites;
        // A cite that extends no other is a work; any other goes under the
        // longest work it extends (it extends at least one: the shortest cite
        // it extends extends none, or it would extend that one's too).
        let extends: Vec<Option<usize>> = cites.iter().map(|c| longest_extended(&cites, c, |_| true)).collect();
        let is_work = |w: usize| extends.get(w).is_some_and(Option::is_none);
        let work_of: Vec<Option<usize>> = cites.iter().map(|c| longest_extended(&cites, c, is_work)).collect();
        let mut number_of: Vec<Option<usize>> = vec![None; cites.len()];
        let mut entries: Vec<Entry> = Vec::new();
        let mut references: IndexMap<String, Reference> = IndexMap::new();
        for (i, cite) in cites.iter().enumerate() {
            let work = work_of[i].unwrap_or(i);
            let number = match number_of.get(work).copied().flatten() {
                Some(n) => n,
                None => {
                    let n = entries.len() + 1;
                    let text = cites.get_index(work).map_or_else(String::new, Clone::clone);
                    entries.push(Entry { number: n, text, pinpoints: Vec::new() });
                    if let Some(slot) = number_of.get_mut(work) {
                        *slot = Some(n);
                    }
                    n
                }
            };
            let pinpoint = work_of[i].and_then(|w| cites.get_index(w)).map(|w| cite[w.len()..].to_string());
            // INVARIANT: numbers start at 1, and entry `n` is at `n - 1`.
            if let (Some(p), Some(entry)) = (&pinpoint, entries.get_mut(number - 1)) {
                entry.pinpoints.push(p.clone());
            }
            references.insert(cite.clone(), Reference { number, pinpoint });
        }
        Bibliography { entries, references }
    }
}

/// The index, among `cites`, of the longest cite `accept`ed that `cite`
/// extends: `cite` is its text followed by one of the [`SEPARATORS`] and
/// more.
fn longest_extended(cites: &IndexSet<String>, cite: &str, accept: impl Fn(usize) -> bool) -> Option<usize> {
    cite.char_indices()
        .rev()
        .filter(|&(i, _)| i > 0 && SEPARATORS.iter().any(|s| cite[i..].starts_with(s) && cite.len() > i + s.len()))
        .filter_map(|(i, _)| cites.get_index_of(&cite[..i]))
        .find(|&w| accept(w))
}

/// The sources cited, numbered by first appearance, with pinpoints grouped
/// under their works.
///
/// The grouping rule, exactly: a citation *extends* another when its text is
/// the other's text followed by `, `, ` (` or `; ` (see [`SEPARATORS`]) and
/// at least one more character. A citation that extends none of the others
/// added is a *work* and has an entry of its own. Any other citation refers
/// to the longest work it extends, and what follows that work's text,
/// separator included, is its pinpoint: with `Qu 2026` and `Qu 2026, section
/// 3.2` added, the second is `[n], section 3.2` where `[n]` is `Qu 2026`.
/// Matching is on the exact text, byte for byte (case, spaces and
/// punctuation included): no abbreviation, misspelling or rewording is
/// recognised, and `Koh 20123` does not extend `Koh 2012`. A citation whose
/// work is not itself cited is a work: `Tallinn Manual 2.0, rule 4` is an
/// entry of its own, pinpoint included, unless `Tallinn Manual 2.0` is cited
/// too.
///
/// Numbering: entries are numbered from 1 in the order in which the first
/// citation referring to them (the work or any of its pinpoints) was added.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    /// The entries, by number.
    entries: Vec<Entry>,
    /// Every citation added, in first-appearance order, with its reference.
    references: IndexMap<String, Reference>,
}

impl Bibliography {
    /// A builder, to add citations to.
    pub fn builder() -> BibliographyBuilder {
        BibliographyBuilder::new()
    }

    /// The bibliography of some citations, in the order given.
    pub fn of<'a>(cites: impl IntoIterator<Item = &'a str>) -> Bibliography {
        let mut builder = BibliographyBuilder::new();
        for cite in cites {
            builder.add(cite);
        }
        builder.finish()
    }

    /// Where a citation points; `None` for a citation that was not added.
    pub fn reference(&self, cite: &str) -> Option<&Reference> {
        self.references.get(cite)
    }

    /// Every citation added, in first-appearance order, with its reference.
    pub fn references(&self) -> impl Iterator<Item = (&str, &Reference)> {
        self.references.iter().map(|(c, r)| (c.as_str(), r))
    }

    /// The entries, in number order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry numbered `number` (from 1).
    pub fn entry(&self, number: usize) -> Option<&Entry> {
        number.checked_sub(1).and_then(|i| self.entries.get(i))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no citation was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Every citation of a program, in the order of
/// [`BibliographyBuilder::add_program`], repeats included.
pub fn program_cites(program: &Program) -> Vec<&str> {
    let positions = program.positions.iter().flat_map(|p| &p.cites);
    let statements = program.statements.iter().flat_map(|s| &s.cites);
    let changes = program.changes.iter().flat_map(|c| &c.cites);
    let rules = program.rules.iter().flat_map(|r| &r.cites);
    let proofs = program.conclusions.iter().flat_map(|c| {
        let burden = c.burden.iter().flat_map(|b| &b.cites);
        let standard = c.standard.iter().flat_map(|s| &s.cites);
        burden.chain(standard)
    });
    let questions = program.questions.iter().flat_map(|q| &q.cites);
    positions.chain(statements).chain(changes).chain(rules).chain(proofs).chain(questions).map(String::as_str).collect()
}

/// See [`Entry::year`].
fn last_year(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4 && (run.starts_with("19") || run.starts_with("20")))
        .filter_map(|run| run.parse().ok())
        .next_back()
}

/// Whether `word` occurs in `text` as a whole word (not inside another).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// See [`Entry::csl_type`].
fn csl_type(text: &str) -> &'static str {
    let decision = ["Judgment", "Award", "Advisory Opinion"].iter().any(|w| has_word(text, w));
    let court = text.contains(" v. ") || text.starts_with("ICJ, ") || text.starts_with("PCIJ, ");
    if decision && court {
        return "legal_case";
    }
    let head = text.split(',').next().unwrap_or(text).to_lowercase();
    if has_word(&head, "report") {
        return "report";
    }
    "document"
}

/// The note the exports give an entry with pinpoints: `Pinpoints cited:
/// section 1.2; section 3.1`.
fn pinpoints_note(entry: &Entry) -> Option<String> {
    if entry.pinpoints.is_empty() {
        return None;
    }
    Some(format!("Pinpoints cited: {}", entry.pinpoint_words().collect::<Vec<_>>().join("; ")))
}

/// The CSL-JSON `id` of an entry: `opinio-3`, after its number, so that it
/// matches the `[3]` of the report it was exported with.
pub fn csl_id(entry: &Entry) -> String {
    format!("opinio-{}", entry.number)
}

/// The bibliography as CSL-JSON (the format Zotero, Mendeley and pandoc
/// read): an array with an item per entry, in number order, each with
///
/// - `id`: `opinio-3` (see [`csl_id`]);
/// - `type`: see [`Entry::csl_type`] (`document` unless the text plainly
///   says otherwise);
/// - `title`: the entry's full text, as cited (the norms' citations are free
///   text: no author, publisher or container is split out of it);
/// - `issued`: `{"date-parts": [[year]]}` when the text names a year (see
///   [`Entry::year`]), absent otherwise;
/// - `note`: the pinpoints cited under it (`Pinpoints cited: section 1.2;
///   section 3.1`), absent when none.
pub fn csl_json(bibliography: &Bibliography) -> Json {
    let items = bibliography
        .entries()
        .iter()
        .map(|entry| {
            let mut item = json!({ "id": csl_id(entry), "type": entry.csl_type(), "title": entry.text });
            if let (Some(year), Some(map)) = (entry.year(), item.as_object_mut()) {
                map.insert("issued".into(), json!({ "date-parts": [[year]] }));
            }
            if let (Some(note), Some(map)) = (pinpoints_note(entry), item.as_object_mut()) {
                map.insert("note".into(), Json::String(note));
            }
            item
        })
        .collect();
    Json::Array(items)
}

/// The BibTeX key of an entry: `opinio3`, after its number.
pub fn bibtex_key(entry: &Entry) -> String {
    format!("opinio{}", entry.number)
}

/// Text escaped for a BibTeX field (and LaTeX text mode): `&`, `%`, `$`,
/// `#` and `_` behind a backslash; `~`, `^` and `\` as `\textasciitilde{}`,
/// `\textasciicircum{}` and `\textbackslash{}`; `{` and `}` as
/// `\textbraceleft{}` and `\textbraceright{}`, not `\{` and `\}`, because
/// BibTeX counts every brace of a field, escaped or not, and a citation's
/// braces need not balance. Anything else, non-ASCII included, is left as it
/// is (biber and LaTeX read UTF-8).
pub fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            _ => out.push(c),
        }
    }
    out
}

/// The bibliography as BibTeX: a `@misc` entry per entry, in number order,
/// keyed `opinio3` (see [`bibtex_key`]), with
///
/// - `title`: the entry's full text, escaped (see [`bibtex_escape`]), in
///   double braces so that its capitals are kept;
/// - `year`: when the text names one (see [`Entry::year`]);
/// - `note`: the pinpoints cited under it, when there are any.
///
/// As in [`csl_json`], the free text of a citation is carried whole: no
/// author or publisher is split out of it. Entries are separated by a blank
/// line; the text ends with a newline (empty for an empty bibliography).
pub fn bibtex(bibliography: &Bibliography) -> String {
    let entries: Vec<String> = bibliography
        .entries()
        .iter()
        .map(|entry| {
            let mut fields = vec![format!("  title = {{{{{}}}}}", bibtex_escape(&entry.text))];
            if let Some(year) = entry.year() {
                fields.push(format!("  year = {{{year}}}"));
            }
            if let Some(note) = pinpoints_note(entry) {
                fields.push(format!("  note = {{{}}}", bibtex_escape(&note)));
            }
            format!("@misc{{{},\n{},\n}}\n", bibtex_key(entry), fields.join(",\n"))
        })
        .collect();
    entries.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRANCE: &str = "France, Ministry of the Armed Forces, International Law Applied to Operations in Cyberspace, 9 September 2019";

    fn reference(b: &Bibliography, cite: &str) -> String {
        b.reference(cite).map(ToString::to_string).unwrap_or_default()
    }

    #[test]
    fn a_pinpoint_is_grouped_under_its_work() {
        let section = format!("{FRANCE}, section 1.2");
        let unverified = format!("{FRANCE} (wording unverified)");
        let b = Bibliography::of([FRANCE, section.as_str(), unverified.as_str(), "Qu 2026", "Qu 2026, section 3.2"]);
        assert_eq!(b.len(), 2);
        assert_eq!(reference(&b, FRANCE), "[1]");
        assert_eq!(reference(&b, &section), "[1], section 1.2");
        assert_eq!(reference(&b, &unverified), "[1] (wording unverified)");
        assert_eq!(reference(&b, "Qu 2026"), "[2]");
        assert_eq!(reference(&b, "Qu 2026, section 3.2"), "[2], section 3.2");
        assert_eq!(b.entries()[0].text, FRANCE);
        assert_eq!(b.entries()[0].pinpoints, [", section 1.2", " (wording unverified)"]);
        assert_eq!(b.entries()[0].pinpoint_words().collect::<Vec<_>>(), ["section 1.2", "(wording unverified)"]);
        assert_eq!(b.reference(&section).and_then(Reference::pinpoint_words), Some("section 1.2"));
        assert_eq!(b.reference("Qu 2026").and_then(Reference::pinpoint_words), None);
    }

    #[test]
    fn a_semicolon_groups_and_is_kept() {
        let b = Bibliography::of(["Ney 2020; quoted by Koh", "Ney 2020"]);
        assert_eq!(b.len(), 1);
        assert_eq!(reference(&b, "Ney 2020; quoted by Koh"), "[1]; quoted by Koh");
    }

    #[test]
    fn a_citation_without_its_work_is_an_entry_with_its_pinpoint() {
        let b = Bibliography::of(["Tallinn Manual 2.0, rule 4, commentary", "Charter of the United Nations, art. 51"]);
        assert_eq!(b.len(), 2);
        assert_eq!(reference(&b, "Tallinn Manual 2.0, rule 4, commentary"), "[1]");
        assert_eq!(b.entries()[0].text, "Tallinn Manual 2.0, rule 4, commentary");
        assert!(b.entries()[0].pinpoints.is_empty());
        assert_eq!(b.reference("Tallinn Manual 2.0"), None, "a citation not added has no reference");
    }

    #[test]
    fn the_longest_work_wins_and_pinpoints_of_pinpoints_go_to_the_work() {
        // Without `Tallinn Manual 2.0` itself, `rule 4` is the work.
        let b = Bibliography::of(["Tallinn Manual 2.0, rule 4, commentary", "Tallinn Manual 2.0, rule 4", "Tallinn Manual 2.0, rule 40"]);
        assert_eq!(b.len(), 2);
        assert_eq!(reference(&b, "Tallinn Manual 2.0, rule 4, commentary"), "[1], commentary");
        assert_eq!(b.entries()[0].text, "Tallinn Manual 2.0, rule 4");
        assert_eq!(reference(&b, "Tallinn Manual 2.0, rule 40"), "[2]");
        // With it, everything else is a pinpoint of it, whole from the work.
        let b = Bibliography::of(["Tallinn Manual 2.0, rule 4, commentary", "Tallinn Manual 2.0, rule 4", "Tallinn Manual 2.0"]);
        assert_eq!(b.len(), 1);
        assert_eq!(reference(&b, "Tallinn Manual 2.0, rule 4, commentary"), "[1], rule 4, commentary");
        assert_eq!(reference(&b, "Tallinn Manual 2.0, rule 4"), "[1], rule 4");
        // A pinpoint's pinpoint is taken whole from the work, not from the
        // longer pinpoint it also extends.
        let b = Bibliography::of(["A, b", "A, b (c), d", "A, b (c)"]);
        assert_eq!(b.len(), 1);
        assert_eq!(reference(&b, "A, b (c), d"), "[1] (c), d");
        assert_eq!(reference(&b, "A, b (c)"), "[1] (c)");
        // Of two works a citation extends, the longer is its work: `Koh,`
        // does not extend `Koh` (a comma without its space), and `Koh, (c)`
        // extends both.
        let b = Bibliography::of(["Koh", "Koh,", "Koh, (c)"]);
        assert_eq!(b.len(), 2);
        assert_eq!(reference(&b, "Koh, (c)"), "[2] (c)");
    }

    #[test]
    fn a_mere_prefix_does_not_group() {
        let b = Bibliography::of(["Koh 2012", "Koh 20123", "Koh 2012,section 3", "Koh 2012 section 3", "Koh 2012(c)", "Koh 2012, "]);
        assert_eq!(b.len(), 6, "{:?}", b.entries());
        assert!(b.references().all(|(_, r)| r.pinpoint.is_none()));
        assert_eq!(reference(&b, "Koh 20123"), "[2]");
    }

    #[test]
    fn numbers_follow_first_appearance_of_a_work_or_its_pinpoint() {
        let cites = ["Qu 2026, section 3.1", "Koh 2012", "Qu 2026", "Egan 2016", "Koh 2012", "Qu 2026, section 3.1"];
        let b = Bibliography::of(cites);
        assert_eq!(
            b.entries().iter().map(|e| (e.number, e.text.as_str())).collect::<Vec<_>>(),
            [(1, "Qu 2026"), (2, "Koh 2012"), (3, "Egan 2016")]
        );
        assert_eq!(b.entries()[0].pinpoints, [", section 3.1"], "a pinpoint is listed once");
        assert_eq!(b.entry(0), None);
        assert_eq!(b.entry(4), None);
        let again = Bibliography::of(cites);
        assert_eq!(again.entries(), b.entries());
        assert_eq!(bibtex(&again), bibtex(&b));
        assert_eq!(csl_json(&again), csl_json(&b));
        assert_eq!(b.references().map(|(c, _)| c).collect::<Vec<_>>(), ["Qu 2026, section 3.1", "Koh 2012", "Qu 2026", "Egan 2016"]);
    }

    #[test]
    fn an_empty_bibliography_exports_nothing() {
        let b = Bibliography::builder().finish();
        assert!(b.is_empty());
        assert_eq!(bibtex(&b), "");
        assert_eq!(csl_json(&b), json!([]));
    }

    #[test]
    fn bibtex_escapes_every_special_character() {
        assert_eq!(bibtex_escape("a & b % c $ d # e _ f"), "a \\& b \\% c \\$ d \\# e \\_ f");
        assert_eq!(
            bibtex_escape("{x} ~ ^ \\"),
            "\\textbraceleft{}x\\textbraceright{} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
        );
        assert_eq!(bibtex_escape("Schöndorf, § 16.3.3.1, “quoted”"), "Schöndorf, § 16.3.3.1, “quoted”");
        let b = Bibliography::of(["Odd {one} & 50% of $5 #1 a_b ~x ^y \\z, 2019", "Odd {one} & 50% of $5 #1 a_b ~x ^y \\z, 2019, p. }"]);
        let text = bibtex(&b);
        assert_eq!(
            text,
            "@misc{opinio1,\n  title = {{Odd \\textbraceleft{}one\\textbraceright{} \\& 50\\% of \\$5 \\#1 a\\_b \\textasciitilde{}x \\textasciicircum{}y \\textbackslash{}z, 2019}},\n  year = {2019},\n  note = {Pinpoints cited: p. \\textbraceright{}},\n}\n"
        );
        // The braces BibTeX counts balance, whatever the citation's.
        let depth = text.chars().try_fold(0i32, |d, c| {
            let d = d + i32::from(c == '{') - i32::from(c == '}');
            (d >= 0).then_some(d)
        });
        assert_eq!(depth, Some(0));
    }

    #[test]
    fn bibtex_entries_are_separated_and_skip_absent_fields() {
        let b = Bibliography::of(["Tallinn Manual 2.0, rule 4", "Koh 2012"]);
        assert_eq!(bibtex(&b), "@misc{opinio1,\n  title = {{Tallinn Manual 2.0, rule 4}},\n}\n\n@misc{opinio2,\n  title = {{Koh 2012}},\n  year = {2012},\n}\n");
    }

    #[test]
    fn csl_json_items_have_id_type_and_title() {
        let section = format!("{FRANCE}, section 1.2");
        let b = Bibliography::of([section.as_str(), FRANCE, "Tallinn Manual 2.0, rule 4"]);
        let csl = csl_json(&b);
        let items = csl.as_array().unwrap();
        assert_eq!(items.len(), 2);
        for item in items {
            for key in ["id", "type", "title"] {
                assert!(item.get(key).is_some_and(Json::is_string), "{key} in {item}");
            }
        }
        assert_eq!(
            items[0],
            json!({ "id": "opinio-1", "type": "document", "title": FRANCE, "issued": { "date-parts": [[2019]] }, "note": "Pinpoints cited: section 1.2" })
        );
        assert_eq!(items[1], json!({ "id": "opinio-2", "type": "document", "title": "Tallinn Manual 2.0, rule 4" }));
        // It parses back as JSON.
        let again: Json = serde_json::from_str(&csl.to_string()).unwrap();
        assert_eq!(again, csl);
    }

    #[test]
    fn years_are_the_last_of_1900_to_2099() {
        assert_eq!(last_year("Israel, Schöndorf, 8 December 2020, 97 International Law Studies 395 (2021)"), Some(2021));
        assert_eq!(last_year("US Department of Defense, Law of War Manual (June 2015, updated December 2016)"), Some(2016));
        assert_eq!(last_year("Jensen and Watts, Hoover Institution, Aegis Series Paper No. 2006, 2020"), Some(2020));
        assert_eq!(last_year("United States, letter, UN Doc. S/2014/695"), Some(2014));
        assert_eq!(last_year("Daniel Webster, letter to Henry Fox, 24 April 1841"), None);
        assert_eq!(last_year("para. 20190, 2100, 1899, A/70/174"), None);
        assert_eq!(last_year("Tallinn Manual (2013), rule 15"), Some(2013));
        assert_eq!(last_year("Qu 2026"), Some(2026));
    }

    #[test]
    fn types_are_read_only_where_the_text_says_them() {
        assert_eq!(csl_type("ICJ, Corfu Channel (United Kingdom v. Albania), Merits, Judgment, 1949, p. 22"), "legal_case");
        assert_eq!(csl_type("Lake Lanoux Arbitration (France v. Spain), Award, 16 November 1957"), "legal_case");
        assert_eq!(csl_type("ICTY, Prosecutor v. Tadic, IT-94-1-A, Appeals Chamber Judgment, 15 July 1999"), "legal_case");
        assert_eq!(csl_type("ICJ, Legality of the Threat or Use of Nuclear Weapons, Advisory Opinion, 1996, para. 47"), "legal_case");
        assert_eq!(csl_type("ICJ, Gabcikovo-Nagymaros Project (Hungary/Slovakia), Judgment, 1997, paras. 83, 87"), "legal_case");
        assert_eq!(csl_type("Daniel Webster, letter to Henry Fox, 24 April 1841 (the Caroline)"), "document");
        assert_eq!(csl_type("UN GGE report, A/70/174, 22 July 2015, para. 13(c)"), "report");
        assert_eq!(csl_type("Report of the UN Group of Governmental Experts, UN Doc. A/70/174, 22 July 2015"), "report");
        assert_eq!(csl_type("United States, letter to the Secretary-General, 23 September 2014, UN Doc. S/2014/695"), "document");
        assert_eq!(csl_type("Charter of the United Nations, art. 51"), "document");
        assert_eq!(csl_type("A v. B, reported in C"), "document");
        assert_eq!(csl_type("Reporting standards, 2020"), "document");
    }

    /// Every citation of every shipped position and of the standard library
    /// gets a reference that gives its text back; the France and Qu
    /// pinpoints are grouped under their works.
    #[test]
    fn every_shipped_citation_has_a_reference() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<_> = std::fs::read_dir(root.join("examples/positions"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "norm"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 10);
        let mut programs = Vec::new();
        for p in &paths {
            let compiled = crate::compile(&p.to_string_lossy(), &std::fs::read_to_string(p).unwrap(), &mut crate::io::FsLoader);
            programs.push(compiled.program.unwrap());
        }
        let mut builder = Bibliography::builder();
        for program in &programs {
            builder.add_program(program);
        }
        let b = builder.finish();
        let mut cites = 0;
        for program in &programs {
            for cite in program_cites(program) {
                let r = b.reference(cite).unwrap();
                let entry = b.entry(r.number).unwrap();
                assert_eq!(format!("{}{}", entry.text, r.pinpoint.as_deref().unwrap_or("")), cite);
                cites += 1;
            }
        }
        let distinct = b.references().count();
        let grouped = b.references().filter(|(_, r)| r.pinpoint.is_some()).count();
        eprintln!("{cites} citations, {distinct} distinct, {} entries, {grouped} grouped as pinpoints", b.len());
        assert_eq!(distinct, b.len() + grouped);
        for (work, pinpoint) in [(FRANCE, ", section 1.2"), ("Qu 2026", ", section 3.2")] {
            let r = b.reference(&format!("{work}{pinpoint}")).unwrap();
            assert_eq!(b.entry(r.number).map(|e| e.text.as_str()), Some(work));
            assert_eq!(r.pinpoint.as_deref(), Some(pinpoint));
        }
        let csl = csl_json(&b);
        assert_eq!(csl.as_array().map(Vec::len), Some(b.len()));
        assert_eq!(bibtex(&b).matches("@misc{").count(), b.len());
    }
}
