//! `policybook init DIR`: a new project that builds as it is.

use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::output::write_file;

const CONFIG: &str = r#"# policybook configuration. Every key is described in policybook's README, under "Configuration".
organisation = "Example Training Ltd"
title = "All Policies"
# base_url = "https://www.example.org/policies/"
theme = "default"
# Policies whose review date is this close are shown as "review due soon".
review_warning_days = 60
# How often a new policy (`policybook new "Title"`) is reviewed.
review_interval = "12 months"
# Associated policies kept outside this site (shown as plain text, without a warning).
external_policies = ["Data Protection Policy"]

# Every policy is also packaged for Moodle on its own (the policy, its quiz and the
# "I have read and understood" step). A module combines several policies into one activity.
[[module]]
id = "induction"
title = "New starter induction"
policies = ["acceptable-use"]
"#;

const QUIZ: &str = r#"# A quiz on the Acceptable Use of IT Policy: shown on its page and in its SCORM package.
# `see` names the section (its anchor) that explains the answer.
id = "acceptable-use-quiz"
title = "Acceptable Use of IT Policy: check your understanding"
policy = "acceptable-use"
pass_mark = 80

[[question]]
id = "auq-lock-screen"
type = "true-false"
text = "You may leave your screen unlocked if you are only stepping away for a minute."
see = "3-using-our-systems"
answer = false
feedback_true = "No: lock your screen whenever you leave your device, however briefly."
feedback_false = "Right: lock it every time you leave your device."

[[question]]
id = "auq-lost-device"
type = "single"
text = "You think you have lost a work laptop. What do you do?"
see = "3-using-our-systems"
feedback = "Section 3 says to report a lost device straight away."
options = [
  { text = "Report it to the IT service desk straight away", correct = true, feedback = "Right: the sooner IT knows, the sooner they can lock it." },
  { text = "Look for it for a day or two before telling anyone", feedback = "No: report it at once." },
  { text = "Tell a colleague and carry on", feedback = "No: the IT service desk must be told." },
]
"#;

const EXAMPLE_POLICY: &str = r#"---
title: Acceptable Use of IT Policy
version: "1.0"
owner: Head of IT
approved_by: Board of Directors
approved: 2026-01-15
effective: 2026-02-01
review_interval: 12 months
category: IT and systems
summary: How staff and learners may use the organisation's computers, accounts and network.
associated:
  - Data Protection Policy
raci:
  director: A
  head-of-it: R
revisions:
  - version: "1.0"
    date: 2026-01-15
    author: Head of IT
    approved_by: Board of Directors
    summary: First version.
---

## 1. Purpose

This policy explains how our computers, accounts and network may be used, so that everyone
can work safely and the information we hold stays protected.

## 2. Scope

It applies to all staff, volunteers, contractors and learners who use our equipment or
services, on our premises or anywhere else.

## 3. Using our systems

**Do:**

- lock your screen whenever you leave your device;
- keep your password to yourself and use a different one for every service;
- report a lost device or a suspicious message to the IT service desk straight away.

**Do not:**

- install software that IT has not approved;
- store learners' personal data on personal devices or memory sticks;
- use another person's account, even with their permission.

## 4. Responsibilities

### Head of IT {role=head-of-it}

- Keep systems patched and backed up.
- Review this policy every year.

### The Director {role=director}

- Make sure IT has the people and budget to keep systems safe.

### All staff and learners {role=everyone}

- Follow this policy and complete the yearly refresher.

## 5. Agreement

Everyone who uses our systems confirms that they have read and understood this policy.
"#;

const ROLES: &str = r#"# Roles that policies give duties to. In a policy, a heading such as
#   ### Head of IT {role=head-of-it}
# makes each list item under it a duty of that role. A role that `includes` others passes its
# duties on to them.

[[role]]
id = "director"
title = "Director"
description = "Accountable for how the organisation's policies are carried out."

[[role]]
id = "head-of-it"
title = "Head of IT"
description = "Runs the organisation's computers, accounts and network."

[[role]]
id = "everyone"
title = "All staff and learners"
description = "Everyone who uses the organisation's systems."
includes = ["director", "head-of-it"]
"#;

const GITIGNORE: &str = "/build/\n/.build.*\n/.policybook-serve/\n/..policybook-serve.*\n";

/// Creates a project in `dir`, which must be empty or not exist.
pub fn init(dir: &Path) -> Result<Vec<&'static str>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).at_path(dir)?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty: choose a new folder for the project",
                dir.display()
            )));
        }
    }
    let files = [
        ("policybook.toml", CONFIG),
        ("content/acceptable-use.md", EXAMPLE_POLICY),
        ("content/roles.toml", ROLES),
        ("quizzes/acceptable-use.toml", QUIZ),
        (".gitignore", GITIGNORE),
    ];
    for (path, text) in files {
        write_file(&dir.join(path), text.as_bytes())?;
    }
    Ok(files.iter().map(|(path, _)| *path).collect())
}
