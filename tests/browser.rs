//! The HTML report in a real browser. Headless Chromium:
//! - loads the report in a frame of a page the test writes, whose script
//!   drives the report as a reader would (the report carries no test hook):
//!   it reads the summary, clicks a divergent cell and reads the panel that
//!   opens, follows a position's page and checks that every bracketed
//!   reference leads to an entry of the bibliography;
//! - takes a screenshot of the screen, and prints the report to PDF on
//!   Letter and on A4, landscape, rendering each printed page as an image
//!   (none may be blank). The test then checks every printed page:
//!   each table is whole on the page where its caption is (its last row is
//!   there, before the next caption, and so is its last column's heading),
//!   no caption is printed twice, and no word reaches past the page's
//!   content box (Chromium clips what overflows it: a column cut off).
//!
//! Runs where Chromium is installed (`.ci/run` installs Debian's `chromium`
//! and `poppler-utils` when it can; `OPINIO_CHROMIUM` names another
//! binary); elsewhere it says it is skipped. The self-containment checks run
//! everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory of its own for each test, removed when the test passes.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("opinio-browser-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

/// Writes the report of `positions` over `incidents` into `dir`.
fn report(dir: &Dir, args: &[&str]) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = dir.0.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_opinio"))
        .current_dir(root)
        .arg("compare")
        .args(args)
        .args(["--format", "html", "-o"])
        .arg(&path)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

const SHIPPED: [&str; 6] = ["examples/positions/", "--incidents", "examples/incidents", "examples/scenarios", "--divergent-only", ""];

/// Every shipped position over every shipped incident, divergent
/// conclusions only: the README's comparison.
fn shipped_args() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut positions: Vec<String> = std::fs::read_dir(root.join(SHIPPED[0]))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm"))
        .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().to_string())
        .collect();
    positions.sort();
    positions.extend(SHIPPED[1..5].iter().map(|s| s.to_string()));
    positions
}

#[test]
fn the_report_is_self_contained_and_has_no_test_hook() {
    let dir = Dir::new("contained");
    let args = shipped_args();
    let (_, html) = report(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(html.starts_with("<!doctype html>"));
    for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url("] {
        assert!(!html.contains(external), "the report must not load `{external}...`");
    }
    assert!(!html.contains("selftest"), "the report carries no test hook");
    for part in ["id=\"summary\"", "id=\"agreement\"", "class=\"matrix\"", "id=\"position-france\"", "id=\"bibliography\"", "id=\"ref-1\""]
    {
        assert!(html.contains(part), "the report has `{part}`");
    }
    assert!(html.contains("<thead><tr><th>conclusion</th><th>Australia</th><th>China</th>"), "columns are headed by titles");
    // Each explanation is data, once: no cell holds its text.
    assert!(!html.contains("<div class=\"explanation\">"));
    std::fs::remove_dir_all(&dir.0).ok();
}

fn chromium() -> Option<String> {
    if let Some(c) = std::env::var_os("OPINIO_CHROMIUM") {
        return Some(c.to_string_lossy().to_string());
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().find(|p| Path::new(p).exists()).map(|p| p.to_string())
}

fn browser(chromium: &str, dir: &Dir) -> Command {
    let mut c = Command::new(chromium);
    c.args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", dir.0.join("profile").display()));
    c
}

/// The script that drives the report from the page around it, and writes
/// what it found into `#result`, one finding per line.
const DRIVER: &str = r##"<!doctype html><html><body>
<iframe id="f" src="report.html" style="width:1400px;height:900px"></iframe>
<pre id="result">not run</pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, out = [];
  try {
    out.push('questions ' + d.querySelectorAll('#summary table.summary tbody tr').length);
    out.push('first question ' + d.querySelector('#summary table.summary tbody th a').textContent);
    var td = d.querySelector('table.matrix td.x');
    var before = td.closest('table').getBoundingClientRect().width;
    td.click();
    var panel = d.getElementById('panel');
    out.push('panel shown ' + !panel.hidden);
    out.push('panel title ' + panel.querySelector('h3').textContent);
    out.push('panel first line ' + panel.querySelector('pre').textContent.split('\n')[0]);
    out.push('table widened ' + (td.closest('table').getBoundingClientRect().width > before));
    var link = d.querySelector('header a[href="#position-france"]');
    out.push('link to france ' + !!link);
    var page = d.getElementById('position-france');
    out.push('france heading ' + page.querySelector('h2').textContent);
    out.push('france changes ' + page.querySelectorAll('li.change').length);
    out.push('france inherits ' + !!page.querySelector('.inherits'));
    var refs = d.querySelectorAll('a.ref'), unresolved = 0;
    refs.forEach(function (a) { if (!d.getElementById(a.getAttribute('href').slice(1))) unresolved++; });
    out.push('references ' + refs.length);
    out.push('unresolved ' + unresolved);
    out.push('entries ' + d.querySelectorAll('#bibliography ol.bibliography li').length);
    var notes = d.querySelectorAll('section.notes li pre');
    var empty = 0; notes.forEach(function (p) { if (!p.textContent.trim()) empty++; });
    out.push('notes ' + notes.length);
    out.push('empty notes ' + empty);
  } catch (e) { out.push('error ' + e); }
  document.getElementById('result').textContent = out.join('\n');
});
</script></body></html>"##;

/// The value of a finding of the driver: the rest of its line.
fn finding<'a>(result: &'a str, name: &str) -> &'a str {
    result
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no finding `{name}` in:\n{result}"))
}

#[test]
fn a_reader_opens_a_cell_a_position_and_the_bibliography_in_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: no Chromium (install Debian's `chromium`, or set OPINIO_CHROMIUM)");
        return;
    };
    let dir = Dir::new("driven");
    let args = shipped_args();
    report(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let driver = dir.0.join("driver.html");
    std::fs::write(&driver, DRIVER).unwrap();
    let out = browser(&chromium, &dir)
        .args(["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", driver.display()))
        .output()
        .expect("Chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"result\">").unwrap_or_else(|| panic!("no result: {}", String::from_utf8_lossy(&out.stderr)));
    let rest = &dom[start + "<pre id=\"result\">".len()..];
    let result = rest[..rest.find("</pre>").unwrap_or(rest.len())].replace("&amp;", "&");
    assert!(!result.contains("error "), "{result}");
    assert!(finding(&result, "questions").parse::<usize>().unwrap() >= 5, "{result}");
    assert_eq!(finding(&result, "panel shown"), "true", "{result}");
    assert!(finding(&result, "panel title").contains(" on "), "the panel names position and incident: {result}");
    assert!(finding(&result, "panel first line").contains(" = "), "the panel shows the derivation: {result}");
    assert_eq!(finding(&result, "table widened"), "false", "opening an explanation must not widen the table: {result}");
    assert_eq!(finding(&result, "link to france"), "true", "{result}");
    assert!(finding(&result, "france heading").starts_with("France"), "{result}");
    assert!(finding(&result, "france changes").parse::<usize>().unwrap() >= 5, "{result}");
    assert_eq!(finding(&result, "france inherits"), "true", "{result}");
    assert!(finding(&result, "references").parse::<usize>().unwrap() > 20, "{result}");
    assert_eq!(finding(&result, "unresolved"), "0", "every reference leads to an entry: {result}");
    assert!(finding(&result, "entries").parse::<usize>().unwrap() > 10, "{result}");
    assert!(finding(&result, "notes").parse::<usize>().unwrap() > 0, "{result}");
    assert_eq!(finding(&result, "empty notes"), "0", "every note is rendered from the data: {result}");

    // The screen, as a reader first sees it.
    let shot = dir.0.join("screen.png");
    let status = browser(&chromium, &dir)
        .args(["--window-size=1400,1000"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", dir.0.join("report.html").display()))
        .output()
        .expect("Chromium runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert_eq!(&png[1..4], b"PNG");
    let (w, h) = (u32::from_be_bytes([png[16], png[17], png[18], png[19]]), u32::from_be_bytes([png[20], png[21], png[22], png[23]]));
    assert_eq!((w, h), (1400, 1000), "the screenshot has the window's size");
    std::fs::remove_dir_all(&dir.0).ok();
}

/// A table of the report as the HTML writes it: its number, the label of
/// its last row and the heading of its last column.
struct TableSpec {
    number: usize,
    last_row: String,
    last_column: String,
}

/// The tables of the report, from its HTML.
fn tables(html: &str) -> Vec<TableSpec> {
    let mut out = Vec::new();
    let marker = "<caption><span class=\"number\">Table ";
    for piece in html.split(marker).skip(1) {
        let number: usize = piece.split('.').next().and_then(|n| n.parse().ok()).expect("a table number");
        let body = &piece[..piece.find("</table>").expect("the table ends")];
        let last = body.rsplit("<tr").next().unwrap_or("");
        // The row's label: its first header cell's text (its link's, when
        // a description follows), tags taken out.
        let th = last.split("<th").nth(1).unwrap_or("");
        let th = &th[th.find('>').map_or(0, |i| i + 1)..th.find("</th>").unwrap_or(th.len())];
        let th = th.find("</a>").map_or(th, |end| &th[..end]);
        let head = &body[body.find("<thead>").unwrap_or(0)..body.find("</thead>").unwrap_or(0)];
        let last_th = head.rsplit("<th").next().unwrap_or("");
        let last_th = &last_th[last_th.find('>').map_or(0, |i| i + 1)..last_th.find("</th>").unwrap_or(last_th.len())];
        out.push(TableSpec { number, last_row: words(&strip_tags(th)), last_column: words(&strip_tags(last_th)) });
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
}

/// Text with its white space made single spaces.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints the report to PDF (`paper`: the `@page` size, which the
/// report leaves to the printer as `landscape`), and checks every page.
fn print_and_check(chromium: &str, dir: &Dir, html: &str, paper: &str) {
    let page = dir.0.join(format!("report-{paper}.html"));
    std::fs::write(&page, html.replacen("@page{size:landscape", &format!("@page{{size:{paper} landscape"), 1)).unwrap();
    let pdf = dir.0.join(format!("report-{paper}.pdf"));
    let out = browser(chromium, dir)
        .args(["--no-pdf-header-footer", "--virtual-time-budget=10000"])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    assert!(pdf.exists(), "no PDF: {}", String::from_utf8_lossy(&out.stderr));
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo runs (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("a page count");
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap_or("").to_string();
    let (pw, ph) = {
        let n: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        (n[0], n[1])
    };
    assert!(pw > ph, "{paper}: the pages are landscape: {size}");

    // Whole tables: each caption on one page only, and the table's last row
    // on that page, before the next caption.
    let specs = tables(html);
    assert!(specs.len() > 10, "{paper}: the report has its tables");
    let mut text_of = Vec::new();
    for p in 1..=pages {
        let out = Command::new("pdftotext").args(["-raw", "-f", &p.to_string(), "-l", &p.to_string()]).arg(&pdf).arg("-").output().unwrap();
        text_of.push(words(&String::from_utf8_lossy(&out.stdout)));
    }
    for spec in &specs {
        let caption = format!("Table {}.", spec.number);
        let on: Vec<usize> = (0..pages).filter(|&p| text_of[p].contains(&caption)).collect();
        assert_eq!(on.len(), 1, "{paper}: the caption `{caption}` is printed on pages {on:?}");
        let text = &text_of[on[0]];
        let start = text.find(&caption).unwrap_or(0);
        let end = text[start + caption.len()..].find("Table ").map_or(text.len(), |e| start + caption.len() + e);
        assert!(
            text[start..end].contains(&spec.last_row),
            "{paper}: table {} runs off page {}: its last row `{}` is not on it",
            spec.number,
            on[0] + 1,
            spec.last_row
        );
        assert!(
            text[start..end].contains(&spec.last_column),
            "{paper}: table {} is cut on page {}: its last column `{}` is not printed",
            spec.number,
            on[0] + 1,
            spec.last_column
        );
    }

    // No column cut: Chromium clips what overflows the page's content box
    // (within its 10 mm margins), and a cut word still has its box. No word
    // of any page may reach past the content box (1 pt of tolerance).
    let out = Command::new("pdftotext").arg("-bbox").arg(&pdf).arg("-").output().expect("pdftotext runs");
    let bbox = String::from_utf8_lossy(&out.stdout);
    let right = pw - 10.0 / 25.4 * 72.0 + 1.0;
    let widest =
        bbox.split("xMax=\"").skip(1).filter_map(|rest| rest.split('"').next().and_then(|x| x.parse::<f64>().ok())).fold(0.0f64, f64::max);
    // The printed pages as images: none is blank (no page left empty by a
    // table pushed to the next).
    let prefix = dir.0.join(format!("page-{paper}"));
    let status = Command::new("pdftoppm").args(["-r", "20", "-gray"]).arg(&pdf).arg(&prefix).status().expect("pdftoppm runs");
    assert!(status.success(), "{paper}: pdftoppm renders the pages");
    let mut images = 0;
    for entry in std::fs::read_dir(&dir.0).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with(&format!("page-{paper}")) || !name.ends_with(".pgm") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        // A binary greyscale image: its pixels are its last width x height bytes.
        let header: Vec<&[u8]> = bytes.split(|b| b.is_ascii_whitespace()).filter(|f| !f.is_empty()).take(3).collect();
        assert_eq!(header[0], b"P5", "{paper}: {name} is a greyscale image");
        let (w, h): (usize, usize) =
            (String::from_utf8_lossy(header[1]).parse().unwrap(), String::from_utf8_lossy(header[2]).parse().unwrap());
        let inked = bytes[bytes.len() - w * h..].iter().filter(|&&p| p < 240).count();
        assert!(inked > 0, "{paper}: {name} is blank");
        images += 1;
    }
    assert_eq!(images, pages, "{paper}: every printed page was rendered and looked at");

    assert!(widest > pw / 2.0, "{paper}: the words' boxes were read");
    assert!(widest <= right, "{paper}: a word reaches {widest:.1} pt, past the content box ({right:.1} pt): a column is cut off");
}

#[test]
fn every_printed_page_holds_whole_tables_on_letter_and_a4() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: no Chromium (install Debian's `chromium`, or set OPINIO_CHROMIUM)");
        return;
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("skipped: no pdftotext (install Debian's `poppler-utils`)");
        return;
    }
    let dir = Dir::new("print");
    let args = shipped_args();
    let (_, html) = report(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    print_and_check(&chromium, &dir, &html, "letter");
    print_and_check(&chromium, &dir, &html, "A4");
    std::fs::remove_dir_all(&dir.0).ok();
}
