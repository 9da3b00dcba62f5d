//! "Did you mean": the one place that proposes a known name for a misspelt one.
//!
//! Scoring a candidate (Jaro-Winkler) costs time in the product of the two
//! lengths, and a file with thousands of misspelt names among thousands of
//! declared ones asks for millions of scores. So each candidate first gets a
//! cheap upper bound on its score, from the characters the two names share
//! and their common prefix; only a candidate whose bound could beat the best
//! score so far is scored, and the candidates with the highest bounds are
//! scored first. The answer is the one the plain search would give.

/// Past this many diagnostics in one run, a phase stops looking for
/// suggestions: the search costs time in the number of declared names.
pub const MAX_SUGGESTING: usize = 100;

/// How similar (Jaro-Winkler, 0 to 1) a candidate must be to be proposed.
pub const SIMILARITY_THRESHOLD: f64 = 0.8;

/// How many of the most promising candidates are scored before the others,
/// so that the best score is high early and the bound rules out the rest.
const SCORED_FIRST: usize = 8;

/// A margin on the bound, so rounding never rules out a candidate whose
/// score equals it.
const EPSILON: f64 = 1e-9;

/// The known name closest to `wanted`, if any is close enough.
///
/// Ties are broken by the candidate's name (the first in byte order), so the
/// answer is deterministic.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let profile = Profile::of(wanted);
    let bounded: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .filter(|c| *c != wanted)
        .map(|c| (profile.bound(c), c))
        .filter(|(bound, _)| *bound + EPSILON >= SIMILARITY_THRESHOLD)
        .collect();
    let mut best: Option<(f64, &'a str)> = None;
    let consider = |candidate: &'a str, best: &mut Option<(f64, &'a str)>| {
        let score = strsim::jaro_winkler(wanted, candidate);
        if score >= SIMILARITY_THRESHOLD && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            *best = Some((score, candidate));
        }
    };
    // The most promising first (by bound, then name: deterministic).
    let mut order: Vec<usize> = (0..bounded.len()).collect();
    let first = SCORED_FIRST.min(order.len());
    let by_promise = |x: &usize, y: &usize| bounded[*y].0.total_cmp(&bounded[*x].0).then(bounded[*x].1.cmp(bounded[*y].1));
    if first < order.len() {
        order.select_nth_unstable_by(first, by_promise);
    }
    order[..first].sort_unstable_by(by_promise);
    for &i in &order[..first] {
        consider(bounded[i].1, &mut best);
    }
    for &i in &order[first..] {
        let (bound, candidate) = bounded[i];
        if best.is_none_or(|(s, _)| bound + EPSILON >= s) {
            consider(candidate, &mut best);
        }
    }
    best.map(|(_, c)| c)
}

/// A help line: "did you mean `x`?", or the fallback when nothing is close.
pub fn help_for<'a, I>(wanted: &str, candidates: I, fallback: impl FnOnce() -> String) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match did_you_mean(wanted, candidates) {
        Some(name) => format!("did you mean `{name}`?"),
        None => fallback(),
    }
}

/// Characters are counted in this many buckets (by code point, modulo): two
/// characters in one bucket can only raise the count of shared characters,
/// so the bound stays an upper bound.
const BUCKETS: usize = 128;

/// The name looked for, as the bound needs it.
struct Profile<'w> {
    /// Its length in characters.
    len: usize,
    /// How many of its characters fall in each bucket; `None` for a name so
    /// long that a count would not fit (no bound is computed for it).
    counts: Option<[u16; BUCKETS]>,
    wanted: &'w str,
}

impl<'w> Profile<'w> {
    fn of(wanted: &'w str) -> Profile<'w> {
        let len = wanted.chars().count();
        // INVARIANT: no count exceeds `len`, so none overflows.
        let counts = (len <= usize::from(u16::MAX)).then(|| {
            let mut counts = [0u16; BUCKETS];
            for c in wanted.chars() {
                counts[c as usize % BUCKETS] += 1;
            }
            counts
        });
        Profile { len, counts, wanted }
    }

    /// An upper bound on `strsim::jaro_winkler(wanted, candidate)`.
    ///
    /// Jaro is `(m/a + m/b + (m - t)/m) / 3` for `m` matching characters and
    /// `t` transpositions: at most `(s/a + s/b + 1) / 3` where `s >= m`
    /// counts the characters the two names share. Jaro-Winkler adds
    /// `0.1 * p * (1 - jaro)` for a common prefix of `p <= 4` characters
    /// when jaro exceeds 0.7, which only grows with jaro.
    fn bound(&self, candidate: &str) -> f64 {
        let Some(counts) = &self.counts else { return 1.0 };
        let mut left = *counts;
        let (mut b, mut shared) = (0usize, 0usize);
        let mut take = |i: usize| {
            b += 1;
            if left[i] > 0 {
                left[i] -= 1;
                shared += 1;
            }
        };
        if candidate.is_ascii() {
            candidate.bytes().for_each(|c| take(usize::from(c)));
        } else {
            candidate.chars().for_each(|c| take(c as usize % BUCKETS));
        }
        let a = self.len;
        if a == 0 || b == 0 {
            // strsim: 1 when both are empty, else 0.
            return if a == b { 1.0 } else { 0.0 };
        }
        if shared == 0 {
            return 0.0;
        }
        let jaro = (shared as f64 / a as f64 + shared as f64 / b as f64 + 1.0) / 3.0;
        if jaro > 0.7 {
            let prefix = self.wanted.chars().zip(candidate.chars()).take(4).take_while(|(x, y)| x == y).count();
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposes_the_closest_name() {
        let names = ["attributable", "armed_attack", "use_of_force"];
        assert_eq!(did_you_mean("atributable", names), Some("attributable"));
        assert_eq!(did_you_mean("sovereignty", names), None);
    }

    /// The plain search: every candidate scored.
    fn plain<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let mut best: Option<(f64, &'a str)> = None;
        for &candidate in candidates {
            if candidate == wanted {
                continue;
            }
            let score = strsim::jaro_winkler(wanted, candidate);
            if score >= SIMILARITY_THRESHOLD && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
                best = Some((score, candidate));
            }
        }
        best.map(|(_, c)| c)
    }

    #[test]
    fn the_bound_never_falls_below_the_score() {
        let names = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "cab",
            "attributable",
            "atributable",
            "armed_attack",
            "use_of_force",
            "état",
            "etat",
            "ÉTAT",
            "fact_number_12",
            "fact_numbr_12",
            "fact_number_120",
            "x_y_z",
            "zyx",
            "aaaa",
            "aaab",
            "baaa",
            "ü",
            "ǘ",
        ];
        for w in names {
            let p = Profile::of(w);
            for c in names {
                let (bound, score) = (p.bound(c), strsim::jaro_winkler(w, c));
                assert!(bound + EPSILON >= score, "{w:?} {c:?}: bound {bound} < score {score}");
            }
        }
    }

    #[test]
    fn gives_the_answer_of_the_plain_search() {
        let names: Vec<String> = (0..300).map(|i| format!("fact_number_{i}")).chain((0..50).map(|i| format!("other_{i}_name"))).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for wanted in ["fact_numbr_12", "fact_number_3000", "fact_numer_299", "other_4_nam", "totally_different", "f", "fact_number_1"] {
            assert_eq!(did_you_mean(wanted, names.iter().copied()), plain(wanted, &names), "{wanted}");
        }
    }
}
