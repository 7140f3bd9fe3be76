use super::*;
use crate::release::sign;
use crate::release::test_support::{assert_success, keypair, minisign, run_minisign};

fn paths_in(dir: &Path) -> KeyPaths {
    KeyPaths {
        public: dir.join("policybook.pub"),
        secret: dir.join("policybook.key"),
    }
}

fn usage(e: Error) -> String {
    match e {
        Error::Usage(message) => message,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn unprotected_keys_are_written_in_minisign_formats() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    let info = generate_keypair(&paths, None, false).unwrap();
    assert!(!info.encrypted);
    assert_eq!(info.key_id.len(), 16);
    assert!(
        info.key_id
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
    );

    let public = std::fs::read_to_string(&paths.public).unwrap();
    assert_eq!(
        public,
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            // As minisign writes it: without leading zeros.
            info.key_id.trim_start_matches('0'),
            info.public_key_base64
        )
    );
    assert_eq!(info.public_key_base64.len(), 56);

    let secret = std::fs::read_to_string(&paths.secret).unwrap();
    let mut lines = secret.lines();
    assert_eq!(
        lines.next(),
        Some("untrusted comment: minisign encrypted secret key")
    );
    let bytes = Base64::decode_to_vec(lines.next().unwrap(), None).unwrap();
    assert_eq!(bytes.len(), SECRET_KEY_BYTES);
    assert_eq!(
        &bytes[0..6],
        b"Ed\0\0B2",
        "Ed25519, no KDF, BLAKE2b checksum"
    );

    let loaded = load_secret_key(&paths.secret, None).unwrap();
    assert_eq!(loaded.key_id(), info.key_id);
    let public = load_public_key(&paths.public).unwrap();
    assert_eq!(public.key_id(), info.key_id);
    assert_eq!(
        public.to_file_text(),
        std::fs::read_to_string(&paths.public).unwrap()
    );
    // The bare base64 line is accepted too, as with `minisign -P`.
    let bare = parse_public_key(&info.public_key_base64, "-P").unwrap();
    assert_eq!(bare.key_id(), info.key_id);
    // Debug output never shows the key material.
    assert!(!format!("{loaded:?}").contains(&info.public_key_base64));
}

#[cfg(unix)]
#[test]
fn secret_key_is_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    generate_keypair(&paths, None, false).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&paths.secret), 0o600);
    // Replacing a key with --force gives a 0600 file even if the old one was world-readable.
    std::fs::set_permissions(&paths.secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    generate_keypair(&paths, None, true).unwrap();
    assert_eq!(mode(&paths.secret), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn keys_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    let first = generate_keypair(&paths, None, false).unwrap();
    let secret_before = std::fs::read(&paths.secret).unwrap();

    let message = usage(generate_keypair(&paths, None, false).unwrap_err());
    assert!(
        message.contains(&paths.secret.display().to_string()),
        "{message}"
    );
    assert!(message.contains("--force"), "{message}");
    assert_eq!(std::fs::read(&paths.secret).unwrap(), secret_before);

    // Only the public key exists: still refused, naming that file, and no secret key is written.
    std::fs::remove_file(&paths.secret).unwrap();
    let message = usage(generate_keypair(&paths, None, false).unwrap_err());
    assert!(
        message.contains(&paths.public.display().to_string()),
        "{message}"
    );
    assert!(!paths.secret.exists());

    let second = generate_keypair(&paths, None, true).unwrap();
    assert_ne!(first.key_id, second.key_id);
    assert_eq!(
        load_secret_key(&paths.secret, None).unwrap().key_id(),
        second.key_id
    );
    assert_eq!(
        load_public_key(&paths.public).unwrap().key_id(),
        second.key_id
    );
}

#[test]
fn same_path_for_both_keys_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    let paths = KeyPaths {
        public: path.clone(),
        secret: path,
    };
    assert!(usage(generate_keypair(&paths, None, true).unwrap_err()).contains("both"));
}

#[test]
fn one_file_under_two_names_is_refused_for_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let paths = KeyPaths {
        public: dir.path().join("sub/../same.key"),
        secret: dir.path().join("same.key"),
    };
    assert!(usage(generate_keypair(&paths, None, true).unwrap_err()).contains("both"));
    assert!(!dir.path().join("same.key").exists());
}

#[test]
fn a_failed_forced_keygen_leaves_the_old_pair_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    generate_keypair(&paths, None, false).unwrap();
    let (secret, public) = (
        std::fs::read(&paths.secret).unwrap(),
        std::fs::read(&paths.public).unwrap(),
    );
    // The public key cannot be written (its folder does not exist).
    let unwritable = KeyPaths {
        public: dir.path().join("missing/policybook.pub"),
        secret: paths.secret.clone(),
    };
    generate_keypair(&unwritable, None, true).unwrap_err();
    assert_eq!(std::fs::read(&paths.secret).unwrap(), secret);
    assert_eq!(std::fs::read(&paths.public).unwrap(), public);
    // The public key's name is a folder: refused before anything moves.
    std::fs::create_dir(dir.path().join("a-folder")).unwrap();
    let folder = KeyPaths {
        public: dir.path().join("a-folder"),
        secret: paths.secret.clone(),
    };
    assert!(usage(generate_keypair(&folder, None, true).unwrap_err()).contains("is a folder"));
    assert_eq!(std::fs::read(&paths.secret).unwrap(), secret);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn password_protected_key_needs_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    let info = generate_keypair_with_cost(
        &paths,
        Some("correct horse"),
        false,
        ScryptCost::Interactive,
    )
    .unwrap();
    assert!(info.encrypted);
    let secret = std::fs::read_to_string(&paths.secret).unwrap();
    let bytes = decode_key_text(&secret).unwrap();
    assert_eq!(&bytes[0..6], b"EdScB2");

    let message = usage(load_secret_key(&paths.secret, Some("wrong horse")).unwrap_err());
    assert!(message.contains("wrong password"), "{message}");
    assert!(message.contains("policybook.key"), "{message}");

    let message = usage(load_secret_key(&paths.secret, None).unwrap_err());
    assert!(message.contains("password-protected"), "{message}");
    assert!(message.contains(PASSWORD_ENV), "{message}");

    let key = load_secret_key(&paths.secret, Some("correct horse")).unwrap();
    assert_eq!(key.key_id(), info.key_id);
    let public = load_public_key(&paths.public).unwrap();
    let signature = sign::sign(&key, b"data", "comment").unwrap();
    assert!(sign::verify(&public, b"data", &signature).is_ok());
}

#[test]
fn empty_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let message = usage(generate_keypair(&paths_in(dir.path()), Some(""), false).unwrap_err());
    assert!(message.contains("-W"), "{message}");
    assert!(!dir.path().join("policybook.key").exists());
}

#[test]
fn files_that_are_not_secret_keys_are_named_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    generate_keypair(&paths, None, false).unwrap();

    let message = usage(load_secret_key(&paths.public, None).unwrap_err());
    assert!(message.contains("is a public key"), "{message}");

    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "hello\n").unwrap();
    let message = usage(load_secret_key(&other, None).unwrap_err());
    assert!(
        message.contains("is not a minisign secret key"),
        "{message}"
    );
    assert!(message.contains("notes.txt"), "{message}");

    let message = usage(load_public_key(&paths.secret).unwrap_err());
    assert!(message.contains("is a secret key"), "{message}");
    let message = usage(load_public_key(&other).unwrap_err());
    assert!(
        message.contains("is not a minisign public key"),
        "{message}"
    );

    let missing = dir.path().join("absent.key");
    assert!(matches!(
        load_secret_key(&missing, None).unwrap_err(),
        Error::Io { .. }
    ));
}

#[test]
fn corrupted_unprotected_key_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    generate_keypair(&paths, None, false).unwrap();
    let text = std::fs::read_to_string(&paths.secret).unwrap();
    let mut bytes = decode_key_text(&text).unwrap();
    bytes[70] ^= 1; // a byte of the Ed25519 secret key
    std::fs::write(
        &paths.secret,
        format!("untrusted comment: x\n{}\n", base64(&bytes)),
    )
    .unwrap();
    let message = usage(load_secret_key(&paths.secret, None).unwrap_err());
    assert!(message.contains("corrupted"), "{message}");

    // Without a checksum (as `minisign -G -W` writes), a damaged key is still caught.
    bytes[CHECKSUM].fill(0);
    std::fs::write(
        &paths.secret,
        format!("untrusted comment: x\n{}\n", base64(&bytes)),
    )
    .unwrap();
    let message = usage(load_secret_key(&paths.secret, None).unwrap_err());
    assert!(message.contains("corrupted"), "{message}");
}

#[test]
fn scrypt_parameters_are_libsodiums() {
    // The (log2 N, r, p) libsodium derives, which both stock minisign and the minisign crate use
    // to decrypt: `minisign -G` stores the "sensitive" limits, the crate the "interactive" ones.
    assert_eq!(scrypt_params(33_554_432, 1_073_741_824), Some((20, 8, 1)));
    assert_eq!(scrypt_params(1_048_576, 33_554_432), Some((15, 8, 1)));
    let (ops, mem) = ScryptCost::Minisign.limits();
    assert_eq!((ops, mem), (33_554_432, 1_073_741_824));
}

#[test]
fn password_comes_from_the_environment_when_set() {
    let var = "POLICYBOOK_TEST_PASSWORD_FROM_ENV";
    // SAFETY: the variable is unique to this test; no other thread reads it.
    unsafe { std::env::set_var(var, "s3cret") };
    assert_eq!(password_from_env(var), Some("s3cret".to_owned()));
    unsafe { std::env::set_var(var, "") };
    assert_eq!(password_from_env(var), None);
    unsafe { std::env::remove_var(var) };
    assert_eq!(password_from_env(var), None);
    assert_eq!(PASSWORD_ENV, "POLICYBOOK_PASSWORD");
}

// ---- interop with the stock minisign binary -------------------------------------------------

#[test]
fn stock_minisign_signs_with_our_unprotected_key() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, _, public) = keypair(dir.path());
    std::fs::write(dir.path().join("file"), "content\n").unwrap();
    let out = run_minisign(
        dir.path(),
        &[
            "-S",
            "-s",
            "key.sec",
            "-m",
            "file",
            "-t",
            "signed by stock minisign",
        ],
        None,
    );
    assert_success(&out, "minisign -S with a key from generate_keypair(-W)");
    let signature = std::fs::read_to_string(dir.path().join("file.minisig")).unwrap();
    let verified = sign::verify(&public, b"content\n", &signature).unwrap();
    assert_eq!(verified.trusted_comment, "signed by stock minisign");
    let out = run_minisign(dir.path(), &["-V", "-m", "file", "-p", "key.pub"], None);
    assert_success(&out, "minisign -V");
    drop(paths);
}

#[test]
fn our_protected_key_is_read_by_stock_minisign_with_password_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let paths = paths_in(dir.path());
    generate_keypair_with_cost(&paths, Some("pass phrase"), false, ScryptCost::Interactive)
        .unwrap();
    std::fs::write(dir.path().join("file"), "content\n").unwrap();
    // Wrong password: stock minisign refuses, as we do.
    let out = run_minisign(
        dir.path(),
        &["-S", "-s", "policybook.key", "-m", "file", "-t", "t"],
        Some("not it\n"),
    );
    assert!(
        !out.status.success(),
        "stock minisign accepted a wrong password"
    );
    let out = run_minisign(
        dir.path(),
        &[
            "-S",
            "-s",
            "policybook.key",
            "-m",
            "file",
            "-t",
            "made with our key",
        ],
        Some("pass phrase\n"),
    );
    assert_success(&out, "minisign -S with our password-protected key");
    let out = run_minisign(
        dir.path(),
        &["-V", "-m", "file", "-p", "policybook.pub"],
        None,
    );
    let text = assert_success(&out, "minisign -V");
    assert!(text.contains("made with our key"), "{text}");
}

#[test]
fn stock_unprotected_key_is_loaded_and_signs() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_minisign(
        dir.path(),
        &["-G", "-W", "-p", "stock.pub", "-s", "stock.key"],
        None,
    );
    assert_success(&out, "minisign -G -W");
    let secret = load_secret_key(&dir.path().join("stock.key"), None).unwrap();
    let public = load_public_key(&dir.path().join("stock.pub")).unwrap();
    assert_eq!(secret.key_id(), public.key_id());
    let stock_comment = std::fs::read_to_string(dir.path().join("stock.pub")).unwrap();
    assert_eq!(
        public.to_file_text(),
        stock_comment,
        "same public key file text"
    );

    let signature = sign::sign(&secret, b"data\n", "ours").unwrap();
    std::fs::write(dir.path().join("data"), "data\n").unwrap();
    std::fs::write(dir.path().join("data.minisig"), signature).unwrap();
    let out = run_minisign(dir.path(), &["-V", "-m", "data", "-p", "stock.pub"], None);
    assert_success(&out, "minisign -V of our signature with a stock key");
}

/// Keys at minisign's own scrypt cost (1 GiB, N = 2^20): minutes to derive unoptimised, which is
/// why Cargo.toml optimises the crypto crates even in dev and test builds (about ten seconds).
#[test]
fn minisign_cost_keys_interoperate_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    // Ours at the default cost, used by stock minisign.
    let paths = paths_in(dir.path());
    let info = generate_keypair(&paths, Some("pw one"), false).unwrap();
    let bytes = decode_key_text(&std::fs::read_to_string(&paths.secret).unwrap()).unwrap();
    assert_eq!(&bytes[38..54], {
        let mut limits = [0u8; 16];
        limits[..8].copy_from_slice(&33_554_432u64.to_le_bytes());
        limits[8..].copy_from_slice(&1_073_741_824u64.to_le_bytes());
        limits
    });
    std::fs::write(dir.path().join("file"), "content\n").unwrap();
    let out = run_minisign(
        dir.path(),
        &["-S", "-s", "policybook.key", "-m", "file", "-t", "t"],
        Some("pw one\n"),
    );
    assert_success(&out, "minisign -S with our default-cost key");
    assert_eq!(
        load_secret_key(&paths.secret, Some("pw one"))
            .unwrap()
            .key_id(),
        info.key_id
    );

    // Stock minisign's, loaded by us.
    let out = run_minisign(
        dir.path(),
        &["-G", "-p", "stock.pub", "-s", "stock.key"],
        Some("pw two\npw two\n"),
    );
    assert_success(&out, "minisign -G");
    let secret = load_secret_key(&dir.path().join("stock.key"), Some("pw two")).unwrap();
    let public = load_public_key(&dir.path().join("stock.pub")).unwrap();
    assert_eq!(secret.key_id(), public.key_id());
    assert!(load_secret_key(&dir.path().join("stock.key"), Some("nope")).is_err());
    let _ = minisign();
}

#[test]
fn a_key_id_with_a_leading_zero_is_written_as_minisign_writes_it() {
    let mut bytes = b"Ed".to_vec();
    bytes.extend([1, 2, 3, 4, 5, 6, 7, 0x0a]);
    bytes.extend([9; 32]);
    let key = parse_public_key(&base64(&bytes), "test").unwrap();
    assert_eq!(key.key_id(), "0A07060504030201");
    assert!(
        key.to_file_text()
            .starts_with("untrusted comment: minisign public key A07060504030201\n"),
        "{}",
        key.to_file_text()
    );
}
