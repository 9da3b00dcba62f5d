//! The syntax diagnostic made of pest's error: what was found (named in
//! words when it does not show), what was expected, in the grammar's words,
//! and a help.

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::{Rule, MAX_DEPTH, NESTING_LIMIT};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// The diagnostic for pest's error (the formatter reports the same).
pub(crate) fn syntax_error(file: FileId, text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match error.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let found = found_token(text, start);
    if let ErrorVariant::CustomError { message } = &error.variant {
        if message == NESTING_LIMIT {
            // Hundreds of nested parentheses, refused before pest reads them.
            return Diagnostic::new(&codes::TOO_DEEP, Span::new(file, start, start + found.len), "the text is nested too deeply to be read")
                .label("nested too deeply here")
                .help(format!("Opinio reads expressions nested at most {MAX_DEPTH} levels deep; give the parts names: conclude each part in a rule of its own and combine the conclusions"));
        }
    }
    let end = if end > start { end } else { start + found.len };
    let span = Span::new(file, start, end.min(text.len()));
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let message = match &found.invisible {
        _ if found.len == 0 => format!("unexpected end of file, expected {expected}"),
        Some(name) => format!("unexpected {name}, expected {expected}"),
        None => format!("unexpected `{}`, expected {expected}", found.text),
    };
    let wants_name = matches!(&error.variant, ErrorVariant::ParsingError { positives, .. } if positives.iter().any(|r| matches!(r, Rule::ident | Rule::path)));
    let help = match &found.invisible {
        Some(_) if found.text.chars().next().is_some_and(|c| c.is_whitespace() && !matches!(c, '\t' | '\n' | '\r')) => {
            "replace it with a plain space (text pasted from a PDF or a word processor often carries such spaces)".to_string()
        }
        Some(_) if found.text.chars().next().is_some_and(|c| !matches!(c, '\t' | '\n' | '\r')) => {
            "delete this character: it is not part of the language and most editors do not show it".to_string()
        }
        _ => syntax_help(text, start, found.text, wants_name),
    };
    Diagnostic::new(&codes::SYNTAX, span, message).label(format!("expected {expected}")).help(help)
}

/// What a syntax error found where it stopped.
struct Found<'a> {
    /// The word or symbol there.
    text: &'a str,
    /// Its length in bytes (0 at the end of the text).
    len: usize,
    /// A name for a character that does not show: `non-breaking space (U+00A0)`.
    invisible: Option<String>,
}

/// The word or symbol at `offset`.
fn found_token(text: &str, offset: usize) -> Found<'_> {
    let rest = text.get(offset..).unwrap_or("");
    let word = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    if word > 0 {
        return Found { text: &rest[..word], len: word, invisible: None };
    }
    match rest.chars().next() {
        None => Found { text: "", len: 0, invisible: None },
        Some(c) => Found { text: &rest[..c.len_utf8()], len: c.len_utf8(), invisible: invisible_name(c) },
    }
}

/// A name for a character that a message cannot show between backquotes: a
/// space other than the plain space, a control character, a byte-order mark
/// or another invisible format character.
pub fn invisible_name(c: char) -> Option<String> {
    let name = match c {
        ' ' => return None,
        '\u{a0}' => "non-breaking space",
        '\u{202f}' => "narrow non-breaking space",
        '\u{feff}' => "byte-order mark",
        '\u{200b}' => "zero-width space",
        '\u{200c}' | '\u{200d}' => "zero-width joiner",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\t' => "tab",
        '\n' | '\r' => "line break",
        c if c.is_control() => "control character",
        c if c.is_whitespace() => "space character",
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' => {
            "invisible formatting character"
        }
        _ => return None,
    };
    Some(format!("{name} (U+{:04X})", c as u32))
}

fn syntax_help(text: &str, offset: usize, found: &str, wants_name: bool) -> String {
    if wants_name && KEYWORDS.contains(&found) {
        return format!("`{found}` is a reserved word; choose another name, for example `{found}_`");
    }
    if text[..offset.min(text.len())].trim_end().ends_with(':') {
        return "write a type after `:`: bool, number, money, duration, date, text, an enumeration or a record".into();
    }
    "see docs/language.md for the form of each declaration".into()
}

const KEYWORDS: &[&str] = &[
    "module",
    "import",
    "enum",
    "values",
    "record",
    "field",
    "fact",
    "conclusion",
    "param",
    "list",
    "of",
    "default",
    "rule",
    "cites",
    "exception",
    "to",
    "prevails",
    "over",
    "if",
    "unless",
    "and",
    "or",
    "not",
    "any",
    "all",
    "count",
    "in",
    "where",
    "true",
    "false",
    "position",
    "extends",
    "replace",
    "remove",
    "set",
    "party",
    "burden",
    "on",
    "standard",
    "proven",
    "obligation",
    "permission",
    "prohibition",
    "bearer",
    "met",
    "violated",
    "assessment",
    "factor",
    "weight",
    "tiers",
    "tier",
    "otherwise",
];

fn describe_expected(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().map(|r| rule_name(*r)).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A readable name for each grammar rule, for "expected ..." messages.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::module_decl | Rule::kw_module => "`module`",
        Rule::import_decl | Rule::kw_import => "`import`",
        Rule::enum_decl | Rule::kw_enum => "`enum`",
        Rule::record_decl | Rule::kw_record => "`record`",
        Rule::field_decl | Rule::kw_field => "`field`",
        Rule::fact_decl | Rule::kw_fact => "`fact`",
        Rule::conclusion_decl | Rule::kw_conclusion => "`conclusion`",
        Rule::param_decl | Rule::kw_param => "`param`",
        Rule::rule_decl | Rule::kw_rule | Rule::default_mark | Rule::kw_default => "`rule`",
        Rule::doc | Rule::doc_line => "a `##` doc line",
        Rule::kw_values => "`values`",
        Rule::kw_list => "`list`",
        Rule::kw_of => "`of`",
        Rule::cites_clause | Rule::kw_cites => "`cites`",
        Rule::exception_clause | Rule::kw_exception => "`exception to`",
        Rule::kw_to => "`to`",
        Rule::prevails_clause | Rule::kw_prevails => "`prevails over`",
        Rule::kw_over => "`over`",
        Rule::condition | Rule::if_condition | Rule::kw_if => "`if`",
        Rule::unless_condition | Rule::kw_unless => "`unless`",
        Rule::rule_head => "the conclusion the rule concludes",
        Rule::description => "a description in double quotes",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::type_expr | Rule::list_type => "a type",
        Rule::module_path => "a module name",
        Rule::ident | Rule::path => "a name",
        Rule::expr | Rule::standalone_expr => "an expression",
        Rule::op_or | Rule::kw_or => "`or`",
        Rule::op_and | Rule::kw_and => "`and`",
        Rule::op_not | Rule::kw_not => "`not`",
        Rule::op_eq => "`=`",
        Rule::op_ne => "`!=`",
        Rule::op_lt => "`<`",
        Rule::op_le => "`<=`",
        Rule::op_gt => "`>`",
        Rule::op_ge => "`>=`",
        Rule::op_add => "`+`",
        Rule::op_sub | Rule::op_neg => "`-`",
        Rule::op_mul => "`*`",
        Rule::op_div => "`/`",
        Rule::quantifier | Rule::quantifier_kind | Rule::kw_any | Rule::kw_all | Rule::kw_count => "`any`, `all` or `count`",
        Rule::kw_in => "`in`",
        Rule::kw_where => "`where`",
        Rule::boolean | Rule::kw_true | Rule::kw_false => "`true` or `false`",
        Rule::number => "a number",
        Rule::money | Rule::currency => "an amount of money such as `100 USD`",
        Rule::duration | Rule::time_unit => "a duration such as `48 hours`",
        Rule::date => "a date such as `2007-04-27`",
        Rule::keyword => "a keyword",
        Rule::file | Rule::file_part => "a declaration",
        Rule::WHITESPACE | Rule::COMMENT | Rule::comment_text => "whitespace",
        Rule::item => "a declaration",
        Rule::rule_clause => "`cites`, `exception to`, `prevails over`, `arguable`/`contested` or `in STATEMENT`",
        Rule::change_clause => "`cites`, `arguable`/`contested` or `in STATEMENT`",
        Rule::reading_clause | Rule::reading_kind => "`arguable`/`contested`",
        Rule::kw_arguable => "`arguable`",
        Rule::kw_contested => "`contested`",
        Rule::open_decl | Rule::open_rule_decl | Rule::kw_open => "`open`",
        Rule::open_head => "the conclusion left open",
        Rule::statement_decl | Rule::kw_statement => "`statement`",
        Rule::statement_clause => "`in STATEMENT`",
        Rule::kw_dated => "`dated`",
        Rule::infix => "an operator",
        Rule::prefix => "`not` or `-`",
        Rule::primary | Rule::literal => "a value",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::position_decl | Rule::kw_position => "`position`",
        Rule::extends_clause | Rule::kw_extends => "`extends`",
        Rule::replace_decl | Rule::kw_replace => "`replace`",
        Rule::remove_decl | Rule::kw_remove => "`remove`",
        Rule::removable => "`rule`, `assessment`, `tiers` or `open`",
        Rule::openable => "`rule`, `assessment` or `tiers`",
        Rule::set_decl | Rule::kw_set => "`set`",
        Rule::set_param => "`param`",
        Rule::set_standard | Rule::standard_clause | Rule::kw_standard => "`standard`",
        Rule::set_burden | Rule::burden_clause | Rule::kw_burden => "`burden`",
        Rule::conclusion_clause => "`burden on`, `standard` or `cites`",
        Rule::kw_on => "`on`",
        Rule::party_decl | Rule::kw_party => "`party`",
        Rule::deontic_decl | Rule::deontic_kind => "`obligation`, `permission`, `prohibition`",
        Rule::kw_obligation => "`obligation`",
        Rule::kw_permission => "`permission`",
        Rule::kw_prohibition => "`prohibition`",
        Rule::bearer_clause | Rule::kw_bearer => "`bearer`",
        Rule::deontic_clause => "`met if`, `violated if`, `burden on`, `standard` or `cites`",
        Rule::met_clause | Rule::kw_met => "`met if`",
        Rule::violated_clause | Rule::kw_violated => "`violated if`",
        Rule::postfix | Rule::op_proven | Rule::kw_proven => "`proven`",
        Rule::breach | Rule::kw_breach => "`breach of`",
        Rule::assessment_decl | Rule::kw_assessment => "`assessment`",
        Rule::factor | Rule::kw_factor => "`factor`",
        Rule::kw_weight => "`weight`",
        Rule::assessment_head => "the conclusion the assessment concludes",
        Rule::kw_weighted => "`weighted`",
        Rule::aggregate => "`sum` or `mean`",
        Rule::threshold_op => "`>=` or `>`",
        Rule::tiers_decl | Rule::kw_tiers => "`tiers`",
        Rule::tier | Rule::kw_tier => "`tier`",
        Rule::otherwise_tier | Rule::kw_otherwise => "`otherwise`",
        Rule::test_file => "a test file",
        Rule::suite_decl | Rule::kw_suite => "`suite`",
        Rule::test_decl | Rule::kw_test => "`test`",
        Rule::golden_decl | Rule::kw_golden => "`golden`",
        Rule::test_clause => "`position`, `incident`, `facts`, `cites` or `expect`",
        Rule::golden_clause => "`position`, `incident`, `output` or `into`",
        Rule::positions_clause => "`position`",
        Rule::incidents_clause | Rule::kw_incident => "`incident`",
        Rule::facts_clause | Rule::kw_facts => "`facts`",
        Rule::given => "a fact given as `name = value`",
        Rule::given_proof | Rule::expect_proof => "`proven`",
        Rule::output_clause | Rule::kw_output => "`output`",
        Rule::into_clause | Rule::kw_into => "`into`",
        Rule::expectation | Rule::kw_expect => "`expect`",
        Rule::expect_clause => "`by`, `proven`, `status` or `settled by`",
        Rule::by_clause | Rule::kw_by => "`by`",
        Rule::status_clause | Rule::kw_status => "`status`",
        Rule::settled_clause | Rule::kw_settled => "`settled by`",
        Rule::rule_ref => "a rule name",
        Rule::test_value => "a value",
        Rule::unknown_value => "`unknown`",
        Rule::open_value => "`open`",
        Rule::signed_number => "a number",
    }
}
