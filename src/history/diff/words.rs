//! Word-level comparison: how similar two texts are, and which words of a reworded text changed.

use similar::{Algorithm, ChangeTag, TextDiff};

/// A run of text that is the same in both versions, or only in the old or the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Segment {
    Same(String),
    Deleted(String),
    Inserted(String),
}

/// How much of two word sequences is shared, from 0 (nothing) to 1 (the same): twice the
/// matched words over the words of both, as `similar`'s ratio.
pub(super) fn similarity(old: &[&str], new: &[&str]) -> f32 {
    if old.is_empty() && new.is_empty() {
        return 1.0;
    }
    let ops = similar::capture_diff_slices(Algorithm::Myers, old, new);
    similar::diff_ratio(&ops, old.len(), new.len())
}

/// Words of both texts split on whitespace.
pub(super) fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// The segments that turn `old` into `new`, word by word. Within a run of changes, the
/// spaces between changed words join the change, so "a b" → "x y" reads as one deletion and
/// one insertion rather than four alternating marks.
pub(super) fn changes(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut segments = Vec::new();
    let mut run = Run::default();
    for (i, &(tag, value)) in changes.iter().enumerate() {
        match tag {
            ChangeTag::Delete => run.deleted.push_str(value),
            ChangeTag::Insert => run.inserted.push_str(value),
            ChangeTag::Equal if run.joins(value, changes.get(i + 1)) => {
                run.deleted.push_str(value);
                run.inserted.push_str(value);
            }
            ChangeTag::Equal => {
                run.flush(&mut segments);
                push_same(&mut segments, value);
            }
        }
    }
    run.flush(&mut segments);
    segments
}

/// Deleted and inserted text of consecutive changes.
#[derive(Default)]
struct Run {
    deleted: String,
    inserted: String,
}

impl Run {
    /// Whether an unchanged `value` between two changes is only spacing, to fold into them.
    fn joins(&self, value: &str, next: Option<&(ChangeTag, &str)>) -> bool {
        let open = !self.deleted.is_empty() || !self.inserted.is_empty();
        let change_follows = next.is_some_and(|(tag, _)| *tag != ChangeTag::Equal);
        open && change_follows && value.trim().is_empty()
    }

    /// Ends the run: its changes, with the spacing at their edges left unmarked, so a mark
    /// holds words only (`one <ins>working</ins> hour`, not `<ins>working </ins>hour`).
    fn flush(&mut self, segments: &mut Vec<Segment>) {
        let (deleted, inserted) = (
            std::mem::take(&mut self.deleted),
            std::mem::take(&mut self.inserted),
        );
        let lead = shared_edge(&deleted, &inserted, |s| {
            &s[..s.len() - s.trim_start().len()]
        });
        let trail = shared_edge(&deleted, &inserted, |s| &s[s.trim_end().len()..]);
        // The edges are on every side that changed, and must leave a word of each between them.
        let shortest = [&deleted, &inserted]
            .iter()
            .map(|s| s.len())
            .filter(|&len| len > 0)
            .min();
        let (lead, trail) = if shortest.is_some_and(|len| lead.len() + trail.len() < len) {
            (lead, trail)
        } else {
            ("", "") // A change of spacing alone stays marked.
        };
        push_same(segments, lead);
        let inner = |s: &str| s[lead.len()..s.len() - trail.len()].to_owned();
        if !deleted.is_empty() {
            segments.push(Segment::Deleted(inner(&deleted)));
        }
        if !inserted.is_empty() {
            segments.push(Segment::Inserted(inner(&inserted)));
        }
        push_same(segments, trail);
    }
}

/// The spacing `edge` finds on both sides of a change (on the one side, if only one changed).
fn shared_edge<'a>(deleted: &'a str, inserted: &'a str, edge: impl Fn(&str) -> &str) -> &'a str {
    match (deleted.is_empty(), inserted.is_empty()) {
        (true, _) => edge(inserted),
        (_, true) => edge(deleted),
        _ if edge(deleted) == edge(inserted) => edge(deleted),
        _ => "",
    }
}

fn push_same(segments: &mut Vec<Segment>, value: &str) {
    if value.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(Segment::Same(text)) => text.push_str(value),
        _ => segments.push(Segment::Same(value.to_owned())),
    }
}
