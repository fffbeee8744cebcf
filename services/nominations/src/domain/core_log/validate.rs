//! CORE's own validations of one 2026/27 lettings row, so that an officer sees every failure,
//! by field and in CORE's words, before the log is exported. The rules, codes and messages come
//! from `docs/core-lettings-2026.md` (written from CORE's public source); section numbers below
//! refer to it.
//!
//! CORE validates in three passes and the order decides which message a field shows, so
//! [`check`] keeps it: the answer-option check, then the bulk-upload checks (ending with the
//! generic "You must answer …" check, which skips any field that already failed), then the
//! lettings-log model rules, which add at most one message to a field that has none yet (§4.6).
//!
//! Left out, because the row alone cannot decide them:
//! - organisation, user, scheme and location lookups (fields 1, 2, 3, 5, 6: existence, stock
//!   ownership, relationships, merges, activity dates, data-sharing agreement), which need
//!   CORE's database; so does the LA/PRP type of the owner, which the caller passes as [`Owner`];
//! - rent periods enabled for the managing organisation (123) and the rent ranges by local
//!   authority (hard and soft basic-rent limits on 124), which are CORE's per-organisation and
//!   per-LA tables;
//! - the nationality country list (45: "Select a valid nationality."), local-authority codes and
//!   boundaries (25, 105), postcodes or UPRNs outside England, and the Ordnance Survey address
//!   search, which need reference data we do not hold;
//! - duplicates of another row or of an existing CORE log, which need the file or CORE's logs;
//! - the start date against today (not more than 14 days ahead, collection years currently open),
//!   because a pure check must not read the clock: the exporter checks the export date;
//! - the rules about field 36 (older people's housing) beyond its answer options, and the
//!   supported-housing postcode/location match, whose 2026 wording is unconfirmed (§5).
//!
//! Where CORE silently reads bad data as something else we report it instead, because the
//! export must never change an answer: text in a coded field (CORE casts `abc` to 0, which is a
//! valid code for some questions), 0/1 flag fields holding other values, money that is not a
//! plain amount, and household members with a gap before them (CORE drops them). A row with
//! every field blank, which CORE skips, is reported too: our export never means to write one.
//! Rules that CORE applies to attributes it does not map to a field (§2.9: joint tenancy size,
//! reasonable-preference reasons) are reported on the nearest field, since CORE still refuses
//! the log.

use chrono::NaiveDate;

use super::{FIELDS, Row};

/// How hard a failure blocks the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// CORE rejects the log.
    Error,
    /// CORE's soft validation: the answer is unusual and an officer may confirm it.
    Check,
}

/// One failed rule on one field, with CORE's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub field: usize,
    pub message: String,
    pub severity: Severity,
}

impl Failure {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Who owns the let stock: CORE asks the referral question (116 or 146–148) and sets charge
/// limits by the owning organisation's provider type, which lives in CORE's database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    LocalAuthority,
    PrivateRegisteredProvider,
}

/// Field `n`'s question text as CORE words it, or "" for a number outside 1..=148.
pub fn question(n: usize) -> &'static str {
    n.checked_sub(1)
        .and_then(|i| QUESTIONS.get(i))
        .copied()
        .unwrap_or("")
}

/// Every failure of `row`, sorted by field and, within a field, in the order CORE reports them.
pub fn check(row: &Row, owner: Owner) -> Vec<Failure> {
    let c = Ctx::new(row, owner);
    let mut r = Report::default();
    option_checks(&c, &mut r);
    upload_checks(&c, &mut r);
    soft_checks(&c, &mut r);
    null_checks(&c, &mut r);
    model_checks(&c, &mut r);
    r.finish()
}

// ---------------------------------------------------------------------------------------------
// Reading the row the way CORE casts it (§2 "Cast", §4).

/// A money cell: CORE's decimal cast reads `£5` as 0, so anything but a plain amount is reported.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Money {
    Blank,
    NotNumber,
    TooPrecise,
    Pence(i64),
}

/// The sentinel CORE uses for an impossible date (`Date.new`): it fails every later check.
fn sentinel() -> NaiveDate {
    NaiveDate::from_ymd_opt(-4712, 1, 1).unwrap_or(NaiveDate::MIN)
}

struct Ctx<'a> {
    row: &'a Row,
    owner: Owner,
    gn: bool,
    sh: bool,
    renewal: bool,
    /// Index 1..=8; CORE counts a member present if any of their answers is given (§2.4).
    present: [bool; 9],
    hhmemb: usize,
    start: Option<NaiveDate>,
    void: Option<NaiveDate>,
    mrc: Option<NaiveDate>,
    uprn_invalid: bool,
}

impl<'a> Ctx<'a> {
    fn new(row: &'a Row, owner: Owner) -> Self {
        let mut c = Ctx {
            row,
            owner,
            gn: false,
            sh: false,
            renewal: false,
            present: [false; 9],
            hhmemb: 1,
            start: None,
            void: None,
            mrc: None,
            uprn_invalid: false,
        };
        c.gn = c.is(4, 1);
        c.sh = c.is(4, 2);
        c.renewal = c.is(7, 1);
        c.present[1] = true;
        for p in 2..=8 {
            let (g, _) = gender_fields(p);
            c.present[p] = [relat_field(p), age_field(p), sex_field(p), g, g + 1]
                .iter()
                .any(|&f| !c.blank(f));
        }
        c.hhmemb = c.present[1..].iter().filter(|&&p| p).count();
        c.start = c.date(8);
        c.void = c.date(30);
        c.mrc = c.date(33);
        c.uprn_invalid = c.text(18).is_some_and(|u| {
            !(1..=12).contains(&u.len()) || !u.bytes().all(|b| b.is_ascii_digit())
        });
        c
    }

    fn raw(&self, n: usize) -> &str {
        self.row.get(n)
    }

    fn blank(&self, n: usize) -> bool {
        self.raw(n).trim().is_empty()
    }

    fn text(&self, n: usize) -> Option<&str> {
        (!self.blank(n)).then(|| self.raw(n))
    }

    /// Rails' integer cast: leading digits, `abc` is 0, blank is nothing.
    fn int(&self, n: usize) -> Option<i64> {
        let t = self.text(n)?.trim_start();
        let (neg, digits) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let v = digits
            .bytes()
            .take_while(u8::is_ascii_digit)
            .fold(0i64, |v, b| {
                v.saturating_mul(10).saturating_add(i64::from(b - b'0'))
            });
        Some(if neg { -v } else { v })
    }

    fn is(&self, n: usize, v: i64) -> bool {
        self.int(n) == Some(v)
    }

    fn is_in(&self, n: usize, set: &[i64]) -> bool {
        self.int(n).is_some_and(|v| set.contains(&v))
    }

    /// Whether the text is a whole number as written (`1`, `1.0`), not something Rails would
    /// have to cut down to one.
    fn plain_int(&self, n: usize) -> bool {
        plain_int(self.raw(n).trim())
    }

    /// A 0/1 flag: blank, or written plainly as 0 or 1.
    fn flag_ok(&self, n: usize) -> bool {
        self.blank(n) || (self.plain_int(n) && self.is_in(n, &[0, 1]))
    }

    fn money(&self, n: usize) -> Money {
        let Some(t) = self.text(n) else {
            return Money::Blank;
        };
        let t = t.trim();
        let (neg, t) = t.strip_prefix('-').map_or((false, t), |rest| (true, rest));
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (t.contains('.') && frac.is_empty())
        {
            return Money::NotNumber;
        }
        if frac.len() > 2 {
            return Money::TooPrecise;
        }
        let Ok(pounds) = whole.parse::<i64>() else {
            return Money::NotNumber;
        };
        let frac_pence = match frac.len() {
            0 => 0,
            1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
            _ => frac.parse::<i64>().unwrap_or(0),
        };
        let pence = pounds.saturating_mul(100).saturating_add(frac_pence);
        Money::Pence(if neg { -pence } else { pence })
    }

    fn pence(&self, n: usize) -> Option<i64> {
        match self.money(n) {
            Money::Pence(p) => Some(p),
            _ => None,
        }
    }

    /// Day, month and year fields starting at `day`: nothing unless all three are given, and
    /// CORE's sentinel for an impossible date. A 1–2 digit year means 20xx.
    fn date(&self, day: usize) -> Option<NaiveDate> {
        let (d, m, y) = (self.int(day)?, self.int(day + 1)?, self.int(day + 2)?);
        let y = if (1..=2).contains(&y.to_string().len()) {
            y + 2000
        } else {
            y
        };
        // Ruby counts negative days and months from the end; we read them as impossible, so a
        // written "-1" is reported rather than reinterpreted.
        let ymd = (
            i32::try_from(y).ok(),
            u32::try_from(m).ok(),
            u32::try_from(d).ok(),
        );
        Some(match ymd {
            (Some(y), Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(sentinel)
            }
            _ => sentinel(),
        })
    }

    /// A member's age when given as 1–3 digits; CORE's own pattern, on the text as written.
    fn age(&self, p: usize) -> Option<i64> {
        let t = self.raw(age_field(p));
        ((1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    }

    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        (1..=8).filter(|&p| self.present[p])
    }

    fn partner(&self, p: usize) -> bool {
        p >= 2 && self.is(relat_field(p), 1)
    }

    /// Working situation as CORE holds it: a member under 16 is forced to "child under 16".
    fn ecstat(&self, p: usize) -> Option<i64> {
        if p >= 2 && self.age(p).is_some_and(|a| a < 16) {
            return Some(9);
        }
        self.int(ecstat_field(p))
    }

    fn first_let(&self) -> bool {
        self.is_in(16, &[15, 16, 17])
    }

    fn hb_received(&self) -> bool {
        self.is_in(120, &[1, 6])
    }

    fn internal_transfer(&self) -> bool {
        match self.owner {
            Owner::LocalAuthority => self.is(116, 2),
            Owner::PrivateRegisteredProvider => {
                (self.is(146, 6) && self.is(147, 3)) || (self.is(146, 7) && self.is(147, 5))
            }
        }
    }

    fn all_charges_given(&self) -> bool {
        (124..=127).all(|f| !self.blank(f))
    }

    /// The four charges as a weekly total, when all are plain amounts and the period is known.
    fn weekly_total(&self) -> Option<i64> {
        let payments = payments_per_year(self.int(123)?)?;
        let mut total = 0i64;
        for f in 124..=127 {
            total = total.saturating_add(self.pence(f)?);
        }
        Some(weekly(total, payments))
    }
}

fn plain_int(t: &str) -> bool {
    // CORE's own rent-type pattern: digits, then optionally a point and zeros.
    let (whole, rest) = t.split_once('.').unwrap_or((t, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && rest.bytes().all(|b| b == b'0')
}

fn relat_field(p: usize) -> usize {
    47 + 4 * (p - 2)
}

fn age_field(p: usize) -> usize {
    if p == 1 { 42 } else { 48 + 4 * (p - 2) }
}

fn sex_field(p: usize) -> usize {
    if p == 1 { 43 } else { 49 + 4 * (p - 2) }
}

fn ecstat_field(p: usize) -> usize {
    if p == 1 { 46 } else { 50 + 4 * (p - 2) }
}

/// (gender same as sex, gender description) for member `p`.
fn gender_fields(p: usize) -> (usize, usize) {
    let f = 130 + 2 * (p - 1);
    (f, f + 1)
}

/// Payments a year for a rent period (§3.11): CORE's weekly amount is `amount × this / 52`.
fn payments_per_year(period: i64) -> Option<i64> {
    Some(match period {
        1 => 52,
        2 => 26,
        3 => 13,
        4 => 12,
        5 => 50,
        6 => 49,
        7 => 48,
        8 => 47,
        9 => 46,
        10 => 53,
        11 => 51,
        _ => return None,
    })
}

/// Per-period pence to weekly pence, rounded half up as CORE's decimals are.
fn weekly(pence: i64, payments: i64) -> i64 {
    div_round(pence.saturating_mul(payments), 52)
}

fn div_round(n: i64, d: i64) -> i64 {
    let q = n.div_euclid(d);
    if n.rem_euclid(d) * 2 >= d { q + 1 } else { q }
}

/// How CORE words a rent period after an amount ("£120.00 every week").
fn period_words(period: i64) -> &'static str {
    match period {
        2 => "every 2 weeks",
        3 => "every 4 weeks",
        4 => "every calendar month",
        _ => "every week",
    }
}

fn income_words(freq: i64) -> &'static str {
    match freq {
        2 => "every month",
        3 => "every year",
        _ => "every week",
    }
}

/// `£1,234.50`, as CORE's currency formatting writes amounts.
fn currency(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let p = pence.unsigned_abs();
    let pounds = (p / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}£{grouped}.{:02}", p % 100)
}

// ---------------------------------------------------------------------------------------------
// Messages.

/// CORE's `format_ending`: lowercase the first letter unless the first word is all capitals,
/// and end with a full stop unless the text already ends in punctuation.
fn format_ending(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or("");
    let all_caps =
        first_word.chars().any(char::is_uppercase) && !first_word.chars().any(char::is_lowercase);
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        if all_caps {
            out.push(first);
        } else {
            out.extend(first.to_lowercase());
        }
        out.extend(chars);
    }
    let ends_punct = out.chars().last().is_some_and(|c| {
        (c.is_ascii_punctuation() && !"%(){}[]".contains(c)) || "’‘“”…".contains(c)
    });
    if !ends_punct {
        out.push('.');
    }
    out
}

fn invalid_option(n: usize) -> String {
    format!("Enter a valid value for {}", format_ending(question(n)))
}

/// The generic "not answered" message built from a check-answer label (§3.1).
fn must_answer(label: &str) -> String {
    format!("You must answer {}", format_ending(label).to_lowercase())
}

fn person_label(p: usize, lead: &str, other: &str) -> String {
    if p == 1 {
        lead.to_string()
    } else {
        format!("Person {p}{other}")
    }
}

// ---------------------------------------------------------------------------------------------
// Collecting failures in CORE's order (§4.6).

#[derive(Default)]
struct Report {
    /// Bulk-upload checks, soft checks and the null check, in CORE's order.
    after: Vec<Failure>,
    /// Answer-option errors: found first, but CORE appends them after the others.
    before: Vec<Failure>,
    /// Model errors, one per field, only where nothing else failed.
    model: Vec<Failure>,
}

impl Report {
    fn err(&mut self, field: usize, message: impl Into<String>) {
        self.after.push(Failure {
            field,
            message: message.into(),
            severity: Severity::Error,
        });
    }

    fn option(&mut self, field: usize) {
        self.before.push(Failure {
            field,
            message: invalid_option(field),
            severity: Severity::Error,
        });
    }

    fn has_after(&self, field: usize) -> bool {
        self.after.iter().any(|f| f.field == field)
    }

    fn has_any(&self, field: usize) -> bool {
        self.has_after(field)
            || self.before.iter().any(|f| f.field == field)
            || self.model.iter().any(|f| f.field == field)
    }

    /// A soft check lands on each of its fields that has no other failure yet.
    fn soft(&mut self, fields: &[usize], message: &str) {
        for &field in fields {
            if !self.has_after(field) {
                self.after.push(Failure {
                    field,
                    message: message.to_string(),
                    severity: Severity::Check,
                });
            }
        }
    }

    /// The null check: only for a question none of whose fields has failed.
    fn null(&mut self, fields: &[usize], message: &str) {
        if fields.iter().any(|&f| self.has_any(f)) {
            return;
        }
        for &field in fields {
            self.err(field, message);
        }
    }

    fn model(&mut self, fields: &[usize], message: &str) {
        for &field in fields {
            if !self.has_any(field) {
                self.model.push(Failure {
                    field,
                    message: message.to_string(),
                    severity: Severity::Error,
                });
            }
        }
    }

    fn finish(self) -> Vec<Failure> {
        let mut all = self.after;
        all.extend(self.before);
        all.extend(self.model);
        all.sort_by_key(|f| f.field);
        all
    }
}
// ---------------------------------------------------------------------------------------------
// Pass 1: answer options (§3.4). CORE checks a radio answer only on a question the log is
// routed to; a value it would cast (text, `1.7`) is reported as invalid too.

const RSNVAC: &[i64] = &[
    5, 6, 8, 9, 10, 11, 12, 13, 14, 18, 19, 20, 21, 22, 15, 16, 17,
];
const UNITLETAS: &[i64] = &[1, 2, 5, 6, 7, 8, 9, 3];
const UNITTYPE: &[i64] = &[2, 8, 1, 7, 10, 4, 9, 6];
const SHELTERED: &[i64] = &[1, 2, 7, 3, 4];
const TENANCY: &[i64] = &[4, 6, 2, 7, 8, 5, 3];
const ECSTAT_LEAD: &[i64] = &[1, 2, 7, 3, 4, 6, 8, 5, 0, 10];
const ECSTAT_OTHER: &[i64] = &[1, 2, 7, 3, 4, 6, 8, 5, 9, 0, 10];
const ARMED_FORCES: &[i64] = &[1, 4, 5, 2, 3, 6];
const LEFTREG: &[i64] = &[6, 4, 5, 3];
const YES_NO_REFUSED: &[i64] = &[1, 2, 3];
const YES_NO: &[i64] = &[1, 2];
const LAYEAR: &[i64] = &[1, 2, 7, 8, 9, 10, 11, 12, 6];
const WAITYEAR: &[i64] = &[2, 7, 8, 9, 10, 11, 12, 6];
const REASON: &[i64] = &[
    50, 51, 52, 53, 1, 2, 45, 46, 4, 55, 9, 8, 44, 16, 17, 48, 49, 56, 57, 10, 31, 11, 34, 54, 12,
    13, 14, 29, 30, 18, 19, 47, 20, 28,
];
const PREVTEN: &[i64] = &[
    30, 32, 31, 33, 35, 38, 6, 3, 27, 26, 28, 39, 14, 7, 10, 29, 19, 18, 13, 24, 37, 23, 21, 9, 4,
    25,
];
const HOMELESS: &[i64] = &[11, 1];
const HB: &[i64] = &[1, 6, 9, 3, 10];
const BENEFITS: &[i64] = &[1, 2, 3, 4];
const PERIOD: &[i64] = &[2, 3, 4, 9, 8, 7, 6, 5, 11, 1, 10];

fn option_checks(c: &Ctx, r: &mut Report) {
    let not_renewal = !c.renewal;
    let mut coded: Vec<(usize, bool, &[i64])> = vec![
        (4, true, YES_NO),
        (7, true, YES_NO),
        (16, not_renewal, RSNVAC),
        (17, not_renewal && !c.first_let(), UNITLETAS),
        (26, c.gn, UNITTYPE),
        (27, c.gn, YES_NO),
        (28, c.gn, YES_NO),
        (36, c.sh, SHELTERED),
        (37, true, YES_NO_REFUSED),
        (38, true, YES_NO),
        (39, true, TENANCY),
        (46, true, ECSTAT_LEAD),
        (75, true, ARMED_FORCES),
        (76, c.is(75, 1), LEFTREG),
        (77, c.is_in(75, &[1, 4]), YES_NO_REFUSED),
        (78, true, YES_NO_REFUSED),
        (85, true, YES_NO_REFUSED),
        (96, true, LAYEAR),
        (97, not_renewal, WAITYEAR),
        (98, true, REASON),
        (100, true, PREVTEN),
        (101, true, HOMELESS),
        (106, true, YES_NO_REFUSED),
        (118, c.is(117, 1), YES_NO_REFUSED),
        (120, true, HB),
        (121, true, BENEFITS),
        (122, c.sh, &[0, 1]),
        (123, true, PERIOD),
        (128, c.hb_received(), YES_NO_REFUSED),
        (130, true, YES_NO_REFUSED),
    ];
    for p in 2..=8 {
        let child = c.age(p).is_some_and(|a| a < 16);
        coded.push((ecstat_field(p), c.present[p] && !child, ECSTAT_OTHER));
        coded.push((gender_fields(p).0, c.present[p], YES_NO_REFUSED));
    }
    for (field, routed, options) in coded {
        if routed && !c.blank(field) && !(c.plain_int(field) && c.is_in(field, options)) {
            r.option(field);
        }
    }
    for p in c.members() {
        let f = sex_field(p);
        if c.text(f).is_some_and(|s| !["F", "M", "R"].contains(&s)) {
            r.option(f);
        }
    }
    // Flags CORE reads as "1 = selected, anything else = not"; another value is a slip.
    for field in (79..=84).chain(86..=95) {
        if !c.flag_ok(field) {
            r.option(field);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pass 2: the bulk-upload checks, in the row parser's order (§3.3, §3.4, §3.6, §3.10).

const UPRN_OR_ADDRESS: &str = "Enter either the UPRN or the full address.";

fn upload_checks(c: &Ctx, r: &mut Report) {
    // Rent type: presence, options, then CORE's number pattern, which blank also fails.
    match c.int(11) {
        None => r.err(11, "You must answer rent type."),
        Some(v) if !(1..=7).contains(&v) => r.err(11, "Enter a valid value for rent type."),
        Some(_) => {}
    }
    if c.blank(7) {
        r.err(7, "You must answer property renewal.");
    }
    for (f, part) in [(8, "day"), (9, "month"), (10, "year")] {
        if c.blank(f) {
            r.err(f, format!("You must answer tenancy start date ({part})."));
        }
    }
    if let Some(y) = c.int(10)
        && !matches!(y.to_string().len(), 2 | 4)
    {
        r.err(10, "Tenancy start year must be 2 or 4 digits.");
    }
    if c.sh {
        if c.blank(5) {
            r.err(5, "You must answer scheme code.");
        }
        if c.blank(6) {
            r.err(6, "You must answer location code.");
        }
    }
    for (f, system) in [
        (112, "Choice-Based Lettings (CBL)"),
        (113, "Common Allocation Policy (CAP)"),
        (114, "Common Housing Register (CHR)"),
        (115, "Accessible Register"),
    ] {
        if c.blank(f) {
            r.err(
                f,
                format!("You must answer was the letting made under the {system}?"),
            );
        } else if !(c.plain_int(f) && c.is_in(f, YES_NO)) {
            r.err(
                f,
                format!("Enter a valid value for was the letting made under the {system}?"),
            );
        }
    }
    for p in 1..=8 {
        let t = c.raw(age_field(p));
        let ok = t == "R" || ((1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()));
        if c.present[p] && !ok {
            r.err(
                age_field(p),
                format!("Age of person {p} must be a number or the letter R"),
            );
        }
    }
    if c.blank(4) {
        r.err(4, "You must answer needs type.");
    }
    if !plain_int(c.raw(11)) {
        r.err(11, "Enter a number for rent type.");
    }
    if let Some(start) = c.start {
        let first = NaiveDate::from_ymd_opt(2026, 4, 1);
        let last = NaiveDate::from_ymd_opt(2027, 3, 31);
        if first.is_some_and(|f| start < f) || last.is_some_and(|l| start > l) {
            for f in 8..=10 {
                r.err(
                    f,
                    "Enter a date within the 2026/27 collection year, which is between 1st April 2026 and 31st March 2027.",
                );
            }
        }
    }
    if c.renewal && !c.is_in(98, &[50, 51, 52, 53]) {
        r.err(
            98,
            "The reason for leaving must be \"End of social or private sector tenancy - no fault\", \"End of social or private sector tenancy - evicted due to anti-social behaviour (ASB)\", \"End of social or private sector tenancy - evicted due to rent arrears\" or \"End of social or private sector tenancy - evicted for any other reason\".",
        );
    }
    housing_needs(c, r);
    reasonable_preference(c, r);
    condition_effects(c, r);
    referral(c, r);
    charges_given(c, r);
    address(c, r);
    for f in 107..=111 {
        if !c.flag_ok(f) {
            // CORE lowercases the first letter here but adds no full stop.
            let q = question(f);
            let mut chars = q.chars();
            let text: String = chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            r.err(f, format!("Enter a valid value for {text}"));
        }
    }
    if c.renewal && !c.blank(100) && !c.is_in(100, &[6, 30, 31, 32, 33, 34, 35, 38]) {
        r.err(
            100,
            "You said this letting is a renewal to the same tenant in the same property in the set up section. This means where the household was immediately before this letting must be \"Fixed-term local authority general needs tenancy\", \"Fixed-term private registered provider (PRP) general needs tenancy\", \"Lifetime local authority general needs tenancy\", \"Lifetime private registered provider (PRP) general needs tenancy\", \"Extra care housing\", \"Older people's housing for tenants with low support needs\" or \"Other supported housing.\"",
        );
    }
    contiguous_members(c, r);
}

fn housing_needs(c: &Ctx, r: &mut Report) {
    let one = |f: usize| c.is(f, 1);
    if [79, 80, 81].iter().filter(|&&f| one(f)).count() > 1 {
        for f in [79, 80, 81].into_iter().filter(|&f| one(f)) {
            r.err(
                f,
                "Only one disabled access need: fully wheelchair-accessible housing, wheelchair access to essential rooms or level access housing, can be selected.",
            );
        }
    }
    let any_need = (79..=82).any(one);
    if one(83) && any_need {
        for f in [83, 79, 80, 81, 82].into_iter().filter(|&f| one(f)) {
            r.err(
                f,
                "No disabled access needs can’t be selected if you have selected fully wheelchair-accessible housing, wheelchair access to essential rooms, level access housing or other disabled access needs.",
            );
        }
    }
    if one(84) && any_need {
        for f in [84, 79, 80, 81, 82].into_iter().filter(|&f| one(f)) {
            r.err(
                f,
                "Don’t know disabled access needs can’t be selected if you have selected fully wheelchair-accessible housing, wheelchair access to essential rooms, level access housing or other disabled access needs.",
            );
        }
    }
    if one(83) && one(84) {
        for f in [83, 84] {
            r.err(
                f,
                "No disabled access needs and don’t know disabled access needs cannot be selected together.",
            );
        }
    }
    if (79..=84).all(|f| c.blank(f)) {
        r.err(83, "You must answer anybody with disabled access needs.");
        r.err(82, "You must answer other access needs.");
        for f in [79, 80, 81] {
            r.err(f, "You must answer disabled access needs type.");
        }
    }
}

fn reasonable_preference(c: &Ctx, r: &mut Report) {
    if c.is(106, 1) && (107..=111).all(|f| c.blank(f)) {
        for f in 107..=111 {
            r.err(f, "You must answer reason for reasonable preference.");
        }
    }
    if c.is(106, 1) && c.is(111, 1) && (107..=110).any(|f| c.is(f, 1)) {
        r.err(
            111,
            "You cannot select 'Don't know' if any of the other reasonable preference reasons are also selected.",
        );
        for f in (107..=110).filter(|&f| c.is(f, 1)) {
            r.err(
                f,
                "You cannot select this reasonable preference reason as you've also selected 'Don't know' as a reason.",
            );
        }
    }
}

/// Fields 86–95 in CORE's order (illness_type_1 to 10).
const CONDITION_FIELDS: [usize; 10] = [94, 88, 91, 86, 87, 89, 90, 93, 92, 95];

fn condition_effects(c: &Ctx, r: &mut Report) {
    if !c.is(85, 1) {
        for f in CONDITION_FIELDS.into_iter().filter(|&f| c.is(f, 1)) {
            r.err(
                f,
                "You cannot answer this question as you told us nobody in the household has a physical or mental health condition (or other illness) expected to last 12 months or more.",
            );
        }
    } else if CONDITION_FIELDS.iter().all(|&f| c.blank(f)) {
        for f in CONDITION_FIELDS {
            r.err(
                f,
                "You must answer how is person affected by condition or illness.",
            );
        }
    }
}

fn referral(c: &Ctx, r: &mut Report) {
    if c.renewal {
        return;
    }
    let set = |f: usize, codes: &[i64]| c.plain_int(f) && c.is_in(f, codes);
    let register = match c.owner {
        Owner::LocalAuthority => set(116, &[1, 2, 3, 4]) && c.blank(146),
        Owner::PrivateRegisteredProvider => c.blank(116) && set(146, &[5, 6, 7, 8, 9]),
    };
    let noms = if c.is(146, 6) {
        set(147, &[1, 2, 3, 4])
    } else if c.is(146, 7) {
        set(147, &[5, 6, 7, 8])
    } else {
        c.blank(147)
    };
    let org = if c.is(147, 1) {
        set(148, &(1..=10).collect::<Vec<_>>())
    } else if c.is(147, 7) {
        set(148, &(11..=20).collect::<Vec<_>>())
    } else {
        c.blank(148)
    };
    if !(register && noms && org) {
        for f in [116, 146, 147, 148] {
            r.err(
                f,
                "Your answers for each part of \"What is the source of referral for this letting?\" are incompatible with each other. Use the bulk upload specification or paper form to see which combinations are valid (available from ‘Collection resources’ on the homepage).",
            );
        }
    }
}

fn charges_given(c: &Ctx, r: &mut Report) {
    // CORE skips this for supported housing when the basic rent is exactly 1 (§3.11).
    if c.sh && c.pence(124) == Some(100) {
        return;
    }
    let names = [
        (124, "basic rent"),
        (125, "service charge"),
        (126, "personal service charge"),
        (127, "support charge"),
    ];
    if names.iter().all(|&(f, _)| !c.blank(f)) {
        return;
    }
    for &(f, name) in &names {
        if c.blank(f) {
            r.err(
                f,
                format!("Please enter the {name}. If there is no {name}, please enter '0'."),
            );
        }
    }
    for &(f, _) in &names {
        if !c.blank(f) {
            r.err(
                f,
                "You must enter all these fields: basic rent, service charge, personal service charge and support charge. Please enter ‘0' for any types of charges that you don’t issue.",
            );
        }
    }
}

fn address(c: &Ctx, r: &mut Report) {
    let postcode_given = !c.blank(23) || !c.blank(24);
    if c.blank(18) && !(!c.blank(19) && !c.blank(21) && postcode_given) {
        for f in [19, 21, 23, 24] {
            if c.blank(f) {
                r.err(f, UPRN_OR_ADDRESS);
            }
        }
        r.err(18, UPRN_OR_ADDRESS);
    }
    if c.blank(18) || c.uprn_invalid {
        for (f, name) in [
            (19, "address line 1"),
            (21, "town or city"),
            (23, "part 1 of postcode"),
            (24, "part 2 of postcode"),
        ] {
            if c.blank(f) && !r.has_after(f) {
                r.err(f, format!("You must answer {name}."));
            }
        }
    }
}

/// CORE counts members but asks only persons 2..household size, so a member after a gap is
/// silently dropped: we stop the export instead (our own message; CORE has none).
fn contiguous_members(c: &Ctx, r: &mut Report) {
    for p in 3..=8 {
        if c.present[p]
            && let Some(gap) = (2..p).find(|&q| !c.present[q])
        {
            r.err(
                age_field(p),
                format!(
                    "Person {p}’s details are given but person {gap}’s are not. Give household members in order, with no gaps."
                ),
            );
        }
    }
}
// ---------------------------------------------------------------------------------------------
// Soft validations (§3.13): CORE raises each as a "check this answer" on the questions involved.

fn soft_checks(c: &Ctx, r: &mut Report) {
    for p in c.members() {
        let (Some(age), Some(ecstat)) = (c.age(p), c.ecstat(p)) else {
            continue;
        };
        let fields = [age_field(p), ecstat_field(p)];
        if ecstat == 5 && age < 66 {
            r.soft(
                &fields,
                &format!(
                    "You told us this person is aged {age} years and retired. The minimum expected retirement age in England is 66."
                ),
            );
        } else if age > 66 && ecstat != 5 && ecstat != 10 {
            r.soft(
                &fields,
                "You told us this person is over 66 and not retired. Are you sure this person isn’t retired?",
            );
        }
    }
    for p in (2..=8).filter(|&p| c.present[p] && c.partner(p)) {
        if let Some(age) = c.age(p).filter(|&a| a < 16) {
            r.soft(
                &[age_field(p), relat_field(p)],
                &format!(
                    "You told us this person is aged {age} years and has 'Partner' relationship to the lead tenant. Are you sure this is correct?"
                ),
            );
        }
    }
    let partners: Vec<usize> = (2..=8)
        .filter(|&p| c.present[p] && c.partner(p))
        .map(relat_field)
        .collect();
    if partners.len() > 1 {
        r.soft(
            &partners,
            "You told us there are more than 1 persons with 'Partner' relationship to the lead tenant. Are you sure this is correct?",
        );
    }
    pregnancy(c, r);
    if c.is(98, 20)
        && let Some(other) = c.text(99)
        && looks_like_a_category(other)
    {
        r.soft(
            &[98, 99],
            &format!(
                "You told us that the tenant’s main reason for leaving their last settled home was {other}. The reason you have entered looks very similar to one of the existing response categories. Please check the categories and select the appropriate one. If the existing categories are not suitable, please confirm here to move onto the next question."
            ),
        );
    }
    if c.gn && c.is(147, 2) {
        r.soft(
            &[147],
            "Are you sure? This is a general needs log, and this referral type is for supported housing.",
        );
    }
    if let Some((weekly_income, range)) = income_against_range(c)
        && let Some(freq) = c.int(118)
        && let Some(earnings) = c.pence(119)
    {
        let (soft_min, soft_max, hard_min, hard_max) = range;
        let higher_or_lower = if (soft_max + 1..=hard_max).contains(&weekly_income) {
            Some("higher")
        } else if (hard_min..soft_min).contains(&weekly_income) {
            Some("lower")
        } else {
            None
        };
        if let Some(word) = higher_or_lower {
            r.soft(
                &[119],
                &format!(
                    "You told us that the household’s income is {} {}. This is {word} than we would expect for the household’s working situation.",
                    currency(div_round(earnings, 100) * 100),
                    income_words(freq)
                ),
            );
        }
    }
    charge_soft_checks(c, r);
    if let (Some(start), Some(void)) = (c.start, c.void)
        && (730..=7300).contains(&(start - void).num_days())
    {
        r.soft(
            &[30, 31, 32],
            "You told us that the property has been vacant for more than 2 years. This is longer than we would expect.",
        );
    }
    if let (Some(start), Some(mrc)) = (c.start, c.mrc)
        && (730..=7300).contains(&(start - mrc).num_days())
    {
        r.soft(
            &[33, 34, 35],
            "You told us the property has been vacant for 2 years. This is longer than we would expect.",
        );
    }
    let sick: Vec<usize> = c
        .members()
        .filter(|&p| c.ecstat(p) == Some(8))
        .map(ecstat_field)
        .collect();
    if !sick.is_empty() && c.is(85, 2) {
        let mut fields = vec![85];
        fields.extend(sick);
        r.soft(
            &fields,
            "You have said that at least one person's situation is 'Unable to work because of long-term sickness or disability'. You also told us there is no-one in the household with a long-lasting health condition.",
        );
    }
}

fn pregnancy(c: &Ctx, r: &mut Report) {
    if !c.is(78, 1) {
        return;
    }
    let sexes: Vec<&str> = c.members().map(|p| c.raw(sex_field(p)).trim()).collect();
    let mut fields = vec![78];
    fields.extend(c.members().map(sex_field));
    if sexes.iter().all(|&s| s == "M") {
        r.soft(
            &fields,
            "You told us somebody in the household is pregnant. You also told us that all the tenants living at the property are male.",
        );
        return;
    }
    let all_known = c
        .members()
        .all(|p| c.age(p).is_some() && ["F", "M"].contains(&c.raw(sex_field(p)).trim()));
    let female_ages: Vec<i64> = c
        .members()
        .filter(|&p| c.raw(sex_field(p)).trim() == "F")
        .filter_map(|p| c.age(p))
        .collect();
    if all_known && !female_ages.is_empty() && !female_ages.iter().any(|a| (16..=50).contains(a)) {
        fields.extend(c.members().map(age_field));
        r.soft(
            &fields,
            "You told us somebody in the household is pregnant. You also told us that any female tenants living at the property are in the following age ranges:<ul><li>under 16 years old</li><li>over 50 years old</li></ul>",
        );
    }
}

/// Words that suggest an "other" reason for leaving is one of CORE's categories (§3.13).
const CATEGORY_WORDS: &[&str] = &[
    "decant",
    "decanted",
    "refugee",
    "asylum",
    "ukraine",
    "ukrainian",
    "army",
    "military",
    "domestic abuse",
    "domestic violence",
    "da",
    "dv",
    "relationship breakdown",
    "overcrowding",
    "overcrowded",
    "too small",
    "more space",
    "bigger property",
    "damp",
    "mould",
    "fire",
    "repossession",
    "death",
    "deceased",
    "passed away",
    "prison",
    "hospital",
];

/// Whole-word, case-insensitive match, so "DA" does not fire on "daughter".
fn looks_like_a_category(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    CATEGORY_WORDS.iter().any(|phrase| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(parts.len())
            .any(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
    })
}

fn charge_soft_checks(c: &Ctx, r: &mut Report) {
    let (Some(period), Some(payments)) = (c.int(123), c.int(123).and_then(payments_per_year))
    else {
        return;
    };
    let la = c.owner == Owner::LocalAuthority;
    // (field, name, soft max GN LA/PRP, soft max SH LA/PRP), weekly pounds; hard maxima follow.
    let limits = [
        (125, "service charge", (25, 35), (100, 200)),
        (126, "personal service charge", (25, 35), (75, 100)),
        (127, "support charge", (25, 35), (75, 85)),
    ];
    for (field, name, gn, sh) in limits {
        let Some(amount) = c.pence(field) else {
            continue;
        };
        let pick = |(l, p): (i64, i64)| if la { l } else { p };
        let soft_max = pick(if c.sh { sh } else { gn }) * 100;
        let hard_max = charge_hard_max(field, la) * 100;
        let week = weekly(amount, payments);
        if week > soft_max && week <= hard_max {
            r.soft(
                &[field],
                &format!(
                    "You told us the {name} is {} {}. This is higher than we would expect.",
                    currency(amount),
                    period_words(period)
                ),
            );
        }
    }
}

/// Weekly pounds CORE allows for a charge by owner type (§3.11), the same for GN and SH.
fn charge_hard_max(field: usize, la: bool) -> i64 {
    match (field, la) {
        (125, true) => 500,
        (125, false) => 800,
        (126, true) => 200,
        (126, false) => 700,
        (_, true) => 200,
        (_, false) => 800,
    }
}

/// Weekly (soft min, soft max, hard min, hard max) income in pounds for a working situation.
fn income_range(ecstat: i64) -> Option<(i64, i64, i64, i64)> {
    Some(match ecstat {
        1 => (143, 730, 90, 1230),
        2 => (67, 620, 50, 950),
        3 => (80, 480, 40, 990),
        4 => (50, 370, 10, 450),
        5 => (50, 380, 10, 1000),
        6 => (53, 540, 10, 890),
        7 => (47, 460, 10, 1300),
        8 => (54, 460, 10, 2000),
        9 => (50, 450, 10, 750),
        0 => (50, 580, 10, 1040),
        10 => (47, 730, 10, 2000),
        _ => return None,
    })
}

/// The household's weekly income in whole pounds and the household's summed range (§3.11).
fn income_against_range(c: &Ctx) -> Option<(i64, (i64, i64, i64, i64))> {
    let earnings = div_round(c.pence(119)?, 100);
    let weekly_income = match c.int(118)? {
        1 => earnings,
        2 => div_round(earnings * 12, 52),
        3 => div_round(earnings, 52),
        _ => return None,
    };
    let mut total = income_range(c.ecstat(1)?)?;
    for p in (2..=8).filter(|&p| c.present[p]) {
        let ecstat = match c.ecstat(p) {
            Some(e) => e,
            None if c.age(p).is_some_and(|a| a < 16) => 9,
            None => 10,
        };
        let (a, b, cc, d) = income_range(ecstat)?;
        total = (total.0 + a, total.1 + b, total.2 + cc, total.3 + d);
    }
    Some((weekly_income, total))
}
// ---------------------------------------------------------------------------------------------
// The generic null check (§3.3): each question the row is routed to must be answered, with the
// check-answer label as CORE words it.

fn null_checks(c: &Ctx, r: &mut Report) {
    let not_renewal = !c.renewal;
    let fixed_term = c.is_in(39, &[4, 6]);
    let mut need: Vec<(Vec<usize>, bool, String)> = vec![
        (vec![12], c.is(11, 6), "Product name".into()),
        (vec![26], c.gn, "Type of unit".into()),
        (vec![27], c.gn, "Type of building".into()),
        (
            vec![28],
            c.gn,
            "Property built or adapted to wheelchair-user standards".into(),
        ),
        (vec![29], c.gn && !c.is(26, 2), "Number of bedrooms".into()),
        (vec![37], true, "Joint tenancy".into()),
        (vec![38], true, "Starter or introductory tenancy".into()),
        (
            vec![39],
            true,
            if c.is(38, 1) {
                "Type of main tenancy after the starter or introductory period has ended"
            } else {
                "Type of main tenancy"
            }
            .into(),
        ),
        (vec![41], fixed_term, "Length of fixed-term tenancy".into()),
        (vec![44], true, "Lead tenant’s ethnic group".into()),
        (vec![45], true, "Lead tenant’s nationality".into()),
    ];
    for p in c.members() {
        if p >= 2 {
            need.push((
                vec![relat_field(p)],
                true,
                format!("Person {p} lead tenant’s partner"),
            ));
        }
        need.push((
            vec![sex_field(p)],
            true,
            person_label(
                p,
                "Lead tenant’s sex registered at birth",
                "’s sex registered at birth",
            ),
        ));
        need.push((
            vec![ecstat_field(p)],
            c.ecstat(p) != Some(9) || p == 1,
            person_label(p, "Lead tenant’s working situation", "’s working situation"),
        ));
    }
    need.extend([
        (vec![75], true, "Household links to UK armed forces".into()),
        (
            vec![76],
            c.is(75, 1),
            "Person still serving in UK armed forces".into(),
        ),
        (
            vec![77],
            c.is_in(75, &[1, 4]),
            "Person seriously injured or ill as result of serving in UK armed forces".into(),
        ),
        (vec![78], true, "Anybody in household pregnant".into()),
        (
            vec![85],
            true,
            "Anybody in household with physical or mental health condition".into(),
        ),
        (
            vec![96],
            true,
            "Length of time in local authority area".into(),
        ),
        (
            vec![97],
            not_renewal,
            "Length of time on local authority waiting list".into(),
        ),
        (
            vec![98],
            true,
            "Reason for leaving last settled home".into(),
        ),
        (vec![99], c.is(98, 20), "What is the reason?".into()),
        (
            vec![100],
            true,
            "Where household was immediately before this letting".into(),
        ),
        (
            vec![101],
            true,
            "Household homeless immediately before letting".into(),
        ),
        (
            vec![102],
            not_renewal,
            "Postcode of the household’s last settled accommodation".into(),
        ),
        (
            vec![103, 104],
            not_renewal && c.is(102, 1),
            "Postcode of household’s last settled accommodation".into(),
        ),
        (
            vec![106],
            true,
            "Household given reasonable preference".into(),
        ),
        (
            vec![117],
            true,
            "Household’s combined total income after tax".into(),
        ),
        (
            vec![118],
            c.is(117, 1),
            "How often the household receives this amount".into(),
        ),
        (vec![119], c.is(117, 1), "Total household income".into()),
        (vec![120], true, "Housing related benefits received".into()),
        (
            vec![121],
            true,
            "Household income from Universal Credit, state pension or benefit".into(),
        ),
        (
            vec![122],
            c.sh,
            "Does the household pay rent or charges".into(),
        ),
        (
            vec![123],
            true,
            "Frequency of household rent and charges".into(),
        ),
        (
            vec![128],
            c.hb_received(),
            "Any outstanding amount for basic rent and charges".into(),
        ),
        (
            vec![129],
            c.hb_received() && c.is(128, 1),
            "Estimated outstanding amount".into(),
        ),
    ]);
    for p in c.members() {
        let (same, description) = gender_fields(p);
        need.push((
            vec![same],
            true,
            person_label(
                p,
                "Lead tenant’s gender identity same as sex registered at birth",
                "’s gender identity same as sex registered at birth",
            ),
        ));
        need.push((
            vec![description],
            c.is(same, 2),
            "Gender identity description".into(),
        ));
    }
    if not_renewal {
        need.push((vec![16], true, "Vacancy reason".into()));
        need.push((vec![17], !c.first_let(), "Most recent let type".into()));
        need.push((vec![30, 31, 32], c.void.is_none(), "Void date".into()));
    }
    need.sort_by_key(|(fields, _, _)| fields.first().copied().unwrap_or(0));
    for (fields, routed, label) in need {
        // A field counts as answered when CORE can read it: invalid partner, ethnic,
        // postcode-known and income-known codes become blank (§3.4).
        let answered = fields.iter().all(|&f| match f {
            44 => c.is_in(
                44,
                &[
                    1, 2, 3, 18, 20, 4, 5, 6, 7, 8, 9, 10, 11, 15, 12, 13, 14, 16, 19, 17,
                ],
            ),
            102 => c.is_in(102, YES_NO),
            // CORE joins the halves, so one half counts as an (ill-formed) answer.
            103 | 104 => !c.blank(103) || !c.blank(104),
            117 => c.is_in(117, YES_NO_REFUSED),
            f if (47..=71).contains(&f) && (f - 47) % 4 == 0 => c.is_in(f, YES_NO_REFUSED),
            30..=32 => c.void.is_some(),
            f => !c.blank(f),
        });
        if routed && !answered {
            r.null(&fields, &must_answer(&label));
        }
    }
    if !c.is(15, 1) && !r.has_any(15) {
        r.err(
            15,
            "You must show or give the tenant access to the MHCLG privacy notice before you can submit this log.",
        );
    }
}
// ---------------------------------------------------------------------------------------------
// Pass 3: the lettings-log model rules (§3.5–§3.11), each on fields with no failure yet.

const POSTCODE_FORMAT: &str = "Enter a postcode in the correct format, for example AA1 1AA.";

/// A UK postcode as CORE accepts it: outward code, optional space, inward code.
fn valid_postcode(outward: &str, inward: &str) -> bool {
    let full: String = format!("{outward}{inward}")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = full.as_bytes();
    if !(5..=7).contains(&b.len()) {
        return false;
    }
    let (out, inw) = b.split_at(b.len() - 3);
    let letters = out.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &out[letters..];
    (1..=2).contains(&letters)
        && rest.first().is_some_and(u8::is_ascii_digit)
        && rest.len() <= 2
        && rest.iter().all(u8::is_ascii_alphanumeric)
        && inw[0].is_ascii_digit()
        && inw[1..].iter().all(u8::is_ascii_alphabetic)
}

fn money_label(field: usize) -> &'static str {
    match field {
        119 => "Total household income",
        124 => "Basic rent",
        125 => "Service charge",
        126 => "Personal service charge",
        127 => "Support charge",
        _ => "Estimated outstanding amount",
    }
}

fn model_checks(c: &Ctx, r: &mut Report) {
    for f in [119, 124, 125, 126, 127, 129] {
        match c.money(f) {
            Money::NotNumber => r.model(&[f], &format!("{} must be a number.", money_label(f))),
            Money::TooPrecise => r.model(
                &[f],
                &format!("{} must be given to the nearest hundredth.", money_label(f)),
            ),
            Money::Pence(p) if p < 0 && f != 129 => r.model(&[f], "Enter an amount above 0."),
            _ => {}
        }
    }
    if c.uprn_invalid {
        r.model(&[18], "UPRN must be 12 digits or less.");
    }
    if (!c.blank(23) || !c.blank(24)) && !valid_postcode(c.raw(23), c.raw(24)) {
        r.model(&[25, 23, 24], POSTCODE_FORMAT);
    }
    dates(c, r);
    property(c, r);
    tenancy(c, r);
    household(c, r);
    situation(c, r);
    income(c, r);
    rent(c, r);
}

fn dates(c: &Ctx, r: &mut Report) {
    let Some(start) = c.start else {
        return;
    };
    let twenty_years = 7300;
    if !c.renewal
        && let Some(void) = c.void
    {
        if void > start {
            r.model(
                &[30, 31, 32],
                "Enter a void date that is before the tenancy start date.",
            );
            r.model(
                &[8, 9, 10],
                "Enter a tenancy start date that is after the void date.",
            );
        } else if (start - void).num_days() > twenty_years {
            r.model(
                &[30, 31, 32],
                "Enter a void date no more than 20 years before the tenancy start date.",
            );
            r.model(
                &[8, 9, 10],
                "Enter a tenancy start date that is no more than 20 years after the void date.",
            );
        }
    }
    let Some(mrc) = c.mrc.filter(|_| !c.renewal) else {
        return;
    };
    if c.first_let() {
        r.model(
            &[33, 34, 35],
            "Major repairs date must not be completed if the tenancy is a first let.",
        );
    }
    if mrc > start {
        r.model(
            &[33, 34, 35],
            "Enter a major repairs date that is before the tenancy start date.",
        );
        r.model(
            &[8, 9, 10],
            "Enter a tenancy start date that is after the major repair date.",
        );
    } else if (start - mrc).num_days() > twenty_years {
        r.model(
            &[33, 34, 35],
            "Enter a major repairs completion date that is no more than 20 years before the tenancy start date.",
        );
        r.model(
            &[8, 9, 10],
            "Enter a tenancy start date that is no more than 20 years after the major repairs completion date.",
        );
    }
    if let Some(void) = c.void
        && mrc < void
    {
        r.model(
            &[30, 31, 32],
            "Void date must be before the major repairs date if provided.",
        );
        r.model(
            &[33, 34, 35],
            "Major repairs date must be after the void date if provided.",
        );
    }
}

fn property(c: &Ctx, r: &mut Report) {
    if c.gn && !c.is(26, 2) && !c.blank(29) {
        if !c.plain_int(29) {
            r.model(&[29], "Number of bedrooms must be a whole number.");
        } else if !c.int(29).is_some_and(|b| (1..=12).contains(&b)) {
            r.model(&[29], "Number of bedrooms must be between 1 and 12.");
        }
        if c.is_in(26, &[4, 9, 10])
            && let Some(beds) = c.int(29)
        {
            if !(1..=7).contains(&beds) {
                r.model(&[26, 29], "A shared house must have 1 to 7 bedrooms.");
            } else if c.hhmemb == 1 && beds > 3 {
                r.model(
                    &[26, 29],
                    "A shared house with fewer than two tenants must have 1 to 3 bedrooms.",
                );
            }
        }
    }
    if !c.renewal && c.is(16, 9) && c.is_in(100, &[4, 6, 8, 24, 25, 34, 35]) {
        r.model(
            &[16],
            "Answer cannot be re-let to tenant who occupied the same property as temporary accommodation as this accommodation is not temporary.",
        );
        r.model(
            &[100],
            "Answer cannot be non-temporary accommodation as this is a re-let to a tenant who occupied the same property as temporary accommodation.",
        );
    }
    if c.is(7, 2) && c.is(16, 14) {
        r.model(
            &[16],
            "Reason for vacancy cannot be 'Renewal of fixed-term tenancy' if letting is not a renewal.",
        );
    }
}

fn tenancy(c: &Ctx, r: &mut Report) {
    if !c.blank(41) {
        let length = c.int(41).filter(|_| c.plain_int(41));
        let within = |min: i64| length.is_some_and(|l| (min..=99).contains(&l));
        if c.is_in(39, &[4, 6]) {
            let (min, fields): (i64, &[usize]) = if c.sh {
                (1, &[41, 39, 4])
            } else if c.is_in(11, &[4, 5, 6]) {
                (1, &[41, 39, 4, 11])
            } else {
                (2, &[41, 39, 4, 11])
            };
            if !within(min) {
                r.model(
                    fields,
                    &format!(
                        "Enter a tenancy length between {min} and 99 years for a tenancy of this type."
                    ),
                );
            }
        } else if c.is(39, 8) {
            if !within(1) {
                r.model(
                    &[41, 39],
                    "Enter a tenancy length between 1 and 99 years (or don't specify the length) for a tenancy of this type.",
                );
            }
        } else if !c.blank(39) {
            r.model(
                &[41, 39],
                "You must only answer the length of the tenancy if it's fixed-term.",
            );
        } else if !length.is_some_and(|l| (0..=150).contains(&l)) {
            r.model(
                &[41],
                "Length of fixed-term tenancy must be between 0 and 150.",
            );
        }
    }
    if c.is(39, 3) && c.blank(40) {
        r.model(
            &[39, 40],
            "If tenancy type is other then other tenancy type must be provided.",
        );
    }
    if !c.blank(40) && !c.is(39, 3) {
        r.model(
            &[40],
            "other tenancy type must not be provided if tenancy type was not other.",
        );
    }
    if c.is(37, 1) && c.hhmemb == 1 {
        r.model(
            &[37],
            "This cannot be a joint tenancy as you've told us there's only one person in the household.",
        );
    }
}

fn household(c: &Ctx, r: &mut Report) {
    if c.age(1).is_some_and(|a| !(16..=120).contains(&a)) {
        r.model(&[42], "Lead tenant’s age must be between 16 and 120.");
    }
    for p in (2..=8).filter(|&p| c.present[p]) {
        let Some(age) = c.age(p) else { continue };
        if !(1..=120).contains(&age) {
            r.model(
                &[age_field(p)],
                &format!("Person {p}’s age must be between 1 and 120."),
            );
        }
        if age > 16 && c.is(ecstat_field(p), 9) {
            r.model(
                &[ecstat_field(p)],
                &format!("Answer cannot be ‘child under 16‘ as you told us the person {p} is older than 16."),
            );
            r.model(
                &[age_field(p)],
                &format!("Answer cannot be over 16 as person’s {p} working situation is ‘child under 16‘."),
            );
        }
    }
    if c.is(100, 13) && c.age(1).is_some_and(|a| a > 25) {
        r.model(
            &[100],
            "Answer cannot be a children’s home or foster care as the lead tenant is 26 or older.",
        );
        r.model(
            &[42],
            "The lead tenant must be under 26 as you told us their housing situation immediately before this letting was a children’s home or foster care.",
        );
    }
    if !c.blank(77) && c.is_in(75, &[2, 3]) {
        r.model(
            &[77],
            "You cannot answer this question as you told us the person has not served in the UK armed forces or prefers not to say.",
        );
    }
    if !c.blank(76) && !c.is(75, 1) {
        r.model(
            &[76],
            "You cannot answer whether the person is still serving in the UK armed forces as you told us they’re not a current or former regular.",
        );
    }
    // CORE maps this housing-needs error to the pregnancy field (§2.9), so it lands on 78.
    let needs_yes = !c.is(83, 1) && !c.is(84, 1);
    if needs_yes && !(79..=82).any(|f| c.is(f, 1)) {
        r.model(
            &[78],
            "If somebody in the household has disabled access needs, they must have the access needs listed, or other access needs.",
        );
    }
}

/// Labels of previous situations that cannot precede an internal transfer (§3.10).
fn prevten_label(code: i64) -> Option<&'static str> {
    Some(match code {
        3 => "Private sector tenancy",
        4 => "Tied housing or rented with job",
        7 => "Direct access hostel",
        10 => "Hospital",
        13 => "Children’s home or foster care",
        14 => "Bed and breakfast",
        19 => "Rough sleeping",
        23 => "Mobile home or caravan",
        24 => "Home Office Asylum Support",
        25 => "Any other accommodation",
        26 => "Owner occupation (private)",
        27 => "Owner occupation (low-cost home ownership)",
        28 => "Living with friends or family (long-term)",
        29 => "Prison or approved probation hostel",
        _ => return None,
    })
}

/// "Other" reasons that only say the household was homeless, which CORE refuses (§3.10).
fn only_homelessness(text: &str) -> bool {
    let words: String = text
        .chars()
        .map(|c| {
            if c.is_alphabetic() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    [
        "homeless",
        "homelessness",
        "temporary accommodation",
        "temp accommodation",
        "ta",
        "sleeping rough",
        "rough sleeping",
    ]
    .contains(&words.as_str())
}

fn situation(c: &Ctx, r: &mut Report) {
    if c.is(98, 20) {
        if c.blank(99) {
            r.model(
                &[98, 99],
                "If reason is other then reasonother must be provided.",
            );
        } else if only_homelessness(c.raw(99)) {
            r.model(
                &[98],
                "Please give the reason for the tenant leaving their last settled home. This is where they were living before they became homeless, were living in temporary accommodation or sleeping rough.",
            );
        }
    }
    if c.internal_transfer() && !c.renewal {
        if let Some(label) = c.int(100).and_then(prevten_label) {
            r.model(
                &[100],
                &format!("Answer cannot be {label} as this tenancy is an internal transfer."),
            );
        } else if c.owner == Owner::PrivateRegisteredProvider && c.is_in(100, &[30, 31]) {
            r.model(
                &[100],
                "Answer cannot be a fixed-term or lifetime local authority general needs tenancy as it’s an internal transfer and a private registered provider is on the tenancy agreement.",
            );
        }
    }
    if c.renewal && c.is(96, 1) {
        r.model(
            &[96],
            "The household cannot have just moved to the local authority area if this letting is a renewal",
        );
        r.model(
            &[7],
            "This letting cannot be a renewal if the household has just moved to the local authority area",
        );
    }
    if c.is(96, 1)
        && let (Some(la), Some(previous)) = (c.text(25), c.text(105))
        && la.trim().eq_ignore_ascii_case(previous.trim())
    {
        r.model(
            &[96],
            "You told us this tenant previously lived in this local authority. Check your answers are correct.",
        );
        r.model(
            &[25, 23, 24, 18, 19],
            "You told us the tenant had just moved into the local authority, but this location is in the same local authority. Check your answers are correct",
        );
        r.model(
            &[103, 104, 105],
            "The local authority of the previous property should not be the same as the current local authority, as you told us they had just moved to the local authority area. Check your answers are correct.",
        );
    }
    if !c.renewal
        && c.is(102, 1)
        && (!c.blank(103) || !c.blank(104))
        && !valid_postcode(c.raw(103), c.raw(104))
    {
        r.model(&[103, 104, 102], POSTCODE_FORMAT);
    }
    if !c.is(106, 1) {
        // CORE holds this on an attribute it maps to no field; the selected reasons carry it.
        let selected: Vec<usize> = (107..=111).filter(|&f| c.is(f, 1)).collect();
        r.model(
            &selected,
            "Do not enter a reason if you've answered 'no' to reasonable preference.",
        );
    }
}

fn income(c: &Ctx, r: &mut Report) {
    match (c.blank(118), c.blank(119)) {
        (true, false) => r.model(
            &[118, 119],
            "Select how often the household receives income.",
        ),
        (false, true) => r.model(
            &[119, 118],
            "Enter how much income the household has in total.",
        ),
        _ => {}
    }
    if let Some((weekly_income, (_, _, hard_min, hard_max))) = income_against_range(c)
        && let (Some(freq), Some(earnings)) = (c.int(118), c.pence(119))
        && (weekly_income > hard_max || weekly_income < hard_min)
    {
        let high = weekly_income > hard_max;
        let amount = format!(
            "{} {}",
            currency(div_round(earnings, 100) * 100),
            income_words(freq)
        );
        let limit = if high { hard_max } else { hard_min };
        let (more, words) = if high {
            ("greater", "high")
        } else {
            ("less", "low")
        };
        r.model(
            &[119],
            &format!(
                "The household’s income cannot be {more} than {} per week given the household’s working situation.",
                currency(limit * 100)
            ),
        );
        let ecstats: Vec<usize> = c.members().map(ecstat_field).collect();
        r.model(
            &ecstats,
            &format!("The household’s income of {amount} is too {words} given the household’s working situation."),
        );
        if high {
            let children: Vec<usize> = (2..=8)
                .filter(|&p| c.present[p] && c.ecstat(p) == Some(9))
                .map(age_field)
                .collect();
            r.model(
                &children,
                &format!("The household’s income of {amount} is too high for the number of adults. Change either the household income or the age of the tenants."),
            );
        }
    }
    let works = |p: usize| c.is_in(ecstat_field(p), &[1, 2]);
    if c.is(121, 1) && (works(1) || (2..=8).any(|p| c.present[p] && c.partner(p) && works(p))) {
        r.model(
            &[121],
            "Answer cannot be ‘all’ for income from Universal Credit, state pensions or benefits if the tenant or their partner works part-time or full-time.",
        );
    }
    if c.is(121, 3) && c.hb_received() {
        r.model(
            &[121, 120],
            "You answered that none of the household’s income is from Universal Credit, state pensions or benefits, but also that the tenant is likely to be receiving Universal Credit or housing benefit.",
        );
    }
}

fn rent(c: &Ctx, r: &mut Report) {
    let charges = [124, 125, 126, 127];
    if c.sh && c.is(122, 1) && charges.iter().any(|&f| !c.blank(f)) {
        r.model(
            &[124, 125, 126, 127, 122],
            "Answer either the ‘household rent and charges’ question or ‘is this accommodation a care home‘, or select ‘no’ for ‘does the household pay rent or charges for the accommodation?’",
        );
    }
    let la = c.owner == Owner::LocalAuthority;
    if let Some(period) = c.int(123)
        && let Some(payments) = payments_per_year(period)
    {
        for (field, name) in [
            (125, "service charge"),
            (126, "personal service charge"),
            (127, "support charge"),
        ] {
            let max = charge_hard_max(field, la) * 100;
            if c.pence(field).is_some_and(|p| weekly(p, payments) > max) {
                let per_period = currency(div_round(max * 52, payments));
                let freq = period_words(period);
                let (letting, provider) = (
                    if c.sh {
                        "supported housing"
                    } else {
                        "general needs"
                    },
                    if la {
                        "local authority"
                    } else {
                        "private registered provider"
                    },
                );
                r.model(
                    &[field, 123],
                    &format!(
                        "Enter a value for the {name} between £0 and {per_period} paid {freq}. {per_period} is the max limit for rent and charges paid {freq} for {letting} lettings owned by a {provider}."
                    ),
                );
            }
        }
    }
    let total = if c.all_charges_given() {
        c.weekly_total()
    } else {
        None
    };
    if total.is_some_and(|t| (0..1000).contains(&t)) {
        r.model(
            &charges,
            "Enter a total charge that is at least £10.00 per week.",
        );
    }
    if !c.blank(129) && !c.is(128, 1) {
        r.model(
            &[129],
            "You cannot answer the outstanding amount question if you don’t have outstanding rent or charges.",
        );
        r.model(
            &[128],
            "Answer must be ‘yes’ as you have answered the outstanding amount question.",
        );
    }
    if c.is(128, 1) && c.is_in(120, &[3, 9, 10]) {
        r.model(
            &[129],
            "Answer cannot be ‘yes’ to outstanding amount for basic rent or charges if tenant does not receive housing benefit or Universal Credit or you‘re not sure.",
        );
    }
    if c.is(128, 1)
        && let Some(shortfall) = c.pence(129)
        && let Some(payments) = c.int(123).and_then(payments_per_year)
    {
        let week = weekly(shortfall, payments);
        if week < 1 {
            r.model(
                &[129],
                "Enter a value over £0.01 as you told us there is an outstanding amount.",
            );
        } else if let Some(total) = total
            && week > total
        {
            r.model(&[129], "Enter a value less than the total charge.");
            r.model(
                &charges,
                "The total charge must be more than the outstanding amount.",
            );
        }
    }
}

/// CORE's question text for each field (the row parser's `QUESTIONS`), field 1 first.
const QUESTIONS: [&str; FIELDS] = [
    "Which organisation owns this property?",
    "Which organisation manages this letting?",
    "What is the CORE username of the account this letting log should be assigned to?",
    "What is the needs type?",
    "What scheme does this letting belong to?",
    "Which location is this letting for?",
    "Is this letting a renewal?",
    "What is the tenancy start date?",
    "What is the tenancy start date?",
    "What is the tenancy start date?",
    "What is the rent type?",
    "Which 'Other' type of Intermediate Rent is this letting?",
    "What is the tenant code?",
    "What is the property reference?",
    "Has tenant seen the MHCLG privacy notice?",
    "What is the reason for the property being vacant?",
    "What type was the property most recently let as?",
    "If known, provide this property’s UPRN",
    "Address line 1",
    "Address line 2",
    "Town or city",
    "County",
    "Part 1 of the property’s postcode",
    "Part 2 of the property’s postcode",
    "What is the property’s local authority?",
    "What type of unit is the property?",
    "Which type of building is the property?",
    "Is the property built or adapted to wheelchair-user standards?",
    "How many bedrooms does the property have?",
    "What is the void date?",
    "What is the void date?",
    "What is the void date?",
    "What date were any major repairs completed on?",
    "What date were any major repairs completed on?",
    "What date were any major repairs completed on?",
    "Is this letting sheltered accommodation?",
    "Is this a joint tenancy?",
    "Is this a starter tenancy?",
    "What is the type of tenancy?",
    "If 'Other', what is the type of tenancy?",
    "What is the length of the fixed-term tenancy to the nearest year?",
    "What is the lead tenant’s age?",
    "Lead tenant's sex, as registered at birth",
    "Which of these best describes the lead tenant’s ethnic background?",
    "What is the lead tenant’s nationality?",
    "Which of these best describes the lead tenant’s working situation?",
    "Is person 2 the partner of the lead tenant?",
    "What is person 2’s age?",
    "Person 2's sex, as registered at birth",
    "Which of these best describes person 2’s working situation?",
    "Is person 3 the partner of the lead tenant?",
    "What is person 3’s age?",
    "Person 3's sex, as registered at birth",
    "Which of these best describes person 3’s working situation?",
    "Is person 4 the partner of the lead tenant?",
    "What is person 4’s age?",
    "Person 4's sex, as registered at birth",
    "Which of these best describes person 4’s working situation?",
    "Is person 5 the partner of the lead tenant?",
    "What is person 5’s age?",
    "Person 5's sex, as registered at birth",
    "Which of these best describes person 5’s working situation?",
    "Is person 6 the partner of the lead tenant?",
    "What is person 6’s age?",
    "Person 6's sex, as registered at birth",
    "Which of these best describes person 6’s working situation?",
    "Is person 7 the partner of the lead tenant?",
    "What is person 7’s age?",
    "Person 7's sex, as registered at birth",
    "Which of these best describes person 7’s working situation?",
    "Is person 8 the partner of the lead tenant?",
    "What is person 8’s age?",
    "Person 8's sex, as registered at birth",
    "Which of these best describes person 8’s working situation?",
    "Does anybody in the household have links to the UK armed forces?",
    "Is this person still serving in the UK armed forces?",
    "Was this person seriously injured or ill as a result of serving in the UK armed forces?",
    "Is anybody in the household pregnant?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have any disabled access needs?",
    "Does anybody in the household have a physical or mental health condition (or other illness) expected to last 12 months or more?",
    "Does this person’s condition affect their dexterity?",
    "Does this person’s condition affect their learning or understanding or concentrating?",
    "Does this person’s condition affect their hearing?",
    "Does this person’s condition affect their memory?",
    "Does this person’s condition affect their mental health?",
    "Does this person’s condition affect their mobility?",
    "Does this person’s condition affect them socially or behaviourally?",
    "Does this person’s condition affect their stamina or breathing or fatigue?",
    "Does this person’s condition affect their vision?",
    "Does this person’s condition affect them in another way?",
    "How long has the household continuously lived in the local authority area of the new letting?",
    "How long has the household been on the local authority waiting list for the new letting?",
    "What is the tenant’s main reason for the household leaving their last settled home?",
    "If 'Other', what was the main reason for leaving their last settled home?",
    "Where was the household immediately before this letting?",
    "Did the household experience homelessness immediately before this letting?",
    "Do you know the postcode of the household’s last settled home?",
    "What is the postcode of the household’s last settled home?",
    "What is the postcode of the household’s last settled home?",
    "What is the local authority of the household’s last settled home?",
    "Was the household given 'reasonable preference' by the local authority?",
    "Reasonable preference reason - They were homeless or about to lose their home (within 56 days)",
    "Reasonable preference reason - They were living in insanitary, overcrowded or unsatisfactory housing",
    "Reasonable preference reason - They needed to move on medical and welfare reasons (including disability)",
    "Reasonable preference reason - They needed to move to avoid hardship to themselves or others",
    "Reasonable preference reason - Don’t know",
    "Was the letting made under the Choice-Based Lettings (CBL)?",
    "Was the letting made under the Common Allocation Policy (CAP)?",
    "Was the letting made under the Common Housing Register (CHR)?",
    "Was the letting made under the Accessible Register?",
    "What was the source of referral for this letting? - LA properties",
    "Do you know the household’s combined total income after tax?",
    "How often does the household receive income?",
    "How much income does the household have in total?",
    "Is the tenant likely to be receiving any of these housing-related benefits?",
    "How much of the household’s income is from Universal Credit, state pensions or benefits?",
    "Does the household pay rent or other charges for the accommodation?",
    "How often does the household pay rent and other charges?",
    "What is the basic rent?",
    "What is the service charge?",
    "What is the personal service charge?",
    "What is the support charge?",
    "After the household has received any housing-related benefits, will they still need to pay for rent and charges?",
    "What do you expect the outstanding amount to be?",
    "Is the gender the lead tenant identifies with the same as their sex registered at birth?",
    "If 'No', enter the lead tenant's gender identity",
    "Is the gender person 2 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 2's gender identity",
    "Is the gender person 3 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 3's gender identity",
    "Is the gender person 4 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 4's gender identity",
    "Is the gender person 5 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 5's gender identity",
    "Is the gender person 6 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 6's gender identity",
    "Is the gender person 7 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 7's gender identity",
    "Is the gender person 8 identifies with the same as their sex registered at birth?",
    "If 'No', enter person 8's gender identity",
    "What was the source of referral for this letting? - PRP properties part 1",
    "What was the source of referral for this letting? - PRP properties part 2",
    "What was the source of referral for this letting? - PRP properties part 3",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A general-needs social-rent let of council stock to a couple, their 19-year-old
    /// daughter and a 5-year-old, referred from the housing register.
    fn valid_la() -> Row {
        let mut r = Row::default();
        for (n, v) in [
            (1, "LA001"),
            (2, "LA001"),
            (4, "1"),
            (7, "2"),
            (8, "15"),
            (9, "6"),
            (10, "26"),
            (11, "1"),
            (13, "T123"),
            (14, "P9"),
            (15, "1"),
            (16, "8"),
            (17, "1"),
            (19, "1 High Street"),
            (21, "London"),
            (23, "EC1N"),
            (24, "2TD"),
            (25, "E09000007"),
            (26, "7"),
            (27, "1"),
            (28, "2"),
            (29, "3"),
            (30, "1"),
            (31, "5"),
            (32, "26"),
            (37, "1"),
            (38, "2"),
            (39, "7"),
            (42, "35"),
            (43, "F"),
            (44, "1"),
            (45, "826"),
            (46, "1"),
            (47, "1"),
            (48, "36"),
            (49, "M"),
            (50, "2"),
            (51, "2"),
            (52, "19"),
            (53, "F"),
            (54, "7"),
            (55, "2"),
            (56, "5"),
            (57, "M"),
            (58, "9"),
            (75, "2"),
            (78, "2"),
            (83, "1"),
            (85, "2"),
            (96, "12"),
            (97, "8"),
            (98, "12"),
            (100, "3"),
            (101, "1"),
            (102, "1"),
            (103, "SW1A"),
            (104, "1AA"),
            (105, "E09000033"),
            (106, "1"),
            (107, "0"),
            (108, "1"),
            (109, "0"),
            (110, "0"),
            (111, "0"),
            (112, "1"),
            (113, "2"),
            (114, "2"),
            (115, "2"),
            (116, "3"),
            (117, "1"),
            (118, "2"),
            (119, "2600"),
            (120, "6"),
            (121, "2"),
            (123, "1"),
            (124, "120.50"),
            (125, "10"),
            (126, "0"),
            (127, "0"),
            (128, "1"),
            (129, "20.00"),
            (130, "1"),
            (132, "1"),
            (134, "1"),
            (136, "1"),
        ] {
            r.set(n, v);
        }
        r
    }

    fn valid_prp() -> Row {
        let mut r = valid_la();
        r.set(116, "");
        r.set(146, "6");
        r.set(147, "1");
        r.set(148, "1");
        r
    }

    fn valid_renewal() -> Row {
        let mut r = valid_la();
        for n in [16, 17, 30, 31, 32, 97] {
            r.set(n, "");
        }
        r.set(7, "1");
        r.set(98, "50");
        r.set(100, "30");
        r.set(116, "1");
        r
    }

    const LA: Owner = Owner::LocalAuthority;
    const PRP: Owner = Owner::PrivateRegisteredProvider;

    #[test]
    fn valid_rows_pass() {
        assert_eq!(check(&valid_la(), LA), vec![]);
        assert_eq!(check(&valid_prp(), PRP), vec![]);
        assert_eq!(check(&valid_renewal(), LA), vec![]);
    }

    #[test]
    fn failures_are_sorted_and_classified() {
        let mut r = valid_la();
        r.set(4, "");
        r.set(46, "5");
        let got = check(&r, LA);
        assert!(got.windows(2).all(|w| w[0].field <= w[1].field));
        assert!(got.iter().any(|f| f.field == 4 && f.is_error()));
        assert!(got.iter().any(|f| f.field == 46 && !f.is_error()));
    }

    #[test]
    fn question_texts() {
        assert_eq!(question(7), "Is this letting a renewal?");
        assert_eq!(
            question(148),
            "What was the source of referral for this letting? - PRP properties part 3"
        );
        assert_eq!(question(0), "");
        assert_eq!(question(149), "");
    }

    #[test]
    fn blank_row_is_reported() {
        assert!(check(&Row::default(), LA).iter().any(Failure::is_error));
    }

    proptest! {
        #[test]
        fn garbage_fails_without_panicking(cells in proptest::collection::vec(".{0,12}", FIELDS), la in any::<bool>()) {
            let mut r = Row::default();
            for (i, v) in cells.into_iter().enumerate() {
                r.set(i + 1, v);
            }
            let owner = if la { LA } else { PRP };
            prop_assert!(check(&r, owner).iter().any(Failure::is_error));
        }

        #[test]
        fn any_text_in_any_field_never_panics(field in 1usize..=FIELDS, text in "\\PC{0,20}|-?[0-9]{1,25}(\\.[0-9]{0,4})?") {
            let mut r = valid_la();
            r.set(field, text);
            let _ = check(&r, LA);
            let _ = check(&r, PRP);
        }
    }

    fn expect(row: Row, owner: Owner, field: usize, message: &str, severity: Severity) {
        let got = check(&row, owner);
        let want = Failure {
            field,
            message: message.to_string(),
            severity,
        };
        assert!(got.contains(&want), "missing {want:?} in {got:#?}");
    }

    /// One test per rule: break it on a copy of a valid row and expect CORE's message.
    macro_rules! rule {
        ($name:ident, $base:expr, $owner:expr, |$r:ident| $edit:block, $field:expr, $msg:expr, $sev:expr) => {
            #[test]
            fn $name() {
                #[allow(unused_mut)]
                let mut $r = $base;
                $edit
                expect($r, $owner, $field, $msg, $sev);
            }
        };
        ($name:ident, |$r:ident| $edit:block, $field:expr, $msg:expr) => {
            rule!($name, valid_la(), LA, |$r| $edit, $field, $msg, Severity::Error);
        };
        ($name:ident, |$r:ident| $edit:block, $field:expr, $msg:expr, soft) => {
            rule!($name, valid_la(), LA, |$r| $edit, $field, $msg, Severity::Check);
        };
    }

    // Setup.
    rule!(
        needs_type_blank,
        |r| {
            r.set(4, "");
        },
        4,
        "You must answer needs type."
    );
    rule!(
        needs_type_invalid,
        |r| {
            r.set(4, "3");
        },
        4,
        "Enter a valid value for what is the needs type?"
    );
    rule!(
        scheme_blank_for_supported_housing,
        |r| {
            r.set(4, "2");
        },
        5,
        "You must answer scheme code."
    );
    rule!(
        location_blank_for_supported_housing,
        |r| {
            r.set(4, "2");
        },
        6,
        "You must answer location code."
    );
    rule!(
        renewal_blank,
        |r| {
            r.set(7, "");
        },
        7,
        "You must answer property renewal."
    );
    rule!(
        renewal_invalid,
        |r| {
            r.set(7, "3");
        },
        7,
        "Enter a valid value for is this letting a renewal?"
    );
    rule!(
        start_day_blank,
        |r| {
            r.set(8, "");
        },
        8,
        "You must answer tenancy start date (day)."
    );
    rule!(
        start_month_blank,
        |r| {
            r.set(9, "");
        },
        9,
        "You must answer tenancy start date (month)."
    );
    rule!(
        start_year_blank,
        |r| {
            r.set(10, "");
        },
        10,
        "You must answer tenancy start date (year)."
    );
    rule!(
        start_year_three_digits,
        |r| {
            r.set(10, "202");
        },
        10,
        "Tenancy start year must be 2 or 4 digits."
    );
    const WINDOW: &str = "Enter a date within the 2026/27 collection year, which is between 1st April 2026 and 31st March 2027.";
    rule!(
        start_before_collection_year,
        |r| {
            r.set(8, "31");
            r.set(9, "3");
        },
        9,
        WINDOW
    );
    rule!(
        start_after_collection_year,
        |r| {
            r.set(9, "4");
            r.set(10, "2027");
        },
        10,
        WINDOW
    );
    rule!(
        start_impossible_date,
        |r| {
            r.set(8, "31");
            r.set(9, "2");
            r.set(10, "27");
        },
        8,
        WINDOW
    );
    rule!(
        rent_type_blank,
        |r| {
            r.set(11, "");
        },
        11,
        "You must answer rent type."
    );
    rule!(
        rent_type_blank_is_not_a_number,
        |r| {
            r.set(11, "");
        },
        11,
        "Enter a number for rent type."
    );
    rule!(
        rent_type_invalid,
        |r| {
            r.set(11, "8");
        },
        11,
        "Enter a valid value for rent type."
    );
    rule!(
        rent_type_not_a_number,
        |r| {
            r.set(11, "1.5");
        },
        11,
        "Enter a number for rent type."
    );
    rule!(
        other_product_name_missing,
        |r| {
            r.set(11, "6");
        },
        12,
        "You must answer product name."
    );
    rule!(
        privacy_notice_not_seen,
        |r| {
            r.set(15, "");
        },
        15,
        "You must show or give the tenant access to the MHCLG privacy notice before you can submit this log."
    );

    // Property.
    rule!(
        vacancy_reason_missing,
        |r| {
            r.set(16, "");
        },
        16,
        "You must answer vacancy reason."
    );
    rule!(
        vacancy_reason_invalid,
        |r| {
            r.set(16, "7");
        },
        16,
        "Enter a valid value for what is the reason for the property being vacant?"
    );
    rule!(
        vacancy_reason_text,
        |r| {
            r.set(16, "abc");
        },
        16,
        "Enter a valid value for what is the reason for the property being vacant?"
    );
    rule!(
        vacancy_renewal_reason_without_renewal,
        |r| {
            r.set(16, "14");
        },
        16,
        "Reason for vacancy cannot be 'Renewal of fixed-term tenancy' if letting is not a renewal."
    );
    rule!(
        relet_from_temporary_but_not_temporary,
        |r| {
            r.set(16, "9");
            r.set(100, "25");
        },
        100,
        "Answer cannot be non-temporary accommodation as this is a re-let to a tenant who occupied the same property as temporary accommodation."
    );
    rule!(
        recent_let_type_missing,
        |r| {
            r.set(17, "");
        },
        17,
        "You must answer most recent let type."
    );
    rule!(
        recent_let_type_pre_2024_code,
        |r| {
            r.set(17, "4");
        },
        17,
        "Enter a valid value for what type was the property most recently let as?"
    );
    rule!(
        no_uprn_no_address,
        |r| {
            r.set(19, "");
        },
        18,
        "Enter either the UPRN or the full address."
    );
    rule!(
        no_uprn_address_line_missing,
        |r| {
            r.set(19, "");
        },
        19,
        "Enter either the UPRN or the full address."
    );
    rule!(
        uprn_too_long,
        |r| {
            r.set(18, "1234567890123");
            r.set(21, "");
        },
        18,
        "UPRN must be 12 digits or less."
    );
    rule!(
        bad_uprn_town_missing,
        |r| {
            r.set(18, "12x");
            r.set(21, "");
        },
        21,
        "You must answer town or city."
    );
    rule!(
        postcode_half_missing,
        |r| {
            r.set(24, "");
        },
        24,
        "You must answer part 2 of postcode."
    );
    rule!(
        postcode_bad_format,
        |r| {
            r.set(24, "ZZZ");
        },
        23,
        "Enter a postcode in the correct format, for example AA1 1AA."
    );
    rule!(
        unit_type_missing,
        |r| {
            r.set(26, "");
        },
        26,
        "You must answer type of unit."
    );
    rule!(
        unit_type_invalid,
        |r| {
            r.set(26, "3");
        },
        26,
        "Enter a valid value for what type of unit is the property?"
    );
    rule!(
        building_type_invalid,
        |r| {
            r.set(27, "3");
        },
        27,
        "Enter a valid value for which type of building is the property?"
    );
    rule!(
        wheelchair_missing,
        |r| {
            r.set(28, "");
        },
        28,
        "You must answer property built or adapted to wheelchair-user standards."
    );
    rule!(
        bedrooms_missing,
        |r| {
            r.set(29, "");
        },
        29,
        "You must answer number of bedrooms."
    );
    rule!(
        bedrooms_out_of_range,
        |r| {
            r.set(29, "13");
        },
        29,
        "Number of bedrooms must be between 1 and 12."
    );
    rule!(
        bedrooms_not_whole,
        |r| {
            r.set(29, "2.5");
        },
        29,
        "Number of bedrooms must be a whole number."
    );
    rule!(
        shared_house_too_many_bedrooms,
        |r| {
            r.set(26, "9");
            r.set(29, "8");
        },
        26,
        "A shared house must have 1 to 7 bedrooms."
    );
    rule!(
        shared_house_one_tenant,
        |r| {
            r.set(26, "4");
            r.set(29, "5");
            r.set(37, "2");
            for n in 47..=58 {
                r.set(n, "");
            }
            for n in [132, 134, 136] {
                r.set(n, "");
            }
            r.set(119, "1000");
        },
        29,
        "A shared house with fewer than two tenants must have 1 to 3 bedrooms."
    );
    rule!(
        void_date_missing,
        |r| {
            r.set(31, "");
        },
        30,
        "You must answer void date."
    );
    rule!(
        void_date_after_start,
        |r| {
            r.set(31, "7");
        },
        30,
        "Enter a void date that is before the tenancy start date."
    );
    rule!(
        start_before_void_date,
        |r| {
            r.set(31, "7");
        },
        8,
        "Enter a tenancy start date that is after the void date."
    );
    rule!(
        void_date_over_20_years,
        |r| {
            r.set(32, "2005");
        },
        31,
        "Enter a void date no more than 20 years before the tenancy start date."
    );
    rule!(
        start_over_20_years_after_void,
        |r| {
            r.set(32, "2005");
        },
        10,
        "Enter a tenancy start date that is no more than 20 years after the void date."
    );
    rule!(
        void_date_old,
        |r| {
            r.set(32, "2020");
        },
        32,
        "You told us that the property has been vacant for more than 2 years. This is longer than we would expect.",
        soft
    );
    rule!(
        repairs_after_start,
        |r| {
            r.set(33, "1");
            r.set(34, "7");
            r.set(35, "26");
        },
        33,
        "Enter a major repairs date that is before the tenancy start date."
    );
    rule!(
        start_before_repairs,
        |r| {
            r.set(33, "1");
            r.set(34, "7");
            r.set(35, "26");
        },
        9,
        "Enter a tenancy start date that is after the major repair date."
    );
    rule!(
        repairs_over_20_years,
        |r| {
            r.set(33, "1");
            r.set(34, "1");
            r.set(35, "2001");
        },
        34,
        "Enter a major repairs completion date that is no more than 20 years before the tenancy start date."
    );
    rule!(
        start_over_20_years_after_repairs,
        |r| {
            r.set(33, "1");
            r.set(34, "1");
            r.set(35, "2001");
        },
        10,
        "Enter a tenancy start date that is no more than 20 years after the major repairs completion date."
    );
    rule!(
        repairs_on_first_let,
        |r| {
            r.set(16, "15");
            r.set(17, "");
            r.set(33, "1");
            r.set(34, "5");
            r.set(35, "26");
        },
        35,
        "Major repairs date must not be completed if the tenancy is a first let."
    );
    rule!(
        void_after_repairs,
        |r| {
            r.set(33, "1");
            r.set(34, "4");
            r.set(35, "26");
        },
        30,
        "Void date must be before the major repairs date if provided."
    );
    rule!(
        repairs_before_void,
        |r| {
            r.set(33, "1");
            r.set(34, "4");
            r.set(35, "26");
        },
        33,
        "Major repairs date must be after the void date if provided."
    );
    rule!(
        repairs_old,
        |r| {
            r.set(30, "1");
            r.set(31, "1");
            r.set(32, "2024");
            r.set(33, "1");
            r.set(34, "2");
            r.set(35, "2024");
        },
        33,
        "You told us the property has been vacant for 2 years. This is longer than we would expect.",
        soft
    );
    rule!(
        sheltered_invalid_for_supported_housing,
        |r| {
            r.set(4, "2");
            r.set(36, "5");
        },
        36,
        "Enter a valid value for is this letting sheltered accommodation?"
    );

    // Tenancy.
    rule!(
        joint_missing,
        |r| {
            r.set(37, "");
        },
        37,
        "You must answer joint tenancy."
    );
    rule!(
        joint_invalid,
        |r| {
            r.set(37, "4");
        },
        37,
        "Enter a valid value for is this a joint tenancy?"
    );
    rule!(
        joint_for_one_person,
        |r| {
            for n in 47..=58 {
                r.set(n, "");
            }
            for n in [132, 134, 136] {
                r.set(n, "");
            }
            r.set(119, "1000");
        },
        37,
        "This cannot be a joint tenancy as you've told us there's only one person in the household."
    );
    rule!(
        starter_missing,
        |r| {
            r.set(38, "");
        },
        38,
        "You must answer starter or introductory tenancy."
    );
    rule!(
        tenancy_missing_after_starter,
        |r| {
            r.set(38, "1");
            r.set(39, "");
        },
        39,
        "You must answer type of main tenancy after the starter or introductory period has ended."
    );
    rule!(
        tenancy_invalid,
        |r| {
            r.set(39, "1");
        },
        39,
        "Enter a valid value for what is the type of tenancy?"
    );
    rule!(
        tenancy_other_missing,
        |r| {
            r.set(39, "3");
        },
        40,
        "If tenancy type is other then other tenancy type must be provided."
    );
    rule!(
        tenancy_other_not_other,
        |r| {
            r.set(40, "Licence");
        },
        40,
        "other tenancy type must not be provided if tenancy type was not other."
    );
    rule!(
        fixed_term_length_missing,
        |r| {
            r.set(39, "6");
        },
        41,
        "You must answer length of fixed-term tenancy."
    );
    rule!(
        fixed_term_social_too_short,
        |r| {
            r.set(39, "4");
            r.set(41, "1");
        },
        41,
        "Enter a tenancy length between 2 and 99 years for a tenancy of this type."
    );
    rule!(
        fixed_term_intermediate_too_long,
        |r| {
            r.set(11, "4");
            r.set(39, "4");
            r.set(41, "100");
        },
        41,
        "Enter a tenancy length between 1 and 99 years for a tenancy of this type."
    );
    rule!(
        periodic_length_zero,
        |r| {
            r.set(39, "8");
            r.set(41, "0");
        },
        41,
        "Enter a tenancy length between 1 and 99 years (or don't specify the length) for a tenancy of this type."
    );
    rule!(
        length_for_lifetime_tenancy,
        |r| {
            r.set(41, "5");
        },
        41,
        "You must only answer the length of the tenancy if it's fixed-term."
    );
    rule!(
        length_out_of_question_range,
        |r| {
            r.set(39, "");
            r.set(41, "151");
        },
        41,
        "Length of fixed-term tenancy must be between 0 and 150."
    );

    // Lead tenant and household members.
    rule!(
        lead_age_blank,
        |r| {
            r.set(42, "");
        },
        42,
        "Age of person 1 must be a number or the letter R"
    );
    rule!(
        lead_age_too_young,
        |r| {
            r.set(42, "15");
        },
        42,
        "Lead tenant’s age must be between 16 and 120."
    );
    rule!(
        lead_sex_missing,
        |r| {
            r.set(43, "");
        },
        43,
        "You must answer lead tenant’s sex registered at birth."
    );
    rule!(
        lead_sex_x_not_valid,
        |r| {
            r.set(43, "X");
        },
        43,
        "Enter a valid value for lead tenant's sex, as registered at birth."
    );
    rule!(
        ethnic_unknown_code,
        |r| {
            r.set(44, "21");
        },
        44,
        "You must answer lead tenant’s ethnic group."
    );
    rule!(
        nationality_missing,
        |r| {
            r.set(45, "");
        },
        45,
        "You must answer lead tenant’s nationality."
    );
    rule!(
        lead_working_situation_child,
        |r| {
            r.set(46, "9");
        },
        46,
        "Enter a valid value for which of these best describes the lead tenant’s working situation?"
    );
    rule!(
        lead_working_situation_missing,
        |r| {
            r.set(46, "");
        },
        46,
        "You must answer lead tenant’s working situation."
    );
    rule!(
        partner_answer_invalid,
        |r| {
            r.set(47, "4");
        },
        47,
        "You must answer person 2 lead tenant’s partner."
    );
    rule!(
        person_age_not_a_number,
        |r| {
            r.set(48, "thirty");
        },
        48,
        "Age of person 2 must be a number or the letter R"
    );
    rule!(
        person_age_zero,
        |r| {
            r.set(56, "0");
        },
        56,
        "Person 4’s age must be between 1 and 120."
    );
    rule!(
        person_sex_missing,
        |r| {
            r.set(53, "");
        },
        53,
        "You must answer person 3’s sex registered at birth."
    );
    rule!(
        person_working_situation_missing,
        |r| {
            r.set(54, "");
        },
        54,
        "You must answer person 3’s working situation."
    );
    rule!(
        person_working_situation_invalid,
        |r| {
            r.set(50, "11");
        },
        50,
        "Enter a valid value for which of these best describes person 2’s working situation?"
    );
    rule!(
        child_status_over_16,
        |r| {
            r.set(54, "9");
        },
        54,
        "Answer cannot be ‘child under 16‘ as you told us the person 3 is older than 16."
    );
    rule!(
        over_16_with_child_status,
        |r| {
            r.set(54, "9");
        },
        52,
        "Answer cannot be over 16 as person’s 3 working situation is ‘child under 16‘."
    );
    rule!(
        members_with_a_gap,
        |r| {
            for n in 51..=54 {
                r.set(n, "");
            }
            r.set(134, "");
        },
        56,
        "Person 4’s details are given but person 3’s are not. Give household members in order, with no gaps."
    );
    rule!(
        gender_same_missing,
        |r| {
            r.set(130, "");
        },
        130,
        "You must answer lead tenant’s gender identity same as sex registered at birth."
    );
    rule!(
        gender_same_invalid,
        |r| {
            r.set(132, "4");
        },
        132,
        "Enter a valid value for is the gender person 2 identifies with the same as their sex registered at birth?"
    );
    rule!(
        gender_description_missing,
        |r| {
            r.set(134, "2");
        },
        135,
        "You must answer gender identity description."
    );
    rule!(
        children_home_lead_over_25,
        |r| {
            r.set(100, "13");
        },
        42,
        "The lead tenant must be under 26 as you told us their housing situation immediately before this letting was a children’s home or foster care."
    );
    rule!(
        children_home_situation,
        |r| {
            r.set(100, "13");
        },
        100,
        "Answer cannot be a children’s home or foster care as the lead tenant is 26 or older."
    );
    rule!(
        retired_under_66,
        |r| {
            r.set(50, "5");
        },
        50,
        "You told us this person is aged 36 years and retired. The minimum expected retirement age in England is 66.",
        soft
    );
    rule!(
        not_retired_over_66,
        |r| {
            r.set(42, "70");
        },
        42,
        "You told us this person is over 66 and not retired. Are you sure this person isn’t retired?",
        soft
    );
    rule!(
        partner_under_16,
        |r| {
            r.set(55, "1");
        },
        55,
        "You told us this person is aged 5 years and has 'Partner' relationship to the lead tenant. Are you sure this is correct?",
        soft
    );
    rule!(
        more_than_one_partner,
        |r| {
            r.set(51, "1");
        },
        51,
        "You told us there are more than 1 persons with 'Partner' relationship to the lead tenant. Are you sure this is correct?",
        soft
    );
    rule!(
        pregnant_all_male,
        |r| {
            r.set(78, "1");
            r.set(43, "M");
            r.set(53, "M");
        },
        78,
        "You told us somebody in the household is pregnant. You also told us that all the tenants living at the property are male.",
        soft
    );
    rule!(
        pregnant_no_female_16_to_50,
        |r| {
            r.set(78, "1");
            r.set(42, "55");
            r.set(53, "M");
        },
        78,
        "You told us somebody in the household is pregnant. You also told us that any female tenants living at the property are in the following age ranges:<ul><li>under 16 years old</li><li>over 50 years old</li></ul>",
        soft
    );

    // Needs.
    rule!(
        armed_forces_missing,
        |r| {
            r.set(75, "");
        },
        75,
        "You must answer household links to uk armed forces."
    );
    rule!(
        still_serving_missing,
        |r| {
            r.set(75, "1");
            r.set(77, "2");
        },
        76,
        "You must answer person still serving in uk armed forces."
    );
    rule!(
        still_serving_not_regular,
        |r| {
            r.set(76, "6");
        },
        76,
        "You cannot answer whether the person is still serving in the UK armed forces as you told us they’re not a current or former regular."
    );
    rule!(
        injured_missing,
        |r| {
            r.set(75, "4");
        },
        77,
        "You must answer person seriously injured or ill as result of serving in uk armed forces."
    );
    rule!(
        injured_not_served,
        |r| {
            r.set(77, "1");
        },
        77,
        "You cannot answer this question as you told us the person has not served in the UK armed forces or prefers not to say."
    );
    rule!(
        pregnancy_missing,
        |r| {
            r.set(78, "");
        },
        78,
        "You must answer anybody in household pregnant."
    );
    rule!(
        two_access_need_types,
        |r| {
            r.set(83, "");
            r.set(79, "1");
            r.set(80, "1");
        },
        80,
        "Only one disabled access need: fully wheelchair-accessible housing, wheelchair access to essential rooms or level access housing, can be selected."
    );
    rule!(
        no_needs_with_a_need,
        |r| {
            r.set(82, "1");
        },
        83,
        "No disabled access needs can’t be selected if you have selected fully wheelchair-accessible housing, wheelchair access to essential rooms, level access housing or other disabled access needs."
    );
    rule!(
        dont_know_needs_with_a_need,
        |r| {
            r.set(83, "");
            r.set(84, "1");
            r.set(81, "1");
        },
        81,
        "Don’t know disabled access needs can’t be selected if you have selected fully wheelchair-accessible housing, wheelchair access to essential rooms, level access housing or other disabled access needs."
    );
    rule!(
        no_and_dont_know_needs,
        |r| {
            r.set(84, "1");
        },
        84,
        "No disabled access needs and don’t know disabled access needs cannot be selected together."
    );
    rule!(
        access_needs_all_blank,
        |r| {
            r.set(83, "");
        },
        83,
        "You must answer anybody with disabled access needs."
    );
    rule!(
        access_needs_all_blank_other,
        |r| {
            r.set(83, "");
        },
        82,
        "You must answer other access needs."
    );
    rule!(
        access_needs_all_blank_type,
        |r| {
            r.set(83, "");
        },
        79,
        "You must answer disabled access needs type."
    );
    rule!(
        access_needs_yes_without_a_need,
        |r| {
            r.set(83, "0");
        },
        78,
        "If somebody in the household has disabled access needs, they must have the access needs listed, or other access needs."
    );
    rule!(
        access_need_flag_invalid,
        |r| {
            r.set(79, "2");
        },
        79,
        "Enter a valid value for does anybody in the household have any disabled access needs?"
    );
    rule!(
        illness_missing,
        |r| {
            r.set(85, "");
        },
        85,
        "You must answer anybody in household with physical or mental health condition."
    );
    rule!(
        illness_without_effects,
        |r| {
            r.set(85, "1");
        },
        90,
        "You must answer how is person affected by condition or illness."
    );
    rule!(
        effects_without_illness,
        |r| {
            r.set(91, "1");
        },
        91,
        "You cannot answer this question as you told us nobody in the household has a physical or mental health condition (or other illness) expected to last 12 months or more."
    );
    rule!(
        sick_but_no_illness,
        |r| {
            r.set(54, "8");
        },
        85,
        "You have said that at least one person's situation is 'Unable to work because of long-term sickness or disability'. You also told us there is no-one in the household with a long-lasting health condition.",
        soft
    );

    // Situation.
    rule!(
        time_in_area_missing,
        |r| {
            r.set(96, "");
        },
        96,
        "You must answer length of time in local authority area."
    );
    rule!(
        time_in_area_invalid,
        |r| {
            r.set(96, "3");
        },
        96,
        "Enter a valid value for how long has the household continuously lived in the local authority area of the new letting?"
    );
    rule!(
        renewal_just_moved,
        valid_renewal(),
        LA,
        |r| {
            r.set(96, "1");
        },
        96,
        "The household cannot have just moved to the local authority area if this letting is a renewal",
        Severity::Error
    );
    rule!(
        just_moved_same_la,
        |r| {
            r.set(96, "1");
            r.set(105, "E09000007");
        },
        96,
        "You told us this tenant previously lived in this local authority. Check your answers are correct."
    );
    rule!(
        just_moved_same_la_property_side,
        |r| {
            r.set(96, "1");
            r.set(105, "E09000007");
        },
        25,
        "You told us the tenant had just moved into the local authority, but this location is in the same local authority. Check your answers are correct"
    );
    rule!(
        just_moved_same_la_previous_side,
        |r| {
            r.set(96, "1");
            r.set(105, "E09000007");
        },
        105,
        "The local authority of the previous property should not be the same as the current local authority, as you told us they had just moved to the local authority area. Check your answers are correct."
    );
    rule!(
        waiting_time_missing,
        |r| {
            r.set(97, "");
        },
        97,
        "You must answer length of time on local authority waiting list."
    );
    rule!(
        reason_missing,
        |r| {
            r.set(98, "");
        },
        98,
        "You must answer reason for leaving last settled home."
    );
    rule!(
        reason_retired_code,
        |r| {
            r.set(98, "40");
        },
        98,
        "Enter a valid value for what is the tenant’s main reason for the household leaving their last settled home?"
    );
    rule!(
        reason_other_missing,
        |r| {
            r.set(98, "20");
        },
        99,
        "You must answer what is the reason?"
    );
    rule!(
        reason_other_missing_on_reason,
        |r| {
            r.set(98, "20");
        },
        98,
        "If reason is other then reasonother must be provided."
    );
    rule!(
        reason_other_only_homeless,
        |r| {
            r.set(98, "20");
            r.set(99, "Homeless!");
        },
        98,
        "Please give the reason for the tenant leaving their last settled home. This is where they were living before they became homeless, were living in temporary accommodation or sleeping rough."
    );
    rule!(
        reason_other_looks_like_category,
        |r| {
            r.set(98, "20");
            r.set(99, "Damp flat");
        },
        99,
        "You told us that the tenant’s main reason for leaving their last settled home was Damp flat. The reason you have entered looks very similar to one of the existing response categories. Please check the categories and select the appropriate one. If the existing categories are not suitable, please confirm here to move onto the next question.",
        soft
    );
    rule!(
        situation_missing,
        |r| {
            r.set(100, "");
        },
        100,
        "You must answer where household was immediately before this letting."
    );
    rule!(
        homeless_invalid,
        |r| {
            r.set(101, "12");
        },
        101,
        "Enter a valid value for did the household experience homelessness immediately before this letting?"
    );
    rule!(
        previous_postcode_known_invalid,
        |r| {
            r.set(102, "3");
        },
        102,
        "You must answer postcode of the household’s last settled accommodation."
    );
    rule!(
        previous_postcode_missing,
        |r| {
            r.set(103, "");
            r.set(104, "");
        },
        103,
        "You must answer postcode of household’s last settled accommodation."
    );
    rule!(
        previous_postcode_bad,
        |r| {
            r.set(104, "");
        },
        104,
        "Enter a postcode in the correct format, for example AA1 1AA."
    );
    rule!(
        reasonable_preference_missing,
        |r| {
            r.set(106, "");
        },
        106,
        "You must answer household given reasonable preference."
    );
    rule!(
        reasonable_preference_no_reason,
        |r| {
            for n in 107..=111 {
                r.set(n, "");
            }
        },
        109,
        "You must answer reason for reasonable preference."
    );
    rule!(
        reasonable_preference_reason_invalid,
        |r| {
            r.set(107, "2");
        },
        107,
        "Enter a valid value for reasonable preference reason - They were homeless or about to lose their home (within 56 days)"
    );
    rule!(
        reasonable_preference_dont_know_conflict,
        |r| {
            r.set(111, "1");
        },
        111,
        "You cannot select 'Don't know' if any of the other reasonable preference reasons are also selected."
    );
    rule!(
        reasonable_preference_other_conflict,
        |r| {
            r.set(111, "1");
        },
        108,
        "You cannot select this reasonable preference reason as you've also selected 'Don't know' as a reason."
    );
    rule!(
        reasonable_preference_reason_without_preference,
        |r| {
            r.set(106, "2");
        },
        108,
        "Do not enter a reason if you've answered 'no' to reasonable preference."
    );
    rule!(
        cbl_missing,
        |r| {
            r.set(112, "");
        },
        112,
        "You must answer was the letting made under the Choice-Based Lettings (CBL)?"
    );
    rule!(
        cap_invalid,
        |r| {
            r.set(113, "3");
        },
        113,
        "Enter a valid value for was the letting made under the Common Allocation Policy (CAP)?"
    );
    rule!(
        chr_missing,
        |r| {
            r.set(114, "");
        },
        114,
        "You must answer was the letting made under the Common Housing Register (CHR)?"
    );
    rule!(
        accessible_register_invalid,
        |r| {
            r.set(115, "0");
        },
        115,
        "Enter a valid value for was the letting made under the Accessible Register?"
    );
    const REFERRAL: &str = "Your answers for each part of \"What is the source of referral for this letting?\" are incompatible with each other. Use the bulk upload specification or paper form to see which combinations are valid (available from ‘Collection resources’ on the homepage).";
    rule!(
        referral_la_missing,
        |r| {
            r.set(116, "");
        },
        116,
        REFERRAL
    );
    rule!(
        referral_la_prp_code,
        |r| {
            r.set(116, "5");
        },
        146,
        REFERRAL
    );
    rule!(
        referral_la_with_prp_part,
        |r| {
            r.set(146, "6");
        },
        147,
        REFERRAL
    );
    rule!(
        referral_prp_with_la_part,
        valid_prp(),
        PRP,
        |r| {
            r.set(116, "3");
        },
        116,
        REFERRAL,
        Severity::Error
    );
    rule!(
        referral_prp_missing,
        valid_prp(),
        PRP,
        |r| {
            r.set(146, "");
            r.set(147, "");
            r.set(148, "");
        },
        146,
        REFERRAL,
        Severity::Error
    );
    rule!(
        referral_prp_noms_wrong_route,
        valid_prp(),
        PRP,
        |r| {
            r.set(147, "5");
            r.set(148, "");
        },
        147,
        REFERRAL,
        Severity::Error
    );
    rule!(
        referral_prp_org_wrong_route,
        valid_prp(),
        PRP,
        |r| {
            r.set(148, "11");
        },
        148,
        REFERRAL,
        Severity::Error
    );
    rule!(
        referral_prp_org_not_asked,
        valid_prp(),
        PRP,
        |r| {
            r.set(147, "4");
        },
        148,
        REFERRAL,
        Severity::Error
    );
    rule!(
        internal_transfer_from_private_sector,
        |r| {
            r.set(116, "2");
        },
        100,
        "Answer cannot be Private sector tenancy as this tenancy is an internal transfer."
    );
    rule!(
        prp_internal_transfer_from_la_tenancy,
        valid_prp(),
        PRP,
        |r| {
            r.set(147, "3");
            r.set(148, "");
            r.set(100, "31");
        },
        100,
        "Answer cannot be a fixed-term or lifetime local authority general needs tenancy as it’s an internal transfer and a private registered provider is on the tenancy agreement.",
        Severity::Error
    );
    rule!(
        supported_housing_referral_on_general_needs,
        valid_prp(),
        PRP,
        |r| {
            r.set(147, "2");
            r.set(148, "");
        },
        147,
        "Are you sure? This is a general needs log, and this referral type is for supported housing.",
        Severity::Check
    );

    // Renewals.
    rule!(
        renewal_reason_not_tenancy_end,
        valid_renewal(),
        LA,
        |r| {
            r.set(98, "12");
        },
        98,
        "The reason for leaving must be \"End of social or private sector tenancy - no fault\", \"End of social or private sector tenancy - evicted due to anti-social behaviour (ASB)\", \"End of social or private sector tenancy - evicted due to rent arrears\" or \"End of social or private sector tenancy - evicted for any other reason\".",
        Severity::Error
    );
    rule!(
        renewal_previous_situation,
        valid_renewal(),
        LA,
        |r| {
            r.set(100, "3");
        },
        100,
        "You said this letting is a renewal to the same tenant in the same property in the set up section. This means where the household was immediately before this letting must be \"Fixed-term local authority general needs tenancy\", \"Fixed-term private registered provider (PRP) general needs tenancy\", \"Lifetime local authority general needs tenancy\", \"Lifetime private registered provider (PRP) general needs tenancy\", \"Extra care housing\", \"Older people's housing for tenants with low support needs\" or \"Other supported housing.\"",
        Severity::Error
    );
    rule!(
        renewal_just_moved_on_renewal_field,
        valid_renewal(),
        LA,
        |r| {
            r.set(96, "1");
        },
        7,
        "This letting cannot be a renewal if the household has just moved to the local authority area",
        Severity::Error
    );

    // Income and benefits.
    rule!(
        income_known_invalid,
        |r| {
            r.set(117, "4");
        },
        117,
        "You must answer household’s combined total income after tax."
    );
    rule!(
        income_frequency_missing,
        |r| {
            r.set(118, "");
        },
        118,
        "You must answer how often the household receives this amount."
    );
    rule!(
        income_given_frequency_missing,
        |r| {
            r.set(118, "");
        },
        119,
        "Select how often the household receives income."
    );
    rule!(
        income_missing,
        |r| {
            r.set(119, "");
        },
        119,
        "You must answer total household income."
    );
    rule!(
        frequency_given_income_missing,
        |r| {
            r.set(119, "");
        },
        118,
        "Enter how much income the household has in total."
    );
    rule!(
        income_not_a_number,
        |r| {
            r.set(119, "£2600");
        },
        119,
        "Total household income must be a number."
    );
    rule!(
        income_negative,
        |r| {
            r.set(119, "-5");
        },
        119,
        "Enter an amount above 0."
    );
    rule!(
        income_above_hard_max,
        |r| {
            r.set(118, "1");
            r.set(119, "5000");
        },
        119,
        "The household’s income cannot be greater than £4,230.00 per week given the household’s working situation."
    );
    rule!(
        income_above_hard_max_ecstat,
        |r| {
            r.set(118, "1");
            r.set(119, "5000");
        },
        46,
        "The household’s income of £5,000.00 every week is too high given the household’s working situation."
    );
    rule!(
        income_above_hard_max_child_age,
        |r| {
            r.set(118, "1");
            r.set(119, "5000");
        },
        56,
        "The household’s income of £5,000.00 every week is too high for the number of adults. Change either the household income or the age of the tenants."
    );
    rule!(
        income_below_hard_min,
        |r| {
            r.set(118, "1");
            r.set(119, "100");
        },
        119,
        "The household’s income cannot be less than £160.00 per week given the household’s working situation."
    );
    rule!(
        income_low,
        |r| {
            r.set(118, "1");
            r.set(119, "200");
        },
        119,
        "You told us that the household’s income is £200.00 every week. This is lower than we would expect for the household’s working situation.",
        soft
    );
    rule!(
        housing_benefit_invalid,
        |r| {
            r.set(120, "2");
        },
        120,
        "Enter a valid value for is the tenant likely to be receiving any of these housing-related benefits?"
    );
    rule!(
        benefits_missing,
        |r| {
            r.set(121, "");
        },
        121,
        "You must answer household income from universal credit, state pension or benefit."
    );
    rule!(
        all_benefits_but_working,
        |r| {
            r.set(121, "1");
        },
        121,
        "Answer cannot be ‘all’ for income from Universal Credit, state pensions or benefits if the tenant or their partner works part-time or full-time."
    );
    rule!(
        no_benefits_but_universal_credit,
        |r| {
            r.set(121, "3");
        },
        120,
        "You answered that none of the household’s income is from Universal Credit, state pensions or benefits, but also that the tenant is likely to be receiving Universal Credit or housing benefit."
    );

    // Rent and charges.
    rule!(
        household_charge_missing_for_supported_housing,
        |r| {
            r.set(4, "2");
        },
        122,
        "You must answer does the household pay rent or charges."
    );
    rule!(
        household_charge_no_but_charges,
        |r| {
            r.set(4, "2");
            r.set(122, "1");
        },
        124,
        "Answer either the ‘household rent and charges’ question or ‘is this accommodation a care home‘, or select ‘no’ for ‘does the household pay rent or charges for the accommodation?’"
    );
    rule!(
        period_missing,
        |r| {
            r.set(123, "");
        },
        123,
        "You must answer frequency of household rent and charges."
    );
    rule!(
        period_invalid,
        |r| {
            r.set(123, "12");
        },
        123,
        "Enter a valid value for how often does the household pay rent and other charges?"
    );
    rule!(
        charge_missing,
        |r| {
            r.set(126, "");
        },
        126,
        "Please enter the personal service charge. If there is no personal service charge, please enter '0'."
    );
    rule!(
        charge_missing_others_flagged,
        |r| {
            r.set(126, "");
        },
        124,
        "You must enter all these fields: basic rent, service charge, personal service charge and support charge. Please enter ‘0' for any types of charges that you don’t issue."
    );
    rule!(
        charge_too_precise,
        |r| {
            r.set(124, "120.505");
        },
        124,
        "Basic rent must be given to the nearest hundredth."
    );
    rule!(
        charge_negative,
        |r| {
            r.set(127, "-1");
        },
        127,
        "Enter an amount above 0."
    );
    rule!(
        charge_not_a_number,
        |r| {
            r.set(125, "1,000");
        },
        125,
        "Service charge must be a number."
    );
    rule!(
        total_charge_under_10,
        |r| {
            r.set(124, "5");
            r.set(125, "0");
            r.set(129, "1");
        },
        127,
        "Enter a total charge that is at least £10.00 per week."
    );
    rule!(
        support_charge_over_max,
        |r| {
            r.set(127, "250");
        },
        127,
        "Enter a value for the support charge between £0 and £200.00 paid every week. £200.00 is the max limit for rent and charges paid every week for general needs lettings owned by a local authority."
    );
    rule!(
        service_charge_high,
        |r| {
            r.set(125, "30");
        },
        125,
        "You told us the service charge is £30.00 every week. This is higher than we would expect.",
        soft
    );
    rule!(
        personal_service_charge_high_prp,
        valid_prp(),
        PRP,
        |r| {
            r.set(126, "40");
        },
        126,
        "You told us the personal service charge is £40.00 every week. This is higher than we would expect.",
        Severity::Check
    );
    rule!(
        shortfall_answer_missing,
        |r| {
            r.set(128, "");
            r.set(129, "");
        },
        128,
        "You must answer any outstanding amount for basic rent and charges."
    );
    rule!(
        shortfall_amount_missing,
        |r| {
            r.set(129, "");
        },
        129,
        "You must answer estimated outstanding amount."
    );
    rule!(
        shortfall_amount_without_shortfall,
        |r| {
            r.set(128, "2");
        },
        129,
        "You cannot answer the outstanding amount question if you don’t have outstanding rent or charges."
    );
    rule!(
        shortfall_answer_must_be_yes,
        |r| {
            r.set(128, "2");
        },
        128,
        "Answer must be ‘yes’ as you have answered the outstanding amount question."
    );
    rule!(
        shortfall_without_benefit,
        |r| {
            r.set(120, "9");
        },
        129,
        "Answer cannot be ‘yes’ to outstanding amount for basic rent or charges if tenant does not receive housing benefit or Universal Credit or you‘re not sure."
    );
    rule!(
        shortfall_over_total,
        |r| {
            r.set(129, "200");
        },
        129,
        "Enter a value less than the total charge."
    );
    rule!(
        total_under_shortfall,
        |r| {
            r.set(129, "200");
        },
        125,
        "The total charge must be more than the outstanding amount."
    );
    rule!(
        shortfall_zero,
        |r| {
            r.set(129, "0");
        },
        129,
        "Enter a value over £0.01 as you told us there is an outstanding amount."
    );
}
