//! `policybook status`: the review dashboard per owner, in the terminal, as JSON and as an HTML
//! page, on a fixture with known dates; acknowledgement coverage from receipts.

mod common;

use common::*;
use serde_json::{Value, json};

/// Five policies on 2026-11-26: two overdue, one due within 60 days, one current, one with no
/// review date; one has a quiz; one role has no duties. Titles and file names are in another
/// order than urgency, so the sort is what puts them in order.
fn fixture() -> TempDir {
    let a = policy("Alpha <Rules> & More", "raci:\n  lead: R\n")
        .replace("approved: 2026-01-10", "approved: 2025-06-01");
    let b = policy("Zulu", "").replace("owner: Head of Quality", "owner: Data Lead");
    let c = policy("Charlie", "")
        .replace("owner: Head of Quality", "owner: Data Lead")
        .replace("approved: 2026-01-10", "approved: 2026-06-01");
    let d = policy("Delta", "")
        .replace("owner: Head of Quality\n", "")
        .replace("review_interval: 12 months\n", "");
    let e = policy("Echo", "").replace("approved: 2026-01-10", "approved: 2025-03-01");
    project(&[
        ("policybook.toml", CONFIG),
        ("content/e.md", &e),
        ("content/a.md", &a),
        ("content/b.md", &b),
        ("content/c.md", &c),
        ("content/d.md", &d),
        (
            "content/roles.toml",
            "[[role]]\nid = \"lead\"\ntitle = \"Lead\"\n\n[[role]]\nid = \"unused\"\ntitle = \"Unused Role\"\n",
        ),
        (
            "quizzes/c.toml",
            "id = \"c-quiz\"\ntitle = \"Charlie quiz\"\npolicy = \"c\"\npass_mark = 80\n\n[[question]]\nid = \"q1\"\ntype = \"true-false\"\ntext = \"True?\"\nsee = \"1-purpose\"\nanswer = true\n",
        ),
    ])
}

#[test]
fn the_terminal_table_groups_by_owner_and_fits_100_columns() {
    let dir = fixture();
    let out = run(dir.path(), &["status", "--today", "2026-11-26"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("5 policies: 2 overdue for review, 1 due within 60 days, 1 current, 1 with no review date"),
        "{table}"
    );
    // Owners in order, each with its policies, the most urgent first.
    let at = |needle: &str| {
        table
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{table}"))
    };
    assert!(at("Data Lead\n") < at("Head of Quality\n"));
    assert!(at("Head of Quality\n") < at("(no owner)\n"));
    assert!(at("Zulu") < at("Charlie"), "due before current");
    assert!(at("Echo") < at("Alpha"), "the longest overdue first");
    for line in [
        "Alpha <Rules> & More                            1.0      1 June 2026        overdue by 178 days",
        "Zulu                                            1.0      10 January 2027    due in 45 days",
        "Echo                                            1.0      1 March 2026       overdue by 270 days",
        "Charlie                                         1.0      1 June 2027        current",
        "Delta                                           1.0      -                  no review date",
    ] {
        assert!(table.contains(line), "{line:?} missing:\n{table}");
    }
    assert!(table.contains("Policies without a quiz:\n  Alpha <Rules> & More 1.0 (a)\n"));
    assert!(!table.contains("Charlie 1.0 (c)"), "c has a quiz");
    assert!(table.contains("Roles without duties in any policy:\n  Unused Role (unused)\n"));
    for line in table.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line:?}");
    }

    // A narrower window: Bravo is no longer due.
    let narrow = stdout(&run(
        dir.path(),
        &["status", "--today", "2026-11-26", "--within", "30"],
    ));
    assert!(
        narrow.contains("0 due within 30 days, 2 current"),
        "{narrow}"
    );
}

#[test]
fn json_for_scripts_and_exit_3_when_overdue() {
    let dir = fixture();
    let out = run(
        dir.path(),
        &[
            "status",
            "--today",
            "2026-11-26",
            "--json",
            "--fail-if-overdue",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["today"], "2026-11-26");
    assert_eq!(
        value["counts"],
        json!({"policies": 5, "overdue": 2, "due": 1, "current": 1, "not_set": 1, "drafts": 0})
    );
    assert_eq!(value["owners"][0]["owner"], "Data Lead");
    assert_eq!(value["owners"][0]["policies"][0]["id"], "b");
    assert_eq!(value["owners"][0]["policies"][0]["days"], 45);
    assert_eq!(value["owners"][1]["policies"][0]["id"], "e");
    assert_eq!(value["owners"][1]["policies"][0]["days"], -270);
    assert_eq!(value["owners"][1]["policies"][1]["state"], "overdue");
    assert_eq!(value["owners"][1]["policies"][1]["days"], -178);
    assert_eq!(value["owners"][2]["owner"], Value::Null);
    assert_eq!(
        value["roles_without_duties"],
        json!([{"id": "unused", "title": "Unused Role"}])
    );
    assert_eq!(value["coverage"], Value::Null);

    // A year earlier nothing is overdue: exit 0.
    let out = run(
        dir.path(),
        &[
            "status",
            "--today",
            "2025-07-01",
            "--json",
            "--fail-if-overdue",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_html_page_is_self_contained_and_escaped() {
    let dir = fixture();
    let file = dir.path().join("board.html");
    run_ok(
        dir.path(),
        &[
            "status",
            "--today",
            "2026-11-26",
            "--html",
            file.to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(page.contains("Alpha &lt;Rules&gt; &amp; More"), "escaped");
    assert!(!page.contains("<Rules>"));
    assert!(!page.contains("<script") && !page.contains("<link") && !page.contains("src="));
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(text_at(&doc, "h1"), "Policy review status");
    let captions: Vec<String> = select(&doc, "caption").iter().map(text).collect();
    assert_eq!(captions, ["Data Lead", "Head of Quality", "No owner"]);
    let overdue: Vec<String> = select(&doc, "td.overdue").iter().map(text).collect();
    assert_eq!(overdue, ["overdue by 270 days", "overdue by 178 days"]);
}

fn text_at(doc: &scraper::Html, css: &str) -> String {
    text(&select(doc, css)[0])
}

#[test]
fn acknowledgement_coverage_from_receipts() {
    let dir = fixture();
    run_ok(dir.path(), &["build", "--today", "2026-11-26"]);
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("build/manifest.json")).unwrap(),
    )
    .unwrap();
    let digest = |id: &str| {
        manifest["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()["digest"]
            .as_str()
            .unwrap()
            .trim_start_matches("sha256:")
            .to_owned()
    };
    let receipt = |id: &str, version: &str, digest: &str, name: &str| {
        let mut value = json!({
            "type": "policybook-acknowledgement/1",
            "organisation": "Test Org",
            "policy": { "id": id, "title": "A", "version": version, "digest": digest },
            "statement": format!("I have read and understood the A, version {version}."),
            "person": { "name": name, "staff_id": null, "email": format!("{}@example.org", name.to_lowercase()) },
            "acknowledged_at": "2026-11-20T09:00:00Z",
        });
        value["receipt_hash"] = json!(policybook::acks::receipt_hash(&value));
        value.to_string()
    };
    write(
        dir.path(),
        "acks/alice-a.json",
        &receipt("a", "1.0", &digest("a"), "Alice"),
    );
    write(
        dir.path(),
        "acks/alice-b.json",
        &receipt("b", "1.0", &digest("b"), "Alice"),
    );
    write(
        dir.path(),
        "acks/bob-a.json",
        &receipt("a", "0.9", &"0".repeat(64), "Bob"),
    );

    let out = run(
        dir.path(),
        &["status", "--today", "2026-11-26", "--json", "acks"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let row = |id: &str| {
        value["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            row("a")["current"].clone(),
            row("a")["older"].clone(),
            row("a")["none"].clone()
        ),
        (json!(1), json!(1), json!(0))
    );
    assert_eq!(
        (row("b")["current"].clone(), row("b")["none"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(row("c")["none"], 2);

    let table = stdout(&run(
        dir.path(),
        &["status", "--today", "2026-11-26", "acks"],
    ));
    assert!(
        table.contains("Acknowledgements (people on each version):"),
        "{table}"
    );
    assert!(
        table.contains(
            "Alpha <Rules> & More                            1.0            1        1        0"
        ),
        "{table}"
    );
}
