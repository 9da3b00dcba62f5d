//! The registry of diagnostic codes.
//!
//! Codes are stable: once published, a code keeps its meaning. They are
//! grouped by phase: `E01xx` syntax, `E02xx` names and modules, `E03xx` types,
//! `E04xx` rule structure (defeasibility, recursion), `E05xx` incident files,
//! `E06xx` evaluation, `E07xx` files and paths, `E08xx` tests and formatting,
//! `W09xx` the legal lints of `opinio lint` (`W0901` to `W0949` the lints a
//! `# lint allow` comment may answer, `W0950` and after the comments
//! themselves). Warnings start with `W`.
//! `docs/diagnostics.md` documents every code, and a test checks that each
//! code here is documented and exercised by a test case.

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is faulty; nothing downstream runs.
    Error,
    /// The input is accepted, but something looks wrong.
    Warning,
}

/// A stable diagnostic code.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The code, such as `E0201`.
    pub id: &'static str,
    /// A kebab-case name, such as `unknown-name`.
    pub name: &'static str,
    /// Error or warning.
    #[serde(skip)]
    pub severity: Severity,
    /// One line: what the code means.
    #[serde(skip)]
    pub summary: &'static str,
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $konst: Code = Code { id: $id, name: $name, severity: Severity::$sev, summary: $summary };
        )*
        /// Every code, in code order.
        pub static ALL: &[&Code] = &[$(&$konst),*];
    };
}

codes! {
    SYNTAX = "E0101" "syntax-error" Error "the text does not follow the grammar";
    INVALID_LITERAL = "E0102" "invalid-literal" Error "a number, date, duration or amount of money is malformed or out of range";
    MISSING_MODULE = "E0103" "missing-module-declaration" Error "an imported file does not begin with a `module` declaration";
    TOO_DEEP = "E0104" "nested-too-deeply" Error "an expression, or a chain of imports or of positions, is nested more deeply than Opinio allows";
    DUPLICATE_CLAUSE = "E0105" "duplicate-clause" Error "a clause that a declaration takes once (`arguable`/`contested`, `in STATEMENT`) is written twice";

    UNKNOWN_NAME = "E0201" "unknown-name" Error "a name in an expression is not a declared fact, conclusion or parameter";
    UNKNOWN_MODULE = "E0202" "unknown-module" Error "an import or `extends` names a module or a position file that cannot be found";
    IMPORT_CYCLE = "E0203" "import-cycle" Error "modules import each other in a cycle";
    DUPLICATE = "E0204" "duplicate-declaration" Error "a name is declared twice";
    UNKNOWN_TYPE = "E0205" "unknown-type" Error "a type is neither built in nor a declared enumeration or record";
    UNKNOWN_FIELD = "E0206" "unknown-field" Error "a record has no field of that name";
    UNKNOWN_ENUM_VALUE = "E0207" "unknown-enum-value" Error "an enumeration has no value of that name";
    UNKNOWN_RULE = "E0208" "unknown-rule" Error "an exception or priority names a rule that does not exist";
    NOT_IMPORTED = "E0209" "not-imported" Error "a name is declared in a module that this file does not import";
    NOT_A_CONCLUSION = "E0210" "not-a-conclusion" Error "a rule concludes something that is not a declared conclusion";
    RESERVED_FIELD = "E0211" "reserved-field-name" Error "a record field uses a name reserved for incident annotations";
    MODULE_MISMATCH = "E0212" "module-name-mismatch" Error "an imported file declares a different module name than the import asked for";
    UNKNOWN_OVERLAY_TARGET = "E0213" "unknown-overlay-target" Error "a position replaces, removes or sets something its base does not have";
    OVERLAY_OUTSIDE_POSITION = "E0214" "overlay-outside-position" Error "`replace`, `remove` or `set` is written in a file that is not a position";
    NOT_A_POSITION = "E0215" "position-imported" Error "a module imports a position instead of extending it";
    OVERLAY_CYCLE = "E0216" "overlay-cycle" Error "positions extend each other in a cycle";
    UNKNOWN_PARTY = "E0217" "unknown-party" Error "a burden or a bearer names a party that is not declared";
    UNCITED_CHANGE = "E0218" "uncited-change" Error "a position changes its base without citing its source";
    OVERLAY_KIND = "E0219" "overlay-kind" Error "a replacement is of another kind than the declaration it replaces, or concludes another conclusion";
    EXTENDS_PATH = "E0220" "extends-not-a-position-file" Error "`extends` names by path a file that is not a position: not a `.norm` file, or one that declares a module or nothing";
    UNKNOWN_STATEMENT = "E0221" "unknown-statement" Error "a change names, with `in`, a statement its position does not declare";
    STATEMENT_OUTSIDE_POSITION = "E0222" "statement-outside-position" Error "a `statement` is declared in a file that is not a position";
    EMPTY_TITLE = "E0223" "empty-title" Error "a position's title (`position NAME \"TITLE\"`) is empty: reports would show no name";

    TYPE_MISMATCH = "E0301" "type-mismatch" Error "an operator is applied to values of the wrong type";
    CONDITION_NOT_BOOL = "E0302" "condition-not-bool" Error "an `if`, `unless` or `where` condition is not a true/false expression";
    RULE_VALUE_TYPE = "E0303" "rule-value-type" Error "a rule gives a value of a different type than its conclusion";
    MISSING_RULE_VALUE = "E0304" "missing-rule-value" Error "a rule for a conclusion that is not true/false does not say which value it gives";
    PARAM_NOT_CONSTANT = "E0305" "param-not-constant" Error "a parameter's value is not a constant";
    NOT_A_LIST = "E0306" "not-a-list" Error "`any`, `all` or `count` ranges over something that is not a list";
    NESTED_LIST = "E0307" "unsupported-nesting" Error "a list is declared inside a record, or a record is used where a value is needed";
    NOT_A_STANDARD = "E0308" "not-a-proof-standard" Error "a standard of proof is neither one of the built-in standards nor a parameter of type `proof_standard`";
    PROOF_NOT_BOOL = "E0309" "proof-on-non-bool" Error "a burden or standard of proof, or `proven`, applies to something that is not true/false";
    NOT_A_NORM = "E0310" "not-a-norm" Error "`breach of` names something that is not an obligation or prohibition with a `met if` or `violated if` clause";
    FACTOR_TYPE = "E0311" "factor-type" Error "an assessment's rating is not true/false, an enumeration or a number, or its weight or threshold is not a constant number";
    DEONTIC_CLAUSE = "E0312" "deontic-clause" Error "`met if` is given to a norm that is not an obligation, or `violated if` to one that is not a prohibition";
    TWO_STANDARDS = "E0313" "two-standards" Error "a conclusion is given a standard of proof twice: by `standard` and by its burden (`burden on PARTY to STANDARD`)";

    RECURSION = "E0401" "unstratified-recursion" Error "conclusions depend on each other through negation or a value";
    DEFEAT_CYCLE = "E0402" "defeat-cycle" Error "exceptions and priorities between rules form a cycle";
    CERTAIN_CONFLICT = "E0403" "certain-conflict" Error "two rules always apply together and give different values, with no priority between them";
    EXCEPTION_TARGET = "E0404" "exception-target" Error "an exception or priority relates rules that conclude different conclusions";
    POSSIBLE_CONFLICT = "W0405" "possible-conflict" Warning "two rules may apply together and give different values, with no priority between them";

    INCIDENT_SYNTAX = "E0501" "incident-syntax" Error "an incident file is not valid TOML or JSON";
    UNKNOWN_FACT = "E0502" "unknown-fact" Error "an incident gives a fact that no loaded module declares";
    FACT_TYPE = "E0503" "fact-type" Error "an incident gives a fact a value of the wrong type";
    INCIDENT_SHAPE = "E0504" "incident-shape" Error "an incident file lacks a required part or has an unexpected one";

    RULE_CONFLICT = "E0601" "rule-conflict" Error "during evaluation two rules applied with different values and no priority between them";
    ARITHMETIC = "E0602" "arithmetic-error" Error "an arithmetic operation failed during evaluation (division by zero, mixed currencies, a rating outside 0 to 1)";

    UNREADABLE = "E0701" "unreadable-file" Error "a file named on the command line or imported cannot be read, or an output file cannot be written";
    STDLIB_DIR = "E0702" "stdlib-directory" Error "the standard library directory named by `--stdlib` or `OPINIO_STDLIB` does not exist, is not a directory or cannot be read";

    TEST_SHAPE = "E0801" "test-shape" Error "a test or golden declaration lacks a part it needs, or names something of the wrong kind";
    UNKNOWN_EXPECTED = "E0802" "unknown-expected-conclusion" Error "a test expects a conclusion that the norms under test do not have";
    UNKNOWN_DECIDING_RULE = "E0803" "unknown-deciding-rule" Error "a test expects a conclusion to be decided by a rule that does not conclude it";
    EXPECTED_VALUE_TYPE = "E0804" "expected-value-type" Error "a test expects or gives a value of the wrong type";
    MISSING_GOLDEN = "E0805" "missing-golden" Error "a golden file that a `golden` declaration needs does not exist";
    STALE_GOLDEN = "W0806" "stale-golden" Warning "a file in a golden directory is not produced by the golden declaration";
    FORMAT_LOST = "E0807" "format-lost" Error "the formatter would change the tokens of a file (a bug in opinio: nothing is written)";
    PROJECT_FILE = "E0808" "project-file" Error "the project file `opinio.toml` is not valid TOML, has an unknown setting, or names a path that does not exist";

    IDENTICAL_REPLACEMENT = "W0901" "identical-replacement" Warning "a position replaces a rule of its base by the same rule: the same conditions, value, exceptions and priorities (only the citations differ)";
    UNCHANGED_SETTING = "W0902" "unchanged-setting" Warning "a position sets a parameter, or a conclusion's standard or burden of proof, to what its base already has";
    UNREAD_FACT = "W0903" "unread-fact" Warning "no rule reads a fact, or no rule of a position reads a fact its base reads";
    UNREAD_PARAMETER = "W0904" "unread-parameter" Warning "no rule or standard of proof reads a parameter, or a position sets or stops reading a parameter no rule of it reads";
    CONCLUSION_WITHOUT_RULE = "W0905" "conclusion-without-rule" Warning "no rule can give a conclusion: it is declared without one, or a position's `remove` took away the last";
    EXCEPTION_NEVER_APPLIES = "W0906" "exception-never-applies" Warning "an exception (or a rule that prevails over others) can never apply while the conditions of a rule it defeats hold: no incident makes it matter";
    RULE_NEVER_APPLIES = "W0907" "rule-never-applies" Warning "no incident makes a rule apply: its conditions never hold, or a defeater applies whenever they do";
    MALFORMED_ALLOW = "W0950" "malformed-allow" Warning "a `# lint allow` comment names no lint, or something that is not a lint, or gives no reason";
    UNUSED_ALLOW = "W0951" "unused-allow" Warning "a `# lint allow` comment names a lint that finds nothing at the declaration below it";
}

/// Whether a code is a lint of `opinio lint` that a `# lint allow` comment
/// may answer (`W0901` to `W0949`).
pub fn is_lint(code: &Code) -> bool {
    code.id.starts_with("W09") && code.id < "W0950"
}

/// The code with this id, if any.
pub fn lookup(id: &str) -> Option<&'static Code> {
    ALL.iter().copied().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in ALL.windows(2) {
            assert!(pair[0].id[1..] < pair[1].id[1..], "{} before {}", pair[0].id, pair[1].id);
        }
        let mut names: Vec<_> = ALL.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }
}
