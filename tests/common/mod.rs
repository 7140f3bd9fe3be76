//! Shared helpers: make projects in temporary folders, run the real binary, read its output.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use tempfile::TempDir;

/// The repository root, which is itself the example project.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const CONFIG: &str =
    "organisation = \"Test Org\"\ntitle = \"All Policies\"\ntoday = 2026-11-26\n";

/// A valid policy with the given id-like stem and extra front matter lines.
pub fn policy(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\nversion: \"1.0\"\nowner: Head of Quality\napproved_by: Board\napproved: 2026-01-10\nreview_interval: 12 months\n{extra}---\n\n## 1. Purpose\n\nWhy this policy exists.\n\n## 2. Rules\n\n- Do this.\n- Do not do that.\n"
    )
}

/// Writes `files` (relative path, contents) into a new temporary project.
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `policybook ARGS` in `dir` with a clean environment for dates.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .expect("run policybook")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command that must succeed; returns its stderr (warnings).
#[track_caller]
pub fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "policybook {args:?} failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stderr(&out)
}

/// Runs a command that must fail with exit code 1; returns its stderr lines.
#[track_caller]
pub fn run_err(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected failure, got:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stderr(&out).lines().map(str::to_owned).collect()
}

/// Every file under `dir`, relative path → bytes; without the index an incremental build
/// keeps at the top of its output, and the archives it found intact (build metadata with file
/// times, not part of the release).
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            !(e.depth() == 1
                && (e.file_name() == ".policybook-index"
                    || e.file_name() == ".policybook-archives"))
        })
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn html(path: &Path) -> scraper::Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

pub fn text(el: &scraper::ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `policybook ARGS`, failing the test instead of hanging if it has not finished in 20 s.
pub fn run_with_deadline(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("policybook {args:?} blocked");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}
