//! Runs a service's tasks (gRPC server, outbox relay, consumers, one-off catch-up work) until
//! a signal or a failure, then stops them all and waits for each to finish its current work.

use std::future::Future;

use tokio::task::JoinSet;
pub use tokio_util::sync::CancellationToken;

pub struct Runtime {
    stop: CancellationToken,
    tasks: JoinSet<(&'static str, anyhow::Result<()>)>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    pub fn new() -> Self {
        Self {
            stop: CancellationToken::new(),
            tasks: JoinSet::new(),
        }
    }

    /// The token every task watches; cancelled when the service stops.
    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    pub fn spawn(
        &mut self,
        name: &'static str,
        task: impl Future<Output = anyhow::Result<()>> + Send + 'static,
    ) {
        self.tasks.spawn(async move { (name, task.await) });
    }

    /// Runs until SIGTERM or SIGINT, or until a task fails; then stops the rest. A task that
    /// finishes its work (a one-off catch-up) ends alone and the service runs on.
    pub async fn run_until_signal(mut self) -> anyhow::Result<()> {
        let signalled = signal();
        tokio::pin!(signalled);
        let mut outcome = Ok(());
        loop {
            tokio::select! {
                _ = &mut signalled => break,
                ended = self.tasks.join_next() => match ended {
                    None => break,
                    Some(ended) => {
                        if let Err(e) = report(ended) {
                            outcome = Err(e);
                            break;
                        }
                    }
                },
            }
        }
        self.stop.cancel();
        while let Some(ended) = self.tasks.join_next().await {
            if let Err(e) = report(ended) {
                outcome = outcome.and(Err(e));
            }
        }
        outcome
    }

    /// Stops every task and waits for them (tests, and the end of `run_until_signal`).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.stop.cancel();
        let mut outcome = Ok(());
        while let Some(ended) = self.tasks.join_next().await {
            if let Err(e) = report(ended) {
                outcome = outcome.and(Err(e));
            }
        }
        outcome
    }
}

fn report(
    ended: Result<(&'static str, anyhow::Result<()>), tokio::task::JoinError>,
) -> anyhow::Result<()> {
    match ended {
        Ok((name, Ok(()))) => {
            tracing::info!(task = name, "task stopped");
            Ok(())
        }
        Ok((name, Err(e))) => {
            tracing::error!(task = name, error = %e, "task failed");
            Err(e.context(name))
        }
        Err(join) => Err(anyhow::anyhow!("task panicked: {join}")),
    }
}

/// Resolves on SIGTERM (Kubernetes) or SIGINT (Ctrl-C).
pub async fn signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_task_that_finishes_its_work_leaves_the_rest_running_until_one_fails() {
        let failed = Arc::new(AtomicBool::new(false));
        let mut runtime = Runtime::new();
        runtime.spawn("one-off", async { Ok(()) });
        let flag = failed.clone();
        runtime.spawn("failing", async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            flag.store(true, Ordering::SeqCst);
            Err(anyhow::anyhow!("boom"))
        });
        let (stop, flag) = (runtime.stop_token(), failed.clone());
        runtime.spawn("server", async move {
            stop.cancelled().await;
            anyhow::ensure!(
                flag.load(Ordering::SeqCst),
                "stopped before anything failed"
            );
            Ok(())
        });
        let error = format!("{:#}", runtime.run_until_signal().await.unwrap_err());
        assert!(error.contains("boom"), "{error}");
        assert!(!error.contains("stopped before"), "{error}");
    }
}
