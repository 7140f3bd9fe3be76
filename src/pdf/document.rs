//! The Typst source of a policy's PDF and of the register, from plain data. Every value from
//! the project goes through [`markup::text`] or [`markup::string`].

use std::fmt::Write as _;

use super::markup::{string, text};

/// What a policy's PDF shows, gathered from the project by [`super::policy_doc`].
#[derive(Debug)]
pub struct PolicyDoc {
    pub organisation: String,
    pub title: String,
    pub version: String,
    pub summary: Option<String>,
    /// Document control rows, label then value, in the order shown.
    pub control: Vec<(&'static str, String)>,
    pub digest: String,
    /// The document date (approval), as year, month, day; none for a draft without one.
    pub date: Option<(i16, i8, i8)>,
    pub author: Option<String>,
    /// The body as Typst markup (see [`super::markup::body`]).
    pub body: String,
    pub roles: Vec<RoleDuties>,
    pub associated: Vec<String>,
    pub revisions: Vec<[String; 5]>,
    pub agreements: Vec<AgreementForm>,
    /// Who the paper form goes back to.
    pub return_to: String,
}

#[derive(Debug)]
pub struct RoleDuties {
    pub title: String,
    /// "Responsible, Accountable", when the policy gives RACI letters.
    pub raci: Option<String>,
    /// Each duty's text, prohibitions marked.
    pub duties: Vec<String>,
}

#[derive(Debug)]
pub struct AgreementForm {
    /// "For Staff"; empty for everyone.
    pub for_label: String,
    pub statement: String,
    /// The built-in statement: the form adds its usual sentence.
    pub default: bool,
    /// Extra fields: label, and whether it is a checkbox (else a line to write on).
    pub fields: Vec<(String, bool, bool)>,
}

/// One row of the register.
#[derive(Debug)]
pub struct RegisterRow {
    pub title: String,
    pub version: String,
    pub owner: String,
    pub approved: String,
    pub review_due: String,
    pub status: String,
}

/// What the register shows.
#[derive(Debug)]
pub struct RegisterDoc {
    pub organisation: String,
    pub title: String,
    /// The date review status is computed against, long form, and as year, month, day.
    pub as_of: String,
    pub date: (i16, i8, i8),
    /// Categories in order, each with its rows.
    pub categories: Vec<(String, Vec<RegisterRow>)>,
}

/// Page setup shared by both documents: A4, Libertinus Serif, British English, a footer.
fn preamble(out: &mut String, title: &str, author: &str, date: Option<(i16, i8, i8)>, foot: &str) {
    let date = match date {
        Some((y, m, d)) => format!("datetime(year: {y}, month: {m}, day: {d})"),
        None => "none".to_owned(),
    };
    let _ = write!(
        out,
        r#"#set document(title: {title}, author: {author}, date: {date})
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", region: "gb")
#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.4cm), footer: context [
  #set text(size: 8.5pt)
  {foot} #h(1fr) Page #counter(page).display("1 of 1", both: true)
])
#set par(leading: 0.6em, spacing: 0.9em)
#set heading(numbering: none)
#show heading: set block(above: 1.3em, below: 0.7em)
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show raw: set text(font: "DejaVu Sans Mono", size: 8.5pt)
#show link: set text(fill: rgb(26, 74, 128))
#set table(stroke: 0.5pt + luma(150), inset: 5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
"#,
        title = string(title),
        author = string(author),
    );
}

/// The Typst source of a policy's PDF.
pub fn policy_markup(doc: &PolicyDoc) -> String {
    let mut out = String::with_capacity(doc.body.len() + 8192);
    let foot = format!(
        "{} · {} · version {}",
        text(&doc.organisation),
        text(&doc.title),
        text(&doc.version)
    );
    let author = doc.author.as_deref().unwrap_or(&doc.organisation);
    preamble(&mut out, &doc.title, author, doc.date, &foot);

    let _ = writeln!(out, "#text(size: 10pt)[{}]\n", text(&doc.organisation));
    let _ = writeln!(out, "#heading(level: 1)[{}]\n", text(&doc.title));
    if let Some(summary) = &doc.summary {
        let _ = writeln!(out, "#emph[{}]\n", text(summary));
    }
    out.push_str("#heading(level: 2)[Document control]\n\n");
    out.push_str("#table(columns: (auto, 1fr), stroke: none, inset: (x: 0pt, y: 3pt), column-gutter: 12pt,\ntable.header(table.cell(colspan: 2)[]),\n");
    for (label, value) in &doc.control {
        let _ = writeln!(out, "[#strong[{}]], [{}],", text(label), text(value));
    }
    let _ = writeln!(
        out,
        "[#strong[Content digest (SHA-256)]], [#text(size: 7.5pt, font: \"DejaVu Sans Mono\")[{}]],\n)\n",
        text(&doc.digest)
    );

    out.push_str(&doc.body);
    out.push('\n');

    if !doc.roles.is_empty() {
        out.push_str("#heading(level: 2)[Roles and their duties]\n\n");
        for role in &doc.roles {
            let _ = writeln!(out, "#heading(level: 3)[{}]\n", text(&role.title));
            if let Some(raci) = &role.raci {
                let _ = writeln!(out, "{}\n", text(raci));
            }
            if !role.duties.is_empty() {
                out.push_str("#list(");
                for duty in &role.duties {
                    let _ = write!(out, "[{}], ", text(duty));
                }
                out.push_str(")\n\n");
            }
        }
    }
    if !doc.associated.is_empty() {
        out.push_str("#heading(level: 2)[Associated policies]\n\n#list(");
        for a in &doc.associated {
            let _ = write!(out, "[{}], ", text(a));
        }
        out.push_str(")\n\n");
    }
    if !doc.revisions.is_empty() {
        out.push_str("#heading(level: 2)[Revision history]\n\n");
        out.push_str("#table(columns: (auto, auto, auto, auto, 1fr),\ntable.header([Version], [Date], [Author], [Approved by], [Summary]),\n");
        for row in &doc.revisions {
            for cell in row {
                let _ = write!(out, "[{}], ", text(cell));
            }
            out.push('\n');
        }
        out.push_str(")\n\n");
    }
    agreement_page(&mut out, doc);
    out
}

/// The printable acknowledgement form, on a page of its own at the end.
fn agreement_page(out: &mut String, doc: &PolicyDoc) {
    out.push_str("#pagebreak(weak: true)\n#heading(level: 2)[Acknowledgement form]\n\n");
    let _ = writeln!(
        out,
        "Print this page, sign it, and return it to the {}.\n",
        text(&doc.return_to)
    );
    let _ = writeln!(
        out,
        "#table(columns: (auto, 1fr), stroke: none, inset: (x: 0pt, y: 2pt), column-gutter: 12pt,\ntable.header(table.cell(colspan: 2)[]),\n[#strong[Organisation]], [{}],\n[#strong[Policy]], [{}],\n[#strong[Version]], [{}],\n[#strong[Content digest]], [#text(size: 7.5pt, font: \"DejaVu Sans Mono\")[{}]],\n)\n",
        text(&doc.organisation),
        text(&doc.title),
        text(&doc.version),
        text(&doc.digest)
    );
    for a in &doc.agreements {
        if !a.for_label.is_empty() {
            let _ = writeln!(out, "#heading(level: 3)[For {}]\n", text(&a.for_label));
        }
        let _ = write!(out, "#strong[{}]", text(&a.statement));
        if a.default {
            out.push_str(" I understand that I must follow it, and that it may change\\; when it does, I will be asked to read and acknowledge the new version\\.");
        }
        out.push_str("\n\n#v(6pt)\n#grid(columns: (auto, 1fr), column-gutter: 10pt, row-gutter: 22pt, align: bottom,\n");
        let line = |out: &mut String, label: &str| {
            let _ = writeln!(
                out,
                "[{}], [#line(length: 100%, stroke: 0.5pt)],",
                text(label)
            );
        };
        line(out, "Name");
        line(out, "Staff or learner number");
        for (label, checkbox, required) in &a.fields {
            if *checkbox {
                let optional = if *required { "" } else { " (if it applies)" };
                let _ = writeln!(
                    out,
                    "grid.cell(colspan: 2)[#box(width: 0.8em, height: 0.8em, stroke: 0.5pt) {}{}],",
                    text(label),
                    text(optional)
                );
            } else {
                line(out, label);
            }
        }
        line(out, "Signed");
        line(out, "Date");
        out.push_str(")\n\n");
    }
    out.push_str("#text(size: 9pt)[The content digest identifies exactly the version you were given\\: any change to the policy\\'s text gives a different digest\\.]\n");
}

/// The Typst source of the register of every policy.
pub fn register_markup(doc: &RegisterDoc) -> String {
    let mut out = String::with_capacity(8192 + doc.categories.len() * 2048);
    let foot = format!(
        "{} · {} · review status as of {}",
        text(&doc.organisation),
        text(&doc.title),
        text(&doc.as_of)
    );
    preamble(
        &mut out,
        &doc.title,
        &doc.organisation,
        Some(doc.date),
        &foot,
    );
    out.push_str("#set page(flipped: true)\n");
    let _ = writeln!(out, "#text(size: 10pt)[{}]\n", text(&doc.organisation));
    let _ = writeln!(out, "#heading(level: 1)[{}]\n", text(&doc.title));
    let _ = writeln!(
        out,
        "The register of policies, with review status as of {}\\.\n",
        text(&doc.as_of)
    );
    for (category, rows) in &doc.categories {
        let _ = writeln!(out, "#heading(level: 2)[{}]\n", text(category));
        out.push_str("#table(columns: (1fr, auto, auto, auto, auto, auto),\ntable.header([Policy], [Version], [Owner], [Approved], [Next review], [Status]),\n");
        for r in rows {
            for cell in [
                &r.title,
                &r.version,
                &r.owner,
                &r.approved,
                &r.review_due,
                &r.status,
            ] {
                let _ = write!(out, "[{}], ", text(cell));
            }
            out.push('\n');
        }
        out.push_str(")\n\n");
    }
    out
}
