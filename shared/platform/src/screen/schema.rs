//! The shape of every housing request, read from the compiled proto descriptors: which
//! fields a message has, of what type, which enum values exist, and which message each
//! RPC takes. The request screen walks requests with it, and the fuzz harness builds them.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};

/// A field's type as the wire carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Double,
    Float,
    /// int32, int64, uint32, uint64: varints read as two's complement.
    Int {
        bits: u8,
        signed: bool,
    },
    /// sint32, sint64: zig-zag varints.
    ZigZag {
        bits: u8,
    },
    Fixed32,
    Fixed64,
    Bool,
    String,
    Bytes,
    Enum(String),
    Message(String),
}

impl Kind {
    /// Whether a repeated field of this kind may arrive packed.
    pub fn packable(&self) -> bool {
        !matches!(self, Kind::String | Kind::Bytes | Kind::Message(_))
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub number: u32,
    pub kind: Kind,
    pub repeated: bool,
}

#[derive(Debug, Clone, Default)]
pub struct MessageType {
    pub name: String,
    /// By field number.
    pub fields: BTreeMap<u32, Field>,
}

#[derive(Debug, Clone)]
pub struct Method {
    /// `/housing.register.v1.RegisterService/GetApplication`
    pub path: String,
    pub service: String,
    pub name: String,
    pub input: String,
    pub output: String,
    pub client_streaming: bool,
    pub server_streaming: bool,
}

#[derive(Debug, Default)]
pub struct Schema {
    messages: HashMap<String, MessageType>,
    /// Each enum's declared numbers, sorted.
    enums: HashMap<String, Vec<i32>>,
    methods: BTreeMap<String, Method>,
}

impl Schema {
    /// Every housing service's RPCs and messages.
    pub fn housing() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::from_encoded(housing_proto::FILE_DESCRIPTOR_SET)
                .expect("the compiled-in descriptor set decodes")
        })
    }

    pub fn from_encoded(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        let set = FileDescriptorSet::decode(bytes)?;
        let mut schema = Schema::default();
        for file in &set.file {
            let package = file.package();
            for message in &file.message_type {
                schema.add_message(package, message);
            }
            for e in &file.enum_type {
                schema.add_enum(package, e);
            }
            for service in &file.service {
                let service_name = format!("{package}.{}", service.name());
                for m in &service.method {
                    let path = format!("/{service_name}/{}", m.name());
                    schema.methods.insert(
                        path.clone(),
                        Method {
                            path,
                            service: service_name.clone(),
                            name: m.name().to_owned(),
                            input: trim_dot(m.input_type()),
                            output: trim_dot(m.output_type()),
                            client_streaming: m.client_streaming(),
                            server_streaming: m.server_streaming(),
                        },
                    );
                }
            }
        }
        Ok(schema)
    }

    fn add_message(&mut self, scope: &str, message: &DescriptorProto) {
        let name = format!("{scope}.{}", message.name());
        for nested in &message.nested_type {
            self.add_message(&name, nested);
        }
        for e in &message.enum_type {
            self.add_enum(&name, e);
        }
        let fields = message
            .field
            .iter()
            .filter_map(|f| {
                let kind = match f.r#type() {
                    Type::Double => Kind::Double,
                    Type::Float => Kind::Float,
                    Type::Int64 => Kind::Int {
                        bits: 64,
                        signed: true,
                    },
                    Type::Uint64 => Kind::Int {
                        bits: 64,
                        signed: false,
                    },
                    Type::Int32 => Kind::Int {
                        bits: 32,
                        signed: true,
                    },
                    Type::Uint32 => Kind::Int {
                        bits: 32,
                        signed: false,
                    },
                    Type::Sint32 => Kind::ZigZag { bits: 32 },
                    Type::Sint64 => Kind::ZigZag { bits: 64 },
                    Type::Fixed64 | Type::Sfixed64 => Kind::Fixed64,
                    Type::Fixed32 | Type::Sfixed32 => Kind::Fixed32,
                    Type::Bool => Kind::Bool,
                    Type::String => Kind::String,
                    Type::Bytes => Kind::Bytes,
                    Type::Enum => Kind::Enum(trim_dot(f.type_name())),
                    Type::Message => Kind::Message(trim_dot(f.type_name())),
                    // Groups are proto2 only; no housing proto has one.
                    Type::Group => return None,
                };
                Some((
                    u32::try_from(f.number()).ok()?,
                    Field {
                        name: f.name().to_owned(),
                        number: u32::try_from(f.number()).ok()?,
                        kind,
                        repeated: f.label() == Label::Repeated,
                    },
                ))
            })
            .collect();
        self.messages
            .insert(name.clone(), MessageType { name, fields });
    }

    fn add_enum(&mut self, scope: &str, e: &EnumDescriptorProto) {
        let mut values: Vec<i32> = e.value.iter().map(|v| v.number()).collect();
        values.sort_unstable();
        self.enums.insert(format!("{scope}.{}", e.name()), values);
    }

    /// The RPC a request path names, if it is one of ours.
    pub fn method(&self, path: &str) -> Option<&Method> {
        self.methods.get(path)
    }

    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.methods.values()
    }

    pub fn message(&self, name: &str) -> Option<&MessageType> {
        self.messages.get(name)
    }

    /// The numbers an enum declares, sorted.
    pub fn enum_values(&self, name: &str) -> &[i32] {
        self.enums.get(name).map(Vec::as_slice).unwrap_or_default()
    }
}

fn trim_dot(name: &str) -> String {
    name.trim_start_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rpc_and_its_request_are_known() {
        let schema = Schema::housing();
        let get = schema
            .method("/housing.register.v1.RegisterService/GetApplication")
            .expect("GetApplication is a method");
        assert!(!get.client_streaming);
        let request = schema.message(&get.input).expect("its request is known");
        assert!(request.fields.values().any(|f| f.kind == Kind::String));
        let upload = schema
            .method("/housing.documents.v1.DocumentsService/UploadDocument")
            .expect("UploadDocument is a method");
        assert!(upload.client_streaming);
        for method in schema.methods() {
            assert!(schema.message(&method.input).is_some(), "{}", method.path);
        }
    }
}
