//! The HTML reports in a real browser: `predict --format html` and `evaluate --format html`
//! are opened in headless Chromium, which must load them without a console message, show
//! every paragraph, and show hostile input (script and image tags) as text.
//!
//! Chromium is required: install it with `bash .ci/browser.sh`. Without it these tests fail.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_success, small_csv, Dir};

/// How long one Chromium run may take before the test gives up.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// The `chromium` binary on PATH; a test that needs it fails (never passes) without it.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the `chromium` binary was not found on PATH; these tests need headless \
                 Chromium: run `bash .ci/browser.sh` to install it"
            )
        })
}

/// What Chromium made of a page.
struct Rendered {
    /// The DOM after loading, serialised (`--dump-dom`).
    dom: String,
    /// Page console messages (errors, warnings, logs, CSP violations): Chromium writes each
    /// to standard error as a line with `CONSOLE` in it.
    console: Vec<String>,
    stderr: String,
}

/// Opens `page` in headless Chromium with a fresh profile and dumps its DOM.
fn render(page: &Path) -> Rendered {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!(
        "file://{}",
        page.canonicalize().expect("page exists").display()
    );
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = r.read_to_end(&mut b);
            String::from_utf8_lossy(&b).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let deadline = Instant::now() + BROWSER_TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for chromium") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took longer than {BROWSER_TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = out.join().expect("stdout reader");
    let stderr = err.join().expect("stderr reader");
    assert!(
        status.success(),
        "chromium failed ({status}) on {url}:\n{stderr}"
    );
    assert!(
        dom.contains("</html>"),
        "chromium dumped no page for {url}:\n{stderr}"
    );
    let console = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    Rendered {
        dom,
        console,
        stderr,
    }
}

/// How the DOM serialiser writes `text` inside an element.
fn dom_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// `dom` without the `<mark …>` / `</mark>` tags that highlight explanation terms, so that
/// each paragraph's text is contiguous again.
fn without_marks(dom: &str) -> String {
    let mut out = String::with_capacity(dom.len());
    let mut rest = dom;
    loop {
        let open = rest.find("<mark");
        let close = rest.find("</mark>");
        let at = match (open, close) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Skip the tag, quoted attribute values included.
        let mut quoted = false;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Every script or image element in the DOM (the reports have none of their own).
fn active_elements(dom: &str) -> Vec<String> {
    let lower = dom.to_lowercase();
    ["<script", "<img", "<iframe", "<object", "<embed"]
        .iter()
        .filter(|tag| lower.contains(*tag))
        .map(|t| t.to_string())
        .collect()
}

fn assert_clean(r: &Rendered, what: &str) {
    assert!(
        r.console.is_empty(),
        "{what}: console messages:\n{}\n\nfull stderr:\n{}",
        r.console.join("\n"),
        r.stderr
    );
    let active = active_elements(&r.dom);
    assert!(
        active.is_empty(),
        "{what}: {active:?} in the DOM:\n{}",
        r.dom
    );
}

fn train(dir: &Dir, csv: &str, data: &str, model: &str) {
    dir.write(data, csv);
    dir.stance()
        .args(["train", "--data", data, "--out", model, "-C", "10"])
        .assert()
        .success();
}

const ARTICLE: &str = "\
Cartel crackdown: what comes next

We must send troops to crush the cartels now, officials said on Tuesday.

Mexico rejects any foreign troops on its soil. <script>alert(1)</script> was found in the statement.

Critics wrote \"><img src=x onerror=alert(1)> and &amp; in their reply; intervention failed before and will fail again.

The meeting took place on Tuesday in the capital <b>bold</b> & <i>calm</i>.
";

/// The console check is real: a page with a deliberate script error (and a console.error)
/// produces console lines, so `assert_clean` would fail on it.
#[test]
fn console_check_catches_page_errors() {
    let dir = Dir::new();
    let page = dir.write(
        "broken.html",
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>broken</title></head>\
         <body><p>broken page</p><script>console.error(\"deliberate\"); notDefined();</script>\
         </body></html>",
    );
    let r = render(&page);
    assert!(r.dom.contains("broken page"));
    assert!(
        r.console.iter().any(|l| l.contains("deliberate")),
        "console.error not seen:\n{}",
        r.stderr
    );
    assert!(
        r.console
            .iter()
            .any(|l| l.contains("Uncaught ReferenceError") && l.contains("notDefined")),
        "the script error was not seen:\n{}",
        r.stderr
    );
    // And a script injected into a page that forbids scripts (as ours do) is reported too.
    let csp = dir.write(
        "csp.html",
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\
         \"Content-Security-Policy\" content=\"default-src 'none'\"><title>x</title></head>\
         <body><script>alert(1)</script></body></html>",
    );
    let r = render(&csp);
    assert!(
        r.console
            .iter()
            .any(|l| l.contains("Content Security Policy")),
        "CSP violation not seen:\n{}",
        r.stderr
    );
}

#[test]
fn predict_html_report_opens_in_chromium() {
    let dir = Dir::new();
    train(&dir, &small_csv(), "data.csv", "m.model");
    let article = dir.write("news_<b>hostile<_b> & co.txt", ARTICLE);
    let out = dir
        .stance()
        .args([
            "predict",
            "--model",
            "m.model",
            "--format",
            "html",
            "--explain",
            "3",
            "--out",
            "report.html",
        ])
        .arg(&article)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(out.stdout.is_empty(), "--out must keep stdout empty");
    let html = std::fs::read_to_string(dir.path("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page must not refer to the network"
    );
    assert!(html.contains("<mark"), "explain terms are highlighted");

    let r = render(&dir.path("report.html"));
    assert_clean(&r, "predict report");
    let dom = without_marks(&r.dom);
    let blocks = stance::paragraphs::split_article(ARTICLE);
    let paragraphs: Vec<_> = blocks
        .iter()
        .filter(|b| b.kind == stance::paragraphs::BlockKind::Paragraph)
        .collect();
    assert_eq!(paragraphs.len(), 4, "{blocks:?}");
    assert_eq!(
        r.dom.matches("<section class=\"para ").count(),
        paragraphs.len()
    );
    for b in &blocks {
        assert!(
            dom.contains(&dom_text(&b.text)),
            "{:?} block not shown: {:?}\n{}",
            b.kind,
            b.text,
            r.dom
        );
    }
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(dom.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;calm&lt;/i&gt;"));
    assert!(dom.contains("&amp;amp;"));
    assert!(dom.contains("news_&lt;b&gt;hostile&lt;_b&gt; &amp; co.txt"));
    // Summary bars and the skipped heading.
    assert!(r.dom.contains("class=\"sbar\""));
    assert!(r.dom.contains("<details class=\"skipped\">"));
}

#[test]
fn predict_html_rows_open_in_chromium() {
    let dir = Dir::new();
    train(&dir, &small_csv(), "data.csv", "m.model");
    let rows = [
        (
            "<script>alert(1)</script>",
            "Send troops now <script>alert(2)</script>",
        ),
        (
            "\"><img src=x onerror=alert(1)>",
            "Mexico rejects \"><img src=x onerror=alert(1)> troops",
        ),
        ("&amp;", "The report was published &amp; read on Monday"),
    ];
    let mut csv = String::from("id,text\n");
    for (id, text) in rows {
        csv.push_str(&format!(
            "\"{}\",\"{}\"\n",
            id.replace('"', "\"\""),
            text.replace('"', "\"\"")
        ));
    }
    dir.write("rows.csv", csv);
    dir.stance()
        .args([
            "predict",
            "--model",
            "m.model",
            "--data",
            "rows.csv",
            "--format",
            "html",
            "--explain",
            "2",
            "--out",
            "rows.html",
        ])
        .assert()
        .success();
    let r = render(&dir.path("rows.html"));
    assert_clean(&r, "rows report");
    let dom = without_marks(&r.dom);
    assert_eq!(r.dom.matches("<tr class=\"row ").count(), rows.len());
    for (id, text) in rows {
        assert!(
            dom.contains(&format!("<td>{}</td>", dom_text(id))),
            "{id}\n{dom}"
        );
        assert!(dom.contains(&dom_text(text)), "{text}\n{dom}");
    }
}

#[test]
fn evaluate_html_report_opens_in_chromium() {
    let dir = Dir::new();
    // Class names and the data file's name come from the input too.
    let hostile = small_csv()
        .replace(",favor,", ",<script>alert(1)</script>,")
        .replace(",against,", ",<img src=x onerror=alert(1)>,");
    let data = "data <i>x</i> & y.csv";
    train(&dir, &hostile, data, "m.model");
    let out = dir
        .stance()
        .args([
            "evaluate", "--model", "m.model", "--data", data, "--format", "html",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let page = dir.write("evaluate.html", &out.stdout);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.to_lowercase().contains("<script"), "{html}");

    let r = render(&page);
    assert_clean(&r, "evaluate report");
    let dom = &r.dom;
    for task in ["stance", "sentiment"] {
        assert!(dom.contains(&format!("<h3>{task}</h3>")), "{dom}");
    }
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(dom.contains("data &lt;i&gt;x&lt;/i&gt; &amp; y.csv"));
    assert!(dom.contains("confusion matrix"));
    // Two tasks of three classes each: 9 + 9 heat-map cells.
    assert_eq!(dom.matches("<td class=\"cell\"").count(), 18);
    assert!(dom.contains("accuracy") && dom.contains("macro-F1"));
    // Bootstrap intervals under accuracy, macro-F1 and macro-recall of both tasks (the stance
    // classes here are not `favor`/`against`, so no F_avg).
    assert_eq!(dom.matches("<div class=\"ci\"").count(), 6, "{dom}");
    assert!(
        dom.contains(
            "under each figure, its 95% bootstrap interval (1000 resamples of the rows, seed 42)"
        ),
        "{dom}"
    );
}
