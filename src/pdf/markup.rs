//! Typst markup from policy text: one escaper for every text run, and a converter from the
//! Markdown events of a policy body to Typst markup.
//!
//! Nothing from a policy is ever read by Typst as markup or code: text runs go through
//! [`text`], URLs and code through [`string`] (a Typst string literal). Block structure is
//! written with function calls (`#heading(..)[..]`, `#list([..], ..)`) rather than line-start
//! syntax, so no text can turn into a heading or a list by where it falls.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

/// Escapes a text run for Typst markup: every ASCII punctuation character gets a backslash
/// (in markup, `\` before any character but whitespace or `u{` is that character), so
/// `#`, `$`, `*`, `_`, `@`, `<`, `\`, `` ` ``, `[`, `]`, `=`, `-`, `/`, `.` and the rest are
/// always literal. Line breaks become spaces (a paragraph break is structure, not text).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal holding `s` exactly.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts a policy body's events to Typst markup. Headings are shifted so that the body's
/// top level is `top` (the document's own title is above it) and never skip a level, as
/// tagged PDF (PDF/UA) requires.
pub fn body(events: &[Event<'_>], top: u8) -> String {
    let mut w = Writer::new(events, top);
    for event in events {
        w.event(event);
    }
    w.out
}

struct Writer {
    out: String,
    /// Body level that maps to `top`.
    shallowest: u8,
    top: u8,
    /// The last heading level written, so none skips a level.
    last_level: u8,
    /// Inside an image: its description is written, not the image.
    image: usize,
    /// Code block text is collected, then written as one raw element.
    code: Option<(String, Option<String>)>,
}

impl Writer {
    fn new(events: &[Event<'_>], top: u8) -> Writer {
        let shallowest = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::Heading { level, .. }) => Some(level_number(*level)),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        Writer {
            out: String::new(),
            shallowest,
            top,
            last_level: top.saturating_sub(1),
            image: 0,
            code: None,
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        if let Some((code, _)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => self.out.push_str(&text(t)),
            Event::Code(t) => {
                self.out.push_str("#raw(");
                self.out.push_str(&string(t));
                self.out.push(')');
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("\n#line(length: 100%)\n\n"),
            Event::FootnoteReference(label) => {
                self.out.push_str("#super[");
                self.out.push_str(&text(label));
                self.out.push(']');
            }
            Event::TaskListMarker(done) => self.out.push_str(if *done { "☒ " } else { "☐ " }),
            // Raw HTML has no printed form; its text, if any, is lost as on the SCORM page.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => self.out.push_str(&text(t)),
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        if self.image > 0 {
            if matches!(tag, Tag::Image { .. }) {
                self.image += 1;
            }
            return;
        }
        let open: &str = match tag {
            Tag::Paragraph => "",
            Tag::Heading { level, .. } => {
                let level = self.heading_level(level_number(*level));
                self.out.push_str(&format!("\n#heading(level: {level})["));
                return;
            }
            Tag::BlockQuote(_) => "\n#quote(block: true)[",
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric()))
                        .map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((String::new(), lang));
                return;
            }
            Tag::List(Some(start)) => {
                self.out.push_str(&format!("\n#enum(start: {start}, "));
                return;
            }
            Tag::List(None) => "\n#list(",
            Tag::Item => "[",
            Tag::FootnoteDefinition(label) => {
                self.out.push_str("\n#block[#super[");
                self.out.push_str(&text(label));
                self.out.push_str("] ");
                return;
            }
            Tag::Table(alignments) => {
                self.out.push_str(&table_start(alignments));
                return;
            }
            Tag::TableHead => "table.header(",
            Tag::TableRow => "",
            Tag::TableCell => "[",
            Tag::Emphasis => "#emph[",
            Tag::Strong => "#strong[",
            Tag::Strikethrough => "#strike[",
            Tag::Superscript => "#super[",
            Tag::Subscript => "#sub[",
            Tag::Link { dest_url, .. } => {
                self.out.push_str("#link(");
                self.out.push_str(&string(dest_url));
                self.out.push_str(")[");
                return;
            }
            Tag::Image { .. } => {
                // No files reach Typst: the picture's description stands in for it.
                self.image = 1;
                "#emph[Image: "
            }
            _ => "",
        };
        self.out.push_str(open);
    }

    fn end(&mut self, tag: TagEnd) {
        if self.image > 0 {
            if tag == TagEnd::Image {
                self.image -= 1;
                if self.image == 0 {
                    self.out.push(']');
                }
            }
            return;
        }
        let close = match tag {
            TagEnd::Paragraph => "\n\n",
            TagEnd::Heading(_) => "]\n\n",
            TagEnd::BlockQuote(_) => "]\n\n",
            TagEnd::List(_) => ")\n\n",
            TagEnd::Item => "],\n",
            TagEnd::FootnoteDefinition => "]\n\n",
            TagEnd::Table => ")\n\n",
            TagEnd::TableHead => "),\n",
            TagEnd::TableRow => "\n",
            TagEnd::TableCell => "], ",
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => "]",
            _ => "",
        };
        self.out.push_str(close);
    }

    fn end_code(&mut self) {
        let Some((code, lang)) = self.code.take() else {
            return;
        };
        self.out.push_str("\n#raw(block: true, ");
        if let Some(lang) = lang {
            self.out.push_str(&format!("lang: {}, ", string(&lang)));
        }
        self.out.push_str(&string(code.trim_end_matches('\n')));
        self.out.push_str(")\n\n");
    }

    /// The Typst level of a body heading: shifted to start at `top`, at most one deeper than
    /// the heading before it.
    fn heading_level(&mut self, markdown: u8) -> u8 {
        let wanted = markdown.saturating_sub(self.shallowest) + self.top;
        let level = wanted.min(self.last_level + 1).max(self.top);
        self.last_level = level;
        level
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn table_start(alignments: &[Alignment]) -> String {
    let align: Vec<&str> = alignments
        .iter()
        .map(|a| match a {
            Alignment::None | Alignment::Left => "left",
            Alignment::Center => "center",
            Alignment::Right => "right",
        })
        .collect();
    format!(
        "\n#table(columns: {}, align: ({},),\n",
        alignments.len().max(1),
        align.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        for c in [
            '#', '$', '*', '_', '@', '<', '>', '\\', '`', '[', ']', '=', '-', '/', '~',
        ] {
            assert_eq!(text(&c.to_string()), format!("\\{c}"), "{c}");
        }
        assert_eq!(text("a # b"), "a \\# b");
        assert_eq!(text("1. Purpose"), "1\\. Purpose");
        assert_eq!(text("C:\\u{41}"), "C\\:\\\\u\\{41\\}");
        assert_eq!(text("line\nbreak"), "line break");
        assert_eq!(text("Café – “quoted”"), "Café – “quoted”");
    }

    #[test]
    fn string_literals_hold_any_text() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("x\ny"), r#""x\ny""#);
    }

    fn convert(markdown: &str) -> String {
        let events = crate::markdown::prepared_events(markdown, 1);
        body(&events, 2)
    }

    #[test]
    fn headings_start_at_top_and_never_skip_a_level() {
        let out = convert("## 1. Purpose\n\n#### Deep\n\n## 2. Scope\n");
        assert!(out.contains("#heading(level: 2)[1\\. Purpose]"), "{out}");
        assert!(out.contains("#heading(level: 3)[Deep]"), "{out}");
        assert!(out.contains("#heading(level: 2)[2\\. Scope]"), "{out}");
    }

    #[test]
    fn lists_tables_links_and_code_are_structure() {
        let out = convert(
            "Read *this* and **that** at [the site](https://example.org/a?b=1).\n\n\
             1. one\n2. two\n\n- a `x#y`\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\n```sh\necho \"$HOME\"\n```\n",
        );
        assert!(out.contains("#emph[this]"), "{out}");
        assert!(out.contains("#strong[that]"), "{out}");
        assert!(
            out.contains("#link(\"https://example.org/a?b=1\")[the site]"),
            "{out}"
        );
        assert!(out.contains("#enum(start: 1, [one],"), "{out}");
        assert!(out.contains("#raw(\"x#y\")"), "{out}");
        assert!(out.contains("table.header([A], [B], )"), "{out}");
        assert!(out.contains("align: (left, right,)"), "{out}");
        assert!(
            out.contains("#raw(block: true, lang: \"sh\", \"echo \\\"$HOME\\\"\")"),
            "{out}"
        );
    }

    #[test]
    fn role_markers_and_heading_attributes_are_not_printed() {
        let out = convert("## Duties {role=dsl}\n\n- Report concerns. {role=ceo}\n");
        assert!(!out.contains("role"), "{out}");
        assert!(out.contains("Report concerns"), "{out}");
    }
}
