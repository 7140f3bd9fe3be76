//! Signed releases: keygen, build --sign, the stock minisign tool in both directions, and
//! verify catching a changed, a deleted and an added file in a build and in a SCORM zip.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use common::*;

fn minisign(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("minisign")
        .args(args)
        .current_dir(dir)
        .output()
        .expect(
            "the stock minisign tool is needed (Debian package minisign); scripts/test installs it",
        )
}

/// A project, an unprotected key pair outside it, and a signed build.
fn signed_build() -> (TempDir, TempDir) {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
        ("content/b.md", &policy("B", "")),
    ]);
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = (keys.path().join("k.pub"), keys.path().join("k.key"));
    run_ok(
        dir.path(),
        &[
            "keygen",
            "-W",
            "-p",
            public.to_str().unwrap(),
            "-s",
            secret.to_str().unwrap(),
        ],
    );
    run_ok(dir.path(), &["build", "--sign", secret.to_str().unwrap()]);
    (dir, keys)
}

#[test]
fn stock_minisign_accepts_our_signed_manifest_and_verify_passes() {
    let (dir, keys) = signed_build();
    let build = dir.path().join("build");
    let out = minisign(
        &[
            "-Vm",
            build.join("manifest.json").to_str().unwrap(),
            "-p",
            keys.path().join("k.pub").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = run(
        dir.path(),
        &[
            "verify",
            "build",
            "--pubkey",
            keys.path().join("k.pub").to_str().unwrap(),
        ],
    );
    assert!(
        report.status.success(),
        "{}{}",
        stdout(&report),
        stderr(&report)
    );
    assert!(stdout(&report).contains("Result: INTACT"));
    // The site and each package carry their own signed manifest, and the site its public key.
    let site = build.join("site");
    assert_eq!(
        std::fs::read_to_string(site.join("policybook.pub")).unwrap(),
        std::fs::read_to_string(keys.path().join("k.pub")).unwrap()
    );
    assert!(
        run(dir.path(), &["verify", site.to_str().unwrap()])
            .status
            .success(),
        "the site alone, with its own key"
    );
    let about = html(&site.join("about.html"));
    assert!(text(&select(&about, "main")[0]).contains("policybook.pub"));
    for zip in ["a-scorm12.zip", "b-scorm2004.zip"] {
        let path = build.join("scorm").join(zip);
        let out = run(
            dir.path(),
            &[
                "verify",
                path.to_str().unwrap(),
                "--pubkey",
                keys.path().join("k.pub").to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{zip}: {}", stdout(&out));
    }
    // JSON for machines.
    let json = run(
        dir.path(),
        &[
            "verify",
            "build",
            "--json",
            "--pubkey",
            keys.path().join("k.pub").to_str().unwrap(),
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["modified"], serde_json::json!([]));
}

#[test]
fn verify_accepts_a_signature_made_by_stock_minisign() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = (keys.path().join("s.pub"), keys.path().join("s.key"));
    let out = minisign(
        &[
            "-G",
            "-W",
            "-p",
            public.to_str().unwrap(),
            "-s",
            secret.to_str().unwrap(),
        ],
        keys.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = dir.path().join("build/manifest.json");
    let out = minisign(
        &[
            "-Sm",
            manifest.to_str().unwrap(),
            "-s",
            secret.to_str().unwrap(),
            "-t",
            "signed with stock minisign",
        ],
        keys.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = run(
        dir.path(),
        &["verify", "build", "--pubkey", public.to_str().unwrap()],
    );
    assert!(report.status.success(), "{}", stdout(&report));
    assert!(stdout(&report).contains("signed with stock minisign"));
}

#[test]
fn verify_names_a_changed_a_deleted_and_an_added_file() {
    let (dir, keys) = signed_build();
    let pubkey = keys.path().join("k.pub");
    let build = dir.path().join("build");
    // One byte.
    let page = build.join("site/policies/a/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[200] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(build.join("site/about.html")).unwrap();
    std::fs::write(build.join("site/extra.html"), "<p>added</p>").unwrap();
    let out = run(
        dir.path(),
        &["verify", "build", "--pubkey", pubkey.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains("modified:   site/policies/a/index.html"),
        "{report}"
    );
    assert!(report.contains("missing:    site/about.html"), "{report}");
    assert!(report.contains("unexpected: site/extra.html"), "{report}");
    // A tampered manifest fails the signature itself.
    let manifest = build.join("manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replacen("\"A\"", "\"A (edited)\"", 1);
    std::fs::write(&manifest, text).unwrap();
    let out = run(
        dir.path(),
        &["verify", "build", "--pubkey", pubkey.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("Signature: INVALID"),
        "{}",
        stdout(&out)
    );
}

/// Rewrites a zip, changing, dropping or adding entries.
fn rewrite_zip(
    path: &Path,
    change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    add: Option<(&str, &[u8])>,
) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            entries.push((name, bytes));
        }
    }
    if let Some((name, bytes)) = add {
        entries.push((name.to_owned(), bytes.to_vec()));
    }
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn verify_names_changed_deleted_and_added_files_in_a_scorm_zip() {
    let (dir, keys) = signed_build();
    let pubkey = keys.path().join("k.pub");
    let zip = dir.path().join("build/scorm/a-scorm12.zip");
    rewrite_zip(
        &zip,
        |name, mut bytes| match name {
            "index.html" => {
                bytes[100] ^= 1;
                Some(bytes)
            }
            "assets/style.css" => None,
            _ => Some(bytes),
        },
        Some(("assets/tracker.js", b"fetch('https://example.org')")),
    );
    let out = run(
        dir.path(),
        &[
            "verify",
            zip.to_str().unwrap(),
            "--pubkey",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    for line in [
        "modified:   index.html",
        "missing:    assets/style.css",
        "unexpected: assets/tracker.js",
    ] {
        assert!(report.contains(line), "{line}: {report}");
    }
}

#[test]
fn keygen_protects_the_secret_key() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    for (secret, why) in [
        ("content/k.key", "content/ folder"),
        ("build/k.key", "output folder"),
    ] {
        let lines = run_err(dir.path(), &["keygen", "-W", "-p", "k.pub", "-s", secret]);
        assert!(lines[0].contains(why), "{secret}: {lines:?}");
    }
    let keys = tempfile::tempdir().unwrap();
    let secret = keys.path().join("k.key");
    let args = [
        "keygen",
        "-W",
        "-p",
        "k.pub",
        "-s",
        secret.to_str().unwrap(),
    ];
    run_ok(dir.path(), &args);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let before = std::fs::read(&secret).unwrap();
    let lines = run_err(dir.path(), &args);
    assert!(lines[0].contains("--force"), "{lines:?}");
    assert_eq!(
        std::fs::read(&secret).unwrap(),
        before,
        "never overwritten without --force"
    );
    let mut with_force = args.to_vec();
    with_force.push("--force");
    run_ok(dir.path(), &with_force);
    assert_ne!(std::fs::read(&secret).unwrap(), before);
}

#[test]
fn password_protected_keys_sign_with_the_password_from_the_environment() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    let keys = tempfile::tempdir().unwrap();
    let secret = keys.path().join("k.key");
    let with_password = |args: &[&str], password: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_policybook"));
        cmd.args(args)
            .current_dir(dir.path())
            .env_remove("POLICYBOOK_PASSWORD");
        if let Some(p) = password {
            cmd.env("POLICYBOOK_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    let out = with_password(
        &["keygen", "-p", "k.pub", "-s", secret.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("set POLICYBOOK_PASSWORD or use -W"),
        "{}",
        stderr(&out)
    );
    let out = with_password(
        &["keygen", "-p", "k.pub", "-s", secret.to_str().unwrap()],
        Some("correct horse"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_password(
        &["build", "--sign", secret.to_str().unwrap()],
        Some("wrong"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("wrong password"), "{}", stderr(&out));
    let out = with_password(
        &["build", "--sign", secret.to_str().unwrap()],
        Some("correct horse"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("build/manifest.json.minisig").is_file());
}

#[test]
fn every_build_writes_a_manifest_of_its_policies_and_files() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("build/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["format"], "policybook-release/1");
    assert_eq!(manifest["policies"][0]["id"], "a");
    let digest = policybook::digest::content_digest(policy("A", "").as_bytes()).unwrap();
    assert_eq!(manifest["policies"][0]["digest"], serde_json::json!(digest));
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"site/index.html") && files.contains(&"scorm/a-scorm12.zip"),
        "{files:?}"
    );
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(
        !dir.path().join("build/manifest.json.minisig").exists(),
        "unsigned builds have no signature"
    );
    // Unsigned, verify says so and fails.
    let out = run(dir.path(), &["verify", "build"]);
    assert_eq!(out.status.code(), Some(1));
}
