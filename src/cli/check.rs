//! `opinio check FILE...`

use std::process::ExitCode;

use opinio::diagnostic::has_errors;
use opinio::io::FsLoader;
use opinio::source::SourceMap;

use super::{read, Output, Usage};

/// Check `.norm` files and report every problem.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The `.norm` files to check; each is compiled with everything it imports. A test
    /// file (`*.test.norm`) is checked with the norms and incidents it names, without running.
    #[arg(required = true)]
    files: Vec<String>,
    /// Print the compiled program (IR) as JSON on standard output.
    #[arg(long)]
    emit_ir: bool,
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    if args.emit_ir && args.files.len() != 1 {
        return Err(Usage("`--emit-ir` takes exactly one file".into()));
    }
    let mut failed = false;
    for path in &args.files {
        if path.ends_with(".test.norm") {
            if args.emit_ir {
                return Err(Usage(format!("`{path}` is a test file; `--emit-ir` takes a `.norm` file")));
            }
            // A test file: its declarations, the norms it names and its
            // expectations, checked without running a case.
            let plan = opinio::testing::plan(std::path::Path::new(path), &opinio::testing::Options::default());
            for p in plan.problems() {
                out.diagnostics(&p.diagnostics, &p.sources);
                failed |= has_errors(&p.diagnostics);
            }
            continue;
        }
        let mut sources = SourceMap::new();
        let text = match read(path, &mut sources) {
            Ok(t) => t,
            Err(d) => {
                out.diagnostics(&[d], &sources);
                failed = true;
                continue;
            }
        };
        let compiled = opinio::compile(path, &text, &mut FsLoader);
        out.diagnostics(&compiled.diagnostics, &compiled.sources);
        if has_errors(&compiled.diagnostics) {
            failed = true;
            continue;
        }
        if let (true, Some(program)) = (args.emit_ir, &compiled.program) {
            match serde_json::to_string_pretty(program) {
                Ok(json) => {
                    if let Err(e) = super::emit(&(json + "\n")) {
                        eprintln!("error: cannot write the program: {e}");
                        failed = true;
                    }
                }
                Err(e) => {
                    eprintln!("error: cannot serialise the program: {e}");
                    failed = true;
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
