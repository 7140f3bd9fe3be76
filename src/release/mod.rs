//! Signed releases: a manifest of every policy version and every built file
//! ([`manifest`]), Ed25519 keys and signatures in minisign's formats ([`keys`], [`sign`]), and
//! checking a copy of a release against them ([`verify`]).
//!
//! How a signed build fits together (the CLI's part):
//!
//! 1. load the secret key with [`load_secret_key`] (password from the terminal, or from
//!    [`PASSWORD_ENV`] when none is attached, see [`password_from_env`]);
//! 2. write [`PUBLIC_KEY_FILE`] into the site ([`PublicKeyHandle::to_file_text`]);
//! 3. for each SCORM zip, build [`ReleaseManifest::for_zip_entries`] and add its
//!    [`ReleaseManifest::release_files`] to the zip;
//! 4. write the site's manifest with [`ReleaseManifest::for_dir`] and
//!    [`ReleaseManifest::write_to_dir`];
//! 5. last, the same for the whole build folder, so its manifest covers the inner ones.
//!
//! Anyone can then check `build/manifest.json` with `minisign -Vm build/manifest.json -p KEY.pub`
//! or with [`verify_path`].

pub mod keys;
pub mod manifest;
pub mod sign;
pub mod verify;
mod zip_layout;

#[cfg(test)]
mod test_support;

pub use keys::{
    KeyPaths, PASSWORD_ENV, PUBLIC_KEY_FILE, PublicKeyHandle, PublicKeyInfo, ScryptCost,
    SecretKeyHandle, check_secret_key_location, generate_keypair, generate_keypair_with_cost,
    load_public_key, load_secret_key, parse_public_key, password_from_env,
};
pub use manifest::{
    FORMAT, FileEntry, MANIFEST_FILE, ManifestHeader, PolicyEntry, ReleaseManifest, SIGNATURE_FILE,
};
pub use sign::{SignatureError, VerifiedSignature, sign, verify};
pub use verify::{KeySource, SignatureStatus, TargetKind, VerifyReport, verify_path};
