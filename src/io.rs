//! The edge: reading files. The phases themselves do no IO.

use std::path::{Path, PathBuf};

use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::resolve::{LoadError, Loader, ModuleSource};
use crate::source::{SourceMap, Span};
use crate::stdlib;

/// Loads imported modules from the embedded standard library (`stdlib.*`)
/// and from files next to the importing file (`a.b` is `a/b.norm`).
#[derive(Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        if name.starts_with(stdlib::PREFIX) {
            return match stdlib::module(name) {
                Some(text) => Ok(ModuleSource { display_name: stdlib::display_name(name), text: text.to_string() }),
                None => Err(LoadError::NotFound { tried: vec![stdlib::display_name(name)], known: stdlib::modules() }),
            };
        }
        if importer.starts_with("<stdlib>") {
            return Err(LoadError::NotFound { tried: vec![stdlib::display_name(name)], known: stdlib::modules() });
        }
        let dir = Path::new(importer).parent().map(Path::to_path_buf).unwrap_or_default();
        let path: PathBuf = dir.join(format!("{}.norm", name.replace('.', "/")));
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(ModuleSource { display_name: path.display().to_string(), text }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut known = stdlib::modules();
                known.extend(sibling_modules(&dir));
                Err(LoadError::NotFound { tried: vec![path.display().to_string()], known })
            }
            Err(e) => Err(LoadError::Unreadable(e.to_string())),
        }
    }
}

/// Module names of the `.norm` files in a directory.
fn sibling_modules(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).filter_map(|e| e.path().file_name()?.to_str()?.strip_suffix(".norm").map(str::to_string)).collect();
    names.sort();
    names
}

/// Writes a file through a temporary file in the same directory, renamed into
/// place, so that an interrupted run never leaves a truncated file.
pub fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.opinio-{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Reads a file, or returns the diagnostic (the file is added to `sources`,
/// empty, for the diagnostic to point at). Paths are relative to the current
/// directory.
pub fn read(path: &str, sources: &mut SourceMap) -> Result<String, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) => {
            let file = sources.add(path, "");
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                _ => e.to_string(),
            };
            Err(Diagnostic::new(&codes::UNREADABLE, Span::new(file, 0, 0), format!("cannot read `{path}`: {why}"))
                .label("unreadable")
                .help("check the path; paths are relative to the current directory"))
        }
    }
}

/// The files below a directory whose name `keep` accepts, skipping hidden
/// directories and `target`, sorted; names are relative to the directory as
/// given (`./x` is `x`). Symbolic links to directories are not followed (a
/// link to `..` would make the walk endless); a link to a file is kept
/// unless the file it points to is already among those found.
pub fn files_under(dir: &Path, keep: impl Fn(&str) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)?.flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    stack.push(p);
                }
            } else if keep(&name) && (kind.is_file() || (kind.is_symlink() && p.is_file())) {
                out.push(p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p));
            }
        }
    }
    out.sort();
    // The same file reached twice (through a link): the first name is kept.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}
