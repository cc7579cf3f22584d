//! The scanner's pieces, and each part's checks against the bounds.

use super::scanner::MAX_TEXT_BYTES;
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
    let sheet =
        format!(r#"<c r="B7" t="inlineStr"><is><r><t>{half}</t></r><r><t>{half}</t></r></is></c>"#);
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
    let table =
        format!("<sst><si><t>a</t></si><si><r><t>{half}</t></r><r><t>{half}</t></r></si></sst>");
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
    assert!(check_shared_strings(&br#"<sst uniqueCount="3"><si><t>a</t></si></sst>"#[..]).is_ok());
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
