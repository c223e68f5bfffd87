//! Check digits of Taiwanese identifiers and payment cards (reference: shared/reference/
//! pii-and-licences.md, A.1–A.3 and A.8). Pure functions over ASCII, property-tested.

/// The two-digit code of a national-ID / ARC region letter (A=10 … note I=34, O=35, W=32,
/// X=30, Y=31, Z=33).
fn letter_code(c: u8) -> Option<u32> {
    const CODES: [u32; 26] =
        [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33];
    c.is_ascii_uppercase().then(|| CODES[(c - b'A') as usize])
}

/// The national-ID weighted sum over the letter code and nine digits.
fn id_checksum(letter: u8, digits: [u32; 9]) -> Option<bool> {
    let code = letter_code(letter)?;
    let (a, b) = (code / 10, code % 10);
    let weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
    let sum = a + 9 * b + digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>();
    Some(sum % 10 == 0)
}

fn nine_digits(s: &[u8]) -> Option<[u32; 9]> {
    let mut d = [0u32; 9];
    for (slot, c) in d.iter_mut().zip(s) {
        *slot = (*c as char).to_digit(10)?;
    }
    Some(d)
}

/// A national ID (`[A-Z][12]\d{8}`) or new-format resident certificate (`[A-Z][89]\d{8}`)
/// with a valid check digit. `s` must be 10 upper-case ASCII characters.
pub fn national_id_or_new_arc(s: &[u8]) -> bool {
    s.len() == 10
        && matches!(s[1], b'1' | b'2' | b'8' | b'9')
        && nine_digits(&s[1..]).and_then(|d| id_checksum(s[0], d)).unwrap_or(false)
}

/// An old-format resident certificate (`[A-Z][A-D]\d{8}`): the second letter counts as the units
/// digit of its letter code (A→0 … D→3), then the national-ID weights apply.
pub fn old_arc(s: &[u8]) -> bool {
    if s.len() != 10 || !(b'A'..=b'D').contains(&s[1]) {
        return false;
    }
    let Some(rest) = nine_digits(&[&[b'0' + (letter_code(s[1]).unwrap_or(0) % 10) as u8][..], &s[2..]].concat()) else {
        return false;
    };
    id_checksum(s[0], rest).unwrap_or(false)
}

/// A Unified Business Number (8 digits) under the rule in force since 2023-04-01: weights
/// 1,2,1,2,1,2,4,1, sum the digits of each product, divisible by 5 — or, when the 7th digit is
/// 7, the sum plus one divisible by 5. (The legacy rule used 10; every number valid under it is
/// valid under 5.)
pub fn ubn(s: &[u8]) -> bool {
    if s.len() != 8 || !s.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let weights = [1, 2, 1, 2, 1, 2, 4, 1];
    let sum: u32 = s
        .iter()
        .zip(weights)
        .map(|(c, w)| {
            let p = u32::from(c - b'0') * w;
            p / 10 + p % 10
        })
        .sum();
    sum.is_multiple_of(5) || (s[6] == b'7' && (sum + 1).is_multiple_of(5))
}

/// The Luhn check over a string of ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0;
    for (i, c) in digits.iter().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// A payment card number: a known issuer prefix with its length, and Luhn. Rejects ISBN-13s
/// (978/979) and tracking numbers that only pass Luhn.
pub fn card(digits: &[u8]) -> bool {
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = digits.len();
    let prefix = |k: usize| -> u32 { digits.iter().take(k).fold(0, |a, c| a * 10 + u32::from(c - b'0')) };
    // Maestro: 12 to 19 digits under its prefixes (5018, 5020, 5038, 5893, 6304, 6759, 6761–6763,
    // 0604, 6390, and the 56–69 block ISO gives it), as the issuers' tables and Faker list them.
    let maestro = (12..=19).contains(&n)
        && ([5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763, 604, 6390].contains(&prefix(4))
            || (56..=58).contains(&prefix(2)));
    let issuer = match digits.first() {
        Some(b'4') => matches!(n, 13 | 16 | 19),                 // Visa
        Some(b'5') => (51..=55).contains(&prefix(2)) && n == 16, // Mastercard
        Some(b'2') => {
            ((2221..=2720).contains(&prefix(4)) && n == 16) // Mastercard 2-series
                || (prefix(4) == 2131 && n == 15) // JCB (15 digits)
        }
        Some(b'1') => prefix(4) == 1800 && n == 15, // JCB (15 digits)
        Some(b'3') => {
            let p2 = prefix(2);
            let p3 = prefix(3);
            ((p2 == 34 || p2 == 37) && n == 15)                                                    // Amex
                || (p2 == 35 && (16..=19).contains(&n))                                          // JCB (3528–3589 issued; 35 as Faker and older tables)
                || ((p2 == 36 || p2 == 38 || (300..=305).contains(&p3)) && (14..=16).contains(&n)) // Diners
        }
        Some(b'6') => {
            (prefix(2) == 62 && (16..=19).contains(&n)) // UnionPay
                || ((prefix(4) == 6011 || (644..=649).contains(&prefix(3)) || prefix(2) == 65) && (16..=19).contains(&n)) // Discover
        }
        Some(b'8') => prefix(2) == 81 && (16..=19).contains(&n), // UnionPay 8-series
        _ => false,
    };
    (issuer || maestro) && luhn(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert!(national_id_or_new_arc(b"A123456789"));
        assert!(!national_id_or_new_arc(b"A123456788"));
        assert!(!national_id_or_new_arc(b"A323456789"));
        assert!(ubn(b"04595252") && ubn(b"10458570") && ubn(b"10458575") && ubn(b"10458574"));
        assert!(ubn(b"22099131"), "a legacy-valid number stays valid");
        assert!(!ubn(b"12345678"));
        assert!(
            card(b"4111111111111111")
                && card(b"5555555555554444")
                && card(b"378282246310005")
                && card(b"3530111333300000")
        );
        // Public test numbers of the card networks (Stripe, Adyen, PayPal sandboxes) and a
        // 12-digit Maestro from Faker.
        for c in ["6011111111111117", "6011000990139424", "6759649826438453", "6200000000000005", "675959838672"] {
            assert!(card(c.as_bytes()), "{c}");
        }
        assert!(!card(b"9781234567897"), "ISBN-13");
        assert!(!card(b"4111111111111112"));
    }

    /// The check digit makes exactly one of ten candidates valid.
    fn with_check(body: &str, valid: impl Fn(&[u8]) -> bool) -> usize {
        (0..10).filter(|d| valid(format!("{body}{d}").as_bytes())).count()
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_is_valid(letter in 0u8..26, kind in prop_oneof![Just(b'1'), Just(b'2'), Just(b'8'), Just(b'9')], body in "[0-9]{7}") {
            let prefix = format!("{}{}{body}", (b'A' + letter) as char, kind as char);
            prop_assert_eq!(with_check(&prefix, national_id_or_new_arc), 1);
        }

        #[test]
        fn old_arc_has_one_check_digit(letter in 0u8..26, second in 0u8..4, body in "[0-9]{7}") {
            let prefix = format!("{}{}{body}", (b'A' + letter) as char, (b'A' + second) as char);
            prop_assert_eq!(with_check(&prefix, old_arc), 1);
        }

        #[test]
        fn luhn_has_one_check_digit(body in "[0-9]{12,18}") {
            prop_assert_eq!(with_check(&body, luhn), 1);
        }

        #[test]
        fn checks_never_panic(s in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = (national_id_or_new_arc(&s), old_arc(&s), ubn(&s), card(&s));
        }
    }
}
