//! The seed-shaped fixture (an IT use and an e-safety policy written from the structure of real
//! ones): duties, prohibitions, lead-ins and inline duties on the role pages, the matrix and its
//! CSV; and the checks and errors around them.

mod common;

use std::path::Path;

use common::*;

const FIXTURE: &str = "tests/fixtures/seed-shaped";

/// A copy of the fixture in a temporary folder, so tests can build it and change it.
fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in read_tree(&repo_root().join(FIXTURE)) {
        write(dir.path(), &path, &String::from_utf8(bytes).unwrap());
    }
    dir
}

fn built() -> TempDir {
    let dir = fixture();
    run_ok(dir.path(), &["build"]);
    dir
}

fn page(dir: &TempDir, path: &str) -> scraper::Html {
    html(&dir.path().join("build/site").join(path))
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

/// Replaces `from` (which must be there) with `to` in a file of the project.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn check_lines(dir: &Path) -> (bool, Vec<String>) {
    let out = run(dir, &["--message-format", "short", "check"]);
    let lines = stderr(&out).lines().map(str::to_owned).collect();
    (out.status.success(), lines)
}

/// The element right after `el`.
fn next_element<'a>(el: &scraper::ElementRef<'a>) -> scraper::ElementRef<'a> {
    el.next_siblings()
        .find_map(scraper::ElementRef::wrap)
        .expect("an element after it")
}

#[test]
fn the_fixture_checks_without_warnings() {
    let dir = fixture();
    let (ok, lines) = check_lines(dir.path());
    assert!(ok, "{lines:?}");
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn role_pages_group_duties_by_section_with_prohibitions_and_lead_ins() {
    let dir = built();
    let staff = page(&dir, "roles/staff/index.html");
    let doc_text = text(&select(&staff, "main")[0]);
    assert!(!doc_text.contains("Section:"), "{doc_text}");
    // Each section once, in policy order (E-Safety before Safe and Acceptable Use).
    assert_eq!(
        texts(&staff, "h4.duty-section"),
        [
            "2.1 Communicating with learners",
            "2.2 Inappropriate images",
            "All staff",
            "Staff obligations",
            "Good practice online",
            "Do not",
            "Staff conduct",
        ]
    );
    assert_eq!(texts(&staff, "#policy-e-safety ~ h4.duty-section").len(), 3);
    // Prohibitions are lists of their own, labelled "Must not" in words.
    let must_not: Vec<Vec<String>> = select(&staff, "ul.duties.must-not")
        .iter()
        .map(|ul| {
            ul.select(&scraper::Selector::parse("li").unwrap())
                .map(|li| text(&li))
                .collect()
        })
        .collect();
    assert_eq!(must_not.len(), 4, "{must_not:?}");
    assert_eq!(
        must_not[1],
        [
            "Use Trust equipment to view, store or send adult content.",
            "Leave learners where they might see unsuitable images or links."
        ]
    );
    assert_eq!(texts(&staff, "p.duty-kind").len(), 4);
    assert!(
        texts(&staff, "p.duty-kind")
            .iter()
            .all(|t| t == "Must not:")
    );
    // The lead-in travels with its items: the fragments read as one sentence.
    let lead_ins = select(&staff, ".lead-in");
    let comments = lead_ins
        .iter()
        .find(|l| text(l).starts_with("Staff must not post comments"))
        .expect("the lead-in of the comments list");
    assert_eq!(
        text(comments),
        "Staff must not post comments or any other content on a public website, forum or social network:"
    );
    let items = next_element(comments);
    assert_eq!(items.value().attr("class"), Some("duties must-not"));
    let fragments: Vec<String> = items
        .select(&scraper::Selector::parse("li").unwrap())
        .map(|li| text(&li))
        .collect();
    assert_eq!(
        fragments,
        [
            "that criticise the Trust, colleagues, learners or employers without foundation;",
            "that breach our Equality and Diversity Policy or Code of Conduct;",
            "that encourage or make light of breaking the law."
        ]
    );
    // A lead-in is shown once, however many items follow it.
    assert_eq!(
        lead_ins
            .iter()
            .filter(|l| text(l).starts_with("Staff must not post"))
            .count(),
        1
    );
    // Lists marked as no duties, and prose, stay off the role pages.
    for absent in [
        "suddenly hides their screen",
        "brand guide",
        "Conduct: things we do",
    ] {
        assert!(!doc_text.contains(absent), "{absent}");
    }
    let learners = page(&dir, "roles/learners/index.html");
    assert!(!text(&select(&learners, "main")[0]).contains("fake prize"));
    assert_eq!(
        texts(&learners, "#policy-it-use ~ h4.duty-section"),
        [
            "Learner obligations",
            "Good practice online",
            "Do not",
            "What learners must not post"
        ]
    );
}

#[test]
fn one_duty_is_attached_inline_without_inventing_a_heading() {
    let dir = built();
    let ceo = page(&dir, "roles/ceo/index.html");
    assert_eq!(
        texts(&ceo, "#policy-it-use ~ h4.duty-section"),
        ["3. Understanding the risks", "Official accounts"]
    );
    assert_eq!(
        texts(&ceo, "#policy-it-use ~ ul.duties li"),
        [
            "The Chief Executive reviews this list of risks with the Online Safety Lead every spring.",
            "The Chief Executive approves each new official account before it goes live."
        ]
    );
    let links: Vec<&str> = select(&ceo, "h4.duty-section a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "../../policies/e-safety/index.html#the-chief-executive",
            "../../policies/it-use/index.html#3-understanding-the-risks",
            "../../policies/it-use/index.html#official-accounts",
        ]
    );
    // An inline duty on a list item, and a paragraph duty in a prohibition section.
    let tutors = page(&dir, "roles/tutors/index.html");
    assert_eq!(
        texts(&tutors, "#policy-it-use ~ ul.duties")[0],
        "Tutors use their Trust e-mail address, not a personal one, to contact learners and employers."
    );
    let dsl = page(&dir, "roles/dsl/index.html");
    assert_eq!(
        select(&dsl, "ul.must-not").len(),
        4,
        "inherited from all staff"
    );
    assert_eq!(
        texts(
            &dsl,
            "#policy-e-safety ~ h3.duty-origin + h4 + ul.duties li"
        ),
        [
            "If unsuitable material involving a child is found, the Designated Safeguarding Lead contacts the police and the local authority the same day."
        ],
        "a paragraph duty under a prohibition heading names its own role and is a duty to do"
    );
    // On the policy page the text stays, the markers go.
    let it_use = page(&dir, "policies/it-use/index.html");
    let body = select(&it_use, "main")[0].html();
    assert!(!body.contains("{role") && !body.contains("must-not}") && !body.contains("{no-duties"));
    assert!(
        body.contains("goes live.</p>"),
        "the paragraph stays a paragraph"
    );
    let applies: Vec<String> = texts(&it_use, ".applies-to li");
    assert!(
        applies.contains(&"All staff 9 duties 6 must not".to_owned()),
        "{applies:?}"
    );
}

#[test]
fn own_duties_are_counted_apart_from_inherited_ones() {
    let dir = built();
    let index = page(&dir, "roles/index.html");
    let rows: Vec<(String, String, String)> = select(&index, "table.role-list tbody tr")
        .iter()
        .map(|tr| {
            let cell = |css| {
                text(
                    &tr.select(&scraper::Selector::parse(css).unwrap())
                        .next()
                        .unwrap(),
                )
            };
            (
                cell("th a"),
                cell("td[data-label='Own duties']"),
                cell("td[data-label=Inherited]"),
            )
        })
        .collect();
    let row = |title: &str| rows.iter().find(|r| r.0 == title).unwrap().clone();
    assert_eq!(
        row("All staff"),
        ("All staff".into(), "27 (11 must not)".into(), "0".into())
    );
    assert_eq!(
        row("Tutors and assessors"),
        ("Tutors and assessors".into(), "1".into(), "27".into())
    );
    assert_eq!(
        row("Chief Executive"),
        ("Chief Executive".into(), "5".into(), "0".into())
    );

    let tutors = page(&dir, "roles/tutors/index.html");
    assert_eq!(
        texts(&tutors, "#policy-it-use ~ h3.duty-origin"),
        ["This role's own duties", "As one of All staff"]
    );
    assert_eq!(
        texts(&tutors, "#policy-e-safety ~ h3.duty-origin")[0],
        "As one of All staff"
    );
    let summary = text(&select(&tutors, "h1 ~ p")[1]);
    assert_eq!(
        summary,
        "1 own duty in 2 policies, and 27 more as one of All staff."
    );
}

#[test]
fn matrix_and_csv_tell_duties_prohibitions_and_inherited_apart() {
    let dir = built();
    let matrix = page(&dir, "matrix/index.html");
    let rows: Vec<Vec<String>> = select(&matrix, "table.matrix tbody tr")
        .iter()
        .map(|tr| {
            tr.select(&scraper::Selector::parse("td").unwrap())
                .map(|td| text(&td))
                .collect()
        })
        .collect();
    assert_eq!(
        rows[1],
        [
            "A Accountable · 2 duties",
            "none",
            "R Responsible · +15 inherited",
            "C Consulted · +15 inherited",
            "+15 inherited",
            "9 duties · 6 must not",
            "1 duty · +15 inherited",
            "6 duties · 6 must not",
            "none",
        ]
    );
    let csv = std::fs::read_to_string(dir.path().join("build/site/matrix.csv")).unwrap();
    assert_eq!(
        csv.trim_start_matches('\u{FEFF}'),
        "Policy,Version,Chief Executive,Board of Trustees,Online Safety Lead,Designated Safeguarding Lead,ICT support,All staff,Tutors and assessors,Learners and apprentices,Parents and carers\r\n\
         E-Safety Policy,3.0,A; 3 duties,I; 2 duties,R; 4 duties; 12 inherited,C; 1 duty; 12 inherited,3 duties; 12 inherited,7 duties; 5 must not,12 inherited,,2 duties\r\n\
         Safe and Acceptable Use of IT Policy,2.0,A; 2 duties,,R; 15 inherited,C; 15 inherited,15 inherited,9 duties; 6 must not,1 duty; 15 inherited,6 duties; 6 must not,\r\n"
    );
}

#[test]
fn check_warns_on_two_accountable_roles_and_a_role_section_without_duties() {
    let dir = fixture();
    edit(
        dir.path(),
        "content/it-use.md",
        "  esafety-lead: R\n",
        "  esafety-lead: RA\n",
    );
    edit(
        dir.path(),
        "content/e-safety.md",
        "### Parents and carers",
        "### Volunteers {role=staff}\n\nVolunteers follow the guidance for staff.\n\n### Parents and carers",
    );
    let (ok, lines) = check_lines(dir.path());
    assert!(ok, "warnings only: {lines:?}");
    assert_eq!(
        lines[..2],
        [
            "content/e-safety.md:117:22: warning: the section \"Volunteers\" names `staff` but gives no duties (help: write the duties as a list (`- ...`) under the heading, or mark a paragraph with `{role=...}`; if the section only describes the role, remove `{role=...}`)",
            "content/it-use.md:40:17: warning: 2 roles are accountable (`A`) for the policy: `ceo`, `esafety-lead` (help: one role answers for the policy: keep `A` on one and make the others `R` (responsible) or `C` (consulted))",
        ]
    );
}

#[test]
fn role_names_with_spaces_are_reported_whole() {
    let dir = fixture();
    edit(
        dir.path(),
        "content/e-safety.md",
        "{role=parents-carers}",
        "{role=Parents and carers}",
    );
    edit(
        dir.path(),
        "content/e-safety.md",
        "{role=ict-support}",
        "{role=ICT Support}",
    );
    edit(
        dir.path(),
        "content/it-use.md",
        "before it goes live. {role=ceo}",
        "before it goes live. {role=chief exec}",
    );
    let (ok, lines) = check_lines(dir.path());
    assert!(!ok);
    assert_eq!(
        lines[..3],
        [
            "content/e-safety.md:108:23: error: role `ICT Support` is not defined (help: write the role's id, not its title: `{role=ict-support}`)",
            "content/e-safety.md:117:30: error: role `Parents and carers` is not defined (help: write the role's id, not its title: `{role=parents-carers}`)",
            "content/it-use.md:120:83: error: role `chief exec` is not defined (help: role ids are lower-case letters, digits and `-` (e.g. `chief-exec`), defined in content/roles.toml; separate several roles with commas)",
        ]
    );
}

#[test]
fn every_unknown_field_is_reported_and_a_broken_policy_raises_no_follow_on_errors() {
    let dir = fixture();
    // A module and an association that name the e-safety policy, which will not load.
    let config = std::fs::read_to_string(dir.path().join("policybook.toml")).unwrap();
    write(
        dir.path(),
        "policybook.toml",
        &format!(
            "{config}\n[[module]]\nid = \"induction\"\ntitle = \"Induction\"\npolicies = [\"it-use\", \"e-safety\"]\naudience = \"staff\"\n"
        ),
    );
    edit(
        dir.path(),
        "content/it-use.md",
        "category: Information and technology\n",
        "category: Information and technology\naudiance: staff\nreviewed: 2026-01-10\nassociated:\n  - e-safety\n",
    );
    let (ok, lines) = check_lines(dir.path());
    assert!(!ok);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("content/it-use.md:13:1: error: unknown field `audiance`, expected one of: id, title, version"), "{lines:?}");
    assert!(
        lines[1].starts_with(
            "content/it-use.md:14:1: error: unknown field `reviewed`, expected one of:"
        ),
        "{lines:?}"
    );
    assert!(lines[2].starts_with("error: 2 errors found"), "{lines:?}");

    // Now the e-safety policy's front matter cannot be read at all.
    edit(
        dir.path(),
        "content/e-safety.md",
        "title: E-Safety Policy",
        "title: [E-Safety",
    );
    let (ok, lines) = check_lines(dir.path());
    assert!(!ok);
    assert!(
        lines[0].starts_with("content/e-safety.md:2:8: error: "),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("unknown field `audiance`")
            && lines[2].contains("unknown field `reviewed`")
    );
    // Not: "module `induction` (or `staff-induction`): no policy has id `e-safety`", "associated
    // policy `e-safety` does not exist", nor "role `trustees` (or `parents-carers`) is not used
    // by any policy".
    assert!(
        !lines.iter().any(|l| l.contains("no policy has id")
            || l.contains("does not exist")
            || l.contains("not used")),
        "{lines:?}"
    );
    assert_eq!(
        lines[3],
        "content/e-safety.md: note: 5 further problems not shown: content/e-safety.md could not be loaded, and those problems may depend on it (help: fix the errors above and run again to check the rest)"
    );
    assert_eq!(
        lines[4],
        "error: 3 errors (5 more not shown: they follow from a policy that did not load) found; nothing was written"
    );
}
