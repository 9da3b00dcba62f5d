//! Robustness: every mutated copy of the shipped `.norm` and incident files
//! (a deleted line, a misspelt name, a stray token, a wrong type) gives coded
//! diagnostics pointing inside the file, or a result, and never a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use opinio::eval::Evaluator;
use opinio::incident::{self, Format};
use opinio::io::FsLoader;

fn files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Line-level mutations of a text: each line deleted, a stray token at the
/// start of each line, and one misspelt word per line. Blank lines and
/// comment lines (`#`, and `##` doc lines of `.norm` files) only get the
/// stray token: deleting or misspelling them leaves the text's meaning.
fn mutations(text: &str) -> Vec<(usize, &'static str, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let trimmed = lines[i].trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            let mut stray = lines.clone();
            let s = format!("@ {}", stray[i]);
            stray[i] = &s;
            out.push((i + 1, "stray", stray.join("\n")));
            continue;
        }
        let mut deleted = lines.clone();
        deleted.remove(i);
        out.push((i + 1, "deleted", deleted.join("\n")));
        let mut stray = lines.clone();
        let s = format!("@ {}", stray[i]);
        stray[i] = &s;
        out.push((i + 1, "stray", stray.join("\n")));
        if let Some(pos) = lines[i].find(|c: char| c.is_ascii_lowercase()) {
            let mut chars: Vec<char> = lines[i].chars().collect();
            let at = lines[i][..pos].chars().count();
            chars[at] = if chars[at] == 'x' { 'y' } else { 'x' };
            let m: String = chars.into_iter().collect();
            let mut misspelt = lines.clone();
            misspelt[i] = &m;
            out.push((i + 1, "misspelt", misspelt.join("\n")));
        }
    }
    out
}

fn line_of(text: &str, offset: u32) -> usize {
    text[..(offset as usize).min(text.len())].matches('\n').count() + 1
}

#[test]
fn mutated_norms_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut norms = files(&root.join("examples"), &["norm"]);
    norms.extend(files(&root.join("stdlib-rules"), &["norm"]));
    // Test files are not norms: `mutated_test_file_never_panics` mutates one.
    norms.retain(|p| !p.to_string_lossy().ends_with(".test.norm"));
    // The files are independent: two threads halve the time on CI's two cores.
    let (even, odd): (Vec<_>, Vec<_>) = norms.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let count: usize = std::thread::scope(|s| {
        let handles: Vec<_> =
            [even, odd].into_iter().map(|part| s.spawn(move || mutate_norms(part.into_iter().map(|(_, p)| p).collect()))).collect();
        handles.into_iter().map(|h| h.join().expect("no panic in the mutation threads")).sum()
    });
    assert!(count > 0 || !root.join("examples").exists());
}

/// Mutates each file and checks every compilation; returns the number of mutants.
fn mutate_norms(norms: Vec<PathBuf>) -> usize {
    let mut count = 0;
    for path in norms {
        let original = std::fs::read_to_string(&path).unwrap();
        let name = path.to_string_lossy().to_string();
        for (line, kind, text) in mutations(&original) {
            count += 1;
            let compiled = catch_unwind(AssertUnwindSafe(|| opinio::compile(&name, &text, &mut FsLoader)))
                .unwrap_or_else(|_| panic!("panic on {kind} line {line} of {name}"));
            for d in &compiled.diagnostics {
                let file = compiled.sources.get(d.primary.span.file);
                assert!(d.primary.span.end as usize <= file.text.len(), "span out of range: {d:?}");
            }
            if kind == "stray" && !original.lines().nth(line - 1).unwrap_or("").trim().is_empty() {
                let errors: Vec<_> = compiled.diagnostics.iter().filter(|d| d.is_error()).collect();
                assert!(!errors.is_empty(), "a stray `@` on line {line} of {name} was accepted");
                let d = errors[0];
                let file = compiled.sources.get(d.primary.span.file);
                if file.name == name {
                    assert_eq!(line_of(&file.text, d.primary.span.start), line, "stray token on line {line} of {name} reported at {d:?}");
                }
            }
        }
    }
    count
}

#[test]
fn mutated_incidents_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let norms = files(&root.join("examples"), &["norm"]);
    let incidents = files(&root.join("examples/incidents"), &["toml", "json"]);
    for norm in &norms {
        let text = std::fs::read_to_string(norm).unwrap();
        let compiled = opinio::compile(&norm.to_string_lossy(), &text, &mut FsLoader);
        let Some(program) = compiled.program else { continue };
        for path in &incidents {
            let format = Format::from_path(&path.to_string_lossy()).unwrap();
            let original = std::fs::read_to_string(path).unwrap();
            let mut variants = mutations(&original);
            variants.push((0, "wrong type", original.replace("true", "\"yes\"")));
            variants.push((0, "wrong type", original.replace(" = 0", " = \"none\"")));
            for (line, kind, text) in variants {
                let mut sources = compiled.sources.clone();
                let file = sources.add(path.to_string_lossy(), text.clone());
                let result = catch_unwind(AssertUnwindSafe(|| {
                    if let Ok(incident) = incident::load(&program, file, &text, format) {
                        let mut ev = Evaluator::new(&program);
                        let _ = ev.explain(incident.input());
                    }
                }));
                assert!(result.is_ok(), "panic on {kind} line {line} of {}", path.display());
            }
        }
    }
}

/// A test file, mutated line by line, run as `opinio test` runs it (in a
/// scratch directory linking the shipped positions and incidents): coded
/// diagnostics or a report, never a panic.
#[cfg(unix)]
#[test]
fn mutated_test_file_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = std::env::temp_dir().join(format!("opinio-mutations-{}", std::process::id()));
    let tests = scratch.join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    for d in ["positions", "incidents", "scenarios"] {
        let link = scratch.join(d);
        if !link.exists() {
            std::os::unix::fs::symlink(root.join("examples").join(d), link).unwrap();
        }
    }
    let original = std::fs::read_to_string(root.join("examples/tests/france.test.norm")).unwrap();
    let options = opinio::testing::Options::default();
    let path = tests.join("mutant.test.norm");
    for (line, kind, text) in mutations(&original) {
        std::fs::write(&path, &text).unwrap();
        let report = catch_unwind(AssertUnwindSafe(|| opinio::testing::plan(&path, &options).run(&options, &())))
            .unwrap_or_else(|_| panic!("france.test.norm, line {line} ({kind}): panic"));
        for p in &report.problems {
            for d in &p.diagnostics {
                assert!(opinio::diagnostics::codes::lookup(d.code.id).is_some(), "line {line} ({kind}): uncoded {d:?}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
