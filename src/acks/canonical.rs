//! Canonical JSON and the receipt hash, defined so that a browser can compute the same bytes with
//! `JSON.stringify` and a key sort.
//!
//! Canonical JSON of a value:
//! - `null`, `true`, `false` as written;
//! - a string exactly as JavaScript's `JSON.stringify` writes it: `"` and `\` escaped with a
//!   backslash, U+0008/09/0A/0C/0D as `\b \t \n \f \r`, every other character below U+0020 as
//!   `\u00xx` (lower-case hex), everything else (including `/`, U+007F, U+2028, U+2029, non-ASCII
//!   and astral characters) as the character itself;
//! - a number as JavaScript's `Number.prototype.toString` writes it (`1`, `0.1`, `1e+21`, `-0` as
//!   `0`);
//! - an array as `[` elements joined by `,` `]`, in order;
//! - an object as `{` `"key":value` pairs joined by `,` `}`, keys sorted by Unicode code point
//!   (equivalently by their UTF-8 bytes), at every level;
//! - no whitespace anywhere.
//!
//! The receipt hash is `sha256:` followed by the lower-case hex SHA-256 of the UTF-8 bytes of the
//! canonical JSON of the receipt object with its `receipt_hash` member removed.

use serde_json::Value;

use crate::digest::sha256_hex;

/// The member that carries the hash and is left out of what is hashed.
pub const HASH_MEMBER: &str = "receipt_hash";

/// Serialises `value` as canonical JSON (see the module documentation).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// `sha256:<hex>` over the canonical JSON of `receipt` without its `receipt_hash` member.
pub fn receipt_hash(receipt: &Value) -> String {
    let canonical = match receipt {
        Value::Object(map) => {
            let mut map = map.clone();
            map.remove(HASH_MEMBER);
            canonical_json(&Value::Object(map))
        }
        other => canonical_json(other),
    };
    format!("sha256:{}", sha256_hex(canonical.as_bytes()))
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here rather than relying on the map's order, so a dependency that turns on
            // serde_json's `preserve_order` cannot change the hash. `str`'s order is code-point
            // order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// A string as `JSON.stringify` writes it (ECMA-262 QuoteJSONString).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as JavaScript's `Number.prototype.toString()` (ECMA-262 Number::toString, radix 10).
fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "null".to_owned(); // JSON.stringify(NaN); serde_json never holds one
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    if x < 0.0 {
        return format!("-{}", js_number(-x));
    }
    if x.is_infinite() {
        return "null".to_owned();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as ECMAScript requires.
    let sci = format!("{x:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let sign = if e >= 0 { '+' } else { '-' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{sign}{}", e.abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Expected outputs below were produced by Node.js with
    // `const c = v => v === null || typeof v !== 'object' ? JSON.stringify(v)
    //   : Array.isArray(v) ? '[' + v.map(c).join(',') + ']'
    //   : '{' + Object.keys(v).sort(byCodePoint).map(k => JSON.stringify(k) + ':' + c(v[k])).join(',') + '}'`
    // where `byCodePoint` compares `Array.from(key)` code points. (Plain `.sort()` compares UTF-16
    // code units and would put "😀" before "～"; the receipt's own keys are ASCII, where the two agree.)

    #[test]
    fn strings_are_escaped_as_json_stringify_does() {
        let value =
            json!("q\"b\\s/\u{8}\t\n\u{b}\u{c}\r\u{0}\u{1f}\u{7f} é ü 中 😀 \u{2028}\u{2029} <>&'");
        assert_eq!(
            canonical_json(&value),
            "\"q\\\"b\\\\s/\\b\\t\\n\\u000b\\f\\r\\u0000\\u001f\u{7f} é ü 中 😀 \u{2028}\u{2029} <>&'\""
        );
        // serde_json's own string serialisation agrees, as the definition claims.
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            canonical_json(&value)
        );
    }

    #[test]
    fn keys_are_sorted_by_code_point_at_every_level_without_whitespace() {
        let value: Value = serde_json::from_str(
            r#"{ "b": 1, "a": { "z": [3, {"y": null, "x": true}], "Z": false },
                 "é": "e", "😀": "smile", "\uff5e": "fullwidth tilde", "A": [] }"#,
        )
        .unwrap();
        assert_eq!(
            canonical_json(&value),
            r#"{"A":[],"a":{"Z":false,"z":[3,{"x":true,"y":null}]},"b":1,"é":"e","～":"fullwidth tilde","😀":"smile"}"#
        );
    }

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("1.0", "1"),
            ("-12", "-12"),
            ("0.1", "0.1"),
            ("1.5e-7", "1.5e-7"),
            ("0.000001", "0.000001"),
            ("1e21", "1e+21"),
            ("1e300", "1e+300"),
            ("5e-324", "5e-324"),
            ("3.14159", "3.14159"),
            ("9007199254740993", "9007199254740992"),
        ];
        for (input, expected) in cases {
            let value: Value = serde_json::from_str(input).unwrap();
            assert_eq!(canonical_json(&value), expected, "{input}");
        }
        // Of two shortest digit strings, the nearer one (as ECMAScript requires). The f64 is
        // given directly: serde_json's default float parser may round such long literals to a
        // neighbouring f64 where JSON.parse would not.
        assert_eq!(js_number(123456789012345683968.0), "123456789012345680000");
        assert_eq!(
            js_number(-1.7976931348623157e308),
            "-1.7976931348623157e+308"
        );
    }

    fn fixed_receipt() -> Value {
        json!({
            "type": "policybook-acknowledgement/1",
            "organisation": "Larkfield Skills & Training",
            "policy": {
                "id": "e-safety",
                "title": "E-Safety Policy",
                "version": "3.1",
                "digest": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            },
            "statement": "I have read and understood the E-Safety Policy, version 3.1.",
            "person": { "name": "Zoë \"Jo\" O'Brien 😀", "staff_id": "S123", "email": null },
            "acknowledged_at": "2026-11-26T10:15:00Z",
            "receipt_hash": "sha256:ignored"
        })
    }

    #[test]
    fn receipt_hash_is_sha256_of_canonical_json_without_the_hash_member() {
        let receipt = fixed_receipt();
        let mut without = receipt.clone();
        without.as_object_mut().unwrap().remove("receipt_hash");
        let canonical = canonical_json(&without);
        assert_eq!(
            canonical,
            concat!(
                r#"{"acknowledged_at":"2026-11-26T10:15:00Z","organisation":"Larkfield Skills & Training","#,
                r#""person":{"email":null,"name":"Zoë \"Jo\" O'Brien 😀","staff_id":"S123"},"#,
                r#""policy":{"digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","#,
                r#""id":"e-safety","title":"E-Safety Policy","version":"3.1"},"#,
                r#""statement":"I have read and understood the E-Safety Policy, version 3.1.","#,
                r#""type":"policybook-acknowledgement/1"}"#
            )
        );
        // Computed independently: printf '%s' "$canonical" | sha256sum (and in Node.js with
        // crypto.createHash('sha256') over the canonical string).
        let expected = "sha256:ef4d9a929dbbf243c02df27ed4659aea3b13f706a9f3a19c3562f684df4dbbd8";
        assert_eq!(receipt_hash(&receipt), expected);
        // The hash member's value, and its presence, make no difference.
        assert_eq!(receipt_hash(&without), expected);
    }
}
