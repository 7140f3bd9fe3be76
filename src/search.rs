//! Search for the website, working from `file://` as from any web server: the index is a set of
//! script files (`site/search/*.js`) that `assets/search.js` adds to the page when someone
//! searches, so no request is ever made with `fetch`. Like Pagefind's, the index is split:
//!
//! - `meta.js`: how many index shards and document chunks there are, and the stop words;
//! - `i<N>.js`: shard N of the inverted index, every stem whose FNV-1a hash falls in it, each
//!   with the documents it occurs in (base-36 deltas of `doc × 2 + in_title`);
//! - `d<K>.js`: documents K × [`CHUNK`] onwards: policy title, section title, link and text;
//! - `t<N>-<K>.js`: the full postings of shard N's K-th common word. In the shard itself such a
//!   word keeps only what a one-word search shows: `[count, title head, text head, "N-K"]`,
//!   the first [`HEAD`] documents with the word in a title and in the text. A one-word search
//!   (the first one, as someone types) needs nothing more; a search for several words loads the
//!   tails of the common ones.
//!
//! A query loads one shard per word and the chunks of the results it shows, so a 10,000-policy
//! site loads a few hundred kilobytes per search, not the whole index. Documents are the policies
//! (title and summary), each numbered section (linking to its anchor) and each role (its duties).
//! Words are folded to lower case and stemmed with Harman's S-stemmer, which `search.js` repeats
//! exactly: "phones" finds "phone", "policies" finds "policy".

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use crate::Project;
use crate::content::Policy;
use crate::error::Result;
use crate::site::UnitWriter;

/// Folder of the index inside the site.
pub const SEARCH_DIR: &str = "search";

/// Documents per `d<K>.js` chunk. Results that score the same are shown in document order, so
/// the ten shown are often in a few chunks: fewer, larger files load faster than many small ones
/// (`scripts/bench-search`: 50 was faster than 16 or 8 at 10,000 policies).
pub const CHUNK: usize = 50;

/// Postings longer than this (in bytes) are split into a head in the shard and a tail file.
const TAIL_BYTES: usize = 2048;

/// Documents kept in a split word's heads: the results a search shows (`SHOWN` in search.js).
pub const HEAD: usize = 10;

/// Target size of one index shard, in bytes: small, since the first search waits for one.
const SHARD_BYTES: usize = 16 * 1024;

/// Most characters of a section's text kept for showing where a word was found.
const TEXT_LIMIT: usize = 1000;

/// Words too common to be worth indexing; `search.js` drops them from queries too.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "will", "with",
];

/// One thing a search can find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The policy (or "Role") it belongs to.
    pub title: String,
    /// The section's heading; empty for a policy or role as a whole.
    pub section: String,
    /// Relative to the site root, with the section's anchor.
    pub url: String,
    pub text: String,
}

/// Harman's S-stemmer (1991): folds English plurals to the singular. Kept this simple on
/// purpose, so the browser (`search.js`) applies exactly the same rules to what is typed.
pub fn stem(word: &str) -> String {
    stemmed(word).into_owned()
}

/// [`stem`] without a copy when the stem is a prefix of the word (all but `-ies`).
fn stemmed(word: &str) -> Cow<'_, str> {
    let n = word.chars().count();
    if n > 4 && word.ends_with("ies") && !word.ends_with("eies") && !word.ends_with("aies") {
        return Cow::Owned(format!("{}y", &word[..word.len() - 3]));
    }
    if n > 3 && word.ends_with("es") && !["aes", "ees", "oes"].iter().any(|e| word.ends_with(e)) {
        return Cow::Borrowed(&word[..word.len() - 1]);
    }
    if n > 3 && word.ends_with('s') && !word.ends_with("us") && !word.ends_with("ss") {
        return Cow::Borrowed(&word[..word.len() - 1]);
    }
    Cow::Borrowed(word)
}

/// The words of `text` that may be indexed: runs of letters and digits, at least two
/// characters.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
}

/// One word's term: lower-cased (into `lower`) and stemmed; `None` for a stop word.
fn term<'a>(word: &str, lower: &'a mut String) -> Option<Cow<'a, str>> {
    lower.clear();
    if word.is_ascii() {
        lower.push_str(word);
        lower.make_ascii_lowercase();
    } else {
        // `str::to_lowercase`, not per character: a final sigma lower-cases differently.
        lower.push_str(&word.to_lowercase());
    }
    (!STOP_WORDS.contains(&lower.as_str())).then(|| stemmed(lower))
}

/// FNV-1a over the UTF-8 bytes: which shard holds a stem (`search.js` computes the same).
pub fn shard_of(stem: &str, shards: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in stem.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % shards
}

/// Everything a search can find, in a fixed order: each policy (then its sections), then each
/// role.
pub fn documents(project: &Project) -> Vec<SearchDoc> {
    let per_policy: Vec<Vec<SearchDoc>> =
        project.policies.par_iter().map(policy_documents).collect();
    let mut docs: Vec<SearchDoc> = per_policy.into_iter().flatten().collect();
    for role in &project.roles.roles {
        let duties: Vec<String> = project
            .policies
            .iter()
            .flat_map(|p| p.body.duties.iter())
            .filter(|d| d.roles.contains(&role.id))
            .map(|d| d.text.clone())
            .collect();
        docs.push(SearchDoc {
            title: role.title.clone(),
            section: "Role".to_owned(),
            url: crate::site::roles::role_url(&role.id),
            text: clip(&duties.join(" · ")),
        });
    }
    docs
}

/// A policy as a whole (title and summary), then each of its sections.
fn policy_documents(policy: &Policy) -> Vec<SearchDoc> {
    let url = crate::site::policy_url(&policy.id);
    let mut docs = vec![SearchDoc {
        title: policy.title.clone(),
        section: String::new(),
        url: url.clone(),
        text: clip(policy.summary.as_deref().unwrap_or_default()),
    }];
    for (heading, html) in sections(&policy.body.html) {
        let Some(h) = policy.body.headings.iter().find(|h| h.anchor == heading) else {
            continue;
        };
        docs.push(SearchDoc {
            title: policy.title.clone(),
            section: h.text.clone(),
            url: format!("{url}#{}", h.anchor),
            text: section_text(html),
        });
    }
    docs
}

/// The body split at its headings: (anchor, the HTML up to the next heading). Our own renderer
/// writes every heading as `<hN id="anchor">`.
fn sections(html: &str) -> Vec<(&str, &str)> {
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("<h").map(|i| from + i) {
        let rest = &html[at..];
        let is_heading = rest
            .as_bytes()
            .get(2)
            .is_some_and(|b| (b'1'..=b'6').contains(b))
            && rest[3..].starts_with(" id=\"");
        if is_heading && let Some(end) = rest[8..].find('"') {
            starts.push((at, &rest[8..8 + end]));
        }
        from = at + 2;
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, (at, anchor))| {
            let end = starts.get(i + 1).map_or(html.len(), |next| next.0);
            (*anchor, &html[*at..end])
        })
        .collect()
}

/// The text of our own HTML as a section's document holds it: tags dropped (the heading's with
/// them), the few entities the renderer writes decoded, white space collapsed, clipped to
/// [`TEXT_LIMIT`] characters (see [`clip`]). One pass, which stops once the clip is known: what
/// lies beyond it is never indexed, so it is not read (the five `replace` passes, split and join
/// before went over every whole section).
fn section_text(html: &str) -> String {
    let body = html
        .split_once("</h")
        .and_then(|(_, rest)| rest.split_once('>'));
    let html = body.map_or(html, |(_, rest)| rest);
    let mut text = CollapsedText::default();
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if text.count > TEXT_LIMIT {
            break;
        }
        let mut step = c.len_utf8();
        match c {
            _ if in_tag => in_tag = c != '>',
            // A tag reads as a space, so "a<br>b" is two words.
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '&' => match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
                Some((entity, decoded)) => {
                    text.push(*decoded);
                    step = entity.len();
                }
                None => text.push('&'),
            },
            _ => text.push(c),
        }
        rest = &rest[step..];
    }
    text.finish()
}

/// The entities our renderer writes (pulldown-cmark's escaping), decoded in one pass: `&amp;lt;`
/// stays `&lt;`.
const ENTITIES: [(&str, char); 5] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&amp;", '&'),
];

/// Text with every run of white space made one space, none at either end, and counted in
/// characters.
#[derive(Default)]
struct CollapsedText {
    text: String,
    count: usize,
    space_pending: bool,
}

impl CollapsedText {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space_pending = self.count > 0;
            return;
        }
        if std::mem::take(&mut self.space_pending) {
            self.text.push(' ');
            self.count += 1;
        }
        self.text.push(c);
        self.count += 1;
    }

    /// The text, clipped as [`clip`] clips.
    fn finish(self) -> String {
        if self.count <= TEXT_LIMIT {
            self.text
        } else {
            clip(&self.text)
        }
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(TEXT_LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The inverted index, sorted by stem: stem → ascending `doc × 2 + in_title` values (a word in
/// both the title and the text counts as in the title).
///
/// Contiguous runs of documents are indexed in parallel, then their postings joined in order:
/// at 10,000 policies (90,000 documents) this was a third of a rebuild, on one core.
fn inverted_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u32>)> {
    let run_len = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let partial: Vec<Postings> = docs
        .par_chunks(run_len)
        .enumerate()
        .map(|(k, run)| index_run(run, k * run_len))
        .collect();
    let mut partial = partial.into_iter();
    let mut index = partial.next().unwrap_or_default();
    for next in partial {
        for (stem, values) in next {
            match index.get_mut(stem.as_str()) {
                Some(list) => list.extend(values),
                None => {
                    index.insert(stem, values);
                }
            }
        }
    }
    let mut sorted: Vec<(String, Vec<u32>)> = index.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

type Postings = rustc_hash::FxHashMap<String, Vec<u32>>;

/// The postings of `run`, documents numbered from `first`.
fn index_run(run: &[SearchDoc], first: usize) -> Postings {
    let mut index = Postings::default();
    let mut lower = String::new();
    for (i, doc) in run.iter().enumerate() {
        let id = u32::try_from(first + i).unwrap_or(u32::MAX / 2) * 2;
        // Title words first, so a word in both is marked as in the title; a list's last value
        // is this document's when the word was already seen in it.
        for word in words(&doc.title).chain(words(&doc.section)) {
            if let Some(stem) = term(word, &mut lower) {
                add_posting(&mut index, &stem, id + 1, id);
            }
        }
        for word in words(&doc.text) {
            if let Some(stem) = term(word, &mut lower) {
                add_posting(&mut index, &stem, id, id);
            }
        }
    }
    index
}

/// Adds `value` to `stem`'s postings unless this document (`id`, or `id + 1`) is there already.
fn add_posting(index: &mut Postings, stem: &str, value: u32, id: u32) {
    match index.get_mut(stem) {
        Some(list) if list.last().is_some_and(|last| last & !1 == id) => {}
        Some(list) => list.push(value),
        None => {
            index.insert(stem.to_owned(), vec![value]);
        }
    }
}

/// Postings as base-36 deltas joined by `,` (they are ascending).
fn encode_postings(values: &[u32]) -> String {
    let mut out = String::with_capacity(values.len() * 3);
    let mut previous = 0;
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_base36(&mut out, v - previous);
        previous = *v;
    }
    out
}

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 7];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// JSON for a string inside a `<script>`-loaded file: `</` is written `<\/`, so no text can end
/// the script early when a file is inlined.
fn js_string(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_default();
    if !json.contains("</") && !json.contains(['\u{2028}', '\u{2029}']) {
        return json;
    }
    json.replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The index files, as (name inside `search/`, contents).
pub fn index_files(docs: &[SearchDoc]) -> Vec<(String, String)> {
    let mut files = term_files(docs);
    files.extend(
        docs.par_chunks(CHUNK)
            .enumerate()
            .map(|(k, chunk)| chunk_file(k, chunk))
            .collect::<Vec<_>>(),
    );
    files
}

/// `meta.js`, the term shards and their tails: what a search looks words up in.
fn term_files(docs: &[SearchDoc]) -> Vec<(String, String)> {
    let index = inverted_index(docs);
    let encoded: Vec<(&String, &Vec<u32>, String)> = index
        .par_iter()
        .map(|(stem, values)| (stem, values, encode_postings(values)))
        .collect();
    let bytes: usize = encoded
        .iter()
        .map(|(s, _, p)| s.len() + p.len().min(TAIL_BYTES) + 6)
        .sum();
    let shards = (bytes / SHARD_BYTES + 1).next_power_of_two().min(4096) as u32;
    let mut shard_text: Vec<String> = vec![String::new(); shards as usize];
    let mut tails: Vec<(String, &String)> = Vec::new();
    let mut tails_in_shard: Vec<usize> = vec![0; shards as usize];
    for (stem, values, postings) in &encoded {
        let shard = shard_of(stem, shards) as usize;
        let entry = if postings.len() > TAIL_BYTES {
            let name = format!("{shard}-{}", tails_in_shard[shard]);
            tails_in_shard[shard] += 1;
            let entry = head_entry(values, &name);
            tails.push((name, postings));
            entry
        } else {
            format!("\"{postings}\"")
        };
        append_entry(&mut shard_text[shard], stem, &entry);
    }
    let mut files = Vec::new();
    let chunks = docs.len().div_ceil(CHUNK);
    let stop: Vec<String> = STOP_WORDS.iter().map(|w| js_string(w)).collect();
    files.push((
        "meta.js".to_owned(),
        format!(
            "policybookSearch.meta({{\"shards\":{shards},\"chunk\":{CHUNK},\"chunks\":{chunks},\"docs\":{},\"stop\":[{}]}});\n",
            docs.len(),
            stop.join(",")
        ),
    ));
    for (i, text) in shard_text.iter().enumerate() {
        files.push((
            format!("i{i}.js"),
            format!("policybookSearch.shard({i},{{{text}}});\n"),
        ));
    }
    for (name, postings) in tails {
        files.push((
            format!("t{name}.js"),
            format!("policybookSearch.tail(\"{name}\",\"{postings}\");\n"),
        ));
    }
    files
}

/// `d<k>.js`: the `k`th chunk of [`CHUNK`] documents, what a result shows.
fn chunk_file(k: usize, chunk: &[SearchDoc]) -> (String, String) {
    let rows: Vec<String> = chunk
        .iter()
        .map(|d| {
            format!(
                "[{},{},{},{}]",
                js_string(&d.title),
                js_string(&d.section),
                js_string(&d.url),
                js_string(&d.text)
            )
        })
        .collect();
    (
        format!("d{k}.js"),
        format!("policybookSearch.docs({k},[\n{}\n]);\n", rows.join(",\n")),
    )
}

fn append_entry(text: &mut String, stem: &str, value: &str) {
    if !text.is_empty() {
        text.push(',');
    }
    let _ = write!(text, "{}:{value}", js_string(stem));
}

/// A common word's entry in its shard: `[count, title head, text head, tail]`, each head the
/// first [`HEAD`] documents (ascending, as base-36 deltas of the document number), and the name
/// of the tail file (`t<tail>.js`) with all its postings.
fn head_entry(values: &[u32], tail: &str) -> String {
    let head = |in_title: u32| -> Vec<u32> {
        values
            .iter()
            .filter(|v| *v & 1 == in_title)
            .take(HEAD)
            .map(|v| v >> 1)
            .collect()
    };
    format!(
        "[{},\"{}\",\"{}\",\"{tail}\"]",
        values.len(),
        encode_postings(&head(1)),
        encode_postings(&head(0))
    )
}

/// Writes the search index into `site_dir/search/`; returns how many files.
pub fn write_search_index(
    project: &Project,
    site_dir: &Path,
    writer: &UnitWriter,
) -> Result<usize> {
    let docs = documents(project);
    let dir = site_dir.join(SEARCH_DIR);
    let terms = term_files(&docs);
    terms
        .par_iter()
        .try_for_each(|(name, text)| writer.write(&dir.join(name), text.as_bytes()))?;
    // Each chunk is written as it is made: together they are most of the index (100 MB at
    // 10,000 policies), which need not all be in memory at once.
    docs.par_chunks(CHUNK)
        .enumerate()
        .try_for_each(|(k, chunk)| {
            let (name, text) = chunk_file(k, chunk);
            writer.write(&dir.join(name), text.as_bytes())
        })?;
    Ok(terms.len() + docs.len().div_ceil(CHUNK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s_stemmer_folds_plurals_only() {
        for (word, stemmed) in [
            ("phones", "phone"),
            ("phone", "phone"),
            ("policies", "policy"),
            ("devices", "device"),
            ("passwords", "password"),
            ("staff", "staff"),
            ("access", "access"),
            ("status", "status"),
            ("goes", "goe"),
            ("series", "sery"),
            ("is", "is"),
            ("bus", "bus"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }

    /// The terms of `text`, one word at a time.
    fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
        let mut lower = String::new();
        words(text).filter_map(move |word| term(word, &mut lower).map(Cow::into_owned))
    }

    /// The index as it was built on one core, word by word: the reference the parallel build
    /// (runs of documents joined in order) must equal.
    fn index_one_word_at_a_time(docs: &[SearchDoc]) -> Vec<(String, Vec<u32>)> {
        let mut index: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (i, doc) in docs.iter().enumerate() {
            let id = i as u32 * 2;
            let mut seen: std::collections::BTreeMap<String, u32> = Default::default();
            for term in terms(&doc.title).chain(terms(&doc.section)) {
                seen.insert(term, id + 1);
            }
            for term in terms(&doc.text) {
                seen.entry(term).or_insert(id);
            }
            for (term, value) in seen {
                index.entry(term).or_default().push(value);
            }
        }
        index.into_iter().collect()
    }

    #[test]
    fn the_parallel_index_is_the_one_word_at_a_time_index() {
        // Enough documents for many runs; words recur within and across documents and runs,
        // in titles, sections and texts, with capitals, plurals, stop words and non-ASCII.
        let words = [
            "Phones",
            "phone",
            "the",
            "Policies",
            "ΟΔΟΣ",
            "café",
            "x",
            "staff",
            "Staff",
            "series",
            "a1",
            "passwords",
            "AND",
        ];
        let pick = |i: usize, n: usize| -> String {
            (0..n)
                .map(|k| words[(i * 7 + k * 3 + i / 5) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let docs: Vec<SearchDoc> = (0..500)
            .map(|i| SearchDoc {
                title: pick(i, i % 3),
                section: pick(i + 1, i % 2),
                url: format!("p{i}"),
                text: pick(i + 2, i % 11),
            })
            .collect();
        let index = inverted_index(&docs);
        assert_eq!(index, index_one_word_at_a_time(&docs));
        assert!(
            index.iter().any(|(stem, _)| stem.starts_with("οδο")),
            "{index:?}"
        );
        assert!(
            index
                .iter()
                .all(|(_, v)| v.windows(2).all(|w| w[0] >> 1 < w[1] >> 1))
        );
    }

    /// The text of our own HTML: tags dropped (the heading's with them), the few entities the
    /// renderer writes decoded, white space collapsed.
    /// The plain reading of [`section_text`] (before `clip`), kept to check the one-pass one.
    fn plain_text(html: &str) -> String {
        let body = html
            .split_once("</h")
            .and_then(|(_, rest)| rest.split_once('>'));
        let html = body.map_or(html, |(_, rest)| rest);
        let mut text = String::with_capacity(html.len());
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    text.push(' ');
                }
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn section_text_is_the_clipped_plain_text() {
        let long = "word ".repeat(400);
        let cases = [
            "<h2 id=\"a\">A</h2>\n<p>All <em>staff</em> &amp; learners.</p>".to_owned(),
            "<h2 id=\"a\">A</h2><p>&amp;lt; &lt;b&gt; &quot;q&quot; &#39;s&#39; && &amp</p>"
                .to_owned(),
            "<h2 id=\"a\">A</h2><p>a<br>b \u{a0} c\u{2003}\n\n d &l<i>t;</i> 1 > 0</p>".to_owned(),
            "<p>no heading at all, é ü 漢字</p>".to_owned(),
            format!("<h2 id=\"a\">A</h2><p>{long}</p><p>&amp; tail</p>"),
            format!("<h2 id=\"a\">A</h2><p>{}</p>", "x".repeat(999) + " y"),
            format!("<h2 id=\"a\">A</h2><p>{}</p>", "é".repeat(1000)),
            format!(
                "<h2 id=\"a\">A</h2><p>{}   </p><p>   </p>",
                "é".repeat(1000)
            ),
            format!("<h2 id=\"a\">A</h2><p>{}&amp;</p>", "z".repeat(999)),
            String::new(),
            "<h2 id=\"a\">A</h2>".to_owned(),
            "<h2 id=\"a\">A</h2><p>   lead and trail   </p>   ".to_owned(),
        ];
        for html in &cases {
            assert_eq!(section_text(html), clip(&plain_text(html)), "{html:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn section_text_matches_the_plain_reading_on_any_mix(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<p>", "</p>", "<h2 id=\"x\">", "</h2>", "&amp;", "&lt;", "&gt;", "&quot;",
                    "&#39;", "&", "amp;", "lt;", ";", "<", ">", " ", "\n", "\u{a0}", "word",
                    "é", "漢", "ab", "x",
                ]),
                0..1500,
            )
        ) {
            let html: String = pieces.concat();
            proptest::prop_assert_eq!(section_text(&html), clip(&plain_text(&html)));
        }
    }

    #[test]
    fn sections_follow_the_renderers_headings() {
        let html = "<p>Intro</p>\n<h2 id=\"1-scope\">1. Scope</h2>\n<p>All <em>staff</em> &amp; learners.</p>\n<h3 id=\"1-1-phones\">1.1 Phones</h3>\n<ul><li>No phones.</li></ul>\n";
        let found: Vec<(&str, String)> = sections(html)
            .into_iter()
            .map(|(a, h)| (a, plain_text(h)))
            .collect();
        assert_eq!(
            found,
            [
                ("1-scope", "All staff & learners.".to_owned()),
                ("1-1-phones", "No phones.".to_owned())
            ]
        );
    }

    #[test]
    fn postings_are_deltas_in_base_36_and_every_stem_has_one_shard() {
        assert_eq!(encode_postings(&[3, 40, 41, 1000]), "3,11,1,qn");
        let docs = vec![
            SearchDoc {
                title: "Phones".into(),
                section: String::new(),
                url: "a".into(),
                text: "Keep phones away.".into(),
            },
            SearchDoc {
                title: "Other".into(),
                section: "Devices".into(),
                url: "b#c".into(),
                text: "A phone </script> here.".into(),
            },
        ];
        let files = index_files(&docs);
        let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
        assert!(all.contains("\"phone\":\"1,1\""), "{all}");
        assert!(all.contains("\"device\":\"3\""), "{all}");
        assert!(!all.contains("</script>"), "{all}");
        assert!(files[0].1.contains("\"shards\":1,"));
    }

    #[test]
    fn a_common_word_keeps_its_first_results_in_the_shard_and_the_rest_in_a_tail() {
        let docs: Vec<SearchDoc> = (0..1500)
            .map(|i| SearchDoc {
                title: if i % 100 == 7 {
                    "Visitors".into()
                } else {
                    format!("P{i}")
                },
                section: String::new(),
                url: format!("p{i}"),
                text: "Visitors sign in.".into(),
            })
            .collect();
        let files = index_files(&docs);
        let meta = &files[0].1;
        let shards: u32 = meta
            .split("\"shards\":")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        let shard = shard_of("visitor", shards);
        let head = &files
            .iter()
            .find(|(n, _)| *n == format!("i{shard}.js"))
            .unwrap()
            .1;
        // 15 in a title (7, 107, …), the first ten of them; then the first ten in the text only;
        // then the name of its tail.
        let entry = "\"visitor\":[1500,\"7,2s,2s,2s,2s,2s,2s,2s,2s,2s\",\"0,1,1,1,1,1,1,2,1,1\",\"";
        let at = head.find(entry).unwrap_or_else(|| panic!("{head}")) + entry.len();
        let tail_name = &head[at..at + head[at..].find('"').unwrap()];
        assert!(tail_name.starts_with(&format!("{shard}-")), "{tail_name}");
        let tail = &files
            .iter()
            .find(|(n, _)| *n == format!("t{tail_name}.js"))
            .unwrap()
            .1;
        assert!(tail.starts_with(&format!(
            "policybookSearch.tail(\"{tail_name}\",\"0,2,2,2,2,2,2,3,1,2,"
        )));
        assert_eq!(
            files.iter().filter(|(n, _)| n.starts_with('t')).count(),
            2,
            "sign and visitor"
        );
    }
}
