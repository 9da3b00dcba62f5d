//! Hostile and extreme inputs from the reliability audit
//! (`shared/reviews/reliability/Fnn-*`), generated here and run through the
//! real binary: each ends with a coded diagnostic at the right place and exit
//! 1, never a panic (exit 101) or a stack overflow (exit 134).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory of its own for each test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(path, text).expect("a scratch file");
        self
    }

    fn run(&self, args: &[&str]) -> Output {
        run_in(&self.0, args)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opinio")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Exit 1 and a diagnostic whose plain form contains `expected`.
#[track_caller]
fn fails_with(out: &Output, expected: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{}", &err[..err.len().min(2000)]);
    assert!(err.contains(expected), "expected `{expected}` in:\n{}", &err[..err.len().min(2000)]);
}

const TWO_FACTS: &str = "fact a: bool \"A.\"\nfact b: bool \"B.\"\nconclusion c: bool \"C.\"\n";
const INCIDENT: &str = "[incident]\nname = \"x\"\n\n[facts]\na = true\nb = true\n";

fn rule(condition: &str) -> String {
    format!("{TWO_FACTS}rule r\n  c if {condition}\n")
}

// ---------------------------------------------------------------- F01

#[test]
fn a_diagnostic_past_column_65535_is_shown_as_a_window() {
    let s = Scratch::new("f01");
    s.write("long.norm", format!("{TWO_FACTS}rule r\n  c if{}zzz\n", " ".repeat(70_000)));
    let out = s.run(&["check", "long.norm"]);
    fails_with(&out, "error[E0201]: unknown name `zzz`");
    assert!(stderr(&out).contains("long.norm:5:70007]"), "{}", stderr(&out));
    assert!(stderr(&out).len() < 2_000, "the excerpt is a window, not the whole line");
    let out = s.run(&["--error-format", "plain", "check", "long.norm"]);
    fails_with(&out, "long.norm:5:70007: error[E0201]");
}

#[test]
fn a_minified_json_incident_with_an_error_at_its_end_is_reported() {
    let s = Scratch::new("f01json");
    let padding: String = (0..3_000).map(|i| format!("\"note{i}\":\"x\",")).collect();
    s.write("n.norm", TWO_FACTS);
    s.write("i.json", format!("{{\"incident\":{{\"name\":\"x\",{padding}\"year\":2020}},\"facts\":{{\"a\":true,\"zzz\":true}}}}"));
    let out = s.run(&["eval", "n.norm", "i.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[E050"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- F02

#[test]
fn long_flat_chains_of_and_or_or_compile_and_evaluate() {
    let s = Scratch::new("f02chain");
    let and_chain = vec!["a"; 9_000].join(" and ");
    let or_chain = vec!["b"; 9_000].join(" or ");
    s.write("and.norm", rule(&and_chain)).write("or.norm", rule(&or_chain)).write("i.toml", INCIDENT);
    for norms in ["and.norm", "or.norm"] {
        let out = s.run(&["check", norms]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        for command in ["eval", "explain"] {
            let out = s.run(&[command, norms, "i.toml"]);
            assert_eq!(out.status.code(), Some(0), "{command} {norms}: {}", stderr(&out));
            assert!(String::from_utf8_lossy(&out.stdout).contains("c = true"));
        }
        let out = s.run(&["compare", norms, "--incidents", "i.toml"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn deep_nesting_is_refused_with_e0104_at_the_expression() {
    let s = Scratch::new("f02deep");
    let nots = format!("{}a", "not ".repeat(8_000));
    let negs = format!("{}1 > 0", "-".repeat(13_000));
    let sums = format!("{} > 0", vec!["1"; 15_000].join(" + "));
    let parens = format!("{}a{}", "(".repeat(5_000), ")".repeat(5_000));
    for (name, condition) in [("not.norm", nots), ("neg.norm", negs), ("sum.norm", sums), ("parens.norm", parens)] {
        s.write(name, rule(&condition));
        let out = s.run(&["--error-format", "plain", "check", name]);
        fails_with(&out, "error[E0104]");
        assert!(stderr(&out).starts_with(&format!("{name}:5:")), "{}", stderr(&out));
        let out = s.run(&["fmt", "--check", name]);
        assert_ne!(out.status.code(), Some(101));
        assert_ne!(out.status.code(), Some(134));
    }
}

#[test]
fn nesting_just_within_the_limit_evaluates_in_tests_on_worker_threads() {
    let s = Scratch::new("f02limit");
    // 98 times `not (... and b)`, 196 levels: true again, with `a` and `b` true.
    let mut condition = String::from("a");
    for _ in 0..98 {
        condition = format!("not ({condition} and b)");
    }
    s.write("deep.norm", rule(&condition)).write("i.toml", INCIDENT);
    s.write("t.test.norm", "suite s\ntest t \"T\"\n  position \"deep.norm\"\n  incident \"i.toml\"\n  expect c = true\n");
    let out = s.run(&["test", "t.test.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    let out = s.run(&["explain", "--full", "deep.norm", "i.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---------------------------------------------------------------- F03, F12

#[test]
fn a_non_breaking_space_is_named_in_every_error_format() {
    let s = Scratch::new("f03");
    s.write("nbsp.norm", "fact a: bool \"A.\"\nconclusion c: bool \"C.\"\nrule r\n  c if\u{a0}a\n");
    s.write("nbsp.test.norm", "suite s\ntest t \"T\"\n  position \"nbsp.norm\"\n  expect\u{a0}c = true\n");
    for format in ["human", "plain", "json"] {
        for args in [vec!["check", "nbsp.norm"], vec!["fmt", "--check", "nbsp.norm"], vec!["check", "nbsp.test.norm"]] {
            let mut all = vec!["--error-format", format];
            all.extend(args);
            let out = s.run(&all);
            fails_with(&out, "non-breaking space (U+00A0)");
        }
    }
    let out = s.run(&["--error-format", "json", "check", "nbsp.norm"]);
    let v: serde_json::Value = serde_json::from_str(stderr(&out).trim()).expect("one JSON object");
    assert_eq!((v["primary"]["line"].as_u64(), v["primary"]["column"].as_u64()), (Some(4), Some(7)));
    assert_eq!(v["primary"]["end_column"].as_u64(), Some(8));
}

#[test]
fn a_byte_order_mark_is_accepted_and_control_characters_are_named() {
    let s = Scratch::new("f12");
    s.write("bom.norm", format!("\u{feff}{TWO_FACTS}"));
    let out = s.run(&["check", "bom.norm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = s.run(&["fmt", "--check", "bom.norm"]);
    assert_ne!(out.status.code(), Some(101));
    s.write("nul.norm", "fact a: bool \"A.\"\0\n");
    let out = s.run(&["--error-format", "plain", "check", "nul.norm"]);
    fails_with(&out, "unexpected control character (U+0000)");
    assert!(!stderr(&out).contains('\0'));
}

#[test]
fn a_toml_error_without_a_place_points_at_the_deepest_line() {
    let s = Scratch::new("f12toml");
    let key = (0..100).map(|i| format!("k{i}")).collect::<Vec<_>>().join(".");
    s.write("n.norm", TWO_FACTS).write("i.toml", format!("[incident]\nname = \"x\"\n\n{key} = 1\n"));
    let out = s.run(&["--error-format", "plain", "eval", "n.norm", "i.toml"]);
    fails_with(&out, "i.toml:4:1: error[E0501]");
}

#[test]
fn a_deep_chain_of_imports_is_refused_with_e0104() {
    let s = Scratch::new("f12imports");
    s.write("m0.norm", "module m0\nfact f0: bool \"F.\"\n");
    for i in 1..1_000 {
        s.write(&format!("m{i}.norm"), format!("module m{i}\nimport m{}\n", i - 1));
    }
    s.write("top.norm", "import m999\nconclusion c: bool \"C.\"\nrule r\n  c if f0\n");
    let out = s.run(&["--error-format", "plain", "check", "top.norm"]);
    fails_with(&out, "error[E0104]: imports and bases are nested more than 200 modules deep");
    assert!(!stderr(&out).contains("stack limit"));
}

// ---------------------------------------------------------------- F04, F09, F10

#[test]
fn a_date_moved_out_of_the_calendar_is_an_arithmetic_error() {
    let s = Scratch::new("f04");
    s.write("literal.norm", "conclusion later: date \"Later.\"\nrule r\n  later = 2020-01-01 + 8000000 days\n");
    s.write("facts.norm", "fact lasted: duration \"D.\"\nconclusion later: date \"Later.\"\nrule r\n  later = 2020-01-01 + lasted\n");
    s.write("empty.toml", "[incident]\nname = \"x\"\n\n[facts]\n");
    s.write("typo.toml", "[incident]\nname = \"x\"\n\n[facts]\nlasted = \"8000000 days\"\n");
    s.write("huge.toml", "[incident]\nname = \"x\"\n\n[facts]\nlasted = \"9000000000000000 weeks\"\n");
    fails_with(&s.run(&["eval", "literal.norm", "empty.toml"]), "error[E0602]");
    fails_with(&s.run(&["--error-format", "plain", "eval", "facts.norm", "typo.toml"]), "not a date that can be written YYYY-MM-DD");
    let out = s.run(&["eval", "facts.norm", "huge.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_deeply_nested_json_incident_is_an_incident_syntax_error() {
    let s = Scratch::new("f09");
    s.write("n.norm", TWO_FACTS);
    s.write("deep.json", format!("{{\"incident\":{{\"name\":\"x\"}},\"facts\":{{\"a\":{}{}}}}}", "[".repeat(17_500), "]".repeat(17_500)));
    let out = s.run(&["--error-format", "plain", "eval", "n.norm", "deep.json"]);
    fails_with(&out, "error[E0501]: invalid JSON: arrays and objects nested more than 64 levels deep");
}

#[test]
fn numbers_that_cannot_be_exact_are_refused_at_the_value() {
    let s = Scratch::new("f10");
    s.write("n.norm", "fact deaths: number \"D.\"\nfact loss: money \"L.\"\nconclusion c: bool \"C.\"\nrule r\n  c if deaths > 0\n");
    let cases = [
        ("big.json", "{\"incident\":{\"name\":\"x\"},\"facts\":{\"deaths\":9007199254740993}}", "`9007199254740993`, a number too large"),
        ("big.toml", "[incident]\nname = \"x\"\n[facts]\ndeaths = 9007199254740993\n", "`9007199254740993`, a number too large"),
        ("inf.json", "{\"incident\":{\"name\":\"x\"},\"facts\":{\"deaths\":1e400}}", "`1e400`, a number too large"),
        ("nan.toml", "[incident]\nname = \"x\"\n[facts]\ndeaths = nan\n", "`nan`, a number too large"),
        ("commas.json", "{\"incident\":{\"name\":\"x\"},\"facts\":{\"loss\":\"1,2,3 USD\"}}", "not `1,2,3 USD`"),
        ("money.json", "{\"incident\":{\"name\":\"x\"},\"facts\":{\"loss\":\"1e308 USD\"}}", "not `1e308 USD`"),
    ];
    for (name, text, expected) in cases {
        s.write(name, text);
        let out = s.run(&["eval", "n.norm", name]);
        fails_with(&out, "error[E0503]");
        fails_with(&out, expected);
    }
    s.write("ok.json", "{\"incident\":{\"name\":\"x\"},\"facts\":{\"deaths\":9007199254740992,\"loss\":\"4,000,000.50 USD\"}}");
    let out = s.run(&["eval", "n.norm", "ok.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn arithmetic_overflowing_to_infinity_is_an_arithmetic_error() {
    let s = Scratch::new("f10inf");
    let product = vec!["9007199254740992"; 20].join(" * ");
    s.write("n.norm", format!("fact loss: money \"L.\"\nconclusion total: money \"T.\"\nrule r\n  total = loss * {product}\n"));
    s.write("i.toml", "[incident]\nname = \"x\"\n[facts]\nloss = \"9007199254740992 USD\"\n");
    fails_with(&s.run(&["eval", "n.norm", "i.toml"]), "the result is too large to compute");
}
