//! Roles: the register, inheritance, role pages, the matrix and its CSV, and role errors.

mod common;

use std::collections::BTreeSet;

use common::*;

const ROLES: &str = r#"
[[role]]
id = "director"
title = "Director"
description = "Runs the place."

[[role]]
id = "all-staff"
title = "All staff"
description = "Everyone who works here."
includes = ["trainer"]

[[role]]
id = "trainer"
title = "Trainers"
description = "Teach & assess."
"#;

fn policy_with_duties(title: &str, raci: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nversion: \"2\"\nreview_due: 2027-06-01\n{raci}---\n\n{body}")
}

fn roles_project() -> TempDir {
    project(&[
        ("policybook.toml", CONFIG),
        ("content/roles.toml", ROLES),
        (
            "content/safety.md",
            &policy_with_duties(
                "Safety",
                "raci:\n  director: A\n  trainer: R\n",
                "## 1. Scope\n\nText.\n\n## 2. Responsibilities\n\n### Director {role=director}\n\n- Approve the plan.\n\n### Everyone {role=all-staff}\n\n- Report hazards **at once**.\n- Keep exits clear.\n\n### Trainers {role=trainer}\n\n- Brief learners on day one.\n",
            ),
        ),
        (
            "content/privacy.md",
            &policy_with_duties(
                "Privacy, \"Data\" & You",
                "raci:\n  director: RA\n",
                "## Duties {role=director,trainer}\n\n1. Lock screens.\n",
            ),
        ),
    ])
}

#[test]
fn role_pages_show_own_and_inherited_duties_linked_to_sections() {
    let dir = roles_project();
    run_ok(dir.path(), &["build"]);
    let site = dir.path().join("build/site");

    let index = html(&site.join("roles/index.html"));
    let rows: Vec<(String, String, String)> = select(&index, "table.role-list tbody tr")
        .iter()
        .map(|r| {
            (
                text(&select_in(r, "th a")),
                text(&select_in(r, "td[data-label='Own duties']")),
                text(&select_in(r, "td[data-label=Inherited]")),
            )
        })
        .collect();
    // A role's own duties are counted apart from those it has as one of all staff.
    assert_eq!(
        rows,
        [
            ("Director".into(), "2".into(), "0".into()),
            ("All staff".into(), "2".into(), "0".into()),
            ("Trainers".into(), "2".into(), "2".into())
        ]
    );

    let trainer = html(&site.join("roles/trainer/index.html"));
    assert_eq!(text(&select(&trainer, "h1")[0]), "Trainers");
    let duties: Vec<String> = select(&trainer, "ul.duties > li")
        .iter()
        .map(|li| text(&select_in(li, ".duty")))
        .collect();
    // Grouped by policy title ("Privacy…" before "Safety"), own duties before inherited ones.
    assert_eq!(
        duties,
        [
            "Lock screens.",
            "Brief learners on day one.",
            "Report hazards at once.",
            "Keep exits clear.",
        ]
    );
    let via: Vec<String> = select(&trainer, "h3.via a").iter().map(text).collect();
    assert_eq!(
        via,
        ["All staff"],
        "inherited duties say once where they come from"
    );
    // Each section is named once, linking to it.
    let links: Vec<&str> = select(&trainer, "h4.duty-section > a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "../../policies/privacy/index.html#duties",
            "../../policies/safety/index.html#trainers",
            "../../policies/safety/index.html#everyone",
        ]
    );
    // Each link's anchor exists on the policy page.
    let safety = html(&site.join("policies/safety/index.html"));
    for anchor in ["everyone", "trainers", "director"] {
        assert_eq!(
            select(&safety, &format!("h3#{anchor}")).len(),
            1,
            "{anchor}"
        );
    }
    // The RACI letter for the policy is on the role page.
    assert!(text(&select(&trainer, "#policy-safety ~ .raci-line")[0]).contains("Responsible"));
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    el.select(&scraper::Selector::parse(css).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
}

#[test]
fn matrix_page_and_csv() {
    let dir = roles_project();
    run_ok(dir.path(), &["build"]);
    let site = dir.path().join("build/site");
    let matrix = html(&site.join("matrix/index.html"));
    let header: Vec<String> = select(&matrix, "table.matrix thead th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(header, ["Policy", "Director", "All staff", "Trainers"]);
    let cells: Vec<Vec<String>> = select(&matrix, "table.matrix tbody tr")
        .iter()
        .map(|tr| {
            tr.select(&scraper::Selector::parse("td").unwrap())
                .map(|td| text(&td))
                .collect()
        })
        .collect();
    assert_eq!(
        cells,
        [
            // An empty cell says "none" to screen readers only.
            vec!["RA Responsible, Accountable · 1 duty", "none", "1 duty"],
            vec![
                "A Accountable · 1 duty",
                "2 duties",
                "R Responsible · 1 duty · +2 inherited"
            ],
        ]
    );
    let cell_link = select(&matrix, "table.matrix tbody tr td a")[0]
        .attr("href")
        .unwrap();
    assert_eq!(cell_link, "../roles/director/index.html#policy-privacy");

    let csv = std::fs::read_to_string(site.join("matrix.csv")).unwrap();
    assert!(csv.starts_with('\u{FEFF}'), "BOM for Excel");
    assert_eq!(
        csv.trim_start_matches('\u{FEFF}'),
        "Policy,Version,Director,All staff,Trainers\r\n\"Privacy, \"\"Data\"\" & You\",2,RA; 1 duty,,1 duty\r\nSafety,2,A; 1 duty,2 duties,R; 1 duty; 2 inherited\r\n"
    );
}

#[test]
fn policy_page_lists_the_roles_it_applies_to() {
    let dir = roles_project();
    run_ok(dir.path(), &["build"]);
    let doc = html(&dir.path().join("build/site/policies/safety/index.html"));
    let roles: Vec<String> = select(&doc, ".applies-to li").iter().map(text).collect();
    assert_eq!(
        roles,
        [
            "Director A (Accountable) 1 duty",
            "All staff 2 duties",
            "Trainers R (Responsible) 1 duty"
        ]
    );
    let link = select(&doc, ".applies-to li a")[0].attr("href").unwrap();
    assert_eq!(link, "../../roles/director/index.html");
    // The role attribute does not leak into the HTML as an (invalid) ARIA role.
    assert!(select(&doc, "h3[role]").is_empty());
}

#[test]
fn example_site_has_roles_matrix_and_csv() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().join("build");
    run_ok(&repo_root(), &["build", "--out", out_arg.to_str().unwrap()]);
    let site = out_arg.join("site");
    let register = std::fs::read_to_string(repo_root().join("content/roles.toml")).unwrap();
    let ids: BTreeSet<&str> = register
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(ids.len() >= 5);
    for id in &ids {
        let page = html(&site.join(format!("roles/{id}/index.html")));
        assert!(
            !select(&page, "ul.duties > li").is_empty(),
            "role {id} has no duties in the example"
        );
    }
    assert!(site.join("roles/index.html").is_file());
    assert!(site.join("matrix/index.html").is_file());
    let csv = std::fs::read_to_string(site.join("matrix.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        5,
        "header and one row per example policy"
    );
}

fn check_lines(files: &[(&str, &str)]) -> Vec<String> {
    let mut all = vec![("policybook.toml", CONFIG)];
    all.extend_from_slice(files);
    let dir = project(&all);
    let out = run(dir.path(), &["--message-format", "short", "check"]);
    stderr(&out).lines().map(str::to_owned).collect()
}

#[test]
fn undefined_role_in_heading_fails_with_file_line_and_column() {
    let body = "## 1. Scope\n\n### Managers {role=director,manager}\n\n- Do it.\n";
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/roles.toml", ROLES),
        (
            "content/p.md",
            &policy_with_duties("P", "raci:\n  director: A\n", body),
        ),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "build"]);
    assert_eq!(
        lines[0],
        "content/p.md:11:29: error: role `manager` is not defined (help: define it in content/roles.toml with a `[[role]]` entry (id, title, description))"
    );
    assert!(!dir.path().join("build").exists());

    let lines = check_lines(&[
        ("content/roles.toml", ROLES),
        (
            "content/p.md",
            &policy_with_duties("P", "raci:\n  director: A\n", "## X {role=trainr}\n\n- y\n"),
        ),
    ]);
    assert_eq!(
        lines[0],
        "content/p.md:9:12: error: role `trainr` is not defined (help: did you mean `trainer`? Roles are defined in content/roles.toml)"
    );
}

#[test]
fn raci_errors_and_warnings() {
    let lines = check_lines(&[
        ("content/roles.toml", ROLES),
        (
            "content/p.md",
            &policy_with_duties(
                "P",
                "raci:\n  director: X\n  boss: A\n",
                "## D {role=trainer}\n\n- y\n",
            ),
        ),
    ]);
    assert_eq!(
        lines[..2],
        [
            "content/p.md:6:13: error: `X` is not a RACI letter (role `director`) (help: use R (responsible), A (accountable), C (consulted) or I (informed), or several such as `RA`)",
            "content/p.md:7:9: error: role `boss` in `raci` is not defined (help: define it in content/roles.toml with a `[[role]]` entry (id, title, description))",
        ]
    );
    let lines = check_lines(&[
        ("content/roles.toml", ROLES),
        (
            "content/p.md",
            &policy_with_duties(
                "P",
                "raci:\n  director: R\n",
                "## D {role=all-staff}\n\n- y\n",
            ),
        ),
    ]);
    assert_eq!(
        lines[0],
        "content/p.md:1:1: warning: the policy gives duties to roles but names no accountable role (help: add `raci:` to the front matter with one role marked `A`, e.g. `raci: { managing-director: A }`)"
    );
}

#[test]
fn register_cycles_and_unused_roles() {
    let cyclic = "[[role]]\nid = \"a\"\ntitle = \"A\"\nincludes = [\"b\"]\n\n[[role]]\nid = \"b\"\ntitle = \"B\"\nincludes = [\"a\"]\n";
    let lines = check_lines(&[
        ("content/roles.toml", cyclic),
        ("content/p.md", &policy("P", "")),
    ]);
    assert_eq!(
        lines[0],
        "content/roles.toml:1:1: error: roles include each other in a cycle: a → b → a (help: a role cannot include itself, directly or through other roles: remove one `includes` entry)"
    );

    let lines = check_lines(&[
        ("content/roles.toml", ROLES),
        (
            "content/p.md",
            &policy_with_duties(
                "P",
                "raci:\n  director: A\n",
                "## D {role=director}\n\n- y\n",
            ),
        ),
    ]);
    assert_eq!(
        lines,
        [
            "content/roles.toml:7:1: warning: role `all-staff` is not used by any policy (help: give it duties with a heading such as `## Responsibilities {role=...}`, or remove it)",
            "content/roles.toml:13:1: warning: role `trainer` is not used by any policy (help: give it duties with a heading such as `## Responsibilities {role=...}`, or remove it)",
        ]
    );
}

#[test]
fn init_scaffolds_a_role_register() {
    let tmp = tempfile::tempdir().unwrap();
    run_ok(tmp.path(), &["init", "p"]);
    assert!(tmp.path().join("p/content/roles.toml").is_file());
    let warnings = run_ok(tmp.path(), &["build", "--root", "p", "--out", "p/build"]);
    assert!(warnings.is_empty(), "{warnings}");
    assert!(tmp.path().join("p/build/site/matrix/index.html").is_file());
}
