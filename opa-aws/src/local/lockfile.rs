//! A lock file beside the state file, so two `opa` processes do not interleave their
//! read-modify-write cycles (the atomic rename alone prevents torn files, not lost updates).

use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use opa_core::cloud::CloudError;

/// How long to wait for another process.
const WAIT: Duration = Duration::from_secs(10);
/// A lock older than this is left over from a crashed process and is taken over.
const STALE: Duration = Duration::from_secs(60);

/// Held while the state is changed; removed on drop.
#[derive(Debug)]
pub(crate) struct StateLock {
    path: PathBuf,
}

impl StateLock {
    /// Takes `<state>.lock`, waiting for another holder up to ten seconds.
    pub(crate) fn acquire(state: &Path) -> Result<Self, CloudError> {
        let mut name = state.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CloudError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let start = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Self { path }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > STALE);
                    if stale {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if start.elapsed() > WAIT {
                        return Err(CloudError::Backend(format!(
                            "{} is held by another process (remove it if none runs)",
                            path.display()
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(source) => return Err(CloudError::Io { path, source }),
            }
        }
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
