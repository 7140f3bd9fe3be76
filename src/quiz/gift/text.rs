//! Reading GIFT text as Moodle does: lines → blocks → characters with escapes resolved, and
//! helpers that search characters for their unescaped (meaningful) forms.

use super::{GiftError, Spot};

/// One character of a question block. `escaped` characters came from a backslash escape and are
/// never special, as Moodle's placeholders (`&&058;` …) are not.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ch {
    pub(super) c: char,
    pub(super) escaped: bool,
    pub(super) spot: Spot,
}

impl Ch {
    /// True for an unescaped `c`: a character with its GIFT meaning.
    pub(super) fn is(self, c: char) -> bool {
        !self.escaped && self.c == c
    }
}

/// A question block: the text between blank lines, comments blanked and escapes resolved.
#[derive(Debug)]
pub(super) struct Block {
    pub(super) chars: Vec<Ch>,
    pub(super) see: Option<See>,
    /// Where the block's first line starts (for blocks that hold only comments).
    pub(super) first: Spot,
}

#[derive(Debug)]
pub(super) struct See {
    pub(super) anchor: String,
    pub(super) spot: Spot,
}

/// The whitespace PHP's `trim()` removes; Moodle trims with it at every step.
const PHP_WHITESPACE: [char; 6] = [' ', '\t', '\n', '\r', '\0', '\x0B'];

fn php_trim(text: &str) -> &str {
    text.trim_matches(&PHP_WHITESPACE[..])
}

/// Splits the file into blocks as Moodle's `readquestions` does: each line is trimmed, and empty
/// lines end a block.
pub(super) fn read_blocks(text: &str) -> (Vec<Block>, Vec<GiftError>) {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut lines: Vec<(&str, Spot)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let trimmed = php_trim(raw);
        let leading = raw.len() - raw.trim_start_matches(&PHP_WHITESPACE[..]).len();
        let spot = Spot {
            line: index + 1,
            col: raw[..leading].chars().count() + 1,
        };
        // PHP's `empty("0")` is true, so Moodle ends the question at a line holding only `0`.
        if trimmed == "0" {
            errors.push(GiftError::new(
                spot,
                "Moodle reads a line holding only `0` as a blank line, which ends the question",
                "join the `0` to the line before it",
            ));
        }
        if trimmed.is_empty() || trimmed == "0" {
            if !lines.is_empty() {
                blocks.push(make_block(&lines, &mut errors));
                lines.clear();
            }
        } else {
            lines.push((trimmed, spot));
        }
    }
    if !lines.is_empty() {
        blocks.push(make_block(&lines, &mut errors));
    }
    (blocks, errors)
}

/// Joins a block's lines with `\n`, blanking comment lines to a space (as Moodle does), trims it
/// and resolves escapes.
fn make_block(lines: &[(&str, Spot)], errors: &mut Vec<GiftError>) -> Block {
    let mut raw: Vec<Ch> = Vec::new();
    let mut see: Option<See> = None;
    for (index, (line, spot)) in lines.iter().enumerate() {
        if index > 0 {
            raw.push(Ch {
                c: '\n',
                escaped: false,
                spot: *spot,
            });
        }
        if let Some(comment) = line.strip_prefix("//") {
            if let Some(found) = see_note(comment, *spot, errors) {
                if see.is_some() {
                    errors.push(GiftError::new(
                        found.spot,
                        "a second `// see:` in one question",
                        "keep one `// see:` line per question",
                    ));
                } else {
                    see = Some(found);
                }
            }
            raw.push(Ch {
                c: ' ',
                escaped: false,
                spot: *spot,
            });
            continue;
        }
        for (col, c) in (spot.col..).zip(line.chars()) {
            raw.push(Ch {
                c,
                escaped: false,
                spot: Spot {
                    line: spot.line,
                    col,
                },
            });
        }
    }
    Block {
        chars: resolve_escapes(trim_raw(&raw)),
        see,
        first: lines.first().map_or(Spot::START, |(_, spot)| *spot),
    }
}

/// Reads `// see: <anchor>` (the text after `//` is `comment`).
fn see_note(comment: &str, line: Spot, errors: &mut Vec<GiftError>) -> Option<See> {
    let after_slashes = comment.trim_start();
    let keyword = after_slashes.get(..4)?;
    if !keyword.eq_ignore_ascii_case("see:") {
        return None;
    }
    let value = &after_slashes[4..];
    let anchor = value.trim();
    let skipped = |whole: &str, rest: &str| whole[..whole.len() - rest.len()].chars().count();
    let col =
        line.col + 2 + skipped(comment, after_slashes) + 4 + skipped(value, value.trim_start());
    let spot = Spot {
        line: line.line,
        col,
    };
    if anchor.is_empty() {
        errors.push(GiftError::new(
            spot,
            "`// see:` names no section",
            "write the anchor of a section of the policy, e.g. `// see: 4-2-filtering-and-monitoring`",
        ));
        return None;
    }
    let anchor = anchor.strip_prefix('#').unwrap_or(anchor);
    Some(See {
        anchor: anchor.to_owned(),
        spot,
    })
}

/// Moodle's `escapedchar_pre`: `\\` is a backslash; `\:` `\#` `\=` `\{` `\}` `\~` are the
/// characters without their meaning; `\n` is a new line. Any other backslash is kept.
fn resolve_escapes(raw: &[Ch]) -> Vec<Ch> {
    let mut out = Vec::with_capacity(raw.len());
    let mut index = 0;
    while index < raw.len() {
        let ch = raw[index];
        let next = raw.get(index + 1).map(|n| n.c);
        let escaped = match (ch.c, next) {
            ('\\', Some(c @ ('\\' | ':' | '#' | '=' | '{' | '}' | '~'))) => Some(c),
            ('\\', Some('n')) => Some('\n'),
            _ => None,
        };
        match escaped {
            Some(c) => {
                out.push(Ch {
                    c,
                    escaped: true,
                    spot: ch.spot,
                });
                index += 2;
            }
            None => {
                out.push(ch);
                index += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Helpers over characters. Searches match unescaped characters only.

/// Trims unescaped whitespace, as Moodle's `trim()` on text that still holds placeholders.
pub(super) fn trim_raw(chars: &[Ch]) -> &[Ch] {
    let is_space = |ch: &Ch| !ch.escaped && PHP_WHITESPACE.contains(&ch.c);
    let start = chars
        .iter()
        .position(|c| !is_space(c))
        .unwrap_or(chars.len());
    let end = chars
        .iter()
        .rposition(|c| !is_space(c))
        .map_or(start, |i| i + 1);
    &chars[start..end.max(start)]
}

pub(super) fn starts_with_raw(chars: &[Ch], pattern: &str) -> bool {
    let mut chars = chars.iter();
    pattern
        .chars()
        .all(|p| chars.next().is_some_and(|ch| ch.is(p)))
}

pub(super) fn find_raw(chars: &[Ch], pattern: &str) -> Option<usize> {
    (0..chars.len()).find(|&i| starts_with_raw(&chars[i..], pattern))
}

pub(super) fn rfind_raw(chars: &[Ch], pattern: &str) -> Option<usize> {
    (0..chars.len())
        .rev()
        .find(|&i| starts_with_raw(&chars[i..], pattern))
}

pub(super) fn contains_raw(chars: &[Ch], c: char) -> bool {
    chars.iter().any(|ch| ch.is(c))
}

/// The final text, as Moodle's `trim(escapedchar_post(...))`: escapes become their characters,
/// and whitespace (now including escaped new lines) is trimmed.
pub(super) fn text_of(chars: &[Ch]) -> String {
    let text: String = chars.iter().map(|ch| ch.c).collect();
    php_trim(&text).to_owned()
}

pub(super) fn optional_text(chars: &[Ch]) -> Option<String> {
    Some(text_of(chars)).filter(|t| !t.is_empty())
}

/// Where `chars` starts, or `fallback` when it is empty.
pub(super) fn spot_of(chars: &[Ch], fallback: Spot) -> Spot {
    chars.first().map_or(fallback, |ch| ch.spot)
}

/// Splits at every unescaped `separator`, dropping it. Each part comes with the position of the
/// separator that starts it (the first part: `start`).
pub(super) fn split_raw(chars: &[Ch], separator: char, start: Spot) -> Vec<(Spot, &[Ch])> {
    let mut parts = Vec::new();
    let mut from = 0;
    let mut spot = start;
    for (index, ch) in chars.iter().enumerate() {
        if ch.is(separator) {
            parts.push((spot, &chars[from..index]));
            from = index + 1;
            spot = ch.spot;
        }
    }
    parts.push((spot, &chars[from..]));
    parts
}
