//! Reading a folder of records and reconciling a fixture set end to end.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::canonical::receipt_hash;
use super::*;

const ES31: &str = "e531e531e531e531e531e531e531e531e531e531e531e531e531e531e531e531";
const ES30: &str = "e530e530e530e530e530e530e530e530e530e530e530e530e530e530e530e530";
const ES29: &str = "e529e529e529e529e529e529e529e529e529e529e529e529e529e529e529e529";
const DP20: &str = "d020d020d020d020d020d020d020d020d020d020d020d020d020d020d020d020";

fn policies() -> Vec<CurrentPolicy> {
    vec![
        CurrentPolicy {
            id: "e-safety".into(),
            title: "E-Safety Policy".into(),
            version: "3.1".into(),
            digest: ES31.into(),
            earlier: vec![EarlierVersion {
                version: "3.0".into(),
                digest: ES30.into(),
                changes_page: "site/policies/e-safety/changes-3.0-to-3.1.html".into(),
            }],
            ..CurrentPolicy::default()
        },
        CurrentPolicy {
            id: "data-protection".into(),
            title: "Data Protection Policy".into(),
            version: "2.0".into(),
            digest: DP20.into(),
            ..CurrentPolicy::default()
        },
    ]
}

/// A receipt as the website writes it, hash included.
fn receipt(name: &str, email: Option<&str>, policy: (&str, &str, &str), at: &str) -> Value {
    let (id, version, digest) = policy;
    let mut receipt = json!({
        "type": "policybook-acknowledgement/1",
        "organisation": "Larkfield Skills & Training",
        "policy": { "id": id, "title": "A Policy", "version": version, "digest": digest },
        "statement": format!("I have read and understood A Policy, version {version}."),
        "person": { "name": name, "staff_id": null, "email": email },
        "acknowledged_at": at,
    });
    receipt["receipt_hash"] = Value::String(receipt_hash(&receipt));
    receipt
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn write_json(path: &Path, value: &Value) {
    write(path, &serde_json::to_string_pretty(value).unwrap());
}

/// Alice acknowledged e-safety 3.1 (and earlier 3.0), not data protection, and an old policy;
/// Bob acknowledged data protection 2.0 and, at best, e-safety 3.0; Chloé nothing; Zed is not on
/// the roster; two receipts are invalid.
fn fixture(dir: &Path) -> PathBuf {
    let acks = dir.join("acks");
    write_json(
        &acks.join("receipts/alice-esafety-3.1.json"),
        &receipt(
            "Alice Brown",
            Some("ALICE@example.org"),
            ("e-safety", "3.1", ES31),
            "2026-11-20T09:00:00Z",
        ),
    );
    write_json(
        &acks.join("receipts/alice-esafety-3.0.json"),
        &receipt(
            "Alice Brown",
            Some("alice@example.org"),
            ("e-safety", "3.0", ES30),
            "2026-12-01T09:00:00Z",
        ),
    );
    write_json(
        &acks.join("receipts/alice-lone-working.json"),
        &receipt(
            "Alice Brown",
            Some("alice@example.org"),
            ("lone-working", "1.0", ES29),
            "2025-06-01T08:00:00Z",
        ),
    );
    write_json(
        &acks.join("receipts/bob-esafety-2.9.json"),
        &receipt(
            "  bob   CARTER ",
            None,
            ("e-safety", "2.9", ES29),
            "2025-03-01T12:00:00Z",
        ),
    );
    write_json(
        &acks.join("receipts/zed.json"),
        &receipt(
            "Zed Zephyr",
            Some("zed@example.org"),
            ("e-safety", "3.1", ES31),
            "2026-11-21T09:00:00Z",
        ),
    );
    let mut tampered = receipt(
        "Chloé Dupont",
        Some("chloe@example.org"),
        ("e-safety", "3.1", ES31),
        "2026-11-22T09:00:00Z",
    );
    tampered["person"]["name"] = json!("Chloe Dupont");
    write_json(&acks.join("receipts/tampered.json"), &tampered);
    let mut wrong_type = receipt(
        "Chloé Dupont",
        Some("chloe@example.org"),
        ("data-protection", "2.0", DP20),
        "2026-11-22T09:00:00Z",
    );
    wrong_type["type"] = json!("something-else/1");
    write_json(&acks.join("receipts/wrong-type.json"), &wrong_type);
    write(&acks.join("receipts/.hidden.json"), "not even JSON");
    write(&acks.join("README.txt"), "ignored");
    write(
        &acks.join("reports/moodle.csv"),
        &format!(
            "\u{FEFF}Name,ID number,Attempt,Started on,Last accessed on,Score,Policies,Response 0,Response 1\r\n\
             Bob Carter,S200,1,,\"Monday, 5 January 2026, 10:00 AM\",,completed,ack:e-safety:3.0:sha256:{ES30},ack:data-protection:2.0:sha256:{DP20}\r\n"
        ),
    );
    write(
        &dir.join("staff.csv"),
        "Name,Email address,Staff ID\r\nAlice Brown,alice@example.org,\r\nBob Carter,,S200\r\nChloé Dupont,chloe@example.org,\r\n",
    );
    acks
}

/// Output with the temporary folder's path taken out.
fn relative(text: &str, dir: &Path) -> String {
    text.replace(&format!("{}/", dir.display()), "")
}

#[test]
fn current_outdated_and_missing_people_are_reconciled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let acks = fixture(dir);
    let (records, invalid) = load_records(&[acks], None).unwrap();
    assert_eq!(records.len(), 7);
    assert_eq!(invalid.len(), 2);
    let roster = load_roster(&dir.join("staff.csv")).unwrap();
    let result = reconcile(&policies(), &records, Some(&roster)).with_invalid(invalid);

    assert!(result.needs_action());
    assert_eq!(
        result.summary(),
        "2 current, 1 must re-acknowledge (older version), 3 not acknowledged, 2 invalid records, \
         1 record of policies not in this release, 1 record from people not on the roster"
    );
    let alice = &result.people[0];
    assert_eq!(alice.person.name, "Alice Brown");
    assert_eq!(alice.policies[1].policy_id, "e-safety");
    assert_eq!(
        alice.policies[1].status,
        Status::Current {
            date: "2026-11-20".into()
        }
    );
    let bob = &result.people[1];
    assert_eq!(
        bob.policies[1].status,
        Status::Outdated {
            version: "3.0".into(),
            digest: ES30.into(),
            date: "2026-01-05".into(),
            changes_page: Some("site/policies/e-safety/changes-3.0-to-3.1.html".into()),
        }
    );

    assert_eq!(
        relative(&result.table(), dir),
        "\
Person                            Policy                      Status
--------------------------------  --------------------------  ---------------------------------------------------
Alice Brown <alice@example.org>   Data Protection Policy 2.0  not acknowledged
                                  E-Safety Policy 3.1         acknowledged on 2026-11-20
Bob Carter (S200)                 Data Protection Policy 2.0  acknowledged on 2026-01-05
                                  E-Safety Policy 3.1         must re-acknowledge: acknowledged 3.0 on 2026-01-05
Chloé Dupont <chloe@example.org>  Data Protection Policy 2.0  not acknowledged
                                  E-Safety Policy 3.1         not acknowledged

Before re-acknowledging, read what changed since the version acknowledged
  E-Safety Policy 3.0 → 3.1: site/policies/e-safety/changes-3.0-to-3.1.html (1 person)

Not counted: acknowledgements of policies that are not in this release
  Alice Brown <alice@example.org>: lone-working 1.0 on 2025-06-01 (acks/receipts/alice-lone-working.json)

Not counted: acknowledgements by people who are not on the roster
  Zed Zephyr <zed@example.org>: e-safety 3.1 on 2026-11-21 (acks/receipts/zed.json)

Invalid, not counted
  acks/receipts/tampered.json: `receipt_hash` does not match the receipt's content (the receipt was changed after it was made)
  acks/receipts/wrong-type.json: wrong type `something-else/1` (a receipt's type is `policybook-acknowledgement/1`)
"
    );
    assert_eq!(
        relative(&result.to_csv(), dir),
        "\u{FEFF}name,email,staff_id,policy,policy_version,status,acknowledged_version,acknowledged_on,source,changes_page\r\n\
         Alice Brown,alice@example.org,,data-protection,2.0,missing,,,,\r\n\
         Alice Brown,alice@example.org,,e-safety,3.1,current,3.1,2026-11-20,acks/receipts/alice-esafety-3.1.json,\r\n\
         Alice Brown,alice@example.org,,lone-working,,unknown_policy,1.0,2025-06-01,acks/receipts/alice-lone-working.json,\r\n\
         Bob Carter,,S200,data-protection,2.0,current,2.0,2026-01-05,acks/reports/moodle.csv:2,\r\n\
         Bob Carter,,S200,e-safety,3.1,outdated,3.0,2026-01-05,acks/reports/moodle.csv:2,site/policies/e-safety/changes-3.0-to-3.1.html\r\n\
         Chloé Dupont,chloe@example.org,,data-protection,2.0,missing,,,,\r\n\
         Chloé Dupont,chloe@example.org,,e-safety,3.1,missing,,,,\r\n\
         Zed Zephyr,zed@example.org,,e-safety,3.1,not_on_roster,3.1,2026-11-21,acks/receipts/zed.json,\r\n"
    );
}

#[test]
fn without_a_roster_everyone_with_a_record_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let acks = fixture(tmp.path());
    let (records, invalid) = load_records(&[acks], None).unwrap();
    let result = reconcile(&policies(), &records, None).with_invalid(invalid);
    let people: Vec<String> = result.people.iter().map(|p| p.person.label()).collect();
    // The receipt for "bob carter" (name only) and the Moodle row for Bob Carter (S200) are one
    // person; so are Alice's receipts with differently cased e-mails.
    assert_eq!(
        people,
        [
            "Alice Brown <alice@example.org>",
            "Bob Carter (S200)",
            "Zed Zephyr <zed@example.org>"
        ]
    );
    assert!(result.not_on_roster.is_empty());
    assert_eq!(result.unknown_policy.len(), 1);
    assert_eq!(
        result.summary(),
        "3 current, 1 must re-acknowledge (older version), 2 not acknowledged, 2 invalid records, \
         1 record of policies not in this release"
    );
}

fn record(person: Person, policy: (&str, &str, &str), when: &str, file: &str) -> AckRecord {
    AckRecord {
        person,
        policy_id: policy.0.into(),
        version: policy.1.into(),
        digest: policy.2.into(),
        quiz_failed: false,
        acknowledged_at: when.into(),
        when: when.parse().ok(),
        kind: RecordKind::Receipt,
        audience: None,
        fields: Vec::new(),
        source: Source::file(file),
    }
}

#[test]
fn people_are_matched_by_email_then_staff_id_then_name() {
    let roster = vec![
        Person::new("Jo Bloggs", Some("jo@example.org"), None),
        Person::new("Sam Lee", None, Some("S1")),
        Person::new("Pat Kim", None, None),
    ];
    let es = ("e-safety", "3.1", ES31);
    let records = vec![
        // E-mail decides when both have one, whatever the name.
        record(
            Person::new("Joanne Bloggs", Some("JO@Example.org"), None),
            es,
            "2026-11-01T09:00:00",
            "a.json",
        ),
        // Staff id decides when both have one and there is no pair of e-mails.
        record(
            Person::new("Samuel Lee", Some("sam@example.org"), Some("s1")),
            es,
            "2026-11-02T09:00:00",
            "b.json",
        ),
        // Otherwise the name, ignoring case and spaces.
        record(
            Person::new(" PAT   kim", Some("pat@example.org"), None),
            es,
            "2026-11-03T09:00:00",
            "c.json",
        ),
        // Same name as Jo, different e-mail: someone else.
        record(
            Person::new("Jo Bloggs", Some("other@example.org"), None),
            es,
            "2026-11-04T09:00:00",
            "d.json",
        ),
    ];
    let result = reconcile(&policies()[..1], &records, Some(&roster));
    let sources: Vec<String> = result
        .people
        .iter()
        .map(|p| {
            p.policies[0]
                .record
                .as_ref()
                .map(|r| r.source.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(sources, ["a.json", "c.json", "b.json"]); // Jo Bloggs, Pat Kim, Sam Lee
    assert!(!result.needs_action());
    assert_eq!(result.not_on_roster.len(), 1);
    assert_eq!(result.not_on_roster[0].source.to_string(), "d.json");
}

#[test]
fn a_record_matching_two_people_equally_is_ambiguous() {
    let roster = vec![
        Person::new("Jo Bloggs", Some("jo@example.org"), None),
        Person::new("Jo Bloggs", Some("jo.b@example.org"), None),
    ];
    let records = vec![record(
        Person::new("Jo Bloggs", None, None),
        ("e-safety", "3.1", ES31),
        "2026-11-01T09:00:00",
        "a.json",
    )];
    let result = reconcile(&policies()[..1], &records, Some(&roster));
    assert_eq!(result.ambiguous.len(), 1);
    assert_eq!(result.counts().missing, 2);
    assert!(result.table().contains(
        "Not counted: acknowledgements that match more than one person\n  \
         Jo Bloggs: e-safety 3.1 on 2026-11-01 (a.json) (matches Jo Bloggs <jo.b@example.org>; Jo Bloggs <jo@example.org>)\n"
    ));
    assert!(
        result
            .to_csv()
            .contains("\r\nJo Bloggs,,,e-safety,3.1,ambiguous,3.1,2026-11-01,a.json,\r\n")
    );
}

#[test]
fn the_current_digest_wins_over_a_later_older_one_and_otherwise_the_latest_wins() {
    let jo = Person::new("Jo", None, None);
    let es = |v, d| ("e-safety", v, d);
    let records = vec![
        record(
            jo.clone(),
            es("3.1", ES31),
            "2026-01-01T00:00:00",
            "current-early.json",
        ),
        record(
            jo.clone(),
            es("3.0", ES30),
            "2026-06-01T00:00:00",
            "older-later.json",
        ),
        record(
            jo.clone(),
            es("3.1", ES31),
            "2026-02-01T00:00:00",
            "current-later.json",
        ),
    ];
    let result = reconcile(&policies()[..1], &records, None);
    let status = &result.people[0].policies[0];
    assert_eq!(
        status.status,
        Status::Current {
            date: "2026-02-01".into()
        }
    );
    assert_eq!(
        status.record.as_ref().unwrap().source.to_string(),
        "current-later.json"
    );

    let records = vec![
        record(jo.clone(), es("2.9", ES29), "2026-03-01T00:00:00", "a.json"),
        record(jo.clone(), es("3.0", ES30), "2026-02-01T00:00:00", "b.json"),
        // The same version number with other text: still outdated, and said so.
        record(jo.clone(), es("3.1", ES30), "2026-01-01T00:00:00", "c.json"),
    ];
    let result = reconcile(&policies()[..1], &records, None);
    assert_eq!(
        result.people[0].policies[0].status,
        Status::Outdated {
            version: "2.9".into(),
            digest: ES29.into(),
            date: "2026-03-01".into(),
            changes_page: None,
        }
    );
    let result = reconcile(&policies()[..1], &records[2..], None);
    assert!(result.table().contains(
        "must re-acknowledge: acknowledged 3.1 with other text (digest e530e530e530) on 2026-01-01"
    ));
    assert!(result.needs_action());
}

#[test]
fn inputs_are_files_or_folders_and_anything_else_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let acks = fixture(tmp.path());
    let one = acks.join("receipts/zed.json");
    let (records, invalid) =
        load_records(&[one.clone(), acks.join("reports/moodle.csv")], None).unwrap();
    assert_eq!(records.len(), 3);
    assert!(invalid.is_empty());
    assert_eq!(records[0].source, Source::file(&one));

    write(&acks.join("notes.md"), "ignored");
    let err = load_records(&[acks.join("notes.md")], None).unwrap_err();
    assert!(matches!(err, Error::Usage(_)), "{err}");
    assert!(err.to_string().ends_with("notes.md: not an acknowledgement input (give .json receipts, reports as .csv, .tsv, .txt, .xlsx or .ods, or folders of them)"), "{err}");
    let err = load_records(&[acks.join("nothing-here")], None).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");

    // A CSV in the folder without a Name column stops the run, naming the file.
    write(&acks.join("reports/other.csv"), "Learner,Answer\nJo,x\n");
    let err = load_records(&[acks], None).unwrap_err().to_string();
    assert!(err.contains("other.csv: no `Name` column"), "{err}");
}

#[test]
fn nothing_to_report() {
    let result = reconcile(&policies(), &[], None);
    assert!(!result.needs_action());
    assert_eq!(
        result.table(),
        "No one to report on: no acknowledgements, and no roster.\n"
    );
    assert_eq!(
        result.summary(),
        "0 current, 0 must re-acknowledge (older version), 0 not acknowledged"
    );
    assert_eq!(
        result.to_csv(),
        "\u{FEFF}name,email,staff_id,policy,policy_version,status,acknowledged_version,acknowledged_on,source,changes_page\r\n"
    );
}

#[test]
fn control_characters_from_records_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.json");
    let mut value = receipt(
        "Jane\u{1b}[2J\tSmith\u{7}",
        None,
        ("e-safety", "3.1\u{1b}[31m", ES31),
        "2026-11-20T09:00:00Z",
    );
    value["receipt_hash"] = Value::String(receipt_hash(&value));
    write_json(&path, &value);
    let (records, invalid) = load_records(&[path], None).unwrap();
    assert!(invalid.is_empty());
    let result = reconcile(&policies(), &records, None);
    let table = result.table();
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
    assert_eq!(result.people[0].person.name, "Jane [2J Smith");
}

#[test]
fn many_people_and_records_reconcile_quickly() {
    let roster: Vec<Person> = (0..5000)
        .map(|i| {
            Person::new(
                &format!("Person {i}"),
                Some(&format!("p{i}@example.org")),
                None,
            )
        })
        .collect();
    let records: Vec<AckRecord> = (0..20000)
        .map(|i| {
            record(
                Person::new(&format!("Person {}", i % 6000), None, None),
                ("e-safety", "3.1", ES31),
                "2026-11-01T09:00:00",
                &format!("{i}.json"),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let result = reconcile(&policies(), &records, Some(&roster));
    assert!(started.elapsed().as_secs() < 20);
    assert_eq!(result.counts().current, 5000);
    // "Person 5000" to "Person 5999" are not on the roster: three records each.
    assert_eq!(result.not_on_roster.len(), 3000);
}
