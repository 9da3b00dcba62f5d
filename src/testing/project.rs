//! The project file, `opinio.toml`: where `opinio test` looks for test files.
//!
//! ```toml
//! [test]
//! roots = ["examples/tests"]   # run when `opinio test` names no path
//! exclude = ["tests/cases"]    # skipped when a directory is searched
//!
//! [stdlib]
//! path = "vocabulary"          # the standard library's modules, read first
//! ```
//!
//! It is found in the current directory or the nearest directory above it
//! that has one; its paths are relative to its own directory, and each must
//! exist. A file or directory under an `exclude` entry is skipped when a
//! directory is searched for test files; a test file named on the command
//! line always runs. Without `roots`, `opinio test` searches the project's
//! directory. A project file that is not valid TOML, has an unknown
//! setting, or names a path that does not exist is an error (E0808). Every
//! command reads `[stdlib] path` unless `--stdlib` or `OPINIO_STDLIB` names
//! a directory (see [`crate::io::StdlibDir`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{normalize, Problem};
use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap, Span};

/// The name of the project file.
pub const FILE_NAME: &str = "opinio.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    #[serde(default)]
    test: TestSettings,
    #[serde(default)]
    stdlib: StdlibSettings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StdlibSettings {
    #[serde(default)]
    path: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestSettings {
    #[serde(default)]
    roots: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// A project file, read.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project file, relative to the current directory.
    pub path: PathBuf,
    /// What `opinio test` runs when no path is named, relative to the
    /// current directory.
    pub roots: Vec<PathBuf>,
    /// The files and directories skipped by a search, as the file system
    /// names them (canonical paths).
    exclude: Vec<PathBuf>,
    /// The directory of standard library modules (`[stdlib] path`), relative
    /// to the current directory.
    pub stdlib: Option<crate::io::StdlibDir>,
}

impl Project {
    /// The project file of the current directory or of the nearest directory
    /// above it, read; `None` when there is none.
    pub fn find() -> Result<Option<Project>, Problem> {
        let Ok(here) = std::env::current_dir() else { return Ok(None) };
        let mut up = PathBuf::new();
        for dir in here.ancestors() {
            if dir.join(FILE_NAME).is_file() {
                return Project::load(&up.join(FILE_NAME)).map(Some);
            }
            up.push("..");
        }
        Ok(None)
    }

    /// Reads a project file (its path relative to the current directory).
    pub fn load(path: &Path) -> Result<Project, Problem> {
        let shown = normalize(path);
        let name = shown.display().to_string();
        let mut sources = SourceMap::new();
        let text = crate::io::read(&name, &mut sources).map_err(|d| Problem { diagnostics: vec![d], sources: sources.clone() })?;
        let file = sources.add(name.clone(), text.clone());
        let fail = |diagnostics: Vec<Diagnostic>, sources: &SourceMap| Problem { diagnostics, sources: sources.clone() };
        let parsed: ProjectFile = toml::from_str(&text).map_err(|e| {
            let span = e.span().map_or(Span::new(file, 0, 0), |r| Span::new(file, r.start, r.end));
            let d = Diagnostic::new(&codes::PROJECT_FILE, span, format!("the project file `{name}` is not valid: {}", e.message().trim_end()))
                .label("not valid here")
                .help("a project file has two tables: `[test]`, with `roots` and `exclude`, each a list of paths relative to it, and `[stdlib]`, with `path` (docs/language.md, section \"The project file\")");
            fail(vec![d], &sources)
        })?;
        let dir = shown.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut problems = Vec::new();
        let mut paths = |entries: &[Spanned<String>], what: &str| -> Vec<PathBuf> {
            let mut out = Vec::new();
            for entry in entries {
                let path = normalize(&dir.join(entry.get_ref()));
                if path.exists() {
                    out.push(path);
                } else {
                    problems.push(missing(file, entry, what));
                }
            }
            out
        };
        let roots = paths(&parsed.test.roots, "roots");
        let exclude = paths(&parsed.test.exclude, "exclude");
        let mut stdlib = None;
        if let Some(entry) = &parsed.stdlib.path {
            let path = normalize(&dir.join(entry.get_ref()));
            match crate::io::StdlibDir::open(&path) {
                Ok(d) => stdlib = Some(d),
                Err(why) => {
                    let span = entry.span();
                    problems.push(
                        Diagnostic::new(
                            &codes::PROJECT_FILE,
                            Span::new(file, span.start, span.end),
                            format!("the standard library directory `{}` cannot be used: {why}", entry.get_ref()),
                        )
                        .label("in `[stdlib] path`")
                        .help("name a directory of `.norm` files, relative to the project file; a module it lacks is the embedded one"),
                    );
                }
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems, &sources));
        }
        let roots = if roots.is_empty() && parsed.test.roots.is_empty() { vec![dir_or_here(&dir)] } else { roots };
        let exclude = exclude.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
        Ok(Project { path: shown, roots, exclude, stdlib })
    }

    /// Whether a search skips this file (it is under an `exclude` entry).
    pub fn excludes(&self, file: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        self.exclude.iter().any(|e| file.starts_with(e))
    }
}

fn missing(file: FileId, entry: &Spanned<String>, what: &str) -> Diagnostic {
    let span = entry.span();
    Diagnostic::new(
        &codes::PROJECT_FILE,
        Span::new(file, span.start, span.end),
        format!("`{}` in `{what}` does not exist", entry.get_ref()),
    )
    .label("no such file or directory")
    .help("paths in the project file are relative to its directory")
}

fn dir_or_here(dir: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    }
}
