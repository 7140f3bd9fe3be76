//! Issue 16: `policybook import` of Word and OpenDocument files made by LibreOffice (see
//! tests/fixtures/import/README.md), checked by building the result.

mod common;

use common::*;

const ROLES: &str = "[[role]]\nid = \"dsl\"\ntitle = \"Designated Safeguarding Lead\"\n";

fn fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A project with a config and one role, into which `file` is imported.
fn imported(file: &str) -> (TempDir, String) {
    let dir = project(&[("policybook.toml", CONFIG), ("content/roles.toml", ROLES)]);
    let out = run(dir.path(), &["import", &fixture(file)]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    (dir, stdout(&out))
}

/// The body's headings (after the front matter).
fn headings(markdown: &str) -> Vec<&str> {
    let body = markdown.splitn(3, "---\n").nth(2).unwrap();
    body.lines().filter(|l| l.starts_with('#')).collect()
}

/// The front matter without the comment naming the source file.
fn front_matter(markdown: &str) -> String {
    markdown
        .split("---\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

const STYLED_FRONT_MATTER: &str = r#"title: "Online Safety Policy"
version: "2.3"
owner: "Priya Okafor, Head of Quality"
approved_by: "Board of Trustees"
approved: 2025-03-14
review_due: 2026-03
revisions:
  - version: "2.3"
    date: 2025-03-14
    author: "Tom Reyes"
    summary: "New device rules."
  - version: "2.2"
    date: 2024-05-12
    author: "Tom Reyes"
    summary: "Added the filtering checks.""#;

#[test]
fn a_styled_word_document_becomes_a_policy_that_builds() {
    for file in ["styled.docx", "styled.odt"] {
        let (dir, report) = imported(file);
        let md = std::fs::read_to_string(dir.path().join("content/online-safety.md")).unwrap();
        assert_eq!(front_matter(&md), STYLED_FRONT_MATTER, "{file}:\n{md}");
        assert_eq!(
            headings(&md),
            [
                "## Purpose",
                "## Scope",
                "## Rules",
                "### Filtering",
                "### Devices",
                "## Responsibilities",
                "### Designated Safeguarding Lead {role=dsl}",
                "### All staff {role=all-staff}",
                "### Learners {role=learners}",
            ],
            "{file}:\n{md}"
        );
        // Bold and italic, normalised quotes and spaces, the footnote, the link.
        assert!(
            md.contains("keeps learners and staff **safe** *online*."),
            "{file}:\n{md}"
        );
        assert!(
            md.contains("We call this \"staying safe\" in our induction[^1]."),
            "{file}:\n{md}"
        );
        assert!(
            md.contains("[^1]: Induction runs in the first week of every course."),
            "{file}:\n{md}"
        );
        assert!(
            md.contains(
                "Read the [acceptable use guidance](<https://example.org/acceptable-use>)."
            ),
            "{file}:\n{md}"
        );
        // Nested bullets and a numbered list.
        assert!(
            md.contains("- Filtering is checked every term.\n    - Checks are logged.\n    - Failures are reported within one day.\n- Staff report gaps to the IT team.\n"),
            "{file}:\n{md}"
        );
        assert!(
            md.contains(
                "1. Lock your screen.\n1. Use a strong password.\n1. Report a lost device.\n"
            ),
            "{file}:\n{md}"
        );
        assert!(
            md.contains("| Device | Allowed on Wi-Fi |\n|---|---|\n| Laptop | Yes |\n| Personal phone | Guest network only |\n"),
            "{file}:\n{md}"
        );
        // Tracked changes accepted; header, footer and page number gone.
        assert!(
            md.contains("Report a lost device to the IT team at once."),
            "{file}:\n{md}"
        );
        assert!(!md.contains("within a week"), "{file}:\n{md}");
        assert!(!md.contains("Page"), "{file}:\n{md}");
        assert!(!md.contains("Revision history"), "{file}:\n{md}");
        // The picture, saved next to the policy.
        assert!(
            md.contains("![Wi-Fi sign](<online-safety/image1.png>)"),
            "{file}:\n{md}"
        );
        let png = std::fs::read(dir.path().join("content/online-safety/image1.png")).unwrap();
        assert_eq!(
            png,
            std::fs::read(fixture("wifi-sign.png")).unwrap(),
            "{file}"
        );
        // New roles added for the owner to confirm; the existing one reused.
        let roles = std::fs::read_to_string(dir.path().join("content/roles.toml")).unwrap();
        assert!(
            roles.contains("id = \"all-staff\"\ntitle = \"All staff\""),
            "{roles}"
        );
        assert!(roles.contains("id = \"learners\""), "{roles}");
        assert!(
            !roles.contains("id = \"designated-safeguarding-lead\""),
            "{roles}"
        );
        assert!(
            report.contains("review_due: 2026-03 (from \"Review date: March 2026\")"),
            "{report}"
        );
        assert!(
            report.contains("\"All staff\" → {role=all-staff} (new role)"),
            "{report}"
        );
        assert!(report.contains("empty paragraph"), "{report}");

        // It builds; the roles' duties and the prohibition come through.
        run_ok(dir.path(), &["build"]);
        let page = html(
            &dir.path()
                .join("build/site/policies/online-safety/index.html"),
        );
        let h2: Vec<String> = select(&page, "main h2").iter().map(text).collect();
        assert!(h2.iter().any(|h| h.contains("Responsibilities")), "{h2:?}");
        // The picture is published beside the page, at the path the page links it by, and in
        // the SCORM packages.
        let published = dir
            .path()
            .join("build/site/policies/online-safety/online-safety/image1.png");
        assert_eq!(std::fs::read(published).unwrap(), png, "{file}");
        let img = select(&page, "main img");
        assert_eq!(img[0].value().attr("src"), Some("online-safety/image1.png"));
        assert_eq!(img[0].value().attr("alt"), Some("Wi-Fi sign"));
        let zip = std::fs::File::open(dir.path().join("build/scorm/online-safety-scorm2004.zip"))
            .unwrap();
        let mut zip = zip::ZipArchive::new(zip).unwrap();
        assert!(zip.by_name("online-safety/image1.png").is_ok(), "{file}");
        let role =
            std::fs::read_to_string(dir.path().join("build/site/roles/dsl/index.html")).unwrap();
        assert!(
            role.contains("Reviews filtering reports every month."),
            "{file}"
        );
        assert!(role.contains("share learner records by email"), "{file}");
    }
}

#[test]
fn numbered_paragraphs_and_a_control_block_become_headings_and_fields() {
    for file in ["numbered.docx", "numbered.odt"] {
        let (dir, report) = imported(file);
        let md = std::fs::read_to_string(dir.path().join("content/lone-working.md")).unwrap();
        assert_eq!(
            front_matter(&md),
            "title: \"Lone Working Policy\"\nversion: \"1.0\"\nowner: \"Sam Adeyemi\"\napproved: 2022-05-12\nreview_due: 2026-05",
            "{file}:\n{md}"
        );
        assert_eq!(
            headings(&md),
            [
                "## 1. Introduction",
                "## 2. Arrangements",
                "### 2.1 Checking in",
                "### 2.2 Visits",
                "## 3. Agreement"
            ],
            "{file}:\n{md}"
        );
        assert!(
            md.contains("Home visits need a manager's approval."),
            "{file}:\n{md}"
        );
        assert!(
            md.contains("I have read and understood this policy."),
            "{file}:\n{md}"
        );
        assert!(!md.contains("____"), "signature lines are left out:\n{md}");
        assert!(report.contains("left out: 3 signature lines"), "{report}");
        assert!(report.contains("check: no problems"), "{report}");
        run_ok(dir.path(), &["build"]);
        assert!(
            dir.path()
                .join("build/site/policies/lone-working/index.html")
                .is_file()
        );
    }
}

#[test]
fn dry_run_writes_nothing_and_an_existing_policy_needs_force() {
    let dir = project(&[("policybook.toml", CONFIG)]);
    let out = stdout(&run(
        dir.path(),
        &["import", "--dry-run", &fixture("numbered.docx")],
    ));
    assert!(out.contains("would write content/lone-working.md"), "{out}");
    assert!(out.contains("Nothing was written (--dry-run)."), "{out}");
    assert!(!dir.path().join("content").exists());

    run_ok(dir.path(), &["import", &fixture("numbered.docx")]);
    write(dir.path(), "content/lone-working.md", "edited by hand\n");
    let err = run_err(dir.path(), &["import", &fixture("numbered.odt")]).join("\n");
    assert!(
        err.contains("content/lone-working.md already exists"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    let kept = std::fs::read_to_string(dir.path().join("content/lone-working.md")).unwrap();
    assert_eq!(kept, "edited by hand\n");
    run_ok(dir.path(), &["import", "--force", &fixture("numbered.odt")]);
    let replaced = std::fs::read_to_string(dir.path().join("content/lone-working.md")).unwrap();
    assert!(
        replaced.contains("title: \"Lone Working Policy\""),
        "{replaced}"
    );
}

#[test]
fn a_folder_imports_every_document_and_bad_files_are_named() {
    let dir = project(&[("policybook.toml", CONFIG)]);
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(fixture("numbered.docx"), docs.join("lone.docx")).unwrap();
    std::fs::copy(fixture("styled.odt"), docs.join("safety.odt")).unwrap();
    std::fs::write(docs.join("~$lone.docx"), "Word's lock file").unwrap();
    std::fs::write(docs.join("notes.txt"), "not a document").unwrap();
    run_ok(dir.path(), &["import", "docs"]);
    assert!(dir.path().join("content/lone-working.md").is_file());
    assert!(dir.path().join("content/online-safety.md").is_file());

    std::fs::write(dir.path().join("renamed.docx"), "plain text, not a zip").unwrap();
    let err = run_err(dir.path(), &["import", "renamed.docx"]).join("\n");
    assert!(err.contains("renamed.docx"), "{err}");
    assert!(err.contains("not a readable zip file"), "{err}");
    let err = run_err(dir.path(), &["import", "docs/notes.txt"]).join("\n");
    assert!(
        err.contains("policybook imports Word (.docx) and OpenDocument (.odt) files"),
        "{err}"
    );
}

#[test]
fn a_missing_or_outside_picture_is_an_error_at_its_line() {
    let text = policy("Pictures", "").replace(
        "Why this policy exists.",
        "Why this policy exists.\n\n![A map](pictures/map.png)\n\n![Secret](../secret.png)",
    );
    let dir = project(&[("policybook.toml", CONFIG), ("content/pictures.md", &text)]);
    let err = run_err(dir.path(), &["--message-format", "short", "check"]).join("\n");
    assert!(err.contains("content/pictures.md:14:1: error: the picture `pictures/map.png` is not there (content/pictures/map.png)"), "{err}");
    assert!(err.contains("content/pictures.md:16:1: error: the picture `../secret.png` is outside this policy's folder"), "{err}");
    // With the file in place (and the other link gone), it is published; a changed picture
    // is published again by the next build.
    write(dir.path(), "content/pictures/map.png", "first");
    write(
        dir.path(),
        "content/pictures.md",
        &text.replace("![Secret](../secret.png)", ""),
    );
    run_ok(dir.path(), &["build"]);
    let published = dir
        .path()
        .join("build/site/policies/pictures/pictures/map.png");
    assert_eq!(std::fs::read_to_string(&published).unwrap(), "first");
    write(dir.path(), "content/pictures/map.png", "second");
    run_ok(dir.path(), &["build"]);
    assert_eq!(std::fs::read_to_string(&published).unwrap(), "second");
    let manifest = std::fs::read_to_string(dir.path().join("build/manifest.json")).unwrap();
    assert!(
        manifest.contains("site/policies/pictures/pictures/map.png"),
        "verify covers it"
    );
}

#[test]
fn a_picture_already_there_is_not_overwritten_without_force() {
    let (dir, _) = imported("styled.docx");
    std::fs::remove_file(dir.path().join("content/online-safety.md")).unwrap();
    write(
        dir.path(),
        "content/online-safety/image1.png",
        "someone else's picture",
    );
    let err = run_err(dir.path(), &["import", &fixture("styled.odt")]).join("\n");
    assert!(err.contains("image1.png already exists"), "{err}");
    let kept =
        std::fs::read_to_string(dir.path().join("content/online-safety/image1.png")).unwrap();
    assert_eq!(kept, "someone else's picture");
    assert!(
        !dir.path().join("content/online-safety.md").exists(),
        "nothing was written"
    );
    run_ok(dir.path(), &["import", "--force", &fixture("styled.odt")]);
    assert!(dir.path().join("content/online-safety.md").is_file());
}
