//! Generated inputs, shared by `tests/blowups.rs`, `benches/blowups.rs` and
//! `benches/compile.rs` (which include this file): the blow-up cases of the
//! reliability audit, and synthetic theories for timing the compiler.
// Each includer uses some of the generators.
#![allow(dead_code)]

/// The compare reproduction of F05: a module `base` with conclusions
/// `c0`..`c(n-1)`, each `ci` read by `c(i+1)` and, in a ladder of diamonds,
/// by `c(i+2)` too; two positions that change the bottom of it, so every
/// conclusion diverges; and an incident. As (file name, text).
pub fn ladder(n: usize, diamonds: bool) -> Vec<(&'static str, String)> {
    let mut base = vec!["module base".to_string(), "fact a: bool \"A.\"".to_string()];
    base.extend((0..n).map(|i| format!("conclusion c{i}: bool \"C{i}.\"")));
    base.push("rule r0\n  cites \"X\"\n  c0 if a".into());
    for i in 1..n {
        let cond = match (diamonds, i) {
            (false, _) => format!("c{}", i - 1),
            (true, 1) => "c0 and a".to_string(),
            (true, _) => format!("c{} and c{}", i - 1, i - 2),
        };
        base.push(format!("rule r{i}\n  cites \"X\"\n  c{i} if {cond}"));
    }
    vec![
        ("base.norm", base.join("\n") + "\n"),
        (
            "p1.norm",
            "position p1\n  extends base\n  cites \"P1\"\nremove rule r1 cites \"nothing\"\nrule r1b\n  cites \"Y\"\n  c1 if c0 and a\n"
                .into(),
        ),
        ("p2.norm", "position p2\n  extends base\n  cites \"P2\"\nreplace rule r0\n  cites \"Z\"\n  c0 if not a\n".into()),
        ("incident.toml", "[incident]\nname = \"x\"\n[facts]\na = true\n".into()),
    ]
}

/// A synthetic theory of `n` rules in one module, for timing `check` and
/// compile: `n / 5` true/false facts, `n / 20` number facts, a few enum
/// facts and parameters, and conclusions each concluded by two rules. A rule
/// cites a source and has an `if` condition of three or four terms (`and`,
/// `or`, parentheses, comparisons with parameters, enum values, an earlier
/// conclusion) and, one in two, an `unless`; one rule in ten computes a number
/// conclusion. With `chain`, each true/false conclusion reads the one before
/// it, so the conclusions form one chain about `0.45 * n` deep; otherwise a
/// rule reads a conclusion at most 50 before its own. The names are spread
/// by fixed strides, not at random, so the text depends on `n` and `chain`
/// alone. About 120 bytes a rule.
pub fn theory(n: usize, chain: bool) -> String {
    let bools = (n / 5).max(4);
    let numbers = (n / 20).max(2);
    let enums = (n / 50).max(1);
    let params = (n / 100).max(1);
    let scores = n / 10;
    let conclusions = (n - scores).div_ceil(2);
    let mut out = String::with_capacity(n * 130);
    out.push_str("## A generated theory for timing the compiler.\nmodule generated\n\n");
    out.push_str("enum kind \"A kind of operation.\"\n  values espionage, disruption, destruction, ransom, other\n\n");
    for i in 0..bools {
        out.push_str(&format!("fact b{i}: bool \"Circumstance {i} holds.\"\n"));
    }
    for i in 0..numbers {
        out.push_str(&format!("fact x{i}: number \"Measure {i}.\"\n"));
    }
    for i in 0..enums {
        out.push_str(&format!("fact k{i}: kind \"The kind of operation {i}.\"\n"));
    }
    for i in 0..params {
        out.push_str(&format!("param p{i}: number = {} \"Threshold {i}.\"\n", 10 + i % 90));
    }
    for i in 0..conclusions {
        out.push_str(&format!("conclusion c{i}: bool \"Finding {i}.\"\n"));
    }
    for i in 0..scores {
        out.push_str(&format!("conclusion s{i}: number \"Score {i}.\"\n"));
    }
    let kinds = ["espionage", "disruption", "destruction", "ransom", "other"];
    let (mut bool_rules, mut score_rules) = (0, 0);
    for i in 0..n {
        let b = |stride: usize| format!("b{}", (i * stride + stride / 2) % bools);
        let x = |stride: usize| format!("x{}", (i * stride + 3) % numbers);
        out.push_str(&format!("\nrule r{i}\n  cites \"Source {}, art. {}\"\n", i % 97, i % 13 + 1));
        if i % 10 == 9 && score_rules < scores {
            let s = score_rules;
            score_rules += 1;
            out.push_str(&format!("  s{s} = 2 * {} + 3 * {} - {} if {}\n", x(7), x(11), x(13), b(17)));
            continue;
        }
        let c = bool_rules / 2;
        bool_rules += 1;
        let comparison = match i % 3 {
            0 => format!("{} > p{}", x(19), i % params),
            1 => format!("k{} = {}", i % enums, kinds[i % kinds.len()]),
            _ => format!("{} <= {} + 5", x(23), x(29)),
        };
        let earlier = match (c, chain) {
            (0, _) => None,
            (_, true) => Some(c - 1),
            (_, false) => Some(c - 1 - (i * 31) % c.min(50)),
        };
        let earlier = earlier.map_or(String::new(), |e| format!(" and c{e}"));
        out.push_str(&format!("  c{c} if {} and ({} or {}){earlier}\n", b(37), b(41), comparison));
        if i % 2 == 0 {
            out.push_str(&format!("  unless {} or not {}\n", b(43), b(47)));
        }
    }
    out
}
