//! The canonical formatter: exact layouts, and the whole corpus formatted
//! without loss, idempotently.

use std::path::{Path, PathBuf};

use opinio::diagnostics::codes;
use opinio::source::FileId;
use opinio::syntax::{format, parse_file, Grammar};

const FILE: FileId = FileId(0);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.norm` file under `dir`, recursively, sorted.
fn norm_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "norm") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn fmt(text: &str) -> String {
    match format(FILE, text, Grammar::Norms) {
        Ok(out) => out,
        Err(d) => panic!("formatting failed: {d:#?}"),
    }
}

fn fmt_tests(text: &str) -> String {
    match format(FILE, text, Grammar::Tests) {
        Ok(out) => out,
        Err(d) => panic!("formatting failed: {d:#?}"),
    }
}

/// Formats, and checks that formatting again changes nothing.
#[track_caller]
fn assert_formats(input: &str, expected: &str) {
    let out = fmt(input);
    assert_eq!(out, expected, "\n--- got:\n{out}\n--- expected:\n{expected}");
    assert_eq!(fmt(&out), out, "not idempotent");
}

// ---------------------------------------------------------------- corpus

#[test]
fn corpus_formats_without_loss_and_idempotently() {
    let mut formatted = 0;
    let mut rejected = 0;
    for dir in ["stdlib-rules", "examples", "tests/cases"] {
        for path in norm_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&path).expect("a readable file");
            let name = path.display();
            match format(FILE, &text, Grammar::for_path(&path)) {
                Ok(out) => {
                    let again = format(FILE, &out, Grammar::for_path(&path));
                    assert_eq!(again.as_deref(), Ok(out.as_str()), "{name}: formatting is not idempotent");
                    assert!(!out.contains(" \n") && out.ends_with('\n') && !out.ends_with("\n\n"), "{name}: untidy output");
                    formatted += 1;
                }
                Err(diagnostics) => {
                    assert_eq!(diagnostics.len(), 1, "{name}: {diagnostics:#?}");
                    assert_eq!(diagnostics[0].code.id, codes::SYNTAX.id, "{name}: {diagnostics:#?}");
                    let parsed = match Grammar::for_path(&path) {
                        Grammar::Norms => parse_file(FILE, &text).map(|_| ()),
                        Grammar::Tests => opinio::syntax::parse_test_file(FILE, &text).map(|_| ()),
                    }
                    .expect_err("the parser rejects it too");
                    assert_eq!(diagnostics, parsed, "{name}: not the parser's diagnostic");
                    rejected += 1;
                }
            }
        }
    }
    assert!(formatted > 100, "only {formatted} files formatted");
    assert!(rejected > 0, "the syntax error cases were not found");
}

#[test]
fn syntax_cases_that_are_errors_give_the_syntax_diagnostic() {
    for path in norm_files(&root().join("tests/cases/syntax")) {
        let case = path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("a readable file");
        let result = format(FILE, &text, Grammar::Norms);
        if case.starts_with("error_") && parse_file(FILE, &text).is_err() {
            let diagnostics = result.expect_err("a syntax error");
            assert_eq!(diagnostics[0].code.id, codes::SYNTAX.id, "{}", path.display());
        }
    }
}

/// Every shipped file is in canonical form (`opinio fmt --check stdlib-rules
/// examples` in CI says the same). With `OPINIO_FMT_OUT=DIR`, writes each
/// formatted file under DIR, to compare by hand.
#[test]
fn shipped_files_are_canonical() {
    let out_dir = std::env::var_os("OPINIO_FMT_OUT").map(PathBuf::from);
    let mut files = norm_files(&root().join("stdlib-rules"));
    files.extend(norm_files(&root().join("examples")));
    let mut changed = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable file");
        let out = format(FILE, &text, Grammar::for_path(path)).expect("a shipped file formats");
        let rel = path.strip_prefix(root()).unwrap_or(path);
        if out != text {
            changed.push(rel.display().to_string());
        }
        if let Some(dir) = &out_dir {
            let target = dir.join(rel);
            std::fs::create_dir_all(target.parent().expect("a parent")).expect("a writable directory");
            std::fs::write(target, &out).expect("a writable file");
        }
    }
    assert!(changed.is_empty(), "not in canonical form (run `cargo run -- fmt stdlib-rules examples`): {changed:?}");
}

/// The whitespace positions of a text outside strings and comments, and
/// either side of its punctuation.
fn gaps(text: &str) -> Vec<usize> {
    let mut gaps = Vec::new();
    let (mut in_string, mut in_comment, mut escaped) = (false, false, false);
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            (escaped, in_string) = (!escaped && c == '\\', escaped || c != '"');
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '(' | ')' | ',' | ':' | '=' => gaps.extend([i, i + 1]),
                c if c.is_whitespace() => gaps.push(i),
                _ => {}
            }
        }
    }
    gaps
}

/// Comments, line breaks and blank lines inserted anywhere are kept, and the
/// result is idempotent.
#[test]
fn comments_and_breaks_anywhere() {
    let files = [
        (root().join("tests/cases/syntax/comments_and_docs/main.norm"), Grammar::Norms),
        (root().join("tests/cases/syntax/parentheses/main.norm"), Grammar::Norms),
    ];
    let mut texts: Vec<(String, Grammar)> =
        files.iter().map(|(path, grammar)| (std::fs::read_to_string(path).expect("a readable file"), *grammar)).collect();
    texts.push((TEST_FILE.to_string(), Grammar::Tests));
    for (text, grammar) in &texts {
        for pos in gaps(text) {
            for insert in [" # c\n", "\n", "\n\n", "  #\n\n  # d  \n", "\r\n"] {
                let input = format!("{}{insert}{}", &text[..pos], &text[pos..]);
                match format(FILE, &input, *grammar) {
                    Ok(out) => assert_eq!(format(FILE, &out, *grammar).as_deref(), Ok(out.as_str()), "not idempotent on\n{input}"),
                    Err(d) => assert_eq!(d[0].code.id, codes::SYNTAX.id, "{d:#?} on\n{input}"),
                }
            }
        }
    }
}

// ---------------------------------------------------------------- layouts

#[test]
fn grammar_by_file_name() {
    assert_eq!(Grammar::for_path("tests/france.test.norm"), Grammar::Tests);
    assert_eq!(Grammar::for_path("examples/positions/france.norm"), Grammar::Norms);
    assert_eq!(Grammar::for_path(Path::new("test.norm")), Grammar::Norms);
}

#[test]
fn spacing_is_normalised() {
    assert_formats(
        "module   m\nfact  deaths :number\n   \"Deaths.\"\nparam min:money=100 USD \"Min.\"\nrule r\n  x =( - deaths+ 1 )* 2 if(a  and not b)\n",
        "module m\n\
         fact deaths: number\n  \"Deaths.\"\n\
         param min: money = 100 USD\n  \"Min.\"\n\
         rule r\n  x = (-deaths + 1) * 2\n    if (a and not b)\n",
    );
}

#[test]
fn clauses_go_on_lines_of_their_own() {
    assert_formats(
        "rule r cites \"A\",\"B\" exception to s prevails over t, u attributable if a unless b\n\
         conclusion c: bool \"C.\" burden on victim_state standard preponderance cites \"X\"\n\
         obligation o \"O.\" bearer s met if a violated if b\n\
         record conduct \"Conduct.\" field knew: bool \"Knew.\" field did: bool \"Did.\"\n\
         enum sector \"Sector.\" values energy, finance\n",
        "rule r\n  cites \"A\", \"B\"\n  exception to s\n  prevails over t, u\n  attributable\n    if a\n    unless b\n\
         conclusion c: bool\n  \"C.\"\n  burden on victim_state\n  standard preponderance\n  cites \"X\"\n\
         obligation o\n  \"O.\"\n  bearer s\n  met if a\n  violated if b\n\
         record conduct \"Conduct.\"\n  field knew: bool\n    \"Knew.\"\n  field did: bool\n    \"Did.\"\n\
         enum sector \"Sector.\"\n  values energy, finance\n",
    );
}

#[test]
fn assessments_tiers_and_positions() {
    assert_formats(
        "position p extends stdlib cites \"P\"\n\
         assessment a factor x = r weight 1 factor y weight 2 c if weighted mean >= 0.5\n\
         tiers t cites \"T\" resp tier high if a tier low if b otherwise none\n\
         replace rule r cites \"R\" c if a\n\
         remove rule s cites \"S\"\n\
         set param n = 3 cites \"N\"\n",
        "position p\n  extends stdlib\n  cites \"P\"\n\
         assessment a\n  factor x = r weight 1\n  factor y weight 2\n  c if weighted mean >= 0.5\n\
         tiers t\n  cites \"T\"\n  resp\n    tier high if a\n    tier low if b\n    otherwise none\n\
         replace rule r\n  cites \"R\"\n  c\n    if a\n\
         remove rule s\n  cites \"S\"\n\
         set param n = 3\n  cites \"N\"\n",
    );
}

#[test]
fn author_breaks_in_expressions_and_lists_are_kept_and_aligned() {
    assert_formats(
        "rule r\n  cites \"A\",\n    \"B\"\n  x\n    if a and\n  b\n  and (c\n or d) and e\n",
        "rule r\n  cites \"A\",\n        \"B\"\n  x\n    if a\n       and b\n       and (c\n            or d) and e\n",
    );
    // Other breaks are not the author's to keep.
    assert_formats("rule r\n  x\n    if\n a\n and\n not\n b\n", "rule r\n  x\n    if a\n       and not b\n");
}

#[test]
fn comments_are_kept() {
    assert_formats(
        "# top\nmodule m # trailing\n\n   # own line\nrule r # after the name\n  x\n    if a # inside\n       # between\n       and b\n# at the end\n",
        "# top\nmodule m # trailing\n\n# own line\nrule r # after the name\n  x\n    if a # inside\n       # between\n       and b\n# at the end\n",
    );
    // A comment before a clause takes the clause's indent.
    assert_formats("rule r\n# why\ncites \"A\"\nx\n", "rule r\n  # why\n  cites \"A\"\n  x\n");
}

#[test]
fn blank_lines_are_collapsed() {
    assert_formats(
        "\n\n\nmodule m\n\n\n\nimport a\nimport b\n\n\n# c\n\n\nfact f: bool\n\n  \"F.\"\n\n\n",
        "module m\n\nimport a\nimport b\n\n# c\n\nfact f: bool\n\n  \"F.\"\n",
    );
}

#[test]
fn doc_strings_are_kept() {
    assert_formats(
        "   ## A module.   \n##\n##   Indented text.\nmodule m\n  ## A fact.\nfact f: bool \"F.\"\nrecord r \"R.\"\n## A field.\nfield x: bool \"X.\"\n",
        "## A module.\n##\n##   Indented text.\nmodule m\n## A fact.\nfact f: bool\n  \"F.\"\nrecord r \"R.\"\n  ## A field.\n  field x: bool\n    \"X.\"\n",
    );
}

#[test]
fn empty_file_stays_empty() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  # only a comment  \n\n"), "# only a comment\n");
}

const TEST_FILE: &str = "## Doc.\nsuite s \"S\" position \"../p.norm\"\n\
     test t \"T\" cites \"C\" incident \"a.json\",\n\"b.json\" facts x = unknown  y.z= -3 proven preponderance\n\
     expect c = true by r.2 status applied expect d=5 USD\n\
     golden g position \"../positions\" output eval into \"golden\"\n";

#[test]
fn test_file() {
    let out = fmt_tests(TEST_FILE);
    assert_eq!(
        out,
        "## Doc.\nsuite s \"S\"\n  position \"../p.norm\"\n\
         test t \"T\"\n  cites \"C\"\n  incident \"a.json\",\n           \"b.json\"\n  facts\n    x = unknown\n    y.z = -3 proven preponderance\n  \
         expect c = true by r.2 status applied\n  expect d = 5 USD\n\
         golden g\n  position \"../positions\"\n  output eval\n  into \"golden\"\n"
    );
    assert_eq!(fmt_tests(&out), out);
}

#[test]
fn syntax_error_gives_the_parser_diagnostic() {
    let text = "module m\nfact f bool \"F.\"\n";
    let diagnostics = format(FILE, text, Grammar::Norms).expect_err("a syntax error");
    assert_eq!(diagnostics, parse_file(FILE, text).expect_err("a syntax error"));
    assert_eq!(diagnostics[0].code.id, codes::SYNTAX.id);
    // A test file read as norms is a syntax error, not a panic.
    assert!(format(FILE, "suite s", Grammar::Norms).is_err());
    assert!(format(FILE, "module m", Grammar::Tests).is_err());
}
