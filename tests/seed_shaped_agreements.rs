//! Issue 12, points 2–4, on the seed-shaped fixture (`tests/fixtures/seed-shaped/`): agreements
//! per policy and per audience (website form, receipts, paper forms, SCORM step, `acks`),
//! audiences and yearly re-acknowledgement, and document control.

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/seed-shaped")
}

/// A copy of the fixture, built.
fn built() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let warnings = run_ok(dir.path(), &["build"]);
    assert!(!warnings.contains("warning"), "{warnings}");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn page(dir: &Path, path: &str) -> scraper::Html {
    html(&dir.join("build/site").join(path))
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

/// The document control panel as "term: description" lines.
fn control(doc: &scraper::Html) -> Vec<String> {
    select(doc, "dl[aria-label='Document control'] > div")
        .iter()
        .map(|row| {
            let term = text(&select_in(row, "dt")[0]);
            let desc = text(&select_in(row, "dd")[0]);
            format!("{term}: {desc}")
        })
        .collect()
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

#[test]
fn policy_pages_show_document_control() {
    let dir = built();
    let it_use = control(&page(dir.path(), "policies/it-use/index.html"));
    assert_eq!(
        it_use,
        [
            "Version: 2.0",
            "Owner: Operations Director",
            "Approved: Dana Whitfield (Director), 12 May 2025",
            "Effective: Not set",
            "Last reviewed: June 2026 by Quality Manager",
            // Counted from the last review (the month's last day), not from the approval.
            "Next review: 30 June 2027 Current",
            "Applies to: Staff; Contractors and associates",
            "Published in: All Policies websiteStaff shared drive",
            &format!(
                "Content digest: sha256:{}",
                &manifest_digest(dir.path(), "it-use")[..12]
            ),
        ]
    );
    let doc = page(dir.path(), "policies/it-use/index.html");
    assert_eq!(
        texts(&doc, ".published-in li"),
        ["All Policies website", "Staff shared drive"]
    );
    let e_safety = control(&page(dir.path(), "policies/e-safety/index.html"));
    assert!(
        e_safety.contains(&"Next review: July 2027 Current".to_owned()),
        "{e_safety:?}"
    );
    assert!(e_safety.contains(&"Applies to: Staff; Learners and apprentices".to_owned()));
    assert!(e_safety.contains(&"Acknowledge: Again every 12 months".to_owned()));
    let doc = page(dir.path(), "policies/e-safety/index.html");
    assert_eq!(
        select(&doc, "time[datetime='2027-07']").len(),
        1,
        "a month is a valid HTML date"
    );
    // The revision dated by month only is shown as the month.
    let doc = page(dir.path(), "policies/it-use/index.html");
    assert_eq!(texts(&doc, ".revisions tbody td")[0], "May 2025");
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("build/manifest.json")).unwrap()).unwrap()
}

fn manifest_digest(dir: &Path, id: &str) -> String {
    manifest(dir)["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn acknowledgement_forms_offer_each_audience_its_agreement_and_fields() {
    let dir = built();
    let doc = page(dir.path(), "policies/e-safety/index.html");
    assert_eq!(texts(&doc, ".ack-as legend"), ["I am acknowledging as"]);
    assert_eq!(
        texts(&doc, ".ack-as label"),
        ["Staff", "Learners and apprentices"]
    );
    assert_eq!(
        texts(&doc, ".agreement .statement"),
        [
            "I have read the E-Safety Policy (version 3.0) and will follow it in my work with learners.",
            "I have read the E-Safety Policy and agree to use technology safely, to respect others online and to tell a member of staff about anything that worries me.",
        ]
    );
    let learner_box = select(&doc, "#ack-f1-knows-how-to-report");
    assert_eq!(learner_box[0].value().attr("type"), Some("checkbox"));
    assert_eq!(learner_box[0].value().attr("aria-required"), Some("true"));

    let doc = page(dir.path(), "policies/it-use/index.html");
    assert!(
        select(&doc, ".ack-as").is_empty(),
        "one agreement: no choice"
    );
    assert_eq!(
        texts(&doc, ".agreement label"),
        [
            "Laptop assigned (serial no.)",
            "Date the laptop was issued (optional)",
            "I have returned any equipment issued to me before (optional)",
        ]
    );
    let serial = &select(&doc, "#ack-f0-laptop-serial")[0];
    // Long enough for a serial number, short enough for a SCORM response with its prefix.
    let max: usize = serial.value().attr("maxlength").unwrap().parse().unwrap();
    assert_eq!(max, 250 - "field:it-use:laptop-serial:".len());
    assert_eq!(
        select(&doc, "#ack-f0-laptop-issued")[0]
            .value()
            .attr("type"),
        Some("date")
    );
}

#[test]
fn paper_forms_have_one_agreement_each_with_its_fields() {
    let dir = built();
    let doc = page(dir.path(), "policies/e-safety/form.html");
    assert_eq!(
        texts(&doc, ".paper-agreement h2"),
        ["For Staff", "For Learners and apprentices"]
    );
    let staff = &select(&doc, ".paper-agreement")[0];
    assert!(select_in(staff, ".sign-check").is_empty());
    let learners = &select(&doc, ".paper-agreement")[1];
    assert_eq!(
        select_in(learners, ".sign-check")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["☐ I know who to tell if something online worries me"]
    );
    let doc = page(dir.path(), "policies/it-use/form.html");
    let statement = texts(&doc, ".paper-agreement .statement");
    // A written agreement is printed as written, without the default's extra sentence.
    assert_eq!(
        statement,
        [
            "I have read and understood the Safe and Acceptable Use of IT Policy, version 2.0, and agree to abide by the conditions above when I use Northbrook's equipment, accounts and networks."
        ]
    );
    assert_eq!(
        texts(&doc, ".sign-label"),
        [
            "Name",
            "Staff or learner number",
            "Laptop assigned (serial no.)",
            "Date the laptop was issued",
            "Signed",
            "Date"
        ]
    );
}

fn unzip(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The page and the player's data of a SCORM package.
fn package(dir: &Path, zip: &str) -> (scraper::Html, Value) {
    let page = unzip(&dir.join("build/scorm").join(zip), "index.html");
    let tag = page.find("id=module-data").unwrap();
    let start = tag + page[tag..].find('>').unwrap() + 1;
    let end = start + page[start..].find("</script>").unwrap();
    let data = serde_json::from_str(&page[start..end]).unwrap();
    (scraper::Html::parse_document(&page), data)
}

#[test]
fn scorm_packages_show_the_audience_agreement_and_record_fields() {
    let dir = built();
    let mut zips: Vec<String> = std::fs::read_dir(dir.path().join("build/scorm"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-scorm12.zip"))
        .collect();
    zips.sort();
    // A policy whose audiences confirm different agreements gets a module per audience.
    assert_eq!(
        zips,
        [
            "e-safety-learners-scorm12.zip",
            "e-safety-staff-scorm12.zip",
            "it-use-scorm12.zip",
            "staff-induction-scorm12.zip"
        ]
    );
    for version in ["scorm12", "scorm2004"] {
        let (doc, data) = package(dir.path(), &format!("staff-induction-{version}.zip"));
        assert_eq!(
            texts(&doc, ".ack-option label"),
            [
                "I have read and understood the Safe and Acceptable Use of IT Policy, version 2.0, and agree to abide by the conditions above when I use Northbrook's equipment, accounts and networks.",
                "I have read the E-Safety Policy (version 3.0) and will follow it in my work with learners.",
            ]
        );
        assert_eq!(
            texts(&doc, ".ack-field label"),
            [
                "Laptop assigned (serial no.)",
                "Date the laptop was issued (optional)",
                "I have returned any equipment issued to me before (optional)",
            ]
        );
        assert_eq!(
            data["policies"][0]["fields"][0],
            json!({
                "interaction": "ackfield-it-use-laptop-serial",
                "prefix": "field:it-use:laptop-serial:",
                "input": "ack-it-use-laptop-serial",
                "required": true
            })
        );
        assert_eq!(data["policies"][1]["fields"], json!([]));
    }
    let (doc, data) = package(dir.path(), "e-safety-learners-scorm12.zip");
    assert_eq!(
        texts(&doc, ".ack-option label"),
        [
            "I have read the E-Safety Policy and agree to use technology safely, to respect others online and to tell a member of staff about anything that worries me."
        ]
    );
    assert_eq!(
        data["policies"][0]["fields"][0]["prefix"],
        "field:e-safety:knows-how-to-report:"
    );
    let manifest = unzip(
        &dir.path().join("build/scorm/e-safety-learners-scorm12.zip"),
        "imsmanifest.xml",
    );
    assert!(manifest.contains("E-Safety Policy (Learners and apprentices)"));
}

/// A website receipt, sealed with its hash as the website does.
fn receipt(
    person: (&str, &str),
    policy: (&str, &str, &str, &str),
    extra: Value,
    at: &str,
) -> Value {
    let (id, title, version, digest) = policy;
    let mut r = json!({
        "type": "policybook-acknowledgement/1",
        "organisation": "Northbrook Training Trust",
        "policy": { "id": id, "title": title, "version": version, "digest": digest },
        "statement": "as shown",
        "person": { "name": person.0, "staff_id": null, "email": person.1 },
        "acknowledged_at": at,
    });
    for (k, v) in extra.as_object().unwrap() {
        r[k] = v.clone();
    }
    r["receipt_hash"] = Value::String(policybook::acks::receipt_hash(&r));
    r
}

/// The fixture's acks inputs: the Moodle reports with the built digests filled in, and two
/// receipts made here.
fn acks_inputs(dir: &Path) -> PathBuf {
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let it_use = manifest_digest(dir, "it-use");
    let e_safety = manifest_digest(dir, "e-safety");
    for entry in std::fs::read_dir(dir.join("acks")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(real) = name.strip_suffix(".in") {
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("@IT-USE@", &it_use)
                .replace("@E-SAFETY@", &e_safety);
            std::fs::write(inputs.join(real), text).unwrap();
        }
    }
    let ella = receipt(
        ("Ella Marsh", "ella.marsh@northbrook.example"),
        (
            "it-use",
            "Safe and Acceptable Use of IT Policy",
            "2.0",
            &it_use,
        ),
        json!({ "fields": [
            { "id": "laptop-serial", "label": "Laptop assigned (serial no.)", "value": "NB-LT-0311" },
            { "id": "laptop-issued", "label": "Date the laptop was issued", "value": "2026-11-02" },
            { "id": "returned-equipment", "label": "I have returned any equipment issued to me before", "value": false }
        ] }),
        "2026-11-02T08:30:00Z",
    );
    let jo = receipt(
        ("Jo Reed", "jo.reed@learners.northbrook.example"),
        ("e-safety", "E-Safety Policy", "3.0", &e_safety),
        json!({ "audience": "learners", "fields": [
            { "id": "knows-how-to-report", "label": "I know who to tell if something online worries me", "value": true }
        ] }),
        "2026-11-20T14:05:00Z",
    );
    for (name, r) in [("ella.json", ella), ("jo.json", jo)] {
        std::fs::write(inputs.join(name), serde_json::to_string_pretty(&r).unwrap()).unwrap();
    }
    inputs
}

#[test]
fn acks_expects_each_policy_of_its_audience_and_reports_who_is_due_again() {
    let dir = built();
    let inputs = acks_inputs(dir.path());
    let out = run(
        dir.path(),
        &[
            "acks",
            inputs.to_str().unwrap(),
            "--roster",
            "acks/roster.csv",
            "--csv",
            "acks.csv",
            "--fail-if-action-needed",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().map(str::trim_end).collect();
    // As of the Moodle report's download date (its file name), so the result never depends on
    // the day it is run.
    assert_eq!(
        lines[0],
        "Acknowledgements expire as of 2026-11-24 (the download date of the LMS report; set another with --as-of)."
    );
    let status = |person: &str, policy: &str| -> String {
        let start = lines.iter().position(|l| l.starts_with(person)).unwrap();
        lines[start..start + 2]
            .iter()
            .find(|l| l.contains(policy))
            .map(|l| {
                l[l.find(policy).unwrap() + policy.len()..]
                    .trim()
                    .to_owned()
            })
            .unwrap()
    };
    let it = "Safe and Acceptable Use of IT Policy 2.0";
    let es = "E-Safety Policy 3.0";
    assert_eq!(status("Ella Marsh", it), "acknowledged on 2026-11-02");
    assert_eq!(status("Ella Marsh", es), "not acknowledged");
    assert_eq!(
        status("Jo Reed", es),
        "acknowledged on 2026-11-20, due again 2027-11-20"
    );
    assert_eq!(
        status("Jo Reed", it),
        "not required (for staff, contractors only)"
    );
    assert_eq!(status("Priya Shah", it), "acknowledged on 2025-10-01");
    assert_eq!(
        status("Priya Shah", es),
        "must re-acknowledge: the acknowledgement of 2025-10-01 expired on 2026-10-01"
    );
    assert_eq!(
        status("Sam Okafor", es),
        "not required (for staff, learners only)"
    );
    assert_eq!(
        status("Tom Hughes", es),
        "acknowledged on 2026-03-02, due again 2027-03-02"
    );
    // The values of agreement fields, from receipts and from the LMS report (named there by
    // the release's labels).
    let details = lines
        .iter()
        .position(|l| *l == "Details given with the acknowledgements")
        .unwrap();
    assert_eq!(
        lines[details + 1..details + 6],
        [
            "  Ella Marsh <ella.marsh@northbrook.example>, Safe and Acceptable Use of IT Policy 2.0: Laptop assigned (serial no.): NB-LT-0311; Date the laptop was issued: 2026-11-02; I have returned any equipment issued to me before: no",
            "  Jo Reed <jo.reed@learners.northbrook.example>, E-Safety Policy 3.0: I know who to tell if something online worries me: yes",
            "  Priya Shah <priya.shah@northbrook.example>, Safe and Acceptable Use of IT Policy 2.0: Laptop assigned (serial no.): NB-LT-0042; Date the laptop was issued: 2025-09-29; I have returned any equipment issued to me before: no",
            "  Sam Okafor <sam.okafor@associates.example>, Safe and Acceptable Use of IT Policy 2.0: Laptop assigned (serial no.): NB-LT-0107; Date the laptop was issued: —; I have returned any equipment issued to me before: yes",
            "  Tom Hughes <tom.hughes@learners.northbrook.example>, E-Safety Policy 3.0: I know who to tell if something online worries me: yes",
        ]
    );
    assert_eq!(
        lines.last().unwrap(),
        &"5 current, 0 must re-acknowledge (older version), 1 due again (acknowledgement expired), 1 not acknowledged, 3 not required (other audience)"
    );

    let csv = std::fs::read_to_string(dir.path().join("acks.csv")).unwrap();
    let rows: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(
        rows[0],
        "name,email,staff_id,policy,policy_version,status,acknowledged_version,acknowledged_on,source,changes_page,due_on,fields"
    );
    assert!(
        rows.iter().any(|r| r.starts_with(
            "Priya Shah,priya.shah@northbrook.example,,e-safety,3.0,expired,3.0,2025-10-01,"
        ) && r.ends_with(",,2026-10-01,")),
        "{csv}"
    );
    assert!(
        rows.contains(
            &"Jo Reed,jo.reed@learners.northbrook.example,,it-use,2.0,not_required,,,,,,"
        ),
        "{csv}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("Sam Okafor,") && r.contains(",it-use,2.0,current,") && r.ends_with(",Laptop assigned (serial no.): NB-LT-0107; Date the laptop was issued: —; I have returned any equipment issued to me before: yes")),
        "{csv}"
    );

    // --as-of decides instead: on the day Tom's acknowledgement is due again, it has expired too.
    let later = run(
        dir.path(),
        &[
            "acks",
            inputs.to_str().unwrap(),
            "--roster",
            "acks/roster.csv",
            "--as-of",
            "2027-03-02",
        ],
    );
    let text = stdout(&later);
    assert!(
        text.starts_with("Acknowledgements expire as of 2027-03-02 (--as-of)."),
        "{text}"
    );
    assert!(
        text.contains("4 current, 0 must re-acknowledge (older version), 2 due again"),
        "{text}"
    );
}

#[test]
fn a_roster_audience_must_be_one_the_release_declares() {
    let dir = built();
    write(
        dir.path(),
        "roster.csv",
        "name,email,audience\nAl Idris,al@example.org,staff\nBea Cole,bea@example.org,learner\n",
    );
    let inputs = acks_inputs(dir.path());
    let out = run(
        dir.path(),
        &["acks", inputs.to_str().unwrap(), "--roster", "roster.csv"],
    );
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("roster.csv:3: unknown audience `learner` (did you mean `learners`?)"),
        "{}",
        stderr(&out)
    );
}

/// Problems in the new fields name the file and line and say what to write.
#[test]
fn audience_and_date_mistakes_are_reported_with_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let path = dir.path().join("content/e-safety.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("review_due: 2027-07", "review_due: July 2027")
        .replace("audience: [staff, learners]", "audience: [staff, learner]");
    std::fs::write(&path, text).unwrap();
    let problems = run_err(dir.path(), &["check", "--message-format", "short"]);
    assert_eq!(
        problems,
        [
            "content/e-safety.md:7:13: error: bad date in `review_due`: `July 2027` is written in words; write `2027-07` (dates are YYYY-MM-DD, or YYYY-MM for a month) (help: write dates as YYYY-MM-DD, for example 2026-03-12)",
            "content/e-safety.md:10:19: error: unknown audience `learner` (help: did you mean `learners`?)",
            "content/e-safety.md:19:15: error: this agreement is for `learners`, but the policy's `audience` does not include it (help: add it to `audience:`, or take it out of the agreement)",
            "error: 3 errors found; nothing was written",
        ]
    );
}

#[test]
fn an_audience_without_an_agreement_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let path = dir.path().join("content/e-safety.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "audience: [staff, learners]",
        "audience: [staff, learners, contractors]",
    );
    std::fs::write(&path, text).unwrap();
    let warnings = run_ok(dir.path(), &["check", "--message-format", "short"]);
    assert!(
        warnings.contains("content/e-safety.md:10:29: warning: audience `contractors` has no agreement (help: add an agreement for it, or one without `audience` for everyone else; until then they see the first agreement)"),
        "{warnings}"
    );
}

#[test]
fn a_policy_without_a_version_builds_as_a_draft_and_cannot_be_released() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let path = dir.path().join("content/it-use.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("\nversion: \"2.0\"\n", "\n", 1);
    std::fs::write(&path, text).unwrap();
    let warnings = run_ok(dir.path(), &["check", "--message-format", "short"]);
    assert!(
        warnings.contains("content/it-use.md:1:1: warning: no `version`: built as an unversioned draft, which cannot be released (help: add a line such as `version: \"1.0\"` to the front matter)"),
        "{warnings}"
    );
    run_ok(dir.path(), &["build"]);
    let doc = page(dir.path(), "policies/it-use/index.html");
    assert_eq!(texts(&doc, "dl.meta > div dd")[0], "None yet Draft");
    assert!(
        texts(&doc, ".notice-draft")[0].starts_with("Draft: this policy has no version number yet")
    );
    let index = page(dir.path(), "index.html");
    assert!(
        select(&index, ".status-draft").len() == 1,
        "the index marks it as a draft"
    );
    let problems = run_err(dir.path(), &["release", "--message-format", "short"]);
    assert!(
        problems.contains(&"content/it-use.md:1:1: error: cannot release a policy without a `version` (help: add a line such as `version: \"1.0\"` to the front matter, then release)".to_owned()),
        "{problems:?}"
    );
    assert!(!dir.path().join("policybook.lock").exists());
}

#[test]
fn once_released_a_policy_needs_its_version() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    run_ok(dir.path(), &["release"]);
    let path = dir.path().join("content/it-use.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("\nversion: \"2.0\"\n", "\n", 1);
    std::fs::write(&path, text).unwrap();
    let problems = run_err(dir.path(), &["check", "--message-format", "short"]);
    assert!(
        problems.iter().any(|p| p.starts_with(
            "content/it-use.md:1:1: error: missing `version`: this policy was released as version 2.0 on 2026-11-26"
        )),
        "{problems:?}"
    );
}
