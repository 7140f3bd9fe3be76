//! Quizzes: the native TOML format, GIFT import and export, Moodle XML export, validation.
//!
//! A quiz checks that a reader understood one policy. Quizzes live in `quizzes/`, one per file:
//!
//! - `quizzes/<name>.toml`: the native format (see [`native`]);
//! - `quizzes/<name>.gift` plus `quizzes/<name>.quiz.toml`: Moodle's GIFT format for the
//!   questions and a small TOML side file for the settings GIFT cannot hold (see [`gift`]).
//!
//! Both load into the same [`Quiz`]. Checks that need only the quiz happen on load
//! ([`load_quizzes`]); checks against the policies happen in [`validate_quizzes`]. A quiz can be
//! exported with [`to_gift`] and [`to_moodle_xml`] so that administrators can use the same
//! question bank in a native Moodle quiz.

mod check;
pub mod gift;
mod moodle_xml;
pub mod native;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::Policy;
use crate::error::{Diagnostic, Error, IoContext, Result};

pub use gift::{parse_gift, side_file, to_gift};
pub use moodle_xml::to_moodle_xml;
pub use native::parse_toml;

/// The folder, under the project root, that holds quiz files.
pub const QUIZ_DIR: &str = "quizzes";

/// Longest short answer a learner can type: the answer box's `maxlength` on the website and in
/// SCORM packages (`themes/default/templates/macros.html`, tested to agree).
pub const SHORT_ANSWER_MAX: usize = 100;
/// The ending of a GIFT quiz's settings file: `quizzes/<name>.gift` + `quizzes/<name>.quiz.toml`.
pub const SIDE_FILE_SUFFIX: &str = ".quiz.toml";

/// One quiz, loaded from a TOML file or a GIFT file and its side file.
///
/// Serialises (for the website's quiz page) without the bookkeeping fields that say where it was
/// written: paths, lines and source texts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quiz {
    /// ASCII `[a-z0-9_-]`, unique among quizzes; default: the file stem.
    pub id: String,
    pub title: String,
    /// Id of the policy the quiz tests.
    pub policy: String,
    /// Percent (0..=100) of the marks needed to pass.
    pub pass_mark: u8,
    /// Ask this many questions, drawn from the pool, on each attempt (`None`: ask them all).
    pub draw: Option<usize>,
    /// Shuffle the options of choice and matching questions (default true).
    pub shuffle: bool,
    pub questions: Vec<Question>,
    /// How messages name the questions file (the project root joined with `quizzes/...`).
    #[serde(skip)]
    pub path: PathBuf,
    pub format: SourceFormat,
    /// Line of `policy =` in [`Quiz::settings_path`] (for "unknown policy" errors).
    #[serde(skip)]
    pub policy_line: usize,
    /// Line of `id =` in [`Quiz::settings_path`], when the id is set explicitly.
    #[serde(skip)]
    pub id_line: Option<usize>,
    /// The text of [`Quiz::path`], kept so later checks can point at a line without reading again.
    #[serde(skip)]
    pub source: String,
    /// The file holding the settings (`id`, `title`, `policy`, …): [`Quiz::path`] itself for the
    /// TOML format, the `.quiz.toml` side file for GIFT.
    #[serde(skip)]
    pub settings_path: PathBuf,
    /// The text of [`Quiz::settings_path`].
    #[serde(skip)]
    pub settings_source: String,
}

/// The format a quiz was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Toml,
    Gift,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// Stable id: ASCII letters, digits, `-`, `_` and `.`, at most 64 characters. It becomes the
    /// SCORM interaction id and the Moodle question name.
    pub id: String,
    /// Markdown.
    pub text: String,
    #[serde(flatten)]
    pub kind: QuestionKind,
    /// Shown after the question is answered, whatever the answer.
    pub general_feedback: Option<String>,
    /// Anchor of the section of the policy that answers the question, e.g.
    /// `4-2-filtering-and-monitoring`.
    pub see: Option<String>,
    /// 1-based line in [`Quiz::path`] where the question starts.
    pub line: usize,
    /// 1-based line of `see` in [`Quiz::path`], when given.
    #[serde(skip)]
    pub see_line: Option<usize>,
}

/// What kind of answer a question takes. Serialised with a `type` field holding the same names
/// as the TOML format: `single`, `multiple`, `true-false`, `short`, `matching`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum QuestionKind {
    /// Exactly one option is correct (weight 100); the others have weight 0.
    #[serde(rename = "single")]
    SingleChoice { options: Vec<Choice> },
    /// One or more options are correct. The weights (percent) of the correct options add up to
    /// 100; a wrong option may have a negative weight, a penalty for choosing it.
    #[serde(rename = "multiple")]
    MultipleResponse { options: Vec<Choice> },
    #[serde(rename = "true-false")]
    TrueFalse {
        answer: bool,
        /// Shown when the learner answers "true".
        feedback_true: Option<String>,
        /// Shown when the learner answers "false".
        feedback_false: Option<String>,
    },
    /// Any of `accepted` is right, compared case-insensitively after trimming.
    #[serde(rename = "short")]
    ShortAnswer {
        accepted: Vec<String>,
        /// Shown when the answer is accepted (`answer_feedback`, as in the TOML format).
        #[serde(rename = "answer_feedback")]
        feedback: Option<String>,
    },
    /// Each left-hand item is matched with its right-hand item. Serialised as
    /// `[{ "left": ..., "right": ... }]`, as in the TOML format.
    #[serde(rename = "matching")]
    Matching {
        #[serde(serialize_with = "pairs_as_objects")]
        pairs: Vec<(String, String)>,
    },
}

fn pairs_as_objects<S: serde::Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Pair<'a> {
        left: &'a str,
        right: &'a str,
    }
    serializer.collect_seq(pairs.iter().map(|(left, right)| Pair { left, right }))
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    /// Markdown.
    pub text: String,
    pub correct: bool,
    /// Percent of the question's mark for choosing this option (GIFT `~%50%`).
    pub weight: f64,
    /// Shown when this option is chosen.
    pub feedback: Option<String>,
}

impl Quiz {
    /// How many questions one attempt asks.
    pub fn attempt_length(&self) -> usize {
        self.draw
            .unwrap_or(self.questions.len())
            .min(self.questions.len())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The quiz without where it was written (paths, format, lines, source texts), so that the
    /// same quiz read from different files, or exported and read again, compares equal.
    pub fn normalised(&self) -> Quiz {
        Quiz {
            path: PathBuf::new(),
            format: SourceFormat::Toml,
            policy_line: 0,
            id_line: None,
            source: String::new(),
            settings_path: PathBuf::new(),
            settings_source: String::new(),
            questions: self
                .questions
                .iter()
                .map(|q| Question {
                    line: 0,
                    see_line: None,
                    ..q.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// True when both quizzes ask the same questions with the same settings, wherever and in
    /// whichever format they were written.
    pub fn same_content(&self, other: &Quiz) -> bool {
        self.normalised() == other.normalised()
    }
}

impl Question {
    /// Every question is worth one mark, as in Moodle (`defaultgrade` 1).
    pub fn max_score(&self) -> f64 {
        1.0
    }
}

impl QuestionKind {
    /// The SCORM `cmi.interactions.n.type` for this kind of question.
    pub fn scorm_type(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleResponse { .. } => "choice",
            QuestionKind::TrueFalse { .. } => "true-false",
            QuestionKind::ShortAnswer { .. } => "fill-in",
            QuestionKind::Matching { .. } => "matching",
        }
    }

    /// The name used for `type` in the TOML format and in the serialised form.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single",
            QuestionKind::MultipleResponse { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true-false",
            QuestionKind::ShortAnswer { .. } => "short",
            QuestionKind::Matching { .. } => "matching",
        }
    }

    /// The options of a choice question (empty for other kinds).
    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleResponse { options } => {
                options
            }
            _ => &[],
        }
    }

    /// Whether `response` is one of the accepted short answers (case-insensitive, trimmed).
    /// Always false for other kinds.
    pub fn accepts(&self, response: &str) -> bool {
        let QuestionKind::ShortAnswer { accepted, .. } = self else {
            return false;
        };
        let response = response.trim().to_lowercase();
        accepted.iter().any(|a| a.trim().to_lowercase() == response)
    }
}

/// Finds every quiz under `root/quizzes/`, loads it and checks it on its own. Returns the quizzes
/// that could be read, sorted by path (possibly with errors, which are among the diagnostics),
/// and every problem.
/// Files are read in sorted order; names starting with `.` or `_` and symbolic links are skipped.
/// Only I/O failures are returned as `Err`.
pub fn load_quizzes(root: &Path, display_root: &Path) -> Result<(Vec<Quiz>, Vec<Diagnostic>)> {
    let files = quiz_files(root)?;
    let gift_stems: BTreeSet<PathBuf> = files.gift.iter().map(|p| p.with_extension("")).collect();
    let mut quizzes = Vec::new();
    let mut diags = Vec::new();
    let display = |path: &Path| display_root.join(path.strip_prefix(root).unwrap_or(path));

    for path in &files.toml {
        let (text, stem) = match read_source(path, &display(path))? {
            Ok(text) => (text, file_stem(path, ".toml")),
            Err(diag) => {
                diags.push(diag);
                continue;
            }
        };
        let (quiz, found) = parse_toml(&text, &stem, &display(path));
        quizzes.extend(quiz);
        diags.extend(found);
    }

    for path in &files.gift {
        let stem = file_stem(path, ".gift");
        let side = path.with_file_name(format!("{stem}{SIDE_FILE_SUFFIX}"));
        let text = match read_source(path, &display(path))? {
            Ok(text) => text,
            Err(diag) => {
                diags.push(diag);
                continue;
            }
        };
        let side_text = match read_side_file(&side, &display(&side), &display(path), &stem)? {
            Ok(side_text) => side_text,
            Err(diag) => {
                diags.push(diag);
                continue;
            }
        };
        let (quiz, found) = parse_gift(&text, &display(path), &side_text, &display(&side), &stem);
        quizzes.extend(quiz);
        diags.extend(found);
    }

    for side in &files.side {
        let name = side
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stem = name.strip_suffix(SIDE_FILE_SUFFIX).unwrap_or(name);
        if !gift_stems.contains(&side.with_file_name(stem)) {
            diags.push(
                Diagnostic::error(
                    display(side),
                    format!("`{name}` is a GIFT quiz's settings file, but there is no `{stem}.gift`"),
                )
                .help(format!(
                    "add the questions in `{stem}.gift`, or rename this file to `{stem}.toml` and add `[[question]]` tables to make it a quiz on its own"
                )),
            );
        }
    }
    // Both formats in one order, so that the first of two quizzes with one id is the same
    // whichever format each is written in.
    quizzes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((quizzes, diags))
}

/// Checks that need the policies and every quiz at once: unknown policies, `see` anchors that are
/// not headings of the policy, and duplicate quiz ids.
pub fn validate_quizzes(quizzes: &[Quiz], policies: &[Policy]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut first_with_id: BTreeMap<&str, &Quiz> = BTreeMap::new();
    for quiz in quizzes {
        match first_with_id.get(quiz.id.as_str()) {
            Some(first) => diags.push(check::duplicate_quiz_id(quiz, first)),
            None => {
                first_with_id.insert(&quiz.id, quiz);
            }
        }
        if quiz.policy.is_empty() {
            continue; // Reported on load.
        }
        match policies.iter().find(|p| p.id == quiz.policy) {
            Some(policy) => diags.extend(check::see_anchors(quiz, policy)),
            None => diags.push(check::unknown_policy(quiz, policies)),
        }
    }
    diags
}

/// The quiz sources found under `quizzes/`, each list sorted by path.
#[derive(Default)]
struct QuizFiles {
    toml: Vec<PathBuf>,
    gift: Vec<PathBuf>,
    side: Vec<PathBuf>,
}

fn quiz_files(root: &Path) -> Result<QuizFiles> {
    let mut files = QuizFiles::default();
    for path in crate::content::source_files(root, QUIZ_DIR)? {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(SIDE_FILE_SUFFIX) {
            files.side.push(path);
        } else if name.ends_with(".toml") {
            files.toml.push(path);
        } else if name.ends_with(".gift") {
            files.gift.push(path);
        }
    }
    Ok(files)
}

fn file_stem(path: &Path, extension: &str) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.strip_suffix(extension).unwrap_or(name).to_owned()
}

/// Reads a source file as normalised UTF-8 text (no BOM, LF line endings); a file that is not
/// UTF-8 is a diagnostic, not a failure.
fn read_source(path: &Path, display: &Path) -> Result<std::result::Result<String, Diagnostic>> {
    let bytes = std::fs::read(path).at_path(path)?;
    Ok(crate::source::decode_text(&bytes, display))
}

fn read_side_file(
    side: &Path,
    side_display: &Path,
    gift_display: &Path,
    stem: &str,
) -> Result<std::result::Result<String, Diagnostic>> {
    let name = format!("{stem}{SIDE_FILE_SUFFIX}");
    match std::fs::symlink_metadata(side) {
        Ok(meta) if meta.file_type().is_symlink() => Ok(Err(Diagnostic::error(
            side_display,
            format!("`{name}` is a symbolic link, which policybook does not follow"),
        )
        .help("replace the link with the file itself"))),
        Ok(_) => read_source(side, side_display),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Err(Diagnostic::error(
            gift_display,
            format!("missing settings file `{name}` for this GIFT quiz"),
        )
        .help(format!(
            "GIFT holds only questions: create `{}` with the quiz settings, e.g. `title = \"…\"`, `policy = \"<policy id>\"`, `pass_mark = 80` (optional: `id`, `draw`, `shuffle`)",
            side_display.display()
        )))),
        Err(e) => Err(Error::io(side, e)),
    }
}

#[cfg(test)]
mod tests;
