//! One positive and one negative example per grammar rule.

use opinio::source::FileId;
use opinio::syntax::ast::{ExprKind, Logic};
use opinio::syntax::{parse_expr, parse_file, parse_test_file};

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
    ("position_decl", "position us extends stdlib cites \"US 2012\"", "position us cites \"US 2012\""),
    ("extends_clause", "position us extends \"../positions/france.norm\"", "position us extends 3"),
    ("replace_decl", "replace rule r cites \"x\" a if b", "replace r cites \"x\" a if b"),
    ("remove_decl", "remove rule r cites \"x\"", "remove r cites \"x\""),
    ("removable", "remove tiers t cites \"x\"", "remove conclusion c cites \"x\""),
    ("set_decl", "set param p = 3 cites \"x\"", "set p = 3 cites \"x\""),
    ("set_param", "set param min = 100 USD", "set param min 100 USD"),
    ("set_standard", "set standard of a = preponderance", "set standard a = preponderance"),
    ("set_burden", "set burden of a on victim", "set burden of a victim"),
    ("conclusion_clause", "conclusion a: bool \"A.\" burden on v standard p cites \"x\"", "conclusion a: bool \"A.\" burden v"),
    ("burden_clause", "conclusion a: bool \"A.\" burden on victim_state", "conclusion a: bool \"A.\" burden on"),
    ("standard_clause", "conclusion a: bool \"A.\" standard clear_and_convincing", "conclusion a: bool \"A.\" standard"),
    ("party_decl", "party victim_state \"The victim State.\"", "party victim_state"),
    ("deontic_decl", "obligation o \"To act.\" bearer s met if a", "obligation o bearer s"),
    ("deontic_kind", "prohibition p \"Not to.\" bearer s violated if a", "duty p \"Not to.\" bearer s"),
    ("bearer_clause", "permission p \"May.\" bearer s", "permission p \"May.\" bearer"),
    ("met_clause", "obligation o \"To act.\" bearer s met if a and b", "obligation o \"To act.\" bearer s met a"),
    ("violated_clause", "prohibition o \"Not to.\" bearer s violated if a", "prohibition o \"Not to.\" bearer s violated"),
    ("assessment_decl", "assessment f factor a weight 1 c if weighted sum >= 1", "assessment f c if weighted sum >= 1"),
    ("factor", "assessment f factor a = b weight w c if weighted sum >= 1", "assessment f factor a weight c if weighted sum >= 1"),
    ("assessment_head", "assessment f factor a weight 1 c if weighted mean > 0.5", "assessment f factor a weight 1 c if sum >= 1"),
    ("aggregate", "assessment f factor a weight 1 c if weighted sum >= 1", "assessment f factor a weight 1 c if weighted total >= 1"),
    ("threshold_op", "assessment f factor a weight 1 c if weighted sum > 1", "assessment f factor a weight 1 c if weighted sum = 1"),
    ("tiers_decl", "tiers t c tier x if a otherwise y", "tiers t c otherwise y"),
    ("tier", "tiers t c tier x if a tier y if b", "tiers t c tier x a"),
    ("otherwise_tier", "tiers t c tier x if a otherwise y", "tiers t c tier x if a otherwise"),
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
    ("op_proven", "a proven clear_and_convincing", "a proven"),
    ("breach", "breach of duty and a", "breach of"),
];

/// (grammar rule, a test file that parses, a test file that does not)
const TEST_FILES: &[(&str, &str, &str)] = &[
    ("test_file", "suite s\ntest t expect a = true", "test t expect a = true"),
    ("suite_decl", "suite s \"S.\" position \"p.norm\" incident \"i.toml\"", "suite \"S.\""),
    ("test_decl", "suite s\ntest t \"T.\" incident \"i.toml\" expect a = true", "suite s\ntest \"T.\" expect a = true"),
    ("golden_decl", "suite s\ngolden g \"G.\" output eval into \"golden\"", "suite s\ngolden \"G.\" into \"golden\""),
    ("positions_clause", "suite s\ntest t position \"a.norm\", \"b\" expect a = true", "suite s\ntest t position a expect a = true"),
    ("incidents_clause", "suite s\ntest t incident \"a.toml\", \"dir\" expect a = true", "suite s\ntest t incident expect a = true"),
    ("facts_clause", "suite s\ntest t facts a = true b.c = 3 expect x = true", "suite s\ntest t facts expect x = true"),
    (
        "given",
        "suite s\ntest t facts loss = 5_000 USD proven preponderance expect x = true",
        "suite s\ntest t facts loss 5 expect x = true",
    ),
    (
        "given_proof",
        "suite s\ntest t facts a = unknown proven scintilla expect x = true",
        "suite s\ntest t facts a = true proven \"high\" expect x = true",
    ),
    ("output_clause", "suite s\ngolden g output explain into \"g\"", "suite s\ngolden g output \"eval\" into \"g\""),
    ("into_clause", "suite s\ngolden g into \"golden\"", "suite s\ngolden g into golden"),
    ("expectation", "suite s\ntest t expect a.breach = unknown", "suite s\ntest t expect a"),
    ("by_clause", "suite s\ntest t expect a = true by tiers_x.2", "suite s\ntest t expect a = true by"),
    ("expect_proof", "suite s\ntest t expect a = true proven preponderance", "suite s\ntest t expect a = true proven"),
    ("status_clause", "suite s\ntest t expect a = false status burden_not_met", "suite s\ntest t expect a = false status"),
    ("settled_clause", "suite s\ntest t expect a = unknown settled by b, c.d", "suite s\ntest t expect a = unknown settled b"),
    ("signed_number", "suite s\ntest t expect n = -2.5", "suite s\ntest t expect n = - 2"),
    ("unknown_value", "suite s\ntest t facts a = unknown expect b = unknown", "suite s\ntest t expect a = unknown unknown"),
];

#[test]
fn every_test_file_rule_has_a_positive_and_a_negative_example() {
    for (rule, good, bad) in TEST_FILES {
        if let Err(d) = parse_test_file(FileId(0), good) {
            panic!("{rule}: {good:?} should parse: {d:?}");
        }
        let errors = parse_test_file(FileId(0), bad).expect_err(&format!("{rule}: {bad:?} should not parse"));
        assert!(errors.iter().all(|d| d.code.id.starts_with("E01")), "{rule}: {errors:?}");
    }
}

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
    assert!(shown.starts_with("Logic(Or, [Expr { kind: Logic(And, [Expr { kind: Unary(Not"), "{shown}");
    // `not` is looser than comparisons, unary minus tighter than `*`.
    let shown = format!("{:?}", parse_expr(FileId(0), "not a = b").unwrap().kind);
    assert!(shown.starts_with("Unary(Not, Expr { kind: Binary(Eq"), "{shown}");
    let shown = format!("{:?}", parse_expr(FileId(0), "-a * b").unwrap().kind);
    assert!(shown.starts_with("Binary(Mul, Expr { kind: Unary(Neg"), "{shown}");
    // A chain of `and` is one node; a parenthesised chain on the right stays nested.
    let e = parse_expr(FileId(0), "a and b and c and d").unwrap();
    assert!(matches!(&e.kind, ExprKind::Logic(Logic::And, items) if items.len() == 4), "{:?}", e.kind);
    let e = parse_expr(FileId(0), "a and (b and c)").unwrap();
    assert!(
        matches!(&e.kind, ExprKind::Logic(Logic::And, items) if items.len() == 2 && matches!(items[1].kind, ExprKind::Logic(..))),
        "{:?}",
        e.kind
    );
    let e = parse_expr(FileId(0), "a and b or c and d").unwrap();
    assert!(matches!(&e.kind, ExprKind::Logic(Logic::Or, items) if items.len() == 2), "{:?}", e.kind);
    let e = parse_expr(FileId(0), "a - b - c").unwrap();
    let shown = format!("{:?}", e.kind);
    assert!(shown.starts_with("Binary(Sub, Expr { kind: Binary(Sub"), "left-associative: {shown}");
    // `proven` binds tighter than `and` and `not`.
    let e = parse_expr(FileId(0), "not a and b proven clear_and_convincing").unwrap();
    let shown = format!("{:?}", e.kind);
    assert!(shown.starts_with("Logic(And, [Expr { kind: Unary(Not"), "{shown}");
    assert!(shown.contains("kind: Proven(Expr { kind: Path([Ident { name: \"b\""), "{shown}");
    // `breach` stays usable as a name.
    assert!(parse_expr(FileId(0), "breach and breach of duty").is_ok());
}

#[test]
fn invalid_dates_are_reported() {
    let errors = parse_expr(FileId(0), "2007-02-30").unwrap_err();
    assert_eq!(errors[0].code.id, "E0102");
}
