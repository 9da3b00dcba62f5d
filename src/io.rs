//! The edge: reading files. The phases themselves do no IO.

use std::path::{Path, PathBuf};

use crate::diagnostics::codes;
use crate::diagnostics::Diagnostic;
use crate::resolve::{LoadError, Loader, ModuleSource};
use crate::source::{SourceMap, Span};
use crate::stdlib;

/// Loads imported modules from the embedded standard library (`stdlib.*`)
/// and from files next to the importing file (`a.b` is `a/b.norm`).
#[derive(Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        load_from(None, name, importer)
    }

    fn load_path(&mut self, path: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        load_file(path, importer)
    }
}

/// Loads as [`FsLoader`] does, with the standard library read from a
/// directory first (see [`StdlibDir`]).
#[derive(Debug)]
pub struct StdlibDirLoader<'a>(pub &'a StdlibDir);

impl Loader for StdlibDirLoader<'_> {
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        load_from(Some(self.0), name, importer)
    }

    fn load_path(&mut self, path: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        load_file(path, importer)
    }

    fn stdlib_modules(&self) -> Vec<String> {
        self.0.modules()
    }
}

/// A directory of standard library modules, read instead of the embedded
/// ones (`--stdlib DIR`, the environment variable `OPINIO_STDLIB`, or
/// `[stdlib] path` in the project file): `DIR/attribution.norm` is
/// `stdlib.attribution`, `DIR/a/b.norm` is `stdlib.a.b`. A module the
/// directory holds replaces the embedded module of its name; a module it
/// lacks is the embedded one; a module it adds joins the standard library
/// (`extends stdlib` builds on it too). Files whose names are not module
/// names (`my-notes.norm`) and test files (`*.test.norm`) are left out.
#[derive(Debug, Clone)]
pub struct StdlibDir {
    dir: PathBuf,
    /// The modules found in the directory, by name, with their files.
    found: std::collections::BTreeMap<String, PathBuf>,
}

impl StdlibDir {
    /// Lists the modules of a directory; the error says why it cannot be
    /// used (it does not exist, is not a directory, cannot be read).
    pub fn open(dir: &Path) -> Result<StdlibDir, String> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err("it is not a directory".into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no such directory".into()),
            Err(e) => return Err(e.to_string()),
        }
        let files = files_under(dir, |n| n.ends_with(".norm") && !n.ends_with(".test.norm")).map_err(|e| e.to_string())?;
        let mut found = std::collections::BTreeMap::new();
        for file in files {
            let Ok(rel) = file.strip_prefix(dir) else { continue };
            let Some(stem) = rel.to_str().and_then(|r| r.strip_suffix(".norm")) else { continue };
            let parts: Vec<&str> = stem.split(['/', '\\']).collect();
            if parts.iter().all(|p| is_module_name(p)) {
                found.insert(format!("{}{}", stdlib::PREFIX, parts.join(".")), file);
            }
        }
        Ok(StdlibDir { dir: dir.to_path_buf(), found })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The names of the standard library's modules, sorted: those of the
    /// directory and the embedded ones.
    pub fn modules(&self) -> Vec<String> {
        let mut names = stdlib::modules();
        names.extend(self.found.keys().cloned());
        names.sort();
        names.dedup();
        names
    }

    /// Whether a file, as a loader shows it, is one of the directory's modules.
    fn holds(&self, shown: &str) -> bool {
        self.found.values().any(|f| f.display().to_string() == shown)
    }
}

/// A name a module of the standard library may have: a letter or `_`, then
/// letters, digits and `_`.
fn is_module_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The module `name` imported by `importer`: from the standard library
/// (the directory first, if any), else next to the importer.
fn load_from(dir: Option<&StdlibDir>, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
    let known = || dir.map_or_else(stdlib::modules, StdlibDir::modules);
    if name.starts_with(stdlib::PREFIX) {
        if let Some(file) = dir.and_then(|d| d.found.get(name)) {
            return match std::fs::read_to_string(file) {
                Ok(text) => Ok(ModuleSource { display_name: file.display().to_string(), text }),
                Err(e) => Err(LoadError::Unreadable(e.to_string())),
            };
        }
        return match stdlib::module(name) {
            Some(text) => Ok(ModuleSource { display_name: stdlib::display_name(name), text: text.to_string() }),
            None => Err(LoadError::NotFound { tried: vec![stdlib::display_name(name)], known: known() }),
        };
    }
    // The standard library imports only its own modules.
    if importer.starts_with("<stdlib>") || dir.is_some_and(|d| d.holds(importer)) {
        return Err(LoadError::NotFound { tried: vec![stdlib::display_name(name)], known: known() });
    }
    let dir_of = Path::new(importer).parent().map(Path::to_path_buf).unwrap_or_default();
    let path: PathBuf = dir_of.join(format!("{}.norm", name.replace('.', "/")));
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(ModuleSource { display_name: path.display().to_string(), text }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut known = known();
            known.extend(sibling_modules(&dir_of));
            Err(LoadError::NotFound { tried: vec![path.display().to_string()], known })
        }
        Err(e) => Err(LoadError::Unreadable(e.to_string())),
    }
}

/// The file `path` names, relative to the directory of `importer` (for
/// `extends "path"`), shown with `dir/..` and `.` removed.
fn load_file(path: &str, importer: &str) -> Result<ModuleSource, LoadError> {
    let dir = Path::new(importer).parent().map(Path::to_path_buf).unwrap_or_default();
    let file = crate::source::normalize(&dir.join(path));
    let shown = file.display().to_string();
    match std::fs::read_to_string(&file) {
        Ok(text) => Ok(ModuleSource { display_name: shown, text }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(LoadError::NotFound { tried: vec![shown], known: Vec::new() }),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(LoadError::Unreadable("not UTF-8 text".into())),
        Err(_) if file.is_dir() => Err(LoadError::Unreadable("it is a directory".into())),
        Err(e) => Err(LoadError::Unreadable(e.to_string())),
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

/// Writes a file through a temporary file in the same directory, synced and
/// renamed into place, so that an interrupted run never leaves a truncated
/// file. A symbolic link is written through: the file it points to is
/// replaced and the link kept. An existing file keeps its permissions; a
/// read-only file, or anything that is not a regular file, is refused
/// (`PermissionDenied`, `InvalidInput`). On any failure the temporary file is
/// removed and the target is left as it was.
pub fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = AtomicFile::create(target)?;
    file.write_all(text.as_bytes())?;
    file.commit()
}

/// A file written in pieces and put in place whole, as
/// [`write_atomically`] does: the pieces go to a temporary file next to the
/// target, which [`AtomicFile::commit`] renames over it. Dropped without a
/// commit (an error, an interruption), the temporary file is removed and the
/// target is left as it was.
pub struct AtomicFile {
    real: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    existing: Option<std::fs::Metadata>,
}

impl AtomicFile {
    /// Starts writing `target` (see [`write_atomically`] for links and
    /// permissions).
    pub fn create(target: &Path) -> std::io::Result<AtomicFile> {
        use std::io::{Error, ErrorKind};
        let real = through_links(target)?;
        let existing = match std::fs::metadata(&real) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Some(m) = &existing {
            if !m.is_file() {
                return Err(Error::new(ErrorKind::InvalidInput, "it is not a regular file"));
            }
            if m.permissions().readonly() {
                return Err(Error::new(ErrorKind::PermissionDenied, "the file is read-only"));
            }
        }
        let (tmp, file) = temporary_next_to(&real, existing.is_some())?;
        Ok(AtomicFile { real, tmp, file: Some(std::io::BufWriter::new(file)), existing })
    }

    /// Puts the file in place: flushed, synced, given the replaced file's
    /// owner and permissions, and renamed over the target.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(writer) = self.file.take() else { return Ok(()) };
        let result = (|| {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            if let Some(m) = &self.existing {
                keep_owner(&file, m);
                file.set_permissions(m.permissions())?;
            }
            file.sync_all()?;
            drop(file);
            std::fs::rename(&self.tmp, &self.real)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("the file is already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The file a path names, symbolic links followed; the path itself when it
/// does not exist yet. A link to nothing is refused: writing would create a
/// file where the link points, which nobody asked for.
fn through_links(target: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                std::io::Error::new(std::io::ErrorKind::NotFound, "it is a symbolic link to a file that does not exist")
            } else {
                e
            }
        }),
        Ok(_) => Ok(target.to_path_buf()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(target.to_path_buf()),
        Err(e) => Err(e),
    }
}

/// A new temporary file next to `target`: `.NAME.opinio-PID.tmp` (with a
/// counter when that name is taken). When it is to replace a file, it is
/// readable by its owner alone until that file's permissions are copied onto
/// it; a new file gets the usual permissions.
fn temporary_next_to(target: &Path, replaces: bool) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "output".into());
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let tmp = if attempt == 0 {
            dir.join(format!(".{name}.opinio-{pid}{TEMPORARY_SUFFIX}"))
        } else {
            dir.join(format!(".{name}.opinio-{pid}-{attempt}{TEMPORARY_SUFFIX}"))
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if replaces {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = replaces;
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// What the name of a temporary file of [`write_atomically`] ends with.
pub const TEMPORARY_SUFFIX: &str = ".tmp";

/// Whether a file name is that of a temporary file of [`write_atomically`]
/// (`.NAME.opinio-PID.tmp`), left behind by a run that was killed.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX) && name.contains(".opinio-")
}

/// Gives the new file the owner and group of the one it replaces, where the
/// system allows it (a file rewritten by its owner already has them).
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(new) = file.metadata() else { return };
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        // Only root may give a file away; anyone else keeps it, as an
        // editor saving the file would.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) {}

/// The diagnostic for a file that cannot be written (E0701): `what` names it
/// (`the golden file `x``), `span` is where it was asked for.
pub fn cannot_write(what: &str, e: &std::io::Error, span: Span) -> Diagnostic {
    use std::io::ErrorKind;
    let help = match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "free some disk space and run again: the file was left as it was",
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "make the file and its directory writable, or leave it: the file was left as it was"
        }
        _ => "the file was left as it was",
    };
    Diagnostic::new(&codes::UNREADABLE, span, format!("cannot write {what}: {e}")).label("not written").help(help)
}

/// Reads and compiles a `.norm` file with everything it imports or extends
/// (from the file system and the embedded standard library). A file that
/// cannot be read gives a compilation without a program whose one
/// diagnostic says why.
pub fn compile_file(path: &str) -> crate::Compiled {
    compile_file_with(path, None)
}

/// Reads and compiles a `.norm` file as [`compile_file`] does, with the
/// standard library read from `stdlib` first, if given.
pub fn compile_file_with(path: &str, stdlib: Option<&StdlibDir>) -> crate::Compiled {
    compile_file_as_of(path, stdlib, None)
}

/// Reads and compiles a `.norm` file as [`compile_file_with`] does, with its
/// positions as they stood on the day `as_of` (days from 1970-01-01).
pub fn compile_file_as_of(path: &str, stdlib: Option<&StdlibDir>, as_of: Option<i32>) -> crate::Compiled {
    compile_file_keeping(path, stdlib, as_of).0
}

/// Reads and compiles a `.norm` file as [`compile_file_as_of`] does, and
/// hands back the checked program too, as [`crate::compile_keeping`] does.
pub fn compile_file_keeping(
    path: &str,
    stdlib: Option<&StdlibDir>,
    as_of: Option<i32>,
) -> (crate::Compiled, Option<crate::check::Checked>) {
    let mut sources = SourceMap::new();
    match read(path, &mut sources) {
        Ok(text) => match stdlib {
            Some(dir) => crate::compile_keeping(path, &text, &mut StdlibDirLoader(dir), as_of),
            None => crate::compile_keeping(path, &text, &mut FsLoader, as_of),
        },
        Err(d) => (crate::Compiled { sources, program: None, diagnostics: vec![d], rule_spans: Vec::new() }, None),
    }
}

/// A position file compiled as [`compile_file_as_of`] compiles it, and its
/// bases compiled apart, as of the same day, with the same standard
/// library: what the position extends, what that extends, and so on to the
/// standard library, nearest first, each with the name of its entry (a
/// path, or [`crate::lint::STDLIB_NAME`]). Each is the program a position
/// of the chain changes (see [`crate::lint::base_entry`]). The bases are
/// none for a module or a file that does not compile, and stop at the first
/// that does not compile on its own.
pub fn compile_file_and_bases(
    path: &str,
    stdlib: Option<&StdlibDir>,
    as_of: Option<i32>,
) -> (crate::Compiled, Vec<(String, crate::Compiled)>) {
    let (compiled, checked) = compile_file_keeping(path, stdlib, as_of);
    let bases = match (checked, stdlib) {
        (None, _) => Vec::new(),
        (Some(checked), Some(dir)) => bases_of(checked, &compiled.sources, &mut StdlibDirLoader(dir), as_of),
        (Some(checked), None) => bases_of(checked, &compiled.sources, &mut FsLoader, as_of),
    };
    (compiled, bases)
}

/// The bases of a checked position, nearest first, compiled apart with `loader`.
fn bases_of(
    mut checked: crate::check::Checked,
    sources: &SourceMap,
    loader: &mut dyn Loader,
    as_of: Option<i32>,
) -> Vec<(String, crate::Compiled)> {
    let mut out: Vec<(String, crate::Compiled)> = Vec::new();
    let mut sources = sources.clone();
    // A chain is as long as the positions that extend each other, which
    // cannot form a cycle; the bound only guards against a loader that
    // gives another file each time.
    while out.len() < 64 {
        let Some((name, text)) = crate::lint::base_entry(&checked, &sources, loader) else { break };
        let (compiled, next) = crate::compile_keeping(&name, &text, loader, as_of);
        let Some(next) = next.filter(|_| compiled.program.is_some()) else { break };
        sources = compiled.sources.clone();
        checked = next;
        out.push((name, compiled));
    }
    out
}

/// The diagnostic for a standard library directory that cannot be used
/// (E0702): `origin` says where it was named (`--stdlib`, `OPINIO_STDLIB`).
pub fn unusable_stdlib(dir: &Path, origin: &str, why: &str, sources: &mut SourceMap) -> Diagnostic {
    let shown = dir.display().to_string();
    let file = sources.add(shown.clone(), "");
    Diagnostic::new(&codes::STDLIB_DIR, Span::new(file, 0, 0), format!("the standard library directory `{shown}` named by {origin} cannot be used: {why}"))
        .label("not a directory of modules")
        .help("name a directory of `.norm` files, one per module (`attribution.norm` is `stdlib.attribution`); a module it lacks is the embedded one")
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
