//! Every reader fed damaged input: random bytes shaped like CSV for the text reader, and
//! mutated copies of the small workbooks (bytes flipped, inserted and deleted; for .xlsx and
//! .ods also the XML inside changed and zipped again). Opening and reading all records must
//! end in records or an error: no panic, no hang (each case has a time bound), no wild
//! allocation (this binary's allocator refuses to hold more than [`MEMORY`], which aborts it).
//!
//! The number of cases per reader is `INTAKE_FUZZ_CASES` (default [`DEFAULT_CASES`]); a
//! longer run: `INTAKE_FUZZ_CASES=20000 cargo test --release --test fuzz_readers`. A case
//! that fails is written to the system's temporary folder (the message says where); keep it
//! under `tests/fixtures/fuzz-regressions/`, where [`regressions_stay_fixed`] replays it.

use intake::source::{ReadOptions, Source};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What the readers may hold at once, all tests of this binary together.
const MEMORY: usize = 2 << 30;
const DEFAULT_CASES: u32 = 200;
/// Each case's time bound: generous for a debug build on a busy machine.
const CASE_TIME: Duration = Duration::from_secs(20);

/// The system allocator, refusing past [`MEMORY`] (the process then aborts with the size it
/// asked for): a reader that believes a file's claim of gigabytes fails here at once instead
/// of taking the machine's memory.
struct Bounded;

static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Bounded {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size() > MEMORY {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        // SAFETY: the layout is the caller's, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Bounded = Bounded;

fn cases() -> u32 {
    std::env::var("INTAKE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbooks")
        .join(name);
    std::fs::read(path).unwrap()
}

/// Opens `path` and reads every record on another thread, within [`CASE_TIME`]: how many
/// records, or the error. Panics (failing the case) on a panic or a hang.
fn read_all(path: PathBuf) -> Result<usize, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let read = || -> Result<usize, String> {
            let source =
                Source::open(&path, "case", &ReadOptions::default()).map_err(|e| e.to_string())?;
            let (_, records) = source.into_parts();
            let mut n = 0;
            for record in records {
                record.map_err(|e| e.to_string())?;
                n += 1;
            }
            Ok(n)
        };
        let _ = tx.send(read());
    });
    match rx.recv_timeout(CASE_TIME) {
        Ok(outcome) => outcome,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("reading did not end"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the reader panicked"),
    }
}

/// Reads `bytes` as a file named `name`; on failure, keeps the input and says where.
fn case(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let outcome = std::panic::catch_unwind(|| read_all(path.clone()));
    match outcome {
        Ok(Ok(_)) => Ok(()),
        // An error must be one line, as it is printed.
        Ok(Err(message)) if !message.contains('\n') => Ok(()),
        failed => {
            let kept =
                std::env::temp_dir().join(format!("intake-fuzz-{}-{name}", std::process::id()));
            std::fs::write(&kept, bytes).unwrap();
            Err(TestCaseError::fail(format!(
                "{failed:?}; the input is kept in {}",
                kept.display()
            )))
        }
    }
}

/// Bytes that mean something to a CSV reader, and some that mean trouble.
fn csv_byte() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b";".to_vec()),
        Just(b",".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"sep=;\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just("é".as_bytes().to_vec()),
        Just(b"\xE9".to_vec()),
        Just(b"\0".to_vec()),
        "[a-zA-Z0-9 @.]{1,8}".prop_map(String::into_bytes),
        any::<u8>().prop_map(|b| vec![b]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_text_reader_ends_in_records_or_an_error(
        pieces in prop::collection::vec(csv_byte(), 0..400)
    ) {
        case("case.csv", &pieces.concat())?;
    }

    #[test]
    fn the_xls_reader_ends_in_records_or_an_error(edits in edits()) {
        case("case.xls", &mutated(fixture("customers.xls"), &edits))?;
    }

    #[test]
    fn the_xlsx_reader_ends_in_records_or_an_error(edits in edits(), inside in any::<bool>()) {
        let book = fixture("customers.xlsx");
        let bytes = if inside { mutated_inside(&book, &edits) } else { mutated(book, &edits) };
        case("case.xlsx", &bytes)?;
    }

    #[test]
    fn the_ods_reader_ends_in_records_or_an_error(edits in edits(), inside in any::<bool>()) {
        let book = fixture("customers.ods");
        let bytes = if inside { mutated_inside(&book, &edits) } else { mutated(book, &edits) };
        case("case.ods", &bytes)?;
    }
}

/// One change to a file: where (a fraction of its length, so it fits any file) and what.
#[derive(Clone, Debug)]
enum Edit {
    Flip(f64, u8),
    /// Four bytes over others: the sizes, counts and sector ids of binary formats.
    Word(f64, [u8; 4]),
    Insert(f64, Vec<u8>),
    Delete(f64, usize),
}

/// What XML of a workbook is made of, and claims that have hurt its readers.
const XML_PIECES: [&str; 14] = [
    "<",
    ">",
    "\"",
    "/>",
    "<![CDATA[",
    "<!--",
    "&#0;",
    " r=\"AAAAAAAAA2\"",
    " r=\"XFD1048577\"",
    " uniqueCount=\"99999999999\"",
    " table:number-columns-repeated=\"1000000000\"",
    " table:number-rows-repeated=\"100000000\"",
    "<text:s text:c=\"4000000000\"/>",
    "<c r=\"B2\" t=\"inlineStr\"><is><t>x</t></is></c>",
];

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let at = 0.0..1.0f64;
    let edit = prop_oneof![
        (at.clone(), any::<u8>()).prop_map(|(at, b)| Edit::Flip(at, b)),
        (
            at.clone(),
            prop_oneof![
                Just([0xFF; 4]),
                Just([0; 4]),
                Just([0xFE, 0xFF, 0xFF, 0xFF]),
                any::<[u8; 4]>()
            ]
        )
            .prop_map(|(at, w)| Edit::Word(at, w)),
        (
            at.clone(),
            prop_oneof![
                prop::sample::select(&XML_PIECES[..]).prop_map(|p| p.as_bytes().to_vec()),
                prop::collection::vec(any::<u8>(), 1..16)
            ]
        )
            .prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        (at, 1..32usize).prop_map(|(at, n)| Edit::Delete(at, n)),
    ];
    prop::collection::vec(edit, 1..8)
}

fn mutated(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let place = |at: f64, len: usize| ((at * len as f64) as usize).min(len.saturating_sub(1));
        let len = bytes.len();
        if len == 0 {
            break;
        }
        match edit {
            Edit::Flip(at, b) => bytes[place(*at, len)] = *b,
            Edit::Word(at, word) => {
                let i = place(*at, len).min(len.saturating_sub(4));
                for (k, b) in word.iter().enumerate() {
                    if let Some(slot) = bytes.get_mut(i + k) {
                        *slot = *b;
                    }
                }
            }
            Edit::Insert(at, piece) => {
                let i = place(*at, len);
                bytes.splice(i..i, piece.iter().copied());
            }
            Edit::Delete(at, n) => {
                let i = place(*at, len);
                bytes.drain(i..(i + n).min(len));
            }
        }
    }
    bytes
}

/// The workbook with one of its XML entries (chosen by the first edit) mutated, zipped again.
fn mutated_inside(book: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(book)).unwrap();
    let xml: Vec<usize> = (0..zip.len())
        .filter(|&i| {
            zip.name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.ends_with(".xml")))
        })
        .collect();
    let chosen = match edits.first() {
        Some(Edit::Flip(at, _) | Edit::Word(at, _) | Edit::Insert(at, _) | Edit::Delete(at, _)) => {
            xml[((at * xml.len() as f64) as usize).min(xml.len() - 1)]
        }
        None => xml[0],
    };
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if i == chosen {
            bytes = mutated(bytes, edits);
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Inputs that once made a reader fail (run away with memory, hang, panic): each must now end
/// in records or one line of error, in time.
#[test]
fn regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if let Err(failure) = case(&name, &bytes) {
            panic!("{name}: {failure}");
        }
        replayed += 1;
    }
    assert!(replayed > 0, "the regressions are in {}", dir.display());
}
