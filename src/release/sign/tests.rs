use super::*;
use crate::release::test_support::{assert_success, keypair, run_minisign};

/// The algorithm bytes of a signature line.
fn algorithm(line: &str) -> [u8; 2] {
    use ct_codecs::{Base64, Decoder as _};
    let bytes = Base64::decode_to_vec(line, None).unwrap();
    [bytes[0], bytes[1]]
}

#[test]
fn sign_then_verify_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (_, secret, public) = keypair(dir.path());
    let text = sign(&secret, b"manifest bytes", "policybook release: test").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], format!("untrusted comment: {UNTRUSTED_COMMENT}"));
    assert_eq!(algorithm(lines[1]), *b"ED", "prehashed signature");
    assert_eq!(lines[2], "trusted comment: policybook release: test");
    assert!(text.ends_with('\n'));

    let verified = verify(&public, b"manifest bytes", &text).unwrap();
    assert_eq!(verified.key_id, public.key_id());
    assert_eq!(verified.trusted_comment, "policybook release: test");
    // The secret key's own public half verifies too.
    assert!(verify(&secret.public_key(), b"manifest bytes", &text).is_ok());
}

#[test]
fn changed_data_comment_or_key_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (_, secret, public) = keypair(dir.path());
    let text = sign(&secret, b"manifest bytes", "release 1").unwrap();

    assert_eq!(
        verify(&public, b"manifest bytez", &text),
        Err(SignatureError::DataMismatch)
    );
    let forged = text.replace("trusted comment: release 1", "trusted comment: release 2");
    assert_eq!(
        verify(&public, b"manifest bytes", &forged),
        Err(SignatureError::CommentMismatch)
    );
    let other = tempfile::tempdir().unwrap();
    let (_, _, other_public) = keypair(other.path());
    match verify(&other_public, b"manifest bytes", &text) {
        Err(e @ SignatureError::WrongKey { .. }) => {
            let message = e.to_string();
            assert!(message.contains(public.key_id()), "{message}");
            assert!(message.contains(other_public.key_id()), "{message}");
        }
        other => panic!("expected WrongKey, got {other:?}"),
    }
    assert!(matches!(
        verify(&public, b"manifest bytes", "not a signature"),
        Err(SignatureError::Malformed(_))
    ));
}

#[test]
fn trusted_comment_must_be_one_clean_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_, secret, _) = keypair(dir.path());
    for bad in ["two\nlines", "cr\r", " leading", "trailing ", "tab\there"] {
        assert!(sign(&secret, b"x", bad).is_err(), "{bad:?} accepted");
    }
    assert!(sign(&secret, b"x", &"x".repeat(MAX_TRUSTED_COMMENT_BYTES + 1)).is_err());
    assert!(sign(&secret, b"x", "Larkfield Skills & Training — 2026-11-26").is_ok());
}

// ---- interop with the stock minisign binary -------------------------------------------------

/// (a) our key pair (as `-W`) and our signature are accepted by `minisign -V`.
#[test]
fn stock_minisign_verifies_our_signature() {
    let dir = tempfile::tempdir().unwrap();
    let (_, secret, public) = keypair(dir.path());
    let data = b"{\n  \"format\": \"policybook-release/1\"\n}\n";
    std::fs::write(dir.path().join("manifest.json"), data).unwrap();
    let signature = sign(&secret, data, "policybook release: interop test").unwrap();
    std::fs::write(dir.path().join("manifest.json.minisig"), signature).unwrap();

    let out = run_minisign(
        dir.path(),
        &["-V", "-m", "manifest.json", "-p", "key.pub"],
        None,
    );
    let text = assert_success(&out, "minisign -Vm manifest.json -p key.pub");
    assert!(
        text.contains("Trusted comment: policybook release: interop test"),
        "{text}"
    );
    // With the key given inline, as the site's instructions may show it.
    let out = run_minisign(
        dir.path(),
        &["-V", "-m", "manifest.json", "-P", &public.to_base64()],
        None,
    );
    assert_success(&out, "minisign -Vm manifest.json -P <base64>");
    // And it rejects a changed file, so the acceptance above means something.
    std::fs::write(dir.path().join("manifest.json"), b"{}\n").unwrap();
    let out = run_minisign(
        dir.path(),
        &["-V", "-m", "manifest.json", "-p", "key.pub"],
        None,
    );
    assert!(
        !out.status.success(),
        "stock minisign accepted a changed file"
    );
}

/// (b) a stock key pair and a stock signature are accepted by our verify; legacy ones too.
#[test]
fn we_verify_stock_minisign_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_minisign(
        dir.path(),
        &["-G", "-W", "-p", "stock.pub", "-s", "stock.key"],
        None,
    );
    assert_success(&out, "minisign -G -W");
    let data = b"release manifest\n";
    std::fs::write(dir.path().join("file"), data).unwrap();
    let out = run_minisign(
        dir.path(),
        &[
            "-S",
            "-m",
            "file",
            "-s",
            "stock.key",
            "-t",
            "stock comment: 2026-11-26",
        ],
        None,
    );
    assert_success(&out, "minisign -Sm file");
    let public = crate::release::keys::load_public_key(&dir.path().join("stock.pub")).unwrap();
    let signature = std::fs::read_to_string(dir.path().join("file.minisig")).unwrap();
    assert_eq!(
        algorithm(signature.lines().nth(1).unwrap()),
        *b"ED",
        "minisign 0.11 signs ED"
    );
    let verified = verify(&public, data, &signature).unwrap();
    assert_eq!(verified.trusted_comment, "stock comment: 2026-11-26");
    assert_eq!(verified.key_id, public.key_id());
    assert_eq!(
        verify(&public, b"release manifesT\n", &signature),
        Err(SignatureError::DataMismatch)
    );

    // A legacy (non-prehashed, `-l`) signature from stock minisign verifies too.
    let out = run_minisign(
        dir.path(),
        &["-S", "-l", "-m", "file", "-s", "stock.key", "-t", "legacy"],
        None,
    );
    assert_success(&out, "minisign -S -l");
    let signature = std::fs::read_to_string(dir.path().join("file.minisig")).unwrap();
    assert_eq!(
        algorithm(signature.lines().nth(1).unwrap()),
        *b"Ed",
        "legacy signature"
    );
    assert_eq!(
        verify(&public, data, &signature).unwrap().trusted_comment,
        "legacy"
    );
}
