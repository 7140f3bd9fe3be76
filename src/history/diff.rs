//! The redline between two texts of one policy: section by section, what was added, removed,
//! reworded (down to the words) and moved, as safe HTML for the "what changed" page.
//!
//! The steps, one module each: [`blocks`] reads each body into sections of plain-text blocks;
//! [`sections`] pairs the old sections with the new; [`align`] lines up the blocks of each
//! pair; [`moves`] finds blocks that moved; [`html`] writes the marks; [`words`] compares texts.
//! The comparisons themselves are `similar`'s.

mod align;
mod blocks;
mod html;
mod moves;
mod sections;
mod words;

#[cfg(test)]
mod tests;

use serde::Serialize;

use align::{Op, Step};
use blocks::Section;
use html::{Mark, Piece, Shown, Writer};
use moves::{BlockAt, Moves};
use sections::Pairs;

/// The differences between two texts of a policy body (Markdown without front matter),
/// section by section.
#[derive(Clone, Debug, Serialize)]
pub struct Redline {
    /// Every section of the new text in its order, with each removed section where it stood
    /// (after the section that preceded it in the old text).
    pub sections: Vec<SectionDiff>,
    /// How many sections have each status; they add up to `sections.len()`.
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// One section: a heading and its content up to the next heading of any level. The text before
/// the first heading, if any, is a section with an empty title and anchor, and level 0.
#[derive(Clone, Debug, Serialize)]
pub struct SectionDiff {
    pub status: SectionStatus,
    /// Plain heading text: the new version's, the old one's for a removed section.
    pub title: String,
    /// The old heading text, when the heading itself changed (renumbered or reworded). A
    /// section only renumbered, with the same content, is still `unchanged`.
    pub old_title: Option<String>,
    /// The heading as safe HTML: its changed words marked when it was reworded.
    pub title_html: String,
    /// The heading's `id` on the policy page of the new version (the old version's for a
    /// removed section), exactly as `markdown::render` gives it; empty before the first heading.
    pub anchor: String,
    /// Heading level, 1 to 6 (0 before the first heading).
    pub level: u8,
    /// The section's content as safe HTML, with `<ins>`/`<del>` marks; unchanged sections
    /// carry their content too.
    pub html: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionStatus {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// The redline from `old_body` to `new_body`. Never fails: any text is some Markdown.
pub fn redline(old_body: &str, new_body: &str) -> Redline {
    let read = |body| Comparable::read(body, crate::markdown::render(body, 1).headings);
    redline_between(&read(old_body), &read(new_body))
}

/// A body read into what the redline compares, so that a text compared with several others
/// (a policy's current text with each earlier version) is read once.
#[derive(Debug)]
pub struct Comparable {
    sections: Vec<Section>,
}

impl Comparable {
    /// Reads a body already rendered: its headings (from `markdown::render`) are reused rather
    /// than rendering it again, which was half the cost of a redline.
    pub fn read(body: &str, headings: Vec<crate::markdown::Heading>) -> Comparable {
        Comparable {
            sections: blocks::read(body, headings),
        }
    }
}

/// The redline between two texts already read.
pub fn redline_between(old: &Comparable, new: &Comparable) -> Redline {
    let (old, new) = (&old.sections, &new.sections);
    let pairs = sections::pair(old, new);
    let alignments: Vec<Option<Vec<Op>>> = (pairs.old_of.iter().enumerate())
        .map(|(n, o)| o.map(|o| align::align(&old[o], &new[n])))
        .collect();
    let moves = moves::find(old, new, &pairs, &alignments);
    let texts = Texts {
        old,
        new,
        pairs: &pairs,
        moves: &moves,
    };
    let sections = output_order(&pairs)
        .into_iter()
        .map(|slot| match slot {
            Slot::Kept(n) => match (pairs.old_of[n], &alignments[n]) {
                (Some(o), Some(ops)) => texts.continued(o, n, ops),
                _ => texts.added(n),
            },
            Slot::Removed(o) => texts.removed(o),
        })
        .collect();
    Redline::new(sections)
}

impl Redline {
    fn new(sections: Vec<SectionDiff>) -> Redline {
        let count = |status| sections.iter().filter(|s| s.status == status).count();
        Redline {
            added: count(SectionStatus::Added),
            removed: count(SectionStatus::Removed),
            changed: count(SectionStatus::Changed),
            unchanged: count(SectionStatus::Unchanged),
            sections,
        }
    }
}

/// A place in the output: a section of the new text, or a removed one of the old.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Kept(usize),
    Removed(usize),
}

/// The new sections in order, each removed section after the section that preceded it in the
/// old text (after its continuation in the new text), or first if nothing preceded it.
fn output_order(pairs: &Pairs) -> Vec<Slot> {
    let mut leading = Vec::new();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); pairs.old_of.len()];
    let mut previous: Option<usize> = None;
    for (o, new) in pairs.new_of.iter().enumerate() {
        match (new, previous) {
            (Some(n), _) => previous = Some(*n),
            (None, Some(n)) => after[n].push(o),
            (None, None) => leading.push(o),
        }
    }
    let mut order: Vec<Slot> = leading.into_iter().map(Slot::Removed).collect();
    for (n, removed) in after.into_iter().enumerate() {
        order.push(Slot::Kept(n));
        order.extend(removed.into_iter().map(Slot::Removed));
    }
    order
}

/// Both texts, read and compared: what each section of the output is made from.
struct Texts<'a> {
    old: &'a [Section],
    new: &'a [Section],
    pairs: &'a Pairs,
    moves: &'a Moves,
}

impl Texts<'_> {
    /// New section `n`, which continues old section `o`.
    fn continued(&self, o: usize, n: usize, ops: &[Op]) -> SectionDiff {
        let (old, new) = (&self.old[o], &self.new[n]);
        let (away, here) = (&self.moves.away[o], &self.moves.here[n]);
        let steps = align::steps(&old.blocks, &new.blocks, ops, away, here);
        let pieces: Vec<Piece> = steps.iter().map(|&step| self.piece(o, n, step)).collect();
        let reworded = sections::without_number(&old.title) != sections::without_number(&new.title);
        let changed = reworded || steps.iter().any(|s| !matches!(s, Step::Same { .. }));
        let retitled = old.title != new.title;
        SectionDiff {
            status: if changed {
                SectionStatus::Changed
            } else {
                SectionStatus::Unchanged
            },
            title: new.title.clone(),
            old_title: retitled.then(|| old.title.clone()),
            title_html: html::reworded(&old.title, &new.title),
            anchor: new.anchor.clone(),
            level: new.level,
            html: write(&pieces),
        }
    }

    fn added(&self, n: usize) -> SectionDiff {
        let section = &self.new[n];
        let pieces: Vec<Piece> = (0..section.blocks.len())
            .map(|b| self.arrived(n, b))
            .collect();
        whole_section(section, SectionStatus::Added, &pieces)
    }

    fn removed(&self, o: usize) -> SectionDiff {
        let section = &self.old[o];
        let pieces: Vec<Piece> = (0..section.blocks.len()).map(|b| self.left(o, b)).collect();
        whole_section(section, SectionStatus::Removed, &pieces)
    }

    fn piece(&self, o: usize, n: usize, step: Step) -> Piece<'_> {
        match step {
            Step::Same { new, .. } => Piece {
                block: &self.new[n].blocks[new],
                shown: Shown::Plain,
                note: None,
            },
            Step::Reworded { old, new } => Piece {
                block: &self.new[n].blocks[new],
                shown: Shown::Reworded {
                    old: &self.old[o].blocks[old],
                },
                note: None,
            },
            Step::Deleted(old) => self.left(o, old),
            Step::Inserted(new) => self.arrived(n, new),
        }
    }

    /// Block `b` of old section `o`, gone from its place: deleted, or moved away.
    fn left(&self, o: usize, b: usize) -> Piece<'_> {
        let block = &self.old[o].blocks[b];
        match self.moves.away[o][b] {
            Some(to) => Piece {
                block,
                shown: Shown::Whole(Mark::MovedAway),
                note: Some(self.moved_to(o, to)),
            },
            None => Piece {
                block,
                shown: Shown::Whole(Mark::Deleted),
                note: None,
            },
        }
    }

    /// Block `b` of new section `n`, new in its place: inserted, or moved here.
    fn arrived(&self, n: usize, b: usize) -> Piece<'_> {
        let block = &self.new[n].blocks[b];
        match self.moves.here[n][b] {
            Some(from) => Piece {
                block,
                shown: Shown::Whole(Mark::MovedHere),
                note: Some(self.moved_from(n, from)),
            },
            None => Piece {
                block,
                shown: Shown::Whole(Mark::Inserted),
                note: None,
            },
        }
    }

    fn moved_to(&self, o: usize, to: BlockAt) -> String {
        if self.pairs.new_of[o] == Some(to.section) {
            return "moved within this section".to_owned();
        }
        format!("moved to {}", section_name(&self.new[to.section].title))
    }

    /// Where a block came from, named as the reader sees it now: by the section's new title
    /// if it still exists.
    fn moved_from(&self, n: usize, from: BlockAt) -> String {
        if self.pairs.old_of[n] == Some(from.section) {
            return "moved within this section".to_owned();
        }
        let title = match self.pairs.new_of[from.section] {
            Some(now) => &self.new[now].title,
            None => &self.old[from.section].title,
        };
        format!("moved from {}", section_name(title))
    }
}

fn section_name(title: &str) -> String {
    if title.is_empty() {
        "the introduction".to_owned()
    } else {
        format!("“{title}”")
    }
}

fn whole_section(section: &Section, status: SectionStatus, pieces: &[Piece]) -> SectionDiff {
    SectionDiff {
        status,
        title: section.title.clone(),
        old_title: None,
        title_html: html::escape(&section.title),
        anchor: section.anchor.clone(),
        level: section.level,
        html: write(pieces),
    }
}

fn write(pieces: &[Piece]) -> String {
    let mut writer = Writer::default();
    for piece in pieces {
        writer.write(piece);
    }
    writer.finish()
}
