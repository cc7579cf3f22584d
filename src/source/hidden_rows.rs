//! Which rows of an .xlsx sheet Excel hides. calamine gives every row's cells but not the row's
//! own attributes, and a hidden row (filtered out, or hidden by hand) is a row the operator
//! does not see in Excel yet would import: each one is read and named in a warning.
//!
//! The sheet's XML is scanned a second time, in step with calamine's reader, looking only at
//! `<row>` tags. The scan is a byte search, never a parse of the cells, so a hostile sheet (a
//! cell of a gigabyte) costs it no memory: it holds one buffer of the file and one row tag.

use std::io::{BufRead, BufReader, Read, Seek};
use zip::ZipArchive;

/// The part names of a workbook's few small XML files are read whole, up to this.
const SMALL_PART: u64 = 16 << 20;
/// A `<row>` tag longer than this is not one Excel writes; the scan stops there.
const ROW_TAG: usize = 8 << 10;

/// The zip entry holding the worksheet called `sheet`, found as Excel finds it: the package's
/// relationships name the workbook, the workbook names its sheets by relationship id, and the
/// workbook's relationships give each id's part.
pub(crate) fn sheet_part<R: Read + Seek>(zip: &mut ZipArchive<R>, sheet: &str) -> Option<String> {
    let root = read_small(zip, "_rels/.rels")?;
    let workbook = targets(&root)
        .into_iter()
        .find(|t| t.kind.ends_with("/officeDocument"))
        .map(|t| resolve("", &t.target))?;
    let (folder, name) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let rel_id = sheet_relationship(&read_small(zip, &workbook)?, sheet)?;
    let rels = read_small(zip, &format!("{folder}/_rels/{name}.rels"))?;
    let target = targets(&rels).into_iter().find(|t| t.id == rel_id)?.target;
    Some(resolve(folder, &target))
}

/// Hidden rows of one sheet, asked in increasing row order.
pub(crate) struct HiddenRows<R> {
    xml: R,
    /// The row the last tag read was for (0-based), and whether it is hidden.
    last: Option<(u32, bool)>,
    /// The row a `<row>` without `r` is (one after the previous one).
    next_index: u32,
    tag: Vec<u8>,
    done: bool,
}

impl<R: Read> HiddenRows<BufReader<R>> {
    pub(crate) fn new(part: R) -> Self {
        HiddenRows {
            xml: BufReader::with_capacity(64 << 10, part),
            last: None,
            next_index: 0,
            tag: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> HiddenRows<R> {
    /// Whether sheet row `row` (0-based) is hidden. Rows must be asked in increasing order, as
    /// calamine gives them; a row the sheet has no tag for is not hidden. A scan that fails
    /// (a damaged part) says no more rows are hidden: calamine reports the damage itself.
    pub(crate) fn is_hidden(&mut self, row: u32) -> bool {
        loop {
            match self.last {
                Some((index, hidden)) if index == row => return hidden,
                Some((index, _)) if index > row => return false,
                _ => {}
            }
            if self.done {
                return false;
            }
            match self.next_row_tag() {
                Some(found) => self.last = Some(found),
                None => self.done = true,
            }
        }
    }

    /// The next `<row>` tag's row and hidden flag; `None` at the end or on damage.
    fn next_row_tag(&mut self) -> Option<(u32, bool)> {
        loop {
            self.skip_past(b'<')?;
            if !self.read_tag_name()? {
                continue;
            }
            self.read_until_tag_end()?;
            let tag = std::str::from_utf8(&self.tag).ok()?;
            let index = match attribute(tag, "r") {
                Some(r) => r.parse::<u32>().ok()?.checked_sub(1)?,
                None => self.next_index,
            };
            self.next_index = index.saturating_add(1);
            let hidden = matches!(attribute(tag, "hidden"), Some("1" | "true"));
            return Some((index, hidden));
        }
    }

    /// Consumes everything up to and including the next `byte`.
    fn skip_past(&mut self, byte: u8) -> Option<()> {
        loop {
            let buf = self.xml.fill_buf().ok()?;
            if buf.is_empty() {
                return None;
            }
            match memchr::memchr(byte, buf) {
                Some(at) => {
                    self.xml.consume(at + 1);
                    return Some(());
                }
                None => {
                    let len = buf.len();
                    self.xml.consume(len);
                }
            }
        }
    }

    /// Reads a tag's name after `<`, keeping it in `tag`; true when it is `row` (with any
    /// namespace prefix). Stops at the first byte that ends a name, which it leaves unread.
    fn read_tag_name(&mut self) -> Option<bool> {
        self.tag.clear();
        loop {
            let buf = self.xml.fill_buf().ok()?;
            if buf.is_empty() {
                return None;
            }
            let end = buf
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
            let taken = end.unwrap_or(buf.len());
            self.tag.extend_from_slice(&buf[..taken]);
            self.xml.consume(taken);
            if end.is_some() {
                break;
            }
            if self.tag.len() > 64 {
                return Some(false);
            }
        }
        let local = self.tag.rsplit(|&b| b == b':').next().unwrap_or(&[]);
        Some(local == b"row")
    }

    /// Reads the rest of a tag into `tag`, up to its `>`.
    fn read_until_tag_end(&mut self) -> Option<()> {
        self.tag.clear();
        loop {
            let buf = self.xml.fill_buf().ok()?;
            if buf.is_empty() {
                return None;
            }
            match memchr::memchr(b'>', buf) {
                Some(at) => {
                    self.tag.extend_from_slice(&buf[..at]);
                    self.xml.consume(at + 1);
                    return Some(());
                }
                None => {
                    let len = buf.len();
                    self.tag.extend_from_slice(buf);
                    self.xml.consume(len);
                    if self.tag.len() > ROW_TAG {
                        return None;
                    }
                }
            }
        }
    }
}

/// The value of attribute `name` in a tag's attribute text (`r="5" hidden="1"`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value_end = after[1..].find(quote)? + 1;
        let key = key.rsplit(':').next().unwrap_or(key);
        if key == name {
            return Some(&after[1..value_end]);
        }
        rest = &after[value_end + 1..];
    }
    None
}

/// A small part's text, or `None` when it is missing, too big or not UTF-8. Names are
/// matched as Excel does: exactly, else ignoring case.
fn read_small<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str) -> Option<String> {
    let index = zip.index_for_name(name).or_else(|| {
        let lower = name.to_ascii_lowercase();
        (0..zip.len()).find(|&i| {
            zip.name_for_index(i).is_some_and(|n| {
                n.is_ok_and(|n| n.replace('\\', "/").to_ascii_lowercase() == lower)
            })
        })
    })?;
    let entry = zip.by_index(index).ok()?;
    if entry.size() > SMALL_PART {
        return None;
    }
    let mut text = String::new();
    entry.take(SMALL_PART).read_to_string(&mut text).ok()?;
    Some(text)
}

struct Target {
    id: String,
    kind: String,
    target: String,
}

/// The relationships of a `.rels` part.
fn targets(rels: &str) -> Vec<Target> {
    let mut reader = quick_xml::Reader::from_str(rels);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let value = |key: &str| {
                    e.try_get_attribute(key)
                        .ok()
                        .flatten()
                        .and_then(|a| attribute_text(&a))
                        .unwrap_or_default()
                };
                found.push(Target {
                    id: value("Id"),
                    kind: value("Type"),
                    target: value("Target"),
                });
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    found
}

/// The relationship id of the sheet called `sheet` in a workbook part.
fn sheet_relationship(workbook: &str, sheet: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(workbook);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "sheet" =>
            {
                let mut name = None;
                let mut id = None;
                for attribute in e.attributes().flatten() {
                    let value = attribute_text(&attribute)?;
                    match attribute.key.local_name().as_ref() {
                        "name" => name = Some(value),
                        "id" => id = Some(value),
                        _ => {}
                    }
                }
                if name.as_deref() == Some(sheet) {
                    return id;
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn attribute_text(attribute: &quick_xml::events::attributes::Attribute<'_>) -> Option<String> {
    attribute
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|value| value.into_owned())
}

/// A relationship target as a zip entry name: absolute targets start at the package root,
/// relative ones at the folder of the part that names them.
fn resolve(folder: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if folder.is_empty() => target,
        None => format!("{folder}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str) -> HiddenRows<&[u8]> {
        HiddenRows {
            xml: xml.as_bytes(),
            last: None,
            next_index: 0,
            tag: Vec::new(),
            done: false,
        }
    }

    #[test]
    fn hidden_rows_are_found_in_step() {
        let xml = r#"<worksheet><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c></row>
            <row r="3" hidden="1"><c r="A3"><v>2</v></c></row><row><c><v>x</v></c></row>
            <x:row r="9" customHeight="1" hidden="true"/></sheetData></worksheet>"#;
        let mut rows = scan(xml);
        let hidden: Vec<u32> = (0..12).filter(|&r| rows.is_hidden(r)).collect();
        // Rows 3 and 9 in Excel's numbering; the row without `r` is row 4 and shown.
        assert_eq!(hidden, vec![2, 8]);
    }

    #[test]
    fn a_damaged_sheet_hides_nothing_more() {
        let mut rows = scan(r#"<row r="2" hidden="1"><c>"#);
        assert!(rows.is_hidden(1));
        assert!(!rows.is_hidden(5));
        let long = format!("<row {}", "a".repeat(ROW_TAG * 2));
        assert!(!scan(&long).is_hidden(0));
    }

    #[test]
    fn attributes_are_read_by_local_name() {
        assert_eq!(attribute(r#"r="5" hidden="1""#, "hidden"), Some("1"));
        assert_eq!(
            attribute(r#" x14ac:dyDescent='0.25' r = "7""#, "r"),
            Some("7")
        );
        assert_eq!(attribute(r#"spans="1:3""#, "hidden"), None);
    }

    #[test]
    fn targets_resolve_like_excel() {
        assert_eq!(
            resolve("xl", "worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(resolve("xl", "../xl/./sheet.xml"), "xl/sheet.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
