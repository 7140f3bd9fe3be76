//! The command line as a new user meets it: init, build, check, flags, themes and safety rails.

mod common;

use common::*;

#[test]
fn init_scaffolds_a_project_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "my policies"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    for file in [
        "policybook.toml",
        "content/acceptable-use.md",
        "content/roles.toml",
        "quizzes/acceptable-use.toml",
    ] {
        assert!(said.contains(file), "{said}");
    }
    // The same two steps as the README, with the folder quoted for the shell.
    assert!(
        said.contains("cd 'my policies'\n  policybook build\n"),
        "{said}"
    );
    let project = tmp.path().join("my policies");
    let config = std::fs::read_to_string(project.join("policybook.toml")).unwrap();
    assert!(!config.contains("example.org/policybook"), "{config}");

    // Built from inside the folder, as it says; every feature shows once, without warnings.
    let built = run(&project, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stderr(&built).is_empty(),
        "a new project should build without warnings: {}",
        stderr(&built)
    );
    let summary = stdout(&built);
    assert!(
        summary.contains("build/site/index.html  the website: open it in a browser"),
        "{summary}"
    );
    for output in [
        "build/scorm/",
        "build/pdf/",
        "build/quizzes/",
        "build/manifest.json",
    ] {
        assert!(summary.contains(output), "{summary}");
    }
    let doc = html(&project.join("build/site/policies/acceptable-use/index.html"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Acceptable Use of IT Policy");
    assert!(
        project
            .join("build/site/quizzes/acceptable-use-quiz/index.html")
            .is_file()
    );
    let packages: Vec<String> = std::fs::read_dir(project.join("build/scorm"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        packages.iter().any(|name| name.starts_with("induction")),
        "the [[module]] example is packaged: {packages:?}"
    );

    // Never over an existing project.
    let lines = run_err(tmp.path(), &["init", "my policies"]);
    assert_eq!(
        lines[0],
        "error: my policies is not empty: choose a new folder for the project"
    );
}

#[test]
fn help_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    let help = stdout(&run(tmp.path(), &["--help"]));
    for command in ["build", "check", "init"] {
        assert!(help.contains(command), "{help}");
    }
    assert!(
        !help.contains("later"),
        "the tool does what it says: {help}"
    );
    let build_help = stdout(&run(tmp.path(), &["build", "--help"]));
    for flag in ["--root", "--out", "--today"] {
        assert!(build_help.contains(flag), "{build_help}");
    }
    let version = stdout(&run(tmp.path(), &["--version"]));
    assert_eq!(
        version.trim(),
        format!("policybook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn review_status_follows_today_flag_and_source_date_epoch() {
    let dir = project(&[
        ("policybook.toml", "organisation = \"T\"\n"),
        ("content/a.md", &policy("A", "")), // approved 2026-01-10, reviewed 12 months later
    ]);
    let status = |args: &[&str], epoch: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"));
        cmd.args(args)
            .current_dir(dir.path())
            .env_remove("SOURCE_DATE_EPOCH");
        if let Some(epoch) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", epoch);
        }
        assert!(cmd.status().unwrap().success());
        let doc = html(&dir.path().join("build/site/index.html"));
        text(&select(&doc, "tbody .status")[0])
    };
    assert_eq!(status(&["build", "--today", "2026-06-01"], None), "Current");
    assert_eq!(
        status(&["build", "--today", "2026-12-01"], None),
        "Review due soon"
    );
    assert_eq!(
        status(&["build", "--today", "2027-01-11"], None),
        "Review overdue"
    );
    // 1798761600 is 2027-01-01T00:00:00Z.
    assert_eq!(status(&["build"], Some("1798761600")), "Review due soon");
    // The flag wins over the environment.
    assert_eq!(
        status(&["build", "--today", "2026-06-01"], Some("1798761600")),
        "Current"
    );

    let bad = run(dir.path(), &["build", "--today", "1 June"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("not a date in the form YYYY-MM-DD"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_project_overrides_single_theme_files() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
        (
            "themes/default/assets/style.css",
            "body { color: rebeccapurple; }\n",
        ),
        ("themes/default/assets/logo.txt", "extra asset\n"),
    ]);
    run_ok(dir.path(), &["build"]);
    let site = dir.path().join("build/site");
    assert_eq!(
        std::fs::read_to_string(site.join("assets/style.css")).unwrap(),
        "body { color: rebeccapurple; }\n"
    );
    assert!(site.join("assets/logo.txt").is_file());
    // Templates not overridden still come from the embedded theme.
    assert_eq!(
        select(&html(&site.join("index.html")), "table.policy-list").len(),
        1
    );

    // A named theme overlays the default one.
    write(
        dir.path(),
        "policybook.toml",
        &format!("{CONFIG}theme = \"house\"\n"),
    );
    write(
        dir.path(),
        "themes/house/templates/index.html",
        "{% extends \"base.html\" %}{% block main %}<h1>House index for {{ site.organisation }}</h1>{% endblock main %}",
    );
    run_ok(dir.path(), &["build"]);
    assert_eq!(
        text(&select(&html(&site.join("index.html")), "h1")[0]),
        "House index for Test Org"
    );
    assert_eq!(
        select(
            &html(&site.join("policies/a/index.html")),
            ".policy-header dl.meta"
        )
        .len(),
        1
    );

    // A template with Tera tags between attributes cannot be minified as a template: the pages
    // it renders are minified instead, and come out intact.
    write(
        dir.path(),
        "themes/house/templates/index.html",
        "{% extends \"base.html\" %}{% block main %}<h1{% if site.title %} class=\"big  title\"{% endif %}>\n  Index   </h1>{% endblock main %}",
    );
    run_ok(dir.path(), &["build"]);
    let raw = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(raw.contains("<h1 class=\"big title\">Index</h1>"), "{raw}");
    write(
        dir.path(),
        "policybook.toml",
        &format!("{CONFIG}theme = \"missing\"\n"),
    );
    let lines = run_err(dir.path(), &["build"]);
    assert!(
        lines[0].starts_with("error: theme `missing` not found"),
        "{lines:?}"
    );
}

#[test]
fn refuses_output_folders_it_did_not_make() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A", "")),
        ("notes/keep.txt", "mine"),
        ("mine/site/index.html", "x"),
        ("mine/thesis.txt", "precious"),
    ]);
    for (out, why) in [
        ("notes", "it exists and was not made by policybook"),
        // A folder that merely has a site/ in it is not policybook's either (review finding H1).
        ("mine", "it exists and was not made by policybook"),
        (".", "it contains the project"),
        ("content/out", "it is inside the project's content/ folder"),
    ] {
        let lines = run_err(dir.path(), &["build", "--out", out]);
        assert!(lines[0].contains(why), "--out {out}: {lines:?}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes/keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine/thesis.txt")).unwrap(),
        "precious"
    );
    // Its own previous output is replaced.
    run_ok(dir.path(), &["build", "--out", "public"]);
    run_ok(dir.path(), &["build", "--out", "public"]);
    assert!(dir.path().join("public/site/index.html").is_file());
}

#[test]
fn metadata_is_escaped_and_markdown_html_is_kept() {
    let dir = project(&[
        (
            "policybook.toml",
            "organisation = \"<b>Org</b>\"\ntoday = 2026-11-26\n",
        ),
        (
            "content/a.md",
            "---\ntitle: \"<script>alert(1)</script> & Co\"\nversion: \"1 <i>\"\nowner: \"\\\"Quoted\\\" <owner>\"\nreview_due: 2027-01-01\nassociated:\n  - \"<img src=x onerror=alert(1)>\"\n---\n\n## Section\n\n<kbd>Ctrl</kbd> is the policy's own HTML.\n",
        ),
    ]);
    run_ok(dir.path(), &["build"]);
    // Parsed as a browser would: no element came from metadata, only text.
    for page in ["build/site/index.html", "build/site/policies/a/index.html"] {
        let doc = html(&dir.path().join(page));
        // (The page's own receipt script has a src; no inline script may appear.)
        for tag in ["script:not([src])", "b", "img", "i"] {
            assert!(
                select(&doc, tag).is_empty(),
                "{page}: metadata became a <{tag}> element"
            );
        }
        assert!(
            text(&select(&doc, "title")[0]).ends_with("· <b>Org</b>"),
            "{page}"
        );
    }
    let doc = html(&dir.path().join("build/site/policies/a/index.html"));
    assert_eq!(
        text(&select(&doc, "h1")[0]),
        "<script>alert(1)</script> & Co"
    );
    assert_eq!(text(&select(&doc, ".policy-body kbd")[0]), "Ctrl");
}

#[test]
fn nested_folders_hidden_files_and_crlf_sources() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        (
            "content/hr/leave.md",
            &policy("Leave", "category: HR\n").replace('\n', "\r\n"),
        ),
        ("content/_drafts/draft.md", "not a policy"),
        ("content/.notes.md", "not a policy"),
        ("content/README.txt", "ignored"),
    ]);
    run_ok(dir.path(), &["build"]);
    let site = read_tree(&dir.path().join("build/site"));
    let pages: Vec<&String> = site.keys().filter(|k| k.starts_with("policies/")).collect();
    assert_eq!(
        pages,
        ["policies/leave/form.html", "policies/leave/index.html"]
    );
    // CRLF and LF sources have the same digest.
    let lf =
        policybook::digest::content_digest(policy("Leave", "category: HR\n").as_bytes()).unwrap();
    let doc = html(&dir.path().join("build/site/policies/leave/index.html"));
    assert!(text(&select(&doc, ".digest-full code")[0]).contains(&lf));
}

#[test]
fn new_starts_a_policy_that_builds_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["init", "p"]);
    let project = tmp.path().join("p");
    std::fs::write(
        project.join("policybook.toml"),
        std::fs::read_to_string(project.join("policybook.toml"))
            .unwrap()
            .replace(
                "review_interval = \"12 months\"",
                "review_interval = \"2 years\"",
            ),
    )
    .unwrap();
    let out = run(
        &project,
        &[
            "new",
            "Lone Working: \"Out & About\" Policy",
            "--owner",
            "Head of Operations",
            "--category",
            "Health and safety",
            "--quiz",
            "--today",
            "2026-12-03",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("Created policy `lone-working-out-about`"),
        "{said}"
    );
    assert!(said.contains("content/lone-working-out-about.md"), "{said}");
    assert!(
        said.contains("quizzes/lone-working-out-about.toml"),
        "{said}"
    );
    let source =
        std::fs::read_to_string(project.join("content/lone-working-out-about.md")).unwrap();
    assert!(
        source.contains("title: \"Lone Working: \\\"Out & About\\\" Policy\"\n"),
        "{source}"
    );
    assert!(source.contains("approved: 2026-12-03\n"), "{source}");
    assert!(source.contains("review_interval: 2 years\n"), "{source}");

    // It checks and builds without a warning, with its sections, owner and next review.
    let warnings = run_ok(&project, &["build", "--today", "2026-12-03"]);
    assert!(warnings.is_empty(), "{warnings}");
    let doc = html(&project.join("build/site/policies/lone-working-out-about/index.html"));
    assert_eq!(
        text(&select(&doc, "h1")[0]),
        "Lone Working: \"Out & About\" Policy"
    );
    let headings: Vec<String> = select(&doc, ".policy-body h2").iter().map(text).collect();
    assert_eq!(headings[0], "1. Purpose");
    assert_eq!(headings.len(), 7, "{headings:?}");
    let meta = text(&select(&doc, "dl.meta")[0]);
    assert!(meta.contains("Head of Operations"), "{meta}");
    assert!(meta.contains("3 December 2028"), "{meta}");
    assert!(
        project
            .join("build/site/quizzes/lone-working-out-about-quiz/index.html")
            .is_file()
    );

    // The same title again is refused, and nothing is overwritten.
    let before = std::fs::read(project.join("content/lone-working-out-about.md")).unwrap();
    let lines = run_err(&project, &["new", "Lone Working: Out & About"]);
    assert_eq!(
        lines[0],
        "error: content/lone-working-out-about.md already has the id `lone-working-out-about`: choose another title, or give an id with --id"
    );
    assert_eq!(
        std::fs::read(project.join("content/lone-working-out-about.md")).unwrap(),
        before
    );
    // An id set in another file's front matter counts too.
    write(
        &project,
        "content/guests.md",
        &policy("Guests", "id: visitors\n"),
    );
    let lines = run_err(&project, &["new", "Visitors Policy"]);
    assert_eq!(
        lines[0],
        "error: content/guests.md already has the id `visitors`: choose another title, or give an id with --id"
    );
    let lines = run_err(&project, &["new", "Lone", "--owner", "Head\u{7f}"]);
    assert!(
        lines[0].contains("--owner takes a name on one line"),
        "{lines:?}"
    );
    let lines = run_err(&project, &["new", "Visitors", "--id", "Visitors Policy"]);
    assert!(
        lines[0].contains("`Visitors Policy` cannot be an id"),
        "{lines:?}"
    );
    let lines = run_err(&project, &["new", "  "]);
    assert!(lines[0].contains("give the policy's title"), "{lines:?}");
}
