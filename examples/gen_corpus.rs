//! Generates a synthetic policybook project for benchmarking (see `scripts/bench`).
//!
//! ```text
//! cargo run --release --example gen_corpus -- DIR N
//! cargo run --release --example gen_corpus -- --marker N   # print the marker DIR would get
//! ```
//!
//! Writes `DIR/policybook.toml` and `N` policies of about 10 KB each as
//! `DIR/content/<category>/policy-NNNNN.md`, spread over 12 category folders. The output is
//! deterministic: every policy is generated from its own seeded xorshift generator, so policy 42
//! is the same in every corpus (its `associated` ids depend on `N`, so they always exist).
//!
//! `DIR` must not exist, be empty, or hold an earlier corpus (recognised by the `.bench-corpus`
//! marker file, which is then removed with everything else in `DIR`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const MARKER: &str = ".bench-corpus";
/// The corpus changes when this file changes, so the marker records a hash of it.
const SOURCE: &str = include_str!("gen_corpus.rs");
const TARGET_SIZE: usize = 10 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, n] if flag == "--marker" => parse_count(n).map(|n| print!("{}", marker_text(n))),
        [dir, n] if !dir.starts_with('-') => {
            parse_count(n).and_then(|n| generate(Path::new(dir), n))
        }
        _ => Err("usage: gen_corpus DIR N   |   gen_corpus --marker N".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("N must be a positive whole number, not `{text}`")),
    }
}

fn marker_text(n: usize) -> String {
    format!(
        "policies: {n}\ngenerator: {:016x}\n",
        fnv1a(SOURCE.as_bytes())
    )
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn generate(dir: &Path, n: usize) -> Result<(), String> {
    prepare_dir(dir)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| format!("{}: {e}", path.display())
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    // The marker goes first: a half-written corpus can still be removed by the next run.
    let marker = dir.join(MARKER);
    std::fs::write(&marker, marker_text(n)).map_err(io(&marker))?;

    let mut config = String::from(
        "organisation = \"Bench Org\"\ntitle = \"All Policies\"\ntoday = 2026-11-26\n\
         # Associated policies kept outside this site.\nexternal_policies = [\n",
    );
    for title in EXTERNAL {
        writeln!(config, "  \"{title}\",").unwrap();
    }
    config.push_str("]\n");
    let path = dir.join("policybook.toml");
    std::fs::write(&path, config).map_err(io(&path))?;

    for category in CATEGORIES {
        let path = dir.join("content").join(folder(category));
        std::fs::create_dir_all(&path).map_err(io(&path))?;
    }
    let width = n.to_string().len().max(5);
    let mut total = 0usize;
    let (mut smallest, mut largest) = (usize::MAX, 0usize);
    for i in 1..=n {
        let mut policy = Policy::new(i, n, width);
        let text = policy.render();
        let path: PathBuf = dir
            .join("content")
            .join(folder(policy.category))
            .join(format!("{}.md", policy.id));
        std::fs::write(&path, &text).map_err(io(&path))?;
        total += text.len();
        smallest = smallest.min(text.len());
        largest = largest.max(text.len());
    }
    println!(
        "gen_corpus: wrote {n} policies in {} categories to {}: {:.1} MB, average {:.1} KB per file (min {:.1}, max {:.1})",
        CATEGORIES.len(),
        dir.display(),
        total as f64 / 1e6,
        total as f64 / n as f64 / 1024.0,
        smallest as f64 / 1024.0,
        largest as f64 / 1024.0,
    );
    Ok(())
}

/// Removes an earlier corpus; refuses to touch a non-empty folder without the marker.
fn prepare_dir(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(format!("{} exists and is not a folder", dir.display()));
    }
    if dir.join(MARKER).is_file() {
        return std::fs::remove_dir_all(dir)
            .map_err(|e| format!("removing {}: {e}", dir.display()));
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if entries.next().is_some() {
        return Err(format!(
            "{} is not empty and has no {MARKER} marker: refusing to overwrite it",
            dir.display()
        ));
    }
    Ok(())
}

/// xorshift64*: small, fast and good enough for text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so neighbouring seeds give unrelated streams (never zero).
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.range(0, items.len() - 1)]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.range(0, 99) < percent
    }
}

/// Days since 1970-01-01 ↔ civil dates (Howard Hinnant's algorithms).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn iso(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

struct RevisionEntry {
    version: String,
    date: i64,
    author: &'static str,
    summary: String,
}

struct Policy {
    index: usize,
    id: String,
    topic: &'static str,
    category: &'static str,
    owner: &'static str,
    approver: &'static str,
    approved: i64,
    effective: i64,
    review: Review,
    associated: Vec<String>,
    revisions: Vec<RevisionEntry>,
    others: Vec<(String, &'static str)>,
    rng: Rng,
}

enum Review {
    Interval(&'static str),
    Due(i64),
}

impl Policy {
    fn new(index: usize, n: usize, width: usize) -> Policy {
        let mut rng = Rng::new(index as u64);
        let id = policy_id(index, width);
        let topic = rng.pick(TOPICS);
        let category = CATEGORIES[(index - 1) % CATEGORIES.len()];
        let owner = rng.pick(OWNERS);
        let approver = rng.pick(APPROVERS);

        // Approved between 2023-01-01 and 2026-10-31; some policies end up overdue for review.
        let start = days_from_civil(2023, 1, 1);
        let end = days_from_civil(2026, 10, 31);
        let approved = rng.range(0, (end - start) as usize) as i64 + start;
        let effective = approved + rng.range(0, 45) as i64;
        let review = if rng.chance(50) {
            Review::Interval(rng.pick(INTERVALS))
        } else {
            Review::Due(approved + rng.range(180, 1000) as i64)
        };

        // 2-4 other policies of this corpus, occasionally one kept elsewhere.
        let mut associated = Vec::new();
        let mut others = Vec::new();
        if n > 1 {
            let want = rng.range(2, 4).min(n - 1);
            while associated.len() < want {
                let other = rng.range(1, n);
                let other_id = policy_id(other, width);
                if other != index && !associated.contains(&other_id) {
                    others.push((other_id.clone(), Rng::new(other as u64).pick(TOPICS)));
                    associated.push(other_id);
                }
            }
        }
        if rng.chance(30) {
            associated.push(rng.pick(EXTERNAL).to_owned());
        }

        // Versions in tenths, newest first: 2.3, 2.1, 1.8, ... (each entry older than the last).
        let mut tenths = rng.range(12, 49);
        let mut revisions = Vec::new();
        let mut date = approved;
        for k in 0..rng.range(2, 4) {
            if k > 0 {
                date -= rng.range(90, 500) as i64;
                tenths -= rng.range(1, 3);
            }
            let summary = revision_summary(&mut rng, topic);
            revisions.push(RevisionEntry {
                version: format!("{}.{}", tenths / 10, tenths % 10),
                date,
                author: rng.pick(PEOPLE),
                summary,
            });
        }

        Policy {
            index,
            id,
            topic,
            category,
            owner,
            approver,
            approved,
            effective,
            review,
            associated,
            revisions,
            others,
            rng,
        }
    }

    fn render(&mut self) -> String {
        let mut out = String::with_capacity(TARGET_SIZE + 2048);
        self.front_matter(&mut out);
        let target = TARGET_SIZE + self.rng.range(0, 1600) - 800;
        self.body(&mut out, target);
        out
    }

    fn front_matter(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        let version = &self.revisions[0].version;
        out.push_str("---\n");
        writeln!(out, "title: Policy {:05} on {}", self.index, self.topic).unwrap();
        writeln!(out, "version: \"{version}\"").unwrap();
        writeln!(out, "owner: {}", self.owner).unwrap();
        writeln!(out, "approved_by: {}", self.approver).unwrap();
        writeln!(out, "approved: {}", iso(self.approved)).unwrap();
        writeln!(out, "effective: {}", iso(self.effective)).unwrap();
        match self.review {
            Review::Interval(interval) => writeln!(out, "review_interval: {interval}").unwrap(),
            Review::Due(day) => writeln!(out, "review_due: {}", iso(day)).unwrap(),
        }
        writeln!(out, "category: {}", self.category).unwrap();
        let topic = self.topic;
        writeln!(
            out,
            "summary: How Bench Org {} {topic} across every site, and what staff, learners and contractors must do to {}.",
            rng.pick(SUMMARY_VERBS),
            rng.pick(SUMMARY_AIMS),
        )
        .unwrap();
        if !self.associated.is_empty() {
            out.push_str("associated:\n");
        }
        for a in &self.associated {
            writeln!(out, "  - {a}").unwrap();
        }
        out.push_str("revisions:\n");
        for r in &self.revisions {
            writeln!(out, "  - version: \"{}\"", r.version).unwrap();
            writeln!(out, "    date: {}", iso(r.date)).unwrap();
            writeln!(out, "    author: {}", r.author).unwrap();
            writeln!(out, "    approved_by: {}", self.approver).unwrap();
            writeln!(out, "    summary: {}", r.summary).unwrap();
        }
        out.push_str("---\n");
    }

    fn body(&mut self, out: &mut String, target: usize) {
        let topic = self.topic.to_lowercase();
        let mut section = 0;
        let mut heading = |out: &mut String, title: &str| {
            section += 1;
            write!(out, "## {section}. {title}\n\n").unwrap();
            section
        };

        heading(out, "Purpose");
        self.paragraph(out, 3, 5);
        writeln!(
            out,
            "This policy explains how Bench Org manages {topic}. It should be read with the policies listed under *Associated policies*, in particular [{}](../{}/index.html).\n",
            self.others.first().map_or("the Code of Conduct".to_owned(), |o| format!("Policy {} on {}", &o.0[7..], o.1)),
            self.others.first().map_or(self.id.as_str(), |o| o.0.as_str()),
        )
        .unwrap();

        heading(out, "Scope");
        self.paragraph(out, 3, 6);
        self.bullets(out, 3, 5);

        heading(out, "Definitions");
        self.table(out);

        // Main sections until the body reaches its target size.
        let closing_size = 2100;
        let mut used = Vec::new();
        while out.len() + closing_size < target {
            let mut title = self.rng.pick(SECTIONS);
            while used.contains(&title) && used.len() < SECTIONS.len() {
                title = self.rng.pick(SECTIONS);
            }
            used.push(title);
            let s = heading(out, title);
            self.paragraph(out, 2, 4);
            for sub in 1..=self.rng.range(2, 3) {
                let sub_title = self.rng.pick(SUBSECTIONS);
                write!(out, "### {s}.{sub} {sub_title}\n\n").unwrap();
                self.paragraph(out, 3, 6);
                match self.rng.range(0, 5) {
                    0 => self.do_dont(out),
                    1 => self.steps(out),
                    2 | 3 => self.bullets(out, 3, 6),
                    _ => self.paragraph(out, 2, 4),
                }
                if out.len() + closing_size >= target {
                    break;
                }
            }
        }

        heading(out, "Responsibilities");
        for _ in 0..self.rng.range(2, 3) {
            let role = self.rng.pick(OWNERS);
            // Plain headings: `{role=...}` would need a content/roles.toml and `raci:`.
            write!(out, "### The {role}\n\n").unwrap();
            self.bullets(out, 2, 4);
        }

        heading(out, "Monitoring and review");
        let interval = match self.review {
            Review::Interval(interval) => format!("every {interval}"),
            Review::Due(day) => format!("by {}", iso(day)),
        };
        writeln!(
            out,
            "The {} reviews this policy {interval}, or sooner if legislation, guidance or our way of working changes.[^1] Comments are welcome at any time through the [policy feedback form](https://intranet.bench.example/policies/feedback?policy={}).\n",
            self.owner, self.id,
        )
        .unwrap();
        writeln!(
            out,
            "[^1]: See the \"{}\" guidance published by the {} and our own *Policy Framework*, section {}.",
            self.rng.pick(GUIDANCE),
            self.rng.pick(REGULATORS),
            self.rng.range(2, 9),
        )
        .unwrap();
    }

    fn sentence(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        let words = rng.range(9, 22);
        let mut first = true;
        for w in 0..words {
            if !first {
                out.push(' ');
            }
            let word = rng.pick(VOCABULARY);
            let decorate = rng.range(0, 99);
            let mut word = if first {
                capitalise(word)
            } else {
                word.to_owned()
            };
            if w > 0 && w + 1 < words && decorate < 4 {
                word = format!("**{word}**");
            } else if w > 0 && w + 1 < words && decorate < 8 {
                word = format!("*{word}*");
            } else if w > 0 && w + 1 < words && decorate < 9 {
                let page = rng.pick(VOCABULARY);
                word = format!("[{word}](https://intranet.bench.example/guidance/{page}.html)");
            } else if w > 0 && w + 1 < words && decorate < 11 {
                word.push(',');
            }
            out.push_str(&word);
            first = false;
        }
        if rng.chance(10) {
            out.push_str(", including the learner's \"reasonable adjustments\"");
        }
        out.push('.');
    }

    fn paragraph(&mut self, out: &mut String, lo: usize, hi: usize) {
        for i in 0..self.rng.range(lo, hi) {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(out);
        }
        out.push_str("\n\n");
    }

    fn list_item(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        let words = rng.range(6, 16);
        for w in 0..words {
            if w > 0 {
                out.push(' ');
            }
            out.push_str(rng.pick(VOCABULARY));
        }
    }

    fn bullets(&mut self, out: &mut String, lo: usize, hi: usize) {
        for _ in 0..self.rng.range(lo, hi) {
            out.push_str("- ");
            let verb = capitalise(self.rng.pick(VERBS));
            out.push_str(&verb);
            out.push(' ');
            self.list_item(out);
            out.push_str(".\n");
        }
        out.push('\n');
    }

    fn steps(&mut self, out: &mut String) {
        for step in 1..=self.rng.range(3, 5) {
            write!(out, "{step}. The {} ", self.rng.pick(OWNERS)).unwrap();
            out.push_str(self.rng.pick(VERBS));
            out.push(' ');
            self.list_item(out);
            out.push_str(" within ");
            writeln!(out, "{} working days.", self.rng.range(1, 10)).unwrap();
        }
        out.push('\n');
    }

    fn do_dont(&mut self, out: &mut String) {
        for label in ["**Do:**", "**Do not:**"] {
            out.push_str(label);
            out.push_str("\n\n");
            for _ in 0..self.rng.range(3, 5) {
                out.push_str("- ");
                out.push_str(self.rng.pick(VERBS));
                out.push(' ');
                self.list_item(out);
                out.push_str(";\n");
            }
            out.push('\n');
        }
    }

    fn table(&mut self, out: &mut String) {
        out.push_str("| Term | Meaning in this policy |\n|---|---|\n");
        for _ in 0..self.rng.range(4, 7) {
            let term = capitalise(self.rng.pick(VOCABULARY));
            write!(out, "| {term} {} | ", self.rng.pick(VOCABULARY)).unwrap();
            self.list_item(out);
            out.push_str(". |\n");
        }
        out.push('\n');
    }
}

fn policy_id(index: usize, width: usize) -> String {
    format!("policy-{index:0width$}")
}

fn revision_summary(rng: &mut Rng, topic: &str) -> String {
    format!(
        "{} the {} section on {} and {}.",
        capitalise(rng.pick(REVISION_VERBS)),
        rng.pick(SUBSECTIONS).to_lowercase(),
        topic.to_lowercase(),
        rng.pick(REVISION_TAILS),
    )
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_owned()
}

fn folder(category: &str) -> String {
    slug(category)
}

const CATEGORIES: &[&str] = &[
    "Safeguarding",
    "Data and Information",
    "Health and Safety",
    "Human Resources",
    "Quality and Standards",
    "Learner Support",
    "Finance",
    "Governance",
    "Equality and Diversity",
    "IT and Digital",
    "Estates and Facilities",
    "Apprenticeships",
];

const TOPICS: &[&str] = &[
    "Remote Working",
    "Lone Working",
    "Data Retention",
    "Acceptable Use of IT",
    "Whistleblowing",
    "Complaints",
    "Fire Safety",
    "First Aid",
    "Recruitment and Selection",
    "Staff Conduct",
    "Learner Attendance",
    "Assessment Malpractice",
    "Internal Quality Assurance",
    "Bursaries and Hardship Funds",
    "Procurement",
    "Anti-Fraud and Bribery",
    "Conflicts of Interest",
    "Equality and Inclusion",
    "Reasonable Adjustments",
    "Information Security",
    "Password Management",
    "Visitors on Site",
    "Off-the-Job Training",
    "Subcontracting",
    "Modern Slavery",
    "Mental Health and Wellbeing",
    "Flexible Working",
    "Expenses",
    "Gifts and Hospitality",
    "Use of Social Media",
];

const OWNERS: &[&str] = &[
    "Head of Quality",
    "Designated Safeguarding Lead",
    "Data Protection Officer",
    "Finance Director",
    "HR Manager",
    "Health and Safety Officer",
    "Head of Apprenticeships",
    "ICT Manager",
    "Learner Services Manager",
    "Estates Manager",
    "Chief Executive",
    "Company Secretary",
];

const APPROVERS: &[&str] = &[
    "Board of Directors",
    "Senior Leadership Team",
    "Quality Committee",
    "Audit and Risk Committee",
];

const PEOPLE: &[&str] = &[
    "Priya Natarajan",
    "Tom Whitcombe",
    "Aisha Rahman",
    "Gareth Lloyd",
    "Sofia Marques",
    "Daniel Okafor",
    "Helen Brierley",
    "Marek Nowak",
    "Fiona Gallagher",
    "Sam Oduya",
];

const INTERVALS: &[&str] = &[
    "12 months",
    "24 months",
    "6 months",
    "1 year",
    "2 years",
    "52 weeks",
];

const EXTERNAL: &[&str] = &[
    "Group Records Retention Schedule",
    "Parent Company Code of Conduct",
    "Local Safeguarding Partnership Procedures",
    "Awarding Organisation Malpractice Policy",
    "Employer Health and Safety Handbook",
    "Funding Rules for Apprenticeships",
];

const SUMMARY_VERBS: &[&str] = &[
    "manages",
    "organises",
    "monitors",
    "supports",
    "controls",
    "records",
];

const SUMMARY_AIMS: &[&str] = &[
    "keep learners safe",
    "meet our legal duties",
    "protect personal data",
    "report concerns quickly",
    "keep accurate records",
    "treat everyone fairly",
];

const REVISION_VERBS: &[&str] = &[
    "rewrote",
    "updated",
    "clarified",
    "expanded",
    "shortened",
    "reorganised",
];

const REVISION_TAILS: &[&str] = &[
    "added a named contact for each site",
    "aligned the wording with current statutory guidance",
    "removed duplicated procedures",
    "added a flowchart for reporting",
    "reflected the new organisation structure",
    "corrected the review timescales",
];

const SECTIONS: &[&str] = &[
    "Principles",
    "Roles and Procedures",
    "Reporting Concerns",
    "Training and Awareness",
    "Records and Evidence",
    "Working with Employers",
    "Learners Under 18",
    "Risk Assessment",
    "Communication",
    "Breaches of this Policy",
    "Exceptions",
    "Support Available",
    "Third Parties and Contractors",
    "Accessibility",
];

const SUBSECTIONS: &[&str] = &[
    "General Requirements",
    "Before You Start",
    "During the Activity",
    "Afterwards",
    "Escalation",
    "Recording Decisions",
    "Sharing Information",
    "Working Remotely",
    "At Employer Premises",
    "Out of Hours",
    "Consent",
    "Timescales",
];

const VERBS: &[&str] = &[
    "record", "report", "review", "agree", "check", "confirm", "share", "store", "escalate",
    "explain", "document", "approve", "monitor", "protect", "support", "complete", "follow",
    "consult",
];

const GUIDANCE: &[&str] = &[
    "Keeping Children Safe in Education",
    "Working Together to Safeguard Children",
    "Guide to the UK GDPR",
    "Managing Health and Safety at Work",
    "Apprenticeship Funding Rules",
];

const REGULATORS: &[&str] = &[
    "Department for Education",
    "Information Commissioner's Office",
    "Health and Safety Executive",
    "Education and Skills Funding Agency",
    "Ofsted",
];

const VOCABULARY: &[&str] = &[
    "the",
    "the",
    "the",
    "a",
    "and",
    "and",
    "or",
    "of",
    "of",
    "to",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "must",
    "should",
    "may",
    "will",
    "all",
    "every",
    "any",
    "each",
    "staff",
    "learners",
    "apprentices",
    "employers",
    "trainers",
    "assessors",
    "managers",
    "visitors",
    "contractors",
    "policy",
    "procedure",
    "guidance",
    "record",
    "records",
    "evidence",
    "information",
    "personal",
    "data",
    "risk",
    "risks",
    "assessment",
    "review",
    "approval",
    "consent",
    "concern",
    "concerns",
    "incident",
    "incidents",
    "report",
    "reports",
    "register",
    "log",
    "safeguarding",
    "wellbeing",
    "welfare",
    "safety",
    "security",
    "confidential",
    "appropriate",
    "reasonable",
    "proportionate",
    "timely",
    "accurate",
    "secure",
    "written",
    "agreed",
    "approved",
    "documented",
    "relevant",
    "statutory",
    "legal",
    "regulatory",
    "obligations",
    "duties",
    "responsibilities",
    "rights",
    "expectations",
    "standards",
    "quality",
    "compliance",
    "training",
    "induction",
    "supervision",
    "support",
    "adjustments",
    "arrangements",
    "premises",
    "centre",
    "workplace",
    "network",
    "devices",
    "systems",
    "accounts",
    "access",
    "retention",
    "disposal",
    "storage",
    "sharing",
    "disclosure",
    "monitoring",
    "audit",
    "escalation",
    "investigation",
    "outcome",
    "action",
    "actions",
    "decision",
    "decisions",
    "deadline",
    "timescale",
    "within",
    "before",
    "after",
    "during",
    "where",
    "when",
    "unless",
    "promptly",
    "clearly",
    "fairly",
    "consistently",
    "annually",
    "termly",
    "immediately",
    "Designated",
    "Lead",
    "Board",
    "Directors",
    "committee",
    "programme",
    "qualification",
    "funding",
    "contract",
    "subcontractor",
    "partner",
    "complaint",
    "appeal",
    "outcome",
    "feedback",
    "improvement",
    "plan",
    "objective",
];
