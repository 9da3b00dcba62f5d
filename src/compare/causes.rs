//! Finding the causes of a divergence between two positions, in time linear
//! in the derivation graph for each change.
//!
//! In: two runs, the conclusions of the comparison (the rows, by index) and,
//! for each, whether both positions have it and whether their results differ.
//! Out: for any row, the changes of either position that reach it, each with
//! one path (`via`): the shortest, and of those the first by the names of the
//! conclusions on it, so the result never depends on the order of a walk.
//!
//! The graph: a conclusion (a *node*) has an edge to each conclusion its rules
//! read, in either position, whose results differ. A change *bears* on a node
//! when it replaces, removes or adds one of its rules that took part, sets a
//! parameter one of its rules reads, or sets its standard or burden; it
//! *reaches* a node when some path leads from the node to one it bears on.
//! One breadth-first walk per change, backwards from the nodes it bears on,
//! gives its distance from every node; each node then keeps its next step
//! towards the change. A path is never enumerated, so a ladder of diamonds
//! (where the number of paths doubles with every rung) costs no more than a
//! chain.

use std::collections::{HashMap, VecDeque};

use super::Run;
use crate::eval::RuleState;
use crate::ir::{ChangeInfo, ChangeKind, ConclusionId, Program, RuleForm};

/// Marks a node that a change does not reach.
const UNREACHED: u32 = u32::MAX;

/// One node of the graph: a conclusion both positions have.
pub(super) struct Node {
    /// Its id in the first run's program.
    pub a: ConclusionId,
    /// Its id in the second run's program.
    pub b: ConclusionId,
    /// Whether the two results differ (value, status or standard of proof):
    /// whether the search goes down into it.
    pub differs: bool,
}

/// A change of one of the two positions, as a cause.
pub(super) struct Change<'a> {
    /// The compared position whose program has the change.
    pub position: &'a str,
    /// The change.
    pub info: &'a ChangeInfo,
}

/// The changes of two positions and, for each, the way from every
/// conclusion to where it bears.
pub(super) struct Search<'a> {
    /// The changes of either position that the other does not share.
    changes: Vec<Change<'a>>,
    /// Per change (same index), per node: the next node on the chosen path
    /// towards the change, the node itself where the change bears on it, or
    /// `UNREACHED`. Empty for a change that bears on no node.
    next: Vec<Vec<u32>>,
}

/// What a conclusion's derivation rests on in one program: the names of its
/// rules (and of the `tiers` declarations they belong to), the parameters
/// they read, and the conclusions they read.
struct Footprint<'p> {
    rules: Vec<&'p str>,
    params: Vec<&'p str>,
    reads: Vec<ConclusionId>,
}

fn footprint(program: &Program, conclusion: ConclusionId) -> Footprint<'_> {
    let mut f = Footprint { rules: Vec::new(), params: Vec::new(), reads: Vec::new() };
    let info = &program.conclusions[conclusion];
    for &r in &info.rules {
        let rule = &program.rules[r];
        f.rules.push(&rule.name);
        if let RuleForm::Tier { tiers, .. } = &rule.form {
            f.rules.push(tiers);
        }
        f.params.extend(rule.reads.params.iter().map(|&p| program.params[p].name.as_str()));
        f.reads.extend(&rule.reads.conclusions);
    }
    if let Some(s) = &info.standard {
        if let crate::ir::Expr::Param(p) = &s.value {
            f.params.push(&program.params[p].name);
        }
    }
    f
}

/// Whether the rule (or `tiers` declaration) `name` of conclusion `c` took
/// part in the derivation: it exists in this program and its conditions did
/// not simply fail.
fn took_part(run: Run<'_>, c: ConclusionId, name: &str) -> bool {
    run.outcome.get(c).rules.iter().any(|o| {
        let rule = &run.program.rules[o.rule];
        let named = rule.name == name || matches!(&rule.form, RuleForm::Tier { tiers, .. } if tiers == name);
        named && o.state != RuleState::NotApplicable
    })
}

impl<'a> Search<'a> {
    /// The search for runs `a` and `b`. `nodes[v]` is row `v` when both
    /// positions have it; `names[v]` its name; `node_of` maps each run's
    /// conclusion ids to rows.
    pub fn new(a: Run<'a>, b: Run<'a>, names: &[String], nodes: &[Option<Node>], node_of: [&[u32]; 2]) -> Search<'a> {
        let n = nodes.len();
        // Edges, each node's sorted by the name of the conclusion read; and
        // the index of where each rule and parameter is used.
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rev: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut rule_users: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut param_users: HashMap<&str, Vec<u32>> = HashMap::new();
        for (v, node) in nodes.iter().enumerate() {
            let Some(node) = node else { continue };
            let (fa, fb) = (footprint(a.program, node.a), footprint(b.program, node.b));
            let mut reads: Vec<u32> = fa.reads.iter().map(|&c| node_of[0][c]).chain(fb.reads.iter().map(|&c| node_of[1][c])).collect();
            reads.sort_by(|x, y| names[*x as usize].cmp(&names[*y as usize]));
            reads.dedup();
            reads.retain(|&w| nodes[w as usize].as_ref().is_some_and(|w| w.differs));
            for &w in &reads {
                rev[w as usize].push(v as u32);
            }
            adj[v] = reads;
            for name in fa.rules.into_iter().chain(fb.rules) {
                rule_users.entry(name).or_default().push(v as u32);
            }
            for name in fa.params.into_iter().chain(fb.params) {
                param_users.entry(name).or_default().push(v as u32);
            }
        }
        let node_named: HashMap<&str, u32> =
            names.iter().enumerate().filter(|(v, _)| nodes[*v].is_some()).map(|(v, name)| (name.as_str(), v as u32)).collect();

        let mut changes = Vec::new();
        let mut next = Vec::new();
        for (run, other) in [(a, b), (b, a)] {
            let position = run.program.position_name();
            for change in &run.program.changes {
                let shared = other
                    .program
                    .changes
                    .iter()
                    .any(|o| o.position == change.position && o.kind == change.kind && o.target == change.target);
                if shared {
                    continue;
                }
                // The nodes the change bears on.
                let mut sources: Vec<u32> = match change.kind {
                    ChangeKind::Replace | ChangeKind::Remove | ChangeKind::Add | ChangeKind::Open => {
                        let users = rule_users.get(change.target.as_str()).map_or(&[][..], Vec::as_slice);
                        users
                            .iter()
                            .copied()
                            .filter(|&v| {
                                nodes[v as usize]
                                    .as_ref()
                                    .is_some_and(|node| took_part(a, node.a, &change.target) || took_part(b, node.b, &change.target))
                            })
                            .collect()
                    }
                    ChangeKind::SetParam => param_users.get(change.target.as_str()).cloned().unwrap_or_default(),
                    ChangeKind::SetStandard | ChangeKind::SetBurden => {
                        node_named.get(change.target.as_str()).copied().into_iter().collect()
                    }
                };
                sources.sort_unstable();
                sources.dedup();
                changes.push(Change { position, info: change });
                next.push(if sources.is_empty() { Vec::new() } else { next_steps(&sources, &adj, &rev) });
            }
        }
        Search { changes, next }
    }

    /// The changes that reach node `root`, each with its path: the names of
    /// the conclusions from `root` down to the one the change bears on.
    pub fn causes(&self, root: u32, names: &[String]) -> Vec<(&Change<'a>, Vec<String>)> {
        let mut out = Vec::new();
        for (change, next) in self.changes.iter().zip(&self.next) {
            if next.get(root as usize).is_none_or(|&s| s == UNREACHED) {
                continue;
            }
            let mut via = vec![names[root as usize].clone()];
            let mut v = root;
            // INVARIANT: each step brings the distance to the change down by
            // one, so the walk ends where the change bears.
            while next[v as usize] != v {
                v = next[v as usize];
                via.push(names[v as usize].clone());
            }
            out.push((change, via));
        }
        out
    }
}

/// For one change bearing on `sources`: per node, the next step on the
/// shortest path to a source (the first by name among equally short ones),
/// the node itself for a source, `UNREACHED` where no path leads.
fn next_steps(sources: &[u32], adj: &[Vec<u32>], rev: &[Vec<u32>]) -> Vec<u32> {
    let n = adj.len();
    let mut dist = vec![UNREACHED; n];
    let mut queue = VecDeque::new();
    for &s in sources {
        dist[s as usize] = 0;
        queue.push_back(s);
    }
    let mut reached = Vec::new();
    while let Some(w) = queue.pop_front() {
        reached.push(w);
        let d = dist[w as usize];
        // `rev` holds only edges into a node whose results differ, so a
        // source the search never goes down into leads nowhere further.
        for &v in &rev[w as usize] {
            if dist[v as usize] == UNREACHED {
                dist[v as usize] = d + 1;
                queue.push_back(v);
            }
        }
    }
    let mut next = vec![UNREACHED; n];
    for v in reached {
        let d = dist[v as usize];
        next[v as usize] = if d == 0 {
            v
        } else {
            // `adj` is sorted by name: the first one a step closer. There is
            // one (the node that reached `v`); were there none, the path
            // would end here rather than loop.
            adj[v as usize].iter().copied().find(|&w| dist[w as usize] == d - 1).unwrap_or(v)
        };
    }
    next
}
