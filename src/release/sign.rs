//! Signing and verifying in minisign's signature format (`.minisig`).
//!
//! A signature file has four lines: `untrusted comment: ...`; base64 of
//! `"ED" || key id || Ed25519 signature over BLAKE2b-512(data)`; `trusted comment: ...`; base64 of
//! an Ed25519 signature over `signature || trusted comment`. policybook always makes prehashed
//! (`ED`) signatures, as minisign 0.11 does by default; it also accepts legacy (`Ed`) ones made by
//! `minisign -S -l`.

use std::fmt;
use std::io::Cursor;

use crate::error::{Error, Result};
use blake2::{Blake2b512, Digest as _};

use crate::release::keys::{PublicKeyHandle, SecretKeyHandle, base64, key_id};

/// The untrusted comment policybook writes (anyone can change it; minisign ignores it).
pub const UNTRUSTED_COMMENT: &str = "signature from policybook secret key";

/// Longest trusted comment accepted, in bytes (minisign's own buffer is 8 KiB).
pub const MAX_TRUSTED_COMMENT_BYTES: usize = 4096;

/// A signature that checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The signing key's id, 16 upper-case hex digits.
    pub key_id: String,
    /// The signed comment (`minisign -V` prints it as "Trusted comment").
    pub trusted_comment: String,
}

/// Why a signature did not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The text is not a minisign signature.
    Malformed(String),
    /// Made with another key than the one given.
    WrongKey {
        signature_key_id: String,
        public_key_id: String,
    },
    /// The signed data differs from the data given.
    DataMismatch,
    /// The trusted comment was changed after signing.
    CommentMismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Malformed(why) => write!(f, "not a valid minisign signature: {why}"),
            SignatureError::WrongKey {
                signature_key_id,
                public_key_id,
            } => write!(
                f,
                "signed with key {signature_key_id}, not with the public key given \
                 ({public_key_id})"
            ),
            SignatureError::DataMismatch => f.write_str(
                "the signature does not match the signed file: the file was changed after it \
                 was signed",
            ),
            SignatureError::CommentMismatch => {
                f.write_str("the trusted comment was changed after signing")
            }
        }
    }
}

impl std::error::Error for SignatureError {}

/// Signs `data` and returns the text of its `.minisig` file (prehashed `ED` signature, as
/// `minisign -S -t TRUSTED_COMMENT` makes). `trusted_comment` must be one line without leading or
/// trailing spaces.
///
/// The signatures are plain deterministic Ed25519 (RFC 8032): the same key, data and comment
/// always give the same bytes, so a signed build is reproducible, packages that carry a signed
/// manifest included. (minisign itself mixes random noise into each signature, a defence
/// against fault attacks on signing hardware; verifiers cannot tell the difference.)
pub fn sign(secret: &SecretKeyHandle, data: &[u8], trusted_comment: &str) -> Result<String> {
    check_trusted_comment(trusted_comment)?;
    let (keynum, secret_bytes) = secret.ed25519_parts();
    let key = ed25519_compact::SecretKey::from_slice(&secret_bytes)
        .map_err(|e| Error::Usage(format!("could not sign: {e}")))?;
    let prehash = Blake2b512::digest(data);
    let signature = key.sign(prehash, None);
    let mut signed_comment = signature.to_vec();
    signed_comment.extend_from_slice(trusted_comment.as_bytes());
    let global_signature = key.sign(&signed_comment, None);
    let mut signature_line = PREHASHED_ALG.to_vec();
    signature_line.extend_from_slice(&keynum);
    signature_line.extend_from_slice(signature.as_ref());
    let text = format!(
        "untrusted comment: {UNTRUSTED_COMMENT}\n{}\ntrusted comment: {trusted_comment}\n{}\n",
        base64(&signature_line),
        base64(global_signature.as_ref())
    );
    // As minisign does: never hand out a signature that does not check with the public key.
    verify(&secret.public_key(), data, &text)
        .map_err(|e| Error::Usage(format!("could not sign: {e}")))?;
    Ok(text)
}

/// The algorithm bytes of a prehashed (BLAKE2b-512) signature.
const PREHASHED_ALG: &[u8; 2] = b"ED";

/// Checks `signature_text` (a `.minisig` file's content) over exactly `data`.
pub fn verify(
    public: &PublicKeyHandle,
    data: &[u8],
    signature_text: &str,
) -> Result<VerifiedSignature, SignatureError> {
    let signature = minisign::SignatureBox::from_string(signature_text)
        .map_err(|e| SignatureError::Malformed(e.to_string()))?;
    let signature_key_id = key_id(signature.keynum());
    if signature_key_id != public.key_id() {
        return Err(SignatureError::WrongKey {
            signature_key_id,
            public_key_id: public.key_id().to_owned(),
        });
    }
    let trusted_comment = signature
        .trusted_comment()
        .map_err(|e| SignatureError::Malformed(e.to_string()))?;
    // The crate checks the data signature, then the comment's, and says which failed only in its
    // message ("Comment signature verification failed"); anything else is a data mismatch.
    minisign::verify(
        public.inner(),
        &signature,
        Cursor::new(data),
        true,
        false,
        true,
    )
    .map_err(|e| {
        if e.to_string().to_ascii_lowercase().contains("comment") {
            SignatureError::CommentMismatch
        } else {
            SignatureError::DataMismatch
        }
    })?;
    Ok(VerifiedSignature {
        key_id: signature_key_id,
        trusted_comment,
    })
}

fn check_trusted_comment(comment: &str) -> Result<()> {
    if comment.chars().any(char::is_control) {
        return Err(Error::Usage(
            "a trusted comment must be one line without control characters".to_owned(),
        ));
    }
    if comment.trim() != comment {
        return Err(Error::Usage(
            "a trusted comment must not start or end with spaces (verifiers trim them)".to_owned(),
        ));
    }
    if comment.len() > MAX_TRUSTED_COMMENT_BYTES {
        return Err(Error::Usage(format!(
            "a trusted comment must be at most {MAX_TRUSTED_COMMENT_BYTES} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
