//! Holding the current store and replacing it when the file changes (or on SIGHUP).
//!
//! A reload that fails keeps serving the previous store and logs why, so a half-written or
//! broken file never takes the emulator down in the middle of a test run.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use parking_lot::{Mutex, RwLock};

use crate::store::{Store, StoreError};

/// What we remember of the file to notice that it changed: mtime alone is not enough because
/// Linux stamps files from a coarse clock, so two writes within a few milliseconds can share
/// one mtime; the length usually differs, and a failed parse is retried (see `check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    mtime: Option<SystemTime>,
    len: u64,
}

#[derive(Debug, Default)]
struct WatchState {
    seen: Option<FileStamp>,
    /// Hash of the bytes behind the current store.
    loaded: u64,
    /// Hash of the bytes of the last failed attempt, while the file stays broken.
    failed: Option<u64>,
    /// Whether the last stat failed (so the error is logged once, not every tick).
    missing: bool,
}

pub struct StoreHandle {
    path: PathBuf,
    current: RwLock<Arc<Store>>,
    watch: Mutex<WatchState>,
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn stamp(path: &Path) -> std::io::Result<FileStamp> {
    let meta = std::fs::metadata(path)?;
    Ok(FileStamp {
        mtime: meta.modified().ok(),
        len: meta.len(),
    })
}

impl StoreHandle {
    /// Loads the store at start-up; any problem is fatal here (there is nothing to fall back on).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let seen = stamp(path).ok();
        let bytes = std::fs::read(path)
            .map_err(|e| StoreError(format!("cannot read store {}: {e}", path.display())))?;
        let store = Store::parse(&bytes)
            .map_err(|e| StoreError(format!("store {}: {e}", path.display())))?;
        Ok(Self {
            path: path.to_path_buf(),
            current: RwLock::new(Arc::new(store)),
            watch: Mutex::new(WatchState {
                seen,
                loaded: hash_bytes(&bytes),
                failed: None,
                missing: false,
            }),
        })
    }

    pub fn current(&self) -> Arc<Store> {
        self.current.read().clone()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Called periodically: reloads when the file looks different from last time. While the
    /// file is broken it is re-read on every call (a writer may still be busy with it) but the
    /// error is logged only once per distinct content.
    pub fn check(&self) {
        let mut watch = self.watch.lock();
        let now = match stamp(&self.path) {
            Ok(s) => {
                watch.missing = false;
                s
            }
            Err(e) => {
                if !watch.missing {
                    log::error!(
                        "store {} is unreadable ({e}); keeping the previous store",
                        self.path.display()
                    );
                    watch.missing = true;
                }
                return;
            }
        };
        if watch.seen == Some(now) && watch.failed.is_none() {
            return;
        }
        watch.seen = Some(now);
        self.load_into(&mut watch, false);
    }

    /// SIGHUP: reload unconditionally.
    pub fn reload_now(&self) {
        let mut watch = self.watch.lock();
        watch.seen = stamp(&self.path).ok();
        self.load_into(&mut watch, true);
    }

    fn load_into(&self, watch: &mut WatchState, forced: bool) {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) => {
                log::error!(
                    "cannot read store {} ({e}); keeping the previous store",
                    self.path.display()
                );
                return;
            }
        };
        let hash = hash_bytes(&bytes);
        if !forced && (hash == watch.loaded && watch.failed.is_none()) {
            // Touched but unchanged.
            return;
        }
        if !forced && watch.failed == Some(hash) {
            // Still the same broken content; already reported.
            return;
        }
        match Store::parse(&bytes) {
            Ok(store) => {
                log::info!(
                    "reloaded store {}: {} parameters, {} secrets",
                    self.path.display(),
                    store.parameter_count(),
                    store.secret_count()
                );
                *self.current.write() = Arc::new(store);
                watch.loaded = hash;
                watch.failed = None;
            }
            Err(e) => {
                log::error!(
                    "store {} not reloaded, keeping the previous store: {e}",
                    self.path.display()
                );
                watch.failed = Some(hash);
            }
        }
    }
}
