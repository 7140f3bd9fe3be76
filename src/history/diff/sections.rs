//! Which section of the new text continues which section of the old one.
//!
//! Three passes, strongest evidence first: the same anchor; the same heading once its number is
//! set aside (`4. Passwords` renumbered to `5. Passwords`); then mostly the same words (a
//! reworded heading over much the same text). Sections left over were added or removed.

use std::collections::{HashMap, VecDeque};

use super::blocks::Section;
use super::words;

/// Sections whose words are at least this similar are one section reworded.
const SIMILAR_SECTIONS: f32 = 0.6;
/// Each unpaired new section is compared with the unpaired old sections around its expected
/// place: up to this many either side, fewer when there are many, so that thousands of
/// reworded headings take at most about [`SIMILARITY_BUDGET`] comparisons.
const SIMILARITY_WINDOW: usize = 64;
const SIMILARITY_BUDGET: usize = 50_000;

/// The pairing, in both directions.
#[derive(Debug)]
pub(super) struct Pairs {
    /// For each new section, the old section it continues.
    pub old_of: Vec<Option<usize>>,
    /// For each old section, the new section that continues it.
    pub new_of: Vec<Option<usize>>,
}

impl Pairs {
    fn link(&mut self, old: usize, new: usize) {
        self.old_of[new] = Some(old);
        self.new_of[old] = Some(new);
    }

    fn unpaired_old(&self) -> Vec<usize> {
        (0..self.new_of.len())
            .filter(|&o| self.new_of[o].is_none())
            .collect()
    }

    fn unpaired_new(&self) -> Vec<usize> {
        (0..self.old_of.len())
            .filter(|&n| self.old_of[n].is_none())
            .collect()
    }
}

pub(super) fn pair(old: &[Section], new: &[Section]) -> Pairs {
    let mut pairs = Pairs {
        old_of: vec![None; new.len()],
        new_of: vec![None; old.len()],
    };
    // The text before the first heading (level 0) only ever comes first.
    if old.first().is_some_and(|s| s.level == 0) && new.first().is_some_and(|s| s.level == 0) {
        pairs.link(0, 0);
    }
    pair_by_key(old, new, &mut pairs, |s| s.anchor.clone());
    pair_by_key(old, new, &mut pairs, |s| {
        without_number(&s.title).to_lowercase()
    });
    pair_by_similarity(old, new, &mut pairs);
    pairs
}

/// `"4.1 Using AI tools"` → `"Using AI tools"`; `"4) Scope"` → `"Scope"`. A title that is only
/// a number, or a number run into a word (`3D printing`), is kept whole.
pub(super) fn without_number(title: &str) -> &str {
    let title = title.trim();
    if !title.starts_with(|c: char| c.is_ascii_digit()) {
        return title;
    }
    let rest = title.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let rest = rest.strip_prefix([')', ':']).unwrap_or(rest);
    match rest.trim_start() {
        words if !words.is_empty() && rest.starts_with(char::is_whitespace) => words,
        _ => title,
    }
}

/// Pairs unpaired sections with equal, non-empty keys, in order (the first old `Purpose` goes
/// with the first new one).
fn pair_by_key(
    old: &[Section],
    new: &[Section],
    pairs: &mut Pairs,
    key: impl Fn(&Section) -> String,
) {
    let mut waiting: HashMap<String, VecDeque<usize>> = HashMap::new();
    for o in pairs.unpaired_old() {
        let key = key(&old[o]);
        if !key.is_empty() {
            waiting.entry(key).or_default().push_back(o);
        }
    }
    for n in pairs.unpaired_new() {
        if let Some(o) = waiting.get_mut(&key(&new[n])).and_then(VecDeque::pop_front) {
            pairs.link(o, n);
        }
    }
}

/// Pairs the remaining sections whose words are similar enough, most similar pairs first.
fn pair_by_similarity(old: &[Section], new: &[Section], pairs: &mut Pairs) {
    let old_left = pairs.unpaired_old();
    let new_left = pairs.unpaired_new();
    if old_left.is_empty() || new_left.is_empty() {
        return;
    }
    let old_words: Vec<Profile> = old_left.iter().map(|&o| Profile::of(&old[o])).collect();
    let new_words: Vec<Profile> = new_left.iter().map(|&n| Profile::of(&new[n])).collect();
    // (similarity in thousandths, new, old): sorted, the best and then the earliest win.
    let mut candidates: Vec<(u32, usize, usize)> = Vec::new();
    for (rank, profile) in new_words.iter().enumerate() {
        for other in window(rank, new_left.len(), old_left.len()) {
            if let Some(score) = profile.similar_to(&old_words[other]) {
                candidates.push((score, new_left[rank], old_left[other]));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, n, o) in candidates {
        if pairs.old_of[n].is_none() && pairs.new_of[o].is_none() {
            pairs.link(o, n);
        }
    }
}

/// The unpaired old sections (by rank) worth comparing with the new one of rank `rank`: those
/// around the same relative place.
fn window(rank: usize, new_count: usize, old_count: usize) -> std::ops::Range<usize> {
    let reach = (SIMILARITY_BUDGET / (2 * new_count).max(1)).clamp(4, SIMILARITY_WINDOW);
    let expected = rank * old_count / new_count.max(1);
    expected.saturating_sub(reach)..(expected + reach + 1).min(old_count)
}

/// A section's words, with their counts for a cheap upper bound on similarity.
struct Profile<'a> {
    words: Vec<&'a str>,
    counts: HashMap<&'a str, usize>,
}

impl<'a> Profile<'a> {
    fn of(section: &'a Section) -> Profile<'a> {
        let words = section.words();
        let mut counts = HashMap::new();
        for word in &words {
            *counts.entry(*word).or_insert(0) += 1;
        }
        Profile { words, counts }
    }

    /// The similarity in thousandths, if at least [`SIMILAR_SECTIONS`]. Words in common
    /// regardless of order bound the ordered similarity from above, so most pairs are ruled
    /// out without a diff.
    fn similar_to(&self, other: &Profile) -> Option<u32> {
        let total = self.words.len() + other.words.len();
        let common: usize = (self.counts.iter())
            .map(|(word, &count)| count.min(other.counts.get(word).copied().unwrap_or(0)))
            .sum();
        if total == 0 || (2 * common) as f32 / (total as f32) < SIMILAR_SECTIONS {
            return None;
        }
        let ratio = words::similarity(&other.words, &self.words);
        (ratio >= SIMILAR_SECTIONS).then(|| (ratio * 1000.0).round() as u32)
    }
}
