//! A bounded look at a workbook part's XML before calamine reads it.
//!
//! calamine's XML reader holds each piece of the XML (a tag, a text between tags) whole, and
//! builds each cell's text whole; the zip entry's size bounds neither below the size of the
//! part. So each part calamine will read is scanned here first, streaming, holding at most one
//! tag: every tag and text is at most [`MAX_CELL_BYTES`], every cell's text too, every cell
//! reference within XFD1048576, and an .ods's repeated rows and columns lay out no more cells
//! than its size allows ([`cell_budget`]).
//!
//! The scan ends each piece no earlier than calamine's XML reader does (a tag at the first `>`
//! outside quotes, a comment at `-->`, a CDATA section at `]]>`), so a piece it measures as
//! short is short for calamine too. What it cannot measure that way (a document type
//! declaration, which carries its own markup and no workbook has) is refused. A part that
//! cannot be unpacked is left to calamine, which stops at the same byte with its own message.

use super::{
    MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS, beyond_columns, beyond_rows, bytes_text, cell_budget,
    cell_too_long, shown,
};
use crate::display::thousands;
use std::io::{self, BufRead};

/// A text is counted out in pieces of at most this, so that what reads a cell sees its text
/// grow, and says which cell is too long, before the scanner's own bound on a text.
const TEXT_PIECE: u64 = 64 << 10;
/// A text between tags outside any cell (whitespace, a style's name) is bounded too; a cell's
/// text is bounded first, at [`MAX_CELL_BYTES`], by what reads the cell.
const MAX_TEXT_BYTES: u64 = 2 * MAX_CELL_BYTES;

/// Why a scan stopped before the end of the part.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The part is past a bound: the message says which.
    Limit(String),
    /// The part could not be unpacked; calamine will say why.
    Unreadable,
}

/// One piece of XML.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Tag(Tag<'a>),
    /// Character data (between tags, or a CDATA section): its length in bytes.
    Text(u64),
}

/// A start, end or empty-element tag.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    /// The name without its namespace prefix.
    pub name: &'a [u8],
    /// What follows the name: the attributes.
    pub attributes: &'a [u8],
    /// `</name>`.
    pub closing: bool,
    /// `<name/>`: opens and closes at once.
    pub empty: bool,
}

impl Tag<'_> {
    /// An attribute's raw value, by its name without namespace prefix.
    pub fn attribute(&self, local: &[u8]) -> Option<&[u8]> {
        let mut rest = self.attributes;
        loop {
            rest = trim_start(rest);
            let key_end = rest
                .iter()
                .position(|&b| b == b'=' || b.is_ascii_whitespace())?;
            let key = &rest[..key_end];
            rest = trim_start(&rest[key_end..]);
            rest = trim_start(rest.strip_prefix(b"=")?);
            let quote = *rest.first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let value_end = memchr::memchr(quote, &rest[1..])?;
            let value = &rest[1..1 + value_end];
            if local_name(key) == local {
                return Some(value);
            }
            rest = &rest[value_end + 2..];
        }
    }

    fn opens(&self, name: &[u8]) -> bool {
        !self.closing && self.name == name
    }

    fn closes(&self, name: &[u8]) -> bool {
        (self.closing || self.empty) && self.name == name
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn local_name(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// The kind of markup after a `<`, as far as it is known.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Markup {
    Unknown,
    Element { quote: Option<u8> },
    Instruction,
    Comment,
    Cdata,
}

/// The pieces of one part, in order.
pub(crate) struct Scanner<R> {
    xml: R,
    tag: Vec<u8>,
    /// A `<` has been consumed: the next piece is markup.
    in_markup: bool,
    /// Bytes of the text being counted out, in pieces, so far.
    text: u64,
    bytes: u64,
}

impl<R: BufRead> Scanner<R> {
    pub(crate) fn new(xml: R) -> Scanner<R> {
        Scanner {
            xml,
            tag: Vec::new(),
            in_markup: false,
            text: 0,
            bytes: 0,
        }
    }

    /// Bytes of the part read so far.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    fn fill(&mut self) -> Result<&[u8], Stop> {
        loop {
            match self.xml.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Stop::Unreadable),
            }
        }
        // Filled: this gives the buffer without reading.
        self.xml.fill_buf().map_err(|_| Stop::Unreadable)
    }

    fn consume(&mut self, n: usize) {
        self.xml.consume(n);
        self.bytes += n as u64;
    }

    /// The next piece; `None` at the end of the part (or inside a tag the part ends in, which
    /// calamine refuses by itself).
    pub(crate) fn next_piece(&mut self) -> Result<Option<Piece<'_>>, Stop> {
        loop {
            if !self.in_markup {
                let text = self.text_run()?;
                if text > 0 {
                    return Ok(Some(Piece::Text(text)));
                }
                if !self.in_markup {
                    return Ok(None);
                }
            }
            self.in_markup = false;
            let Some(markup) = self.markup()? else {
                return Ok(None);
            };
            match markup {
                Markup::Element { .. } => return Ok(Some(Piece::Tag(self.element()))),
                // `![CDATA[` and `]]>` around the text.
                Markup::Cdata => return Ok(Some(Piece::Text(self.tag.len() as u64 - 11))),
                Markup::Instruction | Markup::Comment | Markup::Unknown => {}
            }
        }
    }

    /// Consumes text up to and including the next `<`, or a piece of it; its length.
    fn text_run(&mut self) -> Result<u64, Stop> {
        let mut piece = 0u64;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(piece);
            }
            let room = (TEXT_PIECE - piece) as usize;
            let (taken, found) = match memchr::memchr(b'<', &buf[..buf.len().min(room)]) {
                Some(at) => (at, true),
                None => (buf.len().min(room), false),
            };
            piece += taken as u64;
            self.text += taken as u64;
            self.consume(taken + usize::from(found));
            if self.text > MAX_TEXT_BYTES {
                return Err(Stop::Limit(cell_too_long("a text between two tags")));
            }
            if found {
                self.in_markup = true;
                self.text = 0;
                return Ok(piece);
            }
            if piece == TEXT_PIECE {
                return Ok(piece);
            }
        }
    }

    /// Reads the markup after a `<` into `tag`, up to its end included.
    fn markup(&mut self) -> Result<Option<Markup>, Stop> {
        self.tag.clear();
        let mut markup = Markup::Unknown;
        loop {
            self.fill()?;
            let buf = self.xml.fill_buf().map_err(|_| Stop::Unreadable)?;
            if buf.is_empty() {
                return Ok(None);
            }
            // A tag's first byte tells an element (most markup) from the rest.
            if markup == Markup::Unknown && self.tag.is_empty() && !matches!(buf[0], b'!' | b'?') {
                markup = Markup::Element { quote: None };
            }
            let (used, done) = match &mut markup {
                Markup::Element { quote } => {
                    let (used, done) = element_end(buf, quote);
                    self.tag.extend_from_slice(&buf[..used]);
                    (used, done)
                }
                other => {
                    let mut used = 0;
                    let mut done = false;
                    for &b in buf {
                        used += 1;
                        self.tag.push(b);
                        if *other == Markup::Unknown {
                            *other = kind(&self.tag)?;
                        }
                        done = match other {
                            Markup::Instruction => self.tag.len() >= 3 && self.tag.ends_with(b"?>"),
                            // The end may not overlap the start: `<!-->` is no comment's end.
                            Markup::Comment => self.tag.len() >= 6 && self.tag.ends_with(b"-->"),
                            Markup::Cdata => self.tag.len() >= 11 && self.tag.ends_with(b"]]>"),
                            Markup::Unknown | Markup::Element { .. } => false,
                        };
                        if done || self.tag.len() as u64 > MAX_CELL_BYTES {
                            break;
                        }
                    }
                    (used, done)
                }
            };
            self.xml.consume(used);
            self.bytes += used as u64;
            // Checked once a buffer is taken in: a tag may go past the bound by a buffer.
            if self.tag.len() as u64 > MAX_CELL_BYTES {
                return Err(Stop::Limit(cell_too_long("a tag")));
            }
            if done {
                return Ok(Some(markup));
            }
        }
    }

    /// The element tag in `tag` (its `>` included).
    fn element(&self) -> Tag<'_> {
        let mut inner = &self.tag[..self.tag.len() - 1];
        let closing = inner.first() == Some(&b'/');
        if closing {
            inner = &inner[1..];
        }
        let empty = inner.last() == Some(&b'/');
        if empty {
            inner = &inner[..inner.len() - 1];
        }
        let name_end = inner
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(inner.len());
        Tag {
            name: local_name(&inner[..name_end]),
            attributes: &inner[name_end..],
            closing,
            empty,
        }
    }
}

/// How far into `buf` an element's tag goes: to its `>` outside quotes (included, and then
/// true), or all of it. `quote` is the quote the tag is inside, carried over buffers.
fn element_end(buf: &[u8], quote: &mut Option<u8>) -> (usize, bool) {
    let mut at = 0;
    loop {
        match *quote {
            Some(q) => match memchr::memchr(q, &buf[at..]) {
                Some(i) => {
                    at += i + 1;
                    *quote = None;
                }
                None => return (buf.len(), false),
            },
            None => match memchr::memchr3(b'>', b'"', b'\'', &buf[at..]) {
                Some(i) => {
                    let b = buf[at + i];
                    at += i + 1;
                    if b == b'>' {
                        return (at, true);
                    }
                    *quote = Some(b);
                }
                None => return (buf.len(), false),
            },
        }
    }
}

/// What markup starts with `tag` (the bytes after `<`), once it can be told.
fn kind(tag: &[u8]) -> Result<Markup, Stop> {
    const COMMENT: &[u8] = b"!--";
    const CDATA: &[u8] = b"![CDATA[";
    match tag[0] {
        b'?' => return Ok(Markup::Instruction),
        b'!' => {}
        _ => return Ok(Markup::Element { quote: None }),
    }
    if tag == COMMENT {
        return Ok(Markup::Comment);
    }
    if tag == CDATA {
        return Ok(Markup::Cdata);
    }
    if COMMENT.starts_with(tag) || CDATA.starts_with(tag) {
        return Ok(Markup::Unknown);
    }
    Err(Stop::Limit(
        "it has a document type declaration, which no workbook has".into(),
    ))
}

/// Scans a part for nothing but the length of its pieces.
pub(crate) fn check_part<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    while scanner.next_piece()?.is_some() {}
    Ok(())
}

/// A decimal number in an attribute, saturating; `None` if it is not one (calamine then
/// refuses the part itself).
fn number(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Checks a cell reference (`B7`) against the size of a sheet.
fn check_reference(reference: &[u8]) -> Result<(), Stop> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let column = reference[..letters].iter().fold(0u64, |n, &b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    if column > u64::from(MAX_COLUMNS) {
        return Err(Stop::Limit(beyond_columns(&shown(reference))));
    }
    match number(&reference[letters..]) {
        Some(row) if row > u64::from(MAX_ROWS) => Err(Stop::Limit(beyond_rows(row))),
        _ => Ok(()),
    }
}

/// Scans an .xlsx worksheet: pieces, cell references and each cell's text.
pub(crate) fn check_worksheet<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    // The cell being read (its reference, for the message) and its text so far.
    let mut cell: Option<(String, u64)> = None;
    while let Some(piece) = scanner.next_piece()? {
        match piece {
            Piece::Tag(tag) if tag.opens(b"row") => {
                if let Some(row) = tag.attribute(b"r").and_then(number)
                    && row > u64::from(MAX_ROWS)
                {
                    return Err(Stop::Limit(beyond_rows(row)));
                }
            }
            Piece::Tag(tag) if tag.opens(b"c") => {
                let reference = tag.attribute(b"r");
                if let Some(reference) = reference {
                    check_reference(reference)?;
                }
                cell = (!tag.empty).then(|| {
                    let shown =
                        reference.map_or_else(|| "a cell".into(), |r| format!("cell {}", shown(r)));
                    (shown, 0)
                });
            }
            Piece::Tag(tag) if tag.closes(b"c") => cell = None,
            Piece::Text(n) => {
                if let Some((name, text)) = &mut cell {
                    *text += n;
                    if *text > MAX_CELL_BYTES {
                        return Err(Stop::Limit(cell_too_long(name)));
                    }
                }
            }
            Piece::Tag(_) => {}
        }
    }
    Ok(())
}

/// Strings calamine may set room aside for on a part's word alone (24 bytes each).
const CLAIMED_STRINGS: u64 = 1 << 20;

/// Scans an .xlsx's shared strings: each string's text, and the count the table claims
/// (calamine sets room aside for that many strings before reading one).
pub(crate) fn check_shared_strings<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    let mut claimed = 0u64;
    let mut strings = 0u64;
    let mut in_string: Option<u64> = None;
    while let Some(piece) = scanner.next_piece()? {
        match piece {
            Piece::Tag(tag) if tag.opens(b"sst") => {
                claimed = tag.attribute(b"uniqueCount").and_then(number).unwrap_or(0);
            }
            Piece::Tag(tag) if tag.opens(b"si") => {
                strings += 1;
                in_string = (!tag.empty).then_some(0);
            }
            Piece::Tag(tag) if tag.closes(b"si") => in_string = None,
            Piece::Text(n) => {
                if let Some(text) = &mut in_string {
                    *text += n;
                    if *text > MAX_CELL_BYTES {
                        return Err(Stop::Limit(cell_too_long(&format!(
                            "shared string {}",
                            thousands(strings)
                        ))));
                    }
                }
            }
            Piece::Tag(_) => {}
        }
    }
    if claimed > strings.max(CLAIMED_STRINGS) {
        return Err(Stop::Limit(format!(
            "its shared strings claim to be {} where there are {}",
            thousands(claimed),
            thousands(strings)
        )));
    }
    Ok(())
}

/// One table of an .ods as calamine lays it out: from the first row with a value to the last,
/// as wide as the widest row's last value, repeated rows and columns expanded.
#[derive(Default)]
struct Table {
    /// Rows so far, repeats counted (calamine stops counting at the last row of a sheet).
    rows: u64,
    /// Rows before the first with a value, and rows up to the end of the last with one.
    first: Option<u64>,
    end: u64,
    width: u64,
}

impl Table {
    fn cells(&self) -> u64 {
        self.first
            .map_or(0, |first| (self.end - first).saturating_mul(self.width))
    }
}

/// The row being read: its repeats, the column reached and the end of its last value.
struct Row {
    repeats: u64,
    column: u64,
    last: u64,
}

/// Attributes that give an .ods cell a value (or a formula) to calamine.
const VALUE_ATTRIBUTES: [&[u8]; 7] = [
    b"value",
    b"string-value",
    b"date-value",
    b"time-value",
    b"boolean-value",
    b"formula",
    b"value-type",
];

/// Scans an .ods's `content.xml`: pieces, each cell's text (a `<text:s text:c="N"/>` is N
/// spaces), and the cells its tables lay out against [`cell_budget`] of the part's size.
pub(crate) fn check_ods_content<R: BufRead>(xml: R) -> Result<(), Stop> {
    let mut scanner = Scanner::new(xml);
    let mut tables: Vec<Table> = Vec::new();
    let mut row: Option<Row> = None;
    let mut cell_text: Option<u64> = None;
    let mut cells = 0u64;
    while let Some(piece) = scanner.next_piece()? {
        let added = match piece {
            Piece::Tag(tag) => {
                if tag.opens(b"table") {
                    tables.push(Table::default());
                }
                if tag.opens(b"table-row") {
                    let rows = tables.last().map_or(0, |t| t.rows);
                    let asked = tag
                        .attribute(b"number-rows-repeated")
                        .and_then(number)
                        .unwrap_or(1);
                    row = Some(Row {
                        repeats: asked.min(u64::from(MAX_ROWS).saturating_sub(rows)),
                        column: 0,
                        last: 0,
                    });
                }
                if (tag.opens(b"table-cell") || tag.opens(b"covered-table-cell"))
                    && let Some(row) = &mut row
                {
                    let asked = tag
                        .attribute(b"number-columns-repeated")
                        .and_then(number)
                        .unwrap_or(1);
                    row.column += asked.min(u64::from(MAX_COLUMNS).saturating_sub(row.column));
                    let valued = !tag.empty
                        || VALUE_ATTRIBUTES
                            .iter()
                            .any(|name| tag.attribute(name).is_some());
                    if valued {
                        row.last = row.column;
                    }
                    cell_text = (!tag.empty).then_some(0);
                }
                if tag.closes(b"table-cell") || tag.closes(b"covered-table-cell") {
                    cell_text = None;
                }
                // calamine writes `c` spaces for a `<text:s text:c="c"/>`.
                let spaces = if tag.opens(b"s") {
                    tag.attribute(b"c").and_then(number).unwrap_or(1)
                } else {
                    0
                };
                if tag.closes(b"table-row")
                    && let (Some(done), Some(table)) = (row.take(), tables.last_mut())
                {
                    if done.last > 0 {
                        table.first.get_or_insert(table.rows);
                        table.end = table.rows + done.repeats;
                        table.width = table.width.max(done.last);
                    }
                    table.rows += done.repeats;
                }
                if tag.closes(b"table")
                    && let Some(table) = tables.pop()
                {
                    cells = cells.saturating_add(table.cells());
                }
                spaces
            }
            Piece::Text(n) => n,
        };
        if let Some(text) = &mut cell_text {
            *text = text.saturating_add(added);
            if *text > MAX_CELL_BYTES {
                return Err(Stop::Limit(cell_too_long("a cell")));
            }
        }
    }
    // Tables the part leaves open are laid out too.
    for table in &tables {
        cells = cells.saturating_add(table.cells());
    }
    let budget = cell_budget(scanner.bytes());
    if cells > budget {
        return Err(Stop::Limit(format!(
            "its sheets would take {} cells in memory (the empty ones between values \
             included); a workbook whose content is {} may take at most {}",
            thousands(cells),
            bytes_text(scanner.bytes()),
            thousands(budget)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(xml: &str) -> Vec<String> {
        let mut scanner = Scanner::new(xml.as_bytes());
        let mut out = Vec::new();
        while let Some(piece) = scanner.next_piece().unwrap() {
            out.push(match piece {
                Piece::Text(n) => format!("text {n}"),
                Piece::Tag(tag) => format!(
                    "{}{}{} [{}]",
                    if tag.closing { "/" } else { "" },
                    String::from_utf8_lossy(tag.name),
                    if tag.empty { "/" } else { "" },
                    String::from_utf8_lossy(tag.attributes).trim()
                ),
            });
        }
        out
    }

    #[test]
    fn pieces_end_where_an_xml_reader_ends_them() {
        assert_eq!(
            pieces(r#"<?xml version="1.0"?><x:c r="A1" t='a>b'>12<!-- <c> --></x:c><v/>"#),
            vec![r#"c [r="A1" t='a>b']"#, "text 2", "/c []", "v/ []",]
        );
        assert_eq!(
            pieces("<t><![CDATA[a<b>c]]></t>"),
            vec!["t []", "text 5", "/t []"]
        );
        assert_eq!(
            pieces("<!-->-->x"),
            vec!["text 1"],
            "a comment's end does not overlap its start"
        );
    }

    #[test]
    fn attributes_are_found_by_local_name() {
        let mut scanner =
            Scanner::new(&br#"<table:table-row a="1" table:number-rows-repeated = '7'>"#[..]);
        let Some(Piece::Tag(tag)) = scanner.next_piece().unwrap() else {
            panic!("a tag")
        };
        assert_eq!(tag.name, b"table-row");
        assert_eq!(tag.attribute(b"number-rows-repeated"), Some(&b"7"[..]));
        assert_eq!(tag.attribute(b"a"), Some(&b"1"[..]));
        assert_eq!(tag.attribute(b"b"), None);
    }

    fn limit(result: Result<(), Stop>) -> String {
        match result {
            Err(Stop::Limit(what)) => what,
            other => panic!("expected a limit, got {other:?}"),
        }
    }

    #[test]
    fn a_text_or_tag_over_the_cell_limit_is_refused() {
        let long = "x".repeat(MAX_CELL_BYTES as usize + 1);
        let longer = "x".repeat(MAX_TEXT_BYTES as usize + 1);
        let text = limit(check_part(format!("<t>{longer}</t>").as_bytes()));
        assert!(text.starts_with("a text between two tags"), "{text}");
        let tag = limit(check_part(format!("<t a=\"{long}\"/>").as_bytes()));
        assert!(tag.starts_with("a tag"), "{tag}");
        let cdata = limit(check_part(format!("<t><![CDATA[{long}]]></t>").as_bytes()));
        assert!(cdata.contains("1 MiB"), "{cdata}");
        assert!(check_part(format!("<t>{long}</t>").as_bytes()).is_ok());
    }

    #[test]
    fn a_document_type_declaration_is_refused() {
        let what = limit(check_part(&b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"[..]));
        assert!(what.contains("document type"), "{what}");
    }

    #[test]
    fn cell_references_beyond_xfd1048576_are_refused() {
        let sheet =
            |r: &str| format!(r#"<sheetData><row r="1"><c r="{r}"><v>1</v></c></row></sheetData>"#);
        assert!(check_worksheet(sheet("XFD1048576").as_bytes()).is_ok());
        let column = limit(check_worksheet(sheet("AAAAAAAAA2").as_bytes()));
        assert!(
            column.contains("AAAAAAAAA2") && column.contains("XFD"),
            "{column}"
        );
        assert!(limit(check_worksheet(sheet("XFE1").as_bytes())).contains("XFD"));
        let row = limit(check_worksheet(sheet("A1048577").as_bytes()));
        assert!(row.contains("1,048,576"), "{row}");
        let row_tag = limit(check_worksheet(&br#"<row r="99999999999999999999">"#[..]));
        assert!(row_tag.contains("1,048,576"), "{row_tag}");
    }

    #[test]
    fn an_inline_cell_is_bounded_as_a_whole() {
        let half = "x".repeat(MAX_CELL_BYTES as usize / 2 + 1);
        let sheet = format!(
            r#"<c r="B7" t="inlineStr"><is><r><t>{half}</t></r><r><t>{half}</t></r></is></c>"#
        );
        let what = limit(check_worksheet(sheet.as_bytes()));
        assert!(what.starts_with("cell B7"), "{what}");
        let one_run = "x".repeat(MAX_CELL_BYTES as usize + 1);
        let sheet = format!(r#"<c r="B7" t="inlineStr"><is><t>{one_run}</t></is></c>"#);
        let what = limit(check_worksheet(sheet.as_bytes()));
        assert!(what.starts_with("cell B7 is longer than 1 MiB"), "{what}");
    }

    #[test]
    fn shared_strings_are_bounded_one_by_one_and_by_their_claimed_count() {
        let half = "x".repeat(MAX_CELL_BYTES as usize / 2 + 1);
        let table = format!(
            "<sst><si><t>a</t></si><si><r><t>{half}</t></r><r><t>{half}</t></r></si></sst>"
        );
        let what = limit(check_shared_strings(table.as_bytes()));
        assert!(what.starts_with("shared string 2"), "{what}");
        let one_run = "x".repeat(2 * MAX_CELL_BYTES as usize);
        let table = format!("<sst><si><t>{one_run}</t></si></sst>");
        let what = limit(check_shared_strings(table.as_bytes()));
        assert!(what.starts_with("shared string 1 is longer"), "{what}");
        let lying = limit(check_shared_strings(
            &br#"<sst uniqueCount="99999999999"><si><t>a</t></si></sst>"#[..],
        ));
        assert!(lying.contains("99,999,999,999"), "{lying}");
        assert!(
            check_shared_strings(&br#"<sst uniqueCount="3"><si><t>a</t></si></sst>"#[..]).is_ok()
        );
    }

    #[test]
    fn ods_repeats_are_counted_as_calamine_expands_them() {
        let content = |rows: u64, columns: u64| {
            format!(
                r#"<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet>"#
            )
        };
        assert!(check_ods_content(content(1000, 1000).as_bytes()).is_ok());
        let what = limit(check_ods_content(content(1_000_000, 16_384).as_bytes()));
        assert!(what.contains("16,384,000,000"), "{what}");
        // Trailing empty rows and columns, as LibreOffice writes them, lay out nothing.
        let trailing = r#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert!(check_ods_content(trailing.as_bytes()).is_ok());
        let spaces = limit(check_ods_content(
            &br#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row></table:table>"#[..],
        ));
        assert!(spaces.contains("1 MiB"), "{spaces}");
    }
}
