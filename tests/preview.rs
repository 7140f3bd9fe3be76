//! `serve`'s preview: after an edit of a policy's body only, the preview is updated in place
//! (only what changed is rendered and written), and it is byte-identical to a preview built
//! from scratch; an edit that every page can show (front matter, roles, theme) builds it staged.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;
use policybook::{LoadOptions, Preview, build_preview, content::ParsedPolicies};

/// The seed-shaped fixture (agreements, roles, duties and prohibitions), released, with
/// `it-use` bumped to an unreleased 2.1 so that its body can change.
fn project_with_a_draft() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in read_tree(&repo_root().join("tests/fixtures/seed-shaped")) {
        write(dir.path(), &path, &String::from_utf8(bytes).unwrap());
    }
    run_ok(dir.path(), &["release", "--today", "2026-11-20"]);
    edit(
        dir.path(),
        "content/it-use.md",
        "version: \"2.0\"",
        "version: \"2.1\"",
    );
    dir
}

#[track_caller]
fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    write(root, path, &text.replacen(from, to, 1));
}

/// Options as `serve` loads with: parsed policies are kept between builds.
fn serve_options(root: &Path) -> LoadOptions {
    LoadOptions {
        root: root.to_path_buf(),
        parsed: Some(ParsedPolicies::default()),
        ..LoadOptions::default()
    }
}

/// The site of a preview built from scratch into `out`.
fn fresh_preview(root: &Path, out: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = root.join(out);
    build_preview(&serve_options(root), &out, &mut None).unwrap();
    read_tree(&out.join("site"))
}

/// The same files with the same bytes; on failure, names the files that differ.
#[track_caller]
fn assert_same_site(
    got: &std::collections::BTreeMap<String, Vec<u8>>,
    want: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    let differ: Vec<&String> = got
        .keys()
        .chain(want.keys())
        .filter(|path| got.get(*path) != want.get(*path))
        .collect();
    assert!(differ.is_empty(), "these files differ: {differ:?}");
}

fn site_inode(out: &Path) -> u64 {
    std::fs::metadata(out.join("site")).unwrap().ino()
}

#[test]
fn a_preview_updated_in_place_matches_one_built_from_scratch() {
    let dir = project_with_a_draft();
    let root = dir.path();
    let out = root.join(".preview");
    let options = serve_options(root);
    let mut preview: Option<Preview> = None;
    build_preview(&options, &out, &mut preview).unwrap();
    assert!(preview.is_some());
    let staged = site_inode(&out);
    assert!(
        !out.join("site/search").exists(),
        "serve makes the search index in memory"
    );

    // A new prohibition for learners: the policy's pages, the role pages and the matrix change.
    edit(
        root,
        "content/it-use.md",
        "- anything that urges others to break the law.",
        "- anything that urges others to break the law;\n- a photo of anyone without asking them first.",
    );
    let report = build_preview(&options, &out, &mut preview).unwrap();
    assert_eq!(site_inode(&out), staged, "updated in place, not swapped");
    assert_eq!(report.reuse.rendered, 1, "{:?}", report.reuse);
    let page = std::fs::read_to_string(out.join("site/policies/it-use/index.html")).unwrap();
    assert!(page.contains("a photo of anyone without asking them first"));
    assert_same_site(
        &read_tree(&out.join("site")),
        &fresh_preview(root, "fresh-1"),
    );
    assert!(
        !walkdir::WalkDir::new(&out).into_iter().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")),
        "no file is left half-written"
    );

    // A broken body keeps the preview as it was, and the fix is still updated in place.
    edit(
        root,
        "content/it-use.md",
        "## 8. Contacts",
        "<script>\n\n## 8. Contacts",
    );
    assert!(build_preview(&options, &out, &mut preview).is_err());
    assert!(
        preview.is_some(),
        "nothing was written, so the preview stands"
    );
    edit(root, "content/it-use.md", "<script>\n\n", "");
    build_preview(&options, &out, &mut preview).unwrap();
    assert_eq!(site_inode(&out), staged);
    assert_same_site(
        &read_tree(&out.join("site")),
        &fresh_preview(root, "fresh-2"),
    );

    // A title shows on every page that lists the policy: the preview is built staged.
    edit(root, "content/it-use.md", "title: ", "title: Revised ");
    build_preview(&options, &out, &mut preview).unwrap();
    assert_ne!(site_inode(&out), staged, "built staged and swapped in");
    assert_same_site(
        &read_tree(&out.join("site")),
        &fresh_preview(root, "fresh-3"),
    );

    // A restarted `serve` builds over its earlier preview, which has no manifest.
    build_preview(&serve_options(root), &out, &mut None).unwrap();
    assert_same_site(
        &read_tree(&out.join("site")),
        &fresh_preview(root, "fresh-4"),
    );
}

#[test]
fn a_preview_is_the_built_site_without_its_search_index_and_pdfs() {
    let dir = project_with_a_draft();
    let root = dir.path();
    run_ok(root, &["build"]);
    let mut built = read_tree(&root.join("build/site"));
    built.retain(|path, _| !path.starts_with("search/") && !path.starts_with("pdf/"));
    assert_same_site(&fresh_preview(root, ".preview"), &built);
}

#[test]
fn a_picture_dropped_from_a_body_leaves_no_file_or_folder_behind() {
    let dir = project_with_a_draft();
    let root = dir.path();
    let picture = root.join("content/pictures/signs/wifi.png");
    std::fs::create_dir_all(picture.parent().unwrap()).unwrap();
    std::fs::copy(
        repo_root().join("tests/fixtures/import/wifi-sign.png"),
        &picture,
    )
    .unwrap();
    let shown = "\n\n![The Wi-Fi sign](pictures/signs/wifi.png)\n\n## 8. Contacts";
    edit(root, "content/it-use.md", "\n\n## 8. Contacts", shown);
    let out = root.join(".preview");
    let options = serve_options(root);
    let mut preview = None;
    build_preview(&options, &out, &mut preview).unwrap();
    let published = out.join("site/policies/it-use/pictures/signs/wifi.png");
    assert!(published.is_file());

    let staged = site_inode(&out);
    edit(root, "content/it-use.md", shown, "\n\n## 8. Contacts");
    build_preview(&options, &out, &mut preview).unwrap();
    assert_eq!(site_inode(&out), staged, "updated in place");
    assert!(!published.exists());
    assert!(
        !out.join("site/policies/it-use/pictures").exists(),
        "its folders went with it"
    );
    assert!(out.join("site/policies/it-use/index.html").is_file());
    assert_same_site(&read_tree(&out.join("site")), &fresh_preview(root, "fresh"));
}
