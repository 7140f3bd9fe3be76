//! Moved blocks: a block that left one place and arrived, word for word, at another (in the
//! same section or another one) is shown as moved, not as an unrelated deletion and insertion.

use std::collections::{HashMap, VecDeque};

use super::align::Op;
use super::blocks::Section;
use super::sections::Pairs;

/// A block's index in its section's blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct BlockAt {
    pub section: usize,
    pub block: usize,
}

/// For one block, where it moved to (an old block) or from (a new one), if it moved.
pub(super) type Moved = Option<BlockAt>;

/// Every move, indexed by section then block on each side.
#[derive(Debug)]
pub(super) struct Moves {
    /// For each old block: where in the new text it went.
    pub away: Vec<Vec<Moved>>,
    /// For each new block: where in the old text it came from.
    pub here: Vec<Vec<Moved>>,
}

/// Pairs blocks that left their place (deleted, or in a removed section) with blocks of the
/// same text that arrived somewhere (inserted, or in an added section): the first to leave goes
/// with the first to arrive.
pub(super) fn find(
    old: &[Section],
    new: &[Section],
    pairs: &Pairs,
    alignments: &[Option<Vec<Op>>],
) -> Moves {
    let (left, arrived) = loose_blocks(old, new, pairs, alignments);
    let mut waiting: HashMap<&str, VecDeque<BlockAt>> = HashMap::new();
    for at in left {
        let text = old[at.section].blocks[at.block].text.as_str();
        waiting.entry(text).or_default().push_back(at);
    }
    let mut moves = Moves {
        away: old.iter().map(|s| vec![None; s.blocks.len()]).collect(),
        here: new.iter().map(|s| vec![None; s.blocks.len()]).collect(),
    };
    for to in arrived {
        let text = new[to.section].blocks[to.block].text.as_str();
        if let Some(from) = waiting.get_mut(text).and_then(VecDeque::pop_front) {
            moves.away[from.section][from.block] = Some(to);
            moves.here[to.section][to.block] = Some(from);
        }
    }
    moves
}

/// Blocks not lined up with an identical block in the continuing section: (old blocks, new
/// blocks), each in its text's order.
fn loose_blocks(
    old: &[Section],
    new: &[Section],
    pairs: &Pairs,
    alignments: &[Option<Vec<Op>>],
) -> (Vec<BlockAt>, Vec<BlockAt>) {
    let mut old_loose: Vec<Vec<bool>> = old.iter().map(|s| vec![true; s.blocks.len()]).collect();
    let mut new_loose: Vec<Vec<bool>> = new.iter().map(|s| vec![true; s.blocks.len()]).collect();
    for (n, ops) in alignments.iter().enumerate() {
        let (Some(ops), Some(o)) = (ops, pairs.old_of[n]) else {
            continue;
        };
        for op in ops {
            if let Op::Same { old, new } = *op {
                old_loose[o][old] = false;
                new_loose[n][new] = false;
            }
        }
    }
    (positions(&old_loose), positions(&new_loose))
}

fn positions(loose: &[Vec<bool>]) -> Vec<BlockAt> {
    let mut at = Vec::new();
    for (section, blocks) in loose.iter().enumerate() {
        let blocks = blocks.iter().enumerate().filter(|(_, loose)| **loose);
        at.extend(blocks.map(|(block, _)| BlockAt { section, block }));
    }
    at
}
