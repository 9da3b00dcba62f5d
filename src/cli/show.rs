//! `opinio show POSITION [--against OTHER]`

use std::process::ExitCode;

use opinio::ir::Program;
use opinio::reports::show::{self as report, Position};

use super::{Output, Usage};

/// What a position changes against its base, or how two positions' changes differ.
#[derive(Debug, clap::Args)]
#[command(after_help = "Each change is shown with its citations, its dated statement and its reading mark \
(`arguable`, `contested`); a parameter, standard or burden set with the base's value beside the position's. \
A file that declares a module, not a position, is a usage error: a module changes nothing. \
The text is wrapped at the width COLUMNS gives, else at 100 columns.")]
pub struct Args {
    /// The position file (`.norm`).
    position: String,
    /// Another position file: show the changes only one of the two makes,
    /// those both make to the same rule, parameter or conclusion (alike or
    /// differently), and those of a base both extend.
    #[arg(long, value_name = "OTHER")]
    against: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the output to this file (replaced atomically) instead of
    /// standard output; never a file the command reads.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Take the positions as they stood on this day (YYYY-MM-DD): the
    /// changes of statements made later are left out.
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// For a reader, wrapped at the terminal's width (COLUMNS), else at 100 columns.
    Text,
    /// A Markdown document.
    Markdown,
    /// One JSON object (schema in docs/show.md).
    Json,
}

/// The width text is wrapped at: COLUMNS when it is a number of at least
/// 40, else 100.
fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

/// A position compiled with its bases: the programs, and every file read.
struct Compiled {
    program: Program,
    /// Its bases' programs, nearest first.
    bases: Vec<Program>,
    files: Vec<String>,
}

/// Compiles a position file and its bases; `Err` with the exit code when
/// it does not compile (its diagnostics printed), or a usage error when it
/// is a module.
fn compile(path: &str, day: Option<i32>, out: &Output) -> Result<Result<Compiled, ExitCode>, Usage> {
    let (compiled, bases) = opinio::io::compile_file_and_bases(path, out.stdlib.as_ref(), day);
    out.diagnostics(&compiled.diagnostics, &compiled.sources);
    let Some(program) = compiled.program else { return Ok(Err(ExitCode::from(1))) };
    if program.positions.is_empty() {
        return Err(Usage(format!(
            "`{path}` declares the module `{}`, not a position: a module changes nothing; `show` takes a file that begins \
             with `position NAME extends BASE`",
            program.name
        )));
    }
    let mut files: Vec<String> = compiled.sources.names().map(str::to_string).collect();
    for (_, base) in &bases {
        files.extend(base.sources.names().map(str::to_string));
    }
    Ok(Ok(Compiled { program, bases: bases.into_iter().filter_map(|(_, b)| b.program).collect(), files }))
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let day = match super::as_of(args.as_of.as_deref())? {
        None => None,
        Some(super::AsOf::Day(day)) => Some(day),
        Some(super::AsOf::Incident) => return Err(Usage("`--as-of incident` needs an incident; `show` takes a date (YYYY-MM-DD)".into())),
    };
    // Never write over a file read: the positions first, before compiling.
    let output = args.output.as_deref();
    super::refuse_output_over(output, std::iter::once(args.position.as_str()).chain(args.against.as_deref()), "the output")?;
    let shown = match compile(&args.position, day, out)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let other = match &args.against {
        Some(path) => match compile(path, day, out)? {
            Ok(c) => Some(c),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    // Nor over a file they extend or import.
    super::refuse_output_over(output, shown.files.iter().chain(other.iter().flat_map(|o| &o.files)).map(String::as_str), "the output")?;
    let position = Position { program: &shown.program, bases: &shown.bases };
    let rendered = match &other {
        None => {
            let r = report::position_report(position);
            match args.format {
                Format::Text => report::text(&r, width()),
                Format::Markdown => report::markdown(&r),
                Format::Json => serde_json::to_string_pretty(&r).map_err(|e| Usage(format!("cannot write JSON: {e}")))? + "\n",
            }
        }
        Some(other) => {
            if other.program.position_name() == shown.program.position_name() {
                return Err(Usage(format!(
                    "`{}` and `{}` are both the position `{}`; show it against another position",
                    args.position,
                    args.against.as_deref().unwrap_or_default(),
                    shown.program.position_name()
                )));
            }
            let r = report::against(position, Position { program: &other.program, bases: &other.bases });
            match args.format {
                Format::Text => report::against_text(&r, width()),
                Format::Markdown => report::against_markdown(&r),
                Format::Json => serde_json::to_string_pretty(&r).map_err(|e| Usage(format!("cannot write JSON: {e}")))? + "\n",
            }
        }
    };
    super::write_output(args.output.as_deref(), &rendered, "the output", out)
}
