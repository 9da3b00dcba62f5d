//! The reports of `opinio show` as Markdown, in the words of the text.

use std::fmt::Write as _;

use super::text::{
    base_title, count_text, described, extends_text, groups, headline, made_by_base, makers, named, question_headline, reading_phrase,
    side_phrase, who, Seen,
};
use super::{AgainstReport, ChangeItem, ChangePair, Changes, ConclusionRef, Declared, PositionReport, PositionSummary};
use crate::reports::statement_phrase;

/// Markdown made piece by piece, with the conclusions described so far.
#[derive(Default)]
struct Markdown {
    out: String,
    seen: Seen,
}

impl Markdown {
    /// A change's statement, citations and reading, as list items under it.
    fn details(&mut self, indent: &str, item: &ChangeItem) {
        if let Some(s) = &item.statement {
            let _ = writeln!(self.out, "{indent}- made{}", statement_phrase(&s.name, &s.date));
        }
        self.cites(indent, &item.cites);
        if let Some(r) = &item.reading {
            let _ = writeln!(self.out, "{indent}- *{}*", reading_phrase(r));
        }
    }

    fn cites(&mut self, indent: &str, cites: &[String]) {
        if !cites.is_empty() {
            let _ = writeln!(self.out, "{indent}- cites: {}", cites.join("; "));
        }
    }

    /// The changes, a heading of `level` per group; those a base of
    /// `owner` made say so.
    fn changes(&mut self, level: &str, changes: &Changes, owner: Option<&PositionSummary>) {
        for group in groups(changes) {
            let _ = writeln!(self.out, "\n{level} {} ({})\n", group.heading, group.items.len());
            for item in group.items {
                let headline = headline(item, true, &mut self.seen);
                let _ = writeln!(self.out, "- {headline}");
                if let Some(line) = owner.and_then(|s| made_by_base(s, item)) {
                    let _ = writeln!(self.out, "  - {line}");
                }
                self.details("  ", item);
            }
        }
    }

    fn declared(&mut self, level: &str, d: &Declared) {
        if !d.params.is_empty() {
            let _ = writeln!(self.out, "\n{level} Parameters declared ({})\n", d.params.len());
            for p in &d.params {
                let description = if p.description.is_empty() { String::new() } else { format!(": {}", p.description) };
                let _ = writeln!(self.out, "- `{}` = {}{description}", p.name, p.value);
            }
        }
        if !d.conclusions.is_empty() {
            let _ = writeln!(self.out, "\n{level} Conclusions declared ({})\n", d.conclusions.len());
            for c in &d.conclusions {
                let c = self.seen.conclusion(c);
                let _ = writeln!(self.out, "- {c}");
            }
        }
    }

    fn summary(&mut self, s: &PositionSummary) {
        let _ = writeln!(self.out, "- extends: {}", extends_text(s));
        if !s.cites.is_empty() {
            let _ = writeln!(self.out, "- cites: {}", s.cites.join("; "));
        }
        if s.statements.is_empty() {
            let _ = writeln!(self.out, "- statements: none; its changes are not dated");
            return;
        }
        let _ = writeln!(self.out, "- statements:");
        for st in &s.statements {
            let left_out = if st.applies { "" } else { " (made after the day shown: its changes are left out)" };
            let _ = writeln!(self.out, "  - `{}` ({}){left_out}: {}", st.name, st.date, st.description);
            self.cites("    ", &st.cites);
        }
    }

    fn pairs(&mut self, r: &AgainstReport, pairs: &[ChangePair]) {
        if pairs.is_empty() {
            let _ = writeln!(self.out, "None.");
        }
        for pair in pairs {
            if let Some(first) = pair.a.first().or(pair.b.first()) {
                let headline = headline(first, false, &mut self.seen);
                let _ = writeln!(self.out, "- {headline}");
            }
            for (s, items) in [(&r.a, &pair.a), (&r.b, &pair.b)] {
                for item in items {
                    let _ = writeln!(self.out, "  - {}", side_phrase(s, item));
                    self.cites("    ", &item.cites);
                    if let Some(reading) = &item.reading {
                        let _ = writeln!(self.out, "    - *{}*", reading_phrase(reading));
                    }
                }
            }
        }
    }

    fn conclusions(&mut self, indent: &str, list: &[ConclusionRef]) {
        for c in list {
            let _ = writeln!(self.out, "{indent}- {}", described(c));
        }
    }
}

/// A position's report as Markdown.
pub fn markdown(r: &PositionReport) -> String {
    let mut md = Markdown::default();
    let s = &r.position;
    let title = named(&s.name, &s.title);
    if s.extends.is_empty() {
        let _ = writeln!(md.out, "# {title}\n\nA module, not a position: it changes nothing.");
        return md.out;
    }
    let base = base_title(s);
    let _ = writeln!(md.out, "# {title}: what it changes against {base}\n");
    md.summary(s);
    if let Some(day) = &r.as_of {
        let _ = writeln!(md.out, "- as of: {day} (statements made later are left out)");
    }
    let _ = writeln!(md.out, "\n## Changes\n\n{}.", count_text(&r.changes));
    md.changes("###", &r.changes, None);
    md.declared("###", &r.declared);
    for b in &r.by_bases {
        let _ = writeln!(md.out, "\n## Made by {}, which it extends ({})", named(&b.position.name, &b.position.title), b.changes.len());
        md.changes("###", &b.changes, None);
    }
    let _ = writeln!(md.out, "\n## Questions left open");
    if !r.questions.own.is_empty() {
        let _ = writeln!(md.out, "\nBy {} (among its changes above):\n", who(s));
        for q in &r.questions.own {
            let line = question_headline(q, &mut md.seen);
            let _ = writeln!(md.out, "- {line}");
        }
    }
    if r.questions.from_base.is_empty() {
        let _ = writeln!(md.out, "\n{base} leaves none open that {} does not settle.", who(s));
    } else {
        let _ = writeln!(md.out, "\nBy {base}, not settled by {}:\n", who(s));
    }
    for q in &r.questions.from_base {
        let line = question_headline(q, &mut md.seen);
        let _ = writeln!(md.out, "- {line}");
        md.cites("  ", &q.cites);
        if let Some(reading) = &q.reading {
            let _ = writeln!(md.out, "  - *{}*", reading_phrase(reading));
        }
    }
    let c = &r.conclusions;
    let _ = writeln!(
        md.out,
        "\n## Stated and inherited\n\n{} conclusions are stated by {} (a change bears on them); {} are inherited from {base} by \
         its silence (no change bears on them, whatever the incident):\n",
        c.stated,
        who(s),
        c.inherited.len()
    );
    md.conclusions("", &c.inherited);
    if !r.base_known {
        let _ = writeln!(md.out, "\nNote: the base could not be compiled apart; the values it had are not shown.");
    }
    md.out
}

/// How two positions' changes differ, as Markdown.
pub fn against_markdown(r: &AgainstReport) -> String {
    let mut md = Markdown::default();
    let (a, b) = (&r.a, &r.b);
    let _ = writeln!(md.out, "# {} against {}", named(&a.name, &a.title), named(&b.name, &b.title));
    for s in [a, b] {
        let _ = writeln!(md.out, "\n{}:\n", who(s));
        md.summary(s);
    }
    if let Some(day) = &r.as_of {
        let _ = writeln!(md.out, "\nAs of {day} (statements made later are left out).");
    }
    let _ = writeln!(md.out, "\n## Changed by both, differently ({})\n", r.differently.len());
    md.pairs(r, &r.differently);
    let _ = writeln!(md.out, "\n## Changed by both alike, each on its own sources ({})\n", r.alike.len());
    md.pairs(r, &r.alike);
    for (s, only) in [(a, &r.only_a), (b, &r.only_b)] {
        let _ = writeln!(md.out, "\n## Only {}\n\n{}.", who(s), count_text(&only.changes));
        md.changes("###", &only.changes, Some(s));
        md.declared("###", &only.declared);
    }
    if !r.shared.is_empty() {
        let _ = writeln!(md.out, "\n## Shared: made by {}, on which both build\n\n{}.", makers(r, &r.shared), count_text(&r.shared));
        md.changes("###", &r.shared, None);
    }
    let c = &r.conclusions;
    let names = |list: &[ConclusionRef]| -> String {
        if list.is_empty() {
            "none".into()
        } else {
            list.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
        }
    };
    let _ = writeln!(md.out, "\n## Conclusions both have\n\n- stated by both ({}): {}", c.both.len(), names(&c.both));
    for (one, other, list) in [(a, b, &c.a_only), (b, a, &c.b_only)] {
        let colon = if list.is_empty() { ": none" } else { ":" };
        let _ = writeln!(md.out, "- stated by {} only, inherited by {} ({}){colon}", who(one), who(other), list.len());
        md.conclusions("  ", list);
    }
    let _ = writeln!(md.out, "- inherited by both, both silent ({}): {}", c.neither.len(), names(&c.neither));
    md.out
}
