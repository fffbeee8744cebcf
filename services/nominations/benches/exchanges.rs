//! Mutual exchange matching over 50,000 listings, printing how long finding every two-way
//! swap and three-way chain takes (goal ≤ 5 s) and how many there are.
//!
//! Run with `cargo bench -p nominations --bench exchanges`.

use std::time::Instant;

use housing_testkit::Lcg;
use nominations::domain::exchange::{Home, Listing, Wants, find};

const LISTINGS: usize = 50_000;
/// Local housing areas across the mobility scheme (England has about 300 councils).
const AREAS: u16 = 300;

/// Tenants as a national exchange register holds them: homes of one to four bedrooms in
/// 300 areas; each wants its own area and up to two neighbouring ones, its own size or one
/// up or down, half of them any kind of home.
fn listings(n: usize) -> Vec<Listing> {
    let mut seq = Lcg::new(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|_| {
            let area = seq.below(AREAS as u64) as u16;
            let bedrooms = 1 + seq.below(4) as u8;
            let kind = seq.below(3) as u8;
            let near = (0..1 + seq.below(3))
                .map(|d| ((area as u64 + d) % AREAS as u64) as u16)
                .collect();
            let want = match seq.below(3) {
                0 => bedrooms.saturating_sub(1).max(1),
                1 => bedrooms,
                _ => (bedrooms + 1).min(4),
            };
            Listing {
                home: Home {
                    area,
                    bedrooms,
                    kind,
                },
                wants: Wants {
                    areas: near,
                    min_bedrooms: want,
                    max_bedrooms: want,
                    kinds: if seq.below(2) == 0 {
                        vec![]
                    } else {
                        vec![seq.below(3) as u8]
                    },
                },
            }
        })
        .collect()
}

fn main() {
    let listings = listings(LISTINGS);
    let mut times = Vec::new();
    let mut found = None;
    for _ in 0..3 {
        let started = Instant::now();
        found = Some(find(&listings));
        times.push(started.elapsed());
    }
    times.sort();
    let found = found.unwrap();
    println!(
        "exchange matching over {LISTINGS} listings: {} two-way swaps and {} three-way chains in {:.2} s (median of 3; goal <= 5 s)",
        found.swaps.len(),
        found.chains.len(),
        times[1].as_secs_f64()
    );
}
