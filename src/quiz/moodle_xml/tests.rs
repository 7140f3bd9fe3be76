use std::path::Path;

use super::super::tests::gift_quiz;
use super::super::{Choice, load_quizzes};
use super::*;

/// A small well-formedness check: one root element, tags balanced and properly nested, text
/// free of raw `<` and of `&` that starts no entity, CDATA sections closed. Returns the element
/// names in document order.
fn check_well_formed(xml: &str) -> Result<Vec<String>, String> {
    let rest = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .ok_or("the XML declaration is not the first line")?;
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut roots = 0;
    let mut rest = rest;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or("unclosed CDATA section")?;
            if open.is_empty() {
                return Err("CDATA outside the root element".into());
            }
            rest = &after[end + 3..];
            continue;
        }
        let gt = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().ok_or("empty tag")?.to_owned();
        let attrs = &tag[name.len()..];
        if attrs.matches('"').count() % 2 != 0 || attrs.contains('<') {
            return Err(format!("bad attributes in <{tag}>"));
        }
        check_text(attrs)?;
        if open.is_empty() {
            roots += 1;
        }
        seen.push(name.clone());
        if !self_closing {
            open.push(name);
        }
    }
    check_text(rest)?;
    if !open.is_empty() || roots != 1 || !rest.trim().is_empty() {
        return Err(format!("unbalanced: open {open:?}, {roots} root elements"));
    }
    Ok(seen)
}

fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity) {
            return Err(format!("bare `&` in {text:?}"));
        }
    }
    if text.contains('>') && text.contains("]]>") {
        return Err(format!("`]]>` outside CDATA in {text:?}"));
    }
    Ok(())
}

/// Checks with `xmllint --noout` too, when it is installed.
fn xmllint(xml: &str) {
    let lint = Path::new("/usr/bin/xmllint");
    if !lint.exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("quiz.xml");
    std::fs::write(&file, xml).unwrap();
    let output = std::process::Command::new(lint)
        .arg("--noout")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_example_quiz_exports_well_formed_xml() {
    let (quizzes, _) = load_quizzes(Path::new(env!("CARGO_MANIFEST_DIR")), Path::new("")).unwrap();
    assert_eq!(quizzes.len(), 4);
    for quiz in quizzes {
        let xml = to_moodle_xml(&quiz);
        let elements = check_well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let questions = elements.iter().filter(|e| *e == "question").count();
        assert_eq!(questions, quiz.questions.len() + 1, "{}", quiz.id);
        xmllint(&xml);
    }
}

#[test]
fn writes_each_question_type() {
    let quiz = gift_quiz(
        "::single:: *Which*? {=A #Yes ~B}\n\n::multi:: Which? {~%50%A ~%50%B ~%-100%C #No}\n\n\
         ::tf:: True? {FALSE#Wrong.#Right.####General **feedback**.}\n\n::short:: Word? {=a <b> & c #fb}\n\n\
         ::match:: Match. {=*x* -> 1 & 2 =y -> 3}\n",
    );
    let quiz = Quiz {
        title: "Quiz / one".into(),
        shuffle: false,
        ..quiz
    };
    let xml = to_moodle_xml(&quiz);
    check_well_formed(&xml).unwrap();
    xmllint(&xml);
    for expected in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n  <question type=\"category\">\n    <category><text>$course$/top/Policies/Quiz // one</text></category>\n",
        "  <question type=\"multichoice\">\n    <name><text>single</text></name>\n    <questiontext format=\"html\"><text><![CDATA[<p><em>Which</em>?</p>]]></text></questiontext>\n    <generalfeedback format=\"html\"><text></text></generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n    <answer fraction=\"100\" format=\"html\">\n      <text><![CDATA[A]]></text>\n      <feedback format=\"html\"><text><![CDATA[Yes]]></text></feedback>\n    </answer>\n    <answer fraction=\"0\" format=\"html\">\n      <text><![CDATA[B]]></text>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n  </question>\n",
        "<single>false</single>",
        "<answer fraction=\"50\" format=\"html\">",
        "<answer fraction=\"-100\" format=\"html\">",
        "  <question type=\"truefalse\">\n    <name><text>tf</text></name>\n    <questiontext format=\"html\"><text><![CDATA[<p>True?</p>]]></text></questiontext>\n    <generalfeedback format=\"html\"><text><![CDATA[<p>General <strong>feedback</strong>.</p>]]></text></generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>1</penalty>\n    <hidden>0</hidden>\n    <answer fraction=\"0\" format=\"moodle_auto_format\">\n      <text>true</text>\n      <feedback format=\"html\"><text><![CDATA[Wrong.]]></text></feedback>\n    </answer>\n    <answer fraction=\"100\" format=\"moodle_auto_format\">\n      <text>false</text>\n      <feedback format=\"html\"><text><![CDATA[Right.]]></text></feedback>\n    </answer>\n  </question>\n",
        "    <usecase>0</usecase>\n    <answer fraction=\"100\" format=\"moodle_auto_format\">\n      <text>a &lt;b&gt; &amp; c</text>\n",
        "    <shuffleanswers>false</shuffleanswers>\n    <subquestion format=\"html\">\n      <text><![CDATA[<em>x</em>]]></text>\n      <answer><text>1 &amp; 2</text></answer>\n    </subquestion>\n",
    ] {
        assert!(xml.contains(expected), "missing:\n{expected}\nin:\n{xml}");
    }
}

#[test]
fn cdata_and_text_stay_well_formed_whatever_they_hold() {
    let nasty = "a ]]> b <![CDATA[ c ]]]]> & d \u{1} e \u{fffe} <x> \"q\"";
    let mut quiz = gift_quiz("::a:: Q {=x ~y}\n");
    quiz.title = nasty.into();
    quiz.questions[0].id = nasty.into();
    quiz.questions[0].text = nasty.into();
    quiz.questions[0].kind = QuestionKind::SingleChoice {
        options: vec![Choice {
            text: nasty.into(),
            correct: true,
            weight: 100.0,
            feedback: Some(format!("`{nasty}`")),
        }],
    };
    let mut short = quiz.questions[0].clone();
    short.kind = QuestionKind::ShortAnswer {
        accepted: vec![nasty.into()],
        feedback: Some(nasty.into()),
    };
    quiz.questions.push(short);
    let xml = to_moodle_xml(&quiz);
    check_well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    xmllint(&xml);
    assert!(xml.contains("]]]]><![CDATA[>"), "{xml}");
    assert!(!xml.contains('\u{1}') && !xml.contains('\u{fffe}'));
}

#[test]
fn the_checker_catches_broken_xml() {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert!(check_well_formed(&format!("{head}<a><b></a></b>")).is_err());
    assert!(check_well_formed(&format!("{head}<a>x & y</a>")).is_err());
    assert!(check_well_formed(&format!("{head}<a><![CDATA[x</a>")).is_err());
    assert!(check_well_formed(&format!("{head}<a></a><b></b>")).is_err());
    assert!(check_well_formed("<a></a>").is_err());
    assert!(check_well_formed(&format!("{head}<a x=\"1\"><b/>&amp;<![CDATA[<&]]></a>\n")).is_ok());
}
