//! A line that names a customer, packed into bytes by the checking thread that read it, sorted
//! as bytes, and unpacked by [`crate::plan`] only as far as it needs. The format is private to
//! one run (it only ever lives in memory and in temporary files), so it is plain: what sorts
//! the line comes first, laid out so that its bytes compare as the customer key, file and line
//! do, and the values follow, each a field number or a length and the text.

use crate::customer::{Contact, CustomerId, CustomerKey, Values};
use crate::fields::{FIELDS, Field};
use crate::spill::Packed;
use std::cmp::Ordering;
use std::io;
use std::ops::Range;

/// One line that names a customer: what sorts it, and its values packed. Most customers of a
/// big file are one line each and need no more than this header, so the values are only
/// unpacked when a check looks at them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub file: u32,
    pub line: u64,
    /// The line failed its own rules.
    pub failed: bool,
    pub has_contact: bool,
    bytes: Vec<u8>,
    /// Where the key's own bytes are (after its kind).
    key: Range<usize>,
    /// Where the values start.
    body: usize,
}

/// The normalised values of a line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryBody {
    pub values: Values,
    pub custom: Vec<(String, String)>,
    pub contact: Option<Contact>,
    pub main_contact: Option<bool>,
}

const ID: u8 = 0;
const NUMBER: u8 = 1;
const NAME: u8 = 2;
const FAILED: u8 = 1;
const HAS_CONTACT: u8 = 2;

/// What an entry is made of, before packing. `values` are in field order, none empty.
pub struct Parts<'a, V> {
    pub key: &'a CustomerKey,
    pub file: u32,
    pub line: u64,
    pub failed: bool,
    pub values: V,
    pub custom: &'a [(String, String)],
    pub contact: Option<&'a Contact>,
    pub main_contact: Option<bool>,
}

impl<'a, V: ExactSizeIterator<Item = (Field, &'a str)>> Parts<'a, V> {
    /// Appends the packed entry to `out`.
    pub fn pack(self, out: &mut Vec<u8>) {
        match self.key {
            // Big-endian, so that ids compare as bytes the way they do as numbers.
            CustomerKey::Id(id) => {
                out.push(ID);
                out.extend_from_slice(&id.0.to_be_bytes());
            }
            CustomerKey::Number(number) => {
                out.push(NUMBER);
                put_str(out, number);
            }
            CustomerKey::Name(name) => {
                out.push(NAME);
                put_str(out, name);
            }
        }
        out.extend_from_slice(&self.file.to_be_bytes());
        out.extend_from_slice(&self.line.to_be_bytes());
        let mut flags = 0;
        if self.failed {
            flags |= FAILED;
        }
        if self.contact.is_some() {
            flags |= HAS_CONTACT;
        }
        out.push(flags);
        put_len(out, self.values.len());
        for (field, value) in self.values {
            out.push(field as u8);
            put_str(out, value);
        }
        put_len(out, self.custom.len());
        for (name, value) in self.custom {
            put_str(out, name);
            put_str(out, value);
        }
        match self.contact {
            None => out.push(0),
            Some(contact) => {
                out.push(1);
                put_str(out, &contact.email);
                for part in [
                    &contact.first_name,
                    &contact.last_name,
                    &contact.phone,
                    &contact.reference,
                    &contact.position,
                ] {
                    put_opt(out, part.as_deref());
                }
                out.push(u8::from(contact.main));
            }
        }
        out.push(match self.main_contact {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
    }
}

impl Entry {
    /// An entry as the checking threads make it.
    pub fn new(key: CustomerKey, file: u32, line: u64, failed: bool, body: &EntryBody) -> Entry {
        let mut bytes = Vec::new();
        Parts {
            key: &key,
            file,
            line,
            failed,
            values: body.values.iter(),
            custom: &body.custom,
            contact: body.contact.as_ref(),
            main_contact: body.main_contact,
        }
        .pack(&mut bytes);
        // What was just packed always unpacks.
        Entry::unpack(bytes).expect("a freshly packed entry")
    }

    pub fn key(&self) -> io::Result<CustomerKey> {
        let bytes = &self.bytes[self.key.clone()];
        Ok(match self.bytes[0] {
            ID => CustomerKey::Id(CustomerId(u64::from_be_bytes(
                bytes.try_into().map_err(|_| invalid())?,
            ))),
            NUMBER => CustomerKey::Number(text(bytes)?.to_string()),
            _ => CustomerKey::Name(text(bytes)?.to_string()),
        })
    }

    /// Whether two entries are about the same customer.
    pub fn same_customer(&self, other: &Entry) -> bool {
        self.bytes[0] == other.bytes[0]
            && self.bytes[self.key.clone()] == other.bytes[other.key.clone()]
    }

    /// Only the customer values of `fields`: what a look at a few of them costs, without a
    /// string made for each of the others.
    pub fn values_of(&self, fields: &[crate::fields::Field]) -> io::Result<Values> {
        let mut at = Cursor {
            bytes: &self.bytes,
            at: self.body,
        };
        let mut values = Values::new();
        for _ in 0..at.len()? {
            let field = FIELDS.get(at.byte()? as usize).ok_or_else(invalid)?.field;
            let value = at.str()?;
            if fields.contains(&field) {
                values.set(field, value.to_string());
            }
        }
        Ok(values)
    }

    pub fn body(&self) -> io::Result<EntryBody> {
        let mut at = Cursor {
            bytes: &self.bytes,
            at: self.body,
        };
        let mut values = Values::new();
        for _ in 0..at.len()? {
            let field = FIELDS.get(at.byte()? as usize).ok_or_else(invalid)?.field;
            values.set(field, at.str()?.to_string());
        }
        let mut custom = Vec::new();
        for _ in 0..at.len()? {
            custom.push((at.str()?.to_string(), at.str()?.to_string()));
        }
        let contact = match at.byte()? {
            0 => None,
            _ => Some(Contact {
                email: at.str()?.to_string(),
                first_name: at.opt()?,
                last_name: at.opt()?,
                phone: at.opt()?,
                reference: at.opt()?,
                position: at.opt()?,
                main: at.byte()? != 0,
            }),
        };
        let main_contact = match at.byte()? {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        };
        Ok(EntryBody {
            values,
            custom,
            contact,
            main_contact,
        })
    }
}

/// The kind, the key's bytes, file and line: the part of an entry that sorts it.
fn head(bytes: &[u8]) -> io::Result<(u8, Range<usize>, usize)> {
    let mut at = Cursor { bytes, at: 1 };
    let kind = *bytes.first().ok_or_else(invalid)?;
    let key = match kind {
        ID => {
            at.take(8)?;
            1..9
        }
        NUMBER | NAME => {
            let len = at.len()?;
            let start = at.at;
            at.take(len)?;
            start..start + len
        }
        _ => return Err(invalid()),
    };
    // File and line are fixed-width, big-endian: they compare as bytes too.
    at.take(4 + 8)?;
    Ok((kind, key, at.at))
}

impl Packed for Entry {
    fn order(a: &[u8], b: &[u8]) -> Ordering {
        match (head(a), head(b)) {
            (Ok((kind_a, key_a, end_a)), Ok((kind_b, key_b, end_b))) => kind_a
                .cmp(&kind_b)
                .then_with(|| a[key_a.clone()].cmp(&b[key_b.clone()]))
                .then_with(|| a[key_a.end..end_a].cmp(&b[key_b.end..end_b])),
            // Only well-formed entries are ever packed; this keeps the order total anyway.
            (a, b) => a.is_ok().cmp(&b.is_ok()),
        }
    }

    /// The kind and the first 15 bytes of the key, zeros after a shorter one: a key that ends
    /// sorts before any longer one it starts, as a zero byte would.
    fn prefix(record: &[u8]) -> u128 {
        let Ok((kind, key, _)) = head(record) else {
            return 0;
        };
        let mut bytes = [0u8; 16];
        bytes[0] = kind;
        let key = &record[key];
        let n = key.len().min(15);
        bytes[1..1 + n].copy_from_slice(&key[..n]);
        u128::from_be_bytes(bytes)
    }

    fn unpack(bytes: Vec<u8>) -> io::Result<Entry> {
        let (_, key, head_end) = head(&bytes)?;
        let number = |range: Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u64, |n, &b| (n << 8) | u64::from(b))
        };
        let file = number(key.end..key.end + 4) as u32;
        let line = number(key.end + 4..head_end);
        let flags = *bytes.get(head_end).ok_or_else(invalid)?;
        Ok(Entry {
            file,
            line,
            failed: flags & FAILED != 0,
            has_contact: flags & HAS_CONTACT != 0,
            key,
            body: head_end + 1,
            bytes,
        })
    }
}

fn invalid() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a sorted line is damaged")
}

fn text(bytes: &[u8]) -> io::Result<&str> {
    std::str::from_utf8(bytes).map_err(|_| invalid())
}

/// Lengths as LEB128: one byte for the short texts that make up nearly every line.
fn put_len(out: &mut Vec<u8>, mut len: usize) {
    while len >= 0x80 {
        out.push((len as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            put_str(out, text);
        }
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or_else(invalid)?;
        let taken = self.bytes.get(self.at..end).ok_or_else(invalid)?;
        self.at = end;
        Ok(taken)
    }

    fn byte(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn len(&mut self) -> io::Result<usize> {
        let mut len = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            len |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(len);
            }
        }
        Err(invalid())
    }

    fn str(&mut self) -> io::Result<&'a str> {
        let len = self.len()?;
        text(self.take(len)?)
    }

    fn opt(&mut self) -> io::Result<Option<String>> {
        Ok(match self.byte()? {
            0 => None,
            _ => Some(self.str()?.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = CustomerKey> {
        prop_oneof![
            any::<u64>().prop_map(|id| CustomerKey::Id(CustomerId(id))),
            // Around the 15 bytes of a prefix, with zero bytes that padding could be taken for.
            "(x{13,15})?[a\\x00c]{0,3}".prop_map(CustomerKey::Number),
            "(x{12,15})?[a-cé]{0,3}".prop_map(CustomerKey::Name),
        ]
    }

    fn body() -> impl Strategy<Value = EntryBody> {
        let values = proptest::collection::vec((0..FIELDS.len(), ".{0,200}"), 0..6);
        let custom = proptest::collection::vec(("[a-z]{1,5}", ".{0,5}"), 0..3);
        let contact = proptest::option::of((
            ".{0,10}",
            proptest::option::of(".{0,5}"),
            proptest::option::of(".{0,5}"),
            any::<bool>(),
        ));
        (values, custom, contact, proptest::option::of(any::<bool>())).prop_map(
            |(values, custom, contact, main_contact)| EntryBody {
                values: values
                    .into_iter()
                    .map(|(i, v)| (FIELDS[i].field, v))
                    .collect(),
                custom,
                contact: contact.map(|(email, first_name, phone, main)| Contact {
                    email,
                    first_name,
                    phone,
                    main,
                    ..Contact::default()
                }),
                main_contact,
            },
        )
    }

    proptest! {
        #[test]
        fn entries_unpack_as_they_were_packed(key in key(), file: u32, line: u64, failed: bool, body in body()) {
            let entry = Entry::new(key.clone(), file, line, failed, &body);
            prop_assert_eq!(entry.key().unwrap(), key);
            prop_assert_eq!((entry.file, entry.line, entry.failed), (file, line, failed));
            prop_assert_eq!(entry.has_contact, body.contact.is_some());
            prop_assert_eq!(entry.body().unwrap(), body);
        }

        #[test]
        fn packed_entries_sort_as_key_file_and_line(
            a in (key(), 0u32..3, 0u64..300),
            b in (key(), 0u32..3, 0u64..300),
        ) {
            let pack = |(key, file, line): &(CustomerKey, u32, u64)| {
                Entry::new(key.clone(), *file, *line, false, &EntryBody::default()).bytes
            };
            prop_assert_eq!(Entry::order(&pack(&a), &pack(&b)), a.cmp(&b));
            let (prefix_a, prefix_b) = (Entry::prefix(&pack(&a)), Entry::prefix(&pack(&b)));
            if prefix_a != prefix_b {
                prop_assert_eq!(prefix_a.cmp(&prefix_b), a.cmp(&b));
            }
            let (a_entry, b_entry) = (Entry::unpack(pack(&a)).unwrap(), Entry::unpack(pack(&b)).unwrap());
            prop_assert_eq!(a_entry.same_customer(&b_entry), a.0 == b.0);
        }
    }

    #[test]
    fn damaged_entries_are_errors_not_panics() {
        let entry = Entry::new(
            CustomerKey::Number("C1".into()),
            0,
            2,
            false,
            &EntryBody {
                values: [(Field::City, "Gent".to_string())].into_iter().collect(),
                ..EntryBody::default()
            },
        );
        for cut in 0..entry.bytes.len() {
            if let Ok(short) = Entry::unpack(entry.bytes[..cut].to_vec()) {
                assert!(short.body().is_err(), "cut at {cut}");
            }
        }
    }

    #[test]
    fn a_few_values_are_read_without_the_others() {
        let entry = Entry::new(
            CustomerKey::Number("C1".into()),
            0,
            2,
            false,
            &EntryBody {
                values: [
                    (Field::City, "Gent".to_string()),
                    (Field::Email, "a@acme.be".to_string()),
                    (Field::CompanyName, "Acme".to_string()),
                ]
                .into_iter()
                .collect(),
                ..EntryBody::default()
            },
        );
        let values = entry
            .values_of(&[Field::Email, Field::CompanyName])
            .unwrap();
        assert_eq!(values.get(Field::Email), Some("a@acme.be"));
        assert_eq!(values.get(Field::CompanyName), Some("Acme"));
        assert_eq!(values.get(Field::City), None);
    }
}
