//! Builds the repository's own example project and checks the website as a reader gets it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

/// Builds the example project into a fresh temporary folder; returns (tempdir, site dir).
fn build_example() -> (TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().join("build");
    run_ok(
        &repo_root(),
        &[
            "build",
            "--today",
            "2026-11-26",
            "--out",
            out_arg.to_str().unwrap(),
        ],
    );
    let site = out_arg.join("site");
    (out, site)
}

/// The example policies, read from content/ independently of policybook: stem → (title, version).
fn example_policies() -> BTreeMap<String, (String, String)> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(repo_root().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&path).unwrap();
            let field = |name: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                    .unwrap()
                    .trim_matches('"')
                    .to_owned()
            };
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            found.insert(stem, (field("title"), field("version")));
        }
    }
    found
}

#[test]
fn index_lists_every_example_policy_with_version_and_status() {
    let (_tmp, site) = build_example();
    let doc = html(&site.join("index.html"));
    let expected = example_policies();
    assert!(
        expected.len() >= 3,
        "the example needs at least three policies"
    );
    let rows = select(&doc, "table.policy-list tbody tr");
    assert_eq!(rows.len(), expected.len());
    for (id, (title, version)) in &expected {
        let row = rows
            .iter()
            .find(|r| {
                select_in(r, "th a").attr("href")
                    == Some(format!("policies/{id}/index.html").as_str())
            })
            .unwrap_or_else(|| panic!("no index row links to {id}"));
        assert_eq!(text(&select_in(row, "th a")), *title);
        assert_eq!(text(&select_in(row, "td[data-label=Version]")), *version);
        let status = text(&select_in(row, ".status"));
        assert!(
            ["Current", "Review due soon", "Review overdue"].contains(&status.as_str()),
            "{id}: status {status}"
        );
    }
    // The example is dated so that every status appears.
    let statuses: BTreeSet<String> = select(&doc, "tbody .status").iter().map(text).collect();
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    // Grouped by category, each a heading of its own.
    assert!(select(&doc, "section.category > h2").len() >= 2);
    // The count says how many policies there are, not that they are all current.
    assert!(
        text(&select(&doc, "p.lede")[0]).starts_with(&format!(
            "Larkfield Skills & Training has {} policies",
            expected.len()
        )),
        "{}",
        text(&select(&doc, "p.lede")[0])
    );

    // The About page explains digests with one that a reader can find on its policy's page.
    let about = html(&site.join("about.html"));
    let example = select(&about, "#digests + p a")[0];
    let shown = text(&select(&about, "#digests + p code")[0]);
    let page = html(&site.join(example.attr("href").unwrap()));
    assert_eq!(text(&select(&page, "a.digest")[0]), shown);
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    el.select(&scraper::Selector::parse(css).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
}

#[test]
fn policy_pages_have_metadata_toc_body_revisions_and_associated() {
    let (_tmp, site) = build_example();
    for (id, (title, version)) in example_policies() {
        let doc = html(&site.join(format!("policies/{id}/index.html")));
        assert_eq!(text(&select(&doc, "h1")[0]), title);
        let meta: BTreeMap<String, String> = select(&doc, ".policy-header dl.meta > div")
            .iter()
            .map(|d| (text(&select_in(d, "dt")), text(&select_in(d, "dd"))))
            .collect();
        assert_eq!(meta["Version"], version);
        for key in [
            "Owner",
            "Approved",
            "Effective",
            "Next review",
            "Content digest",
        ] {
            assert!(meta.contains_key(key), "{id}: metadata lacks {key}");
        }
        // The digest shown is the SHA-256 of the normalised source file.
        let source = std::fs::read(repo_root().join(format!("content/{id}.md"))).unwrap();
        let digest = policybook::digest::content_digest(&source).unwrap();
        assert_eq!(meta["Content digest"], format!("sha256:{}", &digest[..12]));
        assert!(text(&select(&doc, ".digest-full code")[0]).contains(&digest));
        // Every heading has an id and the contents list points at them.
        let toc: Vec<_> = select(&doc, "nav.toc a")
            .iter()
            .map(|a| a.attr("href").unwrap().to_owned())
            .collect();
        assert!(toc.len() >= 5, "{id}: contents too short");
        for h in select(&doc, ".policy-body h2, .policy-body h3") {
            assert!(
                h.attr("id").is_some(),
                "{id}: heading without anchor: {}",
                text(&h)
            );
        }
        assert!(
            !select(&doc, "#pb-revisions + .table-scroll tbody tr").is_empty(),
            "{id}: no revisions"
        );
        let associated = select(&doc, ".associated li");
        assert!(!associated.is_empty(), "{id}: no associated policies");
        assert!(
            !select(&doc, ".associated li a").is_empty(),
            "{id}: no associated policy is linked"
        );
    }
}

#[test]
fn every_internal_link_resolves_to_a_file_from_file_urls() {
    let (_tmp, site) = build_example();
    let files = read_tree(&site);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
            let set = select(&doc, "[id]")
                .iter()
                .map(|e| e.attr("id").unwrap().to_owned())
                .collect();
            ids.insert(path.clone(), set);
        }
    }
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in select(&doc, "[href], [src]") {
            let link = el.attr("href").or(el.attr("src")).unwrap();
            if link.starts_with("http:")
                || link.starts_with("https:")
                || link.starts_with("mailto:")
            {
                continue;
            }
            assert!(!link.starts_with('/'), "{path}: absolute link {link}");
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                assert!(
                    !file.ends_with('/'),
                    "{path}: link to a bare folder: {link}"
                );
                normalise(&Path::new(path).parent().unwrap().join(file))
            };
            assert!(
                files.contains_key(&target),
                "{path}: broken link {link} (→ {target})"
            );
            if !fragment.is_empty() {
                assert!(
                    ids[&target].contains(fragment),
                    "{path}: {link}: no element with id {fragment}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

/// Resolves `a/b/../c` without touching the file system.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c.as_os_str().to_str().unwrap() {
            "." => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "link leaves the site: {}",
                    path.display()
                );
            }
            part => parts.push(part.to_owned()),
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, site_a) = build_example();
    let (_b, site_b) = build_example();
    let a = read_tree(&site_a);
    let b = read_tree(&site_b);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn pages_are_minified_accessible_and_self_contained() {
    let (_tmp, site) = build_example();
    for (path, bytes) in read_tree(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("\n\n"), "{path}: not minified");
        let doc = scraper::Html::parse_document(&text);
        assert_eq!(
            select(&doc, "html")[0].attr("lang"),
            Some("en-GB"),
            "{path}"
        );
        assert!(
            !select(&doc, "meta[name=viewport]").is_empty(),
            "{path}: no viewport"
        );
        assert_eq!(select(&doc, "h1").len(), 1, "{path}: one h1 per page");
        assert!(
            !select(&doc, "a.skip-link[href='#main']").is_empty(),
            "{path}: no skip link"
        );
        let depth = "../".repeat(path.matches('/').count());
        // Code only: a quiz page carries its questions as `application/json` data.
        let scripts: Vec<String> = select(&doc, "script:not([type='application/json'])")
            .iter()
            .map(|s| s.attr("src").unwrap_or("inline").replacen(&depth, "", 1))
            .collect();
        // Reading needs no script: the search box is hidden until its (local) script shows it.
        assert_eq!(
            select(&doc, "#site-search[hidden]").len(),
            1,
            "{path}: search hidden without JavaScript"
        );
        let own = if path == "index.html" {
            // The status counts filter the list.
            vec!["assets/filter.js"]
        } else if path.starts_with("quizzes/") {
            vec!["assets/quiz.js"]
        } else if path.starts_with("policies/") && path.ends_with("/index.html") {
            // The acknowledgement receipt uses one, local.
            vec!["assets/ack.js"]
        } else {
            vec![]
        };
        let expected: Vec<&str> = own
            .into_iter()
            .chain(["assets/page.js", "assets/search.js"])
            .collect();
        assert_eq!(scripts, expected, "{path}: only local scripts");
        for el in select(&doc, "[src], link[href]") {
            let link = el.attr("src").or(el.attr("href")).unwrap();
            assert!(
                !link.contains("//"),
                "{path}: loads from another host: {link}"
            );
        }
    }
    let css = std::fs::read_to_string(site.join("assets/style.css")).unwrap();
    assert!(css.contains("@media print"), "no print stylesheet");
    assert!(css.contains("@media (max-width"), "no small-screen layout");
}
