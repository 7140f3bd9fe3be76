//! Issue 13: the site's search index (script files under site/search/).

mod common;

use common::*;

/// The value of `"key":` in a one-line JSON-ish `meta.js`.
fn meta_number(meta: &str, key: &str) -> u64 {
    let at = meta.find(&format!("\"{key}\":")).expect(key) + key.len() + 3;
    meta[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn fnv1a(text: &str, shards: u64) -> u64 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    u64::from(hash) % shards
}

#[test]
fn the_index_finds_a_plural_in_a_deep_section_and_is_in_the_manifest() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        (
            "content/a.md",
            &policy("Devices Policy", "").replace(
                "## 2. Rules",
                "## 2. Rules\n\n### 2.1 Personal phones\n\nKeep personal phones in lockers.\n\n## 3. More",
            ),
        ),
        ("content/b.md", &policy("Other Policy", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let search = dir.path().join("build/site/search");
    let meta = std::fs::read_to_string(search.join("meta.js")).unwrap();
    assert!(meta.starts_with("policybookSearch.meta({"), "{meta}");
    let shards = meta_number(&meta, "shards");
    // Documents: each policy, then each of its sections.
    let docs = std::fs::read_to_string(search.join("d0.js")).unwrap();
    let rows: Vec<&str> = docs.lines().filter(|l| l.starts_with('[')).collect();
    let deep = rows
        .iter()
        .position(|r| r.contains("\"policies/a/index.html#2-1-personal-phones\""))
        .expect("the deep section is a document");
    assert!(rows[deep].starts_with("[\"Devices Policy\",\"2.1 Personal phones\","));
    assert!(rows[deep].contains("Keep personal phones in lockers."));
    // "phones" is stemmed to "phone", in the shard its hash names, with the section in its
    // title (doc × 2 + 1).
    let shard =
        std::fs::read_to_string(search.join(format!("i{}.js", fnv1a("phone", shards)))).unwrap();
    let postings = shard
        .split("\"phone\":\"")
        .nth(1)
        .expect("phone is indexed")
        .split('"')
        .next()
        .unwrap();
    let mut value = 0;
    let docs: Vec<u64> = postings
        .split(',')
        .map(|d| {
            value += u64::from_str_radix(d, 36).unwrap();
            value
        })
        .collect();
    assert!(docs.contains(&(deep as u64 * 2 + 1)), "{postings} {docs:?}");
    assert!(!shard.contains("\"phones\""), "only stems are indexed");
    let manifest = std::fs::read_to_string(dir.path().join("build/manifest.json")).unwrap();
    assert!(manifest.contains("\"site/search/meta.js\""));
    assert!(manifest.contains("\"site/assets/search.js\""));
}

#[test]
fn a_rebuild_reuses_the_index_until_a_policy_changes() {
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Policy A", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let meta = dir.path().join("build/site/search/d0.js");
    let before = std::fs::read_to_string(&meta).unwrap();
    run_ok(dir.path(), &["build"]);
    assert_eq!(std::fs::read_to_string(&meta).unwrap(), before);
    write(
        dir.path(),
        "content/a.md",
        &policy("Policy A", "").replace("Do this.", "Do this carefully."),
    );
    run_ok(dir.path(), &["build"]);
    let after = std::fs::read_to_string(&meta).unwrap();
    assert!(after.contains("Do this carefully."), "{after}");
}
