//! Rule structure: exceptions and priorities, conflicts, and stratified recursion.

use std::collections::BTreeSet;

use super::CheckedRule;
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::ir::{CompareOp, Expr, Stratum};
use crate::resolve::{ConclusionId, Resolved, RuleId};

/// Checks exceptions, priorities, conflicts and recursion; returns the
/// evaluation order.
pub(super) fn check_structure(resolved: &Resolved, rules: &[CheckedRule], diagnostics: &mut Vec<Diagnostic>) -> Vec<Stratum> {
    check_targets(resolved, rules, diagnostics);
    let defeaters = defeat_graph(resolved, rules);
    let acyclic = check_defeat_cycles(resolved, &defeaters, diagnostics);
    if acyclic && !crate::diagnostics::has_errors(diagnostics) {
        check_conflicts(resolved, rules, &defeaters, diagnostics);
    }
    strata(resolved, rules, &defeaters, diagnostics)
}

/// The rules of each conclusion.
fn rules_of(resolved: &Resolved, rules: &[CheckedRule]) -> Vec<Vec<RuleId>> {
    let mut out = vec![Vec::new(); resolved.conclusions.len()];
    for (i, r) in rules.iter().enumerate() {
        if let Some(c) = r.conclusion {
            out[c].push(RuleId::new(i));
        }
    }
    out
}

fn check_targets(resolved: &Resolved, rules: &[CheckedRule], diagnostics: &mut Vec<Diagnostic>) {
    for (i, rule) in rules.iter().enumerate() {
        let decl = &resolved.rules[i].decl;
        let named =
            decl.exception_to.iter().map(|n| (n, "an exception to")).chain(decl.prevails_over.iter().map(|n| (n, "given priority over")));
        for (name, relation) in named {
            let Some(&target) = resolved.rule_names.get(&name.name) else { continue };
            let other = &rules[target];
            if target.index() == i {
                diagnostics.push(
                    Diagnostic::new(&codes::DEFEAT_CYCLE, name.span, format!("the rule `{}` is {relation} itself", decl.name.name))
                        .label("names its own rule")
                        .help("name the rule it should override"),
                );
                continue;
            }
            if let (Some(a), Some(b)) = (rule.conclusion, other.conclusion) {
                if a != b {
                    let target_decl = &resolved.rules[target].decl;
                    diagnostics.push(
                        Diagnostic::new(
                            &codes::EXCEPTION_TARGET,
                            name.span,
                            format!(
                                "the rule `{}` concludes `{}` but is {relation} `{}`, which concludes `{}`",
                                decl.name.name, resolved.conclusions[a].def.name.name, name.name, resolved.conclusions[b].def.name.name
                            ),
                        )
                        .label("a rule of another conclusion")
                        .also(target_decl.conclusion.span, "concludes this")
                        .help("exceptions and priorities relate rules of the same conclusion; to block it, use `unless` with the other conclusion"),
                    );
                }
            }
        }
    }
}

/// For each rule, the rules that defeat it and why: explicit exceptions and
/// priorities, and every non-default rule over a default rule.
pub(crate) fn defeat_graph(resolved: &Resolved, rules: &[CheckedRule]) -> Vec<Vec<(RuleId, crate::ir::DefeatKind)>> {
    use crate::ir::DefeatKind;
    let mut defeaters: Vec<Vec<(RuleId, DefeatKind)>> = vec![Vec::new(); rules.len()];
    for (i, r) in rules.iter().enumerate() {
        for &t in &r.exception_to {
            if t.index() != i && rules[t].conclusion == r.conclusion {
                defeaters[t].push((RuleId::new(i), DefeatKind::Exception));
            }
        }
        for &t in &r.prevails_over {
            if t.index() != i && rules[t].conclusion == r.conclusion {
                defeaters[t].push((RuleId::new(i), DefeatKind::Priority));
            }
        }
    }
    for group in rules_of(resolved, rules) {
        // An open question, when it applies, leaves its conclusion open
        // whatever the rules of its own layer and below say: it prevails
        // over each of them. A rule that a position extending that layer
        // adds or replaces is the position's statement on the question: it
        // prevails over the question where it applies.
        let layer = |r: RuleId| resolved.positions.iter().position(|p| p.module == resolved.rules[r].module).map_or(0, |i| i + 1);
        for &o in &group {
            if !matches!(resolved.rules[o].form, crate::resolve::RuleForm::Open) {
                continue;
            }
            for &n in &group {
                if matches!(resolved.rules[n].form, crate::resolve::RuleForm::Open) {
                    continue;
                }
                if layer(n) <= layer(o) {
                    defeaters[n].push((o, DefeatKind::Open));
                } else {
                    // The position's rule decides where it applies.
                    defeaters[o].push((n, DefeatKind::Priority));
                }
            }
        }
        for &d in &group {
            if !resolved.rules[d].decl.is_default {
                continue;
            }
            for &n in &group {
                if !resolved.rules[n].decl.is_default && !defeaters[d].iter().any(|(r, _)| *r == n) {
                    defeaters[d].push((n, DefeatKind::Default));
                }
            }
        }
    }
    for list in &mut defeaters {
        list.sort_unstable();
        list.dedup_by_key(|(r, _)| *r);
    }
    defeaters
}

fn check_defeat_cycles(resolved: &Resolved, defeaters: &[Vec<(RuleId, crate::ir::DefeatKind)>], diagnostics: &mut Vec<Diagnostic>) -> bool {
    let graph: Vec<Vec<usize>> = defeaters.iter().map(|d| d.iter().map(|(r, _)| r.index()).collect()).collect();
    let mut ok = true;
    for scc in tarjan(&graph) {
        if scc.len() > 1 {
            ok = false;
            let mut names: Vec<&str> = scc.iter().map(|&r| resolved.rules[r].decl.name.name.as_str()).collect();
            names.sort_unstable();
            let first = *scc.iter().min().expect("non-empty");
            let decl = &resolved.rules[first].decl;
            let open = scc.iter().find(|&&r| matches!(resolved.rules[r].form, crate::resolve::RuleForm::Open));
            let help = match open {
                Some(&o) => format!(
                    "an `open` question prevails over every other rule of its conclusion, so no rule can prevail over it or be an exception to it; a position that settles the question writes `remove open {}` and a rule of its own",
                    resolved.rules[o].decl.name.name
                ),
                None => "remove one `exception to` or `prevails over` so that one rule clearly comes first (a `default rule` is overridden by every other rule)".to_string(),
            };
            diagnostics.push(
                Diagnostic::new(
                    &codes::DEFEAT_CYCLE,
                    decl.name.span,
                    format!(
                        "the rules {} defeat each other in a cycle",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .label("part of the cycle")
                .help(help),
            );
        }
    }
    ok
}

/// The rules that defeat a rule, directly or through other rules; each
/// rule's set computed once, when first asked for.
struct Defeats<'d> {
    defeaters: &'d [Vec<(RuleId, crate::ir::DefeatKind)>],
    closure: Vec<Option<BTreeSet<RuleId>>>,
}

impl Defeats<'_> {
    /// Whether `a` defeats `b`, directly or through other rules.
    fn defeats(&mut self, a: RuleId, b: RuleId) -> bool {
        if self.defeaters[b].is_empty() {
            return false;
        }
        let defeaters = self.defeaters;
        self.closure[b]
            .get_or_insert_with(|| {
                let mut stack = vec![b];
                let mut seen = BTreeSet::new();
                while let Some(r) = stack.pop() {
                    for &(d, _) in &defeaters[r] {
                        if seen.insert(d) {
                            stack.push(d);
                        }
                    }
                }
                seen
            })
            .contains(&a)
    }
}

/// How many pairs of rules of one conclusion a W0405 names; the others it counts.
const CONFLICTS_LISTED: usize = 3;

fn check_conflicts(
    resolved: &Resolved,
    rules: &[CheckedRule],
    defeaters: &[Vec<(RuleId, crate::ir::DefeatKind)>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut defeats = Defeats { defeaters, closure: vec![None; rules.len()] };
    for group in rules_of(resolved, rules) {
        // Only rules with constant values are compared, and only when they
        // do not all give the same value (the rules of a `bool` conclusion,
        // most often): that check is linear.
        let constant: Vec<(RuleId, &crate::value::Value, Vec<&Expr>)> = group
            .iter()
            .filter_map(|&r| match &rules[r].value {
                Expr::Const(v) => {
                    let mut c = Vec::new();
                    conjuncts(&rules[r].condition, &mut c);
                    Some((r, v, c))
                }
                _ => None,
            })
            .collect();
        if constant.iter().all(|(_, v, _)| Some(*v) == constant.first().map(|(_, v, _)| *v)) {
            continue;
        }
        // The possible conflicts: the first few, and how many.
        let mut listed: Vec<(RuleId, RuleId)> = Vec::new();
        let mut possible = 0usize;
        for (i, (a, va, ca)) in constant.iter().enumerate() {
            for (b, vb, cb) in &constant[i + 1..] {
                let (a, b) = (*a, *b);
                if va == vb || defeats.defeats(a, b) || defeats.defeats(b, a) || disjoint_conjuncts(ca, cb) {
                    continue;
                }
                if rules[a].condition == rules[b].condition {
                    let (da, db) = (&resolved.rules[a].decl, &resolved.rules[b].decl);
                    diagnostics.push(
                        Diagnostic::new(&codes::CERTAIN_CONFLICT, db.name.span, format!("the rules `{}` and `{}` always apply together and give `{}` different values", da.name.name, db.name.name, da.conclusion.name))
                            .label("this rule")
                            .also(da.name.span, "conflicts with this rule")
                            .help(format!("make one an exception (`exception to {}`), give one priority (`prevails over {}`), or make their conditions exclusive", da.name.name, da.name.name)),
                    );
                    continue;
                }
                possible += 1;
                if listed.len() < CONFLICTS_LISTED {
                    listed.push((a, b));
                }
            }
        }
        if let Some(d) = possible_conflicts(resolved, &listed, possible) {
            diagnostics.push(d);
        }
    }
}

/// The one W0405 of a conclusion: the pairs `listed` (the first few of the
/// `count` pairs of its rules that may conflict), the rest counted.
fn possible_conflicts(resolved: &Resolved, listed: &[(RuleId, RuleId)], count: usize) -> Option<Diagnostic> {
    let &(first_a, first_b) = listed.first()?;
    let name = |r: RuleId| &resolved.rules[r].decl.name;
    let (a, b) = (name(first_a), name(first_b));
    let conclusion = &resolved.rules[first_a].decl.conclusion.name;
    if count == 1 {
        return Some(
            Diagnostic::new(
                &codes::POSSIBLE_CONFLICT,
                b.span,
                format!("the rules `{}` and `{}` may both apply and give `{conclusion}` different values", a.name, b.name),
            )
            .label("this rule")
            .also(a.span, "conflicts with this rule")
            .help(format!(
                "make one an exception (`exception to {}`), give one priority (`prevails over {}`), or make their conditions exclusive",
                a.name, a.name
            )),
        );
    }
    let mut pairs: Vec<String> = listed.iter().map(|&(x, y)| format!("`{}` and `{}`", name(x).name, name(y).name)).collect();
    if count > listed.len() {
        pairs.push(format!("and {} more", count - listed.len()));
    }
    // Each rule of the listed pairs, with the rules it is listed with.
    let mut partners: Vec<(RuleId, Vec<RuleId>)> = Vec::new();
    for &(x, y) in listed {
        for (r, other) in [(x, y), (y, x)] {
            match partners.iter_mut().find(|(p, _)| *p == r) {
                Some((_, with)) => with.push(other),
                None => partners.push((r, vec![other])),
            }
        }
    }
    let label = |with: &[RuleId]| {
        format!("may conflict with {}", with.iter().map(|&o| format!("`{}`", name(o).name)).collect::<Vec<_>>().join(", "))
    };
    let primary = partners.iter().find(|(r, _)| *r == first_b).map(|(_, with)| label(with)).unwrap_or_default();
    let mut d = Diagnostic::new(
        &codes::POSSIBLE_CONFLICT,
        b.span,
        format!("{count} pairs of rules may both apply and give `{conclusion}` different values: {}", pairs.join("; ")),
    )
    .label(primary);
    for (r, with) in &partners {
        if *r != first_b {
            d = d.also(name(*r).span, label(with));
        }
    }
    Some(d.help(format!(
        "for each pair, make one an exception to the other (`exception to {}`), give one priority (`prevails over {}`), or make their conditions exclusive",
        a.name, a.name
    )))
}

/// Whether two conditions, given as their conjuncts, can never both be
/// true: one requires `x` and the other `not x`, or they require different
/// values of the same thing.
fn disjoint_conjuncts(ca: &[&Expr], cb: &[&Expr]) -> bool {
    ca.iter().any(|x| {
        cb.iter().any(|y| match (x, y) {
            (Expr::Not(inner), other) | (other, Expr::Not(inner)) if **inner == **other => true,
            (Expr::Compare(CompareOp::Eq, l1, r1), Expr::Compare(CompareOp::Eq, l2, r2)) => {
                l1 == l2 && matches!((&**r1, &**r2), (Expr::Const(v1), Expr::Const(v2)) if v1 != v2)
            }
            (Expr::Const(crate::value::Value::Bool(false)), _) | (_, Expr::Const(crate::value::Value::Bool(false))) => true,
            _ => false,
        })
    })
}

fn conjuncts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::And(items) => {
            for item in items {
                conjuncts(item, out);
            }
        }
        other => out.push(other),
    }
}

/// How a conclusion is used: only positively (monotone), or otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Positive,
    Other,
}

fn uses(e: &Expr, pol: Polarity, out: &mut Vec<(ConclusionId, Polarity)>) {
    match e {
        Expr::Conclusion(c) => out.push((*c, pol)),
        Expr::Not(inner) | Expr::Neg(inner) => uses(inner, Polarity::Other, out),
        Expr::And(items) | Expr::Or(items) => {
            for item in items {
                uses(item, pol, out);
            }
        }
        Expr::Compare(_, l, r) | Expr::Arith(_, l, r) => {
            uses(l, Polarity::Other, out);
            uses(r, Polarity::Other, out);
        }
        Expr::Quantifier { kind, filter: Some(f), .. } => {
            let pol = if *kind == crate::ir::QuantifierKind::Count { Polarity::Other } else { pol };
            uses(f, pol, out);
        }
        // Recursion through a standard of proof or an assessment is not monotone in
        // the truth order alone: treated as a non-positive use.
        Expr::Proven(inner, standard) => {
            uses(inner, Polarity::Other, out);
            uses(standard, Polarity::Other, out);
        }
        Expr::Assessment(a) => {
            for f in &a.factors {
                uses(&f.rating, Polarity::Other, out);
                uses(&f.weight, Polarity::Other, out);
            }
            uses(&a.threshold, Polarity::Other, out);
        }
        Expr::Quantifier { filter: None, .. } | Expr::Const(_) | Expr::Slot(_) | Expr::Param(_) | Expr::Field { .. } | Expr::Open(_) => {}
    }
}

fn strata(
    resolved: &Resolved,
    rules: &[CheckedRule],
    defeaters: &[Vec<(RuleId, crate::ir::DefeatKind)>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Stratum> {
    // Edges: conclusion -> the conclusions it depends on, with polarity and the rule responsible.
    let n = resolved.conclusions.len();
    let mut edges: Vec<Vec<(ConclusionId, Polarity, RuleId)>> = vec![Vec::new(); n];
    for (i, r) in rules.iter().enumerate() {
        let Some(c) = r.conclusion else { continue };
        let mut found = Vec::new();
        uses(&r.condition, Polarity::Positive, &mut found);
        uses(&r.value, Polarity::Other, &mut found);
        for &(d, _) in &defeaters[i] {
            let mut via = Vec::new();
            uses(&rules[d].condition, Polarity::Other, &mut via);
            found.extend(via);
        }
        edges[c].extend(found.into_iter().map(|(d, p)| (d, p, RuleId::new(i))));
    }
    let graph: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().map(|(d, _, _)| d.index()).collect()).collect();
    let mut out = Vec::new();
    for mut scc in tarjan(&graph) {
        scc.sort_unstable();
        let recursive = scc.len() > 1 || graph[scc[0]].contains(&scc[0]);
        if !recursive {
            out.push(Stratum::Single(ConclusionId::new(scc[0])));
            continue;
        }
        let bad_edge = scc.iter().find_map(|&c| {
            edges[c]
                .iter()
                .find(|(d, p, _)| {
                    scc.contains(&d.index()) && (*p == Polarity::Other || resolved.conclusions[c].def.ty != crate::value::Type::Bool)
                })
                .map(|e| (c, *e))
        });
        if let Some((c, (d, _, rule))) = bad_edge {
            let decl = &resolved.rules[rule].decl;
            let mut names: Vec<&str> = scc.iter().map(|&c| resolved.conclusions[c].def.name.name.as_str()).collect();
            names.sort_unstable();
            diagnostics.push(
                Diagnostic::new(
                    &codes::RECURSION,
                    decl.name.span,
                    format!(
                        "`{}` depends on `{}` through negation or a value, and they depend on each other ({})",
                        resolved.conclusions[c].def.name.name,
                        resolved.conclusions[d].def.name.name,
                        names.join(", ")
                    ),
                )
                .label("this rule closes the cycle")
                .help("recursion is allowed only between true/false conclusions used positively (no `not`, `unless`, comparison or exception in the cycle); split the conclusion in two"),
            );
            continue;
        }
        out.push(Stratum::Recursive(scc.into_iter().map(ConclusionId::new).collect()));
    }
    out
}

/// Strongly connected components, each emitted after every component it has
/// an edge to (dependencies first). Deterministic for a given graph.
pub(crate) fn tarjan(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'g> {
        graph: &'g [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for i in 0..s.graph[v].len() {
            let w = s.graph[v][i];
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(scc);
        }
    }
    let n = graph.len();
    let mut s =
        State { graph, index: vec![None; n], low: vec![0; n], on_stack: vec![false; n], stack: Vec::new(), next: 0, out: Vec::new() };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}
