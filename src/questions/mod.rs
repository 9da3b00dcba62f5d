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

/// How many partial incidents `witness` may evaluate by default, per
/// conclusion (about 20 to 40 seconds on the shipped positions, for the
/// walk that proves no incident parts two positions).
pub const BUDGET: u64 = 2_000_000;

/// How many partial incidents `whatif` may evaluate by default (a few
/// seconds): enough to list every smallest set for the shipped conclusions
/// that depend on a few dozen facts; the sets of the size after the
/// smallest get at most a quarter of what is left.
pub const WHATIF_BUDGET: u64 = 300_000;

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

/// What `what_if` is asked.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// The conclusion.
    pub conclusion: ConclusionId,
    /// The result sought (as the outputs write it), or any other.
    pub to: Option<&'a str>,
    /// The space slots kept as the base gives them.
    pub fixed: &'a [usize],
    /// The most changes a set may make; `None`: the smallest size there is
    /// and the size after.
    pub max_changes: Option<usize>,
    /// How many partial incidents the search may evaluate.
    pub budget: u64,
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
    /// Every set of at most this many changes was tried (the smaller
    /// when the search stopped at its budget).
    pub complete_up_to: usize,
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
    q: &Question<'_>,
) -> Result<WhatIf, String> {
    let Question { conclusion, to, fixed, max_changes, budget } = *q;
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
        if !found.is_empty() && max_changes.is_none() && bound < last && end != End::OutOfBudget {
            bound += 1;
            let left = budget.saturating_sub(probe.runs) / 4;
            let mut search = Search::new(&mut probe, space, base, &free, &goal, bound, left);
            let end = search.run();
            // The sets of the smaller size stay, whether or not this walk
            // found them again before its budget ran out.
            let mut all = found;
            all.extend(std::mem::take(&mut search.found));
            let found = irreducible(&mut probe, base, minimal(all), &goal);
            let complete_up_to = if end == End::OutOfBudget { bound - 1 } else { bound };
            return Ok(WhatIf { current, found, max_changes: bound, complete_up_to, end, runs: probe.runs, limits: space.limits.clone() });
        }
        if found.is_empty() && end == End::OutOfBudget && max_changes.is_none() {
            // Every set of this size could not be tried: one set found by a
            // wider walk (values first), made irreducible, is still an answer.
            let left = (budget / 2).max(FALLBACK);
            let mut search = Search::new(&mut probe, space, base, &free, &goal, free.len(), left);
            search.first_only = true;
            search.values_first = true;
            search.eager = true;
            search.run();
            if let Some(one) = search.found.pop() {
                let one = reduce(&mut probe, space, base, one, &goal);
                let size = one.changes.len();
                return Ok(WhatIf {
                    current,
                    found: vec![one],
                    max_changes: size,
                    complete_up_to: bound - 1,
                    end: End::OutOfBudget,
                    runs: probe.runs,
                    limits: space.limits.clone(),
                });
            }
        }
        if done || !found.is_empty() {
            let found = irreducible(&mut probe, base, minimal(found), &goal);
            let complete_up_to = if end == End::OutOfBudget { bound - 1 } else { bound };
            return Ok(WhatIf { current, found, max_changes: bound, complete_up_to, end, runs: probe.runs, limits: space.limits.clone() });
        }
        bound += 1;
    }
}

/// Keeps the sets of changes no part of which meets the goal: where the
/// search gave one change a standard of proof only where it mattered, a
/// larger set may hold, to another standard, a change that alone suffices.
fn irreducible(probe: &mut Probe<'_>, base: &[(Value, Proof)], found: Vec<Found>, goal: &dyn Fn(&[Answer]) -> bool) -> Vec<Found> {
    found
        .into_iter()
        .filter(|f| {
            let n = f.changes.len();
            // Every proper, non-empty part (at most a few changes).
            (1..(1u32 << n) - 1).all(|mask| {
                let mut cells: Vec<probe::Cell> = base.iter().map(|(v, p)| probe::Cell::Set(v.clone(), Some(*p))).collect();
                for (i, c) in f.changes.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        cells[c.slot] = probe::Cell::Set(c.value.clone(), Some(c.proof));
                    }
                }
                match probe.run(&cells) {
                    Seen::Results { answers, .. } if answers.iter().all(Option::is_some) => {
                        let answers: Vec<Answer> = answers.into_iter().flatten().collect();
                        !goal(&answers)
                    }
                    _ => true,
                }
            })
        })
        .collect()
}

/// Whether some incident of the abstraction makes `rule` apply (its
/// conditions hold and no defeater applies) and, with `holding`, the
/// conditions of that other rule hold as well: `Some(true)` when the walk
/// finds one, `Some(false)` when it walks every incident without finding
/// one, `None` when it stops at its budget.
pub fn can_apply(
    program: &Program,
    space: &Space,
    rule: crate::ir::RuleId,
    holding: Option<crate::ir::RuleId>,
    budget: u64,
) -> Option<bool> {
    let mut targets = vec![probe::Target::Applies(rule)];
    targets.extend(holding.map(probe::Target::Holds));
    let programs = vec![program; targets.len()];
    let mut probe = Probe::with_targets(&programs, &targets, space, Vec::new());
    let mut free = vec![false; space.slots.len()];
    for m in 0..targets.len() {
        for u in probe.cone(m) {
            free[u] = true;
        }
    }
    let width = free.iter().filter(|f| **f).count();
    let base = vec![(Value::Unknown, Proof::UNSTATED); space.slots.len()];
    let goal = |answers: &[Answer]| answers.iter().all(|a| a.value == Value::Bool(true));
    let mut search = Search::new(&mut probe, space, &base, &free, &goal, width, budget);
    search.first_only = true;
    search.values_first = true;
    search.eager = true;
    let end = search.run();
    match (search.found.is_empty(), end) {
        (false, _) => Some(true),
        (true, End::OutOfBudget) => None,
        (true, _) => Some(false),
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
    let mut runs = 0;
    let mut memo = std::collections::HashMap::new();
    let result = witness_within(a, b, space, base, &rates, conclusion, budget, DEPTH, &mut runs, &mut memo)?;
    Ok(match result {
        Witness::Found { found, smallest, .. } => Witness::Found { found, smallest, runs },
        Witness::NoneExists { .. } => Witness::NoneExists { runs },
        Witness::Undecided { .. } => Witness::Undecided { runs },
        Witness::Identical => Witness::Identical,
    })
}

/// [`witness`], going through at most `depth` levels of conclusions whose
/// own rules differ; adds the partial incidents it evaluates to `runs`.
#[allow(clippy::too_many_arguments)]
fn witness_within(
    a: &Program,
    b: &Program,
    space: &Space,
    base: &[(Value, Proof)],
    rates: &[crate::value::ExchangeRate],
    conclusion: &str,
    budget: u64,
    depth: usize,
    runs: &mut u64,
    memo: &mut std::collections::HashMap<String, Option<Found>>,
) -> Result<Witness, String> {
    let ca = a.conclusion_named(conclusion).ok_or_else(|| format!("`{}` has no conclusion `{conclusion}`", a.name))?;
    let cb = b.conclusion_named(conclusion).ok_or_else(|| format!("`{}` has no conclusion `{conclusion}`", b.name))?;
    if same::Same::new(a, b).conclusion(ca, cb) {
        return Ok(Witness::Identical);
    }
    let mut probe = Probe::new(&[a, b], &[ca, cb], space, rates.to_vec());
    let differing = same::Same::differing(a, b, ca);
    let frontier: Vec<(ConclusionId, ConclusionId)> =
        differing.iter().filter_map(|&c| b.conclusion_named(&a.conclusions[c].name).map(|d| (c, d))).collect();
    // A conclusion only one of them has is read by one whose own rules
    // differ; the frontier is compared only when each has its counterpart.
    if differing.len() == frontier.len() && same::Same::differing(b, a, cb).len() == frontier.len() {
        probe.set_frontier(frontier.clone(), space.slots.len());
    }
    let mut free = vec![false; space.slots.len()];
    for u in probe.cone(0).into_iter().chain(probe.cone(1)) {
        free[u] = true;
    }
    let width = free.iter().filter(|f| **f).count();
    let goal = |answers: &[Answer]| !answers[0].same(&answers[1]);
    let spend = |probe: &Probe<'_>, runs: &u64| budget.saturating_sub(*runs + probe.runs);
    // 1. Closest to the base first: every incident within a few changes.
    let mut tried_below = 0;
    // (Through a conclusion read, below the top, an incident serves as a
    // start: the closest walks are kept short, and no smaller one sought.)
    let top = depth == DEPTH;
    let cap = if top { budget / 8 } else { SUB_CAP };
    let closest = |bounds: std::ops::RangeInclusive<usize>,
                   probe: &mut Probe<'_>,
                   runs: &u64,
                   tried_below: &mut usize|
     -> Option<Result<Found, End>> {
        for bound in bounds {
            let left = spend(probe, runs).min(cap);
            let mut search = Search::new(probe, space, base, &free, &goal, bound, left);
            search.first_only = true;
            search.eager = true;
            search.eager = true;
            let end = search.run();
            if let Some(found) = search.found.pop() {
                return Some(Ok(found));
            }
            match end {
                End::Bounded => *tried_below = bound + 1,
                other => return Some(Err(other)),
            }
        }
        None
    };
    let mut best: Option<Found> = None;
    match closest(0..=(SMALL - 1).min(width), &mut probe, runs, &mut tried_below) {
        Some(Ok(found)) => best = Some(found),
        Some(Err(End::Complete)) => {
            *runs += probe.runs;
            return Ok(Witness::NoneExists { runs: *runs });
        }
        _ => {}
    }
    debug_phase("closest", conclusion, probe.runs);
    // 2. Through a conclusion it reads on which they part: an incident that
    //    parts them on it, then, keeping its facts, the fewest facts more
    //    that carry the difference up to this conclusion.
    if best.is_none() && depth > 0 {
        let mut deep = same::Same::new(a, b);
        let mut below: Vec<ConclusionId> = Vec::new();
        for &r in &a.conclusions[ca].rules {
            for &d in &a.rules[r].reads.conclusions {
                let differs = b.conclusion_named(&a.conclusions[d].name).is_some_and(|db| !deep.conclusion(d, db));
                if differs && !below.contains(&d) {
                    below.push(d);
                }
            }
        }
        for d in below {
            if spend(&probe, runs) == 0 {
                break;
            }
            let name = a.conclusions[d].name.clone();
            let under = match memo.get(&name) {
                Some(known) => known.clone(),
                None => {
                    let mut inner = 0;
                    let share = spend(&probe, runs) / 2;
                    let sub = witness_within(a, b, space, base, rates, &name, share, depth - 1, &mut inner, memo)?;
                    *runs += inner;
                    let found = match sub {
                        Witness::Found { found, .. } => Some(found),
                        _ => None,
                    };
                    memo.insert(name, found.clone());
                    found
                }
            };
            let Some(under) = under else { continue };
            let mut near = base.to_vec();
            let mut rest = free.clone();
            for c in &under.changes {
                near[c.slot] = (c.value.clone(), c.proof);
                rest[c.slot] = false;
            }
            // Values first, branching on what the results rest on: quick
            // when a few facts more suffice; then the closest.
            for (bound, values_first) in [(width, true)].into_iter().chain((0..=SMALL).map(|b| (b, false))) {
                let left = spend(&probe, runs).min(if values_first { budget / 64 } else { budget / 16 });
                let mut search = Search::new(&mut probe, space, &near, &rest, &goal, bound, left);
                search.first_only = true;
                search.eager = true;
                search.eager = true;
                search.eager = true;
                search.values_first = values_first;
                let end = search.run();
                if let Some(found) = search.found.pop() {
                    best = Some(combine(base, &under, &found));
                    break;
                }
                if end == End::Complete {
                    break;
                }
            }
            if best.is_some() {
                break;
            }
        }
    }
    debug_phase("through", conclusion, probe.runs);
    // 3. At the top, one change more than the closest walks.
    if best.is_none() && top && width >= SMALL {
        match closest(SMALL..=SMALL, &mut probe, runs, &mut tried_below) {
            Some(Ok(found)) => best = Some(found),
            Some(Err(End::Complete)) => {
                *runs += probe.runs;
                return Ok(Witness::NoneExists { runs: *runs });
            }
            _ => {}
        }
    }
    // 4. Every incident, values before unknown, to the end.
    if best.is_none() {
        let left = spend(&probe, runs);
        let mut search = Search::new(&mut probe, space, base, &free, &goal, width, left);
        search.first_only = true;
        search.eager = true;
        search.values_first = true;
        let end = search.run();
        match search.found.pop() {
            Some(found) => best = Some(found),
            None => {
                *runs += probe.runs;
                return Ok(match end {
                    End::OutOfBudget => Witness::Undecided { runs: *runs },
                    _ => Witness::NoneExists { runs: *runs },
                });
            }
        }
    }
    let Some(first) = best else {
        *runs += probe.runs;
        return Ok(Witness::Undecided { runs: *runs });
    };
    debug_phase("found", conclusion, probe.runs);
    let mut best = reduce(&mut probe, space, base, first, &goal);
    // A smaller one: a walk bounded below its size, closest first (sizes
    // already walked in full need no second walk).
    let smallest;
    loop {
        let size = best.changes.len();
        if size <= tried_below || !top {
            smallest = size <= tried_below;
            break;
        }
        let left = spend(&probe, runs).min(CERTIFY);
        let mut search = Search::new(&mut probe, space, base, &free, &goal, size - 1, left);
        search.first_only = true;
        search.eager = true;
        let end = search.run();
        match search.found.pop() {
            Some(found) => best = reduce(&mut probe, space, base, found, &goal),
            None => {
                smallest = end != End::OutOfBudget;
                break;
            }
        }
    }
    *runs += probe.runs;
    Ok(Witness::Found { found: best, smallest, runs: *runs })
}

/// How many conclusions deep a witness is sought through those it reads.
const DEPTH: usize = 8;

/// How many changes the first, closest walks allow.
const SMALL: usize = 3;

/// How many partial incidents `whatif`'s wider walk may take at least, when
/// the closest sets could not all be tried.
const FALLBACK: u64 = 100_000;

/// How many partial incidents each closest walk may take below the top.
const SUB_CAP: u64 = 4_000;

/// How many partial incidents the search for a smaller incident may take.
const CERTIFY: u64 = 15_000;

/// The changes of `under` (from `base`), then those of `over` (from the
/// incident `under` gives), as changes from `base`.
fn combine(base: &[(Value, Proof)], under: &Found, over: &Found) -> Found {
    let mut cells: Vec<(Value, Proof)> = base.to_vec();
    for c in under.changes.iter().chain(&over.changes) {
        cells[c.slot] = (c.value.clone(), c.proof);
    }
    let mut changes = Vec::new();
    for (u, (v, p)) in cells.into_iter().enumerate() {
        if v != base[u].0 || (!v.is_unknown() && p != base[u].1) {
            let class = over.changes.iter().chain(&under.changes).find(|c| c.slot == u && c.value == v).and_then(|c| c.class.clone());
            changes.push(search::Change { slot: u, value: v, proof: p, class });
        }
    }
    Found { changes, answers: over.answers.clone() }
}

/// Leaves out each change, then lowers each standard of proof, while the
/// goal still holds.
fn reduce(probe: &mut Probe<'_>, space: &Space, base: &[(Value, Proof)], mut found: Found, goal: &dyn Fn(&[Answer]) -> bool) -> Found {
    let parts = |probe: &mut Probe<'_>, changes: &[search::Change]| -> Option<Vec<Answer>> {
        let mut cells: Vec<probe::Cell> = base.iter().map(|(v, p)| probe::Cell::Set(v.clone(), Some(*p))).collect();
        for c in changes {
            cells[c.slot] = probe::Cell::Set(c.value.clone(), Some(c.proof));
        }
        match probe.run(&cells) {
            Seen::Results { answers, .. } if answers.iter().all(Option::is_some) => {
                let answers: Vec<Answer> = answers.into_iter().flatten().collect();
                goal(&answers).then_some(answers)
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

fn debug_phase(phase: &str, conclusion: &str, runs: u64) {
    if std::env::var_os("OPINIO_DEBUG_SEARCH").is_some() {
        eprintln!("{conclusion}: after {phase}: {runs}");
    }
}
