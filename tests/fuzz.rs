//! Bounded fuzzing of every reader of untrusted input (policies, quizzes, the role register, the
//! config, Moodle's downloads, rosters and receipts), run in CI with a fixed number of cases:
//! mutations of the example project's own files (byte flips, insertions of the characters each
//! format gives meaning to, deletions, duplications) must never panic, whatever they produce.
//! Set PROPTEST_CASES to run longer locally, e.g. `PROPTEST_CASES=100000 cargo test --test fuzz`.

mod common;

use std::path::Path;

use proptest::prelude::*;

/// Characters the formats give meaning to: YAML, TOML, GIFT, Markdown, HTML, CSV, JSON.
const INTERESTING: &[u8] =
    b"-:{}[]\"'\n\r\t#=%~<>!|&*\\,;/@$`^_.0123456789 \xc3\xa9\xe2\x80\x99\xef\xbb\xbf\x00";

#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), 0..INTERESTING.len()).prop_map(|(at, i)| Mutation::Insert {
            at,
            byte: INTERESTING[i]
        }),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        let len = bytes.len();
        let pos = |at: usize| if len == 0 { 0 } else { at % (len + 1) };
        match *m {
            Mutation::Flip { at, bit } if len > 0 => bytes[at % len] ^= 1 << bit,
            Mutation::Flip { .. } => {}
            Mutation::Insert { at, byte } => bytes.insert(pos(at), byte),
            Mutation::Delete { at, len: n } => {
                let start = pos(at).min(len);
                bytes.drain(start..(start + n).min(len));
            }
            Mutation::Duplicate { at, len: n } => {
                let start = pos(at).min(len);
                let slice = bytes[start..(start + n).min(len)].to_vec();
                bytes.splice(start..start, slice);
            }
        }
    }
    bytes
}

/// The example project's files of one kind, as seeds.
fn seeds(folder: &str, extension: &str) -> Vec<Vec<u8>> {
    let dir = common::repo_root().join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(extension))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no {extension} seeds in {}",
        dir.display()
    );
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (0..seeds.len(), prop::collection::vec(mutation(), 1..8))
        .prop_map(move |(i, ms)| mutate(&seeds[i], &ms))
}

/// The example's Moodle downloads and roster, as seeds.
fn table_seeds() -> Vec<Vec<u8>> {
    let dir = common::repo_root().join("tests/fixtures/moodle");
    let mut seeds: Vec<Vec<u8>> = ["txt", "csv"]
        .iter()
        .flat_map(|ext| {
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == *ext))
                .collect();
            paths.sort();
            paths
        })
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(seeds.len() >= 3, "no Moodle fixtures to fuzz");
    seeds.push(b"Name;Email address;Response 1\nJo;jo@example.org;ack:a:1.0:sha256:x\n".to_vec());
    seeds
}

/// A valid website receipt, as a seed.
fn receipt_seed() -> Vec<u8> {
    let mut receipt = serde_json::json!({
        "type": "policybook-acknowledgement/1",
        "organisation": "Test Org",
        "policy": { "id": "a", "title": "Policy A", "version": "1.0", "digest": "a".repeat(64) },
        "statement": "I have read and understood the Policy A, version 1.0.",
        "person": { "name": "Jo Bloggs", "staff_id": "S1", "email": "jo@example.org" },
        "acknowledged_at": "2026-11-26T10:00:00Z"
    });
    receipt["receipt_hash"] = policybook::acks::receipt_hash(&receipt).into();
    serde_json::to_vec_pretty(&receipt).unwrap()
}

fn current_policies() -> Vec<policybook::acks::CurrentPolicy> {
    vec![policybook::acks::CurrentPolicy {
        id: "a".to_owned(),
        title: "Policy A".to_owned(),
        version: "1.0".to_owned(),
        digest: "a".repeat(64),
        ..Default::default()
    }]
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn policies_never_panic(bytes in mutated(seeds("content", ".md"))) {
        let (policy, _) = policybook::content::load_policy(&bytes, Path::new("content/p.md"), Path::new("content/p.md"));
        if let Some(policy) = policy {
            let _ = policybook::validate::validate_policies(&[policy], &[]);
        }
    }

    #[test]
    fn toml_quizzes_never_panic(bytes in mutated(seeds("quizzes", ".toml"))) {
        let (quiz, _) = policybook::quiz::parse_toml(&text(&bytes), "q", Path::new("quizzes/q.toml"));
        if let Some(quiz) = quiz {
            let _ = policybook::quiz::to_gift(&quiz);
            let _ = policybook::quiz::to_moodle_xml(&quiz);
        }
    }

    #[test]
    fn gift_quizzes_never_panic(bytes in mutated(seeds("quizzes", ".gift"))) {
        let side = std::fs::read_to_string(common::repo_root().join("quizzes/social-media.quiz.toml")).unwrap();
        let (quiz, _) = policybook::quiz::parse_gift(
            &text(&bytes), Path::new("quizzes/q.gift"), &side, Path::new("quizzes/q.quiz.toml"), "q",
        );
        if let Some(quiz) = quiz {
            let _ = policybook::quiz::to_gift(&quiz);
            let _ = policybook::quiz::to_moodle_xml(&quiz);
        }
    }

    #[test]
    fn quiz_settings_never_panic(bytes in mutated(seeds("quizzes", ".quiz.toml"))) {
        let gift = std::fs::read_to_string(common::repo_root().join("quizzes/social-media.gift")).unwrap();
        let _ = policybook::quiz::parse_gift(
            &gift, Path::new("quizzes/q.gift"), &text(&bytes), Path::new("quizzes/q.quiz.toml"), "q",
        );
    }

    #[test]
    fn the_role_register_never_panics(bytes in mutated(seeds("content", "roles.toml"))) {
        let _ = policybook::roles::RoleRegister::parse(text(&bytes), "content/roles.toml".into());
    }

    #[test]
    fn lms_reports_and_rosters_never_panic(bytes in mutated(table_seeds())) {
        let path = Path::new("report.txt");
        if let Ok((records, _)) = policybook::acks::report::parse_report(&bytes, path, None) {
            let result = policybook::acks::reconcile(&current_policies(), &records, None);
            let _ = (result.table(), result.summary(), result.to_csv());
        }
        let _ = policybook::acks::table::parse_delimited(&bytes, Path::new("roster.csv"), "roster");
    }

    #[test]
    fn receipts_never_panic(bytes in mutated(vec![receipt_seed()])) {
        if let Ok(record) = policybook::acks::receipt::parse_receipt(&bytes, Path::new("r.json")) {
            let result = policybook::acks::reconcile(&current_policies(), &[record], None);
            let _ = (result.table(), result.to_csv());
        }
    }

    #[test]
    fn the_config_never_panics(bytes in mutated(vec![std::fs::read(common::repo_root().join("policybook.toml")).unwrap()])) {
        let _ = policybook::Config::parse(&text(&bytes), Path::new("policybook.toml"));
    }
}

proptest! {
    // Spreadsheets are read from files: fewer cases, each through a temporary file.
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn spreadsheet_downloads_never_panic(bytes in mutated(["interactions.xlsx", "interactions.ods"]
        .iter()
        .map(|f| std::fs::read(common::repo_root().join("tests/fixtures/moodle").join(f)).unwrap())
        .collect()))
    {
        let dir = tempfile::tempdir().unwrap();
        for name in ["r.xlsx", "r.ods"] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let _ = policybook::acks::report::read_report(&path, None);
        }
    }
}
