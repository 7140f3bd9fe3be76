use std::path::PathBuf;

use super::*;
use crate::release::keys::SecretKeyHandle;
use crate::release::test_support::{
    assert_success, header, keypair, policies, run_minisign, sample_files, write_tree, zip_bytes,
};

struct Signed {
    _dirs: Vec<tempfile::TempDir>,
    /// The folder or zip to verify.
    path: PathBuf,
    secret: SecretKeyHandle,
    public: PublicKeyHandle,
    keys: PathBuf,
}

/// A build folder holding `sample_files()`, with a signed manifest at its top.
fn signed_folder() -> Signed {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let (_, secret, public) = keypair(keys.path());
    write_tree(dir.path(), &sample_files());
    let manifest = ReleaseManifest::for_dir(dir.path(), header(), policies()).unwrap();
    manifest.write_to_dir(dir.path(), Some(&secret)).unwrap();
    Signed {
        path: dir.path().to_path_buf(),
        keys: keys.path().to_path_buf(),
        _dirs: vec![dir, keys],
        secret,
        public,
    }
}

/// A SCORM-like zip of `sample_files()` (plus the public key when `with_key`), with its signed
/// manifest at the root, built as the CLI will: manifest of the entries, then the zip.
fn signed_zip_with(with_key: bool, change: impl Fn(&mut Vec<(&str, Vec<u8>)>)) -> Signed {
    let dir = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let (_, secret, public) = keypair(keys.path());
    let mut entries = sample_files();
    if with_key {
        entries.push((PUBLIC_KEY_FILE, public.to_file_text().into_bytes()));
    }
    let manifest = ReleaseManifest::for_zip_entries(header(), policies(), entries.clone()).unwrap();
    let release = manifest.release_files(Some(&secret)).unwrap();
    entries.extend(release);
    change(&mut entries);
    let path = dir.path().join("e-safety.zip");
    std::fs::write(&path, zip_bytes(&entries)).unwrap();
    Signed {
        path,
        keys: keys.path().to_path_buf(),
        _dirs: vec![dir, keys],
        secret,
        public,
    }
}

fn signed_zip(change: impl Fn(&mut Vec<(&str, Vec<u8>)>)) -> Signed {
    signed_zip_with(false, change)
}

fn flip_one_byte(bytes: &mut [u8]) {
    bytes[3] ^= 0x20;
}

fn assert_valid(report: &VerifyReport, public: &PublicKeyHandle) {
    match &report.signature {
        SignatureStatus::Valid {
            key_id,
            trusted_comment,
        } => {
            assert_eq!(key_id, public.key_id());
            assert_eq!(trusted_comment, &report.manifest.trusted_comment());
        }
        other => panic!("expected a valid signature, got {other:?}"),
    }
}

#[test]
fn intact_folder_verifies() {
    let build = signed_folder();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_valid(&report, &build.public);
    assert!(report.is_intact(), "{}", report.summary());
    assert_eq!(report.checked, sample_files().len());
    assert_eq!(report.kind, TargetKind::Folder);
    assert_eq!(
        report.key,
        KeySource::Given {
            origin: build.keys.join("key.pub").display().to_string(),
            key_id: build.public.key_id().to_owned(),
        }
    );
    let summary = report.summary();
    assert!(summary.contains("Result: INTACT"), "{summary}");
    assert!(summary.contains("given with --pubkey"), "{summary}");
    assert!(summary.contains("8 checked: 8 unchanged, 0 modified, 0 missing; 0 unexpected"));
}

#[test]
fn folder_changes_are_each_named() {
    // One byte changed, size unchanged.
    let build = signed_folder();
    let file = build.path.join("site/index.html");
    let mut bytes = std::fs::read(&file).unwrap();
    flip_one_byte(&mut bytes);
    std::fs::write(&file, bytes).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_valid(&report, &build.public);
    assert_eq!(report.modified, ["site/index.html"]);
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    assert!(!report.is_intact());
    assert!(report.summary().contains("  modified:   site/index.html\n"));

    // A deleted file.
    let build = signed_folder();
    std::fs::remove_file(build.path.join("site/assets/style.css")).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.missing, ["site/assets/style.css"]);
    assert!(report.modified.is_empty() && report.unexpected.is_empty());
    assert!(!report.is_intact());

    // An added file, and an added empty folder (not a file, so not reported).
    let build = signed_folder();
    std::fs::write(build.path.join("site/policies/extra.html"), "x").unwrap();
    std::fs::create_dir(build.path.join("site/empty")).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.unexpected, ["site/policies/extra.html"]);
    assert!(report.modified.is_empty() && report.missing.is_empty());
    assert!(!report.is_intact());

    // All at once, with the summary naming every file.
    let build = signed_folder();
    std::fs::write(build.path.join("site/a/b.txt"), "slasH\n").unwrap();
    std::fs::write(build.path.join("empty.txt"), "now not empty").unwrap();
    std::fs::remove_file(build.path.join("quizzes/e-safety.gift")).unwrap();
    std::fs::write(build.path.join("notes.txt"), "x").unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.modified, ["empty.txt", "site/a/b.txt"]);
    assert_eq!(report.missing, ["quizzes/e-safety.gift"]);
    assert_eq!(report.unexpected, ["notes.txt"]);
    let summary = report.summary();
    for line in [
        "Files: 8 checked: 5 unchanged, 2 modified, 1 missing; 1 unexpected",
        "  modified:   empty.txt\n",
        "  modified:   site/a/b.txt\n",
        "  missing:    quizzes/e-safety.gift\n",
        "  unexpected: notes.txt\n",
        "Result: NOT INTACT: the manifest is validly signed, but 4 files do not match it",
    ] {
        assert!(summary.contains(line), "{line:?} not in:\n{summary}");
    }
}

#[test]
fn zip_changes_are_each_named() {
    let intact = signed_zip(|_| {});
    let report = verify_path(&intact.path, Some(&intact.public)).unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    assert_eq!(report.kind, TargetKind::Zip);
    assert!(report.summary().contains("Checked package"));

    let changed = signed_zip(|entries| {
        let entry = entries
            .iter_mut()
            .find(|(n, _)| *n == "site/index.html")
            .unwrap();
        flip_one_byte(&mut entry.1);
    });
    let report = verify_path(&changed.path, Some(&changed.public)).unwrap();
    assert_valid(&report, &changed.public);
    assert_eq!(report.modified, ["site/index.html"]);
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    assert!(!report.is_intact());

    let deleted = signed_zip(|entries| entries.retain(|(n, _)| *n != "site/a-b.txt"));
    let report = verify_path(&deleted.path, Some(&deleted.public)).unwrap();
    assert_eq!(report.missing, ["site/a-b.txt"]);
    assert!(report.modified.is_empty() && report.unexpected.is_empty());
    assert!(!report.is_intact());

    let added = signed_zip(|entries| entries.push(("scorm_extra.js", b"alert(1)".to_vec())));
    let report = verify_path(&added.path, Some(&added.public)).unwrap();
    assert_eq!(report.unexpected, ["scorm_extra.js"]);
    assert!(report.modified.is_empty() && report.missing.is_empty());
    assert!(!report.is_intact());
    assert!(report.summary().contains("  unexpected: scorm_extra.js\n"));
}

#[test]
fn tampered_manifest_fails_the_signature() {
    // Change a file and "fix" the manifest to match: the signature no longer does.
    let build = signed_folder();
    std::fs::write(build.path.join("site/index.html"), "<h1>Changed</h1>\n").unwrap();
    let forged = ReleaseManifest::for_dir(&build.path, header(), policies()).unwrap();
    std::fs::write(build.path.join(MANIFEST_FILE), forged.to_json()).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    match &report.signature {
        SignatureStatus::Invalid(reason) => {
            assert!(reason.contains("changed after it was signed"), "{reason}");
        }
        other => panic!("expected an invalid signature, got {other:?}"),
    }
    assert!(report.files_match());
    assert!(!report.is_intact());
    let summary = report.summary();
    assert!(summary.contains("Signature: INVALID"), "{summary}");
    assert!(
        summary.contains("Result: NOT INTACT: the signature is not valid"),
        "{summary}"
    );

    // The same in a zip.
    let zip = signed_zip(|entries| {
        let manifest = entries
            .iter_mut()
            .find(|(n, _)| *n == MANIFEST_FILE)
            .unwrap();
        let text = String::from_utf8(manifest.1.clone()).unwrap();
        manifest.1 = text.replace("\"3.1\"", "\"3.2\"").into_bytes();
    });
    let report = verify_path(&zip.path, Some(&zip.public)).unwrap();
    assert!(matches!(report.signature, SignatureStatus::Invalid(_)));
    assert!(!report.is_intact());
}

#[test]
fn stock_minisign_accepts_the_written_manifest() {
    let build = signed_folder();
    let out = run_minisign(
        &build.path,
        &[
            "-V",
            "-m",
            MANIFEST_FILE,
            "-p",
            build.keys.join("key.pub").to_str().unwrap(),
        ],
        None,
    );
    let text = assert_success(&out, "minisign -Vm manifest.json -p key.pub");
    assert!(
        text.contains("policybook release: Larkfield Skills & Training"),
        "{text}"
    );
}

#[test]
fn key_found_in_the_copy_is_used_and_flagged_as_weaker() {
    let site = signed_zip_with(true, |_| {});
    let report = verify_path(&site.path, None).unwrap();
    assert_valid(&report, &site.public);
    assert!(report.is_intact());
    assert_eq!(
        report.key,
        KeySource::FoundInCopy {
            path: PUBLIC_KEY_FILE.to_owned(),
            key_id: site.public.key_id().to_owned(),
        }
    );
    let summary = report.summary();
    assert!(
        summary.contains("found INSIDE the copy being checked"),
        "{summary}"
    );
    assert!(summary.contains("--pubkey"), "{summary}");
    assert!(summary.contains("Result: INTACT, checked with the key found inside the copy"));

    // In a whole build, the site's key is found under site/.
    let build = signed_folder();
    std::fs::create_dir_all(build.path.join("site")).unwrap();
    std::fs::write(
        build.path.join("site").join(PUBLIC_KEY_FILE),
        build.public.to_file_text(),
    )
    .unwrap();
    let manifest = ReleaseManifest::for_dir(&build.path, header(), policies()).unwrap();
    manifest
        .write_to_dir(&build.path, Some(&build.secret))
        .unwrap();
    let report = verify_path(&build.path, None).unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    assert!(
        matches!(&report.key, KeySource::FoundInCopy { path, .. } if path == "site/policybook.pub")
    );
}

#[test]
fn unsigned_or_unkeyed_copies_are_not_intact() {
    let build = signed_folder();
    std::fs::remove_file(build.path.join(SIGNATURE_FILE)).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.signature, SignatureStatus::Missing);
    assert!(report.files_match());
    assert!(!report.is_intact());
    let summary = report.summary();
    assert!(
        summary.contains("Result: NOT VERIFIED: the manifest is not signed"),
        "{summary}"
    );
    assert!(summary.contains("Every file matches it."), "{summary}");

    let build = signed_folder();
    let report = verify_path(&build.path, None).unwrap();
    assert_eq!(report.signature, SignatureStatus::NoPublicKey);
    assert_eq!(report.key, KeySource::None);
    assert!(!report.is_intact());
    assert!(report.summary().contains("NOT CHECKED"));
}

#[test]
fn wrong_key_is_reported_with_both_ids() {
    let site = signed_zip_with(true, |_| {});
    let other = tempfile::tempdir().unwrap();
    let (_, _, other_public) = keypair(other.path());
    let report = verify_path(&site.path, Some(&other_public)).unwrap();
    match &report.signature {
        SignatureStatus::Invalid(reason) => {
            assert!(reason.contains(site.public.key_id()), "{reason}");
            assert!(reason.contains(other_public.key_id()), "{reason}");
        }
        other => panic!("expected an invalid signature, got {other:?}"),
    }
    assert!(
        report.notes.iter().any(|n| n.contains("not the key given")),
        "{:?}",
        report.notes
    );
    assert!(!report.is_intact());
}

#[test]
fn whole_build_and_its_site_verify_separately() {
    let build = signed_folder();
    let site = build.path.join("site");
    std::fs::write(site.join(PUBLIC_KEY_FILE), build.public.to_file_text()).unwrap();
    // Inner manifest first, then the outer one, which then covers the inner one.
    ReleaseManifest::for_dir(&site, header(), policies())
        .unwrap()
        .write_to_dir(&site, Some(&build.secret))
        .unwrap();
    let outer = ReleaseManifest::for_dir(&build.path, header(), policies()).unwrap();
    assert!(outer.file("site/manifest.json").is_some());
    outer
        .write_to_dir(&build.path, Some(&build.secret))
        .unwrap();

    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    let report = verify_path(&site, Some(&build.public)).unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    assert_eq!(report.checked, 7, "6 site files and policybook.pub");
    // Giving manifest.json itself means its folder.
    let report = verify_path(&site.join(MANIFEST_FILE), None).unwrap();
    assert!(report.is_intact(), "{}", report.summary());

    // A copy of the site on a shared drive, with one page edited.
    std::fs::write(site.join("index.html"), "<h1>All Policies!</h1>\n").unwrap();
    let report = verify_path(&site, Some(&build.public)).unwrap();
    assert_eq!(report.modified, ["index.html"]);
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.modified, ["site/index.html"]);
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_the_copy_are_never_followed() {
    let build = signed_folder();
    // A listed file replaced by a link to a file with the same content: modified.
    let real = build.path.join("real.txt");
    std::fs::copy(build.path.join("site/a-b.txt"), &real).unwrap();
    std::fs::remove_file(build.path.join("site/a-b.txt")).unwrap();
    std::os::unix::fs::symlink(&real, build.path.join("site/a-b.txt")).unwrap();
    // An unlisted link: unexpected.
    std::os::unix::fs::symlink("/etc", build.path.join("etc")).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    assert_eq!(report.modified, ["site/a-b.txt"]);
    assert_eq!(report.unexpected, ["etc", "real.txt"]);
}

#[test]
fn json_report_for_machines() {
    let build = signed_folder();
    std::fs::remove_file(build.path.join("empty.txt")).unwrap();
    let report = verify_path(&build.path, Some(&build.public)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(value["intact"], false);
    assert_eq!(value["kind"], "folder");
    assert_eq!(value["signature"]["status"], "valid");
    assert_eq!(value["signature"]["key_id"], build.public.key_id());
    assert_eq!(value["public_key"]["source"], "given");
    assert_eq!(value["missing"][0], "empty.txt");
    assert_eq!(value["checked"], 8);
    assert_eq!(
        value["release"]["organisation"],
        "Larkfield Skills & Training"
    );
    assert_eq!(value["release"]["policies"][0]["id"], "e-safety");
    assert!(report.to_json().ends_with("}\n"));
}

#[test]
fn unusable_targets_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    match verify_path(dir.path(), None) {
        Err(Error::Usage(message)) => assert!(message.contains("no manifest.json"), "{message}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    let not_zip = dir.path().join("file.zip");
    std::fs::write(&not_zip, "plain text").unwrap();
    match verify_path(&not_zip, None) {
        Err(Error::Usage(message)) => assert!(message.contains("zip"), "{message}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    let zip = dir.path().join("other.zip");
    std::fs::write(&zip, zip_bytes(&[("a.txt", b"a".to_vec())])).unwrap();
    match verify_path(&zip, None) {
        Err(Error::Usage(message)) => assert!(message.contains("no manifest.json"), "{message}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
    assert!(matches!(
        verify_path(&dir.path().join("absent"), None),
        Err(Error::Io { .. })
    ));
}

#[test]
fn zip_with_a_duplicated_name_is_refused() {
    // Writers refuse duplicate names, so rename an extra entry by patching the bytes: every
    // occurrence of the name (local header and central directory) changes the same way. The
    // forged copy comes first, where many unzip programs would pick it.
    for evil_first in [true, false] {
        let zip = signed_zip(|entries| {
            let evil = ("site/index.htmX", b"<evil/>".to_vec());
            if evil_first {
                entries.insert(0, evil);
            } else {
                entries.push(evil);
            }
        });
        let mut bytes = std::fs::read(&zip.path).unwrap();
        let from = b"site/index.htmX";
        let mut patched = 0;
        for i in 0..bytes.len() - from.len() {
            if &bytes[i..i + from.len()] == from {
                bytes[i + from.len() - 1] = b'l';
                patched += 1;
            }
        }
        assert_eq!(patched, 2);
        std::fs::write(&zip.path, bytes).unwrap();
        match verify_path(&zip.path, Some(&zip.public)) {
            Err(Error::Usage(message)) => {
                assert!(
                    message.contains("two entries with the same name"),
                    "{message}"
                )
            }
            other => panic!("expected a usage error, got {other:?}"),
        }
    }
}
