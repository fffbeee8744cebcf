//! A stock of made-up units, written by SQL straight into the service's own database, for
//! the benchmarks of this service and of the console. Built only with the `bench` feature.

use housing_platform::db::Pool;

/// `n` units of one provider, across the five kinds of unit and one to four bedrooms, one in
/// ten in another district than `home` and one in three step-free; three certificates each,
/// expiring on every day of the coming year.
pub async fn seed_units(pool: &Pool, n: i64, home: &str) {
    sqlx::query(
        "INSERT INTO providers (id, name, contact_email, created_at)
         VALUES ('00000000-0000-0000-0000-000000000001', 'Bench', 'b@bench.example', now())",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO units (id, provider_id, address, local_authority, latitude, longitude, unit_type, bedrooms,
                            max_occupancy, self_contained, step_free, wheelchair_accessible, weekly_cost_pence,
                            weekly_rent_pence, block_booked, created_at)
         SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(i), 12, '0'))::uuid, '00000000-0000-0000-0000-000000000001',
                i || ' High Street', CASE WHEN i % 10 = 0 THEN 'Elsewhere' ELSE $2 END,
                51 + (i % 1000) / 1000.0, -0.5 + (i % 997) / 1000.0,
                (ARRAY['bed_and_breakfast', 'nightly_paid_self_contained', 'hostel', 'private_sector_leased',
                       'social_housing_stock'])[1 + i % 5],
                1 + i % 4, 2 * (1 + i % 4), i % 5 NOT IN (0, 2), i % 3 = 0, i % 10 = 0, 20000 + (i % 200) * 100,
                15000, i % 5 = 0, now()
         FROM generate_series(1, $1) AS i",
    )
    .bind(n)
    .bind(home)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO certificates (unit_id, kind, issued_on, expires_on)
         SELECT u.id, k.kind, current_date - 300, current_date + ((hashtext(u.id::text || k.kind) & 511) % 400)
         FROM units u CROSS JOIN (VALUES ('gas_safety'), ('electrical'), ('energy_performance')) AS k(kind)",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}

/// `per_unit` closed placements for each of the first `units` seeded units, each with its
/// request, as years of work leave behind; then fresh statistics. A council's tables are
/// never empty, and plans made for empty ones (a scan of a page or two, kept in each
/// connection's statement cache) grow slower with every row a benchmark adds.
pub async fn seed_history(pool: &Pool, units: i64, per_unit: i64) {
    sqlx::query(
        "WITH history AS (
             SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(1 + i % $1), 12, '0'))::uuid AS unit_id,
                    gen_random_uuid() AS request_id, current_date - 30 * (1 + i / $1)::int AS ended
             FROM generate_series(0, $1 * $2 - 1) AS i
         ), requests AS (
             INSERT INTO placement_requests (id, lead_name, household_size, bedrooms_needed, has_children, pregnant,
                                             needs_step_free, needs_wheelchair_access, duty, anchors, needed_from,
                                             requested_by, created_at)
             SELECT request_id, 'Past Household', 2, 1, false, false, false, false, 'main', '[]', ended - 90,
                    'bench', now()
             FROM history
         )
         INSERT INTO placements (id, placement_request_id, unit_id, status, start_date, end_date, weekly_rent_pence,
                                 closure_reason, decided_by, decided_at)
         SELECT gen_random_uuid(), request_id, unit_id, 'closed', ended - 90, ended, 15000, 'moved_out', 'bench', now()
         FROM history",
    )
    .bind(units)
    .bind(per_unit)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}
