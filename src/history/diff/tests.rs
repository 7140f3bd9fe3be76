use super::*;

/// An invented remote-working policy, as first released.
const OLD: &str = "\
This policy explains how staff of the Harbour Lane Trust work away from the office.

## 1. Purpose

We want remote work to be safe, fair and productive for everyone. It applies to all staff.

## 2. Equipment

The Trust lends each remote worker a laptop and a headset.

| Item | Owner | Replacement |
|------|-------|-------------|
| Laptop | IT desk | Every 4 years |
| Headset | Line manager | On request |

## 3. Working hours

- Core hours are 10:00 to 15:00.
- Take breaks away from the screen.
- Overtime needs written approval.

## 4. Passwords

Use a password manager for every work account.

## 5. Home office allowance

The Trust pays a monthly allowance towards heating and broadband.

## 6. Wellbeing

- Log off at the end of your working day.
- Tell your manager if you feel isolated.
";

/// The next release: section 3 added (so later ones renumbered), a sentence reworded, a table
/// cell changed, a list item moved to another section, the allowance section dropped.
const NEW: &str = "\
This policy explains how staff of the Harbour Lane Trust work away from the office.

## 1. Purpose

We want remote work to be safe, fair and sustainable for everyone. It applies to all staff.

## 2. Equipment

The Trust lends each remote worker a laptop and a headset.

| Item | Owner | Replacement |
|------|-------|-------------|
| Laptop | IT desk | Every 5 years |
| Headset | Line manager | On request |

## 3. Data on personal devices

Never store Trust files on a personal phone or tablet.

## 4. Working hours

- Core hours are 10:00 to 15:00.
- Overtime needs written approval.

## 5. Passwords

Use a password manager for every work account.

## 6. Wellbeing

- Log off at the end of your working day.
- Take breaks away from the screen.
- Tell your manager if you feel isolated.
";

const HIDDEN_DELETED: &str = r#"<span class="visually-hidden">[Deleted: </span>"#;
const HIDDEN_ADDED: &str = r#"<span class="visually-hidden">[Added: </span>"#;
const HIDDEN_END: &str = r#"<span class="visually-hidden">]</span>"#;

fn del(text: &str) -> String {
    format!("<del>{HIDDEN_DELETED}{text}{HIDDEN_END}</del>")
}

fn ins(text: &str) -> String {
    format!("<ins>{HIDDEN_ADDED}{text}{HIDDEN_END}</ins>")
}

fn section<'a>(redline: &'a Redline, title: &str) -> &'a SectionDiff {
    (redline.sections.iter())
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no section {title:?} in {redline:#?}"))
}

fn statuses(redline: &Redline) -> Vec<(&str, SectionStatus)> {
    (redline.sections.iter())
        .map(|s| (s.title.as_str(), s.status))
        .collect()
}

#[test]
fn sections_get_their_status_in_the_new_order() {
    use SectionStatus::*;
    let redline = redline(OLD, NEW);
    assert_eq!(
        statuses(&redline),
        [
            ("", Unchanged),
            ("1. Purpose", Changed),
            ("2. Equipment", Changed),
            ("3. Data on personal devices", Added),
            ("4. Working hours", Changed),
            ("5. Passwords", Unchanged),
            // Where it stood in the old text: after Passwords.
            ("5. Home office allowance", Removed),
            ("6. Wellbeing", Changed),
        ]
    );
    let counts = (
        redline.added,
        redline.removed,
        redline.changed,
        redline.unchanged,
    );
    assert_eq!(counts, (1, 1, 4, 2));
    assert_eq!(
        redline.added + redline.removed + redline.changed + redline.unchanged,
        redline.sections.len()
    );
}

#[test]
fn anchors_and_levels_are_the_policy_pages() {
    let redline = redline(OLD, NEW);
    let anchors: Vec<(&str, u8)> = (redline.sections.iter())
        .map(|s| (s.anchor.as_str(), s.level))
        .collect();
    assert_eq!(
        anchors,
        [
            ("", 0),
            ("1-purpose", 2),
            ("2-equipment", 2),
            ("3-data-on-personal-devices", 2),
            ("4-working-hours", 2),
            ("5-passwords", 2),
            ("5-home-office-allowance", 2),
            ("6-wellbeing", 2),
        ]
    );
    let page = crate::markdown::render(NEW, 1);
    for heading in &page.headings {
        assert!(page.html.contains(&format!(r#"id="{}""#, heading.anchor)));
        assert!(redline.sections.iter().any(|s| s.anchor == heading.anchor));
    }
}

#[test]
fn a_renumbered_section_keeps_its_old_title_and_stays_unchanged() {
    let redline = redline(OLD, NEW);
    let passwords = section(&redline, "5. Passwords");
    assert_eq!(passwords.status, SectionStatus::Unchanged);
    assert_eq!(passwords.old_title.as_deref(), Some("4. Passwords"));
    assert_eq!(
        passwords.title_html,
        format!("{} Passwords", del("4.") + &ins("5."))
    );
    assert_eq!(
        passwords.html,
        "<p>Use a password manager for every work account.</p>\n"
    );
    // Unchanged titles carry no old title and no marks.
    let purpose = section(&redline, "1. Purpose");
    assert_eq!(purpose.old_title, None);
    assert_eq!(purpose.title_html, "1. Purpose");
}

#[test]
fn a_reworded_sentence_marks_only_the_changed_words() {
    let redline = redline(OLD, NEW);
    assert_eq!(
        section(&redline, "1. Purpose").html,
        format!(
            "<p class=\"block-changed\">We want remote work to be safe, fair and {}{} for \
             everyone. It applies to all staff.</p>\n",
            del("productive"),
            ins("sustainable")
        )
    );
}

#[test]
fn a_changed_table_cell_is_marked_inside_its_cell() {
    let html = section(&redline(OLD, NEW), "2. Equipment").html.clone();
    let changed_row = format!(
        "<tr class=\"block-changed\"><td>Laptop</td><td>IT desk</td><td>Every {}{} years</td></tr>",
        del("4"),
        ins("5")
    );
    assert!(html.contains(&changed_row), "{html}");
    assert!(html.contains(
        "<thead>\n<tr><th>Item</th><th>Owner</th><th>Replacement</th></tr>\n</thead>\n<tbody>\n"
    ));
    assert!(html.contains("<tr><td>Headset</td><td>Line manager</td><td>On request</td></tr>"));
    assert!(html.starts_with(
        "<p>The Trust lends each remote worker a laptop and a headset.</p>\n<div class=\"table-scroll\""
    ));
    assert!(html.ends_with("</tbody>\n</table></div>\n"), "{html}");
}

#[test]
fn a_moved_list_item_is_marked_moved_at_both_ends() {
    let redline = redline(OLD, NEW);
    let hours = &section(&redline, "4. Working hours").html;
    assert_eq!(
        hours,
        &format!(
            "<ul>\n<li>Core hours are 10:00 to 15:00.</li>\n<li class=\"block-moved-away\">\
             <del class=\"moved\"><span class=\"visually-hidden\">[Moved away: </span>Take breaks \
             away from the screen.{HIDDEN_END}</del> <span class=\"move-note\">(moved to \
             “6. Wellbeing”)</span></li>\n<li>Overtime needs written approval.</li>\n</ul>\n"
        )
    );
    let wellbeing = &section(&redline, "6. Wellbeing").html;
    assert!(
        wellbeing.contains(&format!(
            "<li class=\"block-moved-here\"><ins class=\"moved\"><span class=\"visually-hidden\">\
             [Moved here: </span>Take breaks away from the screen.{HIDDEN_END}</ins> <span \
             class=\"move-note\">(moved from “4. Working hours”)</span></li>"
        )),
        "{wellbeing}"
    );
    // Not also a plain deletion and insertion.
    for html in [hours, wellbeing] {
        assert!(!html.contains("<del><span"), "{html}");
        assert!(!html.contains("<ins><span"), "{html}");
    }
}

#[test]
fn added_and_removed_sections_mark_all_their_blocks() {
    let redline = redline(OLD, NEW);
    assert_eq!(
        section(&redline, "3. Data on personal devices").html,
        format!(
            "<p class=\"block-added\">{}</p>\n",
            ins("Never store Trust files on a personal phone or tablet.")
        )
    );
    let removed = section(&redline, "5. Home office allowance");
    assert_eq!(removed.anchor, "5-home-office-allowance");
    assert_eq!(
        removed.html,
        format!(
            "<p class=\"block-removed\">{}</p>\n",
            del("The Trust pays a monthly allowance towards heating and broadband.")
        )
    );
}

#[test]
fn unchanged_sections_keep_their_content() {
    let redline = redline(OLD, NEW);
    assert_eq!(
        redline.sections[0].html,
        "<p>This policy explains how staff of the Harbour Lane Trust work away from the office.</p>\n"
    );
    assert_eq!(redline.sections[0].title, "");
}

#[test]
fn identical_texts_are_all_unchanged() {
    let redline = redline(NEW, NEW);
    assert!(
        (redline.sections.iter())
            .all(|s| s.status == SectionStatus::Unchanged && s.old_title.is_none())
    );
    assert_eq!(redline.unchanged, 7);
    assert_eq!((redline.added, redline.removed, redline.changed), (0, 0, 0));
    let all_html: String = redline.sections.iter().map(|s| s.html.as_str()).collect();
    assert!(!all_html.contains("<ins") && !all_html.contains("<del"));
    assert!(all_html.contains("<li>Take breaks away from the screen.</li>"));
    assert!(all_html.contains("<td>Every 5 years</td>"));
}

#[test]
fn empty_texts_work() {
    let nothing = redline("", "");
    assert!(nothing.sections.is_empty());
    assert_eq!(
        (
            nothing.added,
            nothing.removed,
            nothing.changed,
            nothing.unchanged
        ),
        (0, 0, 0, 0)
    );
    let first = redline("", "Just one line.\n");
    assert_eq!(statuses(&first), [("", SectionStatus::Added)]);
    assert_eq!(
        first.sections[0].html,
        format!("<p class=\"block-added\">{}</p>\n", ins("Just one line."))
    );
    let gone = redline("## Only\n\nText.\n", "   \n");
    assert_eq!(statuses(&gone), [("Only", SectionStatus::Removed)]);
}

#[test]
fn everything_is_escaped() {
    let old = "## Tags & <b>text</b>\n\nUse `<script>alert(1)</script>` & R&D tools.\n\n\
               <div onclick=\"x()\">Raw <em>block</em></div>\n\n| a<b | c |\n|---|---|\n| d | e |\n";
    let new = "## Tags & <b>text</b>\n\nUse `<script>alert(2)</script>` & R&D kit.\n\n\
               <div onclick=\"y()\">Raw <em>block</em> too</div>\n\n| a<b | c |\n|---|---|\n| d | \"e\" |\n";
    let redline = redline(old, new);
    let section = &redline.sections[0];
    assert_eq!(section.title, "Tags & text");
    assert_eq!(section.title_html, "Tags &amp; text");
    let html = &section.html;
    assert!(html.contains("Use "), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("&amp; R&amp;D"), "{html}");
    assert!(!html.contains("<script") && !html.contains("onclick") && !html.contains("<em>"));
    assert!(html.contains("Raw block"), "{html}");
    assert!(html.contains("<th>a&lt;b</th>"), "{html}");
    // Only the markup the redline writes itself.
    let tags = [
        "p", "ins", "del", "span", "div", "table", "thead", "tbody", "tr", "th", "td",
    ];
    for tag in html.split('<').skip(1).map(|t| t.trim_start_matches('/')) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        assert!(tags.contains(&name.as_str()), "<{tag} in {html}");
    }
}

#[test]
fn a_reworded_heading_over_the_same_text_is_one_section() {
    let body = "Staff may claim travel costs for trips booked through the approved agency, \
                including rail fares, taxis after 22:00 and one hotel night per day away.";
    let old = format!("## Travel\n\n{body}\n\n## Gifts\n\nDeclare every gift.\n");
    let new =
        format!("## Business travel and expenses\n\n{body}\n\n## Gifts\n\nDeclare every gift.\n");
    let redline = redline(&old, &new);
    assert_eq!(
        statuses(&redline),
        [
            ("Business travel and expenses", SectionStatus::Changed),
            ("Gifts", SectionStatus::Unchanged)
        ]
    );
    let travel = &redline.sections[0];
    assert_eq!(travel.old_title.as_deref(), Some("Travel"));
    assert_eq!(travel.anchor, "business-travel-and-expenses");
    assert_eq!(travel.html, format!("<p>{body}</p>\n"));
    assert_eq!(
        travel.title_html,
        format!("{}{}", del("Travel"), ins("Business travel and expenses"))
    );
}

#[test]
fn unrelated_sections_are_not_paired() {
    let redline = redline(
        "## Fire drills\n\nAssemble in the car park.\n",
        "## Visitors\n\nSign in at reception.\n",
    );
    assert_eq!(
        statuses(&redline),
        // Nothing preceded the removed section, so it comes first.
        [
            ("Fire drills", SectionStatus::Removed),
            ("Visitors", SectionStatus::Added)
        ]
    );
}

#[test]
fn a_block_moved_within_a_section_says_so() {
    let old = "## Steps\n\n1. Lock the door.\n2. Switch off the lights.\n3. Set the alarm.\n";
    let new = "## Steps\n\n1. Switch off the lights.\n2. Set the alarm.\n3. Lock the door.\n";
    let html = &redline(old, new).sections[0].html;
    assert!(html.starts_with("<ol>\n<li class=\"block-moved-away\"><del class=\"moved\">"));
    assert!(html.contains("(moved within this section)</span></li>\n<li>Switch off"));
    let arrived = format!(
        "Lock the door.{HIDDEN_END}</ins> <span class=\"move-note\">(moved within this \
         section)</span></li>\n</ol>\n"
    );
    assert!(html.ends_with(&arrived), "{html}");
}

#[test]
fn nested_items_are_their_own_blocks() {
    let old = "- Report incidents\n  - to the duty manager\n  - within one hour\n- Keep records\n";
    let new = "- Report incidents\n  - to the duty manager\n  - within one working hour\n- Keep records\n";
    let html = &redline(old, new).sections[0].html;
    assert_eq!(
        html,
        &format!(
            "<ul>\n<li>Report incidents<ul>\n<li>to the duty manager</li>\n<li class=\"block-changed\">\
             within one {} hour</li>\n</ul>\n</li>\n<li>Keep records</li>\n</ul>\n",
            ins("working")
        )
    );
}

#[test]
fn quotes_code_and_footnotes_are_compared() {
    let old =
        "> Keep it simple.\n\n```\nlet x = 1;\n```\n\nSee the note.[^n]\n\n[^n]: From 2023.\n";
    let new =
        "> Keep it simple.\n\n```\nlet x = 2;\n```\n\nSee the note.[^n]\n\n[^n]: From 2024.\n";
    let html = &redline(old, new).sections[0].html;
    assert!(html.starts_with("<blockquote>\n<p>Keep it simple.</p>\n</blockquote>\n"));
    assert!(html.contains(&format!(
        "<pre class=\"block-changed\"><code>let x = {}{}</code></pre>",
        del("1;"),
        ins("2;")
    )));
    assert!(html.contains("<p>See the note.[n]</p>"), "{html}");
    assert!(html.contains(&format!("[n]: From {}{}</p>", del("2023."), ins("2024."))));
}

#[test]
fn output_is_deterministic() {
    let first = serde_json::to_string(&redline(OLD, NEW)).unwrap();
    let second = serde_json::to_string(&redline(OLD, NEW)).unwrap();
    assert_eq!(first, second);
    assert!(first.contains(r#""status":"removed""#));
}

#[test]
fn odd_and_large_inputs_do_not_panic() {
    let many_headings: String = (0..3000)
        .map(|i| format!("## Part {i}\n\nText {i}.\n\n"))
        .collect();
    let reworded: String = (0..3000)
        .map(|i| format!("## Chapter {}\n\nText {i} changed.\n\n", i * 7 % 3001))
        .collect();
    let huge_paragraph = "word ".repeat(60_000);
    let other_paragraph = "other ".repeat(60_000);
    let odd = [
        "```\nunclosed fence",
        "<!-- never closed\n\n## Hidden?",
        "- a\n      - b\n            - c\n- > quoted item\n  > ## heading in a quote",
        "| a |\n|---|\n| b | extra | cells |\n\n|x|\n|-|",
        "[^x]\n\n[^x]: \n\n[^y]: only a note",
        "#\n\n##\n\n# {#}\n\n## {#main}\n\n## {#main}",
        "\u{0}\u{feff}\r\n\r\n* \r\n",
        &"> ".repeat(200),
        &"- ".repeat(200),
    ];
    let _ = redline(&many_headings, &reworded);
    let _ = redline(&many_headings, "");
    let big = redline(&huge_paragraph, &other_paragraph);
    assert_eq!(big.changed, 1);
    for a in odd {
        for b in odd {
            let redline = redline(a, b);
            assert_eq!(
                redline.added + redline.removed + redline.changed + redline.unchanged,
                redline.sections.len()
            );
            for s in &redline.sections {
                balanced(&s.html);
            }
        }
    }
}

/// Every element the redline opens, it closes.
fn balanced(html: &str) {
    for tag in [
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "blockquote",
        "p",
        "pre",
    ] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(opened, closed, "<{tag}> in {html}");
    }
}

mod fuzz {
    use proptest::prelude::*;

    /// Markdown-ish text from the characters and line starts Markdown gives meaning to.
    fn markdown() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            Just("## ".to_owned()),
            Just("- ".to_owned()),
            Just("1. ".to_owned()),
            Just("> ".to_owned()),
            Just("| a | b |".to_owned()),
            Just("|---|---|".to_owned()),
            Just("```".to_owned()),
            Just("    ".to_owned()),
            "[a-c <>&|*`#\\[\\]^:-]{0,12}",
        ];
        proptest::collection::vec(line, 0..24).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_markdown_gives_a_consistent_redline(old in markdown(), new in markdown()) {
            let redline = super::redline(&old, &new);
            prop_assert_eq!(
                redline.added + redline.removed + redline.changed + redline.unchanged,
                redline.sections.len()
            );
            for s in &redline.sections {
                super::balanced(&s.html);
                prop_assert!(!s.html.contains("<script"));
            }
            let same = super::redline(&new, &new);
            prop_assert_eq!(same.unchanged, same.sections.len());
        }
    }
}

#[test]
fn marks_hold_words_not_the_spaces_around_them() {
    use words::{Segment::*, changes};
    let same = |s: &str| Same(s.to_owned());
    assert_eq!(
        changes("a b c", "a x y c"),
        [
            same("a "),
            Deleted("b".into()),
            Inserted("x y".into()),
            same(" c")
        ]
    );
    assert_eq!(
        changes("a  b", "a b"),
        [
            same("a"),
            Deleted("  ".into()),
            Inserted(" ".into()),
            same("b")
        ]
    );
    assert_eq!(
        changes(" ", " x "),
        [same(" "), Inserted("x".into()), same(" ")]
    );
    assert_eq!(changes("", ""), []);
}
