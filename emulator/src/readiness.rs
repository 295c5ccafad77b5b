//! When the emulator serves: always, after a fixed `--not-ready-for` window, or (as a Lambda
//! extension) once Lambda delivers the first INVOKE event, i.e. once the function's INIT is over.

use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long a not-ready request waits for the gate to open before it gets its answer, unless
/// `PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS` says otherwise. The function's first request can beat
/// the extension's INVOKE event by a few milliseconds (7 of 20 cold starts under RIE; 0 of 20
/// with a 50 ms hold: reference/lambda-runtime.md).
pub const INVOKE_HOLD: Duration = Duration::from_millis(50);

pub enum Readiness {
    /// Not ready until this instant (`--not-ready-for`; `Instant::now()` = always ready).
    Until(Instant),
    /// Not ready until [`Readiness::open`] is called (the Lambda extension mode); a not-ready
    /// request is held this long for it.
    Gate(watch::Sender<bool>, Duration),
}

impl Readiness {
    pub fn after(window: Duration) -> Self {
        Readiness::Until(Instant::now() + window)
    }

    pub fn gate(hold: Duration) -> Self {
        Readiness::Gate(watch::Sender::new(false), hold)
    }

    pub fn ready(&self) -> bool {
        match self {
            Readiness::Until(t) => Instant::now() >= *t,
            Readiness::Gate(open, _) => *open.borrow(),
        }
    }

    /// Like [`Readiness::ready`], but a closed gate is given its hold to open first.
    /// A fixed window is answered at once: nothing is about to end it.
    pub async fn ready_or_hold(&self) -> bool {
        match self {
            Readiness::Until(_) => self.ready(),
            Readiness::Gate(open, hold) => {
                let mut rx = open.subscribe();
                matches!(
                    tokio::time::timeout(*hold, rx.wait_for(|o| *o)).await,
                    Ok(Ok(_))
                )
            }
        }
    }

    /// Opens the gate (idempotent). No effect on a fixed window.
    pub fn open(&self) {
        if let Readiness::Gate(open, _) = self {
            open.send_replace(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn gate_holds_then_answers() {
        let r = Readiness::gate(INVOKE_HOLD);
        assert!(!r.ready());
        let started = Instant::now();
        assert!(!r.ready_or_hold().await);
        assert!(started.elapsed() >= INVOKE_HOLD);
        r.open();
        assert!(r.ready());
        assert!(r.ready_or_hold().await);
        assert!(Readiness::after(Duration::ZERO).ready());
        assert!(
            !Readiness::after(Duration::from_secs(60))
                .ready_or_hold()
                .await
        );
    }
}
