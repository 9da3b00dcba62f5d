//! Loading modules: the entry file, then every import, depth first.

use std::collections::HashMap;

use super::{Module, ModuleId, Resolved};
use crate::diagnostics::codes;
use crate::diagnostics::suggest;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};

/// The text of a module found by a [`Loader`].
#[derive(Debug, Clone)]
pub struct ModuleSource {
    /// The name shown in diagnostics (a path, or `<stdlib>/name.norm`).
    pub display_name: String,
    /// The text.
    pub text: String,
}

/// Why a module could not be loaded.
#[derive(Debug, Clone)]
pub enum LoadError {
    /// No file holds the module; `tried` lists where it was looked for and
    /// `known` the module names that do exist nearby, for suggestions.
    NotFound {
        /// Paths looked at.
        tried: Vec<String>,
        /// Module names that could be meant.
        known: Vec<String>,
    },
    /// The file exists but cannot be read.
    Unreadable(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound { tried, .. } => write!(f, "no module found; looked in {}", tried.join(", ")),
            LoadError::Unreadable(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Finds the text of an imported module. The core does no IO: the CLI and the
/// tests provide a loader (see [`crate::io::FsLoader`]).
pub trait Loader {
    /// The module `name`, imported by the file shown as `importer`.
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError>;

    /// The file at `path`, relative to the directory of the file shown as
    /// `importer` (for `extends "path/to/position.norm"`). The same file
    /// must be shown under the same name however it is reached. By default
    /// no file is found.
    fn load_path(&mut self, path: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        let _ = importer;
        Err(LoadError::NotFound { tried: vec![path.to_string()], known: Vec::new() })
    }

    /// The names of the standard library's modules, sorted: `extends
    /// stdlib` builds on every one. By default, the embedded ones.
    fn stdlib_modules(&self) -> Vec<String> {
        crate::stdlib::modules()
    }
}

/// How long a chain of imports (and bases of positions) may be: loading
/// recurses once per module of the chain.
pub const MAX_IMPORT_DEPTH: usize = 200;

struct LoadState<'a> {
    loader: &'a mut dyn Loader,
    /// Each module by name: `None` while it loads, or when it failed to.
    by_name: HashMap<String, Option<ModuleId>>,
    /// Each module by the file it was read from (as the loader shows it).
    by_file: HashMap<String, Option<ModuleId>>,
    /// The modules being loaded, outermost first, with where each was asked for.
    stack: Vec<(String, Span)>,
    /// The file of each module of `stack`, as the loader shows it (the entry
    /// file as named).
    files: Vec<String>,
}

impl LoadState<'_> {
    /// The cycle that loading `name` now would close (`a -> b -> a`), if any.
    fn cycle_to(&self, name: &str) -> Option<String> {
        let pos = self.stack.iter().position(|(n, _)| n == name)?;
        let mut cycle: Vec<&str> = self.stack[pos..].iter().map(|(n, _)| n.as_str()).collect();
        cycle.push(name);
        Some(cycle.join(" -> "))
    }

    /// The cycle that loading the file `file` again now would close, if it is
    /// being loaded.
    fn cycle_to_file(&self, file: &str) -> Option<String> {
        let pos = self.files.iter().position(|f| f == file)?;
        self.cycle_to(&self.stack[pos].0)
    }
}

pub(super) fn load_all(
    entry_name: &str,
    entry_text: &str,
    loader: &mut dyn Loader,
    resolved: &mut Resolved,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = resolved.sources.add(entry_name, entry_text);
    let mut state = LoadState { loader, by_name: HashMap::new(), by_file: HashMap::new(), stack: Vec::new(), files: Vec::new() };
    let Some(ast) = parse(file, entry_text, diagnostics) else { return };
    let name = match (&ast.module, &ast.position) {
        (Some(m), _) => m.name.name.clone(),
        (None, Some(p)) => p.name.name.clone(),
        (None, None) => stem(entry_name),
    };
    state.by_name.insert(name.clone(), None);
    state.stack.push((name.clone(), Span::new(file, 0, 0)));
    state.files.push(entry_name.to_string());
    state.by_file.insert(entry_name.to_string(), None);
    let (mut imports, base) = load_base(&ast, entry_name, &mut state, resolved, diagnostics);
    imports.extend(load_imports(&ast, entry_name, &mut state, resolved, diagnostics));
    state.files.pop();
    state.stack.pop();
    push_module(resolved, name, ast, imports, base);
}

/// Appends a loaded module, recording it as a position if it declares one
/// (`base`: the name of what it extends).
fn push_module(resolved: &mut Resolved, name: String, ast: ast::File, mut imports: Vec<ModuleId>, base: String) -> ModuleId {
    imports.sort_unstable();
    imports.dedup();
    let id = ModuleId::new(resolved.modules.len());
    if let Some(p) = &ast.position {
        resolved.positions.push(super::PositionDef {
            module: id,
            name: p.name.name.clone(),
            title: p.title.clone(),
            extends: base,
            cites: p.cites.iter().map(|c| c.text.clone()).collect(),
        });
    }
    resolved.modules.push(Module { name, ast, imports });
    id
}

/// Loads what a position extends; returns the modules it may use (every
/// standard library module for `extends stdlib`; else the base, a position
/// or a plain module, and everything the base may use) and the base's name.
fn load_base(
    ast: &ast::File,
    importer: &str,
    state: &mut LoadState<'_>,
    resolved: &mut Resolved,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<ModuleId>, String) {
    let Some(position) = &ast.position else { return (Vec::new(), String::new()) };
    let base = match &position.extends {
        ast::Base::Name(base) => base,
        ast::Base::Path(path) => {
            let Some(id) = load_file(path, importer, state, resolved, diagnostics) else {
                return (Vec::new(), path.text.clone());
            };
            let module = &resolved.modules[id];
            let mut visible = module.imports.clone();
            visible.push(id);
            return (visible, module.name.clone());
        }
    };
    if base.name == "stdlib" {
        let mut visible = Vec::new();
        for name in state.loader.stdlib_modules() {
            let path = ast::Ident { name: name.clone(), span: base.span };
            match state.by_name.get(&name) {
                Some(Some(id)) => visible.push(*id),
                Some(None) => {}
                None => visible.extend(load_module(&path, importer, false, state, resolved, diagnostics)),
            }
        }
        return (visible, base.name.clone());
    }
    if let Some(cycle) = state.cycle_to(&base.name) {
        diagnostics.push(overlay_cycle(&cycle, base.span));
        return (Vec::new(), base.name.clone());
    }
    let id = match state.by_name.get(&base.name) {
        Some(Some(id)) => *id,
        Some(None) => return (Vec::new(), base.name.clone()),
        None => match load_module(base, importer, true, state, resolved, diagnostics) {
            Some(id) => id,
            None => return (Vec::new(), base.name.clone()),
        },
    };
    let module = &resolved.modules[id];
    let mut visible = module.imports.clone();
    visible.push(id);
    (visible, base.name.clone())
}

fn overlay_cycle(cycle: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::OVERLAY_CYCLE, span, format!("positions extend each other in a cycle: {cycle}"))
        .label("this `extends` closes the cycle")
        .help("a position extends `stdlib` or a position that does not, in turn, extend it")
}

/// Loads the position file a position extends by path (`extends
/// "path/to/position.norm"`, relative to the extending file). The file must
/// be a `.norm` file that declares a position; it is loaded once, however
/// many positions extend it.
fn load_file(
    path: &ast::Citation,
    importer: &str,
    state: &mut LoadState<'_>,
    resolved: &mut Resolved,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ModuleId> {
    if state.stack.len() >= MAX_IMPORT_DEPTH {
        diagnostics.push(too_deep(state, &path.text, path.span));
        return None;
    }
    if !path.text.ends_with(".norm") || path.text.ends_with(".test.norm") {
        diagnostics.push(
            Diagnostic::new(&codes::EXTENDS_PATH, path.span, format!("`extends` names `{}`, which is not a file of norms", path.text))
                .label("not a `.norm` file")
                .help("a position extends a position file (`extends \"../positions/france.norm\"`), `stdlib`, or a position or module by name"),
        );
        return None;
    }
    let source = match state.loader.load_path(&path.text, importer) {
        Ok(source) => source,
        Err(LoadError::NotFound { tried, .. }) => {
            diagnostics.push(
                Diagnostic::new(&codes::UNKNOWN_MODULE, path.span, format!("cannot find the position file `{}`", path.text))
                    .label("no such file")
                    .help(format!(
                        "looked for {}; a path after `extends` is relative to the directory of the file that writes it",
                        tried.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                    )),
            );
            return None;
        }
        Err(LoadError::Unreadable(why)) => {
            diagnostics.push(
                Diagnostic::new(&codes::UNREADABLE, path.span, format!("cannot read the position file `{}`: {why}", path.text))
                    .label("extended here")
                    .help("check the file's permissions and encoding (UTF-8)"),
            );
            return None;
        }
    };
    // The same file, reached again (by another position, or another path to it).
    if let Some(&id) = state.by_file.get(&source.display_name) {
        if id.is_none() {
            if let Some(cycle) = state.cycle_to_file(&source.display_name) {
                diagnostics.push(overlay_cycle(&cycle, path.span));
            }
        }
        return id;
    }
    let file = resolved.sources.add(source.display_name.clone(), source.text.clone());
    let ast = parse(file, &source.text, diagnostics)?;
    let Some(position) = &ast.position else {
        let what = match &ast.module {
            Some(m) => format!("declares the module `{}`, not a position", m.name.name),
            None => "does not declare a position".to_string(),
        };
        let d = Diagnostic::new(&codes::EXTENDS_PATH, path.span, format!("`{}` {what}", source.display_name)).label("not a position file");
        let d = match &ast.module {
            Some(m) => d.also(m.name.span, "declared here").help(format!(
                "a position extends a module by name, found like an import (`extends {}`), or a position file by path",
                m.name.name
            )),
            None => d.help("a position file begins with `position NAME extends BASE`"),
        };
        diagnostics.push(d);
        return None;
    };
    let name = position.name.name.clone();
    // The file that a module of this name is being, or was, read from.
    let other = match state.stack.iter().position(|(n, _)| *n == name) {
        Some(at) => Some(state.files[at].clone()),
        None => match state.by_name.get(&name) {
            Some(Some(id)) => {
                let ast = &resolved.modules[*id].ast;
                let span = ast.position.as_ref().map(|p| p.name.span).or(ast.module.as_ref().map(|m| m.name.span));
                span.map(|s| resolved.sources.get(s.file).name.clone())
            }
            _ => None,
        },
    };
    let same_file =
        |a: &str, b: &str| crate::source::normalize(std::path::Path::new(a)) == crate::source::normalize(std::path::Path::new(b));
    if let Some(other) = other.filter(|o| !same_file(o, &source.display_name)) {
        diagnostics.push(
            Diagnostic::new(
                &codes::DUPLICATE,
                position.name.span,
                format!("the position `{name}` is declared twice: in `{other}` and in `{}`", source.display_name),
            )
            .label("declared again here")
            .also(path.span, "extended here")
            .help("give each position its own name"),
        );
        return None;
    }
    if let Some(cycle) = state.cycle_to(&name) {
        diagnostics.push(overlay_cycle(&cycle, path.span));
        return None;
    }
    match state.by_name.get(&name) {
        Some(Some(id)) => {
            // The file, loaded before by name or under another path.
            let id = *id;
            state.by_file.insert(source.display_name.clone(), Some(id));
            return Some(id);
        }
        Some(None) => return None,
        None => {}
    }
    state.by_name.insert(name.clone(), None);
    state.by_file.insert(source.display_name.clone(), None);
    state.stack.push((name.clone(), path.span));
    state.files.push(source.display_name.clone());
    let (mut imports, base) = load_base(&ast, &source.display_name, state, resolved, diagnostics);
    imports.extend(load_imports(&ast, &source.display_name, state, resolved, diagnostics));
    state.files.pop();
    state.stack.pop();
    let id = push_module(resolved, name.clone(), ast, imports, base);
    state.by_name.insert(name, Some(id));
    state.by_file.insert(source.display_name, Some(id));
    Some(id)
}

/// The diagnostic for a chain of imports and bases one module too long.
fn too_deep(state: &mut LoadState<'_>, name: &str, span: Span) -> Diagnostic {
    let outer = &state.stack[1.min(state.stack.len() - 1)];
    Diagnostic::new(
        &codes::TOO_DEEP,
        span,
        format!(
            "imports and bases are nested more than {MAX_IMPORT_DEPTH} modules deep: `{}` imports `{}`, which imports ... `{name}`",
            state.stack[0].0, outer.0
        ),
    )
    .label("one import too many")
    .help("import the modules a file needs directly, rather than through a long chain of modules each importing the next")
}

fn load_imports(
    ast: &ast::File,
    importer: &str,
    state: &mut LoadState<'_>,
    resolved: &mut Resolved,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ModuleId> {
    let mut imports = Vec::new();
    for item in &ast.items {
        let ast::Item::Import(path) = item else { continue };
        if let Some(cycle) = state.cycle_to(&path.name) {
            diagnostics.push(
                Diagnostic::new(&codes::IMPORT_CYCLE, path.span, format!("importing `{}` creates a cycle: {cycle}", path.name))
                    .label("this import closes the cycle")
                    .help("move the shared declarations into a module that both can import"),
            );
            continue;
        }
        let id = match state.by_name.get(&path.name) {
            Some(Some(id)) => Some(*id),
            Some(None) => None, // failed to load earlier; already reported
            None => load_module(path, importer, false, state, resolved, diagnostics),
        };
        let Some(id) = id else { continue };
        if resolved.modules[id].ast.position.is_some() {
            diagnostics.push(
                Diagnostic::new(&codes::NOT_A_POSITION, path.span, format!("`{}` is a position and cannot be imported", path.name))
                    .label("a position")
                    .help(format!("a position changes its base; to build on it, write a position that `extends {}`", path.name)),
            );
            continue;
        }
        imports.push(id);
    }
    imports
}

/// Loads one module; `extending` when it is the base of a position (so that
/// `stdlib` is among the names suggested).
fn load_module(
    path: &ast::Ident,
    importer: &str,
    extending: bool,
    state: &mut LoadState<'_>,
    resolved: &mut Resolved,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ModuleId> {
    if state.stack.len() >= MAX_IMPORT_DEPTH {
        diagnostics.push(too_deep(state, &path.name, path.span));
        state.by_name.insert(path.name.clone(), None);
        return None;
    }
    state.by_name.insert(path.name.clone(), None);
    let source = match state.loader.load(&path.name, importer) {
        Ok(source) => source,
        Err(LoadError::NotFound { tried, mut known }) => {
            if extending {
                known.push("stdlib".into());
            }
            let help = suggest::help_for(&path.name, known.iter().map(String::as_str), || {
                format!("looked in {}; the standard library's modules are named `stdlib.<subject>`", tried.join(", "))
            });
            diagnostics.push(
                Diagnostic::new(&codes::UNKNOWN_MODULE, path.span, format!("cannot find module `{}`", path.name))
                    .label("no such module")
                    .help(help),
            );
            return None;
        }
        Err(LoadError::Unreadable(why)) => {
            diagnostics.push(
                Diagnostic::new(&codes::UNREADABLE, path.span, format!("cannot read module `{}`: {why}", path.name))
                    .label("imported here")
                    .help("check the file's permissions and encoding (UTF-8)"),
            );
            return None;
        }
    };
    let file = resolved.sources.add(source.display_name.clone(), source.text.clone());
    let ast = parse(file, &source.text, diagnostics)?;
    let declared = ast.module.as_ref().map(|m| &m.name).or(ast.position.as_ref().map(|p| &p.name));
    match declared {
        None => {
            diagnostics.push(
                Diagnostic::new(
                    &codes::MISSING_MODULE,
                    Span::new(file, 0, 0),
                    format!("`{}` does not declare its module", source.display_name),
                )
                .label("expected `module` here")
                .also(path.span, "imported here")
                .help(format!("begin the file with `module {}`", path.name)),
            );
        }
        Some(decl) if decl.name != path.name => {
            diagnostics.push(
                Diagnostic::new(
                    &codes::MODULE_MISMATCH,
                    decl.span,
                    format!("the file imported as `{}` declares module `{}`", path.name, decl.name),
                )
                .label("declared here")
                .also(path.span, "imported here")
                .help(format!("rename the module to `{}`, or import it under its declared name", path.name)),
            );
        }
        Some(_) => {}
    }
    state.stack.push((path.name.clone(), path.span));
    state.files.push(source.display_name.clone());
    state.by_file.entry(source.display_name.clone()).or_insert(None);
    let (mut imports, base) = load_base(&ast, &source.display_name, state, resolved, diagnostics);
    imports.extend(load_imports(&ast, &source.display_name, state, resolved, diagnostics));
    state.files.pop();
    state.stack.pop();
    let id = push_module(resolved, path.name.clone(), ast, imports, base);
    state.by_name.insert(path.name.clone(), Some(id));
    state.by_file.insert(source.display_name, Some(id));
    Some(id)
}

fn parse(file: FileId, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<ast::File> {
    match syntax::parse_file(file, text) {
        Ok(ast) => Some(ast),
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    }
}

fn stem(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.strip_suffix(".norm").unwrap_or(base).to_string()
}
