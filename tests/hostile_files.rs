//! Files built to hurt the readers: workbooks whose cells, parts or sector chains claim far more
//! than they hold, headers of a megabyte or of 100,000 columns, lines that never end, pipes.
//! Each must end, quickly, in a reading or in one line naming the file and the bound (exit 2),
//! never in a hang, an allocation of gigabytes or a backtrace.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;
use common::{Setup, code, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbooks")
        .join(name)
}

/// `intake check FILE`, given at most `seconds` to finish: a guard, not the point.
fn check_within(s: &Setup, file: &str, seconds: u64) -> std::process::Output {
    assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .arg("--store")
        .arg(s.store())
        .args(["check", file])
        .current_dir(s.dir.path())
        .timeout(Duration::from_secs(seconds))
        .output()
        .unwrap()
}

/// Exit 2 with one line on standard error, naming the file; the line.
fn refused(out: &std::process::Output, file: &str) -> String {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{err}{}", stdout(out));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("intake: "), "{err}");
    assert!(err.contains(file), "names the file: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("BACKTRACE"),
        "{err}"
    );
    err
}

/// A copy of a zipped fixture with each entry changed by `change` (entry name, bytes).
fn rezipped(name: &str, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(fixture(name)).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(entry_name.as_str(), options).unwrap();
        out.write_all(&change(&entry_name, bytes)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The first `from` in `bytes` replaced by `to`.
fn replaced(bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(from)));
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

/// The archive with the unpacked size its central directory declares for `entry` set to
/// `size`: what the zip reader believes before it unpacks anything.
fn declaring(mut archive: Vec<u8>, entry: &str, size: u32) -> Vec<u8> {
    let mut at = 0;
    let mut found = false;
    while let Some(i) = archive[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let header = at + i;
        let name_len = u16::from_le_bytes([archive[header + 28], archive[header + 29]]) as usize;
        if &archive[header + 46..header + 46 + name_len] == entry.as_bytes() {
            archive[header + 24..header + 28].copy_from_slice(&size.to_le_bytes());
            found = true;
        }
        at = header + 4;
    }
    assert!(found, "{entry} is in the archive");
    archive
}

fn write(s: &Setup, name: &str, bytes: &[u8]) -> String {
    let path = s.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

const SHEET: &str = "xl/worksheets/sheet1.xml";
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

#[test]
fn an_xlsx_cell_far_beyond_column_xfd_is_refused_naming_the_limit() {
    let s = Setup::new();
    // calamine's column count wraps on this reference, and the row asked for 58 GB.
    let book = rezipped("customers.xlsx", |name, bytes| match name {
        SHEET => replaced(bytes, br#"r="A2""#, br#"r="AAAAAAAAA2""#),
        _ => bytes,
    });
    let file = write(&s, "wide.xlsx", &book);
    let err = refused(&check_within(&s, &file, 60), "wide.xlsx");
    assert!(err.contains("AAAAAAAAA2") && err.contains("XFD"), "{err}");
}

#[test]
fn an_xlsx_part_declaring_4_gb_is_refused_before_it_is_unpacked() {
    let s = Setup::new();
    let book = std::fs::read(fixture("customers.xlsx")).unwrap();
    let file = write(&s, "bomb.xlsx", &declaring(book, SHEET, 4_000_000_000));
    let err = refused(&check_within(&s, &file, 60), "bomb.xlsx");
    assert!(
        err.contains(SHEET) && err.contains("at most 2 GiB"),
        "{err}"
    );
}

#[test]
fn an_xlsx_part_that_unpacks_to_more_than_it_declares_is_refused() {
    let s = Setup::new();
    let book = std::fs::read(fixture("customers.xlsx")).unwrap();
    let file = write(&s, "lying.xlsx", &declaring(book, SHEET, 100));
    let err = refused(&check_within(&s, &file, 60), "lying.xlsx");
    assert!(err.contains("larger than its declared"), "{err}");
}

#[test]
fn a_shared_string_over_a_mebibyte_is_refused_however_large_it_claims_to_be() {
    let s = Setup::new();
    let long = vec![b'x'; 2 << 20];
    let book = rezipped("customers.xlsx", |name, bytes| match name {
        SHARED_STRINGS => replaced(
            bytes,
            b"<t>Code</t>",
            &[b"<t>", &long[..], b"</t>"].concat(),
        ),
        _ => bytes,
    });
    // Declared as a gigabyte, it is still read only as far as the bound.
    let file = write(
        &s,
        "strings.xlsx",
        &declaring(book, SHARED_STRINGS, 1_000_000_000),
    );
    let err = refused(&check_within(&s, &file, 60), "strings.xlsx");
    assert!(
        err.contains("shared string 1 is longer than 1 MiB"),
        "{err}"
    );

    let book = std::fs::read(fixture("customers.xlsx")).unwrap();
    let file = write(
        &s,
        "huge.xlsx",
        &declaring(book, SHARED_STRINGS, 2_000_000_000),
    );
    let err = refused(&check_within(&s, &file, 60), "huge.xlsx");
    assert!(
        err.contains("the shared strings may be at most 1 GiB"),
        "{err}"
    );
}

#[test]
fn an_inline_cell_over_a_mebibyte_is_refused_naming_the_cell() {
    let s = Setup::new();
    let long = vec![b'y'; (1 << 20) + 1];
    let cell = [
        &br#"<c r="A3" t="inlineStr"><is><t>"#[..],
        &long,
        b"</t></is></c>",
    ]
    .concat();
    let book = rezipped("customers.xlsx", |name, bytes| match name {
        SHEET => replaced(bytes, br#"<c r="A3"><v>1001</v></c>"#, &cell),
        _ => bytes,
    });
    let file = write(&s, "inline.xlsx", &book);
    let err = refused(&check_within(&s, &file, 60), "inline.xlsx");
    assert!(err.contains("cell A3 is longer than 1 MiB"), "{err}");
}

#[test]
fn an_ods_with_a_compressed_mimetype_opens_as_an_ods() {
    let s = Setup::new();
    // Every entry deflated, the media type too.
    let book = rezipped("customers.ods", |_, bytes| bytes);
    let file = write(&s, "compressed.ods", &book);
    let out = check_within(&s, &file, 60);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(ods, sheet \"Customers\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_zip_that_holds_no_workbook_is_refused_as_such() {
    let s = Setup::new();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    out.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(b"hello").unwrap();
    let file = write(&s, "archive.xlsx", &out.finish().unwrap().into_inner());
    let err = refused(&check_within(&s, &file, 60), "archive.xlsx");
    assert!(
        err.contains("a zip archive that holds no workbook"),
        "{err}"
    );
}

#[test]
fn an_ods_cell_repeated_over_a_whole_sheet_is_refused() {
    let s = Setup::new();
    let book = rezipped("customers.ods", |name, bytes| {
        match name {
        "content.xml" => replaced(
            bytes,
            b"<table:table-row/>",
            br#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        ),
        _ => bytes,
    }
    });
    let file = write(&s, "repeated.ods", &book);
    let err = refused(&check_within(&s, &file, 60), "repeated.ods");
    assert!(err.contains("cells in memory"), "{err}");
}

#[test]
fn an_ods_cell_of_billions_of_spaces_is_refused() {
    let s = Setup::new();
    let book = rezipped("customers.ods", |name, bytes| match name {
        "content.xml" => replaced(
            bytes,
            b"<text:p>Code</text:p>",
            br#"<text:p>Code<text:s text:c="3000000000"/></text:p>"#,
        ),
        _ => bytes,
    });
    let file = write(&s, "spaces.ods", &book);
    let err = refused(&check_within(&s, &file, 60), "spaces.ods");
    assert!(err.contains("longer than 1 MiB"), "{err}");
}

/// The fixture .xls with its first LABELSST cell moved to `row`, `column` (0-based).
fn xls_with_a_cell_at(row: u16, column: u16) -> Vec<u8> {
    let mut book = std::fs::read(fixture("customers.xls")).unwrap();
    // A LABELSST record: type 0x00FD, 10 bytes of row, column, format and string index.
    let at = book
        .windows(4)
        .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
        .expect("a LABELSST record")
        + 4;
    book[at..at + 2].copy_from_slice(&row.to_le_bytes());
    book[at + 2..at + 4].copy_from_slice(&column.to_le_bytes());
    book
}

#[test]
fn an_xls_cell_in_the_far_corner_of_a_small_file_is_refused() {
    let s = Setup::new();
    // From A1 to IV65536: 16,777,216 cells laid out for a file of a few KB.
    let file = write(&s, "corner.xls", &xls_with_a_cell_at(65535, 255));
    let err = refused(&check_within(&s, &file, 60), "corner.xls");
    assert!(
        err.contains("cells in memory") && err.contains("IV65536"),
        "{err}"
    );
    let file = write(&s, "column.xls", &xls_with_a_cell_at(3, 65535));
    let err = refused(&check_within(&s, &file, 60), "column.xls");
    assert!(err.contains("XFD"), "{err}");
}

#[test]
fn an_xls_whose_sheet_lies_outside_its_stream_is_one_line_not_a_panic() {
    let s = Setup::new();
    let mut book = std::fs::read(fixture("customers.xls")).unwrap();
    // The first BoundSheet record's offset of its sheet, pointed past the end: calamine
    // slices there and panics.
    let at = book
        .windows(2)
        .position(|w| w == [0x85, 0x00])
        .expect("a BoundSheet record")
        + 4;
    book[at..at + 4].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    let file = write(&s, "panics.xls", &book);
    let err = refused(&check_within(&s, &file, 60), "panics.xls");
    assert!(err.contains("cannot read the workbook"), "{err}");
}

#[test]
fn an_xls_whose_directory_chain_loops_is_refused_as_damaged() {
    let s = Setup::new();
    let looping = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz-regressions/xls-directory-chain-loops-1.xls");
    let file = write(&s, "loops.xls", &std::fs::read(looping).unwrap());
    let err = refused(&check_within(&s, &file, 60), "loops.xls");
    assert!(err.contains("damaged") && err.contains("loops"), "{err}");
}

#[test]
fn a_header_line_of_a_mebibyte_is_checked_in_seconds() {
    let s = Setup::new();
    // One header of a mebibyte, then a line: an unmapped column, a line without a customer.
    let file = s.file(
        "long.csv",
        &format!("{}\nx\n", "Company name ".repeat(80_000)),
    );
    let out = check_within(&s, &file, 120);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ignored columns: Company name"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_header_of_16_384_columns_is_mapped_in_seconds() {
    let s = Setup::new();
    let header: Vec<String> = (0..16_384).map(|i| format!("Customer field {i}")).collect();
    let mut text = header.join(";");
    text.push_str("\n1;Acme\n");
    let file = s.file("wide.csv", &text);
    let out = check_within(&s, &file, 120);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("1 row"), "{}", stdout(&out));
}

#[test]
fn a_header_of_100_000_columns_is_refused_at_once() {
    let s = Setup::new();
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let file = s.file("wider.csv", &format!("{}\n1\n", header.join(";")));
    let err = refused(&check_within(&s, &file, 60), "wider.csv");
    assert!(
        err.contains("100,000 columns") && err.contains("16,384"),
        "{err}"
    );
}

#[test]
fn a_line_of_megabytes_stops_reading_at_its_line() {
    let s = Setup::new();
    let file = s.file(
        "line.csv",
        &format!("a;b\n1;2\n{}\n3;4\n", "x".repeat(5 << 20)),
    );
    let err = refused(&check_within(&s, &file, 60), "line.csv");
    assert!(err.contains("line 3:") && err.contains("4 MiB"), "{err}");
}

#[test]
fn a_quote_never_closed_stops_at_the_line_that_opens_it() {
    let s = Setup::new();
    let mut text = String::from("naam;stad\n\"Acme;Gent\n");
    for i in 0..400_000 {
        text.push_str(&format!("Klant {i};Gent\n"));
    }
    let file = s.file("quote.csv", &text);
    let err = refused(&check_within(&s, &file, 60), "quote.csv");
    assert!(err.contains("line 2:") && err.contains("quote"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let s = Setup::new();
    let pipe = s.dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|status| status.success()) {
        // No way to make one here; nothing to check.
        return;
    }
    let err = refused(
        &check_within(&s, &pipe.display().to_string(), 60),
        "pipe.csv",
    );
    assert!(
        err.contains("not a regular file") && err.contains("pipe"),
        "{err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn standard_input_from_a_pipe_is_refused_with_a_clear_message() {
    let s = Setup::new();
    let out = assert_cmd::Command::cargo_bin("intake")
        .unwrap()
        .arg("--store")
        .arg(s.store())
        .args(["check", "/dev/stdin"])
        .write_stdin("naam;stad\nAcme;Gent\n")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = refused(&out, "/dev/stdin");
    assert!(err.contains("save it to a file first"), "{err}");
    assert!(!err.contains("Illegal seek"), "{err}");
}

#[test]
fn a_folder_is_refused_as_a_folder() {
    let s = Setup::new();
    std::fs::create_dir(s.dir.path().join("exports")).unwrap();
    let err = refused(&s.intake(&["check", "exports"]), "exports");
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn millions_of_blank_lines_are_no_record_too_long_and_keep_their_line_numbers() {
    // The parser passes blank lines without a record; neither the record bound nor the line
    // count may take them for one long line.
    let s = Setup::new();
    let mut text = String::from("number;email\nC1;a@acme.be\n");
    text.push_str(&"\n".repeat(5 << 20));
    text.push_str("C2;broken\n");
    let file = s.file("blank-lines.csv", &text);
    let out = check_within(&s, &file, 60);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let line = 3 + (5 << 20);
    assert!(
        stdout(&out).contains(&format!("blank-lines.csv:{line}: email:")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_workbook_cell_far_right_of_the_table_is_named_as_such() {
    // A value in the sheet's very last cell: no delimiter is to blame, a stray cell is.
    let s = Setup::new();
    let book = rezipped("customers.xlsx", |name, bytes| {
        match name {
        SHEET => replaced(
            bytes,
            b"</sheetData>",
            br#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>"#,
        ),
        _ => bytes,
    }
    });
    let file = write(&s, "far.xlsx", &book);
    let out = check_within(&s, &file, 60);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(
            "far.xlsx:1048576: this row has a value in column XFD beyond the header's 5 columns"
        ),
        "{said}"
    );
    assert!(!said.contains("delimiter"), "{said}");
}
