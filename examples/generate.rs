//! Writes a large, realistic Twikey-style customer file for benchmarks and big-file tests:
//! `cargo run --release --example generate -- ROWS [--broken PERCENT [--only MISTAKE]] [--seed N] > customers.csv`
//!
//! Every line is a valid Belgian, Dutch or French customer (check digits computed, real
//! postcode formats, mobile numbers of the country) unless `--broken` asks for a share of
//! lines with one deliberate mistake each: an e-mail without its `@`, a postal code `12`, a
//! language `xx` or a mobile `12345`, at random, or only the one `--only` names (`email`,
//! `zip`, `language`, `mobile`), so that one find-and-replace fixes every broken line. The
//! output is deterministic for a seed.

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: plenty for test data, and no dependency.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Jan", "Marie", "Pieter", "Sofie", "Luc", "An", "Koen", "Els", "Thomas", "Lien", "Julie",
    "Nicolas", "Camille", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Zoë", "Chloé",
];
const LAST: &[&str] = &[
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "De Vries", "Van Dijk", "Bakker",
];
const WORDS: &[&str] = &[
    "Bouw",
    "Techniek",
    "Logistiek",
    "Consult",
    "Design",
    "Food",
    "Transport",
    "Immo",
    "Media",
    "Solutions",
    "Services",
    "Energie",
    "Garden",
    "Print",
    "Medical",
    "Software",
    "Trading",
];
const FORMS: &[&str] = &["NV", "BV", "BVBA", "SRL", "SA", "CommV", "VZW"];
const STREETS: &[&str] = &[
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Rue de la Gare",
    "Nieuwstraat",
    "Molenstraat",
    "Rue Haute",
    "Schoolstraat",
    "Kapelstraat",
    "Avenue Louise",
    "Grote Markt",
    "Veldstraat",
];
const BE_CITIES: &[(&str, &str)] = &[
    ("1000", "Brussel"),
    ("2000", "Antwerpen"),
    ("3000", "Leuven"),
    ("8000", "Brugge"),
    ("9000", "Gent"),
    ("4000", "Liège"),
    ("5000", "Namur"),
    ("7000", "Mons"),
    ("3500", "Hasselt"),
    ("2800", "Mechelen"),
    ("8500", "Kortrijk"),
    ("6000", "Charleroi"),
];
const NL_CITIES: &[(&str, &str)] = &[
    ("1012 AB", "Amsterdam"),
    ("3011 AD", "Rotterdam"),
    ("2511 BT", "Den Haag"),
    ("3511 AX", "Utrecht"),
    ("5611 AB", "Eindhoven"),
];
const FR_CITIES: &[(&str, &str)] = &[
    ("75008", "Paris"),
    ("59000", "Lille"),
    ("69001", "Lyon"),
    ("13001", "Marseille"),
];

/// A Belgian enterprise number: 0 or 1, then 7 digits, then 97 - (first 8 mod 97).
fn enterprise(rng: &mut Rng) -> String {
    let body = 2_000_000 + rng.below(7_900_000);
    let check = 97 - (body % 97);
    format!("{body:08}{check:02}")
}

fn dotted(number: &str) -> String {
    format!("{}.{}.{}", &number[0..4], &number[4..7], &number[7..10])
}

/// A Dutch VAT number of the 11-proof form: NL + 9 digits + B01.
fn dutch_vat(rng: &mut Rng) -> String {
    loop {
        let digits: Vec<u64> = (0..8).map(|_| rng.below(10)).collect();
        let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let check = sum % 11;
        if check < 10 {
            let body: String = digits.iter().map(|d| d.to_string()).collect();
            return format!("NL{body}{check}B01");
        }
    }
}

/// A French VAT number: FR + key + SIREN, where the SIREN passes Luhn and the key is
/// (12 + 3 * (SIREN mod 97)) mod 97.
fn french_vat(rng: &mut Rng) -> String {
    let body = 10_000_000 + rng.below(89_999_999);
    let digits: Vec<u64> = format!("{body:08}")
        .bytes()
        .map(|b| u64::from(b - b'0'))
        .collect();
    // Luhn: double every second digit from the right, counting the check digit as first.
    let sum: u64 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    let siren = body * 10 + (10 - sum % 10) % 10;
    let key = (12 + 3 * (siren % 97)) % 97;
    format!("FR{key:02}{siren}")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| {
            eprintln!(
                "usage: generate ROWS [--broken PERCENT [--only MISTAKE]] [--seed N] > file.csv"
            );
            std::process::exit(2);
        });
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let broken = option("--broken").unwrap_or(0);
    let mistakes = ["email", "zip", "language", "mobile"];
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|name| {
            mistakes.iter().position(|m| m == name).unwrap_or_else(|| {
                eprintln!("--only {name}: expected one of {}", mistakes.join(", "));
                std::process::exit(2);
            }) as u64
        });
    let mut rng = Rng(option("--seed").unwrap_or(42) | 1);
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let header = "customerNumber;email;l;lastname;firstname;mobile;companyName;coc;vatno;address;city;zip;country";
    let result = (|| -> std::io::Result<()> {
        out.write_all(b"\xEF\xBB\xBF")?;
        write!(out, "{header}\r\n")?;
        for i in 1..=rows {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let is_company = rng.below(3) > 0;
            let company = if is_company {
                format!("{} {} {}", rng.pick(LAST), rng.pick(WORDS), rng.pick(FORMS))
            } else {
                String::new()
            };
            let country = match rng.below(10) {
                0..=6 => "BE",
                7..=8 => "NL",
                _ => "FR",
            };
            let (zip, city) = match country {
                "BE" => BE_CITIES[rng.below(BE_CITIES.len() as u64) as usize],
                "NL" => NL_CITIES[rng.below(NL_CITIES.len() as u64) as usize],
                _ => FR_CITIES[rng.below(FR_CITIES.len() as u64) as usize],
            };
            let mobile = match country {
                "BE" => format!(
                    "04{}{} {:02} {:02} {:02}",
                    7 + rng.below(3),
                    rng.below(10),
                    rng.below(100),
                    rng.below(100),
                    rng.below(100)
                ),
                "NL" => format!("06 1{:07}", rng.below(10_000_000)),
                // French mobiles: 06 10 to 06 19 are allocated.
                _ => format!(
                    "06 {:02} {:02} {:02} {:02}",
                    10 + rng.below(10),
                    rng.below(100),
                    rng.below(100),
                    rng.below(100)
                ),
            };
            let (coc, vat) = match (country, is_company) {
                ("BE", true) => {
                    let number = enterprise(&mut rng);
                    (dotted(&number), format!("BE {}", dotted(&number)))
                }
                ("NL", true) => (
                    format!("{:08}", rng.below(100_000_000)),
                    dutch_vat(&mut rng),
                ),
                ("FR", true) => (String::new(), french_vat(&mut rng)),
                _ => (String::new(), String::new()),
            };
            let language = match country {
                "BE" => rng.pick(&["nl", "fr", "NL", "fr_BE"]),
                "NL" => "nl",
                _ => "fr",
            };
            let email = format!(
                "{}.{}{}@example.{}",
                first.to_lowercase().replace(['ë', 'é'], "e"),
                last.to_lowercase().replace(' ', ""),
                i,
                if country == "FR" { "fr" } else { "be" }
            );
            let address = format!("{} {}", rng.pick(STREETS), 1 + rng.below(200));
            let mut fields = [
                format!("C{i:07}"),
                email,
                language.to_string(),
                last.to_string(),
                first.to_string(),
                mobile,
                company,
                coc,
                vat,
                address,
                city.to_string(),
                zip.to_string(),
                country.to_string(),
            ];
            if broken > 0 && rng.below(100) < broken {
                let mistake = rng.below(4);
                match only.unwrap_or(mistake) {
                    0 => fields[1] = fields[1].replace('@', ""),
                    1 => fields[11] = "12".into(),
                    2 => fields[2] = "xx".into(),
                    _ => fields[5] = "12345".into(),
                }
            }
            out.write_all(fields.join(";").as_bytes())?;
            out.write_all(b"\r\n")?;
        }
        out.flush()
    })();
    if let Err(e) = result {
        // A closed pipe (| head) is not an error worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("generate: {e}");
            std::process::exit(1);
        }
    }
}
