//! A register of realistic made-up applications, written by SQL straight into the register's
//! own database, for the benchmarks of this service and of the services that ask it
//! (nominations). Built only with the `bench` feature.

use housing_platform::db::Pool;

/// Active applications on the housing registers of England.
pub const ENGLAND: i64 = 1_340_000;

/// Applications a benchmark seeds: England's unless `REGISTER_BENCH_APPLICATIONS` says fewer.
pub fn applications() -> i64 {
    std::env::var("REGISTER_BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ENGLAND)
}

/// The example allocations scheme the seeded register is assessed under.
pub const SCHEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemes/banding-example.toml");

/// The areas of [`SCHEME`], the seeded applications' areas.
pub const AREAS: [&str; 5] = ["north", "south", "east", "west", "central"];

/// Households as registers hold them: about half single people, couples, lone parents and
/// couples with up to four children, a few with another adult relative; all eligible and
/// qualifying, as every active application is. Random but seeded, so runs compare.
///
/// Creates the SQL function `person` it builds household members with, and leaves the table
/// vacuumed and analysed. The applications are not yet assessed: run
/// [`crate::app::reassessment::run`] under [`SCHEME`] for that.
pub async fn seed(pool: &Pool, n: i64) {
    person_function(pool).await;
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("SELECT setseed(0.42)")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        r#"
        INSERT INTO applications (id, reference, status, household, area, postcode, details, missing,
                                  lead_date_of_birth, mobility, areas_wanted, property_types,
                                  next_review_on, submitted_by, submitted_at, updated_at)
        -- Ids are UUIDv7 from the submission time, as the service makes them, so the table
        -- is in id order the way a register built up over years would be.
        SELECT (lpad(to_hex((extract(epoch FROM submitted_at) * 1000)::bigint), 12, '0') || '7'
                || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid,
               'REG-' || lpad(i::text, 7, '0'), 'active',
               jsonb_build_object('members',
                   jsonb_build_array(person('lead_applicant', lead_dob, lead_sex))
                   || CASE WHEN partner THEN jsonb_build_array(person('partner', lead_dob + (r1 * 2000 - 1000)::int, 1 - lead_sex)) ELSE '[]' END
                   || CASE WHEN relative THEN jsonb_build_array(person('other_relative', lead_dob - 9000, (r2 * 2)::int)) ELSE '[]' END
                   || COALESCE((SELECT jsonb_agg(person('child', current_date - (random() * 6500)::int, (random() * 2)::int))
                                FROM generate_series(1, children) WHERE i > 0), '[]')),
               area, 'N' || (1 + i % 20) || ' ' || (i % 9) || 'AB',
               jsonb_build_object(
                   'circumstances', jsonb_build_object(
                       'current_bedrooms', (r3 * 4)::int,
                       'tenure', (ARRAY['private_rented','with_family_or_friends','temporary_accommodation','council_tenant','housing_association_tenant'])[1 + (r4 * 5)::int % 5],
                       'address', (1 + i % 300) || ' High Street',
                       'homeless', r5 < 0.10, 'owed_homelessness_duty', r5 < 0.08,
                       'medical_need', r6 < 0.10, 'needs_to_move_for_hardship', r7 < 0.05,
                       'unsatisfactory_conditions', r8 < 0.07, 'armed_forces', r9 < 0.01),
                   'local_connection', jsonb_build_object('years_resident', 2 + (r3 * 30)::int),
                   'immigration', (ARRAY['british_or_irish_citizen','british_or_irish_citizen','british_or_irish_citizen','settled_status','pre_settled_status_worker'])[1 + (r6 * 5)::int % 5],
                   'finances', jsonb_build_object('annual_income_pence', (r7 * 4500000)::int, 'savings_pence', (r8 * 1500000)::int),
                   'mobility', CASE WHEN r9 < 0.02 THEN 'wheelchair_throughout' WHEN r9 < 0.05 THEN 'step_free' ELSE 'general_needs' END,
                   'areas_wanted', CASE WHEN r2 < 0.4 THEN '[]'::jsonb ELSE jsonb_build_array(area) END),
               '{}', lead_dob,
               CASE WHEN r9 < 0.02 THEN 1 WHEN r9 < 0.05 THEN 3 ELSE 4 END,
               CASE WHEN r2 < 0.4 THEN '{}'::text[] ELSE ARRAY[area] END, '{}',
               current_date + (r1 * 365)::int, 'bench', submitted_at, now()
        FROM (
            SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
                   random() r7, random() r8, random() r9,
                   (ARRAY['north','south','east','west','central'])[1 + i % 5] AS area,
                   current_date - (6600 + random() * 20000)::int AS lead_dob,
                   (random() * 2)::int % 2 AS lead_sex,
                   random() < 0.45 AS partner,
                   random() < 0.05 AS relative,
                   (ARRAY[0,0,0,0,0,1,1,2,2,3,4])[1 + (random() * 10)::int] AS children,
                   now() - make_interval(secs => random() * 3650 * 86400) AS submitted_at
            FROM generate_series(1, $1) i
        ) s
        ORDER BY submitted_at
        "#,
    )
    .bind(n)
    .execute(&mut *conn)
    .await
    .expect("seed applications");
    // Each application's history starts with its submission, as the service records it.
    sqlx::query(
        "INSERT INTO status_changes (application_id, from_status, to_status, reason, changed_by, changed_at)
         SELECT id, NULL, 'active', 'application submitted', 'bench', submitted_at FROM applications
         ORDER BY id",
    )
    .execute(&mut *conn)
    .await
    .expect("seed status history");
    sqlx::query("VACUUM ANALYZE applications")
        .execute(pool)
        .await
        .unwrap();
}

async fn person_function(pool: &Pool) {
    sqlx::query(
        r#"
        CREATE OR REPLACE FUNCTION person(relationship text, born date, sex int) RETURNS jsonb
        LANGUAGE sql IMMUTABLE AS $$
            SELECT jsonb_build_object('given_name', 'Sam', 'family_name', 'Jones',
                                      'date_of_birth', born, 'sex', CASE sex WHEN 0 THEN 'female' ELSE 'male' END,
                                      'relationship', relationship, 'pregnant', false)
        $$"#,
    )
    .execute(pool)
    .await
    .unwrap();
}
