//! Countries as `address.csv` names them: an address abroad carries the country's name in
//! Dutch and in French, never a code. The countries Belgian enterprises are most often seated
//! in are known; an unknown name gives no country rather than a guess.

/// Names folded as [`fold`] does, Dutch and French (and the English or local name where it
/// is written that way too), with the variants the register is known to use.
const NAMES: &[(&str, &[&str])] = &[
    ("BE", &["belgie", "belgique", "belgium"]),
    ("NL", &["nederland", "paysbas", "netherlands"]),
    ("FR", &["frankrijk", "france"]),
    (
        "DE",
        &[
            "duitsland",
            "allemagne",
            "bondsrepubliekduitsland",
            "republiquefederaledallemagne",
            "deutschland",
            "germany",
        ],
    ),
    (
        "LU",
        &[
            "luxemburg",
            "luxembourg",
            "groothertogdomluxemburg",
            "grandducheduluxembourg",
        ],
    ),
    (
        "GB",
        &[
            "verenigdkoninkrijk",
            "royaumeuni",
            "grootbrittannie",
            "grandebretagne",
            "unitedkingdom",
        ],
    ),
    (
        "US",
        &[
            "verenigdestaten",
            "verenigdestatenvanamerika",
            "etatsunis",
            "etatsunisdamerique",
            "unitedstates",
            "usa",
        ],
    ),
    ("CH", &["zwitserland", "suisse"]),
    ("IT", &["italie", "italy"]),
    ("ES", &["spanje", "espagne", "spain"]),
    ("PT", &["portugal"]),
    ("IE", &["ierland", "irlande", "ireland"]),
    ("AT", &["oostenrijk", "autriche", "austria"]),
    ("DK", &["denemarken", "danemark", "denmark"]),
    ("SE", &["zweden", "suede", "sweden"]),
    ("NO", &["noorwegen", "norvege", "norway"]),
    ("FI", &["finland", "finlande"]),
    ("IS", &["ijsland", "islande", "iceland"]),
    ("PL", &["polen", "pologne", "poland"]),
    (
        "CZ",
        &[
            "tsjechie",
            "tsjechischerepubliek",
            "tchequie",
            "republiquetcheque",
            "czechia",
        ],
    ),
    ("SK", &["slowakije", "slovaquie", "slovakia"]),
    ("HU", &["hongarije", "hongrie", "hungary"]),
    ("RO", &["roemenie", "roumanie", "romania"]),
    ("BG", &["bulgarije", "bulgarie", "bulgaria"]),
    ("GR", &["griekenland", "grece", "greece"]),
    ("CY", &["cyprus", "chypre"]),
    ("MT", &["malta", "malte"]),
    ("SI", &["slovenie", "slovenia"]),
    ("HR", &["kroatie", "croatie", "croatia"]),
    ("EE", &["estland", "estonie", "estonia"]),
    ("LV", &["letland", "lettonie", "latvia"]),
    ("LT", &["litouwen", "lituanie", "lithuania"]),
    ("LI", &["liechtenstein"]),
    ("MC", &["monaco"]),
    ("AD", &["andorra", "andorre"]),
    ("SM", &["sanmarino", "saintmarin"]),
    ("TR", &["turkije", "turquie", "turkey"]),
    ("RS", &["servie", "serbie", "serbia"]),
    ("UA", &["oekraine", "ukraine"]),
    (
        "RU",
        &[
            "rusland",
            "russie",
            "russischefederatie",
            "federationderussie",
        ],
    ),
    ("MA", &["marokko", "maroc", "morocco"]),
    ("TN", &["tunesie", "tunisie", "tunisia"]),
    ("DZ", &["algerije", "algerie", "algeria"]),
    ("EG", &["egypte", "egypt"]),
    (
        "CD",
        &[
            "democratischerepubliekcongo",
            "congodemocratischerepubliek",
            "republiquedemocratiqueducongo",
            "congorepubliquedemocratique",
        ],
    ),
    ("RW", &["rwanda"]),
    ("BI", &["burundi"]),
    ("SN", &["senegal"]),
    ("CI", &["ivoorkust", "cotedivoire"]),
    ("CM", &["kameroen", "cameroun", "cameroon"]),
    ("ZA", &["zuidafrika", "afriquedusud", "southafrica"]),
    ("IL", &["israel"]),
    (
        "AE",
        &[
            "verenigdearabischeemiraten",
            "emiratsarabesunis",
            "unitedarabemirates",
        ],
    ),
    ("SA", &["saoediarabie", "arabiesaoudite", "saudiarabia"]),
    ("QA", &["qatar"]),
    ("IN", &["india", "inde"]),
    (
        "CN",
        &[
            "china",
            "chine",
            "volksrepubliekchina",
            "republiquepopulairedechine",
        ],
    ),
    ("HK", &["hongkong"]),
    ("JP", &["japan", "japon"]),
    ("KR", &["zuidkorea", "coreedusud", "southkorea"]),
    ("SG", &["singapore", "singapour"]),
    ("TH", &["thailand", "thailande"]),
    ("VN", &["vietnam"]),
    ("AU", &["australie", "australia"]),
    ("NZ", &["nieuwzeeland", "nouvellezelande", "newzealand"]),
    ("CA", &["canada"]),
    ("MX", &["mexico", "mexique"]),
    ("BR", &["brazilie", "bresil", "brazil"]),
    ("AR", &["argentinie", "argentine", "argentina"]),
];

/// The ISO code of a country name, in Dutch or French, whatever its case, accents, spaces
/// and hyphens. A name with a qualifier in brackets (`Luxemburg (Groothertogdom)`) is tried
/// whole, then without it.
pub(super) fn code(name: &str) -> Option<&'static str> {
    let whole = fold(name);
    if whole.is_empty() {
        return None;
    }
    find(&whole).or_else(|| {
        let head = name.split('(').next().unwrap_or_default();
        find(&fold(head))
    })
}

fn find(folded: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&folded))
        .map(|(code, _)| *code)
}

/// Lower case, without accents, letters and digits only: `Pays-Bas` is `paysbas`.
fn fold(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(crate::fields::fold_accent)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_table_is_folded_unique_and_iso() {
        let mut seen = HashSet::new();
        for (code, names) in NAMES {
            assert!(crate::rules::address::is_country_code(code), "{code}");
            for name in *names {
                assert_eq!(fold(name), *name, "{code}: {name} is not folded");
                assert!(seen.insert(*name), "{name} is listed twice");
            }
        }
    }

    #[test]
    fn names_are_read_in_either_language_and_any_spelling() {
        assert_eq!(code("Nederland"), Some("NL"));
        assert_eq!(code("PAYS-BAS"), Some("NL"));
        assert_eq!(code("Royaume-Uni"), Some("GB"));
        assert_eq!(code("Italië"), Some("IT"));
        assert_eq!(code("États-Unis d'Amérique"), Some("US"));
        assert_eq!(code("Luxemburg (Groothertogdom)"), Some("LU"));
        assert_eq!(
            code("Congo (Democratische Republiek)"),
            Some("CD"),
            "the qualifier is what tells the two Congos apart"
        );
        assert_eq!(code("Congo"), None);
        assert_eq!(code("Verweggistan"), None);
        assert_eq!(code(""), None);
    }
}
