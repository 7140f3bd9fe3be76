//! `policybook acks`: website receipts and Moodle's Interactions report reconciled with the
//! current release: who is current, who must re-acknowledge an older version, who is missing.

mod common;

use common::*;
use serde_json::json;

/// A receipt as the website writes it, with its hash.
fn receipt(
    policy_id: &str,
    version: &str,
    digest: &str,
    name: &str,
    email: &str,
    at: &str,
) -> String {
    let mut value = json!({
        "type": "policybook-acknowledgement/1",
        "organisation": "Test Org",
        "policy": { "id": policy_id, "title": "A", "version": version, "digest": digest },
        "statement": format!("I have read and understood the A, version {version}."),
        "person": { "name": name, "staff_id": null, "email": email },
        "acknowledged_at": at,
    });
    let hash = policybook::acks::receipt_hash(&value);
    value["receipt_hash"] = json!(hash);
    serde_json::to_string_pretty(&value).unwrap()
}

fn digest_of(text: &str) -> String {
    policybook::digest::content_digest(text.as_bytes()).unwrap()
}

#[test]
fn lists_who_is_current_who_must_re_acknowledge_and_who_is_missing() {
    let v1 = policy("A", "").replace("version: \"1.0\"", "version: \"1\"");
    let v2 = v1.replace("version: \"1\"", "version: \"2\"").replace(
        "Why this policy exists.",
        "Why this policy exists, now with more.",
    );
    let dir = project(&[("policybook.toml", CONFIG), ("content/a.md", &v2)]);
    run_ok(dir.path(), &["build"]);
    let (d1, d2) = (digest_of(&v1), digest_of(&v2));

    write(
        dir.path(),
        "acks/alice.json",
        &receipt(
            "a",
            "1",
            &d1,
            "Alice Archer",
            "alice@example.org",
            "2026-01-20T09:00:00Z",
        ),
    );
    write(
        dir.path(),
        "acks/bob.json",
        &receipt(
            "a",
            "2",
            &d2,
            "Bob Baker",
            "bob@example.org",
            "2026-11-20T09:00:00Z",
        ),
    );
    // Edited after it was made: the name no longer matches the hash.
    let forged = receipt(
        "a",
        "2",
        &d2,
        "Eve Evans",
        "eve@example.org",
        "2026-11-21T09:00:00Z",
    )
    .replace("Eve Evans", "Alice Archer");
    write(dir.path(), "acks/forged.json", &forged);
    write(
        dir.path(),
        "moodle.csv",
        &format!(
            "\u{feff}Name,Email address,Attempt,Started on,Last accessed on,Score,A,Response 1,Response 2\r\nDan Dyer,dan@example.org,1,\"Tuesday, 24 November 2026, 1:15 AM\",\"Tuesday, 24 November 2026, 1:20 AM\",100,100/100,t,ack:a:2:sha256:{d2}\r\n"
        ),
    );
    write(
        dir.path(),
        "roster.csv",
        "name,email\nAlice Archer,alice@example.org\nBob Baker,BOB@example.org\nCarol Cole,carol@example.org\nDan Dyer,dan@example.org\n",
    );

    let out = run(
        dir.path(),
        &[
            "acks",
            "acks",
            "moodle.csv",
            "--roster",
            "roster.csv",
            "--csv",
            "result.csv",
            "--fail-if-action-needed",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let table = stdout(&out);
    assert!(
        table.contains("forged.json"),
        "the forged receipt is reported: {table}"
    );
    let csv = std::fs::read_to_string(dir.path().join("result.csv")).unwrap();
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows[0],
        "name,email,staff_id,policy,policy_version,status,acknowledged_version,acknowledged_on,source,changes_page"
    );
    let status_of = |name: &str| {
        rows.iter()
            .find(|r| r.starts_with(name))
            .map(|r| r.split(',').nth(5).unwrap().to_owned())
    };
    assert_eq!(
        status_of("Alice Archer").as_deref(),
        Some("outdated"),
        "{csv}"
    );
    assert_eq!(status_of("Bob Baker").as_deref(), Some("current"), "{csv}");
    assert_eq!(status_of("Carol Cole").as_deref(), Some("missing"), "{csv}");
    assert_eq!(status_of("Dan Dyer").as_deref(), Some("current"), "{csv}");
    let alice = rows.iter().find(|r| r.starts_with("Alice Archer")).unwrap();
    assert!(
        alice.contains(",1,2026-01-20,"),
        "which older version, and when: {alice}"
    );

    // Everyone current: exit 0 even with the flag.
    write(
        dir.path(),
        "only-bob.csv",
        "name,email\nBob Baker,bob@example.org\n",
    );
    let out = run(
        dir.path(),
        &[
            "acks",
            "acks/bob.json",
            "--roster",
            "only-bob.csv",
            "--fail-if-action-needed",
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn bad_inputs_are_errors_naming_the_file() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    let lines = run_err(dir.path(), &["acks", "nothing-here.json"]);
    assert!(
        lines.last().unwrap().contains("build/manifest.json"),
        "needs a build first: {lines:?}"
    );
    run_ok(dir.path(), &["build"]);
    write(dir.path(), "lms.csv", "Learner,Mail\nX,x@example.org\n");
    let lines = run_err(
        dir.path(),
        &["acks", "lms.csv", "--columns", "name=Full name"],
    );
    assert!(lines.last().unwrap().contains("Full name"), "{lines:?}");
}

/// The fixtures of tests/fixtures/moodle/: Moodle's report downloads, a release manifest whose
/// e-safety digest is the one in them, and a roster.
fn moodle_fixture(name: &str) -> std::path::PathBuf {
    repo_root().join("tests/fixtures/moodle").join(name)
}

const INTERACTIONS_TXT: &str = "INDUCT E-Safety Policy-20261124_0115-tab_separated.txt";
const OBJECTIVES_TXT: &str = "INDUCT E-Safety Policy 2004-20261124_0116-tab_separated.txt";

/// Runs `acks` on one fixture with the fixture manifest and roster; returns the CSV rows by name
/// (`status`, `acknowledged_version`, `acknowledged_on`, `source`) and the table.
fn reconcile_fixture(input: &str) -> (BTreeMap<String, [String; 4]>, String) {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("result.csv");
    let out = run(
        dir.path(),
        &[
            "acks",
            moodle_fixture(input).to_str().unwrap(),
            "--manifest",
            moodle_fixture("manifest.json").to_str().unwrap(),
            "--roster",
            moodle_fixture("roster.csv").to_str().unwrap(),
            "--csv",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{input}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let source = r[8].rsplit('/').next().unwrap().to_owned();
            (
                r[0].to_owned(),
                [r[5].to_owned(), r[6].to_owned(), r[7].to_owned(), source],
            )
        })
        .collect();
    (rows, stdout(&out))
}

use std::collections::BTreeMap;

#[test]
fn reads_moodles_interactions_report_in_each_download_format() {
    for input in [
        INTERACTIONS_TXT,
        "interactions.xlsx",
        "interactions.ods",
        "interactions-resaved-dates.xlsx",
    ] {
        let (rows, table) = reconcile_fixture(input);
        let status = |name: &str| rows[name].clone();
        assert_eq!(
            status("Alice Archer")[..3],
            ["current", "3.1", "2026-11-23"],
            "{input}: {rows:?}"
        );
        assert_eq!(status("Alice Archer")[3], format!("{input}:2"), "{input}");
        assert_eq!(
            status("Bob Baker")[..3],
            ["quiz_failed", "3.1", "2026-11-24"],
            "{input}"
        );
        assert_eq!(status("Carol Cole")[0], "missing", "{input}");
        assert_eq!(
            status("Dan Dyer")[..3],
            ["outdated", "3.0", "2026-05-05"],
            "{input}"
        );
        assert_eq!(status("Siobhán O'Neill")[0], "current", "{input}");
        assert!(
            table.contains("must retake the quiz: acknowledged without passing it on 2026-11-24"),
            "{input}: {table}"
        );
        assert!(
            table.contains(
                "2 current, 1 must re-acknowledge (older version), 1 acknowledged without passing the quiz, 1 not acknowledged"
            ),
            "{input}: {table}"
        );
    }
}

#[test]
fn reads_the_objectives_report_where_scorm_2004_packages_record_acknowledgements() {
    let (rows, _) = reconcile_fixture(OBJECTIVES_TXT);
    assert_eq!(
        rows["Alice Archer"][..3],
        ["current", "3.1", "2026-11-23"],
        "{rows:?}"
    );
    assert_eq!(rows["Bob Baker"][0], "quiz_failed");
    assert_eq!(rows["Carol Cole"][0], "missing");
    assert_eq!(rows["Dan Dyer"][0], "missing");
}

/// A project built, with a receipt-writing helper's digest for policy `a`.
fn built_project() -> (TempDir, String) {
    let text = policy("A", "");
    let dir = project(&[("policybook.toml", CONFIG), ("content/a.md", &text)]);
    run_ok(dir.path(), &["build"]);
    (dir, digest_of(&text))
}

#[test]
fn a_semicolon_separated_csv_is_read() {
    // Issue 9: Excel in many locales saves "CSV" with semicolons.
    let (dir, digest) = built_project();
    write(
        dir.path(),
        "lms.csv",
        &format!(
            "Name;\"Email address\";Attempt;\"Last accessed on\";\"Response 0\"\r\n\"Smith, Jane\";jane@example.org;1;\"24 November 2026, 1:15 AM\";ack:a:1.0:sha256:{digest}\r\n"
        ),
    );
    let out = run(dir.path(), &["acks", "lms.csv"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("Smith, Jane <jane@example.org>  A 1.0   acknowledged on 2026-11-24"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn names_of_65536_characters_or_more_do_not_panic() {
    // Issue 9: `acks` panicked ("Formatting argument out of range", exit 101) on a name of
    // 65,536 characters, from a receipt, a report or a roster.
    let (dir, digest) = built_project();
    let long = "N".repeat(70_000);
    write(
        dir.path(),
        "r.json",
        &receipt(
            "a",
            "1.0",
            &digest,
            &long,
            "long@example.org",
            "2026-11-20T09:00:00Z",
        ),
    );
    write(
        dir.path(),
        "report.txt",
        &format!("Name\t\"Response 0\"\n{long}x\tack:a:1.0:sha256:{digest}\n"),
    );
    write(dir.path(), "roster.csv", &format!("name\n{long}y\n"));
    for args in [
        &["acks", "r.json"][..],
        &["acks", "report.txt"],
        &["acks", "r.json", "--roster", "roster.csv"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let table = stdout(&out);
        assert!(
            table.contains("NNNN…"),
            "{args:?}: long names are cut short in the table"
        );
        assert!(table.lines().all(|l| l.chars().count() < 400), "{args:?}");
    }
}

#[test]
fn terminal_escapes_in_file_names_are_cleaned() {
    // Issue 9: receipt file names reached the terminal and the CSV raw.
    let (dir, digest) = built_project();
    let good = receipt(
        "a",
        "1.0",
        &digest,
        "Jo",
        "jo@example.org",
        "2026-11-20T09:00:00Z",
    );
    write(dir.path(), "acks/jo\u{1b}[2J\u{7}.json", &good);
    write(
        dir.path(),
        "acks/bad\u{1b}]0;owned\u{7}.json",
        &good.replace("\"Jo\"", "\"Eve\""),
    );
    let out = run(dir.path(), &["acks", "acks", "--csv", "out.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("Invalid, not counted\n  acks/bad ]0;owned .json:"),
        "{table}"
    );
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(csv.contains(",acks/jo [2J .json,\r\n"), "{csv}");
    for text in [&table, &csv, &stderr(&out)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
}

#[test]
fn a_fifo_given_as_input_roster_or_manifest_is_refused() {
    // Issue 9: `acks` blocked forever reading a FIFO.
    let (dir, digest) = built_project();
    write(
        dir.path(),
        "r.json",
        &receipt(
            "a",
            "1.0",
            &digest,
            "Jo",
            "jo@example.org",
            "2026-11-20T09:00:00Z",
        ),
    );
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.csv"))
        .status()
        .expect("mkfifo (coreutils)");
    assert!(status.success());
    for args in [
        &["acks", "pipe.csv"][..],
        &["acks", "r.json", "--roster", "pipe.csv"],
        &["acks", "r.json", "--manifest", "pipe.csv"],
    ] {
        let out = run_with_deadline(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("pipe.csv: not a regular file (a pipe, device or socket)"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}
