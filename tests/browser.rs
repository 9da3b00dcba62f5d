//! The HTML report in a real browser: headless Chromium loads a report made
//! by `opinio compare --format html`, and the page's self-test (run by the
//! address `#selftest`) clicks the first divergent cell and records whether
//! its explanation shows. Runs where Chromium is installed (`.ci/run`
//! installs Debian's `chromium` when it can; `OPINIO_CHROMIUM` names another
//! binary); elsewhere it says it is skipped. The self-containment checks run
//! everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

fn report() -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("opinio-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_opinio"))
        .current_dir(root)
        .args(["compare", "examples/positions/united_states.norm", "examples/positions/france.norm", "--incidents", "examples/scenarios"])
        .args(["--format", "html", "-o"])
        .arg(&path)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

#[test]
fn the_report_is_self_contained() {
    let (_, html) = report();
    assert!(html.starts_with("<!doctype html>"));
    for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url("] {
        assert!(!html.contains(external), "the report must not load `{external}...`");
    }
    assert!(html.contains("<table class=\"matrix\">"), "the matrix is there");
    assert!(html.contains("<tr class=\"divergent\">"), "divergent rows are marked");
    assert!(html.contains("us_self_defence_against_non_state_actors"), "causes are named");
}

fn chromium() -> Option<String> {
    if let Some(c) = std::env::var_os("OPINIO_CHROMIUM") {
        return Some(c.to_string_lossy().to_string());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().find(|p| Path::new(p).exists()).map(|p| p.to_string())
}

#[test]
fn the_report_renders_and_a_cell_opens_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium (install Debian's `chromium`, or set OPINIO_CHROMIUM)");
        return;
    };
    let (path, _) = report();
    let profile = path.parent().unwrap().join("profile");
    let out = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("file://{}#selftest", path.display()))
        .output()
        .expect("Chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<p id=\"selftest\">")
        .unwrap_or_else(|| panic!("no self-test result in the DOM: {}", String::from_utf8_lossy(&out.stderr)));
    let rest = &dom[start + "<p id=\"selftest\">".len()..];
    let line = &rest[..rest.find("</p>").unwrap_or(rest.len())];
    assert!(line.contains("opened: yes"), "the explanation of a divergent cell did not open: {line}");
    assert!(line.contains("explanation: united_states on Hypothetical"), "{line}");
    let rows: usize = line.split("rows ").nth(1).and_then(|s| s.split(',').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(rows > 10, "the matrix rendered {rows} rows: {line}");
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}
