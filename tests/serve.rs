//! `policybook serve`: on a free port of 127.0.0.1, a saved edit is rebuilt and announced to open
//! pages; a build error is announced with its file and line while the last good build is still
//! served; fixing it recovers; a port in use is a clear error.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The server, killed when the test ends (however it ends).
struct Serving {
    child: Child,
    address: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &std::path::Path, port: &str) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(["serve", "--port", port, "--today", "2026-11-26", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start policybook serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    let address = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serving { child, address }
}

/// GET `path`: (status, body).
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// An open page's event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(address: &str) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET /__policybook/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut events = Events(reader);
        // First, the build now served.
        assert_eq!(events.next().0, "hello");
        events
    }

    /// The next event: (name, data).
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "the stream ended");
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_owned();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_owned();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }
}

#[test]
fn an_edit_is_served_and_announced_and_an_error_keeps_the_last_good_build() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Alpha", "")),
        ("content/b.md", &policy("Bravo", "")),
    ]);
    let server = serve(dir.path(), "0");
    let (status, page) = get(&server.address, "/policies/a/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Alpha</h1>"), "{page}");
    assert!(page.contains("<script src=\"/__policybook/live.js?build=1\"></script></body>"));
    let (status, script) = get(&server.address, "/__policybook/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    let mut events = Events::open(&server.address);
    let started = Instant::now();
    write(dir.path(), "content/a.md", &policy("Alpha, edited", ""));
    assert_eq!(events.next().0, "reload");
    eprintln!("save to reload event: {:?}", started.elapsed());
    let (_, page) = get(&server.address, "/policies/a/index.html");
    assert!(page.contains("<h1>Alpha, edited</h1>"), "{page}");
    // The search index is served from memory, made from the build now served.
    let (status, meta) = get(&server.address, "/search/meta.js");
    assert_eq!(status, 200);
    assert!(meta.starts_with("policybookSearch.meta("), "{meta}");
    let (_, documents) = get(&server.address, "/search/d0.js");
    assert!(documents.contains("Alpha, edited"), "{documents}");
    assert_eq!(get(&server.address, "/search/nothing.js").0, 404);

    // A broken front matter: the event names the file and line; the last good page stays.
    write(
        dir.path(),
        "content/a.md",
        &policy("Alpha, edited", "").replace("version: \"1.0\"", "version: [oops"),
    );
    let (name, data) = events.next();
    assert_eq!(name, "build-error");
    let text: String = serde_json::from_str(&data).unwrap();
    assert!(text.contains("content/a.md:3:10"), "{text}");
    assert!(text.contains("help:"), "{text}");
    let (_, page) = get(&server.address, "/policies/a/index.html");
    assert!(
        page.contains("<h1>Alpha, edited</h1>"),
        "the last good build is served"
    );
    // A page opened now learns of the error at once.
    let mut late = Events::open(&server.address);
    assert_eq!(late.next().0, "build-error");

    // Fixed: both pages reload, and the fix is served.
    write(dir.path(), "content/a.md", &policy("Alpha, fixed", ""));
    assert_eq!(events.next().0, "reload");
    assert_eq!(late.next().0, "reload");
    let (_, page) = get(&server.address, "/policies/a/index.html");
    assert!(page.contains("<h1>Alpha, fixed</h1>"), "{page}");

    // Nothing outside the site; PDFs are for `build`.
    // (The site is .policybook-serve/site/: two levels up is the project.)
    assert_eq!(get(&server.address, "/../../policybook.toml").0, 404);
    assert_eq!(
        get(&server.address, "/%2e%2e/%2e%2e/policybook.toml").0,
        404
    );
    // A folder's redirect is built from the checked path: `//policies` is not another host.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    let address = &server.address;
    write!(stream, "GET //policies HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 301"), "{response}");
    assert!(
        response.contains("\r\nLocation: /policies/\r\n"),
        "{response}"
    );
    // Another site's page, pointed at 127.0.0.1 by its DNS, is refused.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /index.html HTTP/1.0\r\nHost: evil.example\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
    let (status, page) = get(&server.address, "/pdf/a-1.0.pdf");
    assert_eq!(status, 404);
    assert!(page.contains("policybook build"), "{page}");
    // The project's own build output is untouched by serve.
    assert!(!dir.path().join("build").exists());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Alpha", "")),
    ]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let lines = run_err(dir.path(), &["serve", "--port", &port]);
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "error: port {port} on 127.0.0.1 is in use: stop the program using it, or choose another port with --port"
        )
    );
}
