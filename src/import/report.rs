//! The import report a policy owner reads: per document, what became front matter, what was
//! left out and why, what could not be converted, and what `check` says of the result.

use std::fmt::Write as _;

use super::ImportReport;

pub fn render(report: &ImportReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        let verb = if report.dry_run {
            "would write"
        } else {
            "wrote"
        };
        let _ = writeln!(
            out,
            "{} → {verb} {}",
            file.source.display(),
            file.policy.display()
        );
        if let Some(title) = &file.title {
            let _ = writeln!(out, "  title: {:?} (from {})", title.value, title.source);
        }
        for mapped in &file.mapped {
            let key = if mapped.field == super::Field::Author {
                "revisions[].author".to_owned()
            } else {
                mapped.field.key().to_owned()
            };
            let _ = writeln!(
                out,
                "  {key}: {} (from \"{}\")",
                mapped.value, mapped.source
            );
        }
        if file.revisions > 0 {
            let _ = writeln!(
                out,
                "  revisions: {} from the revision history table",
                crate::error::plural(file.revisions, "entry")
            );
        }
        if file.typed_headings > 0 {
            let _ = writeln!(
                out,
                "  headings: {} typed with numbers became headings",
                crate::error::plural(file.typed_headings, "paragraph")
            );
        }
        for (id, title, new) in &file.roles {
            let note = if *new { "new role" } else { "existing role" };
            let _ = writeln!(out, "  role: \"{title}\" → {{role={id}}} ({note})");
        }
        for image in &file.images {
            let _ = writeln!(out, "  picture: {}", image.display());
        }
        for dropped in &file.dropped {
            let _ = writeln!(out, "  left out: {dropped}");
        }
        for unread in &file.unread {
            let _ = writeln!(out, "  kept in the body: {unread}");
        }
        for unconverted in &file.unconverted {
            let _ = writeln!(out, "  NOT CONVERTED: {}", shorten(unconverted));
        }
        let errors = file.check.iter().filter(|d| d.is_error()).count();
        let warnings = file.check.len() - errors;
        if file.check.is_empty() {
            let _ = writeln!(out, "  check: no problems");
        } else {
            let counts: Vec<String> = [(errors, "error"), (warnings, "warning")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, word)| crate::error::plural(n, word))
                .collect();
            let _ = writeln!(out, "  check: {}", counts.join(", "));
            for d in &file.check {
                let line = d.line.map_or(String::new(), |l| format!(":{l}"));
                let _ = writeln!(out, "    {}{line}: {}", d.file.display(), d.message);
            }
        }
    }
    if !report.new_roles.is_empty() {
        let verb = if report.dry_run { "would add" } else { "added" };
        let _ = writeln!(
            out,
            "{verb} {} to {}: check their titles and write their descriptions:",
            crate::error::plural(report.new_roles.len(), "role"),
            report.roles_file.display()
        );
        for (id, title) in &report.new_roles {
            let _ = writeln!(out, "  {id}: {title}");
        }
    }
    if report.dry_run {
        out.push_str("Nothing was written (--dry-run).\n");
    }
    out
}

/// A long paragraph, cut for the report.
fn shorten(text: &str) -> String {
    const MAX: usize = 160;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{cut}…")
}
