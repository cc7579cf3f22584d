//! The header guess, the delimiter sniffer, the `sep=` line, and UTF-8 checked across chunks.

use super::encoding::check_utf8_chunk;
use super::*;

#[test]
fn a_title_above_the_table_is_not_its_header() {
    // Title, then the header and data four wide (blank lines are not given).
    assert_eq!(guess_header(&[(1, 1), (3, 4), (4, 4), (5, 3)]), Some(3));
    // Two title lines.
    assert_eq!(guess_header(&[(1, 1), (2, 2), (3, 5), (4, 5)]), Some(3));
    // A header on line 1, even one narrower than its data (a stray delimiter at the end
    // of every data line): only a title-like first line moves the header.
    assert_eq!(guess_header(&[(1, 4), (2, 4), (3, 4)]), None);
    assert_eq!(guess_header(&[(1, 3), (2, 4), (3, 4)]), None);
    assert_eq!(guess_header(&[(1, 2), (2, 4), (3, 4)]), None);
    // A "Date:;2026-11-20" line over a table of five.
    assert_eq!(guess_header(&[(1, 2), (2, 5), (3, 5)]), Some(2));
    // One column, or nothing wider: nothing to go by.
    assert_eq!(guess_header(&[(1, 1), (2, 1)]), None);
    assert_eq!(guess_header(&[]), None);
    assert_eq!(
        width(&["Title".into(), String::new(), " ".into()]),
        1,
        "padding after the last value does not count"
    );
}

#[test]
fn sniffs_each_delimiter() {
    assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), Some(b';'));
    assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), Some(b','));
    assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), Some(b'\t'));
    assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), Some(b'|'));
}

#[test]
fn commas_inside_quotes_do_not_fool_the_sniffer() {
    let sample = "name;city\n\"Dupont, Jean\";Gent\n\"A, B, C\";Brussel\n";
    assert_eq!(sniff_delimiter(sample), Some(b';'));
}

#[test]
fn decimal_commas_in_a_semicolon_file() {
    let sample = "name;amount;city\nA;1,5;Gent\nB;2,75;Leuven\nC;3;Mons\n";
    assert_eq!(sniff_delimiter(sample), Some(b';'));
}

#[test]
fn single_column_has_no_delimiter() {
    assert_eq!(sniff_delimiter("email\na@b.be\nc@d.be\n"), None);
}

#[test]
fn sep_line_is_read() {
    assert_eq!(sep_line("sep=;\r\n"), Some(b';'));
    assert_eq!(sep_line("sep=|"), Some(b'|'));
    assert_eq!(sep_line("sep=\t"), Some(b'\t'));
    assert_eq!(sep_line("separator"), None);
    assert_eq!(sep_line("sep=;;"), None);
}

#[test]
fn utf8_split_across_chunks_is_valid() {
    let text = "Zoë Müller — café".as_bytes();
    for cut in 0..text.len() {
        let mut carry = Vec::new();
        assert!(check_utf8_chunk(&mut carry, &text[..cut]));
        assert!(check_utf8_chunk(&mut carry, &text[cut..]), "cut at {cut}");
        assert!(carry.is_empty(), "cut at {cut}");
    }
}

#[test]
fn latin1_bytes_are_not_utf8() {
    let mut carry = Vec::new();
    assert!(!check_utf8_chunk(&mut carry, b"caf\xe9 au lait"));
}
