//! Mutual exchanges: tenants list their home and what they would move to; a two-way swap is
//! two tenants each wanting the other's home, a three-way chain is A moving into B's home,
//! B into C's and C into A's. Found through buckets of homes alike (area, bedrooms, kind),
//! so the work follows the matches there are rather than every pair of listings.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Home {
    pub area: u16,
    pub bedrooms: u8,
    pub kind: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wants {
    /// Areas the tenant would move to; empty for any.
    pub areas: Vec<u16>,
    pub min_bedrooms: u8,
    pub max_bedrooms: u8,
    /// Kinds of home; empty for any.
    pub kinds: Vec<u8>,
}

impl Wants {
    pub fn accepts(&self, home: &Home) -> bool {
        (self.areas.is_empty() || self.areas.contains(&home.area))
            && (self.min_bedrooms..=self.max_bedrooms).contains(&home.bedrooms)
            && (self.kinds.is_empty() || self.kinds.contains(&home.kind))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub home: Home,
    pub wants: Wants,
}

/// Every exchange among the listings, each once: swaps as `[a, b]` with `a < b`, chains as
/// `[a, b, c]` meaning a moves into b's home, b into c's and c into a's, starting from the
/// smallest index. Indexes are positions in the listings given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exchanges {
    pub swaps: Vec<[usize; 2]>,
    pub chains: Vec<[usize; 3]>,
}

pub fn find(listings: &[Listing]) -> Exchanges {
    // Homes alike share a bucket; each listing knows the buckets it would accept.
    let mut bucket_of: HashMap<Home, usize> = HashMap::new();
    let mut buckets: Vec<Home> = Vec::new();
    let home_bucket: Vec<usize> = listings
        .iter()
        .map(|l| {
            *bucket_of.entry(l.home).or_insert_with(|| {
                buckets.push(l.home);
                buckets.len() - 1
            })
        })
        .collect();
    let mut homes_in: Vec<Vec<usize>> = vec![Vec::new(); buckets.len()];
    for (i, &b) in home_bucket.iter().enumerate() {
        homes_in[b].push(i);
    }
    let accepted: Vec<Vec<usize>> = listings
        .iter()
        .map(|l| {
            (0..buckets.len())
                .filter(|&b| l.wants.accepts(&buckets[b]))
                .collect()
        })
        .collect();
    let wants_bucket = |i: usize, b: usize| accepted[i].binary_search(&b).is_ok();
    // Listings by (the bucket of their home, a bucket they accept): the third tenant of a
    // chain must live where the second wants to go and want where the first lives.
    let mut by_home_and_wish: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (k, wished) in accepted.iter().enumerate() {
        for &w in wished {
            by_home_and_wish
                .entry((home_bucket[k], w))
                .or_default()
                .push(k);
        }
    }

    let mut found = Exchanges::default();
    for a in 0..listings.len() {
        for &wanted in &accepted[a] {
            for &b in &homes_in[wanted] {
                if b == a {
                    continue;
                }
                if b > a && wants_bucket(b, home_bucket[a]) {
                    found.swaps.push([a, b]);
                }
                if b < a {
                    continue;
                }
                for &c_bucket in &accepted[b] {
                    let Some(third) = by_home_and_wish.get(&(c_bucket, home_bucket[a])) else {
                        continue;
                    };
                    for &c in third {
                        if c > a && c != b {
                            found.chains.push([a, b, c]);
                        }
                    }
                }
            }
        }
    }
    found.swaps.sort_unstable();
    found.chains.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every exchange by trying every pair and every triple.
    fn brute_force(listings: &[Listing]) -> Exchanges {
        let moves = |x: usize, y: usize| x != y && listings[x].wants.accepts(&listings[y].home);
        let n = listings.len();
        let mut found = Exchanges::default();
        for a in 0..n {
            for b in a + 1..n {
                if moves(a, b) && moves(b, a) {
                    found.swaps.push([a, b]);
                }
            }
        }
        for a in 0..n {
            for b in a + 1..n {
                for c in a + 1..n {
                    if b != c && moves(a, b) && moves(b, c) && moves(c, a) {
                        found.chains.push([a, b, c]);
                    }
                }
            }
        }
        found.swaps.sort_unstable();
        found.chains.sort_unstable();
        found
    }

    fn listing(area: u16, bedrooms: u8, wants_area: u16, wants_bedrooms: u8) -> Listing {
        Listing {
            home: Home {
                area,
                bedrooms,
                kind: 0,
            },
            wants: Wants {
                areas: vec![wants_area],
                min_bedrooms: wants_bedrooms,
                max_bedrooms: wants_bedrooms,
                kinds: vec![],
            },
        }
    }

    #[test]
    fn two_tenants_wanting_each_others_homes_swap() {
        let found = find(&[listing(1, 3, 2, 2), listing(2, 2, 1, 3)]);
        assert_eq!(found.swaps, vec![[0, 1]]);
        assert!(found.chains.is_empty());
    }

    #[test]
    fn three_tenants_in_a_ring_make_one_chain_in_the_direction_they_move() {
        // 0 wants 1's home, 1 wants 2's, 2 wants 0's.
        let found = find(&[
            listing(1, 1, 2, 2),
            listing(2, 2, 3, 3),
            listing(3, 3, 1, 1),
        ]);
        assert!(found.swaps.is_empty());
        assert_eq!(found.chains, vec![[0, 1, 2]]);
    }

    fn arb_listing() -> impl Strategy<Value = Listing> {
        (
            0u16..3,
            1u8..4,
            0u8..2,
            prop::collection::vec(0u16..3, 0..3),
            1u8..4,
            0u8..2,
            prop::collection::vec(0u8..2, 0..2),
        )
            .prop_map(|(area, bedrooms, kind, areas, min, extra, kinds)| Listing {
                home: Home {
                    area,
                    bedrooms,
                    kind,
                },
                wants: Wants {
                    areas,
                    min_bedrooms: min,
                    max_bedrooms: min + extra,
                    kinds,
                },
            })
    }

    proptest! {
        #[test]
        fn every_swap_and_chain_is_found_once_as_brute_force_finds_them(
            listings in prop::collection::vec(arb_listing(), 0..14)
        ) {
            prop_assert_eq!(find(&listings), brute_force(&listings));
        }
    }
}
