//! Lines up the blocks of two versions of one section: which stayed, which changed, which went
//! and which came.

use std::ops::Range;

use similar::{Algorithm, DiffTag};

use super::blocks::{Block, Kind, Section};
use super::moves::Moved;
use super::words;

/// Blocks at least this similar, word by word, are one block reworded; below it, showing the
/// changed words would mark nearly all of them, so the old block is shown deleted and the new
/// one inserted.
const REWORDED: f32 = 0.5;
/// How far ahead among the new blocks of a run of changes an old block looks for its rewording.
const REWORDING_WINDOW: usize = 8;

/// Blocks the same in both texts, or a run of blocks that differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Op {
    Same {
        old: usize,
        new: usize,
    },
    Differ {
        old: Range<usize>,
        new: Range<usize>,
    },
}

/// What happened to one block, by its index in the old and/or new section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Same { old: usize, new: usize },
    Reworded { old: usize, new: usize },
    Deleted(usize),
    Inserted(usize),
}

/// The blocks of `old` and `new` lined up by their texts.
pub(super) fn align(old: &Section, new: &Section) -> Vec<Op> {
    let old_texts: Vec<&str> = old.blocks.iter().map(|b| b.text.as_str()).collect();
    let new_texts: Vec<&str> = new.blocks.iter().map(|b| b.text.as_str()).collect();
    let mut ops: Vec<Op> = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            let same = old_range.zip(new_range);
            ops.extend(same.map(|(old, new)| Op::Same { old, new }));
        } else if let Some(Op::Differ { old, new }) = ops.last_mut() {
            // Adjacent deletions and insertions are one run of changes.
            old.end = old_range.end;
            new.end = new_range.end;
        } else {
            ops.push(Op::Differ {
                old: old_range,
                new: new_range,
            });
        }
    }
    ops
}

/// The steps of a section pair: each run of changes resolved into reworded blocks (paired in
/// order), deletions and insertions. Moved blocks are never paired: they are shown as moves.
pub(super) fn steps(
    old: &[Block],
    new: &[Block],
    ops: &[Op],
    moved_away: &[Moved],
    moved_here: &[Moved],
) -> Vec<Step> {
    let mut steps = Vec::with_capacity(new.len());
    for op in ops {
        match op {
            Op::Same { old, new } => steps.push(Step::Same {
                old: *old,
                new: *new,
            }),
            Op::Differ {
                old: olds,
                new: news,
            } => {
                let rewordings = rewordings(old, new, olds, news, moved_away, moved_here);
                resolve_run(olds, news, &rewordings, &mut steps);
            }
        }
    }
    steps
}

/// Within a run of changes: deletions before insertions up to each reworded pair, then the
/// pair, so every step keeps both texts' order.
fn resolve_run(
    olds: &Range<usize>,
    news: &Range<usize>,
    rewordings: &[(usize, usize)],
    steps: &mut Vec<Step>,
) {
    let (mut next_old, mut next_new) = (olds.start, news.start);
    for &(old, new) in rewordings {
        steps.extend((next_old..old).map(Step::Deleted));
        steps.extend((next_new..new).map(Step::Inserted));
        steps.push(Step::Reworded { old, new });
        (next_old, next_new) = (old + 1, new + 1);
    }
    steps.extend((next_old..olds.end).map(Step::Deleted));
    steps.extend((next_new..news.end).map(Step::Inserted));
}

/// Pairs of (old, new) blocks in a run of changes that are one block reworded, in order in both.
fn rewordings(
    old: &[Block],
    new: &[Block],
    olds: &Range<usize>,
    news: &Range<usize>,
    moved_away: &[Moved],
    moved_here: &[Moved],
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut next_new = news.start;
    for o in olds.clone().filter(|&o| moved_away[o].is_none()) {
        let candidates = (next_new..news.end).filter(|&n| moved_here[n].is_none());
        let found = candidates
            .take(REWORDING_WINDOW)
            .find(|&n| reworded(&old[o], &new[n]));
        if let Some(n) = found {
            pairs.push((o, n));
            next_new = n + 1;
        }
    }
    pairs
}

/// Whether `new` is `old` reworded: the same sort of block (a row's cells are compared cell by
/// cell, so a row pairs only with a row) with enough words in common.
fn reworded(old: &Block, new: &Block) -> bool {
    let family = |b: &Block| (b.is_row(), b.kind == Kind::Code);
    family(old) == family(new)
        && words::similarity(&words::words(&old.text), &words::words(&new.text)) >= REWORDED
}
