//! Generated code for `proto/housing/**`: messages, clients and servers for every service.

/// The descriptor set of every housing proto, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/housing.bin"));

pub mod returns {
    pub mod v1 {
        tonic::include_proto!("housing.returns.v1");
    }
}
pub mod register {
    pub mod v1 {
        tonic::include_proto!("housing.register.v1");
    }
}
pub mod accommodation {
    pub mod v1 {
        tonic::include_proto!("housing.accommodation.v1");
    }
}
pub mod nominations {
    pub mod v1 {
        tonic::include_proto!("housing.nominations.v1");

        impl RefusalReason {
            /// The reason as a letter or a record writes it.
            pub fn words(self) -> &'static str {
                match self {
                    RefusalReason::Unspecified => "no reason given",
                    RefusalReason::Location => "the location",
                    RefusalReason::Size => "the size of the home",
                    RefusalReason::Condition => "the condition of the home",
                    RefusalReason::Accessibility => "its accessibility",
                    RefusalReason::Health => "health",
                    RefusalReason::SchoolsOrWork => "schools or work",
                    RefusalReason::Other => "another reason",
                }
            }
        }

        impl OfferRefused {
            /// Why the offer was refused, in words; an event from before `reason` has only
            /// its text.
            pub fn reason_in_words(&self) -> String {
                match self.reason() {
                    RefusalReason::Unspecified => {
                        #[allow(deprecated)]
                        let text = &self.reason_category;
                        text.replace('_', " ")
                    }
                    reason => reason.words().to_owned(),
                }
            }
        }
    }
}
pub mod rent {
    pub mod v1 {
        tonic::include_proto!("housing.rent.v1");
    }
}
pub mod documents {
    pub mod v1 {
        tonic::include_proto!("housing.documents.v1");
    }
}
