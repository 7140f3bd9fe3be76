//! Helpers shared by the release tests: the stock `minisign` binary, keys and sample trees.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::release::keys::{self, KeyPaths, PublicKeyHandle, SecretKeyHandle};
use crate::release::manifest::{ManifestHeader, PolicyEntry};

/// The stock `minisign` binary. Interop with it is the point of these formats, so its absence is
/// a failure, never a skip.
pub fn minisign() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join("minisign"))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "the stock `minisign` binary is needed by the release interop tests but was not \
             found: install it with `apt-get install minisign` (scripts/test installs it)"
        )
    })
}

/// Runs stock minisign with `args` in `dir`, feeding `stdin` (e.g. a password line).
pub fn run_minisign(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(minisign())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run minisign");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write to minisign");
        }
    }
    child.wait_with_output().expect("minisign finishes")
}

/// Asserts that a minisign run succeeded, showing its output otherwise.
pub fn assert_success(output: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
        output.status
    );
    format!("{stdout}{stderr}")
}

/// An unprotected key pair written in `dir` as `key.pub` / `key.sec`, loaded back.
pub fn keypair(dir: &Path) -> (KeyPaths, SecretKeyHandle, PublicKeyHandle) {
    let paths = KeyPaths {
        public: dir.join("key.pub"),
        secret: dir.join("key.sec"),
    };
    keys::generate_keypair(&paths, None, false).expect("keygen");
    let secret = keys::load_secret_key(&paths.secret, None).expect("load secret key");
    let public = keys::load_public_key(&paths.public).expect("load public key");
    (paths, secret, public)
}

pub fn header() -> ManifestHeader {
    ManifestHeader {
        policybook_version: "0.1.0".to_owned(),
        organisation: "Larkfield Skills & Training".to_owned(),
        build_date: "2026-11-26".to_owned(),
    }
}

pub fn policies() -> Vec<PolicyEntry> {
    vec![
        PolicyEntry {
            id: "safeguarding".to_owned(),
            title: "Safeguarding Policy".to_owned(),
            version: "2.0".to_owned(),
            digest: "b".repeat(64),
            approved_by: None,
            effective: None,
            review_due: Some("2027-01-31".to_owned()),
            audience: Vec::new(),
            reacknowledge: None,
            agreements: Vec::new(),
        },
        PolicyEntry {
            id: "e-safety".to_owned(),
            title: "E-Safety Policy".to_owned(),
            version: "3.1".to_owned(),
            digest: "a".repeat(64),
            approved_by: Some("Board of Directors".to_owned()),
            effective: Some("2026-04-01".to_owned()),
            review_due: Some("2027-03-12".to_owned()),
            audience: Vec::new(),
            reacknowledge: None,
            agreements: Vec::new(),
        },
    ]
}

/// The files of a small build, as (relative path, content).
pub fn sample_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("site/index.html", b"<h1>All Policies</h1>\n".to_vec()),
        (
            "site/policies/e-safety/index.html",
            b"<h1>E-Safety</h1>\n".to_vec(),
        ),
        (
            "site/policies/safeguarding/index.html",
            b"<h1>Safeguarding</h1>\n".to_vec(),
        ),
        ("site/assets/style.css", b"body { margin: 0 }\n".to_vec()),
        ("site/a-b.txt", b"dash\n".to_vec()),
        ("site/a/b.txt", b"slash\n".to_vec()),
        ("quizzes/e-safety.gift", b"::Q1:: 2+2 {=4}\n".to_vec()),
        ("empty.txt", Vec::new()),
    ]
}

/// Writes `files` under `dir`.
pub fn write_tree(dir: &Path, files: &[(&str, Vec<u8>)]) {
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A zip holding `entries`, as bytes.
pub fn zip_bytes(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}
