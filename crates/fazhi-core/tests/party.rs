//! Party data: GB 11643 ID numbers, phones, masking and normalisation.

use fazhi_core::party::{
    IdNumberError, PartyRole, check_id_number, check_phone, id_check_digit, mask_id_number,
    mask_phone, normalize_id_number, normalize_phone,
};
use proptest::prelude::*;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 03 - 01);

/// A made-up ID number with a correct check digit (not a real person's).
fn valid_id(first17: &str) -> String {
    format!("{first17}{}", id_check_digit(first17).unwrap())
}

#[test]
fn check_digit_follows_iso_7064() {
    // Sum of weights * digits for 11010519491231002: check = (12 - sum % 11) % 11, 10 → X.
    let first17 = "11010519491231002";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let v = (12 - sum % 11) % 11;
    let expected = if v == 10 {
        'X'
    } else {
        char::from_digit(v, 10).unwrap()
    };
    assert_eq!(id_check_digit(first17), Some(expected));
}

#[test]
fn valid_numbers_pass_and_are_normalised() {
    let id = valid_id("51010119900307123");
    assert_eq!(check_id_number(&id, TODAY).unwrap(), id);
    // Spaces, dashes, lower-case x and full-width digits are normalised.
    let mut found_x = false;
    for seq in 100..200 {
        let first17 = format!("51010119900307{seq}");
        let id = valid_id(&first17);
        if id.ends_with('X') {
            found_x = true;
            let messy = format!(" {}-{} ", &id[..6], id[6..].to_lowercase());
            assert_eq!(check_id_number(&messy, TODAY).unwrap(), id);
        }
    }
    assert!(found_x);
    assert_eq!(
        normalize_id_number("５１０１ 01-19900307123x"),
        "51010119900307123X"
    );
}

#[test]
fn invalid_numbers_are_refused_with_chinese_messages() {
    let id = valid_id("51010119900307123");
    let last = id.chars().last().unwrap();
    let wrong = if last == '1' { '2' } else { '1' };
    let bad = format!("{}{wrong}", &id[..17]);
    assert_eq!(check_id_number(&bad, TODAY), Err(IdNumberError::CheckDigit));
    assert!(IdNumberError::CheckDigit.to_string().contains("校验位"));
    assert_eq!(
        check_id_number("510101900307123", TODAY),
        Err(IdNumberError::OldFormat)
    );
    assert_eq!(
        check_id_number("5101011990", TODAY),
        Err(IdNumberError::Length(10))
    );
    assert_eq!(
        check_id_number("5101011990030712AX", TODAY),
        Err(IdNumberError::Char)
    );
    // 30 February, a future birth date and one before 1900.
    for first17 in [
        "51010119900230123",
        "51010120270101123",
        "51010118991231123",
    ] {
        assert_eq!(
            check_id_number(&valid_id(first17), TODAY),
            Err(IdNumberError::BirthDate)
        );
    }
}

#[test]
fn phones() {
    assert_eq!(check_phone("138 0013 5678").unwrap(), "13800135678");
    assert_eq!(check_phone("+86 138-0013-5678").unwrap(), "13800135678");
    assert_eq!(check_phone("023-12345678").unwrap(), "02312345678");
    assert_eq!(check_phone("(0755)1234567").unwrap(), "07551234567");
    assert_eq!(check_phone("010-87654321").unwrap(), "01087654321");
    for bad in [
        "12345678901",
        "1380013567",
        "12345678",
        "023-1234567",
        "abc",
        "",
        "0755-0234567",
    ] {
        let e = check_phone(bad).unwrap_err();
        assert!(e.to_string().contains("手机号"), "{bad}");
    }
    assert_eq!(normalize_phone("0086 13800135678"), "13800135678");
}

#[test]
fn masking() {
    assert_eq!(mask_id_number("510101199003071234"), "5101**********1234");
    assert_eq!(mask_phone("13800135678"), "138****5678");
    assert_eq!(mask_phone("138-0013-5678"), "138****5678");
    assert_eq!(mask_phone("023-12345678"), "023****5678");
    assert_eq!(mask_phone("123"), "***");
}

#[test]
fn role_codes() {
    for r in PartyRole::ALL {
        assert_eq!(r.as_str().parse::<PartyRole>().unwrap(), *r);
    }
    assert_eq!(PartyRole::Petitioner.label_zh(), "信访人");
    assert!(
        "boss"
            .parse::<PartyRole>()
            .unwrap_err()
            .to_string()
            .contains("当事人角色")
    );
}

proptest! {
    #[test]
    fn any_computed_check_digit_validates(
        area in 110000u32..660000,
        days in 0i64..40000,
        seq in 0u32..1000,
    ) {
        let birth = date!(1910 - 01 - 01) + time::Duration::days(days);
        prop_assume!(birth <= TODAY);
        let first17 = format!(
            "{area:06}{:04}{:02}{:02}{seq:03}",
            birth.year(), u8::from(birth.month()), birth.day()
        );
        let id = valid_id(&first17);
        prop_assert_eq!(check_id_number(&id, TODAY).unwrap(), id.clone());
        // Any single changed digit in the body breaks the check.
        let pos = (seq as usize) % 17;
        let mut bytes = id.clone().into_bytes();
        bytes[pos] = if bytes[pos] == b'9' { b'0' } else { bytes[pos] + 1 };
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(check_id_number(&changed, TODAY).is_err());
        let masked = mask_id_number(&id);
        prop_assert_eq!(masked.len(), 18);
        prop_assert_eq!(&masked[4..14], "**********");
    }
}
