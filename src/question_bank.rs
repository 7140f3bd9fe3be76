//! Render stage for Moodle question banks: every quiz as GIFT and as Moodle XML in
//! `build/quizzes/`, so the same questions can be imported into a Moodle quiz.

use std::path::Path;

use crate::Project;
use crate::error::Result;
use crate::output::write_file;
use crate::quiz::{to_gift, to_moodle_xml};

pub const QUIZ_EXPORT_DIR: &str = "quizzes";

/// Writes `<id>.gift` and `<id>.moodle.xml` for each quiz; returns the number of files.
pub fn write_question_banks(project: &Project, out: &Path) -> Result<usize> {
    let dir = out.join(QUIZ_EXPORT_DIR);
    for quiz in &project.quizzes {
        write_file(
            &dir.join(format!("{}.gift", quiz.id)),
            to_gift(quiz).as_bytes(),
        )?;
        write_file(
            &dir.join(format!("{}.moodle.xml", quiz.id)),
            to_moodle_xml(quiz).as_bytes(),
        )?;
    }
    Ok(project.quizzes.len() * 2)
}
