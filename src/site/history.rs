//! History on the website: the released versions of each policy, listed on its page; a
//! read-only page per earlier version, marked as superseded; and a "Changes in X" page per
//! step between versions, made from the archived texts in `history/`.

use std::path::Path;

use serde::Serialize;

use crate::Project;
use crate::content::Policy;
use crate::error::Result;
use crate::history::diff::{Comparable, Redline, SectionDiff, SectionStatus, redline_between};
use crate::ledger::{Archived, ReleaseState, version_slug};
use crate::site::{SiteView, UnitWriter, render_page};
use crate::theme::Templates;

/// The read-only page of an earlier version, relative to the site root. Every page of a
/// policy's history sits beside its page, in one folder: a folder per version made a
/// 10,000-policy build create (and delete) 40,000 folders.
pub fn archived_url(id: &str, version: &str) -> String {
    format!("policies/{id}/version-{}.html", version_slug(version))
}

/// The page showing what changed from version `from` to version `to`, relative to the site root.
pub fn changes_url(id: &str, from: &str, to: &str) -> String {
    format!(
        "policies/{id}/changes-{}-to-{}.html",
        version_slug(from),
        version_slug(to)
    )
}

/// One text in a policy's history: a released one from `history/`, or the current source.
#[derive(Clone, Copy, Debug)]
pub enum Text<'a> {
    Archived(&'a Archived),
    Current(&'a Policy),
}

impl<'a> Text<'a> {
    pub fn version(self) -> &'a str {
        match self {
            Text::Archived(a) => &a.released.version,
            Text::Current(p) => &p.version,
        }
    }

    fn digest(self) -> &'a str {
        match self {
            Text::Archived(a) => &a.released.digest,
            Text::Current(p) => &p.digest,
        }
    }

    /// The text as a policy (an archived one is parsed on first use).
    pub fn policy(self) -> Result<&'a Policy> {
        match self {
            Text::Archived(a) => a.policy(),
            Text::Current(p) => Ok(p),
        }
    }
}

/// The texts of a policy in order: each released version, then the current text when it is
/// not the latest released one (a draft, or an untracked edit).
pub fn text_chain<'a>(project: &'a Project, policy: &'a Policy) -> Vec<Text<'a>> {
    let archives = project.archives_of(&policy.id);
    let mut chain: Vec<Text> = archives.iter().map(Text::Archived).collect();
    // The current text is an archived one when it is released (or rolled back to one).
    if !archives.iter().any(|a| shows_current_text(a, policy)) {
        chain.push(Text::Current(policy));
    }
    chain
}

/// The pairs of positions in a [`text_chain`] that get a changes page: every step between
/// neighbours, and every earlier version to the current text (what someone who acknowledged it
/// must read again).
pub fn changes_pairs(chain_len: usize) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = (1..chain_len).map(|i| (i - 1, i)).collect();
    if let Some(current) = chain_len.checked_sub(1) {
        pairs.extend((0..current.saturating_sub(1)).map(|old| (old, current)));
    }
    pairs
}

/// A link to what changed since an earlier version, for someone re-acknowledging.
#[derive(Serialize)]
pub struct ChangesSince<'a> {
    pub version: &'a str,
    pub url: String,
}

/// For each earlier text of the policy, newest first, the page of changes up to the current one.
pub fn changes_since<'a>(project: &'a Project, policy: &'a Policy) -> Vec<ChangesSince<'a>> {
    earlier_texts(project, policy)
        .into_iter()
        .map(|old| ChangesSince {
            version: old.version(),
            url: changes_url(&policy.id, old.version(), &policy.version),
        })
        .collect()
}

/// The texts someone may have acknowledged before the current one, newest first: every earlier
/// text in [`text_chain`]. None when the current text was rolled back to an earlier release.
pub fn earlier_texts<'a>(project: &'a Project, policy: &'a Policy) -> Vec<Text<'a>> {
    let chain = text_chain(project, policy);
    match chain.split_last() {
        Some((last, earlier))
            if last.version() == policy.version && last.digest() == policy.digest =>
        {
            earlier.iter().rev().copied().collect()
        }
        _ => Vec::new(),
    }
}

/// One released version in a policy's history list, newest first.
#[derive(Serialize)]
pub struct HistoryEntry<'a> {
    pub version: &'a str,
    pub released: String,
    pub released_long: String,
    pub approved_long: Option<String>,
    /// Its page; `None` for the version the policy page itself shows.
    pub url: Option<String>,
    /// What changed from the version before it, if there was one.
    pub changes_url: Option<String>,
    pub is_current: bool,
}

/// What an earlier version's page says at its top.
#[derive(Serialize)]
pub struct ArchivedBanner<'a> {
    /// The version that replaced it, and when, if it has been replaced by a released one.
    pub superseded_by: Option<&'a str>,
    pub superseded_on: Option<String>,
    pub superseded_on_long: Option<String>,
    /// The current text (released or draft), on the policy's page.
    pub current_version: &'a str,
    pub current_url: String,
}

/// How the policy page describes its own version against the ledger.
#[derive(Serialize)]
pub struct ReleaseView<'a> {
    /// `released`, `draft` or `untracked` (no ledger).
    pub state: &'static str,
    /// For a draft: the latest released version and its page.
    pub released_version: Option<&'a str>,
    pub released_url: Option<String>,
    /// For a draft: what it changes from the latest released version.
    pub changes_url: Option<String>,
}

pub fn release_view<'a>(project: &'a Project, policy: &Policy) -> ReleaseView<'a> {
    let state = project.release_state(policy);
    let latest = project
        .archives_of(&policy.id)
        .last()
        .filter(|_| state == ReleaseState::Draft);
    ReleaseView {
        state: match state {
            ReleaseState::Released => "released",
            ReleaseState::Draft => "draft",
            ReleaseState::Untracked => "untracked",
        },
        released_version: latest.map(|a| a.released.version.as_str()),
        released_url: latest.map(|a| archived_url(&a.id, &a.released.version)),
        changes_url: latest.map(|a| changes_url(&a.id, &a.released.version, &policy.version)),
    }
}

/// The released versions of `policy`, newest first, as listed on the page showing `shown` (the
/// current text on the policy page, an earlier one on its archived page).
pub fn history_entries<'a>(
    project: &'a Project,
    policy: &Policy,
    shown: &Policy,
) -> Vec<HistoryEntry<'a>> {
    let archives = project.archives_of(&policy.id);
    archives
        .iter()
        .enumerate()
        .rev()
        .map(|(i, a)| {
            let is_current = shows_current_text(a, shown);
            let previous = i.checked_sub(1).map(|p| &archives[p]);
            HistoryEntry {
                changes_url: previous
                    .map(|p| changes_url(&policy.id, &p.released.version, &a.released.version)),
                version: &a.released.version,
                released: a.released.released.to_string(),
                released_long: a.released.released.long(),
                approved_long: a.released.approved.map(|d| d.long()),
                url: (!is_current).then(|| {
                    if shows_current_text(a, policy) {
                        crate::site::policy_url(&policy.id)
                    } else {
                        archived_url(&a.id, &a.released.version)
                    }
                }),
                is_current,
            }
        })
        .collect()
}

/// Whether an archived version is the text the policy page shows (so it needs no page).
pub fn shows_current_text(archived: &Archived, current: &Policy) -> bool {
    archived.released.version == current.version && archived.released.digest == current.digest
}

/// The banner of archived version `index` of `archives` (one policy's, oldest first).
pub fn archived_banner<'a>(
    archives: &'a [Archived],
    index: usize,
    current: &'a Policy,
) -> ArchivedBanner<'a> {
    let next = archives.get(index + 1);
    ArchivedBanner {
        superseded_by: next.map(|a| a.released.version.as_str()),
        superseded_on: next.map(|a| a.released.released.to_string()),
        superseded_on_long: next.map(|a| a.released.released.long()),
        current_version: &current.version,
        current_url: crate::site::policy_url(&current.id),
    }
}

/// What a "what changed" page shows.
#[derive(Serialize)]
struct ChangesView<'a> {
    id: &'a str,
    title: &'a str,
    from_version: &'a str,
    to_version: &'a str,
    /// The pages of both texts, relative to the site root.
    from_url: String,
    to_url: String,
    /// Whether `to` directly follows `from` (else it is "changes since" an earlier version).
    is_step: bool,
    redline: RedlineView,
}

/// A redline as a page shows it: each changed, added or removed section on its own, and each
/// run of unchanged sections folded into one group, so a long policy with one change reads as
/// one change.
#[derive(Serialize)]
pub struct RedlineView {
    pub groups: Vec<ChangeGroup>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

#[derive(Serialize)]
pub struct ChangeGroup {
    /// A changed, added or removed section; `None` for a run of unchanged ones.
    pub change: Option<SectionDiff>,
    pub unchanged: Vec<SectionDiff>,
}

impl From<Redline> for RedlineView {
    fn from(redline: Redline) -> Self {
        let mut groups: Vec<ChangeGroup> = Vec::new();
        for section in redline.sections {
            if section.status != SectionStatus::Unchanged {
                groups.push(ChangeGroup {
                    change: Some(section),
                    unchanged: Vec::new(),
                });
            } else if let Some(run) = groups.last_mut().filter(|g| g.change.is_none()) {
                run.unchanged.push(section);
            } else {
                groups.push(ChangeGroup {
                    change: None,
                    unchanged: vec![section],
                });
            }
        }
        RedlineView {
            groups,
            added: redline.added,
            removed: redline.removed,
            changed: redline.changed,
            unchanged: redline.unchanged,
        }
    }
}

/// A text of a policy read for comparison (from its Markdown body).
pub fn comparable(policy: &Policy) -> Comparable {
    Comparable::read(
        policy.body_markdown.as_deref().unwrap_or_default(),
        policy.body.headings.clone(),
    )
}

/// Where a text of `policy` is shown: its own page for the current text, else its archived
/// page.
fn page_of(text: Text, current: &Policy) -> String {
    if text.version() == current.version && text.digest() == current.digest {
        crate::site::policy_url(&current.id)
    } else {
        archived_url(&current.id, text.version())
    }
}

/// Writes every changes page of `policy` (see [`changes_pairs`]); returns how many.
pub fn render_changes_pages(
    project: &Project,
    policy: &Policy,
    tera: &Templates,
    site: &SiteView,
    dir: &Path,
    writer: &UnitWriter,
) -> Result<usize> {
    let chain = text_chain(project, policy);
    let pairs = changes_pairs(chain.len());
    // Each text is in up to two pairs (and the current one in all that end on it): read once.
    let read: Vec<std::cell::OnceCell<Comparable>> =
        chain.iter().map(|_| Default::default()).collect();
    let comparable_at = |i: usize| -> Result<&Comparable> {
        let policy = chain[i].policy()?;
        Ok(read[i].get_or_init(|| comparable(policy)))
    };
    for &(from_at, to_at) in &pairs {
        let (from, to, is_step) = (chain[from_at], chain[to_at], to_at == from_at + 1);
        let view = ChangesView {
            id: &policy.id,
            title: &policy.title,
            from_version: from.version(),
            to_version: to.version(),
            from_url: page_of(from, policy),
            to_url: page_of(to, policy),
            is_step,
            redline: redline_between(comparable_at(from_at)?, comparable_at(to_at)?).into(),
        };
        let html = render_page(tera, "changes", site, "../../", |ctx| {
            ctx.insert("changes", &view);
        })?;
        writer.write(
            &dir.join(changes_url(&policy.id, from.version(), to.version())),
            &html,
        )?;
    }
    Ok(pairs.len())
}
