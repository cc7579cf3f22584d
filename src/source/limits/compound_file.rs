//! The compound file (OLE, CFB) around an .xls's BIFF records, walked before calamine walks it.
//!
//! calamine follows each sector chain until it ends, or until it has as many bytes as the
//! stream claims; a chain that loops back on itself never ends, and calamine grows its copy
//! until memory runs out (a mutated 15 KB file reached 17.5 GB). It also reads the allocation
//! table from as many sectors as the header lists, and a header can list the same sector
//! thousands of times. Here every chain calamine will follow is followed the same way, counting
//! sectors: a chain longer than the file has sectors loops, and an allocation table of more
//! sectors than the file holds is damage. What calamine would refuse by itself (a bad
//! signature, a sector beyond the end of the file) is left to it.
//!
//! What comes out is the workbook stream as calamine will read it, for [`super::biff`].

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// Streams shorter than this live in the mini stream, in sectors of 64 bytes.
const MINI_STREAM_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

/// What walking the compound file found.
pub(crate) enum Walk {
    /// The workbook stream, as calamine will read it.
    Workbook(Vec<u8>),
    /// calamine will refuse the file by itself before reading far (a bad header, a sector
    /// beyond the end of the file, no workbook stream).
    LeftToCalamine,
    /// The structure is damaged in a way calamine does not notice: why.
    Damaged(String),
}

struct Compound {
    file: File,
    sector_size: usize,
    /// The highest sector id calamine accepts (the file's length in sectors).
    max_id: u32,
    fats: Vec<u32>,
}

/// Why a walk stops.
enum Stop {
    Calamine,
    Damaged(String),
    Io,
}

impl From<io::Error> for Stop {
    fn from(_: io::Error) -> Stop {
        Stop::Io
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Walks the compound file at `path` as calamine will.
pub(crate) fn walk(path: &Path) -> io::Result<Walk> {
    let file = File::open(path)?;
    match walk_file(file) {
        Ok(stream) => Ok(Walk::Workbook(stream)),
        Err(Stop::Calamine) => Ok(Walk::LeftToCalamine),
        Err(Stop::Damaged(why)) => Ok(Walk::Damaged(why)),
        Err(Stop::Io) => Ok(Walk::LeftToCalamine),
    }
}

fn walk_file(mut file: File) -> Result<Vec<u8>, Stop> {
    let len = file.seek(SeekFrom::End(0))?;
    file.seek(SeekFrom::Start(0))?;
    let mut header = [0u8; 512];
    if file.read_exact(&mut header).is_err() {
        return Err(Stop::Calamine);
    }
    let version = u16_at(&header, 26);
    let sector_size = match u16_at(&header, 30) {
        0x0009 => 512usize,
        0x000C => 4096,
        _ => return Err(Stop::Calamine),
    };
    if u16_at(&header, 32) != 0x0006 {
        return Err(Stop::Calamine);
    }
    let dir_start = u32_at(&header, 48);
    let mini_fat_start = u32_at(&header, 60);
    let mini_fat_len = u64::from(u32_at(&header, 64));
    let difat_start = u32_at(&header, 68);
    let max_id = u32::try_from(len / sector_size as u64).unwrap_or(u32::MAX);
    let mut compound = Compound {
        file,
        sector_size,
        max_id,
        fats: Vec::new(),
    };
    let sectors = u64::from(max_id) + 1;

    // The allocation table's sectors: 109 in the header, then a chain of DIFAT sectors, each
    // ending with the next one's id (calamine bounds that chain itself).
    let mut difat: Vec<u32> = u32s(&header[76..512]).collect();
    let mut id = difat_start;
    let mut difat_sectors = 0u64;
    while id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > sectors {
            return Err(Stop::Calamine);
        }
        let sector = compound.sector(id)?;
        difat.extend(u32s(&sector));
        id = difat.pop().ok_or(Stop::Calamine)?;
    }
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
    if fat_sectors.len() as u64 > sectors {
        return Err(Stop::Damaged(format!(
            "its allocation table lists {} sectors where the file has {sectors}",
            fat_sectors.len()
        )));
    }
    let mut fats = Vec::new();
    for id in fat_sectors {
        fats.extend(u32s(&compound.sector(id)?));
    }
    compound.fats = fats;

    let directory = compound.chain(dir_start, u64::MAX, "the directory")?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|raw| Entry::read(raw, sector_size))
        .collect();
    let Some(root) = entries.first() else {
        return Err(Stop::Calamine);
    };
    if version != 3 && root.start == ENDOFCHAIN {
        return Err(Stop::Calamine);
    }
    let (mini_stream, mini_fats) = if mini_fat_len > 0 {
        let stream = compound.chain(root.start, root.len, "the mini stream")?;
        let table = compound.chain(
            mini_fat_start,
            mini_fat_len.saturating_mul(sector_size as u64),
            "the mini allocation table",
        )?;
        (stream, u32s(&table).collect())
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = Mini {
        stream: mini_stream,
        fats: mini_fats,
        max_id: max_id.saturating_mul(8),
    };
    // calamine takes the first entry named so, and falls back on "Book" (BIFF5) when reading
    // "Workbook" fails.
    let named = |name: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name));
    let mut last = Stop::Calamine;
    for name in ["Workbook", "Book"] {
        let Some(entry) = named(name) else { continue };
        let read = if entry.len < MINI_STREAM_CUTOFF {
            mini.chain(entry.start, entry.len)
        } else {
            compound.chain(entry.start, entry.len, "the workbook stream")
        };
        match read {
            Ok(stream) => return Ok(stream),
            Err(Stop::Damaged(why)) => return Err(Stop::Damaged(why)),
            Err(other) => last = other,
        }
    }
    Err(last)
}

impl Compound {
    /// A sector's bytes, short at the end of the file as calamine reads it.
    fn sector(&mut self, id: u32) -> Result<Vec<u8>, Stop> {
        if id > self.max_id {
            return Err(Stop::Calamine);
        }
        let offset = (u64::from(id) + 1) * self.sector_size as u64;
        self.file.seek(SeekFrom::Start(offset))?;
        let mut sector = Vec::with_capacity(self.sector_size);
        (&mut self.file)
            .take(self.sector_size as u64)
            .read_to_end(&mut sector)?;
        Ok(sector)
    }

    /// The bytes of the chain from `start`, up to `len`, as calamine collects them; a chain
    /// longer than the file has sectors loops.
    fn chain(&mut self, start: u32, len: u64, what: &str) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0u64;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > u64::from(self.max_id) + 1 {
                return Err(Stop::Damaged(format!("the sector chain of {what} loops")));
            }
            let sector = self.sector(id)?;
            let remaining = len - out.len() as u64;
            let take = (sector.len() as u64).min(remaining) as usize;
            out.extend_from_slice(&sector[..take]);
            if out.len() as u64 >= len {
                break;
            }
            // calamine indexes the table without a check, and panics past its end.
            id = *self.fats.get(id as usize).ok_or(Stop::Calamine)?;
        }
        Ok(out)
    }
}

/// The mini stream, where calamine reads streams shorter than [`MINI_STREAM_CUTOFF`].
struct Mini {
    stream: Vec<u8>,
    fats: Vec<u32>,
    max_id: u32,
}

impl Mini {
    fn chain(&self, start: u32, len: u64) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > self.max_id {
                return Err(Stop::Calamine);
            }
            let from = id as usize * MINI_SECTOR;
            // Past the mini stream, calamine reads whatever the file holds next.
            let Some(sector) = self.stream.get(from..from + MINI_SECTOR) else {
                return Err(Stop::Damaged(
                    "a stream lies outside the file's mini stream".into(),
                ));
            };
            let take = (sector.len() as u64).min(len - out.len() as u64) as usize;
            out.extend_from_slice(&sector[..take]);
            if out.len() as u64 >= len {
                break;
            }
            id = *self.fats.get(id as usize).ok_or(Stop::Calamine)?;
        }
        Ok(out)
    }
}

/// A directory entry: a stream's name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

impl Entry {
    fn read(raw: &[u8], sector_size: usize) -> Entry {
        let units: Vec<u16> = raw[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let mut name = String::from_utf16_lossy(&units);
        if let Some(end) = name.find('\0') {
            name.truncate(end);
        }
        let len = if sector_size == 512 {
            u64::from(u32_at(raw, 120))
        } else {
            u64::from_le_bytes(raw[120..128].try_into().unwrap_or([0; 8]))
        };
        Entry {
            name,
            start: u32_at(raw, 116),
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/workbooks/customers.xls"
        );
        std::fs::read(path).unwrap()
    }

    fn walk_bytes(bytes: &[u8]) -> Walk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xls");
        std::fs::write(&path, bytes).unwrap();
        walk(&path).unwrap()
    }

    #[test]
    fn a_sound_file_gives_its_workbook_stream() {
        match walk_bytes(&fixture()) {
            // BIFF starts with a BOF record.
            Walk::Workbook(stream) => assert_eq!(&stream[..2], &[0x09, 0x08]),
            _ => panic!("the fixture is sound"),
        }
    }

    #[test]
    fn a_directory_chain_that_loops_is_damage() {
        let mut bytes = fixture();
        let dir_start = u32_at(&bytes, 48) as usize;
        let first_fat = u32_at(&bytes, 76) as usize;
        // The directory's sector points back at itself in the allocation table.
        let at = (first_fat + 1) * 512 + dir_start * 4;
        bytes[at..at + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
        match walk_bytes(&bytes) {
            Walk::Damaged(why) => {
                assert!(why.contains("directory") && why.contains("loops"), "{why}")
            }
            _ => panic!("a loop is damage"),
        }
    }

    #[test]
    fn an_allocation_table_of_more_sectors_than_the_file_is_damage() {
        let mut bytes = fixture();
        let first_fat = u32_at(&bytes, 76);
        for slot in 0..109 {
            let at = 76 + slot * 4;
            bytes[at..at + 4].copy_from_slice(&first_fat.to_le_bytes());
        }
        bytes.truncate(512 * 40);
        match walk_bytes(&bytes) {
            Walk::Damaged(why) => assert!(why.contains("allocation table"), "{why}"),
            _ => panic!("109 table sectors in a file of 40 is damage"),
        }
    }
}
