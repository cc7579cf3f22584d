//! The readers on real files: workbooks in three formats, and text in the encodings and
//! shapes that exports come in.

use intake::source::{Format, ReadOptions, Record, Source, SourceError};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbooks")
        .join(name)
}

fn read(path: &Path, options: &ReadOptions) -> (intake::source::SourceInfo, Vec<Record>) {
    let source = Source::open(path, &path.display().to_string(), options).expect("open");
    let (info, records) = source.into_parts();
    let records = records
        .map(|r| r.expect("record"))
        .filter(|r| !r.is_blank())
        .collect();
    (info, records)
}

fn cells(records: &[Record]) -> Vec<(u64, Vec<&str>)> {
    records
        .iter()
        .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn workbooks_read_as_the_operator_sees_them() {
    for (name, format) in [
        ("customers.xlsx", Format::Xlsx),
        ("customers.xls", Format::Xls),
        ("customers.ods", Format::Ods),
    ] {
        let (info, records) = read(&fixture(name), &ReadOptions::default());
        assert_eq!(info.format, format, "{name}");
        assert_eq!(info.sheet.as_deref(), Some("Customers"), "{name}");
        assert_eq!(info.sheets, vec!["Customers", "Other"], "{name}");
        assert_eq!(
            info.headers,
            vec!["Code", "Name", "Created", "Amount", "Email"],
            "{name}"
        );
        assert_eq!(
            info.header_line, 2,
            "{name}: the header is on the sheet's second row"
        );
        assert_eq!(
            cells(&records),
            vec![
                (
                    3,
                    vec!["1001", "Acme NV", "2024-03-31", "12.5", "info@acme.be"]
                ),
                // The empty last cell still counts as a field.
                (4, vec!["1002", "Beta BV", "2023-12-01", "0.1", ""]),
                (6, vec!["1003", "Gamma", "2022-01-15", "3", "g@gamma.be"]),
            ],
            "{name}"
        );
    }
}

#[test]
fn another_sheet_by_name() {
    for name in ["customers.xlsx", "customers.xls", "customers.ods"] {
        let options = ReadOptions {
            sheet: Some("Other".into()),
            ..ReadOptions::default()
        };
        let (info, records) = read(&fixture(name), &options);
        assert_eq!(info.headers, vec!["Key", "Value"], "{name}");
        assert_eq!(cells(&records), vec![(2, vec!["a", "1"])], "{name}");
        let missing = ReadOptions {
            sheet: Some("Nope".into()),
            ..ReadOptions::default()
        };
        let path = fixture(name);
        match Source::open(&path, name, &missing) {
            Err(SourceError::NoSuchSheet { available, .. }) => {
                assert_eq!(available, "Customers, Other")
            }
            other => panic!("{name}: expected NoSuchSheet, got {:?}", other.err()),
        }
    }
}

#[test]
fn a_workbook_saved_as_csv_is_still_read_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::copy(fixture("customers.xlsx"), &path).unwrap();
    let (info, _) = read(&path, &ReadOptions::default());
    assert_eq!(info.format, Format::Xlsx);
}

fn text_file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.csv");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn encodings_are_detected_and_named() {
    let text = "naam;stad\nZoë;Liège\nFrançois;Gent\n";
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    for (bytes, name, has_bom) in [
        (text.as_bytes().to_vec(), "UTF-8", false),
        (bom, "UTF-8", true),
        (utf16le, "UTF-16LE", true),
        (utf16be, "UTF-16BE", true),
        (cp1252.into_owned(), "windows-1252", false),
    ] {
        let (_dir, path) = text_file(&bytes);
        let (info, records) = read(&path, &ReadOptions::default());
        assert_eq!(info.encoding, Some(name));
        assert_eq!(info.bom, has_bom, "{name}");
        assert_eq!(info.headers, vec!["naam", "stad"], "{name}");
        assert_eq!(
            cells(&records),
            vec![(2, vec!["Zoë", "Liège"]), (3, vec!["François", "Gent"])],
            "{name}"
        );
    }
}

#[test]
fn an_accent_a_long_way_down_still_makes_the_file_windows_1252() {
    let mut bytes = b"naam;stad\n".to_vec();
    for i in 0..50_000 {
        bytes.extend_from_slice(format!("Klant {i};Gent\n").as_bytes());
    }
    bytes.extend_from_slice(b"Caf\xe9;Li\xe8ge\n");
    let (_dir, path) = text_file(&bytes);
    let (info, records) = read(&path, &ReadOptions::default());
    assert_eq!(info.encoding, Some("windows-1252"));
    assert_eq!(records.last().unwrap().cells, vec!["Café", "Liège"]);
}

#[test]
fn the_sep_line_names_the_delimiter_and_counts_as_a_line() {
    let (_dir, path) = text_file(b"sep=,\r\nname;x,city\r\nA;1,Gent\r\n");
    let (info, records) = read(&path, &ReadOptions::default());
    assert_eq!(info.delimiter, Some(b','));
    assert!(info.sep_line);
    assert_eq!(info.headers, vec!["name;x", "city"]);
    assert_eq!(info.header_line, 2);
    assert_eq!(cells(&records), vec![(3, vec!["A;1", "Gent"])]);
}

#[test]
fn a_forced_header_line_skips_what_comes_before() {
    let (_dir, path) = text_file(b"Export of 2026-11-01\nGenerated by ERP\nnr;naam\n1;A\n");
    let options = ReadOptions {
        header_line: Some(3),
        delimiter: Some(b';'),
        ..ReadOptions::default()
    };
    let (info, records) = read(&path, &options);
    assert_eq!(info.headers, vec!["nr", "naam"]);
    assert_eq!(cells(&records), vec![(4, vec!["1", "A"])]);
}

#[test]
fn files_that_are_not_text_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let (_dir, path) = text_file(png);
    match Source::open(&path, "logo.csv", &ReadOptions::default()) {
        Err(SourceError::NotText { path, why }) => {
            assert_eq!(path, "logo.csv");
            assert!(why.contains("PNG"), "{why}");
        }
        other => panic!("expected NotText, got {:?}", other.err()),
    }
    let (_dir, path) = text_file(b"name;city\nA;Gent\0\n");
    assert!(matches!(
        Source::open(&path, "x.csv", &ReadOptions::default()),
        Err(SourceError::NotText { .. })
    ));
    let (_dir, path) = text_file(b"");
    assert!(matches!(
        Source::open(&path, "x.csv", &ReadOptions::default()),
        Err(SourceError::Empty { .. })
    ));
}

#[test]
fn malformed_utf16_is_an_error_with_its_line() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("a;b\n1;2\n".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend_from_slice(&0xDC00u16.to_le_bytes());
    bytes.extend(";3\n".encode_utf16().flat_map(u16::to_le_bytes));
    let (_dir, path) = text_file(&bytes);
    let source = Source::open(&path, "x.csv", &ReadOptions::default()).unwrap();
    let (_, records) = source.into_parts();
    let error = records.filter_map(Result::err).next().expect("an error");
    let text = error.to_string();
    assert!(text.contains("not valid UTF-16LE"), "{text}");
    assert!(text.starts_with("x.csv: line 3"), "{text}");
}

#[test]
fn a_title_above_the_table_is_passed_over_to_the_header() {
    // A workbook as exported with a title: the title on row 1, an empty row, the header.
    let (info, records) = read(&fixture("titled.xlsx"), &ReadOptions::default());
    assert_eq!(info.header_line, 3);
    assert_eq!(info.headers[0], "Code");
    assert_eq!(
        cells(&records),
        vec![(4, vec!["1001", "Acme NV", "", "", "info@acme.be"])]
    );

    // A CSV saved from such a sheet: the title padded with delimiters, a line of them.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("titled.csv");
    std::fs::write(
        &path,
        "Export klanten 2026-11-20;;;\n;;;\nKlantnr;Naam;E-mail;Land\nK1;Acme NV;info@acme.be;BE\n",
    )
    .unwrap();
    let (info, records) = read(&path, &ReadOptions::default());
    assert_eq!((info.header_line, info.headers.len()), (3, 4));
    assert_eq!(
        cells(&records),
        vec![(4, vec!["K1", "Acme NV", "info@acme.be", "BE"])]
    );
    // The operator's choice stands over the guess.
    let chosen = ReadOptions {
        header_line: Some(1),
        ..ReadOptions::default()
    };
    assert_eq!(
        read(&path, &chosen).0.headers[0],
        "Export klanten 2026-11-20"
    );

    // A header narrower than its lines (each ends in a stray delimiter) stays the header.
    std::fs::write(&path, "a;b;c\n1;2;3;\n4;5;6;\n").unwrap();
    let (info, _) = read(&path, &ReadOptions::default());
    assert_eq!((info.header_line, info.headers.len()), (1, 3));
}

#[test]
fn utf16_without_a_byte_order_mark_is_read() {
    let text = "naam;stad\nZoë;Liège\nFrançois;Gent\n";
    for (bytes, name) in [
        (
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            "UTF-16LE",
        ),
        (
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            "UTF-16BE",
        ),
    ] {
        let (_dir, path) = text_file(&bytes);
        let (info, records) = read(&path, &ReadOptions::default());
        assert_eq!(info.encoding, Some(name));
        assert!(!info.bom);
        assert_eq!(
            cells(&records),
            vec![(2, vec!["Zoë", "Liège"]), (3, vec!["François", "Gent"])],
            "{name}"
        );
    }
}

#[test]
fn a_hidden_sheet_is_never_picked_by_default() {
    // The workbook's first sheet is a hidden lookup table; Excel opens on the customers.
    let (info, records) = read(&fixture("hidden-first.xlsx"), &ReadOptions::default());
    assert_eq!(info.sheet.as_deref(), Some("Customers"));
    assert_eq!(info.sheets, vec!["Lookup", "Customers"]);
    assert_eq!(info.headers[0], "Code");
    assert_eq!(records.len(), 1);
    // Asked for by name, it is read.
    let options = ReadOptions {
        sheet: Some("Lookup".into()),
        ..ReadOptions::default()
    };
    let (info, _) = read(&fixture("hidden-first.xlsx"), &options);
    assert_eq!(info.sheet.as_deref(), Some("Lookup"));
}

#[test]
fn workbook_numbers_read_through_their_number_formats() {
    // Codes and postcodes padded by `000000`/`00000`, an enterprise number dotted by its
    // format, a percentage, a date-time shown as a date, one shown with its time.
    let (info, records) = read(&fixture("formatted.xlsx"), &ReadOptions::default());
    assert_eq!(info.headers[2], "Zip");
    let rows = cells(&records);
    assert_eq!(
        rows[0].1,
        vec![
            "000042",
            "Librairie Dupont",
            "01000",
            "Bourg-en-Bresse",
            "FR",
            "",
            "10%",
            "2025-10-13",
            "2025-10-13 14:30:00"
        ]
    );
    assert_eq!(rows[1].1[5], "0403.170.701");
    assert_eq!(rows[1].1[6], "13%");
    assert_eq!(rows[4].1[2], "75001");
}

#[test]
fn hidden_workbook_rows_are_read_and_marked() {
    let (_, records) = read(&fixture("formatted.xlsx"), &ReadOptions::default());
    let hidden: Vec<u64> = records
        .iter()
        .filter(|r| r.hidden)
        .map(|r| r.line)
        .collect();
    assert_eq!(hidden, vec![4, 6]);
    assert_eq!(records.len(), 5);
}
