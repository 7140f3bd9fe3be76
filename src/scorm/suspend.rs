//! The saved-progress format (`cmi.suspend_data`) shared with `assets/scorm.js`, and the
//! build-time check that its worst case fits SCORM 1.2's 4,096 characters.
//!
//! ```text
//! {"v":1,"h":"FINGERPRINT","s":STEP,"q":[QUIZ, …],"k":"ACKS","p":{"ID":"VERSION", …}}
//! QUIZ = {"d":[i, …],"o":["bca", …],"a":[ANSWER, …],"r":SCORE}
//!   d  indices (in the quiz file) of the questions drawn for this attempt
//!   o  per drawn question, its options' ids in the order shown ("" when it has none)
//!   a  per drawn question: null, "ac" (chosen option ids), 1 or 0 (true/false),
//!      "text" (short answer, at most SHORT_ANSWER_MAX characters), "ba-" (matching: the
//!      right-hand id chosen for each left-hand item, "-" for none)
//!   r  the last marked score in percent, or null
//! k   one "1" or "0" per policy of the module: acknowledged or not
//! h   the module's fingerprint (its policy digests and question ids); progress saved by another
//!     version of the package is not restored
//! p   the version of each policy when the progress was saved: a learner who comes back to a
//!     newer package is shown what changed since the version they were reading
//! ```
//! Indices and one-letter ids instead of question ids keep a ten-question quiz under 400
//! characters.

use serde_json::{Value, json};

use super::{Module, Version};
use crate::config::Config;
use crate::content::Policy;

/// Policies by id.
pub type PolicyIndex<'a> = std::collections::HashMap<&'a str, &'a Policy>;
use crate::error::Diagnostic;
use crate::quiz::{QuestionKind, Quiz};

/// Hex digits of the module fingerprint stored in saved progress.
pub const FINGERPRINT_LEN: usize = 12;

pub use crate::quiz::SHORT_ANSWER_MAX;

/// The longest `cmi.suspend_data` a learner can produce in `module`, whose policies have
/// `versions` (id → version).
pub fn worst_case(
    module: &Module,
    quizzes: &[Quiz],
    versions: &serde_json::Map<String, Value>,
) -> String {
    let steps = module.policies.len() + module.quizzes.len() + 2;
    let quiz_states: Vec<Value> = module
        .quizzes
        .iter()
        .filter_map(|id| quizzes.iter().find(|q| &q.id == id))
        .map(worst_quiz_state)
        .collect();
    let state = json!({
        "v": 1,
        "h": "x".repeat(FINGERPRINT_LEN),
        "s": steps,
        "q": quiz_states,
        "k": "1".repeat(module.policies.len()),
        "p": versions,
    });
    state.to_string()
}

/// At most how many characters [`worst_case`] has for a module without quizzes: its fixed
/// part, and each policy's id and version as JSON could escape them (six characters for one).
/// Building the state itself was a fifth of what `serve` does on a save at 10,000 modules.
fn no_quiz_bound(module: &Module, policies: &PolicyIndex) -> usize {
    let steps = module.policies.len() + 2;
    let fixed = r#"{"v":1,"h":"","s":,"q":[],"k":"","p":{}}"#.len() + FINGERPRINT_LEN;
    let per_policy: usize = module
        .policies
        .iter()
        .filter_map(|id| policies.get(id.as_str()))
        .map(|p| 6 * (p.id.len() + p.version.len()) + r#""":"","#.len())
        .sum();
    fixed + steps.to_string().len() + module.policies.len() + per_policy
}

/// The `p` map of saved progress: each policy of `module` with its version, as the page has it.
pub fn policy_versions(module: &Module, policies: &PolicyIndex) -> serde_json::Map<String, Value> {
    module
        .policies
        .iter()
        .filter_map(|id| policies.get(id.as_str()))
        .map(|p| (p.id.clone(), Value::String(p.version.clone())))
        .collect()
}

fn worst_quiz_state(quiz: &Quiz) -> Value {
    let pool = quiz.questions.len();
    // The drawn set that saves the most: the questions whose state is largest.
    let mut sizes: Vec<(usize, Value, Value)> = quiz
        .questions
        .iter()
        .map(|q| {
            let (order, answer) = match &q.kind {
                QuestionKind::SingleChoice { options }
                | QuestionKind::MultipleResponse { options } => {
                    let ids = "x".repeat(options.len());
                    (json!(ids), json!(ids))
                }
                QuestionKind::TrueFalse { .. } => (json!(""), json!(1)),
                // Every character a quote: JSON doubles it.
                QuestionKind::ShortAnswer { .. } => {
                    (json!(""), json!("\"".repeat(SHORT_ANSWER_MAX)))
                }
                QuestionKind::Matching { pairs } => (json!(""), json!("x".repeat(pairs.len()))),
            };
            let size = order.to_string().len() + answer.to_string().len();
            (size, order, answer)
        })
        .collect();
    sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
    let drawn = quiz.attempt_length();
    let chosen = &sizes[..drawn.min(sizes.len())];
    json!({
        "d": vec![pool.saturating_sub(1); chosen.len()],
        "o": chosen.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        "a": chosen.iter().map(|c| c.2.clone()).collect::<Vec<_>>(),
        "r": 100,
    })
}

/// An error when the module's progress might not fit in a SCORM 1.2 LMS.
/// `config_line` is the line of the module's `[[module]]` table, for configured modules; a
/// policy's own module is pointed at its quiz.
pub fn check_budget(
    module: &Module,
    quizzes: &[Quiz],
    policies: &PolicyIndex,
    config: &Config,
    config_line: Option<usize>,
) -> Option<Diagnostic> {
    let limit = Version::Scorm12.suspend_data_limit();
    if module.quizzes.is_empty() && no_quiz_bound(module, policies) <= limit {
        return None;
    }
    let size = worst_case(module, quizzes, &policy_versions(module, policies))
        .chars()
        .count();
    if size <= limit {
        return None;
    }
    let message = format!(
        "module `{}`: saved progress can reach {size} characters, over the {limit} that SCORM 1.2 LMSs keep",
        module.id
    );
    let help =
        "use `draw` to ask fewer questions per attempt, or split the module into smaller ones";
    let quiz = quizzes
        .iter()
        .find(|q| module.quizzes.first() == Some(&q.id));
    let diag = match (config_line, quiz) {
        (Some(_), _) | (None, None) => {
            Diagnostic::error(&config.path, message).at(&config.source, config_line.unwrap_or(1), 1)
        }
        (None, Some(quiz)) => Diagnostic::error(&quiz.path, message).at(&quiz.source, 1, 1),
    };
    Some(diag.help(help))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn policy(id: &str, version: &str) -> Policy {
        let text = format!(
            "---\ntitle: T\nversion: {}\n---\n\n## 1. A\n\nText.\n",
            serde_json::to_string(version).unwrap()
        );
        let path = format!("content/{id}.md");
        let (policy, diags) =
            crate::content::load_policy(text.as_bytes(), Path::new(&path), Path::new(&path));
        policy.unwrap_or_else(|| panic!("{diags:?}"))
    }

    #[test]
    fn the_bound_of_a_module_without_quizzes_is_never_below_its_worst_case() {
        let policies: Vec<Policy> = [
            ("a", "1.0"),
            ("a-much-longer-policy-id-than-most", "12.3.4"),
            ("quotes", "2 \"beta\" \\ é \u{1}"),
        ]
        .iter()
        .map(|(id, version)| policy(id, version))
        .collect();
        let index: PolicyIndex = policies.iter().map(|p| (p.id.as_str(), p)).collect();
        for count in [1, 2, 3] {
            let module = Module {
                id: "m".to_owned(),
                title: "M".to_owned(),
                policies: policies[..count].iter().map(|p| p.id.clone()).collect(),
                quizzes: Vec::new(),
                require_pass: true,
                audience: None,
            };
            let worst = worst_case(&module, &[], &policy_versions(&module, &index));
            let bound = no_quiz_bound(&module, &index);
            assert!(
                worst.chars().count() <= bound,
                "{worst} is longer than {bound}"
            );
        }
    }
}
