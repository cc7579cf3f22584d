//! Encodings detected in small files: Western code pages, the euro of ISO-8859-15, other
//! alphabets, UTF-16 without a byte-order mark, UTF-8 with a few bad lines.

use super::encoding::utf16_without_bom;
use super::*;

fn file(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.csv");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn detect(bytes: &[u8]) -> Detected {
    let (_dir, path) = file(bytes);
    detect_encoding(&path, "f.csv", None, None).unwrap()
}

fn encoded(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text} in {}", encoding.name());
    bytes.into_owned()
}

/// Short exports of this market, as Excel and ERPs write them.
const WESTERN: &[&str] = &[
    "naam;stad\nLiège;Liège\nHélène Dubois;Namur\n",
    "name;city\nMüller GmbH;Köln\nKühne;Zürich\n",
    "klant;adres\nCoöperatie De Eendracht;Gent\n",
    "nom;rue\nFrançoise;Straße 5\nCafé de l'Église;Liège\nLœtitia;Cœur\n",
    "Nom;Ville\nHélène;Liège\n",
    "id;naam\n1;Liège\n",
    "naam;bedrag\nZoë;€ 12\nAnaïs;Tournai\nNiccolò;Esch-sur-Alzette\nJoão;Luxembourg\n",
];

#[test]
fn western_text_is_windows_1252_or_latin_9() {
    for text in WESTERN {
        let d = detect(&encoded(encoding_rs::WINDOWS_1252, text));
        assert_eq!(d.encoding.name(), "windows-1252", "{text}");
        assert!(d.guessed);
        // ISO-8859-1 is the same bytes for these letters.
        let latin9 = encoded(encoding_rs::ISO_8859_15, text);
        let d = detect(&latin9);
        let read = d
            .encoding
            .encoding
            .decode_without_bom_handling_and_without_replacement(&latin9)
            .unwrap();
        assert_eq!(
            read,
            *text,
            "{text} in ISO-8859-15 read as {}",
            d.encoding.name()
        );
    }
}

#[test]
fn the_euro_of_latin_9_is_read_as_the_euro() {
    let text = "naam;bedrag\nHélène;€ 12\nLiège;€ 3\n";
    let d = detect(&encoded(encoding_rs::ISO_8859_15, text));
    assert_eq!(d.encoding.name(), "ISO-8859-15");
}

#[test]
fn central_european_and_cyrillic_are_still_recognised() {
    let polish = "miasto;ulica\nŁódź;Piotrkowska\nWrocław;Świdnicka\nZażółć gęślą jaźń;1\n";
    let czech = "jmeno;mesto\nPříliš žluťoučký kůň;Brno\nÚpěl ďábelské ódy;Praha\n";
    let cyrillic = "имя;город\nИван Петров;Москва\nОльга Сидорова;Санкт-Петербург\n";
    for (text, encoding) in [
        (polish, encoding_rs::WINDOWS_1250),
        (czech, encoding_rs::WINDOWS_1250),
        (cyrillic, encoding_rs::WINDOWS_1251),
    ] {
        let d = detect(&encoded(encoding, text));
        assert_eq!(d.encoding.name(), encoding.name(), "{text}");
    }
}

#[test]
fn a_guess_shows_a_few_words() {
    let text = "naam;stad\nLiège;Liège\nHélène Dubois;Namur\nMüller;Köln\nKühne;Zürich\n";
    let d = detect(&encoded(encoding_rs::WINDOWS_1252, text));
    assert_eq!(
        d.examples,
        vec!["Liège", "Hélène", "Müller", "Köln", "Kühne"]
    );
    assert!(!detect(text.as_bytes()).guessed);
}

#[test]
fn utf16_without_a_byte_order_mark() {
    let text = "naam;stad\nZoë;Liège\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(detect(&le).encoding.name(), "UTF-16LE");
    assert_eq!(detect(&be).encoding.name(), "UTF-16BE");
    assert_eq!(utf16_without_bom(b"name;city\nA;Gent\0\n"), None);
    assert_eq!(utf16_without_bom(b"a\0"), None);
}

#[test]
fn mostly_utf8_stays_utf8() {
    let mut bytes = b"naam;stad\n".to_vec();
    for i in 0..200 {
        bytes.extend_from_slice(format!("Société {i};Liège\n").as_bytes());
    }
    bytes.extend_from_slice(b"Soci\xe9t\xe9 X;Gent\n");
    assert_eq!(detect(&bytes).encoding.name(), "UTF-8");
    // Without any UTF-8 beyond ASCII, the same line makes a Windows-1252 file.
    let mut bytes = b"naam;stad\nKlant;Gent\n".to_vec();
    bytes.extend_from_slice(b"Soci\xe9t\xe9 X;Gent\n");
    assert_eq!(detect(&bytes).encoding.name(), "windows-1252");
}
