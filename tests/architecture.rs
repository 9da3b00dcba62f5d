//! The layout of `src/` keeps its promises: no two files import each other,
//! directly or through others (a module's `mod.rs` and its own files are the
//! module tree, not imports), and no file outside `syntax/` sees pest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, by module path (`["check", "elab"]`).
fn modules(root: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("below src").with_extension("");
                let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                if parts == ["lib"] {
                    parts.clear();
                }
                if parts != ["main"] {
                    out.insert(parts, path);
                }
            }
        }
    }
    out
}

/// The paths a file names: `crate::a::b`, `super::c`, and `use` lists in braces.
fn named_paths(text: &str, module: &[String], is_mod_rs: bool) -> Vec<Vec<String>> {
    let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            |kw: &str| bytes[i..].starts_with(kw.as_bytes()) && (i == 0 || !word(bytes[i - 1])) && bytes[i + kw.len()..].starts_with(b"::");
        let base: Option<Vec<String>> = if starts("crate") {
            i += "crate".len();
            Some(Vec::new())
        } else if starts("super") {
            i += "super".len();
            let mut parent = module.to_vec();
            if !is_mod_rs || !parent.is_empty() {
                parent.pop();
            }
            Some(parent)
        } else {
            None
        };
        let Some(mut path) = base else {
            i += 1;
            continue;
        };
        while bytes[i..].starts_with(b"::") {
            i += 2;
            let start = i;
            while i < bytes.len() && word(bytes[i]) {
                i += 1;
            }
            if start == i {
                // `::{a, b::c}`: each item of the list.
                if bytes[i..].starts_with(b"{") {
                    let end = bytes[i..].iter().position(|&b| b == b'}').map_or(code.len(), |e| i + e);
                    for item in code[i + 1..end].split(',') {
                        let item = item.split(" as ").next().unwrap_or("").trim();
                        if !item.is_empty() && item != "self" {
                            let mut p = path.clone();
                            p.extend(item.split("::").map(str::to_string));
                            out.push(p);
                        }
                    }
                    i = end;
                }
                break;
            }
            path.push(code[start..i].to_string());
        }
        out.push(path);
    }
    out
}

#[test]
fn no_file_imports_itself_through_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&root);
    let mut edges: BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> = BTreeMap::new();
    for (module, path) in &modules {
        let text = std::fs::read_to_string(path).expect("a source file");
        let is_mod_rs = path.ends_with("mod.rs") || path.ends_with("lib.rs");
        for named in named_paths(&text, module, is_mod_rs) {
            // The longest prefix that is a file of its own.
            let Some(target) = (0..=named.len()).rev().find_map(|n| modules.get_key_value(&named[..n]).map(|(k, _)| k)) else { continue };
            let tree = target.len() + 1 == module.len() && module.starts_with(target)
                || module.len() + 1 == target.len() && target.starts_with(module);
            if target != module && !target.is_empty() && !tree {
                edges.entry(module).or_default().insert(target);
            }
        }
    }
    // A depth-first search for a way back to where it began.
    let mut cycles = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(at).into_iter().flatten() {
                if next == start {
                    cycles.push(trail.iter().map(|m| m.join("/")).collect::<Vec<_>>().join(" -> "));
                } else if seen.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "files that import each other: {cycles:#?}");
    assert!(edges.len() > 20, "the import graph was read ({} files with imports)", edges.len());
}

#[test]
fn only_syntax_sees_pest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (module, path) in modules(&root) {
        let text = std::fs::read_to_string(&path).expect("a source file");
        if module.first().is_none_or(|m| m != "syntax") {
            assert!(!text.contains("pest::") && !text.contains("use pest"), "{} uses pest", path.display());
        }
    }
}
