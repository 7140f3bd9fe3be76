//! SCORM packages: what is in them, their manifests against the official schemas, stable
//! identifiers, determinism, and the build-time checks. (Tracking in a browser against an LMS
//! runtime is in tests/browser/scorm.test.mjs.)

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Every entry of a zip: name → bytes, in the zip's own order.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn build_into(root: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("build");
    run_ok(root, &["build", "--out", out.to_str().unwrap()]);
    (tmp, out)
}

fn attr<'a>(xml: &'a str, element: &str, name: &str) -> Vec<&'a str> {
    xml.match_indices(&format!("<{element} "))
        .filter_map(|(i, _)| {
            let tag = &xml[i..i + xml[i..].find('>').unwrap()];
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(&tag[start..start + tag[start..].find('"').unwrap()])
        })
        .collect()
}

fn validate_manifest(manifest: &[u8], version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imsmanifest.xml");
    std::fs::write(&path, manifest).unwrap();
    let schema = repo_root().join(format!("schemas/{version}/validate.xsd"));
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&path)
        .output()
        .expect("xmllint is needed (Debian package libxml2-utils); scripts/test installs it");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.contains("validates"),
        "{version} manifest does not validate:\n{stderr}"
    );
}

#[test]
fn every_module_has_two_packages_whose_manifests_validate() {
    let (_tmp, out) = build_into(&repo_root());
    let mut modules: Vec<String> = std::fs::read_dir(repo_root().join("content"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "md").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    modules.push("new-staff-induction".to_owned());
    for module in &modules {
        for (suffix, schema, schemaversion, scormtype) in [
            (
                "scorm12",
                "scorm12",
                "<schemaversion>1.2</schemaversion>",
                "adlcp:scormtype=\"sco\"",
            ),
            (
                "scorm2004",
                "scorm2004",
                "<schemaversion>2004 4th Edition</schemaversion>",
                "adlcp:scormType=\"sco\"",
            ),
        ] {
            let zip = out.join(format!("scorm/{module}-{suffix}.zip"));
            let entries: BTreeMap<String, Vec<u8>> = unzip(&zip).into_iter().collect();
            let manifest = &entries["imsmanifest.xml"];
            validate_manifest(manifest, schema);
            let xml = std::str::from_utf8(manifest).unwrap();
            assert!(xml.contains(schemaversion), "{module} {suffix}");
            assert!(
                xml.contains(scormtype),
                "{module} {suffix}: exact adlcp prefix and spelling"
            );
            assert!(
                !xml.contains("&#"),
                "{module} {suffix}: numeric character reference"
            );
            // Schemas at the root, and every content file listed.
            let listed: Vec<&str> = attr(xml, "file", "href");
            for name in entries.keys() {
                let is_schema = name.ends_with(".xsd") && !name.contains('/');
                if name != "imsmanifest.xml" && !is_schema {
                    assert!(
                        listed.contains(&name.as_str()),
                        "{module} {suffix}: {name} not listed in the manifest"
                    );
                }
            }
            for href in &listed {
                assert!(
                    entries.contains_key(*href),
                    "{module} {suffix}: listed {href} is not in the zip"
                );
            }
            assert!(
                entries
                    .keys()
                    .any(|n| n == "imscp_rootv1p1p2.xsd" || n == "imscp_v1p1.xsd")
            );
            // Nothing in the package loads from another host.
            let page = std::str::from_utf8(&entries["index.html"]).unwrap();
            let doc = scraper::Html::parse_document(page);
            for el in select(&doc, "[src], link[href]") {
                let link = el.attr("src").or(el.attr("href")).unwrap();
                assert!(!link.contains("//"), "{module} {suffix}: loads {link}");
            }
            assert!(!String::from_utf8_lossy(&entries["assets/style.css"]).contains("url(http"));
        }
    }
    let readme = std::fs::read_to_string(out.join("scorm/README.md")).unwrap();
    assert!(
        readme.contains("Require minimum score: 80") && readme.contains("Highest grade"),
        "{readme}"
    );
}

#[test]
fn mastery_score_is_the_pass_mark_of_a_single_quiz_only() {
    let (_tmp, out) = build_into(&repo_root());
    let manifest = |name: &str| {
        let entries: BTreeMap<String, Vec<u8>> = unzip(&out.join(format!("scorm/{name}.zip")))
            .into_iter()
            .collect();
        String::from_utf8(entries["imsmanifest.xml"].clone()).unwrap()
    };
    assert!(manifest("e-safety-scorm12").contains("<adlcp:masteryscore>80</adlcp:masteryscore>"));
    // Three quizzes, each passed at its own mark: no single score decides, so no mastery score.
    assert!(!manifest("new-staff-induction-scorm12").contains("masteryscore"));
}

#[test]
fn packages_are_deterministic_zips_with_the_manifest_at_the_root() {
    let (_a, out_a) = build_into(&repo_root());
    let (_b, out_b) = build_into(&repo_root());
    let a = read_tree(&out_a);
    let b = read_tree(&out_b);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    let entries = unzip(&out_a.join("scorm/e-safety-scorm12.zip"));
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    assert!(names.contains(&"imsmanifest.xml"));
    let file = std::fs::File::open(out_a.join("scorm/e-safety-scorm12.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let modified = zip.by_name("index.html").unwrap().last_modified().unwrap();
    assert_eq!(
        (modified.year(), modified.month(), modified.day()),
        (1980, 1, 1)
    );
}

/// Copies the example project (config, content, quizzes) into a temporary folder.
fn copy_example() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["content", "quizzes"] {
        for entry in walkdir::WalkDir::new(repo_root().join(sub)) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(repo_root()).unwrap();
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(dir.path().join(rel)).unwrap();
            } else {
                std::fs::copy(entry.path(), dir.path().join(rel)).unwrap();
            }
        }
    }
    std::fs::copy(
        repo_root().join("policybook.toml"),
        dir.path().join("policybook.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn identifiers_survive_a_new_policy_version() {
    let project = copy_example();
    let identifiers = |out: &Path| {
        let mut ids = Vec::new();
        for entry in std::fs::read_dir(out.join("scorm")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "zip") {
                let entries: BTreeMap<String, Vec<u8>> = unzip(&path).into_iter().collect();
                let xml = String::from_utf8(entries["imsmanifest.xml"].clone()).unwrap();
                for element in ["manifest", "organization", "item", "resource"] {
                    for id in attr(&xml, element, "identifier") {
                        ids.push(format!(
                            "{}: {element} {id}",
                            path.file_name().unwrap().to_string_lossy()
                        ));
                    }
                }
            }
        }
        ids.sort();
        ids
    };
    let (_a, before_out) = build_into(project.path());
    let before = identifiers(&before_out);
    let policy = project.path().join("content/e-safety.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    let text = text
        .replacen("version: \"3.1\"", "version: \"3.2\"", 1)
        .replace("## 1. Purpose", "## 1. Purpose and aims");
    std::fs::write(&policy, text).unwrap();
    let (_b, after_out) = build_into(project.path());
    let after = identifiers(&after_out);
    assert!(before.len() >= 40, "{before:?}");
    assert_eq!(before, after);
    // The new version is in the package all the same.
    let entries: BTreeMap<String, Vec<u8>> = unzip(&after_out.join("scorm/e-safety-scorm12.zip"))
        .into_iter()
        .collect();
    assert!(String::from_utf8_lossy(&entries["index.html"]).contains("version 3.2"));
}

#[test]
fn saved_progress_that_could_overflow_scorm_12_is_a_build_error() {
    let mut quiz = String::from("title = \"Long\"\npolicy = \"p\"\npass_mark = 80\n");
    for i in 0..25 {
        quiz.push_str(&format!("\n[[question]]\nid = \"q{i}\"\ntype = \"short\"\ntext = \"Say it\"\nanswers = [\"it\"]\n"));
    }
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/p.md", &policy("P", "")),
        ("quizzes/long.toml", &quiz),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert!(
        lines[0].starts_with("quizzes/long.toml:1:1: error: module `p`: saved progress can reach ")
            && lines[0].ends_with("characters, over the 4096 that SCORM 1.2 LMSs keep (help: use `draw` to ask fewer questions per attempt, or split the module into smaller ones)"),
        "{lines:?}"
    );
    // Drawing fewer questions per attempt fixes it.
    write(
        dir.path(),
        "quizzes/long.toml",
        &quiz.replacen("pass_mark = 80", "pass_mark = 80\ndraw = 10", 1),
    );
    run_ok(dir.path(), &["check"]);
}

#[test]
fn module_configuration_errors_name_the_line() {
    let config = format!(
        "{CONFIG}\n[[module]]\nid = \"induction\"\ntitle = \"Induction\"\npolicies = [\"a\", \"bb\"]\n\n[[module]]\nid = \"a\"\ntitle = \"Clash\"\npolicies = [\"a\"]\n"
    );
    let dir = project(&[
        ("policybook.toml", &config),
        ("content/a.md", &policy("A", "")),
        ("content/b.md", &policy("B", "")),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert_eq!(
        lines[..2],
        [
            "policybook.toml:5:1: error: module `induction`: no policy has id `bb` (help: did you mean `b`?)",
            "policybook.toml:10:1: error: module id `a` is already used by a policy or another module (help: every policy has a module named after its id; give this one another id)",
        ]
    );
}

#[test]
fn hostile_titles_cannot_break_the_player_data() {
    let config = format!(
        "{CONFIG}\n[[module]]\nid = \"combo\"\ntitle = \"Combo <!--<script> </script>\"\npolicies = [\"a\"]\n"
    );
    let dir = project(&[
        ("policybook.toml", &config),
        ("content/a.md", &policy("A <!--<script>", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let entries: BTreeMap<String, Vec<u8>> =
        unzip(&dir.path().join("build/scorm/combo-scorm12.zip"))
            .into_iter()
            .collect();
    let page = String::from_utf8(entries["index.html"].clone()).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let data = select(&doc, "script#module-data");
    assert_eq!(data.len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&data[0].text().collect::<String>()).unwrap();
    assert_eq!(json["title"], "Combo <!--<script> </script>");
    assert_eq!(
        select(&doc, "script[src]").len(),
        1,
        "scorm.js still loads (the module has no quiz, so no quiz.js)"
    );
}

#[test]
fn question_ids_must_differ_within_a_module() {
    let quiz = |policy: &str| {
        format!(
            "title = \"Q\"\npolicy = \"{policy}\"\npass_mark = 80\n\n[[question]]\nid = \"q1\"\ntype = \"true-false\"\ntext = \"Yes?\"\nanswer = true\n"
        )
    };
    let config = format!(
        "{CONFIG}\n[[module]]\nid = \"both\"\ntitle = \"Both\"\npolicies = [\"a\", \"b\"]\n"
    );
    let dir = project(&[
        ("policybook.toml", &config),
        ("content/a.md", &policy("A", "")),
        ("content/b.md", &policy("B", "")),
        ("quizzes/qa.toml", &quiz("a")),
        ("quizzes/qb.toml", &quiz("b")),
    ]);
    let lines = run_err(dir.path(), &["--message-format", "short", "check"]);
    assert_eq!(
        lines[0],
        "policybook.toml: error: module `both`: quizzes `qa` and `qb` both have a question `q1` (help: question ids become SCORM interaction ids, so they must differ within a module: rename one)"
    );
}

#[test]
fn packages_ship_only_the_assets_they_use() {
    // Issue 10: assets/ack.js (the website's receipt script) was in every zip and its manifest,
    // and never loaded.
    let config = format!(
        "{CONFIG}\n[[module]]\nid = \"no-quiz\"\ntitle = \"No quiz\"\npolicies = [\"a\"]\nquizzes = []\n"
    );
    let quiz = "title = \"Q\"\npolicy = \"a\"\npass_mark = 80\n\n[[question]]\nid = \"q1\"\ntype = \"true-false\"\ntext = \"Yes?\"\nanswer = true\n";
    let dir = project(&[
        ("policybook.toml", &config),
        ("content/a.md", &policy("A", "")),
        ("quizzes/qa.toml", quiz),
    ]);
    run_ok(dir.path(), &["build"]);
    for (module, expected) in [
        (
            "a",
            &["assets/quiz.js", "assets/scorm.js", "assets/style.css"][..],
        ),
        ("no-quiz", &["assets/scorm.js", "assets/style.css"]),
    ] {
        for suffix in ["scorm12", "scorm2004"] {
            let entries: BTreeMap<String, Vec<u8>> = unzip(
                &dir.path()
                    .join(format!("build/scorm/{module}-{suffix}.zip")),
            )
            .into_iter()
            .collect();
            let assets: Vec<&str> = entries
                .keys()
                .map(String::as_str)
                .filter(|n| n.starts_with("assets/"))
                .collect();
            assert_eq!(assets, expected, "{module} {suffix}");
            let xml = std::str::from_utf8(&entries["imsmanifest.xml"]).unwrap();
            let mut listed = attr(xml, "file", "href");
            listed.retain(|f| f.starts_with("assets/"));
            assert_eq!(listed, expected, "{module} {suffix}: manifest");
            let page =
                scraper::Html::parse_document(std::str::from_utf8(&entries["index.html"]).unwrap());
            let loaded: Vec<&str> = select(&page, "script[src], link[href]")
                .iter()
                .map(|e| e.attr("src").or(e.attr("href")).unwrap())
                .collect();
            for file in &loaded {
                assert!(
                    entries.contains_key(*file),
                    "{module}: loads {file}, not in the zip"
                );
            }
        }
    }
}

#[test]
fn external_links_in_packages_open_a_new_tab_and_say_so() {
    // Issue 10: a link to another site navigated Moodle's player frame away, which ended the
    // session.
    let body = "\n\nSee [the guidance](https://www.gov.uk/guidance) and [section 2](#2-rules).\n";
    let text = policy("A", "") + body;
    let dir = project(&[("policybook.toml", CONFIG), ("content/a.md", &text)]);
    run_ok(dir.path(), &["build"]);
    let entries: BTreeMap<String, Vec<u8>> = unzip(&dir.path().join("build/scorm/a-scorm12.zip"))
        .into_iter()
        .collect();
    let page = scraper::Html::parse_document(std::str::from_utf8(&entries["index.html"]).unwrap());
    let external = select(&page, ".policy-body a[href^='https:']");
    assert_eq!(external.len(), 1);
    assert_eq!(external[0].attr("target"), Some("_blank"));
    assert_eq!(external[0].attr("rel"), Some("noopener"));
    assert_eq!(text_of(&external[0]), "the guidance (opens in a new tab)");
    let note = scraper::Selector::parse(".visually-hidden").unwrap();
    assert_eq!(
        external[0].select(&note).count(),
        1,
        "the note is for screen readers"
    );
    let internal = select(&page, ".policy-body a[href^='#']");
    assert!(internal.iter().all(|a| a.attr("target").is_none()));
    // The website keeps ordinary links.
    let site = html(&dir.path().join("build/site/policies/a/index.html"));
    let link = select(&site, "a[href^='https://www.gov.uk']");
    assert_eq!(link[0].attr("target"), None);
}

fn text_of(el: &scraper::ElementRef) -> String {
    text(el)
}

#[test]
fn the_admin_readme_gives_the_right_advice() {
    let config = format!(
        "{CONFIG}\n[[module]]\nid = \"no-quiz\"\ntitle = \"No quiz\"\npolicies = [\"a\"]\nquizzes = []\n"
    );
    let quiz = "title = \"Q\"\npolicy = \"a\"\npass_mark = 75\n\n[[question]]\nid = \"q1\"\ntype = \"true-false\"\ntext = \"Yes?\"\nanswer = true\n";
    let dir = project(&[
        ("policybook.toml", &config),
        ("content/a.md", &policy("A", "")),
        ("quizzes/qa.toml", quiz),
    ]);
    run_ok(dir.path(), &["build"]);
    let readme = std::fs::read_to_string(dir.path().join("build/scorm/README.md")).unwrap();
    // Issue 10 point 6: in Moodle 5.1 ticking Passed and Completed means any of them counts.
    assert!(!readme.contains("requires every ticked status"), "{readme}");
    assert!(
        readme.contains("any one of the ticked statuses"),
        "{readme}"
    );
    // Point 5: a module without a quiz reports a score of 100 on acknowledgement.
    assert!(readme.contains("| `no-quiz` No quiz | A (v1.0) | none (scores 100 on acknowledgement) | Require status: Completed |"), "{readme}");
    assert!(
        readme.contains("| `a` A | A (v1.0) | 75% | Require minimum score: 75 |"),
        "{readme}"
    );
    // Point 4: where SCORM 2004 acknowledgements can be read.
    assert!(readme.contains("Objectives report"), "{readme}");
    assert!(readme.contains("Download in text format"), "{readme}");
}

/// The two versions' pages are rendered once, with a placeholder where the player's data goes
/// (src/scorm/package.rs). Each must still get its own data, with the default theme and with a
/// theme that shows the data escaped, or twice (those pages are rendered once per version).
#[test]
fn each_version_gets_its_own_player_data_whatever_the_theme_does_with_it() {
    let data_of = |zip: &Path, id: &str| -> serde_json::Value {
        let entries: BTreeMap<String, Vec<u8>> = unzip(zip).into_iter().collect();
        let page = String::from_utf8(entries["index.html"].clone()).unwrap();
        let doc = scraper::Html::parse_document(&page);
        let found = select(&doc, &format!("#{id}"));
        assert_eq!(found.len(), 1, "#{id} in {}", zip.display());
        serde_json::from_str(&found[0].text().collect::<String>()).unwrap()
    };
    let dir = project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("A \"quoted\" & <odd>", "")),
    ]);
    run_ok(dir.path(), &["build"]);
    let scorm = dir.path().join("build/scorm");
    let v12 = data_of(&scorm.join("a-scorm12.zip"), "module-data");
    let v2004 = data_of(&scorm.join("a-scorm2004.zip"), "module-data");
    assert_eq!(v12["scorm"], "1.2");
    assert_eq!(v2004["scorm"], "2004");
    assert_ne!(v12["suspend_data_limit"], v2004["suspend_data_limit"]);
    assert_eq!(v12["title"], "A \"quoted\" & <odd>");

    write(
        dir.path(),
        "themes/default/templates/scorm.html",
        "<!doctype html><html lang=en><body><p id=escaped>{{ player_json }}</p>\
         <script type=\"application/json\" id=\"module-data\">{{ player_json | safe }}</script>\
         <script type=\"application/json\" id=\"again\">{{ player_json | safe }}</script>\
         </body></html>",
    );
    run_ok(dir.path(), &["build"]);
    for (zip, version) in [("a-scorm12.zip", "1.2"), ("a-scorm2004.zip", "2004")] {
        let zip = scorm.join(zip);
        for id in ["escaped", "module-data", "again"] {
            assert_eq!(
                data_of(&zip, id)["scorm"],
                version,
                "#{id} of {}",
                zip.display()
            );
        }
    }
}
