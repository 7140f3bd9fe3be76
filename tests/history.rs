//! Issue 11: the release ledger, archived texts, silent-edit protection and history pages.

mod common;

use common::*;

fn released_project() -> TempDir {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Policy A", "")),
        ("content/b.md", &policy("Policy B", "")),
    ]);
    let out = stdout(&run(dir.path(), &["release", "--today", "2026-11-20"]));
    assert!(out.contains("Released a version 1.0 (sha256:"), "{out}");
    assert!(out.contains("archived as history/a/1.0.md"), "{out}");
    dir
}

/// Policy `a` edited and released again as 1.1 on 2026-12-01.
fn released_twice() -> TempDir {
    let dir = released_project();
    write(dir.path(), "content/a.md", &version_1_1());
    run_ok(dir.path(), &["release", "--today", "2026-12-01"]);
    dir
}

fn version_1_1() -> String {
    policy("Policy A", "")
        .replace("1.0", "1.1")
        .replace("Do this.", "Do this daily.")
}

#[test]
fn release_records_every_new_version_once() {
    let dir = released_project();
    let ledger = std::fs::read_to_string(dir.path().join("policybook.lock")).unwrap();
    assert!(
        ledger.contains("id = \"a\"\nsource = \"content/a.md\""),
        "{ledger}"
    );
    assert!(ledger.contains("released = \"2026-11-20\""), "{ledger}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("history/a/1.0.md")).unwrap(),
        policy("Policy A", "")
    );
    let again = stdout(&run(dir.path(), &["release"]));
    assert!(again.contains("Nothing to release"), "{again}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("policybook.lock")).unwrap(),
        ledger
    );
}

#[test]
fn a_released_version_cannot_change_silently() {
    let dir = released_project();
    let edited = policy("Policy A", "").replace("Do this.", "Do this, always.");
    write(dir.path(), "content/a.md", &edited);
    let version_line = edited
        .lines()
        .position(|l| l.starts_with("version:"))
        .unwrap()
        + 1;
    let err = run_err(dir.path(), &["--message-format", "short", "build"]).join("\n");
    assert!(
        err.contains(&format!(
            "content/a.md:{version_line}:1: error: version 1.0 was released on 2026-11-20 with another text"
        )),
        "{err}"
    );
    assert!(err.contains("history/a/1.0.md"), "{err}");
    assert!(!dir.path().join("build").exists());
    // A new version builds, as a draft until released.
    write(
        dir.path(),
        "content/a.md",
        &edited.replace("version: \"1.0\"", "version: \"1.1\""),
    );
    run_ok(dir.path(), &["build"]);
    let check = stdout(&run(dir.path(), &["check"]));
    assert!(check.contains("1 draft not released yet"), "{check}");
    assert!(check.contains("a version 1.1"), "{check}");
    let out = stdout(&run(dir.path(), &["release", "--today", "2026-11-25"]));
    assert!(out.contains("Released a version 1.1"), "{out}");
    assert!(!out.contains("version 1.0"), "{out}");
}

#[test]
fn a_renamed_file_keeps_its_id_and_history() {
    let dir = released_project();
    std::fs::rename(
        dir.path().join("content/a.md"),
        dir.path().join("content/policy-a.md"),
    )
    .unwrap();
    let warnings = run_ok(dir.path(), &["build"]);
    assert!(
        warnings.contains("this is `content/a.md` renamed: it keeps the id `a`"),
        "{warnings}"
    );
    assert!(
        dir.path()
            .join("build/site/policies/a/index.html")
            .is_file()
    );
    let out = stdout(&run(dir.path(), &["release"]));
    assert!(
        out.contains("Recorded the new file of a: content/policy-a.md"),
        "{out}"
    );
    // Now recorded, an edit with a new version still keeps the id.
    let text = policy("Policy A", "")
        .replace("1.0", "1.1")
        .replace("Do this.", "Do more.");
    write(dir.path(), "content/policy-a.md", &text);
    run_ok(dir.path(), &["build"]);
    assert!(!dir.path().join("build/site/policies/policy-a").exists());
}

#[test]
fn a_changed_or_missing_archive_is_an_error() {
    let dir = released_project();
    write(dir.path(), "history/a/1.0.md", "tampered\n");
    let err = run_err(dir.path(), &["check"]).join("\n");
    assert!(err.contains("history/a/1.0.md"), "{err}");
    assert!(err.contains("differs from the released one"), "{err}");
    std::fs::remove_file(dir.path().join("history/a/1.0.md")).unwrap();
    let err = run_err(dir.path(), &["--message-format", "short", "check"]).join("\n");
    assert!(err.contains("policybook.lock:"), "{err}");
    assert!(err.contains("(history/a/1.0.md) is missing"), "{err}");
}

#[test]
fn the_site_shows_released_versions_drafts_and_superseded_pages() {
    let dir = released_project();
    write(dir.path(), "content/a.md", &version_1_1());
    run_ok(dir.path(), &["build", "--today", "2026-11-26"]);
    let site = dir.path().join("build/site");
    // A draft: marked on the index and on its page, which links the released version.
    let index = html(&site.join("index.html"));
    let badges: Vec<_> = select(&index, ".status-draft").iter().map(text).collect();
    assert_eq!(badges, ["Draft"]);
    let page = html(&site.join("policies/a/index.html"));
    let notice = text(&select(&page, ".notice-draft")[0]);
    assert!(
        notice
            .contains("version 1.1 has not been released yet; the released version is version 1.0"),
        "{notice}"
    );
    // The released 1.0 page is kept, read-only, and says what replaces it.
    let old = html(&site.join("policies/a/version-1.0.html"));
    let banner = text(&select(&old, ".notice-superseded")[0]);
    assert!(
        banner.contains("this is version 1.0 as released"),
        "{banner}"
    );
    assert!(select(&old, "form.acknowledge").is_empty());
    assert!(text(&select(&old, ".policy-body")[0]).contains("Do this."));

    run_ok(dir.path(), &["release", "--today", "2026-12-01"]);
    run_ok(dir.path(), &["build", "--today", "2026-12-02"]);
    let page = html(&site.join("policies/a/index.html"));
    assert!(select(&page, ".notice-draft").is_empty());
    let rows: Vec<String> = select(&page, "section.history tbody tr")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .children()
                .filter_map(scraper::ElementRef::wrap)
                .map(|c| text(&c))
                .collect();
            cells.join(" | ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "1.1 | 1 December 2026 | 10 January 2026 | This page | What changed in 1.1",
            "1.0 | 20 November 2026 | 10 January 2026 | Read version 1.0 | First release"
        ]
    );
    let old = html(&site.join("policies/a/version-1.0.html"));
    let banner = text(&select(&old, ".notice-superseded")[0]);
    assert!(
        banner
            .contains("this is version 1.0, which was replaced by version 1.1 on 1 December 2026"),
        "{banner}"
    );
    assert!(
        !site.join("policies/a/version-1.1.html").exists(),
        "the current version has no copy"
    );
}

#[test]
fn archived_versions_are_in_the_manifest_and_verified() {
    let dir = released_twice();
    run_ok(dir.path(), &["build"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("build/manifest.json")).unwrap())
            .unwrap();
    let archived: Vec<String> = manifest["archived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} {} {}", a["id"], a["version"], a["released"]))
        .collect();
    assert_eq!(
        archived,
        [
            "\"a\" \"1.0\" \"2026-11-20\"",
            "\"a\" \"1.1\" \"2026-12-01\"",
            "\"b\" \"1.0\" \"2026-11-20\""
        ]
    );
    // A copy that lost an earlier version's page, manifest and all, is caught.
    let build = dir.path().join("build");
    std::fs::remove_file(build.join("site/policies/a/version-1.0.html")).unwrap();
    let path = build.join("manifest.json");
    let mut manifest = manifest;
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "site/policies/a/version-1.0.html");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    let out = stdout(&run(dir.path(), &["verify", "build"]));
    assert!(
        out.contains("`a version 1.0` is in the manifest, but its page is not"),
        "{out}"
    );
}

#[test]
fn builds_with_history_are_byte_identical() {
    let dir = released_twice();
    run_ok(dir.path(), &["build"]);
    let first = read_tree(&dir.path().join("build"));
    run_ok(dir.path(), &["build"]);
    assert!(
        first == read_tree(&dir.path().join("build")),
        "two builds differ"
    );
    assert!(first.contains_key("site/policies/a/version-1.0.html"));
}

const OLD_BODY: &str = "## 1. Purpose\n\nThis policy keeps our learners safe online.\n\n## 2. Devices\n\n| Device | Owner |\n|---|---|\n| Laptop | Trainer |\n| Tablet | Learner |\n\n- Lock the screen.\n- Report a lost device at once.\n- Use a passphrase.\n\n## 3. Old rules\n\nThis section is withdrawn.\n\n## 4. Reporting\n\nTell the safety lead.\n";
const NEW_BODY: &str = "## 1. Purpose\n\nThis policy keeps our apprentices safe online.\n\n## 2. Devices\n\n| Device | Owner |\n|---|---|\n| Laptop | Trainer |\n| Tablet | Employer |\n\n- Use a passphrase.\n- Lock the screen.\n- Report a lost device at once.\n\n## 3. Reporting\n\nTell the safety lead.\n\n## 4. Artificial intelligence\n\nCheck what an AI tool does with your data.\n";

/// A policy released with OLD_BODY, then with NEW_BODY as 1.1.
fn redlined_project() -> TempDir {
    let with_body = |version: &str, body: &str| {
        let head = policy("Policy A", "").replace("1.0", version);
        format!("{}\n{body}", &head[..head.find("## 1.").unwrap()])
    };
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &with_body("1.0", OLD_BODY)),
    ]);
    run_ok(dir.path(), &["release", "--today", "2026-11-20"]);
    write(dir.path(), "content/a.md", &with_body("1.1", NEW_BODY));
    run_ok(dir.path(), &["release", "--today", "2026-12-01"]);
    run_ok(dir.path(), &["build"]);
    dir
}

#[test]
fn the_changes_page_shows_each_kind_of_change() {
    let dir = redlined_project();
    let page = html(
        &dir.path()
            .join("build/site/policies/a/changes-1.0-to-1.1.html"),
    );
    let h1 = text(&select(&page, "h1")[0]);
    assert!(h1.starts_with("Changes in version 1.1"), "{h1}");
    let status = |title: &str| {
        let headings: Vec<String> = select(
            &page,
            "section.change > .change-title, details.change > summary",
        )
        .iter()
        .map(text)
        .filter(|t| t.contains(title))
        .collect();
        assert_eq!(headings.len(), 1, "{title}: {headings:?}");
        headings[0].clone()
    };
    assert!(status("Purpose").ends_with("Changed"));
    assert!(status("Artificial intelligence").ends_with("Added"));
    assert!(status("Old rules").ends_with("Removed"));
    assert!(
        status("Reporting").contains("Unchanged"),
        "renumbered only: {}",
        status("Reporting")
    );
    // The reworded sentence: just the changed word.
    let purpose = select(&page, ".change-changed .redline")[0].inner_html();
    assert!(
        purpose.contains("<del><span class=\"visually-hidden\">[Deleted: </span>learners"),
        "{purpose}"
    );
    assert!(
        purpose.contains("<ins><span class=\"visually-hidden\">[Added: </span>apprentices"),
        "{purpose}"
    );
    assert!(purpose.contains("keeps our "), "{purpose}");
    // The changed table cell, inside its cell.
    let cells: Vec<String> = select(&page, ".redline td")
        .iter()
        .map(|c| c.inner_html())
        .collect();
    assert!(
        cells.iter().any(|c| c.contains("Learner")
            && c.contains("<del>")
            && c.contains("Employer")
            && c.contains("<ins>")),
        "{cells:?}"
    );
    // The moved list item is marked as moved, at both ends.
    let moved = select(&page, "ins.moved, del.moved");
    assert_eq!(
        moved.len(),
        2,
        "{:?}",
        moved.iter().map(text).collect::<Vec<_>>()
    );
    assert!(moved.iter().all(|m| text(m).contains("Use a passphrase")));
    // Unchanged sections are folded away.
    assert!(!select(&page, "details.change-unchanged").is_empty());
}

#[test]
fn acks_names_the_changes_to_read_for_an_older_acknowledgement() {
    let dir = released_twice();
    run_ok(dir.path(), &["build"]);
    let old_digest = {
        let text = std::fs::read(dir.path().join("history/a/1.0.md")).unwrap();
        policybook::digest::content_digest(&text).unwrap()
    };
    let mut receipt = serde_json::json!({
        "type": "policybook-acknowledgement/1",
        "organisation": "Test Org",
        "policy": { "id": "a", "title": "Policy A", "version": "1.0", "digest": old_digest },
        "statement": "I have read and understood the Policy A, version 1.0.",
        "person": { "name": "Jo Bloggs", "staff_id": null, "email": "jo@example.org" },
        "acknowledged_at": "2026-11-21T09:00:00Z"
    });
    receipt["receipt_hash"] = policybook::acks::receipt_hash(&receipt).into();
    write(dir.path(), "jo.json", &receipt.to_string());
    let out = run(dir.path(), &["acks", "jo.json", "--csv", "acks.csv"]);
    let report = stdout(&out);
    assert!(
        report.contains("must re-acknowledge: acknowledged 1.0 on 2026-11-21"),
        "{report}"
    );
    let page = "site/policies/a/changes-1.0-to-1.1.html";
    assert!(
        report.contains(&format!("Policy A 1.0 → 1.1: {page} (1 person)")),
        "{report}"
    );
    assert!(dir.path().join("build").join(page).is_file());
    let csv = std::fs::read_to_string(dir.path().join("acks.csv")).unwrap();
    assert!(
        csv.contains(&format!(",outdated,1.0,2026-11-21,jo.json,{page}\r\n")),
        "{csv}"
    );
}

#[test]
fn a_third_version_gets_changes_since_each_earlier_one() {
    let dir = released_twice();
    let v12 = version_1_1()
        .replace("1.1", "1.2")
        .replace("Do not do that.", "Never do that.");
    write(dir.path(), "content/a.md", &v12);
    run_ok(dir.path(), &["release", "--today", "2026-12-05"]);
    run_ok(dir.path(), &["build"]);
    let policy_dir = dir.path().join("build/site/policies/a");
    assert_eq!(
        changes_pages(&policy_dir),
        [
            "changes-1.0-to-1.1.html",
            "changes-1.0-to-1.2.html",
            "changes-1.1-to-1.2.html"
        ]
    );
    let since = html(&policy_dir.join("changes-1.0-to-1.2.html"));
    assert!(text(&select(&since, "h1")[0]).starts_with("Changes since version 1.0"));
    let marks: Vec<String> = select(&since, ".changes-list ins, .changes-list del")
        .iter()
        .map(text)
        .collect();
    assert!(marks.iter().any(|m| m.contains("daily")), "{marks:?}");
    assert!(marks.iter().any(|m| m.contains("Never")), "{marks:?}");
    // The archived 1.1 page lists the versions as seen from there.
    let old = html(&dir.path().join("build/site/policies/a/version-1.1.html"));
    let cells: Vec<String> = select(&old, "section.history tbody td:nth-child(4)")
        .iter()
        .map(text)
        .collect();
    assert_eq!(cells, ["Read version 1.2", "This page", "Read version 1.0"]);
}

#[test]
fn a_rolled_back_text_gets_no_changes_to_itself() {
    let dir = released_twice();
    write(dir.path(), "content/a.md", &policy("Policy A", ""));
    run_ok(dir.path(), &["build"]);
    let policy_dir = dir.path().join("build/site/policies/a");
    assert_eq!(changes_pages(&policy_dir), ["changes-1.0-to-1.1.html"]);
}

/// The changes pages in a policy's folder, sorted.
fn changes_pages(policy_dir: &std::path::Path) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(policy_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("changes-"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn a_retired_policy_does_not_break_verify() {
    let dir = released_project();
    std::fs::remove_file(dir.path().join("content/b.md")).unwrap();
    run_ok(dir.path(), &["build"]);
    let out = stdout(&run(dir.path(), &["verify", "build"]));
    assert!(out.contains("0 modified, 0 missing; 0 unexpected"), "{out}");
    assert!(!out.contains("no page"), "{out}");
}

#[test]
fn a_ledger_cannot_point_outside_the_project() {
    let dir = released_project();
    let ledger = std::fs::read_to_string(dir.path().join("policybook.lock")).unwrap();
    write(
        dir.path(),
        "policybook.lock",
        &ledger.replace(
            "id = \"a\"\nsource = \"content/a.md\"",
            "id = \"../../escape\"\nsource = \"content/a.md\"",
        ),
    );
    let err = run_err(dir.path(), &["--message-format", "short", "release"]).join("\n");
    assert!(err.contains("policybook.lock:"), "{err}");
    assert!(
        err.contains("`../../escape` is not a valid policy id"),
        "{err}"
    );
    assert!(!dir.path().parent().unwrap().join("escape").exists());
}

/// Sets a file's modification time an hour back, as an archive released long ago has.
fn age(path: &std::path::Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

#[test]
fn a_rebuild_trusts_unchanged_archives_but_catches_an_edited_one() {
    let dir = released_project();
    age(&dir.path().join("history/a/1.0.md"));
    age(&dir.path().join("history/b/1.0.md"));
    run_ok(dir.path(), &["build"]);
    let stamps = std::fs::read_to_string(dir.path().join("build/.policybook-archives")).unwrap();
    assert!(stamps.contains("history/a/1.0.md\t"), "{stamps}");
    assert!(stamps.contains("history/b/1.0.md\t"), "{stamps}");
    let verified = stdout(&run(dir.path(), &["verify", "build"]));
    assert!(
        verified.contains("0 modified, 0 missing; 0 unexpected"),
        "{verified}"
    );
    let manifest = std::fs::read_to_string(dir.path().join("build/manifest.json")).unwrap();
    assert!(
        !manifest.contains("policybook-archives"),
        "build metadata is not published"
    );

    // Edited to the same size, with its modification time set back: its change time (which
    // cannot be set back) gives it away.
    let archive = dir.path().join("history/a/1.0.md");
    let before = std::fs::metadata(&archive).unwrap();
    let original = std::fs::read_to_string(&archive).unwrap();
    std::fs::write(&archive, original.replacen("Do this.", "Do that.", 1)).unwrap();
    assert_eq!(std::fs::metadata(&archive).unwrap().len(), before.len());
    std::fs::File::options()
        .write(true)
        .open(&archive)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("differs from the released one"), "{err}");

    // Edited after a build that found it intact, and aged again: its size gives it away.
    write(dir.path(), "history/a/1.0.md", "tampered\n");
    age(&dir.path().join("history/a/1.0.md"));
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("history/a/1.0.md"), "{err}");
    assert!(err.contains("differs from the released one"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_trusted_archive_behind_a_link_is_refused() {
    use std::os::unix::fs::symlink;
    // Once for the archive's folder, once for the archive itself: each replaced by a link to
    // an identical copy outside the project, after a build that found it intact.
    for linked in ["history/a", "history/a/1.0.md"] {
        let dir = released_project();
        age(&dir.path().join("history/a/1.0.md"));
        run_ok(dir.path(), &["build"]);
        let outside = tempfile::tempdir().unwrap();
        let place = dir.path().join(linked);
        let copy = outside.path().join("copy");
        std::fs::rename(&place, &copy).unwrap();
        symlink(&copy, &place).unwrap();
        let err = run_err(dir.path(), &["build"]).join("\n");
        assert!(err.contains("symbolic link"), "{linked}: {err}");
        assert!(err.contains(linked), "{linked}: {err}");
    }
}
