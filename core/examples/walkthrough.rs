//! The walkthrough in Rust: read the app's configuration parameter and its database secret
//! through the Parameters and Secrets extension (or the emulator), the way the AWS blog post's
//! Lambda function does, then print the parameter and the secret's *name* (never its value).
//!
//! ```sh
//! # with the emulator and the walkthrough's variables set (see examples/README.md):
//! ENV=dev APP_CONFIG_PATH=demoapp/config CREDS_PATH=dev/demoapp/db \
//!   cargo run -p paramsecrets --example walkthrough
//! ```

use std::process::ExitCode;
use std::time::Instant;

use paramsecrets::blocking::Client;
use paramsecrets::{ParameterRequest, ReadOptions, SecretRequest};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn main() -> ExitCode {
    let env = env_or("ENV", "dev");
    let app_config_path = env_or("APP_CONFIG_PATH", "demoapp/config");
    let creds_path = env_or("CREDS_PATH", "dev/demoapp/db");
    let config_name = format!("/{env}/{app_config_path}");

    // Port and token come from the Lambda environment
    // (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN).
    let client = match Client::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("could not build the client: {} ({e})", e.code());
            return ExitCode::FAILURE;
        }
    };

    for round in ["cold", "warm"] {
        let started = Instant::now();
        let config =
            client.get_parameter(&ParameterRequest::new(&config_name), ReadOptions::default());
        let secret = client.get_secret(&SecretRequest::new(&creds_path), ReadOptions::default());
        let elapsed = started.elapsed();
        match (config, secret) {
            (Ok(config), Ok(secret)) => {
                let keys = secret
                    .secret_string()
                    .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                    .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
                    .unwrap_or_default();
                println!(
                    "[{round}] read both in {:.3} ms",
                    elapsed.as_secs_f64() * 1e3
                );
                println!(
                    "  parameter {} (type {}, version {}) = {}",
                    config.name,
                    config.parameter_type.as_str(),
                    config.version,
                    config.text().unwrap_or("(binary)")
                );
                println!(
                    "  secret {} (version stages {:?}): JSON with keys {:?}, value not printed",
                    secret.name.as_deref().unwrap_or(&creds_path),
                    secret.version_stages,
                    keys
                );
            }
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("read failed: {}: {e}", e.code());
                return ExitCode::FAILURE;
            }
        }
    }
    let s = client.stats();
    println!(
        "L1 stats: hits={} misses={} requests={} errors={}",
        s.hits, s.misses, s.requests, s.errors
    );

    // A secret that does not exist: the error names its code, never a value.
    match client.get_secret(
        &SecretRequest::new("dev/demoapp/no-such-secret"),
        ReadOptions::default(),
    ) {
        Ok(_) => {
            eprintln!("expected an error for dev/demoapp/no-such-secret");
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("wrong secret name -> {}", e.code());
            ExitCode::SUCCESS
        }
    }
}
