//! Workbook or text, from the first bytes and, for a zip archive, from its entries. A binary
//! file renamed to `.csv` is refused here, by what it is.

use super::read_head;
use crate::source::{Format, SourceError};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Binary formats that operators rename to .csv by mistake, with how to name them.
const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF", "a 7-Zip archive"),
    (b"\x7FELF", "a program"),
    (b"MZ", "a Windows program"),
];

/// The file's format, from its first bytes.
pub fn detect_format(path: &Path, display: &str) -> Result<Format, SourceError> {
    let mut head = [0u8; 128];
    let n = read_head(path, display, &mut head)?;
    let head = &head[..n];
    if head.starts_with(OLE_MAGIC) {
        return Ok(Format::Xls);
    }
    if head.starts_with(ZIP_MAGIC) {
        // An OpenDocument file should store its media type uncompressed as the first entry;
        // when it does not, the archive's entries tell.
        if head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME) {
            return Ok(Format::Ods);
        }
        return zipped_format(path, display);
    }
    for (magic, what) in BINARY_MAGIC {
        if head.starts_with(magic) {
            return Err(SourceError::NotText {
                path: display.to_string(),
                why: format!("it is {what}"),
            });
        }
    }
    Ok(Format::Csv)
}

/// Which workbook a zip archive holds, by its entries: an OpenDocument file names its media
/// type in `mimetype` (compressed or not), an Office Open XML file has its content types and
/// package relationships. An archive calamine cannot open is left to it to say why.
fn zipped_format(path: &Path, display: &str) -> Result<Format, SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(Format::Xlsx);
    };
    let has = |zip: &zip::ZipArchive<_>, wanted: &str| {
        zip.file_names()
            .flatten()
            .any(|name| name.replace('\\', "/").eq_ignore_ascii_case(wanted))
    };
    let mut mime = Vec::new();
    if let Ok(entry) = zip.by_name("mimetype") {
        // A media type is a line; more is not one.
        let _ = entry.take(128).read_to_end(&mut mime);
    }
    let mime = String::from_utf8_lossy(&mime);
    let mime = mime.trim();
    // A template (`…spreadsheet-template`) reads as a spreadsheet, as calamine reads it.
    if mime.as_bytes().starts_with(ODS_MIME) {
        return Ok(Format::Ods);
    }
    if let Some(kind) = mime.strip_prefix("application/vnd.oasis.opendocument.") {
        return Err(SourceError::NotText {
            path: display.to_string(),
            why: format!("it is an OpenDocument {kind}, not a spreadsheet"),
        });
    }
    if has(&zip, "[Content_Types].xml") || has(&zip, "_rels/.rels") {
        return Ok(Format::Xlsx);
    }
    if has(&zip, "content.xml") {
        return Ok(Format::Ods);
    }
    Err(SourceError::NotText {
        path: display.to_string(),
        why: "it is a zip archive that holds no workbook".into(),
    })
}
