//! The scanner: a part's XML as a stream of pieces (tags, and texts by their length), holding
//! at most one tag, and ending each piece where calamine's XML reader ends it.

use crate::source::limits::{MAX_CELL_BYTES, cell_too_long};
use std::io::{self, BufRead};

/// A text is counted out in pieces of at most this, so that what reads a cell sees its text
/// grow, and says which cell is too long, before the scanner's own bound on a text.
const TEXT_PIECE: u64 = 64 << 10;
/// A text between tags outside any cell (whitespace, a style's name) is bounded too; a cell's
/// text is bounded first, at [`MAX_CELL_BYTES`], by what reads the cell.
pub(super) const MAX_TEXT_BYTES: u64 = 2 * MAX_CELL_BYTES;

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
pub(super) enum Piece<'a> {
    Tag(Tag<'a>),
    /// Character data (between tags, or a CDATA section): its length in bytes.
    Text(u64),
}

/// A start, end or empty-element tag.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Tag<'a> {
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

    pub(super) fn opens(&self, name: &[u8]) -> bool {
        !self.closing && self.name == name
    }

    pub(super) fn closes(&self, name: &[u8]) -> bool {
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
pub(super) struct Scanner<R> {
    xml: R,
    tag: Vec<u8>,
    /// A `<` has been consumed: the next piece is markup.
    in_markup: bool,
    /// Bytes of the text being counted out, in pieces, so far.
    text: u64,
    bytes: u64,
}

impl<R: BufRead> Scanner<R> {
    pub(super) fn new(xml: R) -> Scanner<R> {
        Scanner {
            xml,
            tag: Vec::new(),
            in_markup: false,
            text: 0,
            bytes: 0,
        }
    }

    /// Bytes of the part read so far.
    pub(super) fn bytes(&self) -> u64 {
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
    pub(super) fn next_piece(&mut self) -> Result<Option<Piece<'_>>, Stop> {
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
