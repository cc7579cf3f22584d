//! The public csv-spectrum suite (vendored in `tests/fixtures/csv-spectrum`, see its README):
//! every `csvs/NAME.csv` must read, through the crate's own reader, to the rows in
//! `json/NAME.json`, and every record must carry the line on which it starts in the file.

use intake::source::{ReadOptions, Record, Source};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Row = BTreeMap<String, String>;

/// Known mistakes in the published expected JSON, corrected here so that the vendored files
/// stay as published: (case, row, column, published value, correct value). The correct value
/// is checked to be in the CSV, and the published one to be in the JSON, so a fixed upstream
/// release makes the entry fail and it can go.
const ERRATA: &[(&str, usize, &str, &str, &str)] = &[
    // The CSV holds 2095257564 (upstream issue max-mapper/csv-spectrum#20).
    (
        "location_coordinates",
        0,
        "Contact Phone Number",
        "1234567890",
        "2095257564",
    ),
];

#[test]
fn csv_spectrum_cases_read_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv-spectrum");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("csvs"))
        .expect("csv-spectrum fixtures are vendored")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no csv-spectrum cases found");

    let mut failures = Vec::new();
    for csv in &cases {
        let name = csv.file_stem().unwrap().to_string_lossy().into_owned();
        let json = dir.join("json").join(format!("{name}.json"));
        match check(csv, &json, &name) {
            Ok(()) => eprintln!("ok   {name}"),
            Err(why) => {
                eprintln!("FAIL {name}");
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "csv-spectrum cases failed:\n{}",
        failures.join("\n")
    );
}

fn check(csv: &Path, json: &Path, name: &str) -> Result<(), String> {
    let raw = std::fs::read(csv).map_err(|e| format!("cannot read the csv: {e}"))?;
    let expected = expected_rows(json, name, &raw)?;

    // All csv-spectrum files have at least two comma-separated columns, so detection is
    // unambiguous and no case forces the delimiter.
    let source = Source::open(csv, name, &ReadOptions::default()).map_err(|e| e.to_string())?;
    let (info, records) = source.into_parts();
    if info.delimiter != Some(b',') {
        return Err(format!(
            "detected delimiter {:?}, expected ','",
            info.delimiter
        ));
    }
    let records: Vec<Record> = records
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;

    let lines: Vec<u64> = std::iter::once(info.header_line)
        .chain(records.iter().map(|record| record.line))
        .collect();
    let starts = record_start_lines(&raw);
    if lines != starts {
        return Err(format!(
            "lines of header and records: got {lines:?}, expected {starts:?}"
        ));
    }

    let mut rows = Vec::new();
    // The import pipeline skips records whose cells are all empty; so does this test.
    for record in records.iter().filter(|record| !record.is_blank()) {
        if record.cells.len() != info.headers.len() {
            return Err(format!(
                "line {}: {} cells for {} headers",
                record.line,
                record.cells.len(),
                info.headers.len()
            ));
        }
        let row: Row = info
            .headers
            .iter()
            .cloned()
            .zip(record.cells.clone())
            .collect();
        rows.push(row);
    }
    if rows != expected {
        return Err(format!("rows: got {rows:#?}\nexpected {expected:#?}"));
    }
    Ok(())
}

/// The rows of `json`: an array of objects whose values are strings. Keys are trimmed because
/// the reader trims header cells (only inner spaces occur today, as in "Contact Phone Number").
fn expected_rows(json: &Path, name: &str, raw_csv: &[u8]) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(json).map_err(|e| format!("cannot read the json: {e}"))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("bad json: {e}"))?;
    let objects = match value {
        Value::Array(items) => items,
        // location_coordinates.json is one bare object, not an array of one (upstream issue
        // max-mapper/csv-spectrum#22).
        object @ Value::Object(_) => vec![object],
        other => {
            return Err(format!(
                "expected JSON is neither array nor object: {other}"
            ));
        }
    };
    let mut rows = Vec::new();
    for object in objects {
        let Value::Object(object) = object else {
            return Err(format!("expected JSON row is not an object: {object}"));
        };
        let mut row = Row::new();
        for (key, value) in object {
            let Value::String(value) = value else {
                return Err(format!("expected JSON value of {key:?} is not a string"));
            };
            row.insert(key.trim().to_string(), value);
        }
        rows.push(row);
    }
    for &(case, index, column, published, correct) in ERRATA.iter().filter(|e| e.0 == name) {
        let cell = rows.get_mut(index).and_then(|row| row.get_mut(column));
        if cell.as_deref().map(String::as_str) != Some(published) {
            return Err(format!(
                "erratum for {case}: the JSON no longer says {published:?}"
            ));
        }
        if !String::from_utf8_lossy(raw_csv).contains(correct) {
            return Err(format!(
                "erratum for {case}: the CSV does not hold {correct:?}"
            ));
        }
        *cell.unwrap() = correct.to_string();
    }
    Ok(rows)
}

/// The line on which each record starts, from the raw bytes and independently of the reader:
/// CR, LF and CRLF each end a line, breaks inside a quoted field count too, and empty lines
/// hold no record. A quote opens a quoted field only at the start of a field; inside one, `""`
/// is an escaped quote.
fn record_start_lines(bytes: &[u8]) -> Vec<u64> {
    let mut starts = Vec::new();
    let mut line = 1;
    let (mut quoted, mut at_record_start, mut at_field_start) = (false, true, true);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'\r' || byte == b'\n' {
            if byte == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            line += 1;
            if !quoted {
                at_record_start = true;
                at_field_start = true;
            }
        } else {
            if at_record_start {
                starts.push(line);
                at_record_start = false;
            }
            if quoted {
                if byte == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                }
            } else if byte == b'"' && at_field_start {
                quoted = true;
            }
            at_field_start = !quoted && byte == b',';
        }
        i += 1;
    }
    starts
}
