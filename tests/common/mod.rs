//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod binary;
pub mod pipeline;

use std::path::{Path, PathBuf};

use opinio::diagnostics::render::{self, ErrorFormat};
use opinio::diagnostics::{has_errors, Diagnostic};
use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::io::{FsLoader, StdlibDir, StdlibDirLoader};
use opinio::resolve::{LoadError, Loader, ModuleSource};
use opinio::source::SourceMap;

/// Loads imports from a case directory, showing paths relative to it; the
/// standard library from a directory of the case first, if its `case.toml`
/// names one.
pub struct CaseLoader {
    pub dir: PathBuf,
    pub stdlib: Option<StdlibDir>,
}

impl CaseLoader {
    /// A loader for a case directory, with the embedded standard library.
    pub fn new(dir: &Path) -> CaseLoader {
        CaseLoader { dir: dir.to_path_buf(), stdlib: None }
    }

    /// A file's name shown relative to the case directory.
    fn shown(&self, mut source: ModuleSource) -> ModuleSource {
        let prefix = format!("{}/", self.dir.display());
        if let Some(rel) = source.display_name.strip_prefix(&prefix) {
            source.display_name = rel.to_string();
        }
        source
    }
}

impl Loader for CaseLoader {
    fn load(&mut self, name: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        if let (Some(stdlib), true) = (&self.stdlib, name.starts_with(opinio::stdlib::PREFIX)) {
            return StdlibDirLoader(stdlib).load(name, importer).map(|s| self.shown(s));
        }
        if name.starts_with(opinio::stdlib::PREFIX) || importer.starts_with("<stdlib>") {
            return FsLoader.load(name, importer);
        }
        // Next to the importing file, as `FsLoader` looks.
        let base = Path::new(importer).parent().map(Path::to_path_buf).unwrap_or_default();
        let rel = base.join(format!("{}.norm", name.replace('.', "/"))).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(self.dir.join(&rel)) {
            Ok(text) => Ok(ModuleSource { display_name: rel, text }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(LoadError::NotFound { tried: vec![rel], known: opinio::stdlib::modules() })
            }
            Err(_) => Err(LoadError::Unreadable(format!("`{rel}` is not a readable file"))),
        }
    }

    fn load_path(&mut self, path: &str, importer: &str) -> Result<ModuleSource, LoadError> {
        let base = Path::new(importer).parent().map(Path::to_path_buf).unwrap_or_default();
        let rel = opinio::source::normalize(&base.join(path)).to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(self.dir.join(&rel)) {
            Ok(text) => Ok(ModuleSource { display_name: rel, text }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(LoadError::NotFound { tried: vec![rel], known: Vec::new() }),
            Err(_) => Err(LoadError::Unreadable(format!("`{rel}` is not a readable file"))),
        }
    }

    fn stdlib_modules(&self) -> Vec<String> {
        self.stdlib.as_ref().map_or_else(opinio::stdlib::modules, StdlibDir::modules)
    }
}

/// A case's `case.toml`: what the case needs besides `main.norm` and its
/// incident.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSettings {
    /// Other norms, loaded together with `main.norm`: the incident is read
    /// under `main.norm` in their common vocabulary.
    #[serde(default)]
    pub loaded: Vec<String>,
    /// A directory of the case holding standard library modules, read first.
    pub stdlib: Option<String>,
    /// Compile `main.norm` with its positions as they stood on this day
    /// (`YYYY-MM-DD`), as `--as-of` does.
    pub as_of: Option<String>,
    /// Lint these files of the case together, as `opinio lint` does, and
    /// show every finding (answered ones with their answers) and the
    /// summary line.
    #[serde(default)]
    pub lint: Vec<String>,
}

/// The settings of a case directory (none without `case.toml`).
pub fn case_settings(dir: &Path) -> CaseSettings {
    match std::fs::read_to_string(dir.join("case.toml")) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: bad case.toml: {e}", dir.display())),
        Err(_) => CaseSettings::default(),
    }
}

/// What a case produced.
pub struct CaseRun {
    /// The rendered output (diagnostics, then the evaluation if any).
    pub output: String,
    /// The diagnostics, for code coverage.
    pub diagnostics: Vec<Diagnostic>,
}

fn rendered(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    out.push_str(&render::render(diagnostics, sources, ErrorFormat::Human { color: false }));
    out
}

/// The incident file of a case directory, if any.
pub fn incident_file(dir: &Path) -> Option<(PathBuf, Format)> {
    for (name, format) in [("incident.toml", Format::Toml), ("incident.json", Format::Json)] {
        let p = dir.join(name);
        if p.exists() {
            return Some((p, format));
        }
    }
    None
}

/// Runs one case directory: compile `main.norm`; if an incident file is
/// present and the norms compile, evaluate it.
pub fn run_case(dir: &Path) -> CaseRun {
    if dir.join("main.test.norm").exists() {
        return run_test_case(dir);
    }
    if !dir.join("main.norm").exists() && dir.join(opinio::testing::PROJECT_FILE).exists() {
        return run_project_case(dir);
    }
    let settings = case_settings(dir);
    let mut loader = CaseLoader::new(dir);
    if let Some(stdlib) = &settings.stdlib {
        match StdlibDir::open(&dir.join(stdlib)) {
            Ok(d) => loader.stdlib = Some(d),
            Err(why) => {
                let mut sources = SourceMap::new();
                let d = opinio::io::unusable_stdlib(Path::new(stdlib), "`--stdlib`", &why, &mut sources);
                return CaseRun { output: rendered(std::slice::from_ref(&d), &sources), diagnostics: vec![d] };
            }
        }
    }
    let text = std::fs::read_to_string(dir.join("main.norm")).expect("every case has a main.norm");
    let day = settings.as_of.as_deref().map(|d| {
        let (y, m, dd) = opinio::syntax::parse_date(d).unwrap_or_else(|| panic!("{}: as_of is not a date", dir.display()));
        opinio::value::days_from_civil(y, m, dd).expect("a calendar day")
    });
    let compiled = opinio::compile_as_of("main.norm", &text, &mut loader, day);
    let mut diagnostics = compiled.diagnostics.clone();
    let mut output = rendered(&compiled.diagnostics, &compiled.sources);
    if !settings.lint.is_empty() {
        let inputs: Vec<opinio::lint::Input> = settings
            .lint
            .iter()
            .map(|name| opinio::lint::Input::File {
                name: name.clone(),
                text: std::fs::read_to_string(dir.join(name)).expect("a file named in `lint` of case.toml"),
            })
            .collect();
        let report = opinio::lint::lint(&inputs, &mut loader);
        let shown: Vec<Diagnostic> = report.findings.iter().map(opinio::lint::shown).collect();
        output.push_str(&rendered(&report.problems, &report.sources));
        output.push_str(&rendered(&shown, &report.sources));
        output.push_str(&opinio::reports::lint::summary_text(&report, true));
        diagnostics.extend(report.problems.iter().cloned());
        diagnostics.extend(shown);
    }
    let Some(program) = compiled.program.clone() else {
        return CaseRun { output, diagnostics };
    };
    // The other norms the case loads together with `main.norm`.
    let mut others = Vec::new();
    for name in &settings.loaded {
        let text = std::fs::read_to_string(dir.join(name)).expect("a norms file named in case.toml");
        let c = opinio::compile(name, &text, &mut loader);
        output.push_str(&rendered(&c.diagnostics, &c.sources));
        diagnostics.extend(c.diagnostics.iter().cloned());
        others.push(c.program.unwrap_or_else(|| panic!("{name} of {} does not compile", dir.display())));
    }
    let Some((path, format)) = incident_file(dir) else {
        if output.is_empty() {
            output.push_str("(no diagnostics)\n");
        }
        return CaseRun { output, diagnostics };
    };
    let mut sources = compiled.sources.clone();
    let itext = std::fs::read_to_string(&path).expect("readable incident");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let file = sources.add(name, itext.clone());
    let loaded = if others.is_empty() {
        incident::load(&program, file, &itext, format)
    } else {
        let vocabulary = incident::Vocabulary::new(std::iter::once(&program).chain(&others));
        incident::load_in(&program, &vocabulary, file, &itext, format)
    };
    let incident = match loaded {
        Ok(i) => i,
        Err(ds) => {
            output.push_str(&rendered(&ds, &sources));
            diagnostics.extend(ds);
            return CaseRun { output, diagnostics };
        }
    };
    let mut ev = Evaluator::new(&program);
    match ev.explain(incident.input()) {
        Ok(outcome) => {
            output.push_str(&opinio::reports::eval::eval_text(&program, &incident, &outcome));
        }
        Err(e) => {
            let mut c = compiled.clone();
            c.sources = sources.clone();
            let d = c.eval_diagnostic(&e).expect("a program");
            output.push_str(&rendered(std::slice::from_ref(&d), &sources));
            diagnostics.push(d);
        }
    }
    debug_assert!(!has_errors(&compiled.diagnostics));
    CaseRun { output, diagnostics }
}

/// Runs the test file of a case directory (`main.test.norm`), as `opinio
/// test` would: its problems, then its report.
fn run_test_case(dir: &Path) -> CaseRun {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = dir.strip_prefix(root).unwrap_or(dir).join("main.test.norm");
    let options = opinio::testing::Options::default();
    let report = opinio::testing::plan(&rel, &options).run(&options, &());
    let mut output = String::new();
    let mut diagnostics = Vec::new();
    for p in &report.problems {
        output.push_str(&rendered(&p.diagnostics, &p.sources));
        diagnostics.extend(p.diagnostics.iter().cloned());
    }
    output.push_str(&opinio::reports::test::suite_text(&report));
    CaseRun { output, diagnostics }
}

/// Reads the project file of a case directory (`opinio.toml`), as `opinio
/// test` would: its problems, or the test files it names.
fn run_project_case(dir: &Path) -> CaseRun {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = dir.strip_prefix(root).unwrap_or(dir).join(opinio::testing::PROJECT_FILE);
    match opinio::testing::Project::load(&rel) {
        Ok(project) => {
            let roots: Vec<String> = project.roots.iter().map(|r| r.display().to_string()).collect();
            CaseRun { output: format!("(no diagnostics)\nroots: {}\n", roots.join(", ")), diagnostics: Vec::new() }
        }
        Err(problem) => CaseRun { output: rendered(&problem.diagnostics, &problem.sources), diagnostics: problem.diagnostics },
    }
}

/// The input files of a case, shown in its snapshot.
pub fn case_input(dir: &Path) -> String {
    let mut files: Vec<PathBuf> =
        walk(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "norm" || e == "toml" || e == "json")).collect();
    files.sort();
    let mut out = String::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        out.push_str(&format!("--- {rel}\n{}", std::fs::read_to_string(&f).unwrap()));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every case directory (holding a `main.norm`), sorted.
pub fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut out: Vec<PathBuf> = walk(&root)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "main.norm" || n == "main.test.norm" || n == opinio::testing::PROJECT_FILE))
        .map(|p| p.parent().unwrap().to_path_buf())
        .collect();
    out.sort();
    out.dedup();
    out
}
