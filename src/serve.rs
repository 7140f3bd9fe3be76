//! `policybook serve`: builds the website, serves it on this computer, watches the sources and
//! rebuilds what changed, and reloads the pages that are open. A build error is shown over the
//! page (the same text as in the terminal) while the last good build stays served. A save that
//! changes only policies' bodies updates the preview in place (see [`crate::build_preview`]);
//! the search index is made in memory from the build served, and answered from there.
//!
//! Watching is [`notify`] (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
//! Windows). Requests are parsed by [`httparse`] (hyper's parser) and answered one per
//! connection, a thread each: a preview on this computer has a handful of clients, and needs no
//! async runtime. Reloads reach the pages as server-sent events on one long-lived request each.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::{BuildReport, LoadOptions, Preview, Project};

/// Where `serve` builds, inside the project (hidden, so content walks skip it).
pub const SERVE_DIR: &str = ".policybook-serve";

const LIVE_JS_PATH: &str = "/__policybook/live.js";
/// Where pages ask for the search index (`serve` answers from memory: see [`SearchIndex`]).
const SEARCH_PATH: &str = "/search/";
const EVENTS_PATH: &str = "/__policybook/events";

/// What `serve` needs to know.
pub struct ServeOptions {
    pub load: LoadOptions,
    pub address: IpAddr,
    /// 0: any free port (the one chosen is printed).
    pub port: u16,
}

/// Called after every build with its outcome, to report it in the terminal.
pub type Reporter = Box<dyn Fn(&Result<BuildReport>) + Send + Sync>;

/// Shared between the server's threads.
struct State {
    site: PathBuf,
    /// One sender per open page.
    pages: Mutex<Vec<Sender<Event>>>,
    /// The last build's error, shown to pages that open while it stands.
    error: Mutex<Option<String>>,
    /// Successful builds so far: a page names the one it was served from, and reloads when it
    /// connects after a newer one (it would otherwise miss that build's reload event).
    builds: std::sync::atomic::AtomicU64,
    /// The search index of the build now served, made when a page first asks for it.
    search: Mutex<Option<Arc<SearchIndex>>>,
    /// Only checked on a loopback address: the `Host` names this computer (a page of another
    /// site, pointed at 127.0.0.1 by its DNS, must not read the preview).
    loopback: bool,
}

#[derive(Clone)]
enum Event {
    Reload,
    BuildError(String),
    /// Sent first: the build now served, for a page to compare with its own.
    Hello(u64),
}

impl Event {
    fn wire(&self) -> String {
        match self {
            Event::Reload => "event: reload\ndata: {}\n\n".to_owned(),
            Event::Hello(build) => format!("event: hello\ndata: {build}\n\n"),
            Event::BuildError(text) => format!(
                "event: build-error\ndata: {}\n\n",
                serde_json::to_string(text).unwrap_or_default()
            ),
        }
    }
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: TcpListener,
    options: ServeOptions,
    out: PathBuf,
}

impl Server {
    /// Binds the address; a port in use is a clear error.
    pub fn bind(options: ServeOptions) -> Result<Server> {
        let address = SocketAddr::new(options.address, options.port);
        let listener = TcpListener::bind(address).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Error::Usage(format!(
                    "port {} on {} is in use: stop the program using it, or choose another port with --port",
                    options.port, options.address
                ))
            } else {
                Error::Usage(format!("cannot serve on {address}: {e}"))
            }
        })?;
        let out = options.load.root.join(SERVE_DIR);
        Ok(Server {
            listener,
            options,
            out,
        })
    }

    /// The address pages are served at, e.g. `http://127.0.0.1:3000/`.
    pub fn url(&self) -> String {
        match self.listener.local_addr() {
            Ok(addr) => format!("http://{addr}/"),
            Err(_) => "http://localhost/".to_owned(),
        }
    }

    /// Builds, then serves until the process ends, rebuilding on every change of the sources.
    pub fn run(self, report: Reporter) -> Result<()> {
        let state = Arc::new(State {
            site: self.out.join(crate::site::SITE_DIR),
            pages: Mutex::new(Vec::new()),
            error: Mutex::new(None),
            builds: std::sync::atomic::AtomicU64::new(0),
            search: Mutex::new(None),
            loopback: self.options.address.is_loopback(),
        });
        let mut build = {
            let load = LoadOptions {
                parsed: Some(crate::content::ParsedPolicies::default()),
                ..self.options.load.clone()
            };
            let out = self.out.clone();
            let state = Arc::clone(&state);
            let mut preview = None;
            move || rebuild(&load, &out, &state, &report, &mut preview)
        };
        // Watching starts before the first build, so a save during it is not missed.
        let changes = watch(&self.options.load.root)?;
        build();
        std::thread::spawn(move || {
            let _watcher = changes.watcher;
            while changes.events.recv().is_ok() {
                // Editors save in several steps (a temporary file, a rename) within a few
                // milliseconds: one build for all.
                while changes
                    .events
                    .recv_timeout(Duration::from_millis(25))
                    .is_ok()
                {}
                build();
            }
        });
        for stream in self.listener.incoming().flatten() {
            let state = Arc::clone(&state);
            std::thread::spawn(move || respond(stream, &state));
        }
        Ok(())
    }
}

fn rebuild(
    load: &LoadOptions,
    out: &Path,
    state: &State,
    report: &Reporter,
    preview: &mut Option<Preview>,
) {
    let outcome = crate::build_preview(load, out, preview);
    report(&outcome);
    let search = match (&outcome, preview.as_ref()) {
        (Ok(_), Some(preview)) => Some(Arc::new(SearchIndex::of(&preview.project))),
        _ => None,
    };
    // The state changes and the event goes out under one lock, so a page that connects
    // meanwhile sees either the old state and the event, or the new state.
    let mut pages = crate::lock(&state.pages);
    let event = match &outcome {
        Ok(_) => {
            *crate::lock(&state.error) = None;
            state
                .builds
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Event::Reload
        }
        Err(error) => {
            let text = error_text(error);
            *crate::lock(&state.error) = Some(text.clone());
            Event::BuildError(text)
        }
    };
    if let Some(search) = &search {
        *crate::lock(&state.search) = Some(Arc::clone(search));
    }
    // A page whose connection has gone is forgotten.
    pages.retain(|page| page.send(event.clone()).is_ok());
    drop(pages);
    // Made soon rather than at the first search, which would wait for it; not at once, so
    // that it does not slow the build of a save that follows straight away, and on a pool of
    // its own, so that such a build's work never queues behind it.
    if let Some(search) = search {
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            // Only the state and this thread hold it while it is the index served.
            if Arc::strong_count(&search) > 1 {
                match background_pool() {
                    Some(pool) => pool.install(|| search.files().len()),
                    None => search.files().len(),
                };
            }
        });
    }
}

/// One thread for work that can wait (the search index), apart from the builds' pool.
fn background_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "policybook-search".to_owned())
            .build()
            .ok()
    })
    .as_ref()
}

/// The search index of one build, made once, when first asked for.
struct SearchIndex {
    project: Arc<Project>,
    /// By name inside `search/`.
    files: OnceLock<HashMap<String, Vec<u8>>>,
}

impl SearchIndex {
    fn of(project: &Arc<Project>) -> SearchIndex {
        SearchIndex {
            project: Arc::clone(project),
            files: OnceLock::new(),
        }
    }

    fn files(&self) -> &HashMap<String, Vec<u8>> {
        self.files.get_or_init(|| {
            let documents = crate::search::documents(&self.project);
            crate::search::index_files(&documents)
                .into_iter()
                .map(|(name, text)| (name, text.into_bytes()))
                .collect()
        })
    }
}

/// The error as the terminal shows it, without colour: every problem with its file, line and
/// help, then the summary line.
pub fn error_text(error: &Error) -> String {
    let mut text = String::new();
    for diagnostic in error.diagnostics() {
        text.push_str(&diagnostic.render(false));
        text.push('\n');
    }
    text.push_str(&format!("error: {error}"));
    text
}

struct Changes {
    watcher: notify::RecommendedWatcher,
    events: Receiver<()>,
}

/// Watches the project for changes to what a build reads: the config, `content/`, `quizzes/`,
/// `themes/`, the release ledger and `history/` (never the output folders).
fn watch(root: &Path) -> Result<Changes> {
    let root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let (tx, events) = mpsc::channel();
    let watched = root.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        if event.paths.iter().any(|p| is_source(&watched, p)) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| Error::Usage(format!("cannot watch {} for changes: {e}", root.display())))?;
    // The root for the config and the ledger; the source folders whole. Never the output
    // folders, `.git` or `node_modules`: every build makes a folder per policy there, and
    // inotify would spend a watch on each.
    let cannot = |path: &Path, e: notify::Error| {
        Error::Usage(format!("cannot watch {} for changes: {e}", path.display()))
    };
    notify::Watcher::watch(&mut watcher, &root, notify::RecursiveMode::NonRecursive)
        .map_err(|e| cannot(&root, e))?;
    for folder in ["content", "quizzes", "themes", crate::ledger::HISTORY_DIR] {
        let path = root.join(folder);
        if path.is_dir() {
            notify::Watcher::watch(&mut watcher, &path, notify::RecursiveMode::Recursive)
                .map_err(|e| cannot(&path, e))?;
        }
    }
    Ok(Changes { watcher, events })
}

/// Whether a change at `path` can change the build.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut components = relative.components();
    let Some(Component::Normal(first)) = components.next() else {
        return false;
    };
    match first.to_str() {
        Some("content" | "quizzes" | "themes" | "history") => true,
        Some(name) => {
            components.next().is_none()
                && (name == crate::config::CONFIG_FILE || name == crate::ledger::LEDGER_FILE)
        }
        None => false,
    }
}

/// A response: always complete, never kept alive.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Reply {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body,
            location: None,
        }
    }

    fn write_to(&self, stream: &mut TcpStream, with_body: bool) -> std::io::Result<()> {
        let reason = match self.status {
            200 => "OK",
            301 => "Moved Permanently",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Bad Request",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if with_body {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

/// Reads one request from `stream` and answers it.
fn respond(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((method, target, host)) = read_request(&mut stream) else {
        return;
    };
    if state.loopback && !host.as_deref().is_some_and(is_local_host) {
        let reply = Reply {
            status: 403,
            ..Reply::ok(
                "text/plain; charset=utf-8",
                b"policybook serve answers only requests for this computer (localhost).".to_vec(),
            )
        };
        let _ = reply.write_to(&mut stream, true);
        return;
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        let reply = Reply {
            status: 405,
            ..Reply::ok("text/plain; charset=utf-8", b"Only GET and HEAD.".to_vec())
        };
        let _ = reply.write_to(&mut stream, true);
        return;
    }
    if path == EVENTS_PATH && !head_only {
        stream_events(stream, state);
        return;
    }
    let reply = if path == LIVE_JS_PATH {
        Reply::ok(
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        )
    } else {
        match path.strip_prefix(SEARCH_PATH) {
            Some(name) => search_reply(state, name, &path),
            None => {
                let build = state.builds.load(std::sync::atomic::Ordering::SeqCst);
                file_reply(&state.site, &path, build)
            }
        }
    };
    let _ = reply.write_to(&mut stream, !head_only);
}

/// A file of the search index (`name` inside `search/`), made now if the background has not
/// made it yet.
fn search_reply(state: &State, name: &str, path: &str) -> Reply {
    let index = crate::lock(&state.search).clone();
    match index.as_ref().and_then(|index| index.files().get(name)) {
        Some(bytes) => Reply::ok("text/javascript; charset=utf-8", bytes.clone()),
        None => not_found(path),
    }
}

/// The method, target and `Host` of the request on `stream`, once its head has arrived (at
/// most 16 KiB).
fn read_request(stream: &mut TcpStream) -> Option<(String, String, Option<String>)> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = stream.read(&mut chunk).ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer) {
            Ok(httparse::Status::Complete(_)) => {
                let host = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("host"))
                    .and_then(|h| std::str::from_utf8(h.value).ok())
                    .map(str::to_owned);
                return Some((request.method?.to_owned(), request.path?.to_owned(), host));
            }
            Ok(httparse::Status::Partial) if buffer.len() < 16 * 1024 => continue,
            _ => return None,
        }
    }
}

/// Whether a `Host` header names this computer: `localhost`, `127.0.0.1` or `[::1]`, with or
/// without a port.
fn is_local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The file at URL `path` under `site`; pages get the live-reload script, naming `build`.
fn file_reply(site: &Path, path: &str, build: u64) -> Reply {
    let Some(relative) = site_path(path) else {
        return not_found(path);
    };
    let mut file = site.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Built from the checked path: the raw one could be `//host`, another site.
            let location = relative.to_string_lossy().replace('\\', "/");
            return Reply {
                status: 301,
                location: Some(format!("/{location}/")),
                ..Reply::ok("text/plain; charset=utf-8", Vec::new())
            };
        }
        file = file.join("index.html");
    }
    let Ok(bytes) = std::fs::read(&file) else {
        return not_found(path);
    };
    let content_type = content_type(&file);
    let bytes = if content_type.starts_with("text/html") {
        with_live_reload(bytes, Some(build))
    } else {
        bytes
    };
    Reply::ok(content_type, bytes)
}

/// The URL path as a relative path inside the site, or `None` when it would leave it.
fn site_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path.trim_start_matches('/'))?;
    let relative = PathBuf::from(decoded);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(relative)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Adds the live-reload script before `</body>`; `build` is the build the page comes from
/// (none for a page that is not built, such as "not found").
fn with_live_reload(bytes: Vec<u8>, build: Option<u64>) -> Vec<u8> {
    let tag = match build {
        Some(build) => format!("<script src=\"{LIVE_JS_PATH}?build={build}\"></script>"),
        None => format!("<script src=\"{LIVE_JS_PATH}\"></script>"),
    };
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn not_found(path: &str) -> Reply {
    let hint = if path.contains("/pdf/") || path.contains("/scorm/") {
        "<p><code>policybook serve</code> builds the website only; PDFs and SCORM packages are made by <code>policybook build</code>.</p>"
    } else {
        ""
    };
    let page = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
         <body><main><h1>Not found</h1><p>Nothing is built at <code>{}</code>.</p>{hint}\
         <p><a href=\"/index.html\">All policies</a></p></main></body></html>",
        html_escape::encode_text(path)
    );
    Reply {
        status: 404,
        ..Reply::ok(
            "text/html; charset=utf-8",
            with_live_reload(page.into_bytes(), None),
        )
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" | "minisig" | "pub" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Holds the request open and writes an event whenever a build finishes; a comment every 15 s
/// finds connections the browser has closed.
fn stream_events(mut stream: TcpStream, state: &State) {
    let (tx, rx) = mpsc::channel();
    // Registered and read under the lock that builds announce under: no build falls between.
    let (standing_error, build) = {
        let mut pages = crate::lock(&state.pages);
        pages.push(tx);
        (
            crate::lock(&state.error).clone(),
            state.builds.load(std::sync::atomic::Ordering::SeqCst),
        )
    };
    let mut opening = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
         Connection: keep-alive\r\n\r\nretry: 500\n\n",
    );
    opening.push_str(&Event::Hello(build).wire());
    if let Some(text) = standing_error {
        opening.push_str(&Event::BuildError(text).wire());
    }
    if stream.write_all(opening.as_bytes()).is_err() || stream.flush().is_err() {
        return;
    }
    loop {
        let bytes = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => event.wire(),
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(bytes.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

/// Reloads the page after each build; shows a build error over the page until it is fixed.
const LIVE_JS: &str = r#"(function () {
  "use strict";
  if (!window.EventSource) return;
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "policybook-build-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:#1b1b1b;color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "policybook could not build the site. Fix the problem and save: the page reloads " +
      "by itself. Until then the last good build is served.\n\n" + text;
  }
  // This page's build, from the script's own address: a page that connects after a newer
  // build (it missed that build's reload) reloads at once.
  var served = (document.currentScript && /[?&]build=(\d+)/.exec(document.currentScript.src) || [])[1];
  var events = null;
  function connect() {
    if (events) return;
    events = new EventSource("/__policybook/events");
    events.addEventListener("hello", function (e) {
      if (served !== undefined && e.data !== served) location.reload();
    });
    events.addEventListener("reload", function () { location.reload(); });
    events.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
  }
  // A browser keeps six connections to a server: hidden tabs give theirs back.
  function disconnect() {
    if (events) { events.close(); events = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect(); else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () { if (!document.hidden) connect(); });
  if (!document.hidden) connect();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_ask_for_the_search_index_where_serve_answers_it() {
        assert_eq!(SEARCH_PATH, format!("/{}/", crate::search::SEARCH_DIR));
    }

    #[test]
    fn urls_never_leave_the_site() {
        assert_eq!(
            site_path("/policies/a/index.html"),
            Some(PathBuf::from("policies/a/index.html"))
        );
        assert_eq!(site_path("/a%20b.html"), Some(PathBuf::from("a b.html")));
        assert_eq!(site_path("/../policybook.toml"), None);
        assert_eq!(site_path("/policies/%2e%2e/%2e%2e/x"), None);
        assert_eq!(site_path("/%zz"), None);
        assert_eq!(site_path("/"), Some(PathBuf::new()));
    }

    #[test]
    fn only_sources_trigger_a_build() {
        let root = Path::new("/p");
        for yes in [
            "/p/content/a.md",
            "/p/policybook.toml",
            "/p/quizzes/q.gift",
            "/p/themes/t/x.css",
            "/p/policybook.lock",
            "/p/history/a/1.0.md",
        ] {
            assert!(is_source(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/p/build/site/index.html",
            "/p/.policybook-serve/site/a.html",
            "/p/notes.txt",
            "/q/content/a.md",
            "/p",
        ] {
            assert!(!is_source(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn pages_get_the_reload_script_before_their_end() {
        let page = with_live_reload(b"<html><body><p>x</p></body></html>".to_vec(), Some(3));
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__policybook/live.js?build=3\"></script></body></html>"
        );
    }

    #[test]
    fn only_this_computer_is_a_host() {
        for yes in [
            "localhost",
            "localhost:3000",
            "LOCALHOST",
            "127.0.0.1:3000",
            "127.0.0.1",
            "[::1]:3000",
            "[::1]",
        ] {
            assert!(is_local_host(yes), "{yes}");
        }
        for no in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "192.168.1.2:3000",
            "",
            "[::2]:80",
        ] {
            assert!(!is_local_host(no), "{no}");
        }
    }
}
