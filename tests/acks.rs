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
        "name,email,staff_id,policy,policy_version,status,acknowledged_version,acknowledged_on,source"
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
