//! Ed25519 key pairs in minisign's file formats, so releases can be checked with the stock
//! `minisign` tool as well as with policybook.
//!
//! File formats (the same as `minisign -G`):
//!
//! - public key: `untrusted comment: minisign public key <KEYID>` then one base64 line of
//!   `"Ed" || key id (8 bytes) || Ed25519 public key (32 bytes)`;
//! - secret key: `untrusted comment: minisign encrypted secret key` then one base64 line of
//!   `"Ed" || kdf ("Sc" or 0,0) || "B2" || salt (32) || opslimit (u64 LE) || memlimit (u64 LE) ||
//!   key id (8) || Ed25519 secret key (64) || BLAKE2b-256 checksum (32)`, where with `"Sc"` the
//!   last 104 bytes are XORed with an scrypt stream derived from the password.
//!
//! The `minisign` crate parses and signs; key *encryption* is done here because the crate
//! protects keys with libsodium's "interactive" scrypt cost (32 MiB), while `minisign -G` uses
//! the "sensitive" cost (1 GiB). [`generate_keypair`] uses minisign's cost, so a key made by
//! policybook is exactly as hard to brute-force as one made by minisign.
//!
//! Passwords are never prompted for here: that is the CLI's job. When no terminal is attached the
//! CLI reads the password from [`PASSWORD_ENV`] (see [`password_from_env`]).

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ct_codecs::{Base64, Decoder as _, Encoder as _};

use crate::error::{Error, IoContext as _, Result};

/// Environment variable the CLI reads the secret key's password from when no terminal is
/// attached (CI, scripts).
pub const PASSWORD_ENV: &str = "POLICYBOOK_PASSWORD";

/// File name under which a build publishes its public key (beside a manifest).
pub const PUBLIC_KEY_FILE: &str = "policybook.pub";

const COMMENT_PREFIX: &str = "untrusted comment: ";
const SECRET_KEY_COMMENT: &str = "minisign encrypted secret key";
const SIG_ALG: &[u8; 2] = b"Ed";
const KDF_SCRYPT: &[u8; 2] = b"Sc";
const KDF_NONE: &[u8; 2] = &[0, 0];
const CHK_ALG: &[u8; 2] = b"B2";
const SECRET_KEY_BYTES: usize = 158;
const PUBLIC_KEY_BYTES: usize = 42;
/// Offset of `key id || secret key || checksum`, the part the password encrypts.
const ENCRYPTED_PART: std::ops::Range<usize> = 54..158;
const CHECKSUM: std::ops::Range<usize> = 126..158;
const KEYNUM: std::ops::Range<usize> = 54..62;
const ED25519_SECRET: std::ops::Range<usize> = 62..126;
const PASSWORD_MAX_BYTES: usize = 1024;

/// Where a key pair is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPaths {
    pub public: PathBuf,
    pub secret: PathBuf,
}

/// How much work scrypt does to protect a secret key with a password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScryptCost {
    /// What `minisign -G` uses (libsodium's "sensitive" limits: 1 GiB of memory, a few seconds in
    /// an optimised build). The default.
    Minisign,
    /// libsodium's "interactive" limits (32 MiB), what the `minisign` crate and `rsign` use.
    /// Stock minisign reads such keys too. Meant for tests and small machines.
    Interactive,
}

impl ScryptCost {
    /// `(opslimit, memlimit)` as stored in the key file.
    fn limits(self) -> (u64, u64) {
        match self {
            ScryptCost::Minisign => (33_554_432, 1_073_741_824),
            ScryptCost::Interactive => (1_048_576, 33_554_432),
        }
    }
}

/// What [`generate_keypair`] made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// 16 upper-case hex digits, as minisign prints it.
    pub key_id: String,
    /// The public key's base64 line, usable as `minisign -Vm FILE -P <this>`.
    pub public_key_base64: String,
    pub paths: KeyPaths,
    /// Whether the secret key is password-protected.
    pub encrypted: bool,
}

/// A public key, ready to verify signatures.
#[derive(Clone)]
pub struct PublicKeyHandle {
    pk: minisign::PublicKey,
    key_id: String,
    origin: String,
}

impl PublicKeyHandle {
    /// 16 upper-case hex digits, as minisign prints it.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Where the key came from (a path as given, or a short description), for reports.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Records where the key came from, for reports.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// The base64 line, usable as `minisign -P`.
    pub fn to_base64(&self) -> String {
        self.pk.to_base64()
    }

    /// The public key file's text, exactly as `minisign -G` writes it (publish this as
    /// [`PUBLIC_KEY_FILE`]).
    pub fn to_file_text(&self) -> String {
        // minisign writes the key id here without leading zeros (`%" PRIX64`), unlike everywhere
        // else: one key in sixteen would otherwise get a different file from the stock tool.
        let unpadded = self.key_id.trim_start_matches('0');
        format!(
            "{COMMENT_PREFIX}minisign public key {}\n{}\n",
            if unpadded.is_empty() { "0" } else { unpadded },
            self.to_base64()
        )
    }

    pub(crate) fn inner(&self) -> &minisign::PublicKey {
        &self.pk
    }
}

impl fmt::Debug for PublicKeyHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKeyHandle")
            .field("key_id", &self.key_id)
            .field("origin", &self.origin)
            .finish()
    }
}

/// A decrypted secret key, ready to sign. Its `Debug` output shows only the key id.
#[derive(Clone)]
pub struct SecretKeyHandle {
    sk: minisign::SecretKey,
    pk: minisign::PublicKey,
    key_id: String,
}

impl SecretKeyHandle {
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The matching public key (to publish with the site, or to check a signature just made).
    pub fn public_key(&self) -> PublicKeyHandle {
        PublicKeyHandle {
            pk: self.pk.clone(),
            key_id: self.key_id.clone(),
            origin: "the signing key's public half".to_owned(),
        }
    }

    /// The key number (8 bytes, as in signatures) and the Ed25519 secret key (seed and public
    /// key, 64 bytes) inside the decrypted minisign key.
    pub(crate) fn ed25519_parts(&self) -> ([u8; 8], [u8; 64]) {
        let bytes = self.sk.to_bytes();
        let mut keynum = [0u8; 8];
        let mut secret = [0u8; 64];
        keynum.copy_from_slice(&bytes[KEYNUM]);
        secret.copy_from_slice(&bytes[ED25519_SECRET]);
        (keynum, secret)
    }
}

impl fmt::Debug for SecretKeyHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKeyHandle")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The password in environment variable `var` (normally [`PASSWORD_ENV`]), or `None` when it is
/// unset or empty. The CLI uses this when no terminal is attached, so a password can come from a
/// CI secret; it never prompts from the library.
pub fn password_from_env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|p| !p.is_empty())
}

/// Generates an Ed25519 key pair and writes it in minisign's formats, as `minisign -G` does
/// (`password: None` is `minisign -G -W`: an unprotected secret key for unattended signing).
///
/// Refuses to replace an existing file unless `force`. The secret key file is created with mode
/// 0600 on Unix (readable only by its owner), with `create_new` unless `force`, in which case it
/// is written beside the old one and renamed over it. Whether the paths are sensible (not inside
/// `content/` or the output) is for the caller to check.
pub fn generate_keypair(
    paths: &KeyPaths,
    password: Option<&str>,
    force: bool,
) -> Result<PublicKeyInfo> {
    generate_keypair_with_cost(paths, password, force, ScryptCost::Minisign)
}

/// [`generate_keypair`] with a chosen scrypt cost (ignored without a password).
pub fn generate_keypair_with_cost(
    paths: &KeyPaths,
    password: Option<&str>,
    force: bool,
    cost: ScryptCost,
) -> Result<PublicKeyInfo> {
    if same_file(&paths.public, &paths.secret) {
        return Err(Error::Usage(format!(
            "the public and the secret key cannot both be written to `{}`",
            paths.public.display()
        )));
    }
    if let Some(password) = password {
        check_password(password)?;
    }
    if !force {
        for path in [&paths.secret, &paths.public] {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(Error::Usage(format!(
                    "`{}` already exists; policybook does not replace a key file unless you pass \
                     --force (signatures made with the old key then verify only with the old \
                     public key)",
                    path.display()
                )));
            }
        }
    }
    let keypair = minisign::KeyPair::generate_unencrypted_keypair()
        .map_err(|e| Error::Usage(format!("could not generate a key pair: {e}")))?;
    let mut secret = keypair.sk.to_bytes();
    if let Some(password) = password {
        encrypt_secret_key(&mut secret, password, cost)?;
    }
    let secret_text = format!(
        "{COMMENT_PREFIX}{SECRET_KEY_COMMENT}\n{}\n",
        base64(&secret)
    );
    let public = PublicKeyHandle {
        key_id: key_id(keypair.pk.keynum()),
        pk: keypair.pk,
        origin: paths.public.display().to_string(),
    };
    write_key_pair(
        paths,
        secret_text.as_bytes(),
        public.to_file_text().as_bytes(),
        force,
    )?;
    Ok(PublicKeyInfo {
        key_id: public.key_id.clone(),
        public_key_base64: public.to_base64(),
        paths: paths.clone(),
        encrypted: password.is_some(),
    })
}

/// Loads a secret key written by `policybook keygen` or `minisign -G` (with or without `-W`).
/// `password` is needed only for a password-protected key; it is ignored for an unprotected one.
pub fn load_secret_key(path: &Path, password: Option<&str>) -> Result<SecretKeyHandle> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => not_a_secret_key(path, "it is not text"),
        _ => Error::io(path, e),
    })?;
    let bytes = decode_key_text(&text).ok_or_else(|| {
        not_a_secret_key(
            path,
            "expected a line `untrusted comment: ...` followed by one base64 line",
        )
    })?;
    if bytes.len() == PUBLIC_KEY_BYTES {
        return Err(Error::Usage(format!(
            "`{}` is a public key; signing needs the secret key (the file written with -s)",
            path.display()
        )));
    }
    if bytes.len() != SECRET_KEY_BYTES || &bytes[0..2] != SIG_ALG || &bytes[4..6] != CHK_ALG {
        return Err(not_a_secret_key(
            path,
            "its key data has the wrong length or algorithm",
        ));
    }
    let sk = match &bytes[2..4] {
        kdf if kdf == KDF_NONE => {
            let sk = minisign::SecretKey::from_bytes(&bytes)
                .map_err(|e| not_a_secret_key(path, &e.to_string()))?;
            // `minisign -G -W` leaves the checksum zero; check it whenever it is present.
            if bytes[CHECKSUM].iter().any(|&b| b != 0) {
                minisign::SecretKey::from_unencrypted_box(text.clone().into()).map_err(|_| {
                    Error::Usage(format!(
                        "the secret key in `{}` is corrupted (its checksum does not match)",
                        path.display()
                    ))
                })?;
            }
            sk
        }
        kdf if kdf == KDF_SCRYPT => {
            let Some(password) = password else {
                return Err(Error::Usage(format!(
                    "the secret key `{}` is password-protected: give its password (when no \
                     terminal is attached, set {PASSWORD_ENV})",
                    path.display()
                )));
            };
            check_scrypt_limits(path, &bytes)?;
            minisign::SecretKey::from_box(text.clone().into(), Some(password.to_owned())).map_err(
                |e| match e.kind() {
                    minisign::ErrorKind::Verify => Error::Usage(format!(
                        "wrong password for the secret key `{}`",
                        path.display()
                    )),
                    _ => Error::Usage(format!(
                        "could not decrypt the secret key `{}`: {e}",
                        path.display()
                    )),
                },
            )?
        }
        _ => {
            return Err(Error::Usage(format!(
                "the secret key `{}` is protected with an encryption policybook does not know",
                path.display()
            )));
        }
    };
    let pk = minisign::PublicKey::from_secret_key(&sk)
        .map_err(|e| not_a_secret_key(path, &e.to_string()))?;
    // A corrupted unprotected key without checksum would sign garbage: prove it signs.
    minisign::sign(
        Some(&pk),
        &sk,
        &b"policybook key check"[..],
        Some("check"),
        None,
    )
    .map_err(|_| {
        Error::Usage(format!(
            "the secret key in `{}` is corrupted (it cannot make a valid signature)",
            path.display()
        ))
    })?;
    Ok(SecretKeyHandle {
        key_id: key_id(sk.keynum()),
        sk,
        pk,
    })
}

/// Loads a public key file (`minisign -G -p` or `policybook keygen -p`).
pub fn load_public_key(path: &Path) -> Result<PublicKeyHandle> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => not_a_public_key(&path.display().to_string()),
        _ => Error::io(path, e),
    })?;
    parse_public_key(&text, &path.display().to_string())
}

/// Parses a public key given as a file's text (two lines) or as the bare base64 line (as with
/// `minisign -P`). `origin` says where it came from, for reports and messages.
pub fn parse_public_key(text: &str, origin: &str) -> Result<PublicKeyHandle> {
    let trimmed = text.trim();
    let bytes = if trimmed.lines().count() == 1 && !trimmed.starts_with(COMMENT_PREFIX) {
        Base64::decode_to_vec(trimmed, None).ok()
    } else {
        decode_key_text(text)
    };
    let bytes = bytes.ok_or_else(|| not_a_public_key(origin))?;
    if bytes.len() == SECRET_KEY_BYTES {
        return Err(Error::Usage(format!(
            "`{origin}` is a secret key; verifying needs the public key (the file written with -p)"
        )));
    }
    if bytes.len() != PUBLIC_KEY_BYTES || &bytes[0..2] != SIG_ALG {
        return Err(not_a_public_key(origin));
    }
    let pk = minisign::PublicKey::from_bytes(&bytes).map_err(|_| not_a_public_key(origin))?;
    Ok(PublicKeyHandle {
        key_id: key_id(pk.keynum()),
        pk,
        origin: origin.to_owned(),
    })
}

/// A key id as minisign prints it: the 8 bytes read as a little-endian u64, 16 upper-case hex.
pub(crate) fn key_id(keynum: &[u8]) -> String {
    let mut le = [0u8; 8];
    le.copy_from_slice(&keynum[..8]);
    format!("{:016X}", u64::from_le_bytes(le))
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    Base64::encode_to_string(bytes).expect("base64 of a small buffer")
}

/// A secret key must never be published: not among the project's published inputs
/// (`content/`, `themes/`, `quizzes/`: in the repository, the digests, or copied into the site)
/// nor in the output. Checked by `keygen` before writing one and by `build` before signing.
pub fn check_secret_key_location(secret: &Path, root: &Path, out: &Path) -> Result<()> {
    let key = resolved(secret);
    let root = resolved(root);
    let out = resolved(out);
    let places = [
        (root.join("content"), "content/ folder"),
        (root.join("themes"), "themes/ folder"),
        (root.join("quizzes"), "quizzes/ folder"),
        (out, "output folder"),
    ];
    for (folder, why) in places {
        if key.starts_with(&folder) {
            return Err(Error::Usage(format!(
                "refusing to use a secret key inside the project's {why} ({}): it would be \
                 published; keep it elsewhere, e.g. ~/.policybook/",
                folder.display()
            )));
        }
    }
    Ok(())
}

/// Whether `bytes` are a minisign secret key file (protected or not), by its decoded shape.
pub fn looks_like_secret_key(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(decode_key_text)
        .is_some_and(|key| key.len() == SECRET_KEY_BYTES && key.starts_with(SIG_ALG))
}

/// The bytes of a two-line key file: `untrusted comment: ...` then base64.
fn decode_key_text(text: &str) -> Option<Vec<u8>> {
    let mut lines = text.lines();
    let comment = lines.next()?;
    if !comment.starts_with(COMMENT_PREFIX) {
        return None;
    }
    Base64::decode_to_vec(lines.next()?.trim(), None).ok()
}

fn not_a_secret_key(path: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "`{}` is not a minisign secret key: {why}",
        path.display()
    ))
}

fn not_a_public_key(origin: &str) -> Error {
    Error::Usage(format!(
        "`{origin}` is not a minisign public key (expected `untrusted comment: minisign public \
         key ...` followed by a base64 line, or that base64 line alone)"
    ))
}

fn check_password(password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(Error::Usage(
            "the password is empty; choose a password, or generate an unprotected key with -W"
                .to_owned(),
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(Error::Usage(format!(
            "the password is longer than {PASSWORD_MAX_BYTES} bytes, which minisign cannot read"
        )));
    }
    Ok(())
}

/// Refuses scrypt limits the `minisign` crate would reject or that would exhaust memory, with a
/// message rather than the crate's.
fn check_scrypt_limits(path: &Path, bytes: &[u8]) -> Result<()> {
    let opslimit = u64::from_le_bytes(bytes[38..46].try_into().expect("8 bytes"));
    let memlimit = u64::from_le_bytes(bytes[46..54].try_into().expect("8 bytes"));
    match scrypt_params(opslimit, memlimit) {
        Some((log_n, _, _)) if log_n <= 20 && memlimit <= 1 << 30 => Ok(()),
        _ => Err(Error::Usage(format!(
            "the secret key `{}` asks for scrypt limits beyond minisign's (opslimit {opslimit}, \
             memlimit {memlimit})",
            path.display()
        ))),
    }
}

/// libsodium's `pickparams` for `crypto_pwhash_scryptsalsa208sha256`: `(log2 N, r, p)` from the
/// opslimit and memlimit stored in the key file, as minisign derives them.
fn scrypt_params(opslimit: u64, memlimit: u64) -> Option<(u8, u32, u32)> {
    let opslimit = opslimit.max(32_768);
    let r: u32 = 8;
    let log_n_for = |max_n: u64| {
        let mut log_n = 1u8;
        while log_n < 63 && (1u64 << log_n) <= max_n / 2 {
            log_n += 1;
        }
        log_n
    };
    if opslimit < memlimit / 32 {
        let log_n = log_n_for(opslimit / (u64::from(r) * 4));
        Some((log_n, r, 1))
    } else {
        let log_n = log_n_for(memlimit / (u64::from(r) * 128));
        let max_rp = ((opslimit / 4) >> log_n).min(0x3fff_ffff) as u32;
        let p = max_rp / r;
        (p > 0).then_some((log_n, r, p))
    }
}

/// Protects an unencrypted secret key (its 158 bytes, checksum already set) with `password`, as
/// `minisign -G` does: random salt, scrypt stream XORed over key id, key and checksum.
fn encrypt_secret_key(bytes: &mut [u8], password: &str, cost: ScryptCost) -> Result<()> {
    let (opslimit, memlimit) = cost.limits();
    let (log_n, r, p) = scrypt_params(opslimit, memlimit).expect("valid built-in limits");
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::Usage(format!("no random numbers for the key's salt: {e}")))?;
    bytes[2..4].copy_from_slice(KDF_SCRYPT);
    bytes[6..38].copy_from_slice(&salt);
    bytes[38..46].copy_from_slice(&opslimit.to_le_bytes());
    bytes[46..54].copy_from_slice(&memlimit.to_le_bytes());
    let params = scrypt::Params::new(log_n, r, p, scrypt::Params::RECOMMENDED_LEN)
        .expect("valid scrypt parameters");
    let mut stream = [0u8; ENCRYPTED_PART.end - ENCRYPTED_PART.start];
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut stream)
        .expect("scrypt output length is valid");
    for (byte, s) in bytes[ENCRYPTED_PART].iter_mut().zip(stream) {
        *byte ^= s;
    }
    Ok(())
}

/// Writes a key file: `create_new` unless `force` (then a temporary file renamed over the old
/// one), mode 0600 for a secret key on Unix.
/// A key file written beside its destination, not yet in place.
struct StagedKey {
    temp: PathBuf,
    target: PathBuf,
}

/// Writes `contents` to a hidden temporary file beside `target` (mode 0600 for a secret key).
/// Without `force`, an existing `target` is refused here, before anything is written.
fn stage_key_file(target: &Path, contents: &[u8], secret: bool, force: bool) -> Result<StagedKey> {
    if !force && std::fs::symlink_metadata(target).is_ok() {
        return Err(Error::Usage(format!(
            "`{}` already exists; pass --force to replace it",
            target.display()
        )));
    }
    let name = target
        .file_name()
        .map_or("key".into(), |n| n.to_string_lossy());
    let temp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(&temp).at_path(&temp)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .at_path(&temp);
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(StagedKey {
        temp,
        target: target.to_path_buf(),
    })
}

/// Writes both key files, or neither: each is written to a temporary file first (a read-only
/// folder or a full disk fails there), then both are put in place. Without `force` a file is
/// put in place with a hard link, which fails rather than replace a file that appeared
/// meanwhile; with `force` the old secret key is kept aside until the public key is in place,
/// and put back if it cannot be.
fn write_key_pair(paths: &KeyPaths, secret: &[u8], public: &[u8], force: bool) -> Result<()> {
    for target in [&paths.secret, &paths.public] {
        if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
            return Err(Error::Usage(format!(
                "`{}` is a folder; give a file name for the key",
                target.display()
            )));
        }
    }
    let secret = stage_key_file(&paths.secret, secret, true, force)?;
    let public = match stage_key_file(&paths.public, public, false, force) {
        Ok(staged) => staged,
        Err(e) => {
            let _ = std::fs::remove_file(&secret.temp);
            return Err(e);
        }
    };
    let placed = if force {
        replace_pair(&secret, &public)
    } else {
        link_new_pair(&secret, &public)
    };
    let _ = std::fs::remove_file(&secret.temp);
    let _ = std::fs::remove_file(&public.temp);
    placed
}

/// Puts a new pair where there was none; a file that appeared meanwhile is never replaced.
fn link_new_pair(secret: &StagedKey, public: &StagedKey) -> Result<()> {
    std::fs::hard_link(&secret.temp, &secret.target)
        .map_err(|e| already_there(&secret.target, e))?;
    if let Err(e) = std::fs::hard_link(&public.temp, &public.target) {
        let _ = std::fs::remove_file(&secret.target);
        return Err(already_there(&public.target, e));
    }
    Ok(())
}

fn already_there(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        Error::Usage(format!(
            "`{}` already exists; pass --force to replace it",
            path.display()
        ))
    } else {
        Error::io(path, e)
    }
}

/// Replaces a pair: the old secret key waits beside its place until the public key is in.
fn replace_pair(secret: &StagedKey, public: &StagedKey) -> Result<()> {
    let aside = secret.temp.with_extension("old");
    let had_old = std::fs::rename(&secret.target, &aside).is_ok();
    let placed = std::fs::rename(&secret.temp, &secret.target)
        .at_path(&secret.target)
        .and_then(|()| std::fs::rename(&public.temp, &public.target).at_path(&public.target));
    match (&placed, had_old) {
        (Err(_), true) => {
            let _ = std::fs::rename(&aside, &secret.target);
        }
        (Err(_), false) => {
            let _ = std::fs::remove_file(&secret.target);
        }
        (Ok(()), true) => {
            let _ = std::fs::remove_file(&aside);
        }
        (Ok(()), false) => {}
    }
    placed
}

/// The same file under two names (`./same.key` and `same.key`, a link, `dir/../same.key`)?
fn same_file(a: &Path, b: &Path) -> bool {
    if resolved(a) == resolved(b) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (x.dev(), x.ino()) == (y.dev(), y.ino());
        }
    }
    false
}

#[cfg(test)]
mod tests;

/// `path` made absolute with its links resolved, also when it does not exist yet (then its
/// folder is resolved and its name kept).
fn resolved(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    std::fs::canonicalize(&path).unwrap_or_else(|_| match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .join(name),
        _ => path,
    })
}
