use std::path::PathBuf;

use super::*;
use crate::release::test_support::{header, policies, sample_files, write_tree};

fn build_manifest(dir: &Path) -> ReleaseManifest {
    ReleaseManifest::for_dir(dir, header(), policies()).unwrap()
}

#[test]
fn same_tree_gives_the_same_json() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    write_tree(one.path(), &sample_files());
    // The same files written in another order, in another folder.
    let mut reversed = sample_files();
    reversed.reverse();
    write_tree(two.path(), &reversed);
    let json = build_manifest(one.path()).to_json();
    assert_eq!(json, build_manifest(one.path()).to_json());
    assert_eq!(json, build_manifest(two.path()).to_json());
    assert!(json.ends_with("}\n"));
}

#[test]
fn policies_and_files_are_sorted() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &sample_files());
    let manifest = build_manifest(dir.path());
    let ids: Vec<&str> = manifest.policies.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["e-safety", "safeguarding"]);
    let paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "empty.txt",
            "quizzes/e-safety.gift",
            "site/a-b.txt", // `-` sorts before `/`: plain byte order of the whole path
            "site/a/b.txt",
            "site/assets/style.css",
            "site/index.html",
            "site/policies/e-safety/index.html",
            "site/policies/safeguarding/index.html",
        ]
    );
    let index = manifest.file("site/index.html").unwrap();
    assert_eq!(index.size, 22);
    assert_eq!(
        index.sha256,
        crate::digest::sha256_hex(b"<h1>All Policies</h1>\n")
    );
    assert_eq!(
        manifest.file("empty.txt").unwrap().sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn manifest_files_at_the_top_are_excluded_but_inner_ones_listed() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &sample_files());
    let before = build_manifest(dir.path());
    std::fs::write(dir.path().join(MANIFEST_FILE), before.to_json()).unwrap();
    std::fs::write(dir.path().join(SIGNATURE_FILE), "sig").unwrap();
    std::fs::write(dir.path().join("site").join(MANIFEST_FILE), "{}").unwrap();
    std::fs::write(dir.path().join("site").join(SIGNATURE_FILE), "sig").unwrap();
    let after = build_manifest(dir.path());
    assert!(after.file(MANIFEST_FILE).is_none());
    assert!(after.file(SIGNATURE_FILE).is_none());
    assert!(after.file("site/manifest.json").is_some());
    assert!(after.file("site/manifest.json.minisig").is_some());
    assert_eq!(after.files.len(), before.files.len() + 2);
}

#[test]
fn exact_json_format() {
    let manifest = ReleaseManifest::new(
        header(),
        policies(),
        vec![FileEntry::for_bytes("site/index.html", b"abc")],
    )
    .unwrap();
    let expected = r#"{
  "format": "policybook-release/1",
  "policybook_version": "0.1.0",
  "organisation": "Larkfield Skills & Training",
  "build_date": "2026-11-26",
  "policies": [
    {
      "id": "e-safety",
      "title": "E-Safety Policy",
      "version": "3.1",
      "digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "approved_by": "Board of Directors",
      "effective": "2026-04-01",
      "review_due": "2027-03-12"
    },
    {
      "id": "safeguarding",
      "title": "Safeguarding Policy",
      "version": "2.0",
      "digest": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
      "approved_by": null,
      "effective": null,
      "review_due": "2027-01-31"
    }
  ],
  "files": [
    {
      "path": "site/index.html",
      "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "size": 3
    }
  ]
}
"#;
    assert_eq!(manifest.to_json(), expected);
    assert_eq!(ReleaseManifest::from_json(expected).unwrap(), manifest);
    assert_eq!(
        manifest.trusted_comment(),
        "policybook release: Larkfield Skills & Training, built 2026-11-26, 2 policies, 1 file"
    );
}

#[test]
fn from_json_rejects_unsafe_or_foreign_manifests() {
    let good = ReleaseManifest::new(header(), vec![], vec![FileEntry::for_bytes("a.txt", b"a")])
        .unwrap()
        .to_json();
    let hash = crate::digest::sha256_hex(b"a");
    let cases = [
        (
            good.replace("\"a.txt\"", "\"../etc/passwd\""),
            "plain relative path",
        ),
        (
            good.replace("\"a.txt\"", "\"/etc/passwd\""),
            "plain relative path",
        ),
        (
            good.replace("\"a.txt\"", "\"a\\\\b.txt\""),
            "plain relative path",
        ),
        (
            good.replace("\"a.txt\"", "\"site//a.txt\""),
            "plain relative path",
        ),
        (good.replace(&hash, "XYZ"), "64 lower-case hex"),
        (
            good.replace("policybook-release/1", "policybook-release/9"),
            "does not read",
        ),
        (
            good.replace("\"format\"", "\"formats\""),
            "not a policybook release manifest",
        ),
        (good.replace("\"size\"", "\"bytes\""), "not a valid"),
        ("not json".to_owned(), "not valid JSON"),
    ];
    for (text, expected) in cases {
        let message = ReleaseManifest::from_json(&text).unwrap_err();
        assert!(
            message.contains(expected),
            "{expected:?} not in {message:?}"
        );
    }
    let twice = good.replace(
        "\"files\": [",
        &format!("\"files\": [\n{{\"path\": \"a.txt\", \"sha256\": \"{hash}\", \"size\": 1}},"),
    );
    assert!(
        ReleaseManifest::from_json(&twice)
            .unwrap_err()
            .contains("twice")
    );
}

#[test]
fn new_rejects_bad_paths_and_duplicates() {
    let entry = |p: &str| FileEntry::for_bytes(p, b"x");
    assert!(ReleaseManifest::new(header(), vec![], vec![entry("../x")]).is_err());
    assert!(ReleaseManifest::new(header(), vec![], vec![entry(MANIFEST_FILE)]).is_err());
    assert!(ReleaseManifest::new(header(), vec![], vec![entry("a"), entry("a")]).is_err());
    assert!(ReleaseManifest::new(header(), vec![], vec![entry("site/manifest.json")]).is_ok());
}

#[test]
fn zip_entries_give_the_same_manifest_as_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &sample_files());
    let mut entries = sample_files();
    entries.push((MANIFEST_FILE, b"ignored".to_vec()));
    entries.push((SIGNATURE_FILE, b"ignored".to_vec()));
    let from_zip = ReleaseManifest::for_zip_entries(header(), policies(), entries).unwrap();
    assert_eq!(from_zip, build_manifest(dir.path()));
    // Borrowed names and contents work too.
    let borrowed = ReleaseManifest::for_zip_entries(
        header(),
        vec![],
        [("imsmanifest.xml", &b"<manifest/>"[..])],
    )
    .unwrap();
    assert_eq!(borrowed.files[0].path, "imsmanifest.xml");
}

#[test]
fn large_files_are_streamed_and_hashed_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    write_tree(dir.path(), &[("video.bin", big.clone())]);
    let manifest = build_manifest(dir.path());
    assert_eq!(manifest.files[0].size, big.len() as u64);
    assert_eq!(manifest.files[0].sha256, crate::digest::sha256_hex(&big));
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &sample_files());
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("site/link.txt")).unwrap();
    match ReleaseManifest::for_dir(dir.path(), header(), vec![]) {
        Err(Error::Usage(message)) => {
            assert!(message.contains("link.txt"), "{message}");
            assert!(message.contains("symbolic link"), "{message}");
        }
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn write_to_dir_writes_and_signs() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &sample_files());
    let keys = tempfile::tempdir().unwrap();
    let (_, secret, public) = crate::release::test_support::keypair(keys.path());
    let manifest = build_manifest(dir.path());
    manifest.write_to_dir(dir.path(), Some(&secret)).unwrap();
    let json = std::fs::read(dir.path().join(MANIFEST_FILE)).unwrap();
    assert_eq!(json, manifest.to_json().as_bytes());
    let signature = std::fs::read_to_string(dir.path().join(SIGNATURE_FILE)).unwrap();
    let verified = crate::release::sign::verify(&public, &json, &signature).unwrap();
    assert_eq!(verified.trusted_comment, manifest.trusted_comment());
    // Unsigned again: the stale signature goes.
    manifest.write_to_dir(dir.path(), None).unwrap();
    assert!(!dir.path().join(SIGNATURE_FILE).exists());
    assert_eq!(manifest.release_files(None).unwrap().len(), 1);
}

#[test]
fn header_and_policies_from_the_example_project() {
    let project = crate::load(&crate::LoadOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        today: crate::Date::parse("2026-11-26").ok(),
        ..Default::default()
    })
    .unwrap();
    let header = ManifestHeader::for_project(&project);
    assert_eq!(header.build_date, "2026-11-26");
    assert_eq!(header.policybook_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(header.organisation, project.config.organisation);
    let entries: Vec<PolicyEntry> = project
        .policies
        .iter()
        .map(PolicyEntry::from_policy)
        .collect();
    let manifest = ReleaseManifest::new(header, entries, vec![]).unwrap();
    assert_eq!(manifest.policies.len(), project.policies.len());
    for (entry, policy) in manifest.policies.iter().zip({
        let mut sorted: Vec<_> = project.policies.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        sorted
    }) {
        assert_eq!(entry.id, policy.id);
        assert_eq!(entry.digest, policy.digest);
        assert_eq!(entry.review_due, policy.review_due.map(|d| d.to_string()));
        assert!(is_hex_digest(&entry.digest));
    }
}
