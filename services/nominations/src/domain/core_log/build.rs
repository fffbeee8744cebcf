//! One letting's CORE row, from what the service holds: the home (the vacancy), the letting,
//! the landlord's details and the household as the register knew it. Anything not held is
//! left blank, for CORE's checks to name before the log is sent.

use chrono::NaiveDate;
use serde::Deserialize;

use super::Row;
use super::household::{Household, MAX_PEOPLE};
use super::letting::{Details, FIRST_LET_REASONS};
use super::validate::Owner;

/// What the council tells CORE about itself; the same on every log.
#[derive(Debug, Clone, Deserialize)]
pub struct Council {
    /// The council's organisation in CORE (its "ORG" identifier).
    pub organisation: String,
    /// The council's ONS local authority code, e.g. E09000008: its own homes are in it.
    pub local_authority: String,
    /// Whether lettings are made under a common allocation policy, a common housing register
    /// and an accessible housing register (fields 113 to 115).
    pub common_allocation_policy: bool,
    pub common_housing_register: bool,
    pub accessible_register: bool,
}

/// The home and the letting, as the service recorded them.
pub struct Letting<'a> {
    pub tenancy_start: NaiveDate,
    pub void_start: NaiveDate,
    pub bedrooms: i32,
    /// The vacancy's kind of home: flat, house, bungalow, maisonette or sheltered.
    pub property_type: &'a str,
    pub wheelchair_accessible: bool,
    /// The vacancy's address, lines separated by commas, the town last.
    pub address: &'a str,
    pub choice_based: bool,
}

/// The fields of the household part: the lead tenant and household (42–74, 130–145), needs
/// (75–95), situation and referral (96–116, 146–148), income and benefits (117–121).
pub fn is_household_field(n: usize) -> bool {
    (42..=121).contains(&n) || (130..=148).contains(&n)
}

/// The full row of a letting. A housing association's own log takes only the household part
/// (see [`is_household_field`]): the rest is the landlord's to give.
pub fn row(
    letting: &Letting<'_>,
    household: Option<&Household>,
    details: Option<&Details>,
    owner: Owner,
    council: &Council,
) -> Row {
    let mut row = Row::default();
    setup(&mut row, letting, details, owner, council);
    property(&mut row, letting, details, council);
    if let Some(d) = details {
        tenancy(&mut row, d);
        charges(&mut row, d);
    }
    if let Some(h) = household {
        people(&mut row, h, letting.tenancy_start);
        needs(&mut row, h);
        situation(&mut row, h, letting.tenancy_start);
        income(&mut row, h);
    }
    allocation(&mut row, household, letting, owner, council);
    row
}

fn setup(row: &mut Row, l: &Letting<'_>, d: Option<&Details>, owner: Owner, c: &Council) {
    if owner == Owner::LocalAuthority {
        row.set(1, &c.organisation);
        row.set(2, &c.organisation);
    }
    // General needs: supported housing is let through schemes this service does not run.
    row.set(4, "1");
    // A nomination is a new tenant for the home, never the renewal of a tenancy.
    row.set(7, "2");
    date(row, 8, l.tenancy_start);
    if let Some(d) = d {
        row.set(11, code(d.rent_type));
        row.set(13, &d.tenant_code);
        row.set(14, &d.property_reference);
        if d.privacy_notice_seen {
            row.set(15, "1");
        }
    }
}

fn property(row: &mut Row, l: &Letting<'_>, d: Option<&Details>, c: &Council) {
    if let Some(d) = d {
        row.set(16, code(d.vacancy_reason));
        if !FIRST_LET_REASONS.contains(&d.vacancy_reason) {
            if let Some(previous) = d.previous_let_type {
                row.set(17, code(previous));
            }
            if let Some(on) = d.major_repairs_on {
                date(row, 33, on);
            }
        }
        row.set(18, &d.uprn);
        if let Some((outward, inward)) = postcode_halves(&d.postcode) {
            row.set(23, outward);
            row.set(24, inward);
        }
        row.set(26, code(d.unit_type));
        row.set(27, code(d.building_type));
    }
    let lines: Vec<&str> = l
        .address
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if let [first, .., town] = lines.as_slice() {
        row.set(19, *first);
        if lines.len() > 2 {
            row.set(20, lines[1..lines.len() - 1].join(", "));
        }
        row.set(21, *town);
    } else if let [only] = lines.as_slice() {
        row.set(19, *only);
    }
    if d.is_none() {
        // Without the landlord's unit type, the kind of home the vacancy was advertised as
        // says it, where CORE has the same kind.
        let unit = match l.property_type {
            "house" => "7",
            "bungalow" => "8",
            "flat" | "maisonette" => "1",
            _ => "",
        };
        row.set(26, unit);
    }
    // The council's own homes are in its own district.
    row.set(25, &c.local_authority);
    row.set(28, if l.wheelchair_accessible { "1" } else { "2" });
    // A home with no bedroom is a bedsit, which CORE counts as one.
    row.set(29, l.bedrooms.max(1).to_string());
    date(row, 30, l.void_start);
}

fn tenancy(row: &mut Row, d: &Details) {
    row.set(37, yes_no(d.joint_tenancy));
    row.set(38, yes_no(d.starter_tenancy));
    row.set(39, code(d.tenancy_type));
    row.set(40, &d.tenancy_other);
    if let Some(years) = d.tenancy_years {
        row.set(41, code(years));
    }
}

fn charges(row: &mut Row, d: &Details) {
    row.set(123, code(d.rent_period));
    row.set(124, pounds(d.basic_rent_pence));
    row.set(125, pounds(d.service_charge_pence));
    row.set(126, pounds(d.personal_service_charge_pence));
    row.set(127, pounds(d.support_charge_pence));
    if let Some(shortfall) = d.rent_shortfall {
        row.set(128, code(shortfall));
    }
    if let Some(pence) = d.shortfall_pence {
        row.set(129, pounds(pence));
    }
}

/// Persons 1 to 8: the lead tenant in 42–46, each other person in four fields from 47,
/// gender identity in pairs from 130.
fn people(row: &mut Row, h: &Household, start: NaiveDate) {
    for (i, p) in h.people.iter().take(MAX_PEOPLE).enumerate() {
        let age = start.years_since(p.born).unwrap_or(0);
        let sex = p.sex_at_birth.map(|s| s.code()).unwrap_or_default();
        let gender = 130 + 2 * i;
        row.set(gender, opt(p.gender_same_as_sex));
        if p.gender_same_as_sex == Some(2) {
            row.set(gender + 1, &p.gender_description);
        }
        if i == 0 {
            row.set(42, age.to_string());
            row.set(43, sex);
            row.set(44, opt(p.ethnic));
            row.set(45, opt(p.nationality));
            row.set(46, opt(p.working));
            continue;
        }
        let first = 47 + 4 * (i - 1);
        row.set(first, if p.partner { "1" } else { "2" });
        // CORE asks the age of a baby as 1.
        row.set(first + 1, age.max(1).to_string());
        row.set(first + 2, sex);
        // CORE codes every child under 16 as such, whatever else was said.
        let working = if age < 16 { Some(9) } else { p.working };
        row.set(first + 3, opt(working));
    }
}

fn needs(row: &mut Row, h: &Household) {
    let a = &h.answers;
    row.set(75, opt(a.armed_forces));
    row.set(76, opt(a.armed_forces_service));
    row.set(77, opt(a.injured_in_service));
    row.set(78, opt(a.pregnancy));
    for &field in &a.access_needs {
        row.set(field, "1");
    }
    row.set(85, opt(a.health_condition));
    for &field in &a.health_effects {
        row.set(field, "1");
    }
}

fn situation(row: &mut Row, h: &Household, start: NaiveDate) {
    let a = &h.answers;
    row.set(96, opt(a.time_in_area));
    row.set(
        97,
        years_band(start.years_since(h.registered_on).unwrap_or(0)),
    );
    row.set(98, opt(a.reason_for_leaving));
    if a.reason_for_leaving == Some(20) {
        row.set(99, &a.reason_for_leaving_other);
    }
    row.set(100, opt(a.previous_tenure));
    row.set(101, if a.homeless { "11" } else { "1" });
    match a.last_settled_postcode.as_deref().and_then(postcode_halves) {
        Some((outward, inward)) => {
            row.set(102, "1");
            row.set(103, outward);
            row.set(104, inward);
        }
        None => row.set(102, "2"),
    }
    if a.reasonable_preference.is_empty() {
        row.set(106, "2");
    } else {
        row.set(106, "1");
        for field in 107..=111 {
            row.set(
                field,
                if a.reasonable_preference.contains(&field) {
                    "1"
                } else {
                    "0"
                },
            );
        }
    }
}

fn income(row: &mut Row, h: &Household) {
    let a = &h.answers;
    row.set(117, opt(a.income_known));
    if a.income_known == Some(1) {
        row.set(118, opt(a.income_frequency));
        if let Some(pence) = a.net_income_pence {
            // CORE keeps whole pounds, rounding half up.
            row.set(119, pence.saturating_add(50).div_euclid(100).to_string());
        }
    }
    row.set(120, opt(a.housing_benefit));
    row.set(121, opt(a.benefit_share));
}

/// How the letting was allocated (112–115) and where the tenant came from (116, 146–148).
fn allocation(row: &mut Row, h: Option<&Household>, l: &Letting<'_>, owner: Owner, c: &Council) {
    row.set(112, yes_no(l.choice_based));
    row.set(113, yes_no(c.common_allocation_policy));
    row.set(114, yes_no(c.common_housing_register));
    row.set(115, yes_no(c.accessible_register));
    let transfer = h.is_some_and(|h| h.answers.council_tenant);
    match owner {
        // From the council's own register, or a transfer between its own homes.
        Owner::LocalAuthority => row.set(116, if transfer { "2" } else { "3" }),
        // A housing association's home let to the council's nominee: from a register with
        // the council involved, nominated by it. What first brought the household to the
        // council (148) is not something the register records.
        Owner::PrivateRegisteredProvider => {
            row.set(146, "6");
            row.set(147, "1");
            row.set(148, "10");
        }
    }
}

/// CORE's bands for years (fields 96 and 97 share them).
fn years_band(years: u32) -> &'static str {
    match years {
        0 => "2",
        1 => "7",
        2 => "8",
        3 => "9",
        4 => "10",
        5..=9 => "11",
        _ => "12",
    }
}

/// A UK postcode's outward and inward codes, as CORE asks for them; none for anything that
/// is not a UK postcode.
pub fn postcode_halves(postcode: &str) -> Option<(String, String)> {
    let spaced = housing_platform::postcode::uk(postcode).ok()?;
    let (outward, inward) = spaced.split_once(' ')?;
    Some((outward.to_owned(), inward.to_owned()))
}

fn date(row: &mut Row, first: usize, on: NaiveDate) {
    use chrono::Datelike;
    row.set(first, on.day().to_string());
    row.set(first + 1, on.month().to_string());
    row.set(first + 2, on.year().to_string());
}

/// Pounds with two decimals, as CORE reads money.
fn pounds(pence: i64) -> String {
    format!("{}.{:02}", pence.div_euclid(100), pence.rem_euclid(100))
}

fn code(n: u16) -> String {
    n.to_string()
}

fn opt(c: Option<u16>) -> String {
    c.map(code).unwrap_or_default()
}

fn yes_no(b: bool) -> &'static str {
    if b { "1" } else { "2" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::core_log::household::{Answers, Person, SexAtBirth};
    use crate::domain::core_log::validate::check;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn council() -> Council {
        Council {
            organisation: "ORG1".into(),
            local_authority: "E09000033".into(),
            common_allocation_policy: false,
            common_housing_register: true,
            accessible_register: false,
        }
    }

    fn letting() -> Letting<'static> {
        Letting {
            tenancy_start: date("2026-06-15"),
            void_start: date("2026-05-20"),
            bedrooms: 2,
            property_type: "flat",
            wheelchair_accessible: false,
            address: "Flat 3, 12 Bow Road, London",
            choice_based: true,
        }
    }

    fn household() -> Household {
        let person = |partner, born: &str, working| Person {
            partner,
            born: date(born),
            sex_at_birth: Some(SexAtBirth::Female),
            gender_same_as_sex: Some(1),
            gender_description: String::new(),
            working,
            ethnic: Some(13),
            nationality: Some(826),
        };
        Household {
            people: vec![
                person(false, "1988-03-10", Some(2)),
                person(true, "1986-07-22", Some(1)),
                // A child's working situation is CORE's "under 16" whatever was answered.
                person(false, "2026-01-05", None),
            ],
            registered_on: date("2023-06-20"),
            answers: Answers {
                armed_forces: Some(2),
                pregnancy: Some(2),
                access_needs: vec![81],
                health_condition: Some(1),
                health_effects: vec![91],
                time_in_area: Some(12),
                reason_for_leaving: Some(12),
                previous_tenure: Some(3),
                last_settled_postcode: Some("e1 6an".into()),
                reasonable_preference: vec![108],
                income_known: Some(1),
                income_frequency: Some(2),
                net_income_pence: Some(180_050),
                housing_benefit: Some(6),
                benefit_share: Some(2),
                ..Default::default()
            },
        }
    }

    fn details() -> Details {
        Details {
            postcode: "E3 4AB".into(),
            rent_type: 1,
            vacancy_reason: 8,
            previous_let_type: Some(1),
            unit_type: 1,
            building_type: 1,
            joint_tenancy: true,
            starter_tenancy: false,
            tenancy_type: 7,
            rent_period: 1,
            basic_rent_pence: 10_512,
            service_charge_pence: 1_250,
            rent_shortfall: Some(2),
            privacy_notice_seen: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_council_letting_with_everything_answered_passes_cores_checks() {
        let row = row(
            &letting(),
            Some(&household()),
            Some(&details()),
            Owner::LocalAuthority,
            &council(),
        );
        assert_eq!(check(&row, Owner::LocalAuthority), []);
        // A baby is recorded as 1, and as a child under 16.
        assert_eq!((row.get(52), row.get(54)), ("1", "9"));
        // Two years on the register, five days short of three; £1,800.50 a month rounds to
        // £1,801.
        assert_eq!((row.get(97), row.get(119)), ("8", "1801"));
        assert_eq!((row.get(112), row.get(114), row.get(116)), ("1", "1", "3"));
        assert_eq!((row.get(103), row.get(104)), ("E1", "6AN"));
    }

    #[test]
    fn a_housing_associations_household_part_passes_cores_checks_on_its_own_fields() {
        let row = row(
            &letting(),
            Some(&household()),
            None,
            Owner::PrivateRegisteredProvider,
            &council(),
        );
        let household_failures: Vec<_> = check(&row, Owner::PrivateRegisteredProvider)
            .into_iter()
            .filter(|f| is_household_field(f.field))
            .collect();
        assert_eq!(household_failures, []);
        assert_eq!(
            (row.get(1), row.get(116), row.get(146), row.get(147)),
            ("", "", "6", "1")
        );
    }

    #[test]
    fn a_council_tenant_moving_is_an_internal_transfer() {
        let mut h = household();
        h.answers.council_tenant = true;
        h.answers.previous_tenure = Some(31);
        let row = row(
            &letting(),
            Some(&h),
            Some(&details()),
            Owner::LocalAuthority,
            &council(),
        );
        assert_eq!(row.get(116), "2");
        assert_eq!(check(&row, Owner::LocalAuthority), []);
    }

    #[test]
    fn postcodes_split_into_outward_and_inward_codes_or_not_at_all() {
        let halves = |p| postcode_halves(p).map(|(o, i)| format!("{o}|{i}"));
        assert_eq!(halves("sw1a 2aa").as_deref(), Some("SW1A|2AA"));
        assert_eq!(halves("E16AN").as_deref(), Some("E1|6AN"));
        assert_eq!(halves("6AN"), None);
        assert_eq!(halves("nowhere"), None);
        assert_eq!(halves(""), None);
    }
}
