//! `opinio fmt [--check] PATH...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use opinio::source::{SourceMap, Span};
use opinio::syntax::{format, Grammar};

use super::{read, Output, Usage};

/// Lay out `.norm` and test files in the canonical form.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, or directories searched for `.norm` files (test files included).
    #[arg(required = true)]
    paths: Vec<String>,
    /// Write nothing: list the files that would change, and exit with 1 if any would.
    #[arg(long)]
    check: bool,
}

/// The `.norm` files named: files as given, directories searched (skipping
/// hidden directories and `target`), sorted.
fn norm_files(paths: &[String]) -> Result<Vec<PathBuf>, Usage> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if !path.is_dir() {
            if !path.exists() {
                return Err(Usage(format!("no such file or directory: `{p}`")));
            }
            out.push(path.to_path_buf());
            continue;
        }
        let found = opinio::io::files_under(path, |name| name.ends_with(".norm"))
            .map_err(|e| Usage(format!("cannot read the directory `{p}`: {e}")))?;
        if found.is_empty() {
            return Err(Usage(format!("no `.norm` file under `{p}`")));
        }
        out.extend(found);
    }
    Ok(out)
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let files = norm_files(&args.paths)?;
    let mut failed = false;
    let mut changed = Vec::new();
    for f in &files {
        let name = f.display().to_string();
        let mut sources = SourceMap::new();
        let text = match read(&name, &mut sources) {
            Ok(t) => t,
            Err(d) => {
                out.diagnostics(&[d], &sources);
                failed = true;
                continue;
            }
        };
        let id = sources.add(name.clone(), text.clone());
        let formatted = match format(id, &text, Grammar::for_path(f)) {
            Ok(t) => t,
            Err(ds) => {
                out.diagnostics(&ds, &sources);
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if !args.check {
            // A file that cannot be written is reported and left as it
            // was; the other files are formatted all the same.
            if let Err(e) = opinio::io::write_atomically(f, &formatted) {
                out.diagnostics(&[opinio::io::cannot_write(&format!("`{name}`"), &e, Span::new(id, 0, 0))], &sources);
                failed = true;
                continue;
            }
        }
        changed.push(name);
    }
    let mut report = String::new();
    for name in &changed {
        report.push_str(&format!("{} {name}\n", if args.check { "would reformat" } else { "reformatted" }));
    }
    super::emit(&report).map_err(|e| Usage(format!("cannot write the result: {e}")))?;
    Ok(if failed || (args.check && !changed.is_empty()) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
