//! One positive and one negative example per grammar rule.

use opinio::source::FileId;
use opinio::syntax::{parse_expr, parse_file};

/// (grammar rule, a file that parses, a file that does not)
const FILES: &[(&str, &str, &str)] = &[
    ("file", "module m\nfact a: bool \"A.\"", "module m\nmodule n"),
    ("COMMENT", "# a comment\nmodule m # trailing\n", "module m\n// not a comment\n"),
    ("doc", "## Attribution.\n## Two lines.\nmodule m", "module m\nfact a: bool \"A.\"\n## dangling doc"),
    ("module_decl", "module stdlib.attribution", "module"),
    ("import_decl", "module m\nimport stdlib.attribution", "module m\nimport \"attribution\""),
    ("enum_decl", "enum sector \"Sector.\" values energy, finance", "enum sector values energy"),
    ("record_decl", "record conduct \"Conduct.\" field knew: bool \"Knew.\"", "record conduct \"Conduct.\""),
    ("field_decl", "record c \"C.\" field knew: bool \"Knew.\"", "record c \"C.\" field knew bool \"Knew.\""),
    ("fact_decl", "fact deaths: number \"Deaths.\"", "fact deaths: number"),
    ("conclusion_decl", "conclusion attributable: bool \"Attributable.\"", "conclusion attributable \"Attributable.\""),
    ("param_decl", "param min: money = 100 USD \"Minimum.\"", "param min: money \"Minimum.\""),
    ("description", "fact a: bool \"A \\\"quoted\\\" word.\"", "fact a: bool \"unterminated"),
    ("type_expr", "fact a: sector \"A.\"", "fact a: 3 \"A.\""),
    ("list_type", "fact s: list of suspect \"S.\"", "fact s: list suspect \"S.\""),
    ("rule_decl", "rule r\n  attributable if a", "rule r cites \"x\""),
    ("default_mark", "default rule r\n  attributable = false", "default r attributable = false"),
    ("cites_clause", "rule r cites \"ARSIWA art. 4\", \"ARSIWA art. 8\" attributable", "rule r cites ARSIWA attributable"),
    ("exception_clause", "rule r exception to s attributable = false", "rule r exception s attributable = false"),
    ("prevails_clause", "rule r prevails over s, t attributable", "rule r prevails s attributable"),
    ("rule_head", "rule r response = diplomacy_first if a", "rule r = true if a"),
    ("condition", "rule r x if a unless b unless c", "rule r x if"),
    ("ident", "fact state_2: bool \"S.\"", "fact rule: bool \"S.\""),
];

/// (grammar rule, an expression that parses, one that does not)
const EXPRS: &[(&str, &str, &str)] = &[
    ("expr", "a and (b or c)", "a and"),
    ("op_or", "a or b", "a or or b"),
    ("op_and", "a and b", "and b"),
    ("op_not", "not a", "a not"),
    ("op_eq", "sector = energy", "sector == energy"),
    ("op_ne", "sector != energy", "sector <> energy"),
    ("op_lt", "deaths < 1", "deaths < < 1"),
    ("op_le", "deaths <= 1", "deaths =< 1"),
    ("op_gt", "deaths > 1", "deaths >"),
    ("op_ge", "deaths >= 1", "deaths => 1"),
    ("op_add", "a + b", "a + + "),
    ("op_sub", "a - b - c", "a -"),
    ("op_mul", "2 * a", "2 * * a"),
    ("op_div", "a / 2", "a / / 2"),
    ("op_neg", "-a", "- -"),
    ("quantifier", "any s in suspects where s.directed", "any in suspects where s.directed"),
    ("quantifier_kind", "count s in suspects", "some s in suspects where s.directed"),
    ("path", "territorial_state.capacity.technical", "territorial_state..knew"),
    ("boolean", "true", "True and"),
    ("number", "1_000.5", "1.2.3"),
    ("money", "100_000_000 USD", "100 US"),
    ("duration", "48 hours", "48 fortnights"),
    ("date", "2007-04-27", "2007-04-27T10"),
    ("string", "\"text\"", "\"text"),
];

#[test]
fn every_rule_has_a_positive_and_a_negative_example() {
    for (rule, good, bad) in FILES {
        if let Err(d) = parse_file(FileId(0), good) {
            panic!("{rule}: {good:?} should parse: {d:?}");
        }
        let errors = parse_file(FileId(0), bad).expect_err(&format!("{rule}: {bad:?} should not parse"));
        assert!(errors.iter().all(|d| d.code.id.starts_with("E01")), "{rule}: {errors:?}");
    }
    for (rule, good, bad) in EXPRS {
        if let Err(d) = parse_expr(FileId(0), good) {
            panic!("{rule}: {good:?} should parse: {d:?}");
        }
        let errors = parse_expr(FileId(0), bad).expect_err(&format!("{rule}: {bad:?} should not parse"));
        assert!(errors.iter().all(|d| d.code.id.starts_with("E01")), "{rule}: {errors:?}");
    }
}

#[test]
fn precedence_follows_the_table() {
    let e = parse_expr(FileId(0), "not a and b or c").unwrap();
    let shown = format!("{:?}", e.kind);
    // `or` is outermost, then `and`, then `not`.
    assert!(shown.starts_with("Binary(Or, Expr { kind: Binary(And, Expr { kind: Unary(Not"), "{shown}");
    let e = parse_expr(FileId(0), "a - b - c").unwrap();
    let shown = format!("{:?}", e.kind);
    assert!(shown.starts_with("Binary(Sub, Expr { kind: Binary(Sub"), "left-associative: {shown}");
}

#[test]
fn invalid_dates_are_reported() {
    let errors = parse_expr(FileId(0), "2007-02-30").unwrap_err();
    assert_eq!(errors[0].code.id, "E0102");
}
