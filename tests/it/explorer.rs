//! `graph --format html` in a real browser: headless Chromium driven
//! through chromedriver (the W3C WebDriver protocol: JSON over HTTP, spoken
//! here by a small client on `std::net`). The page is opened from disk;
//! the test expands a crate, focuses a module, goes back, searches, picks a
//! violation, and reads what the DOM shows. A script error, a console
//! error (a blocked fetch is one) or any request but the page itself fails
//! it.
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (.ci/run
//! installs them). Without them the test says so and passes, unless
//! BOUNDARIES_REQUIRE_CHROMIUM is set (CI sets it).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{manifest, run};

const LINK: &str = "https://example.com/shop/blob/main/{file}#L{line}";

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// chromedriver and the browser, or why the test cannot run.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let driver = on_path("chromedriver").ok_or("chromedriver is not installed")?;
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| on_path(name))
        .ok_or("chromium is not installed")?;
    Ok((driver, browser))
}

/// chromedriver on a free port, ended when dropped.
struct Driver {
    child: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(driver: &PathBuf, browser: &PathBuf) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut driver = Driver {
            child,
            port,
            session: String::new(),
            _profile: profile,
        };
        let started = Instant::now();
        while driver.call("GET", "/status", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1400,900",
                         format!("--user-data-dir={}", driver._profile.path().display())],
            },
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
        }}});
        let answer = driver
            .call("POST", "/session", Some(&capabilities))
            .expect("a browser session starts");
        driver.session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        driver
    }

    /// One WebDriver command: its `value`, or the error it answered.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read the head, then as
        // many bytes as it announces.
        let mut response = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(at) = find(&response, b"\r\n\r\n") {
                break at;
            }
            let read = stream.read(&mut chunk).map_err(|e| e.to_string())?;
            if read == 0 {
                return Err("the connection closed early".into());
            }
            response.extend_from_slice(&chunk[..read]);
        };
        let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
        let length = head.lines().find_map(|line| {
            line.strip_prefix("content-length:")
                .and_then(|n| n.trim().parse::<usize>().ok())
        });
        let chunked = head.contains("transfer-encoding: chunked")
            || head.contains("transfer-encoding:chunked");
        loop {
            let have = response.len() - head_end - 4;
            let done = match length {
                Some(length) => have >= length,
                None if chunked => find(&response[head_end..], b"\r\n0\r\n\r\n").is_some(),
                None => false,
            };
            if done {
                break;
            }
            let read = stream.read(&mut chunk).map_err(|e| e.to_string())?;
            if read == 0 {
                break;
            }
            response.extend_from_slice(&chunk[..read]);
        }
        let body = String::from_utf8_lossy(&response[head_end + 4..]).into_owned();
        let body = if chunked { unchunk(&body) } else { body };
        let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
        if head.starts_with("http/1.1 200") {
            Ok(value["value"].clone())
        } else {
            Err(value.to_string())
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn script(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.session_call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        );
    }

    fn count(&self, css: &str) -> u64 {
        let script = format!(
            "return document.querySelectorAll({}).length",
            Value::String(css.into())
        );
        self.script(&script).as_u64().unwrap()
    }

    fn ids(&self, css: &str) -> Vec<String> {
        let script = format!(
            "return Array.from(document.querySelectorAll({})).map(e => e.dataset.id)",
            Value::String(css.into())
        );
        serde_json::from_value(self.script(&script)).unwrap()
    }

    fn log(&self, kind: &str) -> Vec<Value> {
        serde_json::from_value(self.session_call("POST", "/se/log", Some(json!({"type": kind}))))
            .unwrap_or_default()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn the_explorer_works_in_a_real_browser_from_disk() {
    let (driver, browser) = match tools() {
        Ok(tools) => tools,
        Err(why) => {
            assert!(
                std::env::var_os("BOUNDARIES_REQUIRE_CHROMIUM").is_none(),
                "{why}: install the Debian packages chromium and chromium-driver"
            );
            eprintln!("browser test skipped: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("explorer.html");
    let out = run(&[
        "graph",
        "--manifest-path",
        &manifest("demo"),
        "--link-template",
        LINK,
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let driver = Driver::start(&driver, &browser);
    let url = format!("file://{}", page.display());
    driver.session_call("POST", "/url", Some(json!({"url": url})));
    assert_eq!(
        driver.script("return document.body.dataset.ready || ''"),
        "1",
        "the page drew nothing"
    );

    // Crates first: the three of the workspace and the external ones.
    let crates = driver.ids("g.node");
    for name in ["shop", "shop_db", "shop_web", "sqlx", "axum"] {
        assert!(crates.contains(&name.to_string()), "{crates:?}");
    }
    assert!(!crates.iter().any(|id| id.contains("::")), "{crates:?}");
    assert!(driver.count("path.edge.violation") > 0, "red edges");

    // Expand `shop` into its modules.
    driver.click("g.toggle[data-id=\"shop\"] rect");
    let expanded = driver.ids("g.node");
    for name in ["shop", "shop::billing", "shop::catalog", "shop::accounts"] {
        assert!(expanded.contains(&name.to_string()), "{expanded:?}");
    }
    assert_eq!(driver.ids("g.node.expanded"), ["shop"]);

    // Focus a module: it and its direct neighbours only.
    driver.click("g.node[data-id=\"shop::billing\"] rect.box");
    assert_eq!(driver.ids("g.node.focused"), ["shop::billing"]);
    let touching = driver.script(
        "return Array.from(document.querySelectorAll('path.edge')).every(e => e.dataset.from === 'shop::billing' || e.dataset.to === 'shop::billing')",
    );
    assert_eq!(touching, true);
    let focused = driver.count("g.node");
    assert!(focused < expanded.len() as u64, "{focused}");
    assert!(driver
        .script("return document.getElementById('details').textContent")
        .as_str()
        .unwrap()
        .contains("shop::billing"));

    // Back: the expanded view again, no focus.
    driver.click("#back");
    assert_eq!(driver.count("g.node.focused"), 0);
    assert_eq!(driver.count("g.node"), expanded.len() as u64);

    // Search a module inside a crate that is not expanded yet.
    driver.type_into("#search", "routes::catalog\u{E007}");
    assert_eq!(driver.ids("g.node.match"), ["shop_web::routes::catalog"]);
    assert_eq!(driver.ids("g.node.focused"), ["shop_web::routes::catalog"]);

    // Pick a violation: its edge lights up and its references are listed,
    // each file:line a link made from the template.
    assert!(driver.count("#violations details[data-rule]") >= 2);
    driver.click("#violations li[data-edge]");
    let selected = driver.script(
        "return Array.from(document.querySelectorAll('path.edge.selected')).map(e => e.dataset.from + ' -> ' + e.dataset.to)",
    );
    assert_eq!(
        selected.as_array().map(Vec::len),
        Some(1),
        "one edge lit: {selected}"
    );
    let links: Vec<String> = serde_json::from_value(driver.script(
        "return Array.from(document.querySelectorAll('#violation-references a')).map(a => a.textContent + ' ' + a.href)",
    ))
    .unwrap();
    assert!(!links.is_empty());
    for link in &links {
        let (place, href) = link.split_once(' ').unwrap();
        let (file, line) = place.rsplit_once(':').unwrap();
        assert!(
            file.ends_with(".rs") && line.parse::<u32>().is_ok(),
            "{link}"
        );
        assert_eq!(
            href,
            LINK.replace("{file}", file).replace("{line}", line),
            "{link}"
        );
    }

    // Nothing went wrong, and nothing but the page was fetched.
    assert_eq!(problems(&driver, &url), Vec::<String>::new());

    // The same checks see a broken page: a script error, and an image from
    // the network (which the page's policy blocks, with a console error).
    let broken = dir.path().join("broken.html");
    let text = std::fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<img src=\"https://example.invalid/x.png\"><script>notDefinedAnywhere()</script></body>",
    );
    std::fs::write(&broken, text).unwrap();
    let broken_url = format!("file://{}", broken.display());
    driver.session_call("POST", "/url", Some(json!({"url": broken_url})));
    let found = problems(&driver, &broken_url);
    assert!(
        found.iter().any(|p| p.contains("notDefinedAnywhere")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("example.invalid")),
        "{found:?}"
    );
}

/// Script errors, console errors and requests for anything but `url` since
/// the last look (the browser's logs are drained by reading them).
fn problems(driver: &Driver, url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let errors = driver.script("return window.boundariesErrors");
    for error in errors.as_array().into_iter().flatten() {
        found.push(format!("script error: {error}"));
    }
    let resources =
        driver.script("return performance.getEntriesByType('resource').map(e => e.name)");
    for resource in resources.as_array().into_iter().flatten() {
        found.push(format!("resource: {resource}"));
    }
    for entry in driver.log("browser") {
        if entry["level"] == "SEVERE" {
            found.push(format!("console: {}", entry["message"]));
        }
    }
    let requests: Vec<String> = driver
        .log("performance")
        .iter()
        .filter_map(|entry| {
            let message: Value = serde_json::from_str(entry["message"].as_str()?).ok()?;
            let message = &message["message"];
            (message["method"] == "Network.requestWillBeSent")
                .then(|| {
                    message["params"]["request"]["url"]
                        .as_str()
                        .map(String::from)
                })
                .flatten()
        })
        .collect();
    if !requests.iter().any(|u| u == url) {
        found.push(format!("the log never saw {url} load"));
    }
    // The browser's own start page loads chrome:// and data: resources
    // before ours; what counts is anything fetched from a file or a network.
    for request in requests {
        let fetched = ["http:", "https:", "ws:", "wss:", "ftp:", "file:"]
            .iter()
            .any(|scheme| request.starts_with(scheme));
        if fetched && request != url {
            found.push(format!("request: {request}"));
        }
    }
    found
}

/// Opens a page written elsewhere and prints how long it took to draw:
/// `BOUNDARIES_EXPLORER_PAGE=bevy.html cargo test --test it explorer_load_time -- --nocapture`.
#[test]
fn explorer_load_time() {
    let Some(page) = std::env::var_os("BOUNDARIES_EXPLORER_PAGE") else {
        return;
    };
    let (driver, browser) = tools().unwrap();
    let driver = Driver::start(&driver, &browser);
    let page = std::fs::canonicalize(page).unwrap();
    let url = format!("file://{}", page.display());
    let started = Instant::now();
    driver.session_call("POST", "/url", Some(json!({"url": url})));
    let loaded = started.elapsed();
    let drawn = driver.script("return document.body.dataset.firstDrawnMs");
    let shown = driver.script("return document.getElementById('status').textContent");
    eprintln!(
        "{}: {} bytes, first drawing at {drawn} ms after navigation start, navigation returned after {} ms; {shown}",
        page.display(),
        std::fs::metadata(&page).unwrap().len(),
        loaded.as_millis()
    );
    assert_eq!(problems(&driver, &url), Vec::<String>::new());
}
