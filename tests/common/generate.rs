//! Generated inputs for the blow-up cases of the reliability audit, shared by
//! `tests/blowups.rs` and `benches/blowups.rs` (which includes this file).

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
