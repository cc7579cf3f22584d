//! The parts of a zipped workbook (.xlsx, .ods), checked before calamine unpacks any.
//!
//! Each entry declares its unpacked size, and the zip reader refuses to unpack more than it
//! declares, so the declared sizes bound what calamine can read: each part, the shared
//! strings (held whole) and all of them together. Then every XML part is scanned
//! ([`super::xml`]) for what its size alone does not bound: one piece or one cell of it.

use super::xml::{self, Stop};
use super::{MAX_PART_BYTES, MAX_SHARED_STRINGS_BYTES, MAX_WORKBOOK_BYTES, bytes_text};
use crate::source::{Format, SourceError};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use zip::ZipArchive;

/// What an entry is to calamine, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Worksheet,
    SharedStrings,
    OdsContent,
    OtherXml,
    /// Not XML (pictures, embedded files): calamine does not read it.
    Other,
}

fn part(name: &str, format: Format) -> Part {
    let name = name.replace('\\', "/").to_ascii_lowercase();
    let xml = name.ends_with(".xml") || name.ends_with(".rels");
    match format {
        _ if !xml => Part::Other,
        Format::Xlsx if name.ends_with("sharedstrings.xml") => Part::SharedStrings,
        Format::Xlsx if name.contains("worksheets/") && name.ends_with(".xml") => Part::Worksheet,
        Format::Ods if name == "content.xml" => Part::OdsContent,
        _ => Part::OtherXml,
    }
}

/// Checks the zipped workbook at `path` before calamine opens it.
pub(crate) fn check(path: &Path, display: &str, format: Format) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|e| SourceError::io(display, e))?;
    let mut zip = match ZipArchive::new(BufReader::new(file)) {
        Ok(zip) => zip,
        Err(e) => {
            return Err(SourceError::Workbook {
                path: display.to_string(),
                message: format!("it is not a readable zip archive ({e})"),
                source: Some(Box::new(e)),
            });
        }
    };
    let limit = |what: String| SourceError::Limit {
        path: display.to_string(),
        what,
    };
    let parts = declared_parts(&zip, format).map_err(limit)?;
    for (index, name, kind) in parts {
        let Ok(entry) = zip.by_index(index) else {
            // An entry that cannot be opened is one calamine cannot open either.
            continue;
        };
        let xml = BufReader::with_capacity(64 << 10, entry);
        let checked = match kind {
            Part::Worksheet => xml::check_worksheet(xml),
            Part::SharedStrings => xml::check_shared_strings(xml),
            Part::OdsContent => xml::check_ods_content(xml),
            Part::OtherXml => xml::check_part(xml),
            Part::Other => Ok(()),
        };
        match checked {
            Ok(()) | Err(Stop::Unreadable) => {}
            Err(Stop::Limit(what)) => return Err(limit(format!("{name}: {what}"))),
        }
    }
    Ok(())
}

/// The entries to scan, once their declared sizes are within bounds; or why they are not.
fn declared_parts<R: Read + Seek>(
    zip: &ZipArchive<R>,
    format: Format,
) -> Result<Vec<(usize, String, Part)>, String> {
    let mut total = 0u64;
    let mut parts = Vec::new();
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let kind = part(&name, format);
        let size = entry.size();
        let (most, what) = match kind {
            Part::SharedStrings => (MAX_SHARED_STRINGS_BYTES, "the shared strings"),
            _ => (MAX_PART_BYTES, "a part of a workbook"),
        };
        if size > most {
            return Err(format!(
                "{name} would unpack to {}; {what} may be at most {}",
                bytes_text(size),
                bytes_text(most)
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_WORKBOOK_BYTES {
            return Err(format!(
                "its parts would unpack to more than {}, the most a workbook may hold",
                bytes_text(MAX_WORKBOOK_BYTES)
            ));
        }
        if kind != Part::Other {
            parts.push((index, name, kind));
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_known_by_name_whatever_the_case() {
        assert_eq!(
            part("xl/worksheets/sheet1.xml", Format::Xlsx),
            Part::Worksheet
        );
        assert_eq!(
            part("XL\\Worksheets\\Sheet1.XML", Format::Xlsx),
            Part::Worksheet
        );
        assert_eq!(
            part("xl/worksheets/_rels/sheet1.xml.rels", Format::Xlsx),
            Part::OtherXml
        );
        assert_eq!(
            part("xl/sharedStrings.xml", Format::Xlsx),
            Part::SharedStrings
        );
        assert_eq!(part("xl/media/image1.png", Format::Xlsx), Part::Other);
        assert_eq!(part("content.xml", Format::Ods), Part::OdsContent);
        assert_eq!(part("styles.xml", Format::Ods), Part::OtherXml);
    }
}
