//! Invalid projects: each problem is reported with file, line, column and what to fix, the
//! command exits 1, and nothing is written.

mod common;

use common::*;

/// Runs `check` on a project with one bad policy next to a good one; returns the short-format
/// diagnostics for the bad file.
fn problems(bad: &str) -> Vec<String> {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/good.md", &policy("Good Policy", "")),
        ("content/bad.md", bad),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert!(
        !dir.path().join("build").exists(),
        "check must write nothing"
    );
    lines
        .into_iter()
        .filter(|l| l.starts_with("content/"))
        .collect()
}

fn assert_problems(bad: &str, expected: &[&str]) {
    assert_eq!(problems(bad), expected, "for input:\n{bad}");
}

#[test]
fn malformed_front_matter_line() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\nsummary: Scope: all staff\n---\n",
        &[
            "content/bad.md:4:15: error: mapping values are not allowed in this context (help: fields start at the beginning of a line, and a value containing `: ` must be quoted, e.g. `summary: \"Scope: all staff\"`)",
        ],
    );
    assert_problems(
        "---\ntitle: [unclosed\nversion: \"1\"\n---\n",
        &[
            "content/bad.md:2:8: error: expected text here (help: this field takes text; put it in quotes if it starts with [ { * & ! | > % @ or a quote)",
        ],
    );
}

#[test]
fn missing_or_unclosed_front_matter() {
    assert_problems(
        "# Title\n",
        &[
            "content/bad.md:1:1: error: missing front matter (help: start the file with a line `---`, the fields (`title: ...`, `version: ...`), then another `---` line)",
        ],
    );
    assert_problems(
        "---\ntitle: T\n\n## Body\n",
        &[
            "content/bad.md:1:1: error: front matter is not closed (help: end the front matter with a line containing only `---`)",
        ],
    );
}

#[test]
fn unknown_fields_at_top_level_and_in_revisions() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\nreveiw_due: 2027-01-01\n---\n",
        &[
            "content/bad.md:4:1: error: unknown field `reveiw_due`, expected one of: id, title, version, owner, approved_by, approved, effective, review_due, review_interval, category, summary, associated, revisions, raci, last_reviewed, reviewed_by, published_in, audience, reacknowledge, agreement (help: check the spelling of the field name)",
        ],
    );
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\nreview_due: 2027-01-01\nrevisions:\n  - version: \"1\"\n    approver: X\n---\n",
        &[
            "content/bad.md:7:5: error: unknown field `approver`, expected one of: version, date, author, approved_by, summary (help: check the spelling of the field name)",
        ],
    );
}

#[test]
fn bad_dates_are_all_reported() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\napproved: 12/03/2026\neffective: 2026-02-30\nreview_due: 2027-01-01\nrevisions:\n  - version: \"1\"\n    date: 2026-1-5\n---\n",
        &[
            "content/bad.md:4:11: error: bad date in `approved`: `12/03/2026` is not a date in the form YYYY-MM-DD (help: write dates as YYYY-MM-DD, for example 2026-03-12)",
            "content/bad.md:5:12: error: bad date in `effective`: `2026-02-30` is not a real calendar date (help: write dates as YYYY-MM-DD, for example 2026-03-12)",
            "content/bad.md:9:11: error: bad date in `revisions: date`: `2026-1-5` is not a date in the form YYYY-MM-DD (help: write dates as YYYY-MM-DD, for example 2026-03-12)",
        ],
    );
}

#[test]
fn missing_title_and_version() {
    assert_problems(
        "---\nowner: Someone\nreview_due: 2027-01-01\n---\n",
        &[
            "content/bad.md:1:1: error: missing `title` (help: add a line `title: <the policy's title>` to the front matter)",
            // Without a ledger entry a missing version is a draft, not an error (issue 12).
            "content/bad.md:1:1: warning: no `version`: built as an unversioned draft, which cannot be released (help: add a line such as `version: \"1.0\"` to the front matter)",
        ],
    );
}

#[test]
fn review_date_before_approval() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\napproved: 2026-05-01\nreview_due: 2026-04-01\n---\n",
        &[
            "content/bad.md:5:13: error: review date 2026-04-01 is before the approval date 2026-05-01 (help: a policy is reviewed after it is approved: check both dates)",
        ],
    );
}

#[test]
fn review_interval_problems() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\napproved: 2026-05-01\nreview_interval: yearly\n---\n",
        &[
            "content/bad.md:5:18: error: `yearly` is not a review interval (help: write a number and a unit: `12 months`, `1 year`, `26 weeks` or `90 days`)",
        ],
    );
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\nreview_interval: 12 months\n---\n",
        &[
            "content/bad.md:4:18: error: `review_interval` is counted from `approved`, which is missing (help: add `approved: YYYY-MM-DD`, or give `review_due` instead)",
        ],
    );
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\napproved: 2026-05-01\nreview_due: 2027-05-01\nreview_interval: 12 months\n---\n",
        &[
            "content/bad.md:6:18: error: both `review_due` and `review_interval` are set (help: keep one: a fixed date, or an interval counted from `approved`)",
        ],
    );
}

#[test]
fn duplicate_ids() {
    assert_problems(
        "---\nid: good\ntitle: T\nversion: \"1\"\nreview_due: 2027-01-01\n---\n",
        &[
            "content/bad.md:2:1: error: duplicate id `good`: content/good.md already uses it (help: every policy needs its own id: set a different `id:` or rename one of the files)",
        ],
    );
}

#[test]
fn invalid_id_from_file_name() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/Our Policy.md", &policy("T", "")),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert_eq!(
        lines[0],
        "content/Our Policy.md:1:1: error: `Our Policy` is not a valid policy id (help: rename the file, or set an id in the front matter, e.g. `id: our-policy`)"
    );
}

#[test]
fn associated_ids_must_exist_free_titles_warn() {
    assert_problems(
        "---\ntitle: T\nversion: \"1\"\nreview_due: 2027-01-01\nassociated:\n  - god\n  - Staff Handbook\n---\n",
        &[
            "content/bad.md:6:5: error: associated policy `god` does not exist (help: did you mean `good`?)",
            "content/bad.md:7:5: warning: associated policy \"Staff Handbook\" is not in content/; it is shown as plain text (help: to link it, use the id of a policy in content/; if it is kept elsewhere, add its title to `external_policies` in policybook.toml)",
        ],
    );
}

#[test]
fn external_policies_in_config_silence_the_free_title_warning() {
    let config = format!("{CONFIG}external_policies = [\"Staff Handbook\"]\n");
    let dir = project(&[
        ("policybook.toml", &config),
        (
            "content/a.md",
            &policy("A", "associated:\n  - Staff Handbook\n"),
        ),
    ]);
    let warnings = run_ok(dir.path(), &["check"]);
    assert!(warnings.is_empty(), "{warnings}");
}

#[test]
fn invalid_utf8_names_the_line() {
    let dir = project(&[("policybook.toml", CONFIG)]);
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/bad.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert_eq!(
        lines[0],
        "content/bad.md:2:11: error: the file is not valid UTF-8 (help: save the file as UTF-8 (in Word or Notepad: Save As → Encoding: UTF-8))"
    );
}

#[test]
fn human_format_shows_the_line_and_a_caret() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        (
            "content/bad.md",
            "---\ntitle: T\nversion: \"1\"\napproved: 2026-13-01\n---\n",
        ),
    ]);
    let stderr = run_err(dir.path(), &["check"]).join("\n");
    let expected = "error: bad date in `approved`: `2026-13-01` is not a real calendar date\n --> content/bad.md:4:11\n  |\n4 | approved: 2026-13-01\n  |           ^\n  |\n  = help: write dates as YYYY-MM-DD, for example 2026-03-12";
    assert!(stderr.contains(expected), "{stderr}");
    assert!(
        stderr.ends_with("error: 1 error and 1 warning found; nothing was written"),
        "{stderr}"
    );
}

#[test]
fn check_reports_all_problems_across_files_at_once() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", "---\ntitle: A\n---\n"),
        (
            "content/sub/b.md",
            "---\ntitle: B\nversion: \"1\"\napproved: soon\n---\n",
        ),
        ("content/c.md", "no front matter\n"),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    let files: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.starts_with("content"))
        .collect();
    assert_eq!(
        files,
        [
            "content/a.md",
            "content/a.md",
            "content/c.md",
            "content/sub/b.md",
            "content/sub/b.md"
        ],
        "{lines:?}"
    );
}

#[test]
fn config_errors() {
    let dir = project(&[
        (
            "policybook.toml",
            "organisation = \"T\"\ntheme = \"default\"\nreview_window = 30\n",
        ),
        ("content/a.md", &policy("A", "")),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert_eq!(
        lines[0],
        "policybook.toml:3:1: error: unknown field `review_window`, expected one of `organisation`, `title`, `base_url`, `theme`, `review_warning_days`, `external_policies`, `module`, `audience`, `sign_key`, `today`, `pdf`, `review_interval` (help: known keys: organisation, title, base_url, theme, review_warning_days, review_interval, external_policies, sign_key, today, pdf, and [[module]] and [[audience]] tables)"
    );

    let dir = project(&[("content/a.md", &policy("A", ""))]);
    let lines = run_err(dir.path(), &["check"]);
    assert!(
        lines[0].starts_with("error: no policybook.toml in ."),
        "{lines:?}"
    );

    let dir = project(&[(
        "policybook.toml",
        "organisation = \"T\"\ntheme = \"../x\"\n",
    )]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert!(
        lines[0].starts_with("policybook.toml:2:1: error: invalid theme name `../x`"),
        "{lines:?}"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let before = read_tree(&dir.path().join("build"));
    assert!(before.contains_key("site/policies/a/index.html"));

    write(
        dir.path(),
        "content/b.md",
        "---\ntitle: B\nversion: \"1\"\napproved: 2026-01-01\nreview_due: 2026-01-01\nowner: [x\n---\n",
    );
    let lines = run_err(dir.path(), &["--message-format", "short", "build"]);
    assert!(
        lines[0].starts_with("content/b.md:6:8: error: expected text here"),
        "{lines:?}"
    );
    assert_eq!(
        read_tree(&dir.path().join("build")),
        before,
        "the old build changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().starts_with(".build.partial")),
        "{leftovers:?}"
    );
}

#[test]
fn a_broken_template_fails_the_build_and_keeps_the_old_output() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let before = read_tree(&dir.path().join("build"));
    write(
        dir.path(),
        "themes/default/templates/policy.html",
        "{% extends \"base.html\" %}{% block main %}{{ policy.title | nosuchfilter }}{% endblock main %}",
    );
    let lines = run_err(dir.path(), &["build"]);
    assert!(lines.last().unwrap().contains("nosuchfilter"), "{lines:?}");
    assert_eq!(read_tree(&dir.path().join("build")), before);
}

#[test]
fn a_review_interval_in_the_config_is_checked_where_it_is_written() {
    let dir = project(&[
        (
            "policybook.toml",
            "organisation = \"T\"\nreview_interval = \"12 monhts\"\n",
        ),
        ("content/a.md", &policy("A", "")),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert!(
        lines[0].starts_with("policybook.toml:2:1: error: `review_interval`: "),
        "{lines:?}"
    );
    assert!(lines[0].contains("12 months"), "{lines:?}");
}
