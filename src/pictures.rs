//! Pictures in policies: `![A Wi-Fi sign](online-safety/image1.png)` names a file relative to
//! the policy's own file (as `policybook import` saves them, and as any Markdown editor shows
//! them). The build checks each one, publishes it beside the policy's pages at the same relative
//! path (so the page's link works unchanged, from `file://` too), and puts it in the policy's
//! SCORM packages. Its SHA-256 is part of the policy's fingerprint, so a changed picture is
//! published again; `build/manifest.json` lists it, so `verify` covers it. A picture is not part
//! of the policy's content digest, which is of its text.

use std::path::{Component, Path, PathBuf};

use crate::content::Policy;
use crate::error::{Diagnostic, Result};

/// The formats every browser shows and that carry no script (SVG can).
pub const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// A picture a policy shows, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// As the Markdown names it, relative to the policy's file and to its pages.
    pub src: String,
    /// Where it is, relative to the project root.
    pub path: PathBuf,
    pub sha256: String,
}

/// A picture link as the Markdown gives it, before it is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureRef {
    pub src: String,
    /// 1-based line and column in the policy's file, and that line's text.
    pub line: usize,
    pub column: usize,
    pub source_line: String,
}

/// Whether an image destination names a file of the project (not a web address, a `data:` URL
/// or a path from the site's root).
pub fn is_local(dest: &str) -> bool {
    let scheme = dest
        .split_once(':')
        .is_some_and(|(s, _)| !s.contains('/') && !s.is_empty());
    !(dest.is_empty() || scheme || dest.starts_with('/') || dest.starts_with('#'))
}

/// Checks the pictures `policy` links: each must be a PNG, JPEG, GIF or WebP file in the
/// policy's folder or below it. Returns those found, for `policy.pictures`.
pub fn check(root: &Path, display: &Path, policy: &Policy) -> (Vec<Picture>, Vec<Diagnostic>) {
    let folder = Path::new(&policy.source_path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut diags = Vec::new();
    let mut pictures: Vec<Picture> = Vec::new();
    for found in &policy.body.pictures {
        if pictures.iter().any(|p| p.src == found.src) {
            continue;
        }
        match check_one(root, &folder, &found.src) {
            Ok(picture) => pictures.push(picture),
            Err((message, help)) => diags.push(
                Diagnostic::error(display, message)
                    .at_text(&found.source_line, found.line, found.column)
                    .help(help),
            ),
        }
    }
    (pictures, diags)
}

type Problem = (String, String);

fn check_one(root: &Path, folder: &Path, src: &str) -> std::result::Result<Picture, Problem> {
    let relative = Path::new(src);
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        && !src.contains('\\');
    // A browser reads these as parts of an address, not of the file name.
    if src.contains(['#', '?', '%']) {
        return Err((
            format!(
                "the picture `{src}` has `#`, `?` or `%` in its name, which a browser reads as part of an address"
            ),
            "rename the file with letters, digits, `-` and `_`".to_owned(),
        ));
    }
    if !plain {
        return Err((
            format!("the picture `{src}` is outside this policy's folder"),
            "keep pictures in the policy's folder or a folder below it, e.g. `online-safety/map.png`"
                .to_owned(),
        ));
    }
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Err((
            format!("`{src}` is not a picture policybook publishes"),
            "use a PNG, JPEG, GIF or WebP file (save it as PNG from your drawing program)"
                .to_owned(),
        ));
    }
    let path = folder.join(relative);
    let display = path.display().to_string();
    let missing = || {
        (
            format!("the picture `{src}` is not there ({display})"),
            "put the file there, or correct the path: it is relative to this policy's file"
                .to_owned(),
        )
    };
    let bytes = match crate::source::read_bytes(root, &path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(missing()),
        Err(e) => {
            return Err((
                format!("the picture `{src}` cannot be read: {e}"),
                "check the file".to_owned(),
            ));
        }
    };
    Ok(Picture {
        src: src.to_owned(),
        path,
        sha256: crate::digest::sha256_hex(&bytes),
    })
}

/// The bytes of a checked picture.
pub fn read(root: &Path, picture: &Picture) -> Result<Vec<u8>> {
    let full = root.join(&picture.path);
    match crate::source::read_bytes(root, &picture.path) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(crate::error::Error::io(
            &full,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )),
        Err(e) => Err(e),
    }
}

/// Writes `policy`'s pictures into `dir` at their relative paths (beside its pages).
pub fn write_beside(
    root: &Path,
    policy: &Policy,
    dir: &Path,
    writer: &crate::site::UnitWriter,
) -> Result<usize> {
    for picture in &policy.pictures {
        writer.write(&dir.join(&picture.src), &read(root, picture)?)?;
    }
    Ok(policy.pictures.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_project_files_are_local() {
        assert!(is_local("online-safety/image1.png"));
        assert!(is_local("map.png"));
        assert!(!is_local("https://example.org/a.png"));
        assert!(!is_local("data:image/png;base64,AAAA"));
        assert!(!is_local("/assets/logo.png"));
        assert!(!is_local(""));
    }

    #[test]
    fn a_picture_outside_the_folder_or_of_another_kind_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Path::new("content");
        assert!(
            check_one(dir.path(), folder, "../secret.png")
                .unwrap_err()
                .0
                .contains("outside")
        );
        assert!(check_one(dir.path(), folder, "a/../../b.png").is_err());
        assert!(
            check_one(dir.path(), folder, "x.svg")
                .unwrap_err()
                .0
                .contains("not a picture")
        );
        assert!(
            check_one(dir.path(), folder, "map#2.png")
                .unwrap_err()
                .0
                .contains("`#`, `?` or `%`")
        );
        assert!(
            check_one(dir.path(), folder, "x.png")
                .unwrap_err()
                .0
                .contains("is not there")
        );
        std::fs::create_dir_all(dir.path().join("content/p")).unwrap();
        std::fs::write(dir.path().join("content/p/x.png"), b"png").unwrap();
        let picture = check_one(dir.path(), folder, "p/x.png").unwrap();
        assert_eq!(picture.path, Path::new("content/p/x.png"));
        assert_eq!(picture.sha256, crate::digest::sha256_hex(b"png"));
    }
}
