//! The real binary, run as a user runs it: from the crate's root, without
//! colour, with the embedded standard library.

use std::process::{Command, Output};

/// Runs `opinio` with these arguments and these environment variables
/// (`COLUMNS` is removed unless given).
pub fn opinio_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opinio"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env_remove("OPINIO_STDLIB").env_remove("COLUMNS");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

/// Runs `opinio` with these arguments.
pub fn opinio(args: &[&str]) -> Output {
    opinio_with(args, &[])
}

/// Bytes of an output, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}
