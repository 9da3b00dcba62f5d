//! "Did you mean": the one place that proposes a known name for a misspelt one.

/// How similar (Jaro-Winkler, 0 to 1) a candidate must be to be proposed.
pub const SIMILARITY_THRESHOLD: f64 = 0.8;

/// The known name closest to `wanted`, if any is close enough.
///
/// Ties are broken by the candidate's position, so the answer is deterministic.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposes_the_closest_name() {
        let names = ["attributable", "armed_attack", "use_of_force"];
        assert_eq!(did_you_mean("atributable", names), Some("attributable"));
        assert_eq!(did_you_mean("sovereignty", names), None);
    }
}
