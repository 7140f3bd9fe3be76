//! Quiz pages: `quizzes/<id>/index.html`, an accessible form marked in the browser by
//! `assets/quiz.js` (no requests to other hosts, works from `file://`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::theme::Templates;
use serde::Serialize;

use super::{SiteView, policy_url, render_page};
use crate::Project;
use crate::content::Policy;
use crate::error::Result;
use crate::markdown::{is_inline, render_inline};
use crate::quiz::{Question, QuestionKind, Quiz};

pub fn quiz_url(id: &str) -> String {
    format!("quizzes/{id}/index.html")
}

/// Response id of the option at `index`: `a`…`z`, then `0`…`9` (SCORM 1.2 allows one character
/// from `[0-9a-z]`; SCORM 2004 and Moodle accept the same).
pub fn choice_id(index: usize) -> String {
    const IDS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    IDS.get(index)
        .map_or_else(|| format!("x{index}"), |&b| (b as char).to_string())
}

/// A quiz as linked from its policy page.
#[derive(Serialize)]
pub struct QuizLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub questions: usize,
    pub pass_mark: u8,
}

impl<'a> QuizLink<'a> {
    pub fn of(quiz: &'a Quiz) -> Self {
        QuizLink {
            id: &quiz.id,
            title: &quiz.title,
            url: quiz_url(&quiz.id),
            questions: quiz.attempt_length(),
            pass_mark: quiz.pass_mark,
        }
    }
}

#[derive(Serialize)]
pub struct QuizView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub pass_mark: u8,
    pub attempt_length: usize,
    pub pool: usize,
    pub policy_title: &'a str,
    pub policy_version: &'a str,
    pub policy_url: String,
    pub questions: Vec<QuestionView<'a>>,
    /// The answer key for quiz.js, as JSON safe to put inside `<script>`.
    pub key_json: String,
}

#[derive(Serialize)]
pub struct QuestionView<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Question text; `legend` when it is short enough to be the fieldset's legend.
    pub html: String,
    pub inline: bool,
    pub hint: &'static str,
    pub options: Vec<OptionView>,
    pub lefts: Vec<OptionView>,
    pub rights: Vec<OptionView>,
}

#[derive(Serialize)]
pub struct OptionView {
    pub id: String,
    pub html: String,
}

/// What quiz.js needs to mark an attempt and explain the answers.
#[derive(Serialize)]
struct Key<'a> {
    pass_mark: u8,
    draw: Option<usize>,
    shuffle: bool,
    questions: BTreeMap<&'a str, KeyQuestion>,
}

#[derive(Serialize, Default)]
struct KeyQuestion {
    #[serde(rename = "type")]
    kind: &'static str,
    options: Vec<KeyOption>,
    answer: Option<bool>,
    feedback_true: Option<String>,
    feedback_false: Option<String>,
    accepted: Vec<String>,
    answer_feedback: Option<String>,
    pairs: Vec<KeyPair>,
    feedback: Option<String>,
    see: Option<See>,
}

#[derive(Serialize)]
struct KeyOption {
    id: String,
    correct: bool,
    weight: f64,
    feedback: Option<String>,
}

#[derive(Serialize)]
struct KeyPair {
    left: String,
    right: String,
}

#[derive(Serialize)]
struct See {
    /// Relative to the quiz page.
    url: String,
    /// Escaped HTML.
    title: String,
}

/// Renders every quiz page; returns how many were written.
pub(crate) fn render_quizzes(
    project: &Project,
    tera: &Templates,
    site: &SiteView,
    dir: &Path,
    writer: &super::UnitWriter,
) -> Result<usize> {
    for quiz in &project.quizzes {
        let Some(policy) = project.policies.iter().find(|p| p.id == quiz.policy) else {
            continue;
        };
        let see_base = format!("../../{}#", policy_url(&policy.id));
        let view = quiz_view(quiz, policy, &see_base);
        let html = render_page(tera, "quiz", site, "../../", |ctx| {
            ctx.insert("quiz", &view)
        })?;
        writer.write(&dir.join(quiz_url(&quiz.id)), &html)?;
    }
    Ok(project.quizzes.len())
}

/// The quiz as the page and its script see it. A link back to a section of the policy is
/// `see_base` followed by the section's anchor (the policy page on the website, an anchor in
/// the same page in a SCORM package).
pub fn quiz_view<'a>(quiz: &'a Quiz, policy: &'a Policy, see_base: &str) -> QuizView<'a> {
    let questions: Vec<QuestionView> = quiz.questions.iter().map(question_view).collect();
    let key = Key {
        pass_mark: quiz.pass_mark,
        draw: quiz.draw,
        shuffle: quiz.shuffle,
        questions: quiz
            .questions
            .iter()
            .map(|q| (q.id.as_str(), key_question(q, policy, see_base)))
            .collect(),
    };
    QuizView {
        id: &quiz.id,
        title: &quiz.title,
        pass_mark: quiz.pass_mark,
        attempt_length: quiz.attempt_length(),
        pool: quiz.questions.len(),
        policy_title: &policy.title,
        policy_version: &policy.version,
        policy_url: policy_url(&policy.id),
        questions,
        key_json: script_safe_json(&key),
    }
}

/// JSON that cannot end the `<script>` element it sits in.
/// JSON to put inside `<script>`: every `<` (which JSON has only inside strings) is written
/// `\u003c`, so no value can close the script or open an HTML comment in it.
pub(crate) fn script_safe_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("plain data serialises")
        .replace('<', "\\u003c")
}

fn question_view(q: &Question) -> QuestionView<'_> {
    let html = render_inline(&q.text);
    let options = |choices: &[crate::quiz::Choice]| {
        choices
            .iter()
            .enumerate()
            .map(|(i, c)| OptionView {
                id: choice_id(i),
                html: render_inline(&c.text),
            })
            .collect()
    };
    let (options, lefts, rights, hint) = match &q.kind {
        QuestionKind::SingleChoice { options: o } => {
            (options(o), vec![], vec![], "Choose one answer.")
        }
        QuestionKind::MultipleResponse { options: o } => (
            options(o),
            vec![],
            vec![],
            "Choose every answer that applies.",
        ),
        QuestionKind::TrueFalse { .. } => (vec![], vec![], vec![], "Choose true or false."),
        QuestionKind::ShortAnswer { .. } => (vec![], vec![], vec![], "Type your answer."),
        QuestionKind::Matching { pairs } => {
            let lefts = pairs
                .iter()
                .enumerate()
                .map(|(i, (l, _))| OptionView {
                    id: (i + 1).to_string(),
                    html: render_inline(l),
                })
                .collect();
            // Right-hand items in alphabetical order, so their order gives nothing away.
            let mut rights: Vec<OptionView> = pairs
                .iter()
                .enumerate()
                .map(|(i, (_, r))| OptionView {
                    id: choice_id(i),
                    html: render_inline(r),
                })
                .collect();
            rights.sort_by_key(|r| r.html.to_lowercase());
            (
                vec![],
                lefts,
                rights,
                "Match each item on the left with one on the right.",
            )
        }
    };
    QuestionView {
        id: &q.id,
        kind: q.kind.type_name(),
        inline: is_inline(&html),
        html,
        hint,
        options,
        lefts,
        rights,
    }
}

fn key_question(q: &Question, policy: &Policy, see_base: &str) -> KeyQuestion {
    let md = |s: &Option<String>| s.as_deref().map(render_inline);
    let see = q.see.as_deref().and_then(|anchor| {
        let heading = policy.body.headings.iter().find(|h| h.anchor == anchor)?;
        Some(See {
            url: format!("{see_base}{anchor}"),
            // Plain text: quiz.js puts it in with textContent, never as HTML.
            title: heading.text.clone(),
        })
    });
    let mut key = KeyQuestion {
        kind: q.kind.type_name(),
        feedback: md(&q.general_feedback),
        see,
        ..KeyQuestion::default()
    };
    match &q.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleResponse { options } => {
            key.options = options
                .iter()
                .enumerate()
                .map(|(i, c)| KeyOption {
                    id: choice_id(i),
                    correct: c.correct,
                    weight: c.weight,
                    feedback: md(&c.feedback),
                })
                .collect();
        }
        QuestionKind::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            key.answer = Some(*answer);
            key.feedback_true = md(feedback_true);
            key.feedback_false = md(feedback_false);
        }
        QuestionKind::ShortAnswer { accepted, feedback } => {
            key.accepted = accepted.clone();
            key.answer_feedback = md(feedback);
        }
        QuestionKind::Matching { pairs } => {
            key.pairs = (0..pairs.len())
                .map(|i| KeyPair {
                    left: (i + 1).to_string(),
                    right: choice_id(i),
                })
                .collect();
        }
    }
    key
}
