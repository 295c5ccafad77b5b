//! A minimal stderr logger for the `log` facade (no extra dependency, no start-up cost).
//! stdout is reserved for the single "listening on …" line that test harnesses parse.

use std::io::Write as _;

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger;

static LOGGER: StderrLogger = StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let now = crate::model::iso_millis(time::OffsetDateTime::now_utc());
        // One write per line so concurrent lines do not interleave; a closed stderr is ignored.
        let line = format!(
            "[paramsecrets-emulator] {now} {} {}\n",
            record.level(),
            record.args()
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

pub fn init(level: LevelFilter) {
    // Fails only if a logger is already set, which cannot happen in this binary.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
}
