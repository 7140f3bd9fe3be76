//! The content digest that binds people, packages and signatures to one exact policy version.
//!
//! Definition (documented in the README so anyone can recompute it):
//! take the policy's source file, remove a leading UTF-8 byte order mark, turn every CRLF and
//! every lone CR into LF, and compute SHA-256 over the resulting UTF-8 bytes, front matter
//! included. The digest is written as 64 lower-case hex digits; its short form is the first 12.

use sha2::{Digest as _, Sha256};

pub const SHORT_LEN: usize = 12;

/// Decodes a source file as UTF-8 and normalises it as the digest definition says.
/// On invalid UTF-8, returns the 1-based line and column of the first bad byte.
pub fn normalise(bytes: &[u8]) -> Result<String, (usize, usize)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        crate::source::line_col_at(valid, valid.len())
    })?;
    if !text.contains('\r') {
        return Ok(text.to_owned());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Whether `text` is a digest as written here: 64 lower-case hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// SHA-256 of already normalised text, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// The content digest of a policy source file: normalise, then SHA-256.
pub fn content_digest(bytes: &[u8]) -> Result<String, (usize, usize)> {
    normalise(bytes).map(|text| sha256_hex(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ignores_bom_and_line_endings() {
        let lf = content_digest(b"---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(
            lf,
            content_digest(b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap()
        );
        assert_eq!(lf, content_digest(b"---\rtitle: A\r---\rBody\r").unwrap());
        assert_ne!(lf, content_digest(b"---\ntitle: B\n---\nBody\n").unwrap());
    }

    #[test]
    fn digest_is_plain_sha256_of_normalised_bytes() {
        // Known SHA-256 of the three bytes "abc".
        assert_eq!(
            content_digest(b"abc").unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn invalid_utf8_reports_line() {
        assert_eq!(normalise(b"ok\nok\nab\xFF"), Err((3, 3)));
    }
}
