//! The command line: argument parsing, the report handler, dispatch.
//!
//! Exit codes: 0 success; 1 faulty norms, a faulty incident or a failed
//! evaluation; 2 usage error.

mod batch;
mod check;
mod compare;
mod compare_table;
mod eval;
mod explain;
mod fit;
mod fmt;
mod lint;
mod show;
mod test;
mod whatif;
mod witness;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use opinio::diagnostics::render::{self, ErrorFormat};
use opinio::diagnostics::Diagnostic;
use opinio::source::SourceMap;

/// Opinio: norms of international law on cyber operations, checked and evaluated.
#[derive(Debug, Parser)]
#[command(name = "opinio", version, about, long_about = None)]
struct Cli {
    /// How to show errors and warnings.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormatArg::Human)]
    error_format: ErrorFormatArg,
    /// Read the standard library's modules from this directory first (a module it lacks is the embedded one); default: the environment variable OPINIO_STDLIB, else `[stdlib] path` in the project file `opinio.toml`.
    #[arg(long, global = true, value_name = "DIR")]
    stdlib: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ErrorFormatArg {
    /// Source excerpts with labels (colour on a terminal unless NO_COLOR is set).
    Human,
    /// One line per problem: `file:line:col: error[CODE]: message`.
    Plain,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check `.norm` files and report every problem.
    Check(check::Args),
    /// Evaluate norms against an incident file.
    Eval(eval::Args),
    /// Explain in prose how norms decide each conclusion on an incident.
    Explain(explain::Args),
    /// Compare positions on incidents: the matrix, where they diverge, and why.
    Compare(compare::Args),
    /// Evaluate positions on a case database (JSON Lines or CSV), streaming.
    Batch(batch::Args),
    /// Run the tests of test files (`*.test.norm`): expectations and golden files.
    Test(test::Args),
    /// Lay out `.norm` and test files in the canonical form.
    Fmt(fmt::Args),
    /// The smallest changes to an incident's facts that give a conclusion another result.
    Whatif(whatif::Args),
    /// An incident on which two positions give a conclusion different results, or a proof that none exists.
    Witness(witness::Args),
    /// What a position changes against its base (rules, parameters, standards, burdens, open questions, with their
    /// sources), or how two positions' changes differ.
    Show(show::Args),
    /// Lint norms: changes that change nothing, facts and parameters nothing reads, conclusions no rule gives.
    ///
    /// A finding is answered by a comment directly above the line it points at:
    /// `# lint allow NAME: REASON` (NAME the lint, such as `unread-fact`; the reason is required).
    #[command(after_help = "Exit codes: 0 when there is no finding or every finding is answered; 1 when a finding \
                            is unanswered or a file cannot be read or does not compile; 2 on a usage error.")]
    Lint(lint::Args),
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match cli.error_format {
        ErrorFormatArg::Human => {
            let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
            ErrorFormat::Human { color }
        }
        ErrorFormatArg::Plain => ErrorFormat::Plain,
        ErrorFormatArg::Json => ErrorFormat::Json,
    };
    let mut out = Output { format, stdlib: None };
    if !matches!(cli.command, Command::Fmt(_)) {
        match stdlib_dir(cli.stdlib) {
            Ok(dir) => out.stdlib = dir,
            Err((diagnostics, sources)) => {
                out.diagnostics(&diagnostics, &sources);
                return ExitCode::from(1);
            }
        }
    }
    let result = match cli.command {
        Command::Check(args) => check::run(args, &out),
        Command::Eval(args) => eval::run(args, &out),
        Command::Explain(args) => explain::run(args, &out),
        Command::Compare(args) => compare::run(args, &out),
        Command::Batch(args) => batch::run(args, &out),
        Command::Test(args) => test::run(args, &out),
        Command::Fmt(args) => fmt::run(args, &out),
        Command::Whatif(args) => whatif::run(args, &out),
        Command::Witness(args) => witness::run(args, &out),
        Command::Show(args) => show::run(args, &out),
        Command::Lint(args) => lint::run(args, &out),
    };
    match result {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// A usage error (exit 2), found after argument parsing.
pub struct Usage(pub String);

/// What every command shares: where diagnostics go, and where the standard
/// library is read from.
pub struct Output {
    format: ErrorFormat,
    /// The directory of standard library modules read first, if any.
    pub stdlib: Option<opinio::io::StdlibDir>,
}

/// The standard library directory: `--stdlib`, else `OPINIO_STDLIB` (when
/// set and not empty), else the project file's `[stdlib] path`; none
/// without any. A directory that cannot be used is an error (E0702, or
/// E0808 in the project file).
fn stdlib_dir(option: Option<std::path::PathBuf>) -> Result<Option<opinio::io::StdlibDir>, (Vec<Diagnostic>, SourceMap)> {
    let env = std::env::var_os("OPINIO_STDLIB").filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    let (dir, origin) = match (option, env) {
        (Some(dir), _) => (dir, "`--stdlib`"),
        (None, Some(dir)) => (dir, "`OPINIO_STDLIB`"),
        (None, None) => {
            return match opinio::testing::Project::find() {
                Ok(project) => Ok(project.and_then(|p| p.stdlib)),
                Err(problem) => Err((problem.diagnostics, problem.sources)),
            }
        }
    };
    opinio::io::StdlibDir::open(&dir).map(Some).map_err(|why| {
        let mut sources = SourceMap::new();
        let d = opinio::io::unusable_stdlib(&dir, origin, &why, &mut sources);
        (vec![d], sources)
    })
}

/// Changes to an incident's facts for one run (what if), as `eval`,
/// `explain` and `compare` (to every incident it is given) take them.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FactChanges {
    /// Set a fact (a record's field dotted, `territorial_state.knew`) to a
    /// value written as in an incident file (`deaths=3`, `attribution=true`,
    /// `loss="USD 2000000"`, or an enumeration value); a fact given with its
    /// evidence keeps it. Repeatable; the output marks what was changed.
    #[arg(long = "set", value_name = "FACT=VALUE")]
    set: Vec<String>,
    /// Make a fact unknown (repeatable; after the `--set`s).
    #[arg(long = "unset", value_name = "FACT")]
    unset: Vec<String>,
}

impl FactChanges {
    /// The changes, `--set`s first; a `--set` without `=` is a usage error.
    pub fn changes(&self) -> Result<Vec<opinio::incident::FactChange>, Usage> {
        let mut out = Vec::with_capacity(self.set.len() + self.unset.len());
        for arg in &self.set {
            out.push(opinio::incident::FactChange::set(arg).map_err(|e| Usage(format!("--set: {e}")))?);
        }
        out.extend(self.unset.iter().map(|f| opinio::incident::FactChange::unset(f)));
        Ok(out)
    }
}

/// `--as-of`: the day positions are taken as they stood on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// A day, in days from 1970-01-01.
    Day(i32),
    /// The incident's own date.
    Incident,
}

/// Reads `--as-of DATE` or `--as-of incident`.
pub fn as_of(text: Option<&str>) -> Result<Option<AsOf>, Usage> {
    let Some(text) = text else { return Ok(None) };
    if text == "incident" {
        return Ok(Some(AsOf::Incident));
    }
    opinio::syntax::parse_date(text)
        .and_then(|(y, m, d)| opinio::value::days_from_civil(y, m, d))
        .map(|day| Some(AsOf::Day(day)))
        .ok_or_else(|| Usage(format!("`--as-of {text}` is neither a date (YYYY-MM-DD) nor `incident`")))
}

impl Output {
    /// Reads and compiles a `.norm` file, with the standard library directory if any.
    pub fn compile_file(&self, path: &str) -> opinio::Compiled {
        opinio::io::compile_file_with(path, self.stdlib.as_ref())
    }

    /// Reads and compiles a `.norm` file with its positions as they stood
    /// on a day (days from 1970-01-01), or as they stand now (`None`).
    pub fn compile_file_as_of(&self, path: &str, day: Option<i32>) -> opinio::Compiled {
        opinio::io::compile_file_as_of(path, self.stdlib.as_ref(), day)
    }

    /// Prints diagnostics to standard error.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic], sources: &SourceMap) {
        if !diagnostics.is_empty() {
            eprint!("{}", render::render(diagnostics, sources, self.format));
        }
    }
}

/// Refuses an output file (`-o`) that is one of the files the command
/// reads (compared by their canonical paths, so a link or another spelling
/// of the same file is found too): nothing the user wrote is overwritten.
pub fn refuse_output_over<'a>(output: Option<&str>, inputs: impl IntoIterator<Item = &'a str>, what: &str) -> Result<(), Usage> {
    let Some(output) = output else { return Ok(()) };
    let Ok(target) = std::fs::canonicalize(output) else { return Ok(()) };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|read| read == target) {
            return Err(Usage(format!("`-o {output}` is `{input}`, a file this command reads; write {what} elsewhere")));
        }
    }
    Ok(())
}

/// Writes a command's output: to `path` (replaced atomically), or to
/// standard output (`what` names it in an error). Exits 1 with a coded
/// diagnostic when the file cannot be written.
pub fn write_output(path: Option<&str>, rendered: &str, what: &str, out: &Output) -> Result<ExitCode, Usage> {
    match path {
        Some(path) => {
            if let Err(e) = opinio::io::write_atomically(std::path::Path::new(path), rendered) {
                let mut sources = opinio::source::SourceMap::new();
                let file = sources.add(path.to_string(), "");
                out.diagnostics(&[opinio::io::cannot_write(&format!("`{path}`"), &e, opinio::source::Span::new(file, 0, 0))], &sources);
                return Ok(ExitCode::from(1));
            }
        }
        None => emit(rendered).map_err(|e| Usage(format!("cannot write {what}: {e}")))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a closed pipe (`opinio eval ... | head`) is not an error.
pub fn emit(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

pub use opinio::io::read;
