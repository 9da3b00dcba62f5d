//! Questions asked of the law rather than of one incident: which smallest
//! changes to an incident's facts would change a conclusion (`whatif`), and
//! an incident on which two positions part (`witness`), or a proof that
//! none exists.
//!
//! Both search the incidents of a finite abstraction ([`domain`]): for each
//! fact the conclusion depends on, one value per class of values the
//! programs cannot tell apart, unknown, and the standards of proof some
//! conclusion requires. The search ([`search`]) walks partial incidents,
//! leaving the facts not yet chosen *wild* and evaluating with the
//! evaluator itself (see [`crate::eval::wild`]): where every result is
//! settled whatever the wild facts, the branch ends. So what it finds is an
//! incident the evaluator decides as stated, and a walk that ends without
//! a bound has tried every incident of the abstraction.

pub mod domain;
pub mod probe;
pub mod same;
pub mod search;

use crate::incident::Incident;
use crate::ir::{ConclusionId, Program};
use crate::value::{Proof, Value};
use domain::Space;
use probe::{Answer, Probe, Seen};
use search::{minimal, End, Found, Search};

/// How many partial incidents a question may evaluate by default.
pub const BUDGET: u64 = 2_000_000;

/// The base incident of a search: each space slot's value and proof, from
/// an incident read under each program (the first program's reading first).
pub fn base_of(space: &Space, incidents: &[&Incident]) -> Vec<(Value, Proof)> {
    (0..space.slots.len())
        .map(|u| {
            space
                .maps
                .iter()
                .zip(incidents)
                .find_map(|(map, incident)| map[u].map(|s| (incident.slots[s.index()].clone(), incident.proofs[s.index()])))
                .filter(|(v, _)| !v.is_unknown())
                .unwrap_or((Value::Unknown, Proof::UNSTATED))
        })
        .collect()
}

/// The smallest changes that give a conclusion another result.
#[derive(Debug)]
pub struct WhatIf {
    /// The result on the incident as it is.
    pub current: Answer,
    /// The sets of changes found, smallest first; none contains another.
    pub found: Vec<Found>,
    /// The most changes a set was allowed.
    pub max_changes: usize,
    /// How the search ended.
    pub end: End,
    /// How many partial incidents were evaluated.
    pub runs: u64,
    /// Where the abstraction is not exact.
    pub limits: Vec<String>,
}

/// Finds the smallest sets of changes to `base` (none of the `fixed` space
/// slots) that give `conclusion` under `program` another result, or the
/// result `to` (as the outputs write it: `true`, `unknown`, `open`, an
/// enumeration value): every one of at most `max_changes` facts; without
/// it, every one of the smallest size there is and of the size after.
pub fn what_if(
    program: &Program,
    space: &Space,
    base: &[(Value, Proof)],
    rates: Vec<crate::value::ExchangeRate>,
    conclusion: ConclusionId,
    to: Option<&str>,
    fixed: &[usize],
    max_changes: Option<usize>,
    budget: u64,
) -> Result<WhatIf, String> {
    let mut probe = Probe::new(&[program], &[conclusion], space, rates);
    let cells: Vec<probe::Cell> = base.iter().map(|(v, p)| probe::Cell::Set(v.clone(), Some(*p))).collect();
    let current = match probe.run(&cells) {
        Seen::Results { mut answers, .. } => answers.pop().flatten().ok_or("the conclusion is not settled on the incident")?,
        Seen::Fails => return Err("the norms fail on the incident (two rules apply with different values)".into()),
    };
    let mut free = vec![false; space.slots.len()];
    for u in probe.cone(0) {
        free[u] = !fixed.contains(&u);
    }
    let goal = |answers: &[Answer]| match to {
        Some(to) => answers[0].show() == to,
        None => !answers[0].same(&current),
    };
    // Without a bound given: the smallest size that gives an answer, and
    // one more (the next answers a reader would weigh).
    let (mut bound, last) = match max_changes {
        Some(n) => (n, n),
        None => (1, free.len().max(1)),
    };
    loop {
        let left = budget.saturating_sub(probe.runs);
        let mut search = Search::new(&mut probe, space, base, &free, &goal, bound, left);
        let end = search.run();
        let found = std::mem::take(&mut search.found);
        let done = end != End::Bounded || bound >= last;
        if !found.is_empty() && max_changes.is_none() && bound < last {
            bound += 1;
            let left = budget.saturating_sub(probe.runs);
            let mut search = Search::new(&mut probe, space, base, &free, &goal, bound, left);
            let end = search.run();
            let found = minimal(std::mem::take(&mut search.found));
            return Ok(WhatIf { current, found, max_changes: bound, end, runs: probe.runs, limits: space.limits.clone() });
        }
        if done || !found.is_empty() {
            return Ok(WhatIf { current, found: minimal(found), max_changes: bound, end, runs: probe.runs, limits: space.limits.clone() });
        }
        bound += 1;
    }
}

/// What `witness` found.
#[derive(Debug)]
pub enum Witness {
    /// An incident on which the two positions give different results: the
    /// changes from the base (from nothing, without `--near`).
    Found {
        /// The changes.
        found: Found,
        /// Whether no incident with fewer changes parts them (the search
        /// for one ran to its end); else no change can be left out.
        smallest: bool,
        /// How many partial incidents were evaluated.
        runs: u64,
    },
    /// The two derive the conclusion by the same rules from the same facts.
    Identical,
    /// Every incident of the abstraction gives both the same result.
    NoneExists {
        /// How many partial incidents the proof took.
        runs: u64,
    },
    /// The search stopped after its budget without deciding.
    Undecided {
        /// How many partial incidents were evaluated.
        runs: u64,
    },
}

/// Finds an incident, as close to `base` as it can (the fewest facts given
/// otherwise), on which `a` and `b` give `conclusion` different results;
/// or shows that none exists.
///
/// First a walk over every partial incident (the facts of either
/// position's cone), trying values before unknown and the strongest
/// standard first, stops at the first incident that parts them; a walk
/// that ends without one proves that none exists. The walk prunes where
/// the conclusions whose own rules differ are settled alike in both (what
/// depends on them is derived alike). The incident found is then reduced:
/// each change left out, each standard of proof lowered, while the two
/// still part; and a walk bounded to fewer changes looks for a smaller one.
#[allow(clippy::too_many_arguments)]
pub fn witness(
    a: &Program,
    b: &Program,
    space: &Space,
    base: &[(Value, Proof)],
    rates: Vec<crate::value::ExchangeRate>,
    conclusion: &str,
    budget: u64,
) -> Result<Witness, String> {
    let ca = a.conclusion_named(conclusion).ok_or_else(|| format!("`{}` has no conclusion `{conclusion}`", a.name))?;
    let cb = b.conclusion_named(conclusion).ok_or_else(|| format!("`{}` has no conclusion `{conclusion}`", b.name))?;
    if same::Same::new(a, b).conclusion(ca, cb) && base_settles_alike(base) {
        return Ok(Witness::Identical);
    }
    let mut probe = Probe::new(&[a, b], &[ca, cb], space, rates);
    let frontier: Vec<(ConclusionId, ConclusionId)> = same::Same::differing(a, b, ca)
        .into_iter()
        .filter_map(|c| b.conclusion_named(&a.conclusions[c].name).map(|d| (c, d)))
        .collect();
    // A conclusion only one of them has is reached through one whose own
    // rules differ; without a counterpart, the frontier cannot be compared.
    let complete_frontier = same::Same::differing(a, b, ca).len() == frontier.len() && same::Same::differing(b, a, cb).len() == frontier.len();
    if complete_frontier {
        probe.set_frontier(frontier, space.slots.len());
    }
    let mut free = vec![false; space.slots.len()];
    for u in probe.cone(0).into_iter().chain(probe.cone(1)) {
        free[u] = true;
    }
    let width = free.iter().filter(|f| **f).count();
    let goal = |answers: &[Answer]| !answers[0].same(&answers[1]);
    let mut search = Search::new(&mut probe, space, base, &free, &goal, width, budget);
    search.first_only = true;
    search.values_first = true;
    let end = search.run();
    let Some(first) = search.found.pop() else {
        return Ok(match end {
            End::OutOfBudget => Witness::Undecided { runs: probe.runs },
            _ => Witness::NoneExists { runs: probe.runs },
        });
    };
    let mut best = reduce(&mut probe, space, base, first);
    // A smaller one, by a walk bounded below its size, closest first.
    let smallest;
    loop {
        let size = best.changes.len();
        if size == 0 {
            smallest = true;
            break;
        }
        let left = budget.saturating_sub(probe.runs).min(budget / 4);
        let mut search = Search::new(&mut probe, space, base, &free, &goal, size - 1, left);
        search.first_only = true;
        let end = search.run();
        match search.found.pop() {
            Some(found) => best = reduce(&mut probe, space, base, found),
            None => {
                smallest = end != End::OutOfBudget;
                break;
            }
        }
    }
    Ok(Witness::Found { found: best, smallest, runs: probe.runs })
}

/// Whether the base gives no fact (identical derivations then agree on it).
fn base_settles_alike(_base: &[(Value, Proof)]) -> bool {
    // Identical derivations from the same facts agree on any incident.
    true
}

/// Leaves out each change, then lowers each standard of proof, while the
/// two programs still part.
fn reduce(probe: &mut Probe<'_>, space: &Space, base: &[(Value, Proof)], mut found: Found) -> Found {
    let parts = |probe: &mut Probe<'_>, changes: &[search::Change]| -> Option<Vec<Answer>> {
        let mut cells: Vec<probe::Cell> = base.iter().map(|(v, p)| probe::Cell::Set(v.clone(), Some(*p))).collect();
        for c in changes {
            cells[c.slot] = probe::Cell::Set(c.value.clone(), Some(c.proof));
        }
        match probe.run(&cells) {
            Seen::Results { answers, .. } if answers.iter().all(Option::is_some) => {
                let answers: Vec<Answer> = answers.into_iter().flatten().collect();
                (!answers[0].same(&answers[1])).then_some(answers)
            }
            _ => None,
        }
    };
    let mut i = 0;
    while i < found.changes.len() {
        let mut fewer = found.changes.clone();
        fewer.remove(i);
        match parts(probe, &fewer) {
            Some(answers) => found = Found { changes: fewer, answers },
            None => i += 1,
        }
    }
    for i in 0..found.changes.len() {
        for &proof in &space.proofs {
            if proof.level() >= found.changes[i].proof.level() {
                break;
            }
            let mut lower = found.changes.clone();
            lower[i].proof = proof;
            if let Some(answers) = parts(probe, &lower) {
                found = Found { changes: lower, answers };
                break;
            }
        }
    }
    found
}
