//! One error type for the whole pipeline, and the diagnostics it carries.
//!
//! Content problems are collected as [`Diagnostic`]s (file, line, column, message, help) so that a
//! single run reports all of them; anything that stops the pipeline outright (I/O, a broken
//! template) is an [`Error`] variant with the path it concerns.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Information about the run itself, such as problems left unreported.
    Note,
}

/// What a cross-check took for granted. When a policy fails to load, the problems that only
/// follow from its absence are not reported (see [`drop_follow_ons`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DependsOn {
    /// The problem is that no loaded policy has this id.
    Policy(String),
    /// The problem can only be judged with every policy loaded.
    EveryPolicy,
}

/// A problem found in the project's sources, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user would type it (the project root joined with the relative path).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The text of `line`, captured when the diagnostic is made so printing reads no file again.
    pub source_line: Option<String>,
    pub depends_on: Option<DependsOn>,
    /// For a note about problems left unreported: how many.
    pub hidden: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            source_line: None,
            depends_on: None,
            hidden: 0,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at `line`:`column` of `source` (the whole file's text).
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_owned);
        self
    }

    /// Points the diagnostic at `line`:`column`, given the text of that one line.
    pub fn at_text(mut self, line_text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.source_line = Some(line_text.to_owned());
        self
    }

    pub fn depends_on(mut self, what: DependsOn) -> Self {
        self.depends_on = Some(what);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as editors and terminals recognise it.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        }
    }

    /// Renders the diagnostic rustc-style: title, location, the offending line with a caret, help.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let location = self.location();
        let file = self.file.display().to_string();
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        match (&self.source_line, self.line) {
            (Some(text), Some(line)) => {
                let start = char_to_byte(text, self.column.unwrap_or(1) - 1);
                let end = text[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                group = group.element(
                    Snippet::source(text.as_str())
                        .line_start(line)
                        .path(file.as_str())
                        .fold(false)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                );
            }
            _ => {
                group = group.element(annotate_snippets::Origin::path(location.as_str()));
            }
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer
            .decor_style(DecorStyle::Ascii)
            .render(&[group])
            .to_string()
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error: message (help: ...)`, used in tests and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// Everything that can stop policybook.
#[derive(Debug)]
pub enum Error {
    /// The sources have problems; every one found is listed (warnings included).
    Invalid(Vec<Diagnostic>),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Template {
        name: String,
        message: String,
    },
    /// A problem with how policybook was asked to run (flags, paths, config outside content).
    Usage(String),
    /// A check found work for people to do (`acks --fail-if-action-needed`): exit status 3.
    ActionNeeded,
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The diagnostics to print before the error itself.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(diags) => {
                let count = |s| diags.iter().filter(|d| d.severity == s).count();
                let warnings = count(Severity::Warning);
                write!(f, "{}", plural(count(Severity::Error), "error"))?;
                if warnings > 0 {
                    write!(f, " and {}", plural(warnings, "warning"))?;
                }
                let hidden: usize = diags.iter().map(|d| d.hidden).sum();
                if hidden > 0 {
                    write!(
                        f,
                        " ({hidden} more not shown: they follow from a policy that did not load)"
                    )?;
                }
                write!(f, " found; nothing was written")
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Template { name, message } => write!(f, "template `{name}`: {message}"),
            Error::Usage(message) => f.write_str(message),
            Error::ActionNeeded => f.write_str("some people must acknowledge or re-acknowledge"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A policy file that did not load, and the id other files would know it by.
#[derive(Clone, Debug)]
pub struct Unloaded {
    pub file: PathBuf,
    pub id: String,
}

/// Takes out the problems that only follow from `unloaded` policies being absent (a quiz or
/// module naming one, a role only one of them uses), and adds a note that counts them.
pub fn drop_follow_ons(diags: &mut Vec<Diagnostic>, unloaded: &[Unloaded]) {
    if unloaded.is_empty() {
        return;
    }
    let before = diags.len();
    diags.retain(|d| match &d.depends_on {
        Some(DependsOn::Policy(id)) => !unloaded.iter().any(|u| &u.id == id),
        Some(DependsOn::EveryPolicy) => false,
        None => true,
    });
    let hidden = before - diags.len();
    if hidden > 0 {
        let files: Vec<String> = unloaded
            .iter()
            .map(|u| u.file.display().to_string())
            .collect();
        let mut note = Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(
                &unloaded[0].file,
                format!(
                    "{} not shown: {} could not be loaded, and {} depend on it",
                    plural(hidden, "further problem"),
                    files.join(", "),
                    if hidden == 1 {
                        "that problem may"
                    } else {
                        "those problems may"
                    },
                ),
            )
        };
        note.hidden = hidden;
        diags.push(note.help("fix the errors above and run again to check the rest"));
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        return format!("1 {word}");
    }
    // "policy" → "policies", "duty" → "duties"; "day" → "days".
    let mut chars = word.chars().rev();
    match (chars.next(), chars.next()) {
        (Some('y'), Some(before)) if !"aeiou".contains(before) => {
            format!("{n} {}ies", &word[..word.len() - 1])
        }
        _ => format!("{n} {word}s"),
    }
}

/// Adds a path to I/O errors.
pub trait IoContext<T> {
    fn at_path(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at_path(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals_of_words_ending_in_y() {
        assert_eq!(plural(1, "policy"), "1 policy");
        assert_eq!(plural(2, "policy"), "2 policies");
        assert_eq!(plural(0, "duty"), "0 duties");
        assert_eq!(plural(3, "day"), "3 days");
        assert_eq!(plural(2, "warning"), "2 warnings");
        assert_eq!(plural(2, "y"), "2 ys");
    }
}
