//! Made-up data that is the same every run: tests, benchmarks and the demo borough draw from
//! one small generator, so a figure or a failure can be reproduced.

/// A linear congruential generator: enough variety, no dependency, same every run.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(6364136223846793005).wrapping_add(1))
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.index(n) == 0
    }

    /// An index below `n` (`n` > 0).
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// 64 bits, from three draws of 31.
    pub fn bits(&mut self) -> u64 {
        (self.below(1 << 31) << 33) ^ (self.below(1 << 31) << 2) ^ self.below(4)
    }
}

/// An application taken in with most answers still to come: one person in the north area.
/// Enough for what an officer records on taking it in.
pub fn thin_application(request_id: &str) -> housing_proto::register::v1::SubmitApplicationRequest {
    use housing_proto::register::v1 as pb;
    pb::SubmitApplicationRequest {
        request_id: request_id.into(),
        lead_applicant: Some(pb::HouseholdMember {
            given_name: "Ada".into(),
            family_name: "Okafor".into(),
            date_of_birth: "1990-04-01".into(),
            sex: pb::Sex::Female as i32,
            relationship: pb::Relationship::LeadApplicant as i32,
            pregnant: false,
            ..Default::default()
        }),
        details: Some(pb::ApplicationDetails {
            area: "north".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}
