//! `opinio lint [PATH...]`

use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use opinio::io::{FsLoader, StdlibDirLoader};
use opinio::lint::Input;
use opinio::resolve::Loader;
use opinio::source::SourceMap;

use super::{read, Output, Usage};

/// Legal lints of norms.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `.norm` files (positions or modules) and directories (every `.norm` file under them,
    /// test files left out, sorted). None: the standard library (as `--stdlib` gives it).
    paths: Vec<String>,
    /// `text`: the findings as diagnostics on standard error (in the form `--error-format`
    /// chooses) and a summary line on standard output; `json`: one JSON document on
    /// standard output, every finding with its answer (docs/lint-json.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show the findings that a `# lint allow` comment answers too, with their reasons.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Diagnostics and a summary line.
    Text,
    /// One JSON document.
    Json,
}

/// The `.norm` files named: files as given, directories searched (skipping
/// hidden directories, `target` and test files), sorted; each once.
fn norm_files(paths: &[String]) -> Result<Vec<String>, Usage> {
    let mut out: Vec<String> = Vec::new();
    for p in paths {
        let path = Path::new(p);
        let found = if path.is_dir() {
            let found = opinio::io::files_under(path, |name| name.ends_with(".norm") && !name.ends_with(".test.norm"))
                .map_err(|e| Usage(format!("cannot read the directory `{p}`: {e}")))?;
            if found.is_empty() {
                return Err(Usage(format!("no `.norm` file under `{p}`")));
            }
            found.iter().map(|f| f.display().to_string()).collect()
        } else if p.ends_with(".test.norm") {
            return Err(Usage(format!("`{p}` is a test file; `opinio lint` takes files of norms (`opinio check` checks a test file)")));
        } else if !p.ends_with(".norm") {
            return Err(Usage(format!("`{p}` is neither a `.norm` file nor a directory")));
        } else {
            vec![p.clone()]
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let mut failed = false;
    let inputs = if args.paths.is_empty() {
        vec![Input::Stdlib]
    } else {
        let mut inputs = Vec::new();
        for name in norm_files(&args.paths)? {
            let mut sources = SourceMap::new();
            match read(&name, &mut sources) {
                Ok(text) => inputs.push(Input::File { name, text }),
                Err(d) => {
                    out.diagnostics(&[d], &sources);
                    failed = true;
                }
            }
        }
        inputs
    };
    let mut fs = FsLoader;
    let mut dir;
    let loader: &mut dyn Loader = match &out.stdlib {
        Some(stdlib) => {
            dir = StdlibDirLoader(stdlib);
            &mut dir
        }
        None => &mut fs,
    };
    let report = opinio::lint::lint(&inputs, loader);
    failed |= !report.passes();
    out.diagnostics(&report.problems, &report.sources);
    let written = match args.format {
        Format::Text => {
            let shown: Vec<_> = report.findings.iter().filter(|f| args.all || f.answer.is_none()).map(opinio::lint::shown).collect();
            out.diagnostics(&shown, &report.sources);
            super::emit(&opinio::reports::lint::summary_text(&report, args.all))
        }
        Format::Json => match serde_json::to_string_pretty(&opinio::reports::lint::lint_json(&report)) {
            Ok(json) => super::emit(&(json + "\n")),
            Err(e) => Err(std::io::Error::other(e)),
        },
    };
    if let Err(e) = written {
        eprintln!("error: cannot write the findings: {e}");
        failed = true;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
