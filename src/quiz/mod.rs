//! Quizzes: the native TOML format, GIFT import and export, Moodle XML export, validation.
