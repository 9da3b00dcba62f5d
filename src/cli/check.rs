//! `opinio check FILE...`

use std::process::ExitCode;

use opinio::diagnostics::has_errors;

use super::{Output, Usage};

/// Check `.norm` files and report every problem.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The `.norm` files to check; each is compiled with everything it imports. A test
    /// file (`*.test.norm`) is checked with the norms and incidents it names, without running.
    #[arg(required = true)]
    files: Vec<String>,
    /// Print the compiled program (IR) as JSON on standard output (indented, except
    /// that values nested more than 32 levels deep are written on one line).
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
            let plan = opinio::testing::plan(
                std::path::Path::new(path),
                &opinio::testing::Options { stdlib: out.stdlib.clone(), ..Default::default() },
            );
            for p in plan.problems() {
                out.diagnostics(&p.diagnostics, &p.sources);
                failed |= has_errors(&p.diagnostics);
            }
            continue;
        }
        let (compiled, checked) = opinio::io::compile_file_keeping(path, out.stdlib.as_ref(), None);
        out.diagnostics(&compiled.diagnostics, &compiled.sources);
        if has_errors(&compiled.diagnostics) {
            failed = true;
        } else if let (true, Some(program)) = (args.emit_ir, &compiled.program) {
            match ir_json(program) {
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
        // `check` exits once its files are checked: freeing the program and
        // its syntax trees would add a tenth to the time of a large theory,
        // and give back nothing that the end of the process does not.
        std::mem::forget((compiled, checked));
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// How many levels of nesting `--emit-ir` indents. Deeper values (long
/// chains of `and`, `or` or arithmetic) are written compactly: indenting
/// every level would make the output quadratic in the depth (a rule of 8,000
/// terms gave 900 MB). The shipped programs nest about 17 levels deep.
const IR_INDENTED_LEVELS: usize = 32;

/// The program as JSON: indented as `serde_json::to_string_pretty` does, to
/// `IR_INDENTED_LEVELS`, compact below; so its size is linear in the program's.
fn ir_json(program: &opinio::ir::Program) -> Result<String, serde_json::Error> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, IndentedToDepth::default());
    serde::Serialize::serialize(program, &mut serializer)?;
    // serde_json writes only valid UTF-8.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// serde_json's pretty formatter (two spaces) for the first
/// `IR_INDENTED_LEVELS` levels, its compact one below.
#[derive(Default)]
struct IndentedToDepth {
    /// The number of arrays and objects open.
    depth: usize,
    /// Whether the innermost open array or object has a value yet.
    has_value: bool,
}

impl IndentedToDepth {
    fn indented(&self) -> bool {
        self.depth <= IR_INDENTED_LEVELS
    }

    fn newline<W: ?Sized + std::io::Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !self.indented() {
            return writer.write_all(if first { &b""[..] } else { b"," });
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let indented = self.indented();
        self.depth -= 1;
        if indented && self.has_value {
            writer.write_all(b"\n")?;
            for _ in 0..self.depth {
                writer.write_all(b"  ")?;
            }
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for IndentedToDepth {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.newline(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.newline(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(if self.indented() { &b": "[..] } else { b":" })
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
