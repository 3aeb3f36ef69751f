//! A runner that lists but never triggers.

use async_trait::async_trait;

use super::{IacError, IacRunner, Stack, TriggeredRun};

/// Wraps a runner so that [`IacRunner::trigger_run`] is refused with [`IacError::ReadOnly`]
/// without calling the wrapped runner; listing passes through.
#[derive(Debug, Clone)]
pub struct ReadOnly<R> {
    inner: R,
}

impl<R: IacRunner> ReadOnly<R> {
    /// `inner`, read-only.
    pub fn new(inner: R) -> Self {
        Self { inner }
    }

    /// The wrapped runner.
    pub fn inner(&self) -> &R {
        &self.inner
    }
}

#[async_trait]
impl<R: IacRunner> IacRunner for ReadOnly<R> {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    fn is_read_only(&self) -> bool {
        true
    }

    async fn list_stacks(&self) -> Result<Vec<Stack>, IacError> {
        self.inner.list_stacks().await
    }

    async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, IacError> {
        Err(IacError::ReadOnly {
            backend: self.inner.kind(),
            stack: stack.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Counts triggers, so the test sees that a refused one never reached it.
    #[derive(Default)]
    struct Counting {
        triggers: AtomicUsize,
    }

    #[async_trait]
    impl IacRunner for Counting {
        fn kind(&self) -> &'static str {
            "counting"
        }

        async fn list_stacks(&self) -> Result<Vec<Stack>, IacError> {
            Ok(vec![Stack {
                id: "net".into(),
                name: "Network".into(),
                state: "FINISHED".into(),
                branch: "main".into(),
                repository: "infra".into(),
                space: "root".into(),
                labels: vec![],
            }])
        }

        async fn trigger_run(&self, stack: &str) -> Result<TriggeredRun, IacError> {
            self.triggers.fetch_add(1, Ordering::SeqCst);
            Ok(TriggeredRun {
                stack: stack.into(),
                run_id: "r1".into(),
                state: "QUEUED".into(),
            })
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn lists_but_refuses_triggers_without_calling_the_runner() {
        let runner = ReadOnly::new(std::sync::Arc::new(Counting::default()));
        assert!(runner.is_read_only());
        assert_eq!(block_on(runner.list_stacks()).unwrap()[0].id, "net");
        let err = block_on(runner.trigger_run("net")).unwrap_err();
        assert_eq!(err.code(), "read-only");
        assert!(err.is_refusal());
        let message = err.to_string();
        assert!(
            message.contains("read-only") && message.contains("stack net"),
            "{message}"
        );
        assert_eq!(runner.inner().triggers.load(Ordering::SeqCst), 0);
        assert!(!runner.inner().is_read_only());
    }
}
