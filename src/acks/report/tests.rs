use super::*;

const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const D2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn report(text: &str, columns: Option<&Columns>) -> Result<(Vec<AckRecord>, Vec<Invalid>)> {
    parse_report(text.as_bytes(), Path::new("moodle.csv"), columns)
}

#[test]
fn moodle_report_with_bom_entities_identity_column_and_several_responses() {
    let csv = format!(
        "\u{FEFF}Name,Email address,Attempt,Started on,Last accessed on,Score,Policies &amp; procedures,Response 0,Response 1,Response 2\r\n\
         Siobhán O&#039;Neill,SIOBHAN@example.org,1,\"Monday, 23 November 2026, 4:00 PM\",\"Tuesday, 24 November 2026, 1:15 AM\",,completed,ack:e-safety:3.1:sha256:{D1},yes,ack:data-protection:2.0:rc1:sha256:{D2}\r\n\
         &lt;Tom&gt; &amp; Jerry,tom@example.org,1,,\"Wednesday, 25 November 2026, 12:05 PM\",,incomplete,I agree,,\r\n\
         Amy Ng,amy@example.org,2,,\"1 December 2026, 9:00 AM\",,,&quot;ack:e-safety:3.1:sha256:{D1}&quot;,ack:e-safety:3.1:sha256:{},ack:E Safety:1:sha256:{D1}\r\n",
        &D1[..40]
    );
    let (records, invalid) = report(&csv, None).unwrap();
    assert_eq!(records.len(), 2, "{records:#?}");
    let first = &records[0];
    assert_eq!(
        first.person,
        Person::new("Siobhán O'Neill", Some("SIOBHAN@example.org"), None)
    );
    assert_eq!(first.policy_id, "e-safety");
    assert_eq!(first.version, "3.1");
    assert_eq!(first.digest, D1);
    assert_eq!(first.acknowledged_at, "Tuesday, 24 November 2026, 1:15 AM");
    assert_eq!(first.date(), "2026-11-24");
    assert_eq!(first.when.unwrap().to_string(), "2026-11-24T01:15:00");
    assert_eq!(first.kind, RecordKind::Report);
    assert_eq!(first.source.to_string(), "moodle.csv:2");
    assert_eq!(first.source.column.as_deref(), Some("Response 0"));
    // The version may contain `:`.
    assert_eq!(records[1].policy_id, "data-protection");
    assert_eq!(records[1].version, "2.0:rc1");
    assert_eq!(records[1].digest, D2);
    assert_eq!(records[1].source.column.as_deref(), Some("Response 2"));

    // Amy's row: a quoted response is not an ack (it does not start with `ack:`), a cut-short one
    // and one with a bad id are invalid. Tom's row has no acknowledgement at all.
    let messages: Vec<String> = invalid.iter().map(Invalid::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].starts_with("moodle.csv:4: column `Response 1`: `ack:e-safety:3.1:sha256:1111")
            && messages[0]
                .ends_with("the digest is not 64 hex digits (was the response cut short?)"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].ends_with("`E Safety` is not a policy id"),
        "{}",
        messages[1]
    );
}

#[test]
fn id_number_is_a_staff_id_and_split_names_are_joined() {
    let csv = format!(
        "First name,Last name,ID number,Department,Attempt,Last accessed on,Response 0\n\
         Jane,Smith,S123,Sales,1,2026-11-24 13:15,ack:e-safety:3.1:sha256:{D1}\n"
    );
    let (records, invalid) = report(&csv, None).unwrap();
    assert!(invalid.is_empty());
    assert_eq!(
        records[0].person,
        Person::new("Jane Smith", None, Some("S123"))
    );
    assert_eq!(records[0].when.unwrap().to_string(), "2026-11-24T13:15:00");
}

#[test]
fn identity_columns_are_only_those_before_the_attempt() {
    let csv = format!(
        "Name,Attempt,Started on,Last accessed on,Score,Email etiquette,Response 0\n\
         Jane Smith,1,,,,completed,ack:e-safety:3.1:sha256:{D1}\n"
    );
    let (records, _) = report(&csv, None).unwrap();
    assert_eq!(records[0].person, Person::new("Jane Smith", None, None));
    assert_eq!(records[0].acknowledged_at, "");
    assert_eq!(records[0].when, None);
}

#[test]
fn a_row_with_an_ack_but_no_name_is_invalid() {
    let csv = format!("Name,Response 0\n,ack:e-safety:3.1:sha256:{D1}\n");
    let (records, invalid) = report(&csv, None).unwrap();
    assert!(records.is_empty());
    assert_eq!(
        invalid[0].to_string(),
        "moodle.csv:2: column `Response 0`: an acknowledgement in a row with no name"
    );
}

#[test]
fn a_report_without_a_name_column_needs_a_mapping() {
    let csv = format!(
        "Full name of learner,Email,Completed,Answer\nJo,jo@x.org,2026-11-20,ack:e-safety:3.1:sha256:{D1}\n"
    );
    let err = report(&csv, None).unwrap_err().to_string();
    assert!(
        err.starts_with("moodle.csv: no `Name` column")
            && err.contains("`Full name of learner`, `Email`, `Completed`, `Answer`")
            && err.contains("--columns"),
        "{err}"
    );

    let columns = Columns::parse("name=full name of learner, email=Email ,date=Completed").unwrap();
    let (records, _) = report(&csv, Some(&columns)).unwrap();
    assert_eq!(records[0].person, Person::new("Jo", Some("jo@x.org"), None));
    assert_eq!(records[0].date(), "2026-11-20");

    let columns = Columns::parse("name=Learner,email=Email,date=Finished").unwrap();
    let err = report(&csv, Some(&columns)).unwrap_err().to_string();
    assert_eq!(
        err,
        "moodle.csv: --columns names columns `Learner`, `Finished`, which are not in this file (its \
         columns are `Full name of learner`, `Email`, `Completed`, `Answer`)"
    );
    let columns = Columns::parse("name=Learner").unwrap();
    let err = report(&csv, Some(&columns)).unwrap_err().to_string();
    assert!(
        err.contains("names column `Learner`, which is not in this file"),
        "{err}"
    );
}

#[test]
fn columns_are_parsed_and_checked() {
    assert_eq!(
        Columns::parse("name=Full name,email=Email,staff_id=Employee no,date=Completed").unwrap(),
        Columns {
            name: "Full name".into(),
            email: Some("Email".into()),
            staff_id: Some("Employee no".into()),
            date: Some("Completed".into()),
        }
    );
    assert_eq!(
        "NAME=Learner,".parse::<Columns>().unwrap(),
        Columns {
            name: "Learner".into(),
            email: None,
            staff_id: None,
            date: None,
        }
    );
    let err = |spec: &str| Columns::parse(spec).unwrap_err().to_string();
    assert!(
        err("name=A,mail=B").starts_with(
            "--columns: unknown key `mail` (the keys are name, email, staff_id and date"
        )
    );
    assert!(err("email=B").starts_with("--columns: `name=` is required"));
    assert!(err("name=A,Email").starts_with("--columns: `Email` is not `key=Header`"));
    assert_eq!(err("name=A,date="), "--columns: `date=` names no column");
    assert_eq!(err("name=A,name=B"), "--columns: `name` is given twice");
}

#[test]
fn csv_that_cannot_be_read_is_an_error_naming_the_line() {
    let err = parse_report(b"Name,Response 0\nJ\xF6rg,x\n", Path::new("m.csv"), None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "m.csv:2: not UTF-8 text (save or download the report as CSV or text with UTF-8 encoding, or as .xlsx)"
    );
    let err = report("", None).unwrap_err().to_string();
    assert_eq!(
        err,
        "moodle.csv: the report is empty (expected a header row)"
    );
}

#[test]
fn entities_are_unescaped() {
    assert_eq!(
        unescape_html(
            "&amp;&lt;&gt;&quot;&#039;&#x27;&apos;&eacute;&nbsp;&hellip;&#128512;&unknown; & x"
        ),
        "&<>\"'''é\u{a0}…😀&unknown; & x"
    );
    // Unescaped once only.
    assert_eq!(unescape_html("&amp;lt;"), "&lt;");
}

#[test]
fn ack_responses_parse_from_both_ends() {
    let ok = |text: &str| parse_ack_response(text).unwrap().unwrap();
    let r = ok(&format!("ack:e-safety:3.1:sha256:{D1}"));
    assert_eq!(
        (r.policy_id.as_str(), r.version.as_str()),
        ("e-safety", "3.1")
    );
    let r = ok(&format!(
        "ack:e-safety:v:1:sha256:x:sha256:{}",
        D1.to_uppercase()
    ));
    assert_eq!(r.version, "v:1:sha256:x");
    assert_eq!(r.digest, D1);
    assert!(parse_ack_response("I agree").is_none());
    assert!(parse_ack_response("ACK:e-safety").is_none());
    assert!(parse_ack_response("ack:e-safety").unwrap().is_err());
    assert!(
        parse_ack_response(&format!("ack:e-safety::sha256:{D1}"))
            .unwrap()
            .is_err()
    );
    assert!(
        parse_ack_response(&format!("ack:e-safety:3.1:md5:{D1}"))
            .unwrap()
            .is_err()
    );
}

#[test]
fn lms_dates_are_parsed_where_possible() {
    let date = |text: &str| parse_lms_date(text).map(|d| d.to_string());
    assert_eq!(
        date("Tuesday, 24 November 2026, 1:15 AM").as_deref(),
        Some("2026-11-24T01:15:00")
    );
    assert_eq!(
        date("Tuesday, 24 November 2026, 12:15 AM").as_deref(),
        Some("2026-11-24T00:15:00")
    );
    assert_eq!(
        date("Tuesday, 24 November 2026, 12:15 PM").as_deref(),
        Some("2026-11-24T12:15:00")
    );
    assert_eq!(
        date("Tuesday, 24 November 2026, 1:15 pm").as_deref(),
        Some("2026-11-24T13:15:00")
    );
    assert_eq!(date("24 Nov 2026").as_deref(), Some("2026-11-24T00:00:00"));
    assert_eq!(
        date("Nov 24th, 2026 13:05:09").as_deref(),
        Some("2026-11-24T13:05:09")
    );
    assert_eq!(
        date("Sept 3, 2026, 9:00am").as_deref(),
        Some("2026-09-03T09:00:00")
    );
    assert_eq!(date("2026-11-24").as_deref(), Some("2026-11-24T00:00:00"));
    assert_eq!(
        date("2026-11-24T10:15:00Z").as_deref(),
        Some("2026-11-24T10:15:00")
    );
    assert_eq!(date("mardi 24 novembre 2026, 01:15"), None);
    assert_eq!(date("31 February 2026"), None);
    assert_eq!(date("24/11/2026"), None);
    assert_eq!(date(""), None);
}

#[test]
fn a_trailing_quiz_failed_marks_an_acknowledgement_without_a_pass() {
    let r = parse_ack_response(&format!("ack:e-safety:3.1:sha256:{D1}:quiz-failed"))
        .unwrap()
        .unwrap();
    assert_eq!((r.version.as_str(), r.digest.as_str()), ("3.1", D1));
    assert!(r.quiz_failed);
    assert!(
        !parse_ack_response(&format!("ack:e-safety:3.1:sha256:{D1}"))
            .unwrap()
            .unwrap()
            .quiz_failed
    );
}

#[test]
fn objective_columns_count_completed_and_passed_cells_only() {
    // Moodle's Objectives report with "show score" ticked: `<id> Status` and `<id> Score`.
    let tsv = format!(
        "Name\tack:e-safety:3.1:sha256:{D1} Status\tack:e-safety:3.1:sha256:{D1} Score\tack:dp:2.0:sha256:{D2}\n\
         Jo\tcompleted\t100\tincomplete\nAl\t\t\tpassed\n"
    );
    let (records, invalid) = report(&tsv, None).unwrap();
    assert!(invalid.is_empty());
    let got: Vec<(String, String)> = records
        .iter()
        .map(|r| (r.person.name.clone(), r.policy_id.clone()))
        .collect();
    assert_eq!(
        got,
        [("Jo".into(), "e-safety".into()), ("Al".into(), "dp".into())]
    );
}
