//! # paramsecrets
//!
//! Reads SSM Parameter Store parameters and Secrets Manager secrets through the AWS
//! Parameters and Secrets Lambda Extension (or the Secrets Manager Agent), with a second,
//! in-process cache in front of it: TTL, bounded LRU, single-flight, stale-if-error, and
//! retries that understand the extension's start-up.
//!
//! ```no_run
//! # async fn demo() -> Result<(), paramsecrets::Error> {
//! use paramsecrets::{Client, ParameterRequest, ReadOptions, SecretRequest};
//!
//! let client = Client::from_env()?; // port and token from the Lambda environment
//! let config = client
//!     .get_parameter(&ParameterRequest::new("/dev/app/config"), ReadOptions::default())
//!     .await?;
//! let db = client
//!     .get_secret(&SecretRequest::new("dev/app/db"), ReadOptions::default())
//!     .await?;
//! println!("{} {:?}", config.text().map_or(0, str::len), db.name);
//! # Ok(()) }
//! ```
//!
//! The module layout is mirrored by every binding: `client` (async API), `blocking`
//! (sync facade), `config`, `error`, `types`, `runtime`.

pub mod blocking;
mod cache;
mod client;
pub mod config;
mod error;
pub mod protocol;
pub mod retry;
pub mod runtime;
pub mod transform;
mod transport;
mod types;
mod wire;

pub use cache::{MemoShared, MemoTicket};
pub use client::{BATCH_CONCURRENCY, Client};
pub use config::{ClientBuilder, Config, ServerKind};
pub use error::{Error, ErrorCode, Result};
pub use transform::Transform;
pub use types::{
    Parameter, ParameterRequest, ParameterType, ReadOptions, Secret, SecretRequest, Selector,
    Sensitive, Stats, Timestamp, Value,
};
