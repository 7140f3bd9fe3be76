//! `policybook new "Title"`: a new policy file with a safe id, today's date, the configured
//! review interval and a standard section skeleton (and, with `--quiz`, a quiz to fill in).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, IoContext, Result};

/// What the policy owner asked for.
pub struct NewPolicy<'a> {
    pub title: &'a str,
    /// The id (and file name); suggested from the title when not given.
    pub id: Option<&'a str>,
    pub category: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub quiz: bool,
}

/// The files written, relative to the project.
pub struct Created {
    pub id: String,
    pub files: Vec<PathBuf>,
}

/// Used when `policybook.toml` sets no `review_interval`.
pub const DEFAULT_REVIEW_INTERVAL: &str = "12 months";

/// Writes `content/<id>.md` (and `quizzes/<id>.toml`); refuses to overwrite anything, and to
/// reuse an id that a policy anywhere under `content/` already has.
pub fn new_policy(
    root: &Path,
    config: &Config,
    today: Date,
    request: &NewPolicy,
) -> Result<Created> {
    let title = checked_title(request.title)?;
    for (flag, value) in [("--owner", request.owner), ("--category", request.category)] {
        if value.is_some_and(|v| v.trim().is_empty() || v.chars().any(char::is_control)) {
            return Err(Error::Usage(format!(
                "{flag} takes a name on one line, for example {flag} \"Head of Operations\""
            )));
        }
    }
    let id = match request.id {
        Some(id) => checked_id(id)?,
        None => id_from_title(title),
    };
    // Checked when the config was loaded.
    let interval = config
        .review_interval
        .as_deref()
        .unwrap_or(DEFAULT_REVIEW_INTERVAL);
    if let Some(existing) = policy_with_id(root, &id) {
        return Err(Error::Usage(format!(
            "{} already has the id `{id}`: choose another title, or give an id with --id",
            existing.display()
        )));
    }
    let mut files = vec![(
        Path::new("content").join(format!("{id}.md")),
        policy_text(title, request, today, interval),
    )];
    if request.quiz {
        files.push((
            Path::new("quizzes").join(format!("{id}.toml")),
            quiz_text(&id, title),
        ));
    }
    for (path, _) in &files {
        if root.join(path).exists() {
            return Err(Error::Usage(format!(
                "{} already exists: policybook new never overwrites a file",
                path.display()
            )));
        }
    }
    for (path, text) in &files {
        create_new(&root.join(path), text)?;
    }
    Ok(Created {
        id,
        files: files.into_iter().map(|(path, _)| path).collect(),
    })
}

fn checked_title(title: &str) -> Result<&str> {
    let title = title.trim();
    if title.is_empty() || title.chars().any(char::is_control) {
        return Err(Error::Usage(
            "give the policy's title on one line, for example: policybook new \"Lone Working Policy\""
                .to_owned(),
        ));
    }
    if title.chars().count() > crate::config::NAME_MAX_CHARS {
        return Err(Error::Usage(format!(
            "the title is longer than {} characters: use the short name people know",
            crate::config::NAME_MAX_CHARS
        )));
    }
    Ok(title)
}

fn checked_id(id: &str) -> Result<String> {
    if crate::content::is_valid_id(id) {
        Ok(id.to_owned())
    } else {
        Err(Error::Usage(format!(
            "`{id}` cannot be an id: use lower-case letters, digits, `-` and `_`, for example `lone-working`"
        )))
    }
}

/// "Lone Working Policy" → `lone-working`: the words of the title, without a closing "policy",
/// in lower-case ASCII (ids become file names and addresses).
pub fn id_from_title(title: &str) -> String {
    let ascii: String = crate::markdown::slugify(title)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    let words: Vec<&str> = ascii.split('-').filter(|w| !w.is_empty()).collect();
    let words = match words.split_last() {
        Some((&"policy", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    let mut id = words.join("-");
    id.truncate(80);
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() {
        "new-policy".to_owned()
    } else {
        id
    }
}

/// The file under `content/` whose id is `id` (its front matter's `id:`, else its file name).
pub(crate) fn policy_with_id(root: &Path, id: &str) -> Option<PathBuf> {
    let content = root.join("content");
    walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .find_map(|e| {
            let relative = e.path().strip_prefix(root).unwrap_or(e.path());
            let bytes = std::fs::read(e.path()).ok()?;
            (crate::content::likely_id(&bytes, relative) == id).then(|| relative.to_path_buf())
        })
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML, with every escape.
pub(crate) fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn policy_text(title: &str, request: &NewPolicy, today: Date, interval: &str) -> String {
    let owner = request.owner.unwrap_or("Policy owner");
    let category = request.category.unwrap_or("General");
    format!(
        r#"---
title: {title}
version: "1.0"
owner: {owner}
# The date it is approved: change it when the policy is signed off, then run
# `policybook release` to record this version.
approved: {today}
review_interval: {interval}
category: {category}
summary: {summary}
revisions:
  - version: "1.0"
    date: {today}
    author: {owner}
    summary: First version.
---

## 1. Purpose

Why this policy exists, in two or three sentences.

## 2. Scope

Who it applies to, and where: staff, learners, volunteers, contractors; on site and elsewhere.

## 3. Definitions

| Term | Meaning in this policy |
|---|---|
| Example term | What it means here. |

## 4. What we do

The rules, one numbered sub-section each (### 4.1 …).

## 5. Responsibilities

<!-- Give each role a heading marked with its id from content/roles.toml, for example
### Head of IT {{role=head-of-it}}
and list its duties under it: each item becomes a duty on the role's page. -->

## 6. Monitoring and review

How we check that the policy works, and when it is reviewed.

## 7. Related policies and legislation

The policies and laws it works with.
"#,
        title = yaml_string(title),
        owner = yaml_string(owner),
        category = yaml_string(category),
        summary = yaml_string(&format!("What the {title} is for, and who it applies to.")),
    )
}

/// A TOML basic string (for every TOML file policybook writes).
pub(crate) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn quiz_text(id: &str, title: &str) -> String {
    format!(
        r#"# Quiz on the {title_comment} (content/{id}.md): shown on its page and in its SCORM
# package. Replace the example question; `see` names the section that explains the answer.
id = {quiz_id}
title = {quiz_title}
policy = {policy}
pass_mark = 80

[[question]]
id = {question_id}
type = "true-false"
text = "This policy applies to everyone named in its scope."
see = "2-scope"
answer = true
feedback_true = "Right: section 2 says who it applies to."
feedback_false = "No: section 2 says who it applies to."
"#,
        title_comment = title.replace(['\n', '\r'], " "),
        quiz_id = toml_string(&format!("{id}-quiz")),
        quiz_title = toml_string(&format!("{title}: check your understanding")),
        policy = toml_string(id),
        question_id = toml_string(&format!("{id}-scope")),
    )
}

/// Creates `path` with `text`, failing if it exists (even if it appeared since the check).
fn create_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).at_path(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .at_path(path)?;
    file.write_all(text.as_bytes()).at_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_titles_are_safe_and_short() {
        assert_eq!(id_from_title("Lone Working Policy"), "lone-working");
        assert_eq!(id_from_title("E-Safety Policy"), "e-safety");
        assert_eq!(id_from_title("Policy"), "policy");
        assert_eq!(
            id_from_title("Café & Kitchen Hygiene"),
            "caf-kitchen-hygiene"
        );
        assert_eq!(id_from_title("安全"), "new-policy");
        assert!(crate::content::is_valid_id(&id_from_title(
            &"Word ".repeat(60)
        )));
    }

    #[test]
    fn text_is_quoted_for_yaml() {
        assert_eq!(
            yaml_string("A \"quoted\" title: yes"),
            r#""A \"quoted\" title: yes""#
        );
    }
}
