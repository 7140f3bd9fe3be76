//! The "floor" of `scripts/bench`: the least any static site generator must do with a corpus,
//! so that policybook's build times have something fixed to be compared with.
//!
//! ```text
//! cargo run --release --example floor -- CORPUS OUT
//! ```
//!
//! It replaces `OUT` (`scripts/bench` empties it first, untimed) with the pages policybook's site has for each policy: its page,
//! `OUT/policies/<file stem>/index.html` (the body's Markdown rendered by pulldown-cmark with
//! policybook's extensions, in a bare HTML page titled with the file name), and its
//! acknowledgement form beside it (`form.html`, a bare form); and `OUT/index.html` linking them. It reads every
//! `CORPUS/content/**/*.md`, skips the front matter without parsing it, and works on all cores
//! (rayon), as policybook does. It validates nothing, and makes no SCORM packages, search index,
//! manifest or digests: whatever policybook takes beyond this is the price of what it does more.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, out] = args.as_slice() else {
        eprintln!("usage: floor CORPUS OUT");
        return ExitCode::from(2);
    };
    match run(Path::new(corpus), Path::new(out)) {
        Ok(pages) => {
            println!("{pages} pages");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(corpus: &Path, out: &Path) -> std::io::Result<usize> {
    let sources = markdown_files(&corpus.join("content"))?;
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    let names: Vec<String> = sources
        .par_iter()
        .map(|source| write_page(source, out))
        .collect::<std::io::Result<_>>()?;
    let mut index = String::from("<!doctype html><title>All policies</title><ul>");
    for name in &names {
        index.push_str(&format!(
            "<li><a href=\"policies/{name}/index.html\">{name}</a>"
        ));
    }
    index.push_str("</ul>");
    std::fs::write(out.join("index.html"), index)?;
    Ok(2 * names.len() + 1)
}

/// Every `.md` file below `dir`, sorted.
fn markdown_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Renders one policy's body into its page; returns the page's folder name.
fn write_page(source: &Path, out: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(source)?;
    let name = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut page = format!("<!doctype html><title>{name}</title><main>");
    html::push_html(&mut page, Parser::new_ext(body(&text), options()));
    page.push_str("</main>");
    let dir = out.join("policies").join(&name);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), page)?;
    let form = format!(
        "<!doctype html><title>{name}: acknowledgement</title><form><label>Name \
         <input name=n></label><button>I have read and understood</button></form>"
    );
    std::fs::write(dir.join("form.html"), form)?;
    Ok(name)
}

/// The text after the front matter (`---` … `---`), or all of it when there is none.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

/// The extensions policybook reads with (`markdown::options`).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}
