//! The PDFs: one per policy and the register, checked with poppler's `pdftotext` and `pdfinfo`
//! (installed by `scripts/test`), as a reader or a shared drive's preview gets them.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Builds the repository's own example into a temporary folder; returns it and `build/`.
fn build_example(fresh: bool) -> (TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let build = out.path().join("build");
    let mut args = vec![
        "build",
        "--today",
        "2026-11-26",
        "--out",
        build.to_str().unwrap(),
    ];
    if fresh {
        args.push("--fresh");
    }
    run_ok(&repo_root(), &args);
    (out, build)
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; scripts/test installs it): {e}"));
    assert!(
        out.status.success(),
        "{tool} {}: {}",
        pdf.display(),
        stderr(&out)
    );
    stdout(&out)
}

/// The PDF's text with whitespace collapsed and typographic quotes made plain, so wrapped lines
/// and smart punctuation compare with the source.
fn pdf_text(pdf: &Path, args: &[&str]) -> String {
    normalise(&poppler("pdftotext", args, pdf))
}

fn normalise(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `pdfinfo`'s fields: name → value.
fn pdf_info(pdf: &Path) -> std::collections::BTreeMap<String, String> {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// The example policies from content/, read without policybook: (id, title, version, headings).
fn example_policies() -> Vec<(String, String, String, Vec<String>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap()
                .trim_matches('"')
                .to_owned()
        };
        let mut in_code = false;
        let headings = text
            .lines()
            .filter(|l| {
                if l.starts_with("```") {
                    in_code = !in_code;
                }
                !in_code && l.starts_with('#')
            })
            .map(|l| {
                let l = l.trim_start_matches('#').trim();
                let l = l.split(" {").next().unwrap();
                normalise(&l.replace(['*', '`'], ""))
            })
            .collect();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        found.push((id, field("title"), field("version"), headings));
    }
    assert!(found.len() >= 4, "{found:?}");
    found.sort();
    found
}

/// The digest of each policy, from the build's manifest.
fn digests(build: &Path) -> std::collections::BTreeMap<String, String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(build.join("manifest.json")).unwrap()).unwrap();
    manifest["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let digest = p["digest"].as_str().unwrap();
            let digest = digest.strip_prefix("sha256:").unwrap_or(digest);
            (p["id"].as_str().unwrap().to_owned(), digest.to_owned())
        })
        .collect()
}

#[test]
fn every_example_policy_has_a_pdf_with_its_control_sections_and_form() {
    let (_tmp, build) = build_example(false);
    let digests = digests(&build);
    for (id, title, version, headings) in example_policies() {
        let pdf = build.join(format!("pdf/{id}-{version}.pdf"));
        // In layout mode a table's label and value share a line.
        let text = pdf_text(&pdf, &["-layout"]);
        assert!(text.contains(&normalise(&title)), "{id}: title in {text}");
        assert!(text.contains(&format!("Version {version}")), "{id}: {text}");
        assert!(text.contains(&digests[&id]), "{id}: digest in {text}");
        for heading in &headings {
            assert!(
                text.contains(heading),
                "{id}: heading {heading:?} in {text}"
            );
        }
        for section in [
            "Document control",
            "Revision history",
            "Associated policies",
        ] {
            assert!(text.contains(section), "{id}: {section}");
        }

        let info = pdf_info(&pdf);
        assert_eq!(info["Title"], title, "{id}: {info:?}");
        assert_eq!(info["Tagged"], "yes", "{id}: {info:?}");
        assert!(info.contains_key("Author"), "{id}: {info:?}");
        // The approval date, not the clock.
        let source = std::fs::read_to_string(repo_root().join(format!("content/{id}.md"))).unwrap();
        let approved = source
            .lines()
            .find_map(|l| l.strip_prefix("approved: "))
            .unwrap();
        let (year, day) = (&approved[..4], approved[8..10].trim_start_matches('0'));
        let created = &info["CreationDate"];
        assert!(
            created.contains(year) && created.contains(&format!(" {day} 00:00:00")),
            "{id}: {info:?}"
        );
        let bytes = std::fs::read(&pdf).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("pdfuaid:part>1<"),
            "{id}: PDF/UA-1 identification"
        );
        assert!(raw.contains("/Lang(en-GB)"), "{id}: language");

        // The acknowledgement form is the last page.
        let last = info["Pages"].clone();
        let form = pdf_text(&pdf, &["-f", &last, "-l", &last]);
        assert!(form.contains("Acknowledgement form"), "{id}: {form}");
        assert!(form.contains("I have read and understood"), "{id}: {form}");
        assert!(
            form.contains("Signed") && form.contains(&digests[&id]),
            "{id}: {form}"
        );

        // The site has the same file, linked from the policy's page.
        let site_copy = build.join(format!("site/pdf/{id}-{version}.pdf"));
        assert_eq!(std::fs::read(site_copy).unwrap(), bytes, "{id}");
        let page = html(&build.join(format!("site/policies/{id}/index.html")));
        let links = select(&page, "p.pdf-link a");
        assert_eq!(
            links[0].value().attr("href"),
            Some(format!("../../pdf/{id}-{version}.pdf").as_str())
        );
    }
}

#[test]
fn the_e_safety_pdf_has_roles_tables_and_revisions() {
    let (_tmp, build) = build_example(false);
    let text = pdf_text(&build.join("pdf/e-safety-3.1.pdf"), &[]);
    // A table of the body, the roles with RACI words, the revision history.
    assert!(text.contains("Content risk"), "{text}");
    assert!(text.contains("Roles and their duties"), "{text}");
    assert!(text.contains("Accountable"), "{text}");
    assert!(
        text.contains("Added guidance on generative AI tools"),
        "{text}"
    );
    assert!(text.contains("Social Media Policy"), "associated: {text}");
}

#[test]
fn the_register_lists_every_policy_with_its_status() {
    let (_tmp, build) = build_example(false);
    let register = build.join("pdf/all-policies.pdf");
    let text = pdf_text(&register, &[]);
    for (_, title, version, _) in example_policies() {
        assert!(text.contains(&normalise(&title)), "{title}: {text}");
        assert!(text.contains(&version), "{version}: {text}");
    }
    assert!(text.contains("26 November 2026"), "{text}");
    assert!(
        text.contains("Current") || text.contains("Review"),
        "{text}"
    );
    let info = pdf_info(&register);
    assert_eq!(info["Title"], "All Policies");
    assert_eq!(info["Tagged"], "yes");
    let index = html(&build.join("site/index.html"));
    let link = select(&index, "p.pdf-link a");
    assert_eq!(link[0].value().attr("href"), Some("pdf/all-policies.pdf"));
}

#[test]
fn every_pdf_is_in_the_manifest_and_two_builds_give_the_same_bytes() {
    let (_a, first) = build_example(true);
    let (_b, second) = build_example(true);
    let pdfs = |build: &Path| {
        read_tree(build)
            .into_iter()
            .filter(|(path, _)| path.ends_with(".pdf"))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (one, two) = (pdfs(&first), pdfs(&second));
    assert_eq!(
        one.len(),
        2 * (example_policies().len() + 1),
        "{:?}",
        one.keys()
    );
    assert!(one == two, "two builds gave different PDFs");

    let manifest = std::fs::read_to_string(first.join("manifest.json")).unwrap();
    for path in one.keys() {
        assert!(
            manifest.contains(&format!("\"{path}\"")),
            "{path} not in manifest"
        );
    }
}

#[test]
fn pdf_false_turns_them_off() {
    let dir = project(&[
        ("policybook.toml", &format!("{CONFIG}pdf = false\n")),
        ("content/a.md", &policy("Policy A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    assert!(!dir.path().join("build/pdf").exists());
    assert!(!dir.path().join("build/site/pdf").exists());
    let page = html(&dir.path().join("build/site/policies/a/index.html"));
    assert!(select(&page, "p.pdf-link").is_empty());
}

#[test]
fn typst_syntax_in_a_policy_is_printed_as_written() {
    let body = "\n## 3. Odd characters\n\nCost: $5 #tag *star* _under_ @ref a < b back\\slash \
                `code #x` [link](https://example.org/?a=1&b=[2]) \\[brackets\\] = - + / ~ ' \"\n\n\
                | A | B |\n|---|---|\n| #1 | $2 |\n\n```\n#set page(width: 1pt)\n```\n";
    let text = format!("{}{body}", policy("Policy A", ""));
    let dir = project(&[("policybook.toml", CONFIG), ("content/a.md", &text)]);
    run_ok(dir.path(), &["build"]);
    let out = pdf_text(&dir.path().join("build/pdf/a-1.0.pdf"), &[]);
    for expected in [
        "3. Odd characters",
        "Cost: $5 #tag star under @ref a < b back\\slash code #x link [brackets] = - + / ~ ' \"",
        "#1 $2",
        "#set page(width: 1pt)",
    ] {
        assert!(out.contains(expected), "{expected:?} in {out}");
    }
}

#[test]
fn a_rebuild_typesets_only_the_changed_policy() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Policy A", "")),
        ("content/b.md", &policy("Policy B", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let inode = |name: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir.path().join("build/pdf").join(name))
            .unwrap()
            .ino()
    };
    let before = (inode("a-1.0.pdf"), inode("b-1.0.pdf"));
    let edited = policy("Policy A", "").replace("Do this.", "Do this daily.");
    write(dir.path(), "content/a.md", &edited);
    run_ok(dir.path(), &["build"]);
    assert_ne!(inode("a-1.0.pdf"), before.0, "a changed: typeset again");
    assert_eq!(inode("b-1.0.pdf"), before.1, "b unchanged: reused");
    let text = pdf_text(&dir.path().join("build/pdf/a-1.0.pdf"), &[]);
    assert!(text.contains("Do this daily."), "{text}");
}

#[test]
fn text_the_fonts_lack_gives_a_tagged_pdf_with_a_warning() {
    let text = format!("{}\nCall us 📱 or write 你好.\n", policy("Policy A", ""));
    let dir = project(&[("policybook.toml", CONFIG), ("content/a.md", &text)]);
    let warnings = run_ok(dir.path(), &["build"]);
    assert!(warnings.contains("content/a.md"), "{warnings}");
    assert!(warnings.contains("not PDF/UA-1"), "{warnings}");
    let info = pdf_info(&dir.path().join("build/pdf/a-1.0.pdf"));
    assert_eq!(info["Tagged"], "yes", "{info:?}");
}

/// `<id>-<version>.pdf` can be one name for two policies; one PDF would overwrite the other.
#[test]
fn two_policies_whose_pdfs_would_share_a_name_are_an_error() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        (
            "content/it.md",
            &policy("IT", "").replace("version: \"1.0\"", "version: \"1-0\""),
        ),
        (
            "content/it-1.md",
            &policy("IT one", "").replace("version: \"1.0\"", "version: \"0\""),
        ),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "build"]);
    let error = lines.join("\n");
    assert!(
        error.contains("content/it.md:3:1: error: the PDF of this policy")
            || error.contains("content/it-1.md:3:1: error: the PDF of this policy"),
        "{error}"
    );
    assert!(error.contains("pdf/it-1-0.pdf"), "{error}");
    assert!(!dir.path().join("build").exists(), "nothing was written");
    write(
        dir.path(),
        "policybook.toml",
        &format!("{CONFIG}pdf = false\n"),
    );
    run_ok(dir.path(), &["build"]);
}
