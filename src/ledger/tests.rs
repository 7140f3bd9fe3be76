use super::*;

const LEDGER: &str = r#"# comment
[[policy]]
id = "e-safety"
source = "content/e-safety.md"
versions = [
  { version = "3.0", digest = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", approved = "2025-03-01", released = "2025-03-02" },
  { version = "3.1", digest = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", released = "2026-03-02" },
]

[[policy]]
id = "a-first"
source = "content/a.md"
versions = []
"#;

#[test]
fn the_ledger_reads_and_writes_back_the_same() {
    let ledger = Ledger::parse(LEDGER.to_owned(), "policybook.lock".into()).unwrap();
    let ids: Vec<_> = ledger.policies.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a-first", "e-safety"]);
    let e = ledger.policy("e-safety").unwrap();
    assert_eq!(e.latest().unwrap().version, "3.1");
    assert_eq!(e.version("3.0").unwrap().line, 6);
    assert_eq!(
        e.version("3.0").unwrap().approved,
        Some(Date::parse("2025-03-01").unwrap())
    );
    let text = ledger.to_toml();
    let again = Ledger::parse(text.clone(), "policybook.lock".into()).unwrap();
    assert_eq!(again.policies, {
        let mut p = ledger.policies.clone();
        for v in p.iter_mut().flat_map(|p| p.versions.iter_mut()) {
            v.line = again
                .policy("e-safety")
                .unwrap()
                .version(&v.version)
                .unwrap()
                .line;
        }
        p
    });
    assert_eq!(again.to_toml(), text, "writing is stable");
    assert!(
        text.contains("\n  { version = \"3.1\", digest = \"bbbb"),
        "{text}"
    );
}

#[test]
fn a_broken_ledger_names_its_line() {
    let bad = LEDGER.replace("\"2026-03-02\"", "\"2026-13-02\"");
    let Err(Error::Invalid(diags)) = Ledger::parse(bad, "policybook.lock".into()) else {
        panic!("accepted a bad date");
    };
    assert_eq!(diags[0].line, Some(7), "{diags:?}");
    let bad = LEDGER.replace("digest = \"aaaa", "digest = \"AAAA");
    assert!(Ledger::parse(bad, "policybook.lock".into()).is_err());
    let twice = format!("{LEDGER}\n[[policy]]\nid = \"a-first\"\nsource = \"x\"\n");
    assert!(Ledger::parse(twice, "policybook.lock".into()).is_err());
}

#[test]
fn versions_make_safe_file_names() {
    assert_eq!(archive_path("e-safety", "3.1"), "history/e-safety/3.1.md");
    assert_eq!(version_slug("2025 draft/2"), "2025-draft-2");
    assert_eq!(version_slug("../.."), "-..");
    assert_eq!(version_slug(""), "v");
}
