//! Emulator-wide test knobs: the model of the upstream services (latency, "down", the status
//! of not-found errors) and the connection lifetime cap.
//!
//! Set at start-up from flags and environment (`config.rs`), read on every request, changed
//! while running by `POST /_emulator/knobs` (a partial JSON object), and put back to their
//! start-up values by `POST /_emulator/reset`, so a test can flip "upstream down" without a
//! restart and the next scenario still starts clean.

use std::time::Duration;

use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

/// What the Agent does to every connection (`MAX_REQ_TIME_SEC` in its `constants.rs`).
pub const AGENT_CONNECTION_LIFETIME_SECS: f64 = 61.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuntimeKnobs {
    /// How long every upstream call (a cache miss, a bypass, `refreshNow`) takes before its
    /// answer, retries included. Cache hits are not slowed (unlike an entry's `delay_ms`).
    pub upstream_latency_ms: u64,
    /// The upstream services are unreachable: every upstream call fails after the latency.
    pub upstream_down: bool,
    /// The HTTP status of a `ResourceNotFoundException` in the agent dialect: 400 as AWS
    /// answers, or e.g. 404 as some local fakes do.
    pub not_found_status: u16,
    /// Close every connection this long after accepting it, idle or busy; 0 = never.
    pub connection_lifetime_secs: f64,
}

impl RuntimeKnobs {
    pub fn upstream_latency(&self) -> Duration {
        Duration::from_millis(self.upstream_latency_ms)
    }

    pub fn connection_lifetime(&self) -> Option<Duration> {
        (self.connection_lifetime_secs > 0.0)
            .then(|| Duration::from_secs_f64(self.connection_lifetime_secs))
    }
}

/// The body of `POST /_emulator/knobs`: any subset of the fields.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnobsPatch {
    pub upstream_latency_ms: Option<u64>,
    pub upstream_down: Option<bool>,
    pub not_found_status: Option<u16>,
    pub connection_lifetime_secs: Option<f64>,
}

pub fn check_not_found_status(status: u16) -> Result<u16, String> {
    if (400..=499).contains(&status) {
        Ok(status)
    } else {
        Err(format!(
            "not_found_status {status} is not a 4xx status (400 like AWS, 404 like a local fake)"
        ))
    }
}

pub fn check_lifetime(secs: f64) -> Result<f64, String> {
    // Duration::from_secs_f64 panics on negatives, NaN and overflow: refuse them here.
    if secs.is_finite() && (0.0..=86_400.0).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!(
            "connection lifetime {secs} is not a number of seconds between 0 (no cap) and 86400"
        ))
    }
}

pub struct Knobs {
    initial: RuntimeKnobs,
    current: RwLock<RuntimeKnobs>,
}

impl Knobs {
    pub fn new(initial: RuntimeKnobs) -> Self {
        Self {
            initial,
            current: RwLock::new(initial),
        }
    }

    pub fn get(&self) -> RuntimeKnobs {
        *self.current.read()
    }

    /// Applies a patch atomically: all fields or none.
    pub fn apply(&self, patch: KnobsPatch) -> Result<RuntimeKnobs, String> {
        let mut next = self.get();
        if let Some(ms) = patch.upstream_latency_ms {
            next.upstream_latency_ms = ms;
        }
        if let Some(down) = patch.upstream_down {
            next.upstream_down = down;
        }
        if let Some(status) = patch.not_found_status {
            next.not_found_status = check_not_found_status(status)?;
        }
        if let Some(secs) = patch.connection_lifetime_secs {
            next.connection_lifetime_secs = check_lifetime(secs)?;
        }
        *self.current.write() = next;
        Ok(next)
    }

    pub fn reset(&self) {
        *self.current.write() = self.initial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_validate_reset() {
        let start = RuntimeKnobs {
            upstream_latency_ms: 0,
            upstream_down: false,
            not_found_status: 400,
            connection_lifetime_secs: 0.0,
        };
        let k = Knobs::new(start);
        let after = k
            .apply(KnobsPatch {
                upstream_down: Some(true),
                upstream_latency_ms: Some(25),
                ..KnobsPatch::default()
            })
            .unwrap();
        assert!(after.upstream_down);
        assert_eq!(after.upstream_latency(), Duration::from_millis(25));
        assert_eq!(after.not_found_status, 400);
        // A bad field rejects the whole patch.
        assert!(
            k.apply(KnobsPatch {
                upstream_down: Some(false),
                not_found_status: Some(200),
                ..KnobsPatch::default()
            })
            .is_err()
        );
        assert!(k.get().upstream_down);
        for bad in [-1.0, f64::NAN, f64::INFINITY, 1e9] {
            assert!(check_lifetime(bad).is_err(), "{bad}");
        }
        let k2 = k
            .apply(KnobsPatch {
                connection_lifetime_secs: Some(0.25),
                ..KnobsPatch::default()
            })
            .unwrap();
        assert_eq!(k2.connection_lifetime(), Some(Duration::from_millis(250)));
        k.reset();
        assert_eq!(k.get(), start);
        assert_eq!(start.connection_lifetime(), None);
        assert!(serde_json::from_str::<KnobsPatch>(r#"{"upstream_dwn":true}"#).is_err());
    }
}
