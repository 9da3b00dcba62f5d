//! The standard library, embedded in the binary from `stdlib-rules/`.
//!
//! Its modules are imported as `stdlib.<file stem>` from any directory.

use include_dir::{include_dir, Dir};

static STDLIB: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/stdlib-rules");

/// The prefix of standard library module names.
pub const PREFIX: &str = "stdlib.";

/// The text of the standard library module `name` (such as `stdlib.attribution`).
pub fn module(name: &str) -> Option<&'static str> {
    let stem = name.strip_prefix(PREFIX)?;
    STDLIB.get_file(format!("{}.norm", stem.replace('.', "/")))?.contents_utf8()
}

/// The names of every standard library module, sorted.
pub fn modules() -> Vec<String> {
    let mut names = Vec::new();
    collect(&STDLIB, &mut names);
    names.sort();
    names
}

fn collect(dir: &Dir<'_>, out: &mut Vec<String>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy();
        if let Some(stem) = path.strip_suffix(".norm") {
            out.push(format!("{PREFIX}{}", stem.replace(['/', '\\'], ".")));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The name shown in diagnostics for a standard library module.
pub fn display_name(name: &str) -> String {
    format!("<stdlib>/{}.norm", name.strip_prefix(PREFIX).unwrap_or(name).replace('.', "/"))
}
