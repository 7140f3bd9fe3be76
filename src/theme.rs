//! Themes: the default theme is compiled in; a project replaces any single file of it by putting
//! a file with the same relative path in `themes/<name>/` (templates under `templates/`, files
//! copied to the site under `assets/`).

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::error::{Error, IoContext, Result};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

pub struct Theme {
    pub name: String,
    /// Relative path (`templates/policy.html`, `assets/style.css`) → contents.
    files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded default theme, overlaid with the project's `themes/<name>/` if present.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = embedded::DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io(&dir, e.into()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let key = relative.to_string_lossy().replace('\\', "/");
                files.insert(key, std::fs::read(entry.path()).at_path(entry.path())?);
            }
        } else if name != "default" {
            return Err(Error::Usage(format!(
                "theme `{name}` not found: create {} or set `theme = \"default\"` in policybook.toml",
                dir.display()
            )));
        }
        Ok(Theme {
            name: name.to_owned(),
            files,
        })
    }

    /// Compiles every template under `templates/`.
    pub fn templates(&self) -> Result<Tera> {
        let mut sources = Vec::new();
        for (path, bytes) in &self.files {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = std::str::from_utf8(bytes).map_err(|_| Error::Template {
                    name: name.to_owned(),
                    message: "not valid UTF-8".to_owned(),
                })?;
                sources.push((name.to_owned(), text.to_owned()));
            }
        }
        let mut tera = Tera::default();
        tera.add_raw_templates(sources)
            .map_err(|e| template_error("theme", &e))?;
        Ok(tera)
    }

    /// Files copied verbatim into the site, keyed by their path under `assets/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(path, bytes)| Some((path.strip_prefix("assets/")?, bytes.as_slice())))
    }
}

/// Flattens Tera's error chain into one message (the useful part is usually the innermost cause).
pub fn template_error(name: &str, error: &tera::Error) -> Error {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Template {
        name: name.to_owned(),
        message,
    }
}
