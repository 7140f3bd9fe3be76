//! Website receipts: the JSON file a person downloads after acknowledging a policy.
//!
//! ```json
//! {
//!   "type": "policybook-acknowledgement/1",
//!   "organisation": "Larkfield Skills & Training",
//!   "policy": { "id": "e-safety", "title": "E-Safety Policy", "version": "3.1", "digest": "<64 hex>" },
//!   "statement": "I have read and understood the E-Safety Policy, version 3.1.",
//!   "person": { "name": "Jane Smith", "staff_id": "S123", "email": null },
//!   "acknowledged_at": "2026-11-26T10:15:00Z",
//!   "receipt_hash": "sha256:<64 hex>"
//! }
//! ```
//!
//! A policy with its own agreement adds `"audience": "staff"` (when the person chose who they
//! acknowledge as) and `"fields": [{ "id": "laptop-serial", "label": "Laptop serial no.",
//! "value": "LT-0042" }]` (a value is text, `true`/`false` for a checkbox, or `null`).
//!
//! A receipt is valid when it is a JSON object of that type, its `receipt_hash` equals
//! [`receipt_hash`] of its content, and every member above has the right form. Members not listed
//! are allowed (they are covered by the hash) and ignored.

use std::path::Path;

use serde_json::{Map, Value};

use super::canonical::{HASH_MEMBER, receipt_hash};
use super::{AckRecord, FieldValue, Person, RecordKind, Source, strip_bom, without_controls};
use crate::error::Result;

pub const RECEIPT_TYPE: &str = "policybook-acknowledgement/1";

/// Reads one receipt file: `Err` for I/O failures, `Ok(Err(reason))` when the receipt is invalid.
pub fn read_receipt(path: &Path) -> Result<Result<AckRecord, String>> {
    let bytes = super::read_regular_file(path)?;
    Ok(parse_receipt(&bytes, path))
}

/// Parses and checks a receipt's bytes (a leading UTF-8 byte order mark is ignored).
pub fn parse_receipt(bytes: &[u8], path: &Path) -> Result<AckRecord, String> {
    let value: Value = serde_json::from_slice(strip_bom(bytes))
        .map_err(|e| format!("not a valid JSON receipt: {e}"))?;
    check_receipt(&value, Source::file(path))
}

/// Checks a parsed receipt: type, hash, then the form of every member.
pub fn check_receipt(value: &Value, source: Source) -> Result<AckRecord, String> {
    let Value::Object(receipt) = value else {
        return Err("not a policybook acknowledgement receipt (not a JSON object)".to_owned());
    };
    match receipt.get("type") {
        Some(Value::String(t)) if t == RECEIPT_TYPE => {}
        Some(Value::String(t)) => {
            return Err(format!(
                "wrong type `{}` (a receipt's type is `{RECEIPT_TYPE}`)",
                without_controls(t)
            ));
        }
        Some(_) => return Err("`type` is not a string".to_owned()),
        None => {
            return Err("not a policybook acknowledgement receipt (no `type` member)".to_owned());
        }
    }
    let claimed = match receipt.get(HASH_MEMBER) {
        Some(Value::String(h)) => h,
        Some(_) => return Err(format!("`{HASH_MEMBER}` is not a string")),
        None => return Err(format!("no `{HASH_MEMBER}`")),
    };
    if !claimed.strip_prefix("sha256:").is_some_and(is_digest) {
        return Err(format!(
            "`{HASH_MEMBER}` is not `sha256:` followed by 64 lower-case hex digits"
        ));
    }
    if *claimed != receipt_hash(value) {
        return Err(format!(
            "`{HASH_MEMBER}` does not match the receipt's content (the receipt was changed after \
             it was made)"
        ));
    }

    string(receipt, "organisation")?;
    string(receipt, "statement")?;
    let policy = object(receipt, "policy")?;
    let policy_id = string(policy, "id").map_err(|e| format!("policy: {e}"))?;
    if !crate::content::is_valid_id(policy_id) {
        return Err(format!(
            "policy: `id` `{}` is not a policy id",
            without_controls(policy_id)
        ));
    }
    string(policy, "title").map_err(|e| format!("policy: {e}"))?;
    let version = non_empty(policy, "version").map_err(|e| format!("policy: {e}"))?;
    let digest = string(policy, "digest").map_err(|e| format!("policy: {e}"))?;
    if !is_digest(digest) {
        return Err("policy: `digest` is not 64 lower-case hex digits".to_owned());
    }
    let person = object(receipt, "person")?;
    let name = non_empty(person, "name").map_err(|e| format!("person: {e}"))?;
    let email = optional_string(person, "email").map_err(|e| format!("person: {e}"))?;
    let staff_id = optional_string(person, "staff_id").map_err(|e| format!("person: {e}"))?;
    let acknowledged_at = string(receipt, "acknowledged_at")?;
    let when = parse_timestamp(acknowledged_at).ok_or_else(|| {
        format!(
            "`acknowledged_at` `{}` is not an RFC 3339 date and time such as \
             2026-11-26T10:15:00Z",
            without_controls(acknowledged_at)
        )
    })?;

    let audience = optional_string(receipt, "audience")?.map(without_controls);
    let fields = fields(receipt)?;

    Ok(AckRecord {
        audience,
        fields,
        person: Person::new(name, email, staff_id),
        policy_id: policy_id.to_owned(),
        version: without_controls(version),
        digest: digest.to_owned(),
        quiz_failed: false,
        acknowledged_at: acknowledged_at.to_owned(),
        when: Some(when),
        kind: RecordKind::Receipt,
        source,
    })
}

/// The `fields` member: a list of `{ id, label, value }`.
fn fields(receipt: &Map<String, Value>) -> Result<Vec<FieldValue>, String> {
    let list = match receipt.get("fields") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err("`fields` is not a list".to_owned()),
    };
    list.iter()
        .map(|item| {
            let Value::Object(field) = item else {
                return Err("fields: an entry is not an object".to_owned());
            };
            let id = non_empty(field, "id").map_err(|e| format!("fields: {e}"))?;
            let label = optional_string(field, "label").map_err(|e| format!("fields: {e}"))?;
            let value = match field.get("value") {
                None | Some(Value::Null) => String::new(),
                Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
                Some(Value::String(s)) => without_controls(s),
                Some(_) => {
                    return Err(format!(
                        "fields: the value of `{}` is not text",
                        without_controls(id)
                    ));
                }
            };
            Ok(FieldValue {
                id: without_controls(id),
                label: without_controls(label.unwrap_or_default()),
                value,
            })
        })
        .collect()
}

/// 64 lower-case hex digits.
pub fn is_digest(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// An RFC 3339 instant (offset required), as the wall-clock time written in it.
fn parse_timestamp(text: &str) -> Option<jiff::civil::DateTime> {
    text.parse::<jiff::Timestamp>().ok()?;
    let pieces = jiff::fmt::temporal::Pieces::parse(text).ok()?;
    Some(pieces.date().to_datetime(pieces.time()?))
}

fn string<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("`{key}` is not a string")),
        None => Err(format!("no `{key}`")),
    }
}

fn non_empty<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    let s = string(map, key)?;
    if s.trim().is_empty() {
        return Err(format!("`{key}` is empty"));
    }
    Ok(s)
}

fn optional_string<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{key}` is neither a string nor null")),
    }
}

fn object<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a Map<String, Value>, String> {
    match map.get(key) {
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(format!("`{key}` is not an object")),
        None => Err(format!("no `{key}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// A receipt as the website makes it, with its hash filled in.
    fn sealed(mut receipt: Value) -> Value {
        let hash = receipt_hash(&receipt);
        receipt[HASH_MEMBER] = Value::String(hash);
        receipt
    }

    fn receipt() -> Value {
        sealed(json!({
            "type": RECEIPT_TYPE,
            "organisation": "Larkfield Skills & Training",
            "policy": { "id": "e-safety", "title": "E-Safety Policy", "version": "3.1", "digest": DIGEST },
            "statement": "I have read and understood the E-Safety Policy, version 3.1.",
            "person": { "name": "Jane Smith", "staff_id": "S123", "email": null },
            "acknowledged_at": "2026-11-26T10:15:00Z"
        }))
    }

    fn check(value: &Value) -> Result<AckRecord, String> {
        check_receipt(value, Source::file("r.json"))
    }

    #[test]
    fn agreement_fields_and_audience_are_read() {
        let mut value = receipt();
        value["audience"] = json!("staff");
        value["fields"] = json!([
            { "id": "laptop-serial", "label": "Laptop serial no.", "value": "LT-0042" },
            { "id": "returned", "label": "Old laptop returned", "value": false },
            { "id": "note", "label": "Note", "value": null }
        ]);
        let record = check(&sealed(value.clone())).unwrap();
        assert_eq!(record.audience.as_deref(), Some("staff"));
        let values: Vec<(&str, &str)> = record
            .fields
            .iter()
            .map(|f| (f.id.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("laptop-serial", "LT-0042"),
                ("returned", "no"),
                ("note", "")
            ]
        );
        value["fields"] = json!([{ "id": "x", "value": 3 }]);
        assert_eq!(
            check(&sealed(value)).unwrap_err(),
            "fields: the value of `x` is not text"
        );
    }

    #[test]
    fn a_sealed_receipt_is_valid() {
        let record = check(&receipt()).unwrap();
        assert_eq!(record.person, Person::new("Jane Smith", None, Some("S123")));
        assert_eq!(record.policy_id, "e-safety");
        assert_eq!(record.version, "3.1");
        assert_eq!(record.digest, DIGEST);
        assert_eq!(record.date(), "2026-11-26");
        assert_eq!(record.when.unwrap().to_string(), "2026-11-26T10:15:00");
        assert_eq!(record.kind, RecordKind::Receipt);
    }

    #[test]
    fn formatting_of_the_file_does_not_matter() {
        let text = serde_json::to_string_pretty(&receipt()).unwrap();
        let escaped = text.replace("Jane", "J\\u0061ne");
        let record =
            parse_receipt(format!("\u{FEFF}{escaped}").as_bytes(), Path::new("r.json")).unwrap();
        assert_eq!(record.person.name, "Jane Smith");
    }

    #[test]
    fn a_tampered_receipt_is_invalid() {
        let mut tampered = receipt();
        tampered["person"]["name"] = json!("John Smith");
        let err = check(&tampered).unwrap_err();
        assert!(
            err.contains("does not match the receipt's content"),
            "{err}"
        );

        let mut tampered = receipt();
        tampered["policy"]["digest"] = json!(DIGEST.replace('0', "f"));
        assert!(check(&tampered).unwrap_err().contains("does not match"));

        let mut added = receipt();
        added["extra"] = json!(1);
        assert!(check(&added).unwrap_err().contains("does not match"));
    }

    #[test]
    fn wrong_type_and_malformed_receipts_are_invalid() {
        let mut wrong = receipt();
        wrong["type"] = json!("policybook-acknowledgement/2");
        let wrong = sealed(wrong);
        assert_eq!(
            check(&wrong).unwrap_err(),
            "wrong type `policybook-acknowledgement/2` (a receipt's type is `policybook-acknowledgement/1`)"
        );
        assert!(
            check(&json!({"files": []}))
                .unwrap_err()
                .contains("no `type`")
        );
        assert!(
            check(&json!([1]))
                .unwrap_err()
                .contains("not a JSON object")
        );

        let err = parse_receipt(b"{\"type\": ", Path::new("r.json")).unwrap_err();
        assert!(err.starts_with("not a valid JSON receipt"), "{err}");

        let mut no_hash = receipt();
        no_hash.as_object_mut().unwrap().remove(HASH_MEMBER);
        assert_eq!(check(&no_hash).unwrap_err(), "no `receipt_hash`");

        let mut upper = receipt();
        let hash = upper[HASH_MEMBER]
            .as_str()
            .unwrap()
            .to_uppercase()
            .replace("SHA256", "sha256");
        upper[HASH_MEMBER] = json!(hash);
        assert!(check(&upper).unwrap_err().contains("64 lower-case hex"));

        // Correctly sealed, but the content has the wrong form.
        let cases = [
            (
                "/policy/digest",
                json!("abc"),
                "policy: `digest` is not 64 lower-case hex digits",
            ),
            (
                "/policy/id",
                json!("E Safety"),
                "policy: `id` `E Safety` is not a policy id",
            ),
            ("/policy/version", json!(""), "policy: `version` is empty"),
            ("/person/name", json!("  "), "person: `name` is empty"),
            (
                "/person/email",
                json!(7),
                "person: `email` is neither a string nor null",
            ),
            (
                "/acknowledged_at",
                json!("26/11/2026"),
                "`acknowledged_at` `26/11/2026` is not",
            ),
            ("/statement", json!(null), "`statement` is not a string"),
        ];
        for (pointer, bad, expected) in cases {
            let mut value = receipt();
            *value.pointer_mut(pointer).unwrap() = bad;
            let err = check(&sealed(value)).unwrap_err();
            assert!(err.starts_with(expected), "{pointer}: {err}");
        }
    }

    #[test]
    fn timestamps_with_offsets_keep_their_wall_clock_time() {
        let mut value = receipt();
        value["acknowledged_at"] = json!("2026-11-26T00:30:00.123+01:00");
        let record = check(&sealed(value)).unwrap();
        assert_eq!(record.date(), "2026-11-26");
        assert_eq!(record.acknowledged_at, "2026-11-26T00:30:00.123+01:00");
    }
}
