//! `opinio compare --format latex` and `--format latex-document`, through the
//! real binary: the fragment for two positions as a snapshot; the positions
//! of a wide comparison split into tables of at most six; and, where TeX is
//! installed (`.ci/run` installs Debian's `texlive-latex-base` and
//! `texlive-latex-recommended` when it can), the shipped comparison and a
//! hostile incident compiled with `pdflatex` (else `lualatex`), without an
//! error or a table wider than the line. Elsewhere the compile tests say they
//! are skipped.

mod common;

use common::binary::opinio;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const US: &str = "examples/positions/united_states.norm";
const FR: &str = "examples/positions/france.norm";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The standard output of a run that succeeded.
fn stdout(args: &[&str]) -> String {
    let out = opinio(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Every shipped position, in the order of their files.
fn shipped_positions() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples/positions"))
        .expect("the shipped positions")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .map(|p| format!("examples/positions/{}", p.file_name().unwrap_or_default().to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// The shipped comparison (every position, every incident, the divergent
/// conclusions), as `format` writes it.
fn shipped(format: &str) -> String {
    let positions = shipped_positions();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(positions.iter().map(String::as_str));
    args.extend(["--incidents", "examples/incidents", "examples/scenarios", "--divergent-only", "--format", format]);
    stdout(&args)
}

#[test]
fn the_latex_of_two_positions_on_the_scenarios() {
    let latex = stdout(&["compare", US, FR, "--incidents", "examples/scenarios", "--format", "latex"]);
    insta::with_settings!({ description => "opinio compare united_states.norm france.norm --incidents examples/scenarios --format latex" }, {
        insta::assert_snapshot!("us_france", latex);
    });
}

#[test]
fn a_wide_comparison_is_split_into_tables_of_at_most_six_positions() {
    let latex = shipped("latex");
    assert!(latex.starts_with('%') && latex.contains("\\usepackage{booktabs,longtable,array}"), "the packages are named first");
    assert!(!latex.contains("\\begin{table}") && !latex.contains('|') && !latex.contains("\\hline"), "no float, no vertical rule");
    let tables: Vec<&str> = latex.split("\\begin{longtable}").skip(1).collect();
    assert!(tables.len() > 3 * 27, "14 positions: three tables for each incident, the summary and the agreement");
    for table in &tables {
        let columns: usize = table.split("*{").nth(1).and_then(|s| s.split('}').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
        assert!((1..=6).contains(&columns), "{columns} position columns in one table");
        assert!(table.contains("\\toprule") && table.contains("\\midrule") && table.contains("\\bottomrule"));
    }
    assert_eq!(latex.matches("\\addtocounter{table}{-1}").count(), latex.matches("\\begin{longtable}").count() * 2 / 3);
    assert!(latex.contains("Questions that divide the positions, across the incidents (continued)"));
    assert!(latex.contains("\\caption{NotPetya (2017-06-27)}"), "an incident's caption gives its title and date");
    assert!(latex.contains("Agreement between positions on contested conclusions"));
    assert_eq!(latex, shipped("latex"), "two runs give the same output");
}

#[test]
fn the_document_wraps_the_fragment() {
    let fragment = stdout(&["compare", US, FR, "--incidents", "examples/scenarios", "--format", "latex"]);
    let document = stdout(&["compare", US, FR, "--incidents", "examples/scenarios", "--format", "latex-document"]);
    assert!(document.contains("\\documentclass"), "{document}");
    assert!(document.contains(&fragment), "the document holds the fragment as it is");
    assert!(document.trim_end().ends_with("\\end{document}"));
}

/// A TeX engine on the `PATH` (`pdflatex`, else `lualatex`) that finds the
/// packages the fragment needs.
fn tex() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let engine =
        ["pdflatex", "lualatex"].iter().find_map(|name| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file()))?;
    let found = |file: &str| Command::new("kpsewhich").arg(file).output().is_ok_and(|o| o.status.success());
    if !["booktabs.sty", "longtable.sty", "array.sty"].into_iter().all(found) {
        eprintln!("note: TeX is installed without booktabs, longtable or array (Debian's texlive-latex-recommended has them)");
        return None;
    }
    Some(engine)
}

/// A directory of its own under the system's temporary directory, removed
/// when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("opinio-latex-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("a scratch file");
        path
    }

    /// Compiles `name` (a `.tex` file here) and asserts that it compiled
    /// without an error, into a PDF, with no line overfull (a table wider
    /// than the line).
    fn compile(&self, tex: &Path, name: &str) {
        let out = Command::new(tex)
            .args(["-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", name])
            .current_dir(&self.0)
            .stdin(Stdio::null())
            .output()
            .expect("TeX runs");
        let stem = name.trim_end_matches(".tex");
        let log = std::fs::read_to_string(self.0.join(format!("{stem}.log"))).unwrap_or_default();
        let errors: Vec<&str> = log.lines().filter(|l| l.starts_with('!')).collect();
        assert!(out.status.success() && errors.is_empty(), "{name} did not compile: {errors:?}\n{}", String::from_utf8_lossy(&out.stdout));
        assert!(self.0.join(format!("{stem}.pdf")).is_file(), "no PDF for {name}");
        let overfull: Vec<&str> = log.lines().filter(|l| l.starts_with("Overfull \\hbox")).collect();
        assert!(overfull.is_empty(), "{name}: {overfull:?}");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A minimal document that `\input`s the fragment, with only the packages
/// its opening comment names.
const MINIMAL: &str =
    "\\documentclass{article}\n\\usepackage{booktabs,longtable,array}\n\\begin{document}\n\\input{fragment}\n\\end{document}\n";

#[test]
fn the_shipped_comparison_compiles() {
    let Some(tex) = tex() else {
        eprintln!("skipped: no pdflatex or lualatex with booktabs on the PATH (install Debian's texlive-latex-base and texlive-latex-recommended)");
        return;
    };
    let scratch = Scratch::new("shipped");
    // The fragment, as a paper's appendix takes it (a narrow article page).
    scratch.write("fragment.tex", &shipped("latex"));
    scratch.write("appendix.tex", MINIMAL);
    scratch.compile(&tex, "appendix.tex");
    // The document `latex-document` makes.
    scratch.write("document.tex", &shipped("latex-document"));
    scratch.compile(&tex, "document.tex");
}

#[test]
fn hostile_text_compiles() {
    let Some(tex) = tex() else {
        eprintln!("skipped: no pdflatex or lualatex with booktabs on the PATH (install Debian's texlive-latex-base and texlive-latex-recommended)");
        return;
    };
    let scratch = Scratch::new("hostile");
    // A scenario named with every character LaTeX treats specially, and
    // non-ASCII text.
    let scenario = std::fs::read_to_string(root().join("examples/scenarios/non_state_armed_attack.toml")).expect("the scenario");
    let name = r"A & B: 100% of $5, #1, _x_ {y} ~z ^w \end{document} <a|b> `q` --x, Côte d’Ivoire";
    let hostile: String = scenario
        .lines()
        .map(|l| if l.starts_with("name = ") { format!("name = '{name}'") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let incident = scratch.write("hostile.toml", &hostile);
    let incident = incident.to_string_lossy().to_string();
    let document = stdout(&["compare", US, FR, "--incidents", &incident, "--format", "latex-document"]);
    assert!(document.contains(r"A \& B: 100\% of \$5, \#1, \_x\_ \{y\}"), "{document}");
    scratch.write("hostile.tex", &document);
    scratch.compile(&tex, "hostile.tex");
}
