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

/// Theme files are published in the site and every package: a minisign secret key among them
/// (a key file saved in the wrong folder) must never be.
fn refuse_secret_key(path: &Path, bytes: &[u8]) -> Result<()> {
    if crate::release::keys::looks_like_secret_key(bytes) {
        return Err(Error::Usage(format!(
            "{} looks like a minisign secret key, and theme files are published: move it out \
             of the project (for example to ~/.policybook/) and sign with --sign PATH",
            path.display()
        )));
    }
    Ok(())
}

impl Theme {
    /// The embedded default theme, overlaid with the project's `themes/<name>/` if present.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut files: BTreeMap<String, Vec<u8>> = embedded::DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect();
        let relative = Path::new("themes").join(name);
        let dir = root.join(&relative);
        if crate::source::input_dir(root, &relative, &crate::display_root(root).join(&relative))? {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io(&dir, e.into()))?;
                // Links inside the theme are skipped, like links in content/.
                if !entry.file_type().is_file() {
                    continue;
                }
                let bytes = std::fs::read(entry.path()).at_path(entry.path())?;
                refuse_secret_key(entry.path(), &bytes)?;
                let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let key = relative.to_string_lossy().replace('\\', "/");
                files.insert(key, bytes);
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

    /// Compiles every template under `templates/`, minified once here rather than on every page.
    pub fn templates(&self) -> Result<Templates> {
        let mut sources = Vec::new();
        let mut minify_output = false;
        for (path, bytes) in &self.files {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = std::str::from_utf8(bytes).map_err(|_| Error::Template {
                    name: name.to_owned(),
                    message: "not valid UTF-8".to_owned(),
                })?;
                if tags_only_in_text_and_quoted_values(text) {
                    sources.push((name.to_owned(), minify_template(text)));
                } else {
                    minify_output = true;
                    sources.push((name.to_owned(), text.to_owned()));
                }
            }
        }
        let mut tera = Tera::default();
        tera.register_filter("print_running_head", print_running_head);
        tera.add_raw_templates(sources)
            .map_err(|e| template_error("theme", &e))?;
        Ok(Templates {
            tera,
            minify_output,
        })
    }

    /// Adds every file of the theme to a fingerprint (see [`crate::reuse`]).
    pub fn fingerprint_into(&self, hasher: &mut crate::reuse::Hasher) {
        hasher.field(&self.name);
        for (path, bytes) in &self.files {
            hasher.field(path).bytes(bytes);
        }
    }

    /// Files copied verbatim into the site, keyed by their path under `assets/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(path, bytes)| Some((path.strip_prefix("assets/")?, bytes.as_slice())))
    }
}

/// Compiled templates, and whether the pages they render still need minifying.
pub struct Templates {
    pub tera: Tera,
    /// True when some template puts Tera tags where minify-html cannot keep them (between
    /// attributes, or in an unquoted value): then each rendered page is minified instead.
    pub minify_output: bool,
}

impl Templates {
    /// The finished bytes of a rendered page.
    pub fn finish(&self, html: String) -> Vec<u8> {
        if self.minify_output {
            minify(html.as_bytes())
        } else {
            html.into_bytes()
        }
    }
}

fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        // Keep what readers and validators rely on: `<html lang>`, explicit closing tags.
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        // Scripts and stylesheets select `input[type=text]`.
        keep_input_type_text_attr: true,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    }
}

/// Minifies a finished HTML page.
pub fn minify(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &minify_cfg())
}

/// Minifies a template's source, keeping its `{{ }}`, `{% %}` and `{# #}` intact. Minifying a
/// template once costs nothing per page; minifying every rendered page was half of a
/// 10,000-policy build and a third of its memory.
fn minify_template(source: &str) -> String {
    let cfg = minify_html::Cfg {
        preserve_brace_template_syntax: true,
        ..minify_cfg()
    };
    String::from_utf8(minify_html::minify(source.as_bytes(), &cfg))
        .unwrap_or_else(|_| source.to_owned())
}

/// Whether Tera tags appear only in text and inside quoted attribute values, the places where
/// minify-html's template-preserving mode keeps them intact (between attributes it does not).
fn tags_only_in_text_and_quoted_values(source: &str) -> bool {
    let bytes = source.as_bytes();
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for (i, &c) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        if !in_tag {
            in_tag = c == b'<' && next.is_some_and(|n| n.is_ascii_alphabetic());
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == b'"' || c == b'\'' {
            quote = Some(c);
        } else if c == b'>' {
            in_tag = false;
        } else if c == b'{' && matches!(next, Some(b'{' | b'%' | b'#')) {
            return false;
        }
    }
    true
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

/// Tera filter: a `<style>` element that prints `value` at the top of every printed page and
/// "Page N of M" at the bottom (CSS page-margin boxes).
fn print_running_head(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("print_running_head takes a string"))?;
    Ok(tera::Value::String(format!(
        "<style>@media print{{@page{{@top-left{{content:{};font:8.5pt/1.2 Georgia,serif;color:#333}}\
         @bottom-right{{content:\"Page \" counter(page) \" of \" counter(pages);font:8.5pt Georgia,serif;color:#333}}}}}}</style>",
        css_string(text)
    )))
}

/// `text` as a quoted CSS string that is safe inside an HTML `<style>` element: quotes and
/// backslashes escaped, control characters and `<`, `>` written as hex escapes.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '\u{0}'..='\u{1f}' | '\u{7f}' => {
                out.push_str(&format!("\\{:X} ", c as u32));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tera_tags_between_attributes() {
        assert!(tags_only_in_text_and_quoted_values(
            r#"<a href="{{ root }}x" class="{% if a %}b{% endif %}">{{ t }}</a>"#
        ));
        assert!(!tags_only_in_text_and_quoted_values(
            r#"<a href="x"{% if a %} aria-current="page"{% endif %}>"#
        ));
        assert!(!tags_only_in_text_and_quoted_values("<td class={{ c }}>"));
        assert!(tags_only_in_text_and_quoted_values(
            "<!-- {{ x }} --> a < b {{ y }}"
        ));
    }

    #[test]
    fn the_answer_box_takes_what_the_quiz_checks_allow() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
        let macros = String::from_utf8_lossy(&theme.files["templates/macros.html"]).into_owned();
        let maxlength = format!("maxlength=\"{}\"", crate::quiz::SHORT_ANSWER_MAX);
        assert!(macros.contains(&maxlength), "macros.html lacks {maxlength}");
    }

    #[test]
    fn the_default_theme_is_minified_once_at_load() {
        let theme = Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
        let templates = theme.templates().unwrap();
        assert!(
            !templates.minify_output,
            "a default template puts Tera tags between attributes"
        );
    }

    #[test]
    fn css_strings_cannot_leave_the_string_or_the_style_element() {
        assert_eq!(css_string("Plain · title"), "\"Plain · title\"");
        assert_eq!(
            css_string("a\"b\\c</style><script>\n"),
            "\"a\\\"b\\\\c\\3C /style\\3E \\3C script\\3E \\A \""
        );
    }
}
