//! `opinio show`: what a position changes against its base, and how the
//! changes of two positions differ.
//!
//! In: a position's program and, compiled apart, its bases'
//! ([`crate::io::compile_file_and_bases`]). Out: a [`PositionReport`] (or,
//! for two positions, an [`AgainstReport`]): plain data, serialisable, that
//! the text and Markdown renderers below and the JSON of `opinio show` are
//! made from, and that any other report (a page per position) may render.
//! Guarantees: the same programs give the same report; changes are in the
//! order the positions make them; every change carries its citations, its
//! statement and its reading mark; nothing is left out for length (the
//! renderers wrap, they never cut).

mod against;
mod markdown;
pub(crate) mod text;

use std::collections::BTreeSet;

use serde::Serialize;

use super::{required_standard, value_text};
use crate::ir::{ChangeInfo, ChangeKind, ConclusionId, Program, QuestionKind, Reading, RuleForm, RuleId};

pub use against::against;
pub use markdown::{against_markdown, markdown};
pub use text::{against_text, text};

/// The version of the JSON schema of `opinio show` (docs/show.md).
pub const SHOW_SCHEMA_VERSION: u32 = 1;

/// What a position extends when it extends the standard library.
pub const STDLIB: &str = "stdlib";

/// The name reports show for the standard library as a base.
pub const STDLIB_TITLE: &str = "the standard library";

/// A position to show: its program and its bases', compiled apart.
#[derive(Debug, Clone, Copy)]
pub struct Position<'a> {
    /// The position's program (a plain module's shows no change).
    pub program: &'a Program,
    /// The programs of what it extends, nearest first: the position (or
    /// module) it extends, what that one extends, and so on to the standard
    /// library ([`crate::io::compile_file_and_bases`]). Without them a report
    /// cannot say what a setting replaced, which parameters a position
    /// declares, or whether a removal settles an open question; a shorter
    /// chain leaves that unsaid for the changes of the bases it lacks.
    pub bases: &'a [Program],
}

impl<'a> Position<'a> {
    /// The program of what the position extends, if known.
    pub fn base(&self) -> Option<&'a Program> {
        self.bases.first()
    }

    /// The program a position of the chain made (its changes applied), and
    /// the one its changes were made to, if known.
    fn made_by(&self, position: &str) -> (&'a Program, Option<&'a Program>) {
        let n = self.program.positions.len();
        let Some(k) = self.program.positions.iter().position(|p| p.name == position) else { return (self.program, self.base()) };
        // The positions are listed base first; the programs, the shown one first.
        let program = |i: usize| if i == 0 { Some(self.program) } else { self.bases.get(i - 1) };
        match program(n - 1 - k) {
            Some(made) => (made, program(n - k)),
            None => (self.program, None),
        }
    }
}

/// A position or a base, by name and by the name reports show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionRef {
    /// Its name (`france`, `stdlib`).
    pub name: String,
    /// Its declared title (`France`), [`STDLIB_TITLE`], or its name.
    pub title: String,
}

/// A dated statement of a position.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// Its name.
    pub name: String,
    /// Its day, `YYYY-MM-DD`.
    pub date: String,
    /// What it is.
    pub description: String,
    /// Its sources.
    pub cites: Vec<String>,
    /// Whether its changes apply on the day shown (`--as-of`): made on or
    /// before it.
    pub applies: bool,
}

/// The statement a change was made in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// Its name.
    pub name: String,
    /// Its day, `YYYY-MM-DD`.
    pub date: String,
}

/// Who a position is: names, bases, sources and statements.
#[derive(Debug, Clone, Serialize)]
pub struct PositionSummary {
    /// Its name (a plain module's name, for a module).
    pub name: String,
    /// The name reports show: its title, else its name.
    pub title: String,
    /// What it extends, nearest first: the position it extends, what that
    /// one extends, and so on to the standard library (empty for a module).
    pub extends: Vec<PositionRef>,
    /// Its own citations.
    pub cites: Vec<String>,
    /// Its dated statements, in order.
    pub statements: Vec<Statement>,
}

/// A conclusion, with its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConclusionRef {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
}

/// The kind of declaration a rule change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Declaration {
    /// A `rule`.
    Rule,
    /// An `assessment`.
    Assessment,
    /// A `tiers` declaration.
    Tiers,
    /// An `open` question.
    Open,
}

impl Declaration {
    /// Its keyword, as the language writes it.
    pub fn keyword(self) -> &'static str {
        match self {
            Declaration::Rule => "rule",
            Declaration::Assessment => "assessment",
            Declaration::Tiers => "tiers",
            Declaration::Open => "open",
        }
    }
}

/// A parameter set: its value in the base, and the position's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamChange {
    /// The parameter's description.
    pub description: String,
    /// Its value in the base, as the language writes it; `None` when the
    /// base is not known.
    pub from: Option<String>,
    /// The value the position gives it.
    pub to: String,
}

/// A burden or a standard of proof: who bears it, and to what standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    /// The party bearing the burden (for a burden set), if any.
    pub party: Option<String>,
    /// The standard of proof required, if any.
    pub standard: Option<String>,
}

/// A burden or standard set: the base's, and the position's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofChange {
    /// The base's; `None` when the base is not known.
    pub from: Option<Proof>,
    /// The position's.
    pub to: Proof,
}

/// One change a position makes to its base.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeItem {
    /// The position that makes it (its name).
    pub position: String,
    /// What kind of change.
    pub kind: ChangeKind,
    /// The rule (assessment, tiers, open question), parameter or conclusion
    /// changed.
    pub target: String,
    /// For a change of a rule: the kind of declaration changed (for a
    /// removal, the base's; `None` when the base is not known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declaration: Option<Declaration>,
    /// The conclusions it bears on directly: those the rule concludes (or
    /// concluded), those whose rules read the parameter, the conclusion whose
    /// standard or burden is set.
    pub conclusions: Vec<ConclusionRef>,
    /// For a parameter set: its description and values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<ParamChange>,
    /// For a standard or burden set: the base's and the position's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<ProofChange>,
    /// Its citations.
    pub cites: Vec<String>,
    /// The dated statement it was made in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementRef>,
    /// Marked `arguable` or `contested`, with its note, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// Changes, grouped by kind, each group in the order they are made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// Rules (assessments, tiers, open questions) replaced.
    pub replaced: Vec<ChangeItem>,
    /// Rules (assessments, tiers, open questions) removed; the removal of
    /// an open question settles it.
    pub removed: Vec<ChangeItem>,
    /// Rules (assessments, tiers, open questions) added.
    pub added: Vec<ChangeItem>,
    /// Rules of the base whose application is left open (`open rule`).
    pub opened: Vec<ChangeItem>,
    /// Parameters set.
    pub params: Vec<ChangeItem>,
    /// Standards of proof set.
    pub standards: Vec<ChangeItem>,
    /// Burdens of proof set.
    pub burdens: Vec<ChangeItem>,
}

impl Changes {
    /// The group of a kind of change.
    fn group(&mut self, kind: ChangeKind) -> &mut Vec<ChangeItem> {
        match kind {
            ChangeKind::Replace => &mut self.replaced,
            ChangeKind::Remove => &mut self.removed,
            ChangeKind::Add => &mut self.added,
            ChangeKind::Open => &mut self.opened,
            ChangeKind::SetParam => &mut self.params,
            ChangeKind::SetStandard => &mut self.standards,
            ChangeKind::SetBurden => &mut self.burdens,
        }
    }

    /// Adds a change to its group.
    pub fn push(&mut self, item: ChangeItem) {
        self.group(item.kind).push(item);
    }

    /// Every change, group by group.
    pub fn iter(&self) -> impl Iterator<Item = &ChangeItem> + '_ {
        [&self.replaced, &self.removed, &self.added, &self.opened, &self.params, &self.standards, &self.burdens].into_iter().flatten()
    }

    /// How many changes there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The changes a base of the position makes (a position it extends, itself
/// a position).
#[derive(Debug, Clone, Serialize)]
pub struct BaseChanges {
    /// The base.
    pub position: PositionRef,
    /// Its changes, each measured against what that base extends.
    pub changes: Changes,
}

/// A parameter a position declares (its base has none of the name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamDecl {
    /// Its name.
    pub name: String,
    /// Its value, as the language writes it.
    pub value: String,
    /// Its description.
    pub description: String,
}

/// What a position declares that its base does not have.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Declared {
    /// Parameters (its own thresholds and standards); empty when the base
    /// is not known.
    pub params: Vec<ParamDecl>,
    /// Conclusions.
    pub conclusions: Vec<ConclusionRef>,
}

/// A question left open.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The `open` declaration's name, or the rule whose application is open.
    pub name: String,
    /// A whole conclusion left open, or a rule's application.
    pub kind: QuestionKind,
    /// The conclusion it bears on.
    pub conclusion: ConclusionRef,
    /// Who leaves it open: `base`, or a position's name.
    pub origin: String,
    /// Its sources.
    pub cites: Vec<String>,
    /// Marked `arguable` or `contested`, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

/// The questions a position leaves open.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Questions {
    /// Its own (each also one of its changes).
    pub own: Vec<Question>,
    /// Its bases' that it does not settle.
    pub from_base: Vec<Question>,
}

/// Which conclusions a position states and which it inherits by silence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inheritance {
    /// How many conclusions some change of the position (or of a base
    /// position) bears on.
    pub stated: usize,
    /// The conclusions no change bears on: their results are the base's by
    /// the position's silence, whatever the incident.
    pub inherited: Vec<ConclusionRef>,
}

/// Everything a position changes against its base.
#[derive(Debug, Clone, Serialize)]
pub struct PositionReport {
    /// The version of this schema ([`SHOW_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The position.
    pub position: PositionSummary,
    /// The day the positions are taken as they stood on, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Whether its base was compiled apart to measure the changes against
    /// (else the values the base had are not known).
    pub base_known: bool,
    /// The changes the position makes.
    pub changes: Changes,
    /// The changes of the positions it extends, nearest first (none when it
    /// extends the standard library).
    pub by_bases: Vec<BaseChanges>,
    /// What it declares that its base does not have.
    pub declared: Declared,
    /// The questions it leaves open.
    pub questions: Questions,
    /// What it states and what it inherits.
    pub conclusions: Inheritance,
}

/// The changes of two positions to the same rule, parameter or conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct ChangePair {
    /// What both change.
    pub target: String,
    /// The first position's changes to it.
    pub a: Vec<ChangeItem>,
    /// The second position's changes to it.
    pub b: Vec<ChangeItem>,
}

/// What one of two positions alone changes or declares.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OnlyOne {
    /// Changes the other does not make (to a target it leaves alone).
    pub changes: Changes,
    /// Parameters and conclusions it declares, which the other lacks.
    pub declared: Declared,
}

/// How two positions state or inherit the conclusions they share.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StatedCompared {
    /// Stated by both.
    pub both: Vec<ConclusionRef>,
    /// Stated by the first only: the second inherits its base's.
    pub a_only: Vec<ConclusionRef>,
    /// Stated by the second only.
    pub b_only: Vec<ConclusionRef>,
    /// Stated by neither: both inherit their bases' results.
    pub neither: Vec<ConclusionRef>,
}

/// How the changes of two positions differ.
#[derive(Debug, Clone, Serialize)]
pub struct AgainstReport {
    /// The version of this schema ([`SHOW_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The first position (`opinio show A --against B`: A).
    pub a: PositionSummary,
    /// The second.
    pub b: PositionSummary,
    /// The day the positions are taken as they stood on, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// What the first alone changes.
    pub only_a: OnlyOne,
    /// What the second alone changes.
    pub only_b: OnlyOne,
    /// The same rule, parameter or conclusion changed by both, differently
    /// (another kind of change, another rule, another value).
    pub differently: Vec<ChangePair>,
    /// The same change made by both on their own (each with its sources).
    pub alike: Vec<ChangePair>,
    /// Changes both have from a base they share (a position both extend).
    pub shared: Changes,
    /// How each states the conclusions they share.
    pub conclusions: StatedCompared,
}

/// The report of a position: its changes, grouped by kind, what it
/// declares, the questions it leaves open and what it inherits. A plain
/// module (a program without positions) gives a report without changes.
pub fn position_report(position: Position<'_>) -> PositionReport {
    let (program, base) = (position.program, position.base());
    let own = program.position_name();
    let mut changes = Changes::default();
    let mut by_bases: Vec<BaseChanges> = Vec::new();
    for change in &program.changes {
        let item = change_item(position, change);
        if change.position == own {
            changes.push(item);
            continue;
        }
        match by_bases.iter_mut().find(|b| b.position.name == change.position) {
            Some(b) => b.changes.push(item),
            None => {
                let mut group = Changes::default();
                group.push(item);
                by_bases.push(BaseChanges { position: position_ref(program, &change.position), changes: group });
            }
        }
    }
    // Nearest base first.
    by_bases.reverse();
    let (own_questions, from_base) = program.questions.iter().map(|q| question(program, q)).partition(|q| q.origin == own);
    let inherited: Vec<ConclusionRef> = (0..program.conclusions.len())
        .map(ConclusionId::new)
        .filter(|&c| program.stated(c) == Some(false))
        .map(|c| conclusion_ref(program, None, &program.conclusions[c].name))
        .collect();
    let stated = (0..program.conclusions.len()).filter(|&c| program.stated(ConclusionId::new(c)) == Some(true)).count();
    PositionReport {
        schema_version: SHOW_SCHEMA_VERSION,
        position: summary(program),
        as_of: program.as_of.clone(),
        base_known: base.is_some(),
        changes,
        by_bases,
        declared: declared(position),
        questions: Questions { own: own_questions, from_base },
        conclusions: Inheritance { stated, inherited },
    }
}

/// The name reports show for a position of a program, or for a base.
fn position_ref(program: &Program, name: &str) -> PositionRef {
    let title = if name == STDLIB {
        STDLIB_TITLE.to_string()
    } else {
        program.positions.iter().find(|p| p.name == name).and_then(|p| p.title.clone()).unwrap_or_else(|| name.to_string())
    };
    PositionRef { name: name.to_string(), title }
}

/// Who the position of a program is.
fn summary(program: &Program) -> PositionSummary {
    let name = program.position_name().to_string();
    let statements = program
        .statements
        .iter()
        .filter(|s| s.position == name)
        .map(|s| Statement {
            name: s.name.clone(),
            date: s.date.clone(),
            description: s.description.clone(),
            cites: s.cites.clone(),
            applies: s.applies,
        })
        .collect();
    PositionSummary {
        title: program.title().to_string(),
        extends: program.positions.iter().rev().map(|p| position_ref(program, &p.extends)).collect(),
        cites: program.positions.last().map(|p| p.cites.clone()).unwrap_or_default(),
        statements,
        name,
    }
}

/// A conclusion by name, described as `program` (else `base`) describes it.
fn conclusion_ref(program: &Program, base: Option<&Program>, name: &str) -> ConclusionRef {
    let described = |p: &Program| p.conclusion_named(name).map(|c| p.conclusions[c].description.clone());
    let description = described(program).or_else(|| base.and_then(described)).unwrap_or_default();
    ConclusionRef { name: name.to_string(), description }
}

/// The rules a rule-like declaration of this name stands for: a rule, an
/// assessment, an open question, or each tier of a `tiers`.
fn rules_named(program: &Program, name: &str) -> Vec<RuleId> {
    (0..program.rules.len())
        .map(RuleId::new)
        .filter(|&r| match &program.rules[r].form {
            RuleForm::Tier { tiers, .. } => tiers == name,
            RuleForm::Breach { .. } => false,
            _ => program.rules[r].name == name,
        })
        .collect()
}

/// The kind of declaration the rules stand for.
fn declaration_of(program: &Program, rules: &[RuleId]) -> Option<Declaration> {
    rules.first().map(|&r| match program.rules[r].form {
        RuleForm::Rule | RuleForm::Breach { .. } => Declaration::Rule,
        RuleForm::Assessment => Declaration::Assessment,
        RuleForm::Tier { .. } => Declaration::Tiers,
        RuleForm::Open => Declaration::Open,
    })
}

/// The conclusions of rules, each once, in declaration order.
fn conclusions_of(program: &Program, rules: impl Iterator<Item = RuleId>) -> Vec<String> {
    let ids: BTreeSet<ConclusionId> = rules.map(|r| program.rules[r].conclusion).collect();
    ids.into_iter().map(|c| program.conclusions[c].name.clone()).collect()
}

/// A conclusion's burden and standard of proof.
fn proof_of(program: &Program, conclusion: &str, with_party: bool) -> Option<Proof> {
    let c = &program.conclusions[program.conclusion_named(conclusion)?];
    let party = if with_party { c.burden.as_ref().map(|b| program.parties[b.value].name.clone()) } else { None };
    Some(Proof { party, standard: required_standard(program, c) })
}

/// One change, as the report gives it, measured against the program it
/// was made to (for a change of a base, that base's base).
fn change_item(position: Position<'_>, change: &ChangeInfo) -> ChangeItem {
    let (now, before) = position.made_by(&change.position);
    let target = change.target.as_str();
    let mut declaration = None;
    let mut param = None;
    let mut proof = None;
    let conclusions: Vec<String> = match change.kind {
        ChangeKind::Replace | ChangeKind::Add | ChangeKind::Open => {
            let rules = rules_named(now, target);
            declaration = declaration_of(now, &rules);
            let found = conclusions_of(now, rules.into_iter());
            if found.is_empty() {
                change.conclusions.clone()
            } else {
                found
            }
        }
        ChangeKind::Remove => {
            declaration = before.and_then(|b| declaration_of(b, &rules_named(b, target)));
            change.conclusions.clone()
        }
        ChangeKind::SetParam => {
            let found = now.params.iter().position(|p| p.name == target);
            let info = found.map(|p| &now.params[p]);
            param = Some(ParamChange {
                description: info.map(|p| p.description.clone()).unwrap_or_default(),
                from: before.and_then(|b| b.params.iter().find(|p| p.name == target)).map(|p| value_text(before.unwrap_or(now), &p.value)),
                to: info.map(|p| value_text(now, &p.value)).unwrap_or_else(|| "unknown".into()),
            });
            match found {
                Some(p) => {
                    let id = crate::ir::ParamId::new(p);
                    conclusions_of(now, (0..now.rules.len()).map(RuleId::new).filter(|&r| now.rules[r].reads.params.contains(&id)))
                }
                None => Vec::new(),
            }
        }
        ChangeKind::SetStandard | ChangeKind::SetBurden => {
            let with_party = change.kind == ChangeKind::SetBurden;
            proof = Some(ProofChange {
                from: before.and_then(|b| proof_of(b, target, with_party)),
                to: proof_of(now, target, with_party).unwrap_or(Proof { party: None, standard: None }),
            });
            vec![target.to_string()]
        }
    };
    let statement = change
        .statement
        .and_then(|s| position.program.statements.get(s as usize))
        .map(|s| StatementRef { name: s.name.clone(), date: s.date.clone() });
    ChangeItem {
        position: change.position.clone(),
        kind: change.kind,
        target: change.target.clone(),
        declaration,
        conclusions: conclusions.iter().map(|c| conclusion_ref(now, position.base(), c)).collect(),
        param,
        proof,
        cites: change.cites.clone(),
        statement,
        reading: change.reading.clone(),
    }
}

/// A question left open, as the report gives it.
fn question(program: &Program, q: &crate::ir::QuestionInfo) -> Question {
    Question {
        name: q.name.clone(),
        kind: q.kind,
        conclusion: conclusion_ref(program, None, &program.conclusions[q.conclusion].name),
        origin: q.origin.clone(),
        cites: q.cites.clone(),
        reading: q.reading.clone(),
    }
}

/// The parameters and conclusions a position declares that its base lacks.
fn declared(position: Position<'_>) -> Declared {
    let (program, base) = (position.program, position.base());
    let own = program.position_name();
    let params = match base {
        Some(base) => program
            .params
            .iter()
            .filter(|p| !base.params.iter().any(|q| q.name == p.name))
            .map(|p| ParamDecl { name: p.name.clone(), value: value_text(program, &p.value), description: p.description.clone() })
            .collect(),
        None => Vec::new(),
    };
    let conclusions = program
        .conclusions
        .iter()
        .filter(|c| c.origin == own && !program.positions.is_empty())
        .map(|c| ConclusionRef { name: c.name.clone(), description: c.description.clone() })
        .collect();
    Declared { params, conclusions }
}
