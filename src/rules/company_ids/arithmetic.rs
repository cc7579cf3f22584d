//! The arithmetic the check digits of many countries share: the digits of a body, weighted
//! sums, Luhn, ISO 7064 and dates.

use super::Flaw;

pub(super) const ONLY_DIGITS: &str = "it contains characters other than digits";
const LEADING_ZERO: &str = "it starts with 0, which this country never issues";
pub(super) const NOT_A_DATE: &str = "the date of birth in it is not a real date";

/// The digits of a number body, without an allocation: no register or VAT number has more
/// than a dozen.
#[derive(Clone, Copy, Debug)]
pub(super) struct Digits {
    digits: [u64; 16],
    len: usize,
}

impl std::ops::Deref for Digits {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        &self.digits[..self.len]
    }
}

impl<'a> IntoIterator for &'a Digits {
    type Item = &'a u64;
    type IntoIter = std::slice::Iter<'a, u64>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Digits {
    /// Inserts a digit, as `Vec::insert` does; there is always room (see [`digits`]).
    pub(super) fn insert(&mut self, at: usize, digit: u64) {
        self.digits.copy_within(at..self.len, at + 1);
        self.digits[at] = digit;
        self.len += 1;
    }

    pub(super) fn push(&mut self, digit: u64) {
        self.insert(self.len, digit);
    }
}

/// Checks the length first, because "wrong length" is the more useful message
/// when a value is both too short and has a stray letter. Inlined, so that the digits are
/// written where the caller keeps them rather than copied there.
#[inline(always)]
pub(super) fn digits(body: &str, lengths: &[usize]) -> Result<Digits, Flaw> {
    let count = body.chars().count();
    // Room is kept for one digit more, which be and el insert.
    if !lengths.contains(&count) || count >= 16 {
        return Err(Flaw::Length);
    }
    let mut digits = Digits {
        digits: [0; 16],
        len: 0,
    };
    for c in body.chars() {
        digits.digits[digits.len] = u64::from(c.to_digit(10).ok_or(Flaw::Format(ONLY_DIGITS))?);
        digits.len += 1;
    }
    Ok(digits)
}

pub(super) fn text(d: &[u64]) -> String {
    d.iter()
        .filter_map(|&x| char::from_digit(x as u32, 10))
        .collect()
}

pub(super) fn number(d: &[u64]) -> u64 {
    d.iter().fold(0, |n, &x| n * 10 + x)
}

pub(super) fn weighted(d: &[u64], weights: &[u64]) -> u64 {
    d.iter().zip(weights).map(|(x, w)| x * w).sum()
}

pub(super) fn check(ok: bool) -> Result<(), Flaw> {
    ok.then_some(()).ok_or(Flaw::Check)
}

pub(super) fn no_leading_zero(d: &[u64]) -> Result<(), Flaw> {
    if d.first() == Some(&0) {
        Err(Flaw::Format(LEADING_ZERO))
    } else {
        Ok(())
    }
}

/// Luhn sum, rightmost digit undoubled; a full number is valid when it ends in 0.
pub(super) fn luhn_sum(d: &[u64]) -> u64 {
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                x * 2 / 10 + x * 2 % 10
            } else {
                x
            }
        })
        .sum()
}

/// ISO 7064 MOD 11,10 over a number that includes its check digit.
pub(super) fn iso7064_mod_11_10(d: &[u64]) -> bool {
    let mut product = 10;
    let mut sum = 0;
    for &x in d {
        sum = (product + x) % 10;
        product = (if sum == 0 { 10 } else { sum }) * 2 % 11;
    }
    sum == 1
}

/// ISO 7064 MOD 97-10 over letters and digits, letters counting as 10 to 35.
pub(super) fn iso7064_mod_97_10(s: &str) -> u32 {
    s.chars().filter_map(|c| c.to_digit(36)).fold(0, |rest, v| {
        if v < 10 {
            (rest * 10 + v) % 97
        } else {
            (rest * 100 + v) % 97
        }
    })
}

pub(super) fn is_real_date(year: u64, month: u64, day: u64) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}
