//! The dashboard for people: a terminal table within 100 columns, and a self-contained HTML
//! page (inline styles, no scripts) that an owner can attach to an e-mail to the board.

use std::fmt::Write;

use super::{Dashboard, PolicyLine, PolicyRef};
use crate::date::Date;
use crate::error::plural;

const TITLE_WIDTH: usize = 46;

/// What a line's state means, in words.
fn state_words(line: &PolicyLine) -> String {
    match (line.state, line.days) {
        ("overdue", Some(days)) => format!("overdue by {}", plural((-days) as usize, "day")),
        ("due", Some(0)) => "due today".to_owned(),
        ("due", Some(days)) => format!("due in {}", plural(days as usize, "day")),
        ("current", _) => "current".to_owned(),
        _ => "no review date".to_owned(),
    }
}

fn long_date(iso: &Option<String>) -> String {
    iso.as_deref()
        .and_then(|d| Date::parse(d).ok())
        .map(|d| d.long())
        .unwrap_or_else(|| "-".to_owned())
}

/// `text` cut to `width` characters, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

fn headline(d: &Dashboard) -> String {
    format!(
        "{}: {} overdue for review, {} due within {} days, {} current{}{}",
        plural(d.counts.policies, "policy"),
        d.counts.overdue,
        d.counts.due,
        d.within_days,
        d.counts.current,
        if d.counts.not_set > 0 {
            format!(", {} with no review date", d.counts.not_set)
        } else {
            String::new()
        },
        if d.counts.drafts > 0 {
            format!("; {}", plural(d.counts.drafts, "draft"))
        } else {
            String::new()
        },
    )
}

/// The terminal table: every line fits in 100 columns.
pub fn table(d: &Dashboard) -> String {
    let today = long_date(&Some(d.today.clone()));
    let mut out = format!(
        "Review status of {}'s policies on {today}\n",
        d.organisation
    );
    let _ = writeln!(out, "{}\n", headline(d));
    let _ = writeln!(
        out,
        "  {:<TITLE_WIDTH$}  {:<7}  {:<17}  STATUS",
        "POLICY", "VERSION", "NEXT REVIEW"
    );
    for group in &d.owners {
        let _ = writeln!(
            out,
            "{}",
            fit(group.owner.as_deref().unwrap_or("(no owner)"), 98)
        );
        for line in &group.policies {
            let title = format!("{}{}", line.title, if line.draft { " (draft)" } else { "" });
            let _ = writeln!(
                out,
                "  {:<TITLE_WIDTH$}  {:<7}  {:<17}  {}",
                fit(&title, TITLE_WIDTH),
                fit(&line.version, 7),
                long_date(&line.review_due),
                state_words(line)
            );
        }
    }
    list_section(&mut out, "Drafts, not released yet", &d.drafts);
    list_section(&mut out, "Policies without a quiz", &d.without_quiz);
    if !d.roles_without_duties.is_empty() {
        let _ = writeln!(out, "\nRoles without duties in any policy:");
        for role in &d.roles_without_duties {
            let _ = writeln!(
                out,
                "  {}",
                fit(&format!("{} ({})", role.title, role.id), 98)
            );
        }
    }
    if let Some(coverage) = &d.coverage {
        let _ = writeln!(out, "\nAcknowledgements (people on each version):");
        let _ = writeln!(
            out,
            "  {:<TITLE_WIDTH$}  {:<7}  {:>7}  {:>7}  {:>7}",
            "POLICY", "VERSION", "CURRENT", "OLDER", "NONE"
        );
        for row in coverage {
            let _ = writeln!(
                out,
                "  {:<TITLE_WIDTH$}  {:<7}  {:>7}  {:>7}  {:>7}",
                fit(&row.title, TITLE_WIDTH),
                fit(&row.version, 7),
                row.current,
                row.older,
                row.none
            );
        }
    }
    out
}

fn list_section(out: &mut String, heading: &str, policies: &[PolicyRef]) {
    if policies.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{heading}:");
    for p in policies {
        let _ = writeln!(
            out,
            "  {}",
            fit(&format!("{} {} ({})", p.title, p.version, p.id), 98)
        );
    }
}

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:60rem;padding:0 1rem}\
table{border-collapse:collapse;width:100%;margin:0.5rem 0 1.5rem}th,td{text-align:left;padding:0.35rem 0.6rem;border-bottom:1px solid #c9cfd6;vertical-align:top}\
thead th{border-bottom:2px solid #1b1b1b}td.n{text-align:right}caption{text-align:left;font-weight:700;padding:0.5rem 0}\
.overdue{color:#9b1c1f;font-weight:700}.due{color:#6b4200;font-weight:700}.current{color:#0b5d2a}\
@media print{@page{size:A4;margin:16mm}body{margin:0}}";

/// A self-contained page: every value escaped, styles inline, no scripts or links out.
pub fn html(d: &Dashboard) -> String {
    let today = long_date(&Some(d.today.clone()));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Policy review status, {today}: {org}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Policy review status</h1>\n<p>{org}, on {today}. {headline}.</p>\n",
        org = esc(&d.organisation),
        headline = esc(&headline(d)),
    );
    out.push_str("<h2>Reviews by owner</h2>\n");
    for group in &d.owners {
        let owner = esc(group.owner.as_deref().unwrap_or("No owner"));
        let _ = write!(
            out,
            "<table>\n<caption>{owner}</caption>\n<thead><tr><th scope=\"col\">Policy</th>\
             <th scope=\"col\">Version</th><th scope=\"col\">Next review</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n"
        );
        for line in &group.policies {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}{}</th><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                esc(&line.title),
                if line.draft { " (draft)" } else { "" },
                esc(&line.version),
                esc(&long_date(&line.review_due)),
                line.state,
                esc(&state_words(line)),
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    html_list(&mut out, "Drafts, not released yet", &d.drafts);
    html_list(&mut out, "Policies without a quiz", &d.without_quiz);
    if !d.roles_without_duties.is_empty() {
        out.push_str("<h2>Roles without duties in any policy</h2>\n<ul>\n");
        for role in &d.roles_without_duties {
            let _ = writeln!(out, "<li>{}</li>", esc(&role.title));
        }
        out.push_str("</ul>\n");
    }
    if let Some(coverage) = &d.coverage {
        out.push_str(
            "<h2>Acknowledgements</h2>\n<table>\n<caption>People on each version of each policy</caption>\n\
             <thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Version</th><th scope=\"col\">Current version</th>\
             <th scope=\"col\">Older version</th><th scope=\"col\">None</th></tr></thead>\n<tbody>\n",
        );
        for row in coverage {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&row.title),
                esc(&row.version),
                row.current,
                row.older,
                row.none
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn html_list(out: &mut String, heading: &str, policies: &[PolicyRef]) {
    if policies.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>{heading}</h2>\n<ul>");
    for p in policies {
        let _ = writeln!(
            out,
            "<li>{}, version {}</li>",
            esc(&p.title),
            esc(&p.version)
        );
    }
    out.push_str("</ul>\n");
}
