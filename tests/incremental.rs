//! Incremental builds: a rebuild reuses the previous build's files whose inputs did not change,
//! and its output is byte-identical to a clean build's.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;

/// Two policies, `a` released as 1.0 then 1.1 (so it has an archived page and a changes page),
/// and a quiz on `b`.
fn project_with_history() -> TempDir {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Policy A", "")),
        ("content/b.md", &policy("Policy B", "")),
        (
            "quizzes/b.gift",
            "::q1:: Policy B says to do this. {T}\n\n::q2:: Policy B says to do that. {F}\n",
        ),
        (
            "quizzes/b.quiz.toml",
            "title = \"Policy B check\"\npolicy = \"b\"\npass_mark = 50\n",
        ),
    ]);
    run_ok(dir.path(), &["release", "--today", "2026-11-20"]);
    let a = policy("Policy A", "")
        .replace("1.0", "1.1")
        .replace("Do this.", "Do this daily.");
    write(dir.path(), "content/a.md", &a);
    run_ok(dir.path(), &["release", "--today", "2026-12-01"]);
    dir
}

/// Runs a build that must succeed; returns its summary (standard output).
#[track_caller]
fn build_ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?} failed:\n{}", stderr(&out));
    stdout(&out)
}

/// `verify` of an unsigned build: every file as listed (it still fails, for want of a signature).
#[track_caller]
fn assert_every_file_matches_the_manifest(dir: &Path) {
    let report = stdout(&run(dir, &["verify", "build"]));
    assert!(
        report.contains(" unchanged, 0 modified, 0 missing; 0 unexpected"),
        "{report}"
    );
}

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

fn clean_build(dir: &Path, out: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    build_ok(dir, &["build", "--fresh", "--out", out]);
    read_tree(&dir.join(out))
}

#[test]
fn a_rebuild_reuses_unchanged_files_and_matches_a_clean_build() {
    let dir = project_with_history();
    let first = build_ok(dir.path(), &["build"]);
    assert!(!first.contains("reused"), "{first}");
    let build = dir.path().join("build");
    let page_b = build.join("site/policies/b/index.html");
    let archived_a = build.join("site/policies/a/version-1.0.html");
    let changes_a = build.join("site/policies/a/changes-1.0-to-1.1.html");
    let zip_b = build.join("scorm/b-scorm12.zip");
    let before: Vec<u64> = [&page_b, &archived_a, &changes_a, &zip_b]
        .iter()
        .map(|p| inode(p))
        .collect();

    let again = build_ok(dir.path(), &["build"]);
    assert!(
        again.contains("reused 4 of 4 policies and modules unchanged since the last build"),
        "{again}"
    );
    let after: Vec<u64> = [&page_b, &archived_a, &changes_a, &zip_b]
        .iter()
        .map(|p| inode(p))
        .collect();
    assert_eq!(
        before, after,
        "unchanged files are the same files, not rewritten"
    );
    assert!(build.join(".policybook-index").is_file());
    assert_eq!(read_tree(&build), clean_build(dir.path(), "clean"));
    assert_every_file_matches_the_manifest(dir.path());
}

#[test]
fn editing_one_policy_renders_only_that_policy_again() {
    let dir = project_with_history();
    // A new draft of b: its front matter changes (the version), which other pages show, so
    // everything is rendered once.
    let draft = std::fs::read_to_string(dir.path().join("content/b.md"))
        .unwrap()
        .replace("1.0", "1.1")
        .replace("Do not do that.", "Do not do that at all.");
    write(dir.path(), "content/b.md", &draft);
    build_ok(dir.path(), &["build"]);
    let build = dir.path().join("build");
    let page_a = build.join("site/policies/a/index.html");
    let page_b = build.join("site/policies/b/index.html");
    let (a_before, b_before) = (inode(&page_a), inode(&page_b));

    // Editing the draft's text again renders only b's pages and package again.
    write(
        dir.path(),
        "content/b.md",
        &draft.replace("Do not do that at all.", "Never do that."),
    );
    let out = build_ok(dir.path(), &["build"]);
    assert!(out.contains("reused 2 of 4"), "{out}");
    assert_eq!(inode(&page_a), a_before);
    assert_ne!(inode(&page_b), b_before);
    let b = std::fs::read_to_string(&page_b).unwrap();
    assert!(b.contains("Never do that."), "the edit is in the new page");
    let zip = std::fs::read(build.join("scorm/b-scorm2004.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut page = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut page).unwrap();
    assert!(
        page.contains("Never do that."),
        "the edit is in the new package"
    );
    assert_eq!(read_tree(&build), clean_build(dir.path(), "clean"));
}

#[test]
fn a_changed_theme_or_date_renders_everything_again() {
    let dir = project_with_history();
    build_ok(dir.path(), &["build"]);
    write(
        dir.path(),
        "themes/default/assets/extra.css",
        "body { margin: 0 }\n",
    );
    let out = build_ok(dir.path(), &["build"]);
    assert!(!out.contains("reused"), "{out}");
    let out = build_ok(dir.path(), &["build", "--today", "2026-12-24"]);
    assert!(!out.contains("reused"), "{out}");
    let again = build_ok(dir.path(), &["build", "--today", "2026-12-24"]);
    assert!(again.contains("reused 4 of 4"), "{again}");
}

#[test]
fn a_file_edited_in_the_output_is_never_reused() {
    let dir = project_with_history();
    build_ok(dir.path(), &["build"]);
    let page = dir.path().join("build/site/policies/a/version-1.0.html");
    let original = std::fs::read(&page).unwrap();
    // Same size, other bytes, as a careless hand edit (or tampering) might leave it.
    let mut edited = original.clone();
    let at = edited.len() / 2;
    edited[at] = if edited[at] == b'x' { b'y' } else { b'x' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&page, &edited).unwrap();

    let out = build_ok(dir.path(), &["build"]);
    assert!(out.contains("reused 3 of 4"), "{out}");
    assert_eq!(std::fs::read(&page).unwrap(), original);
    assert_every_file_matches_the_manifest(dir.path());
}

#[test]
fn a_damaged_or_foreign_index_only_means_nothing_is_reused() {
    let dir = project_with_history();
    build_ok(dir.path(), &["build"]);
    let index = dir.path().join("build/.policybook-index");
    for text in [
        "not an index\n",
        "policybook-index 1\nsite/../../escape\tk\tzz\t1\t1\t1\n",
        "",
    ] {
        std::fs::write(&index, text).unwrap();
        let out = build_ok(dir.path(), &["build"]);
        assert!(!out.contains("reused"), "{text:?}: {out}");
    }
    assert_eq!(
        read_tree(&dir.path().join("build")),
        clean_build(dir.path(), "clean")
    );
    assert!(!dir.path().join("escape").exists());
}

#[test]
fn a_signed_rebuild_reuses_files_and_still_verifies() {
    let dir = project_with_history();
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = (keys.path().join("k.pub"), keys.path().join("k.key"));
    let (public, secret) = (public.to_str().unwrap(), secret.to_str().unwrap());
    run_ok(dir.path(), &["keygen", "-W", "-p", public, "-s", secret]);
    build_ok(dir.path(), &["build", "--sign", secret]);
    let again = build_ok(dir.path(), &["build", "--sign", secret]);
    assert!(again.contains("reused 4 of 4"), "{again}");
    run_ok(dir.path(), &["verify", "build", "--pubkey", public]);
    run_ok(
        dir.path(),
        &["build", "--fresh", "--sign", secret, "--out", "clean"],
    );
    assert_eq!(
        read_tree(&dir.path().join("build")),
        read_tree(&dir.path().join("clean"))
    );
    // Unsigned after signed: every page shows whether the release is signed, and packages
    // carry their signed manifest, so nothing is reused.
    let unsigned = build_ok(dir.path(), &["build"]);
    assert!(!unsigned.contains("reused"), "{unsigned}");
}

#[test]
fn the_seed_shaped_fixture_rebuilds_to_the_same_output() {
    // Agreements per audience (a module per audience), roles, duties and history together.
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in read_tree(&repo_root().join("tests/fixtures/seed-shaped")) {
        write(dir.path(), &path, &String::from_utf8(bytes).unwrap());
    }
    run_ok(dir.path(), &["release", "--today", "2026-11-20"]);
    let edited = std::fs::read_to_string(dir.path().join("content/it-use.md"))
        .unwrap()
        .replacen("version: \"2.0\"", "version: \"2.1\"", 1);
    write(dir.path(), "content/it-use.md", &edited);
    build_ok(dir.path(), &["build"]);
    let again = build_ok(dir.path(), &["build"]);
    let counts: Vec<&str> = again
        .split("reused ")
        .nth(1)
        .unwrap_or_else(|| panic!("nothing reused: {again}"))
        .split_whitespace()
        .collect();
    assert_eq!(counts[0], counts[2], "everything is reused: {again}");
    assert_eq!(
        read_tree(&dir.path().join("build")),
        clean_build(dir.path(), "clean")
    );
}

/// The output a build replaces is kept as `.build.spare`, and the next build is made over it
/// (see src/output/recycle.rs): whatever was left or planted there never reaches the new
/// output, and nothing is written through a link in it.
#[test]
fn a_build_over_a_tampered_spare_matches_a_clean_build() {
    let dir = project_with_history();
    build_ok(dir.path(), &["build"]);
    build_ok(dir.path(), &["build", "--fresh"]);
    let spare = dir.path().join(".build.spare");
    assert!(spare.join("site/index.html").is_file(), "no spare kept");
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "keep.txt", "do not touch");
    // An edited page, strays, a folder where a page goes, a file where a folder goes, and
    // links where a folder and a page go.
    write(&spare, "site/policies/a/index.html", "edited");
    write(&spare, "site/stray.html", "stray");
    write(&spare, "gone/folder/x.txt", "stray");
    let page_b = spare.join("site/policies/b/index.html");
    std::fs::remove_file(&page_b).unwrap();
    write(&page_b, "inside.txt", "a folder where a page goes");
    std::fs::remove_dir_all(spare.join("site/assets")).unwrap();
    write(&spare, "site/assets", "a file where a folder goes");
    std::fs::remove_dir_all(spare.join("site/search")).unwrap();
    std::os::unix::fs::symlink(outside.path(), spare.join("site/search")).unwrap();
    std::fs::remove_file(spare.join("site/about.html")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("keep.txt"),
        spare.join("site/about.html"),
    )
    .unwrap();

    build_ok(dir.path(), &["build", "--fresh"]);
    assert_eq!(
        read_tree(&dir.path().join("build")),
        clean_build(dir.path(), "clean")
    );
    assert_every_file_matches_the_manifest(dir.path());
    let names: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["keep.txt"], "something was written through a link");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("keep.txt")).unwrap(),
        "do not touch"
    );
}

/// After a rebuild the spare and the live output share their unchanged files (hard links). A
/// build over the spare that edits those files and then fails must leave the live output as it
/// was: a shared file is replaced, never rewritten in place.
#[test]
fn a_failed_build_over_the_spare_leaves_the_live_output_as_it_was() {
    let dir = project_with_history();
    build_ok(dir.path(), &["build"]);
    build_ok(dir.path(), &["build"]);
    let live = dir.path().join("build");
    let page_a = "site/policies/a/index.html";
    assert_eq!(
        inode(&live.join(page_a)),
        inode(&dir.path().join(".build.spare").join(page_a)),
        "the spare shares the unchanged page"
    );
    let before = read_tree(&live);
    // A new text of `a` (its pages are written over the spare), then a template that fails
    // only once the SCORM packages are made.
    let a = std::fs::read_to_string(dir.path().join("content/a.md"))
        .unwrap()
        .replace("\"1.1\"", "\"1.2\"")
        .replace("Do this daily.", "Do this every day.");
    write(dir.path(), "content/a.md", &a);
    write(
        dir.path(),
        "themes/default/templates/scorm.html",
        "{{ no_such_value }}",
    );
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("scorm.html"), "{err}");
    let after = read_tree(&live);
    let changed: Vec<&String> = (before.keys().chain(after.keys()))
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert!(changed.is_empty(), "the live output changed: {changed:?}");

    std::fs::remove_file(dir.path().join("themes/default/templates/scorm.html")).unwrap();
    build_ok(dir.path(), &["build"]);
    let page = std::fs::read_to_string(live.join(page_a)).unwrap();
    assert!(page.contains("Do this every day."), "the edit is published");
    assert_eq!(read_tree(&live), clean_build(dir.path(), "clean"));
}

/// A page changed back to what it was two builds ago is rebuilt over the spare's copy, which has
/// the same bytes; its time must still be newer than that of the page it replaces, or a server
/// asked "modified since?" would tell browsers and proxies to keep the replaced one.
#[test]
fn a_page_changed_back_is_newer_than_the_page_it_replaces() {
    let dir = project_with_history();
    let source = dir.path().join("content/a.md");
    let released = std::fs::read_to_string(&source).unwrap();
    let page = dir.path().join("build/site/policies/a/index.html");
    let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
    build_ok(dir.path(), &["build"]);
    let first = std::fs::read(&page).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let draft = released
        .replace("\"1.1\"", "\"1.2\"")
        .replace("Do this daily.", "Do this hourly.");
    write(dir.path(), "content/a.md", &draft);
    build_ok(dir.path(), &["build"]);
    let replaced = modified(&page);
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(dir.path(), "content/a.md", &released);
    build_ok(dir.path(), &["build"]);
    assert_eq!(std::fs::read(&page).unwrap(), first);
    assert!(modified(&page) > replaced, "the page went back in time");
}
