//! Times `history::diff::redline` on a 20-page policy against a version with about 5% of its
//! words changed.
//!
//! ```text
//! cargo run --release --example bench_redline [RUNS]
//! ```
//!
//! The old text has 60 sections and about 10,000 words (paragraphs, lists, a table every fifth
//! section). The new one replaces about one word in twenty, drops a section, adds one and moves
//! a list item. Both are generated from a fixed seed, so every run times the same work. Prints
//! the fastest, median and slowest of RUNS runs (default 20).
//!
//! On the project's 2-core machine (shared, built with `CARGO_PROFILE_RELEASE_LTO=false`):
//! about 5 ms fastest and 7 ms median in release; about 40 to 60 ms in a debug build.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use policybook::history::diff::redline;

const SECTIONS: usize = 60;
const WORDS: &[&str] = &[
    "staff",
    "must",
    "report",
    "every",
    "incident",
    "to",
    "the",
    "duty",
    "manager",
    "within",
    "one",
    "working",
    "day",
    "records",
    "are",
    "kept",
    "for",
    "six",
    "years",
    "and",
    "then",
    "securely",
    "destroyed",
    "visitors",
    "sign",
    "in",
    "at",
    "reception",
    "wear",
    "a",
    "badge",
    "while",
    "on",
    "site",
    "laptops",
    "lock",
    "automatically",
    "after",
    "five",
    "minutes",
    "passwords",
    "never",
    "shared",
    "with",
    "anyone",
    "including",
    "colleagues",
    "training",
    "is",
    "refreshed",
    "each",
    "year",
    "by",
    "all",
    "employees",
    "who",
    "handle",
    "personal",
    "data",
    "concerns",
    "raised",
    "promptly",
    "investigated",
    "fairly",
    "confidentially",
];

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20)
        .max(1);
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    let old = policy(&mut random);
    let (new, changed) = revise(&old, &mut random);
    let words = old.split_whitespace().count();
    let sections = old.lines().filter(|l| l.starts_with("## ")).count();

    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        result = Some(redline(&old, &new));
        times.push(start.elapsed());
    }
    times.sort();
    let result = result.expect("at least one run");
    println!(
        "old: {words} words in {sections} sections; new: {changed} words changed ({:.1}%)",
        100.0 * changed as f64 / words as f64
    );
    println!(
        "redline: {} added, {} removed, {} changed, {} unchanged",
        result.added, result.removed, result.changed, result.unchanged
    );
    println!(
        "{runs} runs: fastest {:.2} ms, median {:.2} ms, slowest {:.2} ms",
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs - 1])
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// A small fixed-seed generator: the same texts on every machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            let word = WORDS[self.below(WORDS.len())];
            if i == 0 {
                text.push_str(&word[..1].to_uppercase());
                text.push_str(&word[1..]);
            } else {
                text.push(' ');
                text.push_str(word);
            }
        }
        text.push('.');
        text
    }
}

/// About 165 words a section: three paragraphs, a list of four items, sometimes a table.
fn policy(random: &mut XorShift) -> String {
    let mut text = String::new();
    for section in 1..=SECTIONS {
        writeln!(
            text,
            "## {section}. {}\n",
            random.sentence(3).trim_end_matches('.')
        )
        .unwrap();
        for _ in 0..3 {
            writeln!(text, "{} {}\n", random.sentence(16), random.sentence(17)).unwrap();
        }
        for _ in 0..4 {
            writeln!(text, "- {}", random.sentence(11)).unwrap();
        }
        text.push('\n');
        if section % 5 == 0 {
            text.push_str("| Role | Duty | When |\n|---|---|---|\n");
            for _ in 0..3 {
                let cells = [random.sentence(2), random.sentence(4), random.sentence(2)];
                writeln!(text, "| {} |", cells.join(" | ")).unwrap();
            }
            text.push('\n');
        }
    }
    text
}

/// About one word in twenty replaced; section 30 dropped, a new one after section 40, and the
/// first item of section 10 moved to the end of section 50's list. Also returns how many words
/// were replaced.
fn revise(old: &str, random: &mut XorShift) -> (String, usize) {
    let mut changed = 0;
    let sections: Vec<&str> = old.split("\n## ").collect();
    let mut moved = String::new();
    let mut new = String::new();
    for (i, section) in sections.iter().enumerate() {
        let number = i + 1;
        let mut section = section.trim_start_matches("## ").to_owned();
        if number == 30 {
            continue;
        }
        if number == 10 {
            let item = section.lines().find(|l| l.starts_with("- ")).unwrap_or("");
            moved = item.to_owned();
            section = section.replacen(&format!("{item}\n"), "", 1);
        }
        if number == 50 {
            let last_item = section.lines().rfind(|l| l.starts_with("- "));
            let last_item = last_item.unwrap_or("").to_owned();
            section = section.replacen(&last_item, &format!("{last_item}\n{moved}"), 1);
        }
        new.push_str("## ");
        new.push_str(&reword(&section, random, &mut changed));
        new.push('\n');
        if number == 40 {
            let added = random.sentence(30);
            writeln!(new, "## 40a. A new section\n\n{added}\n").unwrap();
        }
    }
    (new, changed)
}

/// Replaces about one word in twenty (one in 18 is tried, less picks of the same word), never a
/// heading's number or Markdown syntax.
fn reword(text: &str, random: &mut XorShift, changed: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        for (i, word) in line.split_inclusive(' ').enumerate() {
            let syntax = i == 0 || word.starts_with(['|', '-', '#']);
            let replacement = WORDS[random.below(WORDS.len())];
            if !syntax && random.below(18) == 0 && replacement != word.trim_end() {
                *changed += 1;
                out.push_str(replacement);
                out.push_str(if word.ends_with(' ') { " " } else { "" });
                out.push_str(if word.ends_with('\n') { "\n" } else { "" });
            } else {
                out.push_str(word);
            }
        }
    }
    out
}
