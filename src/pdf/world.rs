//! The smallest Typst `World` that typesets one generated source: the standard library, the
//! fonts bundled in the binary, no files, no packages and no clock, so a document depends on
//! its source alone and typesets to the same bytes on every machine.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// Libertinus Serif (SIL Open Font License 1.1) for text, DejaVu Sans Mono (free licence of
/// Bitstream Vera) for code: see `fonts/` for the licences. About 1.5 MB of the binary.
const FONT_FILES: [&[u8]; 5] = [
    include_bytes!("fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("fonts/DejaVuSansMono.ttf"),
];

/// What every document shares, made once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

struct OneSource {
    source: Source,
}

impl World for OneSource {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    /// No clock: a document that asks for today gets nothing.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets `markup` into a PDF, as PDF/UA-1 when `ua`. `ident` identifies the document stably (the PDF's id is made
/// from it). Errors are Typst's messages, with the line of the generated source they concern.
pub fn typeset(markup: String, ident: &str, ua: bool) -> Result<Vec<u8>, String> {
    let world = OneSource {
        source: Source::detached(markup),
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| describe(&world, &errors))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_owned()),
        creator: typst::foundations::Smart::Custom(Some(format!(
            "policybook {}",
            env!("CARGO_PKG_VERSION")
        ))),
        // Dates come from the document (`set document(date: ..)`), never the clock.
        timestamp: None,
        standards: if ua {
            standards()
        } else {
            typst_pdf::PdfStandards::default()
        },
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| describe(&world, &errors))
}

/// PDF/UA-1: tagged, with title and language, checked by Typst as it writes. Without it
/// (`ua` false) the PDF is still tagged, only not checked.
fn standards() -> typst_pdf::PdfStandards {
    typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1])
        .unwrap_or_else(|_| typst_pdf::PdfStandards::default())
}

fn describe(world: &OneSource, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let line = world
                .range(e.span)
                .and_then(|r| world.source.lines().byte_to_line(r.start))
                .map(|l| format!(" (line {} of the generated Typst)", l + 1))
                .unwrap_or_default();
            let hints: String = e.hints.iter().map(|h| format!("; hint: {}", h.v)).collect();
            format!("{}{line}{hints}", e.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
