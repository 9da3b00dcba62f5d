//! The reports of `opinio show` as text for a reader, wrapped at a width,
//! and the phrases the Markdown shares with it.

use std::collections::BTreeSet;

use super::{
    AgainstReport, ChangeItem, ChangePair, Changes, ConclusionRef, Declaration, Declared, PositionReport, PositionSummary, Proof, Question,
};
use crate::ir::{ChangeKind, QuestionKind, Reading};
use crate::reports::{statement_phrase, wrap};

/// The conclusions described so far: a conclusion is described (with its
/// description) at its first mention only, and named after.
#[derive(Default)]
pub(crate) struct Seen(BTreeSet<String>);

impl Seen {
    /// "`x`: description" at the first mention, "`x`" after.
    pub(crate) fn conclusion(&mut self, c: &ConclusionRef) -> String {
        if self.0.insert(c.name.clone()) {
            described(c)
        } else {
            format!("`{}`", c.name)
        }
    }
}

/// "`x`: description", or "`x`" without one.
pub(super) fn described(c: &ConclusionRef) -> String {
    if c.description.is_empty() {
        format!("`{}`", c.name)
    } else {
        format!("`{}`: {}", c.name, c.description)
    }
}

/// "France (`france`)", or "`x`" for a position without a title.
pub(super) fn named(name: &str, title: &str) -> String {
    if title == name {
        format!("`{name}`")
    } else {
        format!("{title} (`{name}`)")
    }
}

/// A position as prose names it: its title, else its name in backticks.
pub(super) fn who(s: &PositionSummary) -> String {
    if s.title == s.name {
        format!("`{}`", s.name)
    } else {
        s.title.clone()
    }
}

/// The bases, nearest first: "France (`france`), which extends the
/// standard library (`stdlib`)".
pub(crate) fn extends_text(s: &PositionSummary) -> String {
    let names: Vec<String> = s.extends.iter().map(|b| named(&b.name, &b.title)).collect();
    names.join(", which extends ")
}

/// The nearest base, by the name reports show: its title, else its name in
/// backticks.
pub(super) fn base_title(s: &PositionSummary) -> String {
    match s.extends.first() {
        Some(b) if b.title == b.name => format!("`{}`", b.name),
        Some(b) => b.title.clone(),
        None => "the base".into(),
    }
}

/// A group of changes with its heading.
pub(crate) struct Group<'a> {
    /// The heading.
    pub heading: &'static str,
    /// One of them, for counts ("rule replaced").
    one: &'static str,
    /// Several ("rules replaced").
    many: &'static str,
    /// The changes.
    pub items: Vec<&'a ChangeItem>,
}

impl Group<'_> {
    /// "1 rule replaced", "3 rules replaced".
    fn count(&self) -> String {
        let n = self.items.len();
        format!("{n} {}", if n == 1 { self.one } else { self.many })
    }
}

/// The groups of changes that are not empty, in the order shown: removals
/// (and replacements, additions) of open questions apart from those of
/// rules.
pub(crate) fn groups(changes: &Changes) -> Vec<Group<'_>> {
    fn split(items: &[ChangeItem]) -> (Vec<&ChangeItem>, Vec<&ChangeItem>) {
        items.iter().partition(|i| i.declaration == Some(Declaration::Open))
    }
    let (settled, removed) = split(&changes.removed);
    let (restated, replaced) = split(&changes.replaced);
    let (asked, added) = split(&changes.added);
    let group = |heading, one, many, items| Group { heading, one, many, items };
    [
        group("Rules replaced", "rule replaced", "rules replaced", replaced),
        group("Rules removed", "rule removed", "rules removed", removed),
        group("Rules added", "rule added", "rules added", added),
        group("Rules left open: whether they apply", "rule left open", "rules left open", changes.opened.iter().collect()),
        group("Open questions of the base settled, each by its removal", "open question settled", "open questions settled", settled),
        group("Open questions of the base restated", "open question restated", "open questions restated", restated),
        group("Open questions added", "open question added", "open questions added", asked),
        group("Parameters set", "parameter set", "parameters set", changes.params.iter().collect()),
        group("Standards of proof set", "standard of proof set", "standards of proof set", changes.standards.iter().collect()),
        group("Burdens of proof set", "burden of proof set", "burdens of proof set", changes.burdens.iter().collect()),
    ]
    .into_iter()
    .filter(|g| !g.items.is_empty())
    .collect()
}

/// "7 changes: 1 rule replaced, 3 rules added, ..."; "no change".
pub(crate) fn count_text(changes: &Changes) -> String {
    let n = changes.len();
    let counts: Vec<String> = groups(changes).iter().map(Group::count).collect();
    match n {
        0 => "no change".into(),
        1 => format!("1 change: {}", counts.join(", ")),
        _ => format!("{n} changes: {}", counts.join(", ")),
    }
}

/// A burden or standard as a phrase: "on `victim_state`, to
/// clear_and_convincing"; "none".
pub(super) fn proof_phrase(p: &Proof) -> String {
    match (&p.party, &p.standard) {
        (Some(party), Some(s)) => format!("on `{party}`, to {s}"),
        (Some(party), None) => format!("on `{party}`"),
        (None, Some(s)) => s.clone(),
        (None, None) => "none".into(),
    }
}

/// The conclusions a change bears on, as a phrase after its target.
fn conclusions_phrase(item: &ChangeItem, seen: &mut Seen) -> String {
    if item.conclusions.is_empty() {
        return String::new();
    }
    let verb = match (item.kind, item.declaration) {
        (_, Some(Declaration::Open)) => "on",
        (ChangeKind::Remove, _) => "which concluded",
        (ChangeKind::SetParam, _) => "read by the rules of",
        _ => "concluding",
    };
    let list: Vec<String> = item.conclusions.iter().map(|c| seen.conclusion(c)).collect();
    format!(", {verb} {}", list.join("; "))
}

/// What a change is made to, as a phrase: "`x` (assessment), concluding
/// `c`: ...", "the parameter `p`: ..."; with its new value (and the base's)
/// when `values`.
pub(crate) fn headline(item: &ChangeItem, values: bool, seen: &mut Seen) -> String {
    match (&item.param, &item.proof) {
        (Some(p), _) => {
            let value = match (&p.from, values) {
                (_, false) => String::new(),
                (Some(from), true) => format!(" = {} (the base: {from})", p.to),
                (None, true) => format!(" = {}", p.to),
            };
            let what = if values { "" } else { "the parameter " };
            // The description is a sentence: what reads the parameter is another.
            let read_by = match conclusions_phrase(item, seen).strip_prefix(", ") {
                Some(phrase) if p.description.is_empty() => format!(", {phrase}"),
                Some(phrase) => format!("{} {}{}", if p.description.ends_with('.') { "" } else { "." }, capitalised(phrase), ""),
                None => String::new(),
            };
            let description = if p.description.is_empty() { String::new() } else { format!(": {}", p.description) };
            format!("{what}`{}`{value}{description}{read_by}", item.target)
        }
        (_, Some(p)) => {
            let what = if item.kind == ChangeKind::SetBurden { "the burden of proving" } else { "the standard of proof of" };
            let value = match (&p.from, values) {
                (_, false) => String::new(),
                (Some(from), true) => format!(": {} (the base: {})", proof_phrase(&p.to), proof_phrase(from)),
                (None, true) => format!(": {}", proof_phrase(&p.to)),
            };
            let conclusion = item.conclusions.first().map(|c| seen.conclusion(c)).unwrap_or_else(|| format!("`{}`", item.target));
            format!("{what} {conclusion}{value}")
        }
        _ => {
            let keyword = match item.declaration {
                Some(Declaration::Assessment) => " (assessment)",
                Some(Declaration::Tiers) => " (tiers)",
                _ => "",
            };
            let (whether, applies) = if item.kind == ChangeKind::Open && values { ("whether ", " applies") } else { ("", "") };
            format!("{whether}`{}`{applies}{keyword}{}", item.target, conclusions_phrase(item, seen))
        }
    }
}

/// A phrase with its first letter a capital.
fn capitalised(phrase: &str) -> String {
    let mut chars = phrase.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A reading mark as a phrase: "arguable reading: why".
pub(crate) fn reading_phrase(r: &Reading) -> String {
    match &r.note {
        Some(note) => format!("{} reading: {note}", r.kind.name()),
        None => format!("{} reading", r.kind.name()),
    }
}

/// A question as a phrase: "`q`, on `c`: ..." or "whether `r` applies, on
/// `c`: ...".
pub(crate) fn question_headline(q: &Question, seen: &mut Seen) -> String {
    let what = match q.kind {
        QuestionKind::Conclusion => format!("`{}`", q.name),
        QuestionKind::Rule => format!("whether `{}` applies", q.name),
    };
    format!("{what}, on {}", seen.conclusion(&q.conclusion))
}

/// A position of a chain, by name: the position itself or one of its
/// bases, as prose names it.
pub(super) fn chain_member(s: &PositionSummary, name: &str) -> String {
    if name == s.name {
        return who(s);
    }
    match s.extends.iter().find(|b| b.name == name) {
        Some(b) if b.title != b.name => b.title.clone(),
        _ => format!("`{name}`"),
    }
}

/// Who made a change, as prose: the position's title, or "France (through
/// `x`)" for a change of a base it extends.
fn maker(s: &PositionSummary, item: &ChangeItem) -> String {
    if item.position == s.name {
        return who(s);
    }
    format!("{} (through {})", who(s), chain_member(s, &item.position))
}

/// For a change a base of the position made, the line that says so.
pub(super) fn made_by_base(s: &PositionSummary, item: &ChangeItem) -> Option<String> {
    (item.position != s.name).then(|| format!("made by {}, which {} extends", chain_member(s, &item.position), who(s)))
}

/// The positions that made shared changes, as prose: "Strict State, `x`".
pub(super) fn makers(r: &AgainstReport, changes: &Changes) -> String {
    let mut names: Vec<&str> = changes.iter().map(|i| i.position.as_str()).collect();
    names.dedup();
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(*n));
    let shown: Vec<String> = names
        .iter()
        .map(|n| if r.a.name == *n || r.a.extends.iter().any(|b| b.name == *n) { chain_member(&r.a, n) } else { chain_member(&r.b, n) })
        .collect();
    shown.join(", ")
}

/// One position's change to a target both change, without the target:
/// "United States settles it (removes the open question), in `ney_2020`
/// (2020-03-02)", "France sets it to 3 (the base: 5)".
pub(super) fn side_phrase(s: &PositionSummary, item: &ChangeItem) -> String {
    let from = |from: Option<String>| from.map(|f| format!(" (the base: {f})")).unwrap_or_default();
    let what = match (item.kind, item.declaration) {
        (ChangeKind::Remove, Some(Declaration::Open)) => "settles it (removes the open question)".to_string(),
        (ChangeKind::Replace, Some(Declaration::Open)) => "restates it (replaces the open question)".to_string(),
        (ChangeKind::Remove, _) => "removes it".into(),
        (ChangeKind::Replace, _) => "replaces it".into(),
        (ChangeKind::Add, _) => "adds a declaration of this name".into(),
        (ChangeKind::Open, _) => "leaves open whether it applies".into(),
        (ChangeKind::SetParam, _) => match &item.param {
            Some(p) => format!("sets it to {}{}", p.to, from(p.from.clone())),
            None => "sets it".into(),
        },
        (ChangeKind::SetStandard | ChangeKind::SetBurden, _) => match &item.proof {
            Some(p) => format!("sets it: {}{}", proof_phrase(&p.to), from(p.from.as_ref().map(proof_phrase))),
            None => "sets it".into(),
        },
    };
    let statement = item.statement.as_ref().map(|st| format!(",{}", statement_phrase(&st.name, &st.date))).unwrap_or_default();
    format!("{} {what}{statement}", maker(s, item))
}

/// Text made line by line, each wrapped at a width, with the conclusions
/// described so far.
struct Text {
    out: String,
    width: usize,
    seen: Seen,
}

impl Text {
    fn new(width: usize) -> Text {
        Text { out: String::new(), width: width.max(40), seen: Seen::default() }
    }

    /// A line at an indent; its continuation lines two columns further in.
    fn line(&mut self, indent: usize, text: &str) {
        let first = format!("{}{text}", " ".repeat(indent));
        self.out.push_str(&wrap(&first, &" ".repeat(indent + 2), self.width));
    }

    /// A labelled line (`label` padded to `pad`), continued under its text.
    fn field(&mut self, indent: usize, label: &str, pad: usize, text: &str) {
        let first = format!("{}{label:<pad$}{text}", " ".repeat(indent));
        self.out.push_str(&wrap(&first, &" ".repeat(indent + pad), self.width));
    }

    /// An empty line, unless there is one already.
    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// The lines under a change: its statement, citations and reading.
    fn details(&mut self, indent: usize, item: &ChangeItem) {
        if let Some(s) = &item.statement {
            self.line(indent, &format!("made{}", statement_phrase(&s.name, &s.date)));
        }
        self.cites(indent, &item.cites);
        if let Some(r) = &item.reading {
            self.line(indent, &reading_phrase(r));
        }
    }

    /// "cites: a; b", if there is any.
    fn cites(&mut self, indent: usize, cites: &[String]) {
        if !cites.is_empty() {
            self.field(indent, "cites: ", 7, &cites.join("; "));
        }
    }

    /// The changes, group by group, at an indent; those a base of `owner`
    /// made say so.
    fn changes(&mut self, indent: usize, changes: &Changes, owner: Option<&PositionSummary>) {
        for group in groups(changes) {
            self.blank();
            self.line(indent, &format!("{} ({})", group.heading, group.items.len()));
            for item in group.items {
                let headline = headline(item, true, &mut self.seen);
                self.line(indent + 2, &headline);
                if let Some(line) = owner.and_then(|s| made_by_base(s, item)) {
                    self.line(indent + 4, &line);
                }
                self.details(indent + 4, item);
            }
        }
    }

    /// The declarations a position adds, at an indent.
    fn declared(&mut self, indent: usize, d: &Declared) {
        if !d.params.is_empty() {
            self.blank();
            self.line(indent, &format!("Parameters declared ({})", d.params.len()));
            for p in &d.params {
                let description = if p.description.is_empty() { String::new() } else { format!(": {}", p.description) };
                self.line(indent + 2, &format!("`{}` = {}{description}", p.name, p.value));
            }
        }
        if !d.conclusions.is_empty() {
            self.blank();
            self.line(indent, &format!("Conclusions declared ({})", d.conclusions.len()));
            for c in &d.conclusions {
                let c = self.seen.conclusion(c);
                self.line(indent + 2, &c);
            }
        }
    }

    /// The header lines of a position: bases, citations, statements.
    fn summary(&mut self, indent: usize, s: &PositionSummary) {
        const PAD: usize = 12;
        self.field(indent, "extends:", PAD, &extends_text(s));
        if !s.cites.is_empty() {
            self.field(indent, "cites:", PAD, &s.cites.join("; "));
        }
        if s.statements.is_empty() {
            self.field(indent, "statements:", PAD, "none: its changes are not dated");
            return;
        }
        self.field(indent, "statements:", PAD, &s.statements.len().to_string());
        for st in &s.statements {
            let left_out = if st.applies { "" } else { " (made after the day shown: its changes are left out)" };
            self.line(indent + 2, &format!("`{}` ({}){left_out}: {}", st.name, st.date, st.description));
            self.cites(indent + 4, &st.cites);
        }
    }

    /// Pairs of changes to the same targets, at an indent; "none" without.
    fn pairs(&mut self, indent: usize, r: &AgainstReport, pairs: &[ChangePair]) {
        if pairs.is_empty() {
            self.line(indent, "none");
        }
        for pair in pairs {
            if let Some(first) = pair.a.first().or(pair.b.first()) {
                let headline = headline(first, false, &mut self.seen);
                self.line(indent, &headline);
            }
            for (s, items) in [(&r.a, &pair.a), (&r.b, &pair.b)] {
                for item in items {
                    self.line(indent + 2, &side_phrase(s, item));
                    self.cites(indent + 4, &item.cites);
                    if let Some(reading) = &item.reading {
                        self.line(indent + 4, &reading_phrase(reading));
                    }
                }
            }
        }
    }

    /// Conclusions, one a line, each with its description.
    fn conclusions(&mut self, indent: usize, list: &[ConclusionRef]) {
        for c in list {
            self.line(indent, &described(c));
        }
    }
}

/// A position's report as text for a reader, wrapped at `width` columns
/// (counted in characters; at least 40). A module shows as one line.
pub fn text(r: &PositionReport, width: usize) -> String {
    let mut t = Text::new(width);
    let s = &r.position;
    let title = named(&s.name, &s.title);
    if s.extends.is_empty() {
        t.line(0, &format!("{title} is a module, not a position: it changes nothing"));
        return t.out;
    }
    let base = base_title(s);
    t.line(0, &format!("{title}: what it changes against {base}"));
    t.blank();
    t.summary(0, s);
    if let Some(day) = &r.as_of {
        t.field(0, "as of:", 12, &format!("{day} (statements made later are left out)"));
    }
    t.blank();
    let declared = r.declared.params.len() + r.declared.conclusions.len();
    let declared = match declared {
        0 => String::new(),
        1 => "; 1 declaration of its own".into(),
        n => format!("; {n} declarations of its own"),
    };
    t.line(0, &format!("{}{declared}", count_text(&r.changes)));
    t.changes(0, &r.changes, None);
    t.declared(0, &r.declared);
    for b in &r.by_bases {
        t.blank();
        t.line(0, &format!("Made by {}, which it extends ({})", named(&b.position.name, &b.position.title), b.changes.len()));
        t.changes(2, &b.changes, None);
    }
    t.blank();
    let (own, from_base) = (&r.questions.own, &r.questions.from_base);
    t.line(0, &format!("Questions left open ({})", own.len() + from_base.len()));
    if !own.is_empty() {
        t.line(2, &format!("by {} (among its changes above):", who(s)));
        for q in own {
            let line = question_headline(q, &mut t.seen);
            t.line(4, &line);
        }
    }
    if from_base.is_empty() {
        t.line(2, &format!("{base} leaves none open that {} does not settle", who(s)));
    } else {
        t.line(2, &format!("by {base}, not settled by {}:", who(s)));
        for q in from_base {
            let line = question_headline(q, &mut t.seen);
            t.line(4, &line);
            t.cites(6, &q.cites);
            if let Some(reading) = &q.reading {
                t.line(6, &reading_phrase(reading));
            }
        }
    }
    t.blank();
    let c = &r.conclusions;
    let colon = if c.inherited.is_empty() { "" } else { ":" };
    t.line(
        0,
        &format!(
            "Conclusions: {} stated by {} (a change bears on them); {} inherited from {base} by its silence (no change bears on \
             them, whatever the incident){colon}",
            c.stated,
            who(s),
            c.inherited.len()
        ),
    );
    t.conclusions(2, &c.inherited);
    if !r.base_known {
        t.blank();
        t.line(0, "note: the base could not be compiled apart; the values it had are not shown");
    }
    t.out
}

/// How two positions' changes differ, as text for a reader, wrapped at
/// `width` columns (counted in characters; at least 40).
pub fn against_text(r: &AgainstReport, width: usize) -> String {
    let mut t = Text::new(width);
    let (a, b) = (&r.a, &r.b);
    t.line(0, &format!("{} against {}: how their changes differ", named(&a.name, &a.title), named(&b.name, &b.title)));
    for s in [a, b] {
        t.blank();
        t.line(0, &format!("{}:", who(s)));
        t.summary(2, s);
    }
    if let Some(day) = &r.as_of {
        t.blank();
        t.line(0, &format!("as of: {day} (statements made later are left out)"));
    }
    t.blank();
    t.line(0, &format!("Changed by both, differently ({})", r.differently.len()));
    t.pairs(2, r, &r.differently);
    t.blank();
    t.line(0, &format!("Changed by both alike, each on its own sources ({})", r.alike.len()));
    t.pairs(2, r, &r.alike);
    for (s, only) in [(a, &r.only_a), (b, &r.only_b)] {
        t.blank();
        t.line(0, &format!("Only {} ({})", who(s), count_text(&only.changes)));
        t.changes(2, &only.changes, Some(s));
        t.declared(2, &only.declared);
    }
    if !r.shared.is_empty() {
        t.blank();
        t.line(0, &format!("Shared: made by {}, on which both build ({})", makers(r, &r.shared), count_text(&r.shared)));
        t.changes(2, &r.shared, None);
    }
    t.blank();
    let c = &r.conclusions;
    t.line(0, "Conclusions both have");
    let names = |list: &[ConclusionRef]| -> String {
        let names: Vec<String> = list.iter().map(|c| format!("`{}`", c.name)).collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    };
    t.line(2, &format!("stated by both ({}): {}", c.both.len(), names(&c.both)));
    for (one, other, list) in [(a, b, &c.a_only), (b, a, &c.b_only)] {
        let colon = if list.is_empty() { ": none" } else { ":" };
        t.line(2, &format!("stated by {} only, inherited by {} ({}){colon}", who(one), who(other), list.len()));
        t.conclusions(4, list);
    }
    t.line(2, &format!("inherited by both, both silent ({}): {}", c.neither.len(), names(&c.neither)));
    t.out
}
