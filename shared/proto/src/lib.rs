//! Generated code for `proto/housing/**`: messages, clients and servers for every service.

/// The descriptor set of every housing proto, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/housing.bin"));

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
