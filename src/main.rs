//! The `opinio` command line.

// Diagnostics are rich data returned by value.
#![allow(clippy::result_large_err)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
