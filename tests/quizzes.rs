//! Quizzes end to end: pages on the site, Moodle exports in build/quizzes/, and errors that
//! name the file and line. (Marking in a real browser is in tests/browser/quiz.test.mjs.)

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use policybook::quiz::{self, Quiz};

fn build_example() -> (TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("build");
    run_ok(&repo_root(), &["build", "--out", out.to_str().unwrap()]);
    (tmp, out)
}

/// The example quizzes as the library reads them from the repository.
fn example_quizzes() -> Vec<Quiz> {
    let (quizzes, diags) = quiz::load_quizzes(&repo_root(), Path::new("")).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    quizzes
}

#[test]
fn every_example_quiz_has_a_page_linked_from_its_policy() {
    let (_tmp, out) = build_example();
    let quizzes = example_quizzes();
    assert!(quizzes.len() >= 4);
    assert!(
        quizzes.iter().any(|q| q.format == quiz::SourceFormat::Gift),
        "one example is written in GIFT"
    );
    for q in &quizzes {
        assert!(q.questions.len() >= 8, "{}: at least eight questions", q.id);
        let page = html(&out.join(format!("site/quizzes/{}/index.html", q.id)));
        assert_eq!(select(&page, "fieldset.question").len(), q.questions.len());
        for fs in select(&page, "fieldset.question") {
            let id = fs.attr("data-question").unwrap();
            assert!(q.questions.iter().any(|x| x.id == id));
        }
        let policy = html(&out.join(format!("site/policies/{}/index.html", q.policy)));
        let links: Vec<&str> = select(&policy, ".quiz-link a")
            .iter()
            .map(|a| a.attr("href").unwrap())
            .collect();
        assert!(
            links.contains(&format!("../../quizzes/{}/index.html", q.id).as_str()),
            "{}: {links:?}",
            q.policy
        );
    }
}

#[test]
fn exported_gift_reads_back_as_the_same_quiz() {
    let (_tmp, out) = build_example();
    for q in example_quizzes() {
        let gift = std::fs::read_to_string(out.join(format!("quizzes/{}.gift", q.id))).unwrap();
        let side = quiz::side_file(&q);
        let (back, diags) = quiz::parse_gift(
            &gift,
            Path::new("x.gift"),
            &side,
            Path::new("x.quiz.toml"),
            &q.id,
        );
        assert!(diags.iter().all(|d| !d.is_error()), "{}: {diags:?}", q.id);
        let back = back.unwrap();
        assert!(
            q.same_content(&back),
            "{}: the GIFT export does not read back as the same quiz",
            q.id
        );
    }
}

#[test]
fn moodle_xml_exports_are_well_formed() {
    let (_tmp, out) = build_example();
    for q in example_quizzes() {
        let path = out.join(format!("quizzes/{}.moodle.xml", q.id));
        let xml = std::fs::read_to_string(&path).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert_eq!(
            xml.matches("<question type=\"").count(),
            q.questions.len() + 1,
            "one category and each question"
        );
        for question in &q.questions {
            assert!(
                xml.contains(&format!("<name><text>{}</text></name>", question.id)),
                "{}",
                question.id
            );
        }
        let lint = Command::new("xmllint")
            .arg("--noout")
            .arg(&path)
            .output()
            .expect("xmllint is needed (Debian package libxml2-utils); scripts/test installs it");
        assert!(
            lint.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&lint.stderr)
        );
    }
}

#[test]
fn a_gift_error_fails_the_build_with_file_and_line() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/p.md", &policy("P", "")),
        (
            "quizzes/p.quiz.toml",
            "title = \"P quiz\"\npolicy = \"p\"\npass_mark = 80\n",
        ),
        ("quizzes/p.gift", "::q1:: Fine? {T}\n"),
    ]);
    run_ok(dir.path(), &["build"]); // an earlier good build...
    write(
        dir.path(),
        "quizzes/p.gift",
        "::q1:: Fine? {T}\n\n// comment\n::q2:: How many? {#3:1}\n",
    );
    let lines = run_err(dir.path(), &["--message-format", "short", "build"]);
    assert!(lines[0].starts_with("quizzes/p.gift:4:"), "{lines:?}");
    assert!(lines[0].contains("numerical"), "{lines:?}");
    assert!(
        dir.path().join("build/site/index.html").is_file(),
        "...is kept"
    );
}

#[test]
fn quizzes_are_checked_against_their_policy() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/p.md", &policy("P", "")),
        (
            "quizzes/q.toml",
            "title = \"Q\"\npolicy = \"pp\"\npass_mark = 120\n\n[[question]]\nid = \"q1\"\ntype = \"true-false\"\ntext = \"Yes?\"\nanswer = true\nsee = \"3-rules\"\n",
        ),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    let text = lines.join("\n");
    assert!(text.contains("quizzes/q.toml:3:"), "pass mark: {text}");
    assert!(text.contains("quizzes/q.toml:2:"), "unknown policy: {text}");
    assert!(text.contains("did you mean `p`?"), "{text}");
}
