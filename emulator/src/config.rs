//! Command line and environment, resolved once at start-up into a [`Config`].
//!
//! Arguments are parsed by hand: there are few of them, and start-up must take milliseconds.
//! The environment is passed in as a function so the rules can be unit-tested.

use std::path::PathBuf;
use std::time::Duration;

use crate::cache::CacheSettings;
use crate::knobs::{self, RuntimeKnobs};
use crate::readiness;

pub const DEFAULT_PORT: u16 = 2773;
pub const PORT_VAR: &str = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
/// The token chain, in order; the same as the client's (DESIGN.md §3).
pub const TOKEN_VARS: [&str; 4] = [
    "PARAMSECRETS_TOKEN",
    "AWS_TOKEN",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
];
pub const LOG_VAR: &str = "PARAMSECRETS_EMULATOR_LOG";
/// Set by Lambda (and RIE) for the runtime and every extension: `host:port` of the APIs.
pub const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";
/// The store in the Lambda extension mode (there are no arguments there).
pub const STORE_VAR: &str = "PARAMSECRETS_EMULATOR_STORE";
pub const DEFAULT_LAMBDA_STORE: &str = "/opt/paramsecrets/store.json";
/// The dialect when `--dialect` is not given (the only way to choose it in a Lambda layer).
pub const DIALECT_VAR: &str = "PARAMSECRETS_EMULATOR_DIALECT";
/// The environment twins of the runtime knobs' flags.
pub const LATENCY_VAR: &str = "PARAMSECRETS_EMULATOR_UPSTREAM_LATENCY_MS";
pub const DOWN_VAR: &str = "PARAMSECRETS_EMULATOR_UPSTREAM_DOWN";
pub const NOT_FOUND_STATUS_VAR: &str = "PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS";
pub const LIFETIME_VAR: &str = "PARAMSECRETS_EMULATOR_CONNECTION_LIFETIME";
/// How long a not-ready request waits for the INVOKE in the Lambda extension mode (ms).
pub const INVOKE_HOLD_VAR: &str = "PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS";
/// The most [`INVOKE_HOLD_VAR`] accepts: longer than any INIT a test would stage.
const MAX_INVOKE_HOLD_MS: u64 = 60_000;
const EXTENSION_LOG_VAR: &str = "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL";
const CACHE_ENABLED_VAR: &str = "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED";
const CACHE_SIZE_VAR: &str = "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE";
const SSM_TTL_VAR: &str = "SSM_PARAMETER_STORE_TTL";
const SM_TTL_VAR: &str = "SECRETS_MANAGER_TTL";
const DEFAULT_TTL_SECS: u64 = 300;
const DEFAULT_CACHE_SIZE: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The AWS-managed Parameters and Secrets Lambda Extension.
    Extension,
    /// The open-source aws-secretsmanager-agent.
    Agent,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Extension => "extension",
            Dialect::Agent => "agent",
        }
    }

    /// The longest TTL each real server accepts.
    fn max_ttl_secs(self) -> u64 {
        match self {
            Dialect::Extension => 300,
            Dialect::Agent => 3600,
        }
    }
}

/// The command line as given, before the environment fills the gaps.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Args {
    pub store: Option<PathBuf>,
    pub port: Option<u16>,
    pub dialect: Option<Dialect>,
    pub token: Option<String>,
    pub not_ready_for: Option<Duration>,
    pub lambda_extension: bool,
    pub upstream_latency_ms: Option<u64>,
    pub upstream_down: bool,
    pub not_found_status: Option<u16>,
    pub connection_lifetime_secs: Option<f64>,
    pub verbose: bool,
    pub help: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub store: PathBuf,
    pub port: u16,
    pub dialect: Dialect,
    pub token: String,
    pub not_ready_for: Duration,
    /// `Some(host:port of the Extensions API)` in the Lambda extension mode.
    pub lambda_runtime_api: Option<String>,
    /// In that mode, how long a not-ready request waits for the INVOKE before its answer.
    pub invoke_hold: Duration,
    pub knobs: RuntimeKnobs,
    pub log_level: log::LevelFilter,
    pub cache: CacheSettings,
    /// Notes about the environment to log once the logger is up (e.g. a clamped TTL).
    pub warnings: Vec<String>,
}

/// Parses `argv[1..]`. Errors are usage messages.
pub fn parse_args<I: IntoIterator<Item = String>>(argv: I) -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => Err(format!("{name} needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => args.help = true,
            "-v" | "--verbose" => args.verbose = true,
            "--lambda-extension" => args.lambda_extension = true,
            "--upstream-down" => args.upstream_down = true,
            "--upstream-latency-ms" => {
                let v = value("--upstream-latency-ms")?;
                args.upstream_latency_ms = Some(parse_ms("--upstream-latency-ms", &v)?);
            }
            "--not-found-status" => {
                let v = value("--not-found-status")?;
                args.not_found_status = Some(parse_not_found_status("--not-found-status", &v)?);
            }
            "--connection-lifetime" => {
                let v = value("--connection-lifetime")?;
                args.connection_lifetime_secs = Some(parse_lifetime("--connection-lifetime", &v)?);
            }
            "--store" => args.store = Some(PathBuf::from(value("--store")?)),
            "--port" => {
                let v = value("--port")?;
                args.port = Some(
                    v.parse::<u16>()
                        .map_err(|_| format!("--port: {v:?} is not a port number (0-65535)"))?,
                );
            }
            "--dialect" => args.dialect = Some(parse_dialect("--dialect", &value("--dialect")?)?),
            "--token" => args.token = Some(value("--token")?),
            "--not-ready-for" => {
                let v = value("--not-ready-for")?;
                let ms = v.parse::<u64>().map_err(|_| {
                    format!("--not-ready-for: {v:?} is not a number of milliseconds")
                })?;
                args.not_ready_for = Some(Duration::from_millis(ms));
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(args)
}

fn parse_ms(source: &str, v: &str) -> Result<u64, String> {
    v.trim()
        .parse::<u64>()
        .map_err(|_| format!("{source}: {v:?} is not a whole number of milliseconds"))
}

fn parse_not_found_status(source: &str, v: &str) -> Result<u16, String> {
    let status = v
        .trim()
        .parse::<u16>()
        .map_err(|_| format!("{source}: {v:?} is not an HTTP status"))?;
    knobs::check_not_found_status(status).map_err(|e| format!("{source}: {e}"))
}

fn parse_lifetime(source: &str, v: &str) -> Result<f64, String> {
    let secs = v
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("{source}: {v:?} is not a number of seconds"))?;
    knobs::check_lifetime(secs).map_err(|e| format!("{source}: {e}"))
}

fn parse_bool(source: &str, v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" | "" => Ok(false),
        _ => Err(format!("{source}: {v:?} is not true/false/1/0")),
    }
}

/// The runtime knobs' start-up values: flag, else environment, else the dialect's default.
fn runtime_knobs(
    args: &Args,
    dialect: Dialect,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<RuntimeKnobs, String> {
    let upstream_latency_ms = match (args.upstream_latency_ms, env(LATENCY_VAR)) {
        (Some(ms), _) => ms,
        (None, Some(v)) => parse_ms(LATENCY_VAR, &v)?,
        (None, None) => 0,
    };
    let upstream_down = match env(DOWN_VAR) {
        _ if args.upstream_down => true,
        Some(v) => parse_bool(DOWN_VAR, &v)?,
        None => false,
    };
    let not_found_status = match (args.not_found_status, env(NOT_FOUND_STATUS_VAR)) {
        (Some(s), _) => s,
        (None, Some(v)) => parse_not_found_status(NOT_FOUND_STATUS_VAR, &v)?,
        (None, None) => 400,
    };
    let connection_lifetime_secs = match (args.connection_lifetime_secs, env(LIFETIME_VAR)) {
        (Some(s), _) => s,
        (None, Some(v)) => parse_lifetime(LIFETIME_VAR, &v)?,
        // The managed extension's connection handling is not known; the Agent's is.
        (None, None) => match dialect {
            Dialect::Agent => knobs::AGENT_CONNECTION_LIFETIME_SECS,
            Dialect::Extension => 0.0,
        },
    };
    Ok(RuntimeKnobs {
        upstream_latency_ms,
        upstream_down,
        not_found_status,
        connection_lifetime_secs,
    })
}

fn parse_dialect(source: &str, v: &str) -> Result<Dialect, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "extension" => Ok(Dialect::Extension),
        "agent" => Ok(Dialect::Agent),
        _ => Err(format!("{source}: {v:?} is not extension or agent")),
    }
}

/// Reads a token value, following `file://PATH` (read and trimmed, like the Agent does).
fn token_value(source: &str, raw: String) -> Result<String, String> {
    let token = match raw.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the token file {path} named by {source}: {e}"))?
            .trim()
            .to_string(),
        None => raw,
    };
    if token.is_empty() {
        return Err(format!("the token from {source} is empty"));
    }
    Ok(token)
}

/// `--token`, else the first of [`TOKEN_VARS`] that is set and non-empty.
pub fn resolve_token(
    explicit: Option<String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    if let Some(t) = explicit {
        return token_value("--token", t);
    }
    for var in TOKEN_VARS {
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            return token_value(var, v);
        }
    }
    Err(format!(
        "no token: pass --token or set one of {} (a value file://PATH is read from that file)",
        TOKEN_VARS.join(", ")
    ))
}

fn parse_log_level(v: &str) -> Option<log::LevelFilter> {
    Some(match v.trim().to_ascii_lowercase().as_str() {
        "debug" | "trace" => log::LevelFilter::Debug,
        "info" => log::LevelFilter::Info,
        "warn" | "warning" => log::LevelFilter::Warn,
        "error" => log::LevelFilter::Error,
        "none" | "off" => log::LevelFilter::Off,
        _ => return None,
    })
}

fn ttl(
    var: &str,
    label: &str,
    dialect: Dialect,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<String>,
) -> Duration {
    let max = dialect.max_ttl_secs();
    let secs = match env(var) {
        None => DEFAULT_TTL_SECS,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(s) if s > max => {
                // The managed extension's own words (minus its typo), so logs look familiar.
                warnings.push(format!(
                    "{var} exceeds max limit. Setting {label} TTL to {}m{}s.",
                    max / 60,
                    max % 60
                ));
                max
            }
            Ok(s) => s,
            Err(_) => {
                warnings.push(format!(
                    "{var}={v:?} is not a whole number of seconds; using {DEFAULT_TTL_SECS}"
                ));
                DEFAULT_TTL_SECS
            }
        },
    };
    Duration::from_secs(secs)
}

/// The extension's cache variables, as the chosen dialect would read them.
pub fn cache_settings(
    dialect: Dialect,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<String>,
) -> CacheSettings {
    let enabled = match env(CACHE_ENABLED_VAR) {
        None => true,
        Some(v) => match v.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                warnings.push(format!(
                    "{CACHE_ENABLED_VAR}={v:?} is not TRUE or FALSE; caching stays enabled"
                ));
                true
            }
        },
    };
    let size = match env(CACHE_SIZE_VAR) {
        None => DEFAULT_CACHE_SIZE,
        Some(v) => match v.trim().parse::<usize>() {
            Ok(s) if s > 1000 => {
                warnings.push(format!(
                    "{CACHE_SIZE_VAR}={s} exceeds max limit. Setting cache size to 1000 objects."
                ));
                1000
            }
            Ok(s) => s,
            Err(_) => {
                warnings.push(format!(
                    "{CACHE_SIZE_VAR}={v:?} is not a whole number; using {DEFAULT_CACHE_SIZE}"
                ));
                DEFAULT_CACHE_SIZE
            }
        },
    };
    CacheSettings {
        enabled,
        size,
        parameter_ttl: ttl(SSM_TTL_VAR, "Parameter Store", dialect, env, warnings),
        secret_ttl: ttl(SM_TTL_VAR, "Secrets Manager", dialect, env, warnings),
        promote_on_read: dialect == Dialect::Extension,
    }
}

/// Combines arguments and environment. Errors are fatal start-up messages.
///
/// The Lambda extension mode is chosen by `--lambda-extension`, or implicitly when no `--store`
/// is given and `AWS_LAMBDA_RUNTIME_API` is set: Lambda starts `/opt/extensions/<name>` with
/// no arguments at all, and without `--store` the normal mode could not start anyway.
pub fn resolve(args: Args, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, String> {
    let runtime_api = env(RUNTIME_API_VAR).filter(|v| !v.trim().is_empty());
    let lambda = args.lambda_extension || (args.store.is_none() && runtime_api.is_some());
    let lambda_runtime_api = if lambda {
        let Some(api) = runtime_api else {
            return Err(format!(
                "--lambda-extension: {RUNTIME_API_VAR} is not set (Lambda sets it for extensions)"
            ));
        };
        if args.not_ready_for.is_some() {
            return Err(
                "--not-ready-for does not apply to the Lambda extension mode (it is not ready until the first INVOKE)"
                    .to_string(),
            );
        }
        Some(api.trim().to_string())
    } else {
        None
    };
    let store = match args.store.clone() {
        Some(s) => s,
        None if lambda => PathBuf::from(
            env(STORE_VAR)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_LAMBDA_STORE.to_string()),
        ),
        None => return Err("--store FILE is required (see --help)".to_string()),
    };
    let port = match args.port {
        Some(p) => p,
        None => match env(PORT_VAR) {
            Some(v) => v
                .trim()
                .parse::<u16>()
                .map_err(|_| format!("{PORT_VAR}={v:?} is not a port number"))?,
            None => DEFAULT_PORT,
        },
    };
    let dialect = match (args.dialect, env(DIALECT_VAR).filter(|v| !v.is_empty())) {
        (Some(d), _) => d,
        (None, Some(v)) => parse_dialect(DIALECT_VAR, &v)?,
        (None, None) => Dialect::Extension,
    };
    let knobs = runtime_knobs(&args, dialect, env)?;
    let token = resolve_token(args.token, env)?;
    let log_level = if args.verbose {
        log::LevelFilter::Debug
    } else {
        env(LOG_VAR)
            .and_then(|v| parse_log_level(&v))
            .or_else(|| env(EXTENSION_LOG_VAR).and_then(|v| parse_log_level(&v)))
            .unwrap_or(log::LevelFilter::Info)
    };
    let invoke_hold = match env(INVOKE_HOLD_VAR) {
        None => readiness::INVOKE_HOLD,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(ms) if ms <= MAX_INVOKE_HOLD_MS => Duration::from_millis(ms),
            _ => {
                return Err(format!(
                    "{INVOKE_HOLD_VAR}={v:?} is not a whole number of milliseconds from 0 to {MAX_INVOKE_HOLD_MS}"
                ));
            }
        },
    };
    let mut warnings = Vec::new();
    let cache = cache_settings(dialect, env, &mut warnings);
    Ok(Config {
        store,
        port,
        dialect,
        token,
        not_ready_for: args.not_ready_for.unwrap_or(Duration::ZERO),
        lambda_runtime_api,
        invoke_hold,
        knobs,
        log_level,
        cache,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags_both_spellings() {
        let a = args(&[
            "--store",
            "s.json",
            "--port=0",
            "--dialect",
            "agent",
            "--token",
            "t",
            "--not-ready-for=250",
            "--verbose",
        ])
        .unwrap();
        assert_eq!(a.store, Some(PathBuf::from("s.json")));
        assert_eq!(a.port, Some(0));
        assert_eq!(a.dialect, Some(Dialect::Agent));
        assert_eq!(a.token.as_deref(), Some("t"));
        assert_eq!(a.not_ready_for, Some(Duration::from_millis(250)));
        assert!(a.verbose);
        assert!(args(&["--help"]).unwrap().help);
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--dialect", "lambda"]).is_err());
        assert!(args(&["--bogus"]).is_err());
    }

    #[test]
    fn token_chain_order() {
        let env = env_of(&[("AWS_SESSION_TOKEN", "session"), ("AWS_TOKEN", "")]);
        assert_eq!(resolve_token(None, &env).unwrap(), "session");
        let env = env_of(&[
            ("AWS_SESSION_TOKEN", "session"),
            ("PARAMSECRETS_TOKEN", "mine"),
        ]);
        assert_eq!(resolve_token(None, &env).unwrap(), "mine");
        assert_eq!(resolve_token(Some("x".into()), &env).unwrap(), "x");
        let err = resolve_token(None, &env_of(&[])).unwrap_err();
        for var in TOKEN_VARS {
            assert!(err.contains(var), "{err}");
        }
    }

    #[test]
    fn cache_env_rules() {
        let mut w = Vec::new();
        let s = cache_settings(Dialect::Extension, &env_of(&[]), &mut w);
        assert!(s.enabled);
        assert_eq!(s.size, 1000);
        assert_eq!(s.parameter_ttl, Duration::from_secs(300));
        assert!(w.is_empty());

        let env = env_of(&[
            ("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "False"),
            ("PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "0"),
            ("SSM_PARAMETER_STORE_TTL", "0"),
            ("SECRETS_MANAGER_TTL", "900"),
        ]);
        let s = cache_settings(Dialect::Extension, &env, &mut w);
        assert!(!s.enabled);
        assert_eq!(s.size, 0);
        assert_eq!(s.parameter_ttl, Duration::ZERO);
        assert_eq!(s.secret_ttl, Duration::from_secs(300));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("SECRETS_MANAGER_TTL exceeds max limit"),
            "{w:?}"
        );

        let mut w = Vec::new();
        let s = cache_settings(Dialect::Agent, &env, &mut w);
        assert_eq!(s.secret_ttl, Duration::from_secs(900));
        assert!(w.is_empty());
    }

    #[test]
    fn the_invoke_hold_comes_from_the_environment() {
        let base = [
            ("AWS_SESSION_TOKEN", "t"),
            (RUNTIME_API_VAR, "127.0.0.1:9001"),
        ];
        let c = resolve(Args::default(), &env_of(&base)).unwrap();
        assert_eq!(c.invoke_hold, readiness::INVOKE_HOLD);
        let hold = |v: &str| {
            resolve(
                Args::default(),
                &env_of(&[base[0], base[1], (INVOKE_HOLD_VAR, v)]),
            )
        };
        assert_eq!(
            hold("2500").unwrap().invoke_hold,
            Duration::from_millis(2500)
        );
        assert_eq!(hold(" 0 ").unwrap().invoke_hold, Duration::ZERO);
        for bad in ["-1", "1.5", "soon", "60001"] {
            let e = hold(bad).unwrap_err();
            assert!(e.contains(INVOKE_HOLD_VAR), "{e}");
        }
    }

    #[test]
    fn lambda_extension_mode_selection() {
        let token = ("AWS_SESSION_TOKEN", "t");
        let api = (RUNTIME_API_VAR, "127.0.0.1:9001");
        // Zero arguments inside Lambda: the extension mode, store from the default path.
        let c = resolve(Args::default(), &env_of(&[token, api])).unwrap();
        assert_eq!(c.lambda_runtime_api.as_deref(), Some("127.0.0.1:9001"));
        assert_eq!(c.store, PathBuf::from(DEFAULT_LAMBDA_STORE));
        let c = resolve(
            Args::default(),
            &env_of(&[token, api, (STORE_VAR, "/var/task/s.json")]),
        )
        .unwrap();
        assert_eq!(c.store, PathBuf::from("/var/task/s.json"));
        // --store without the flag: the normal mode even inside Lambda.
        let with_store = Args {
            store: Some("s".into()),
            ..Args::default()
        };
        let c = resolve(with_store.clone(), &env_of(&[token, api])).unwrap();
        assert_eq!(c.lambda_runtime_api, None);
        // The flag selects it explicitly (and keeps --store).
        let flagged = Args {
            lambda_extension: true,
            ..with_store
        };
        let c = resolve(flagged.clone(), &env_of(&[token, api])).unwrap();
        assert!(c.lambda_runtime_api.is_some());
        assert_eq!(c.store, PathBuf::from("s"));
        let e = resolve(flagged.clone(), &env_of(&[token])).unwrap_err();
        assert!(e.contains(RUNTIME_API_VAR), "{e}");
        let e = resolve(
            Args {
                not_ready_for: Some(Duration::from_millis(5)),
                ..flagged
            },
            &env_of(&[token, api]),
        )
        .unwrap_err();
        assert!(e.contains("--not-ready-for"), "{e}");
        // No store and no Lambda: the usual usage error.
        let e = resolve(Args::default(), &env_of(&[token])).unwrap_err();
        assert!(e.contains("--store"), "{e}");
        // The dialect from the environment; the flag wins.
        let c = resolve(
            Args::default(),
            &env_of(&[token, api, (DIALECT_VAR, "Agent")]),
        )
        .unwrap();
        assert_eq!(c.dialect, Dialect::Agent);
        assert!(resolve(Args::default(), &env_of(&[token, api, (DIALECT_VAR, "x")])).is_err());
    }

    #[test]
    fn runtime_knobs_flags_env_defaults() {
        let base = Args {
            store: Some("s".into()),
            token: Some("t".into()),
            ..Args::default()
        };
        let c = resolve(base.clone(), &env_of(&[])).unwrap();
        assert_eq!(
            c.knobs,
            RuntimeKnobs {
                upstream_latency_ms: 0,
                upstream_down: false,
                not_found_status: 400,
                connection_lifetime_secs: 0.0
            }
        );
        let agent = Args {
            dialect: Some(Dialect::Agent),
            ..base.clone()
        };
        let c = resolve(agent.clone(), &env_of(&[])).unwrap();
        assert_eq!(c.knobs.connection_lifetime_secs, 61.0);
        let env = env_of(&[
            (LATENCY_VAR, "40"),
            (DOWN_VAR, "TRUE"),
            (NOT_FOUND_STATUS_VAR, "404"),
            (LIFETIME_VAR, "0"),
        ]);
        let c = resolve(agent, &env).unwrap();
        assert_eq!(c.knobs.upstream_latency_ms, 40);
        assert!(c.knobs.upstream_down);
        assert_eq!(c.knobs.not_found_status, 404);
        assert_eq!(c.knobs.connection_lifetime(), None);
        let flags = args(&[
            "--upstream-latency-ms=7",
            "--not-found-status",
            "400",
            "--connection-lifetime",
            "0.5",
            "--upstream-down",
        ])
        .unwrap();
        let c = resolve(
            Args {
                store: Some("s".into()),
                token: Some("t".into()),
                ..flags
            },
            &env,
        )
        .unwrap();
        assert_eq!(c.knobs.upstream_latency_ms, 7);
        assert_eq!(c.knobs.not_found_status, 400);
        assert_eq!(c.knobs.connection_lifetime_secs, 0.5);
        for bad in [
            &["--not-found-status", "200"][..],
            &["--not-found-status", "x"],
            &["--connection-lifetime", "-1"],
            &["--upstream-latency-ms", "soon"],
        ] {
            assert!(args(bad).is_err(), "{bad:?}");
        }
        assert!(resolve(base.clone(), &env_of(&[(DOWN_VAR, "maybe")])).is_err());
        assert!(resolve(base, &env_of(&[(NOT_FOUND_STATUS_VAR, "500")])).is_err());
    }

    #[test]
    fn port_from_env_and_default() {
        let base = Args {
            store: Some("s".into()),
            token: Some("t".into()),
            ..Args::default()
        };
        let c = resolve(base.clone(), &env_of(&[])).unwrap();
        assert_eq!(c.port, 2773);
        let c = resolve(base.clone(), &env_of(&[(PORT_VAR, "9999")])).unwrap();
        assert_eq!(c.port, 9999);
        let c = resolve(
            Args {
                port: Some(0),
                ..base.clone()
            },
            &env_of(&[(PORT_VAR, "9999")]),
        )
        .unwrap();
        assert_eq!(c.port, 0);
        assert!(resolve(base, &env_of(&[(PORT_VAR, "nope")])).is_err());
    }
}
