//! The worker pool inside `serve`: N tasks claim and run jobs; shutdown stops claiming
//! and waits for in-flight jobs. Tests drive `run_once` / `run_until_idle` instead.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use tokio::{sync::watch, task::JoinHandle};

use super::{JobError, JobPayload, JobRunner, backoff, store};
use crate::state::AppState;

/// Running workers and the switch that stops them.
pub struct WorkerPool {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    /// Starts `count` workers (zero is allowed: nothing runs in the background).
    pub fn start(state: AppState, count: usize, runner: Arc<dyn JobRunner>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let handles = (0..count)
            .map(|n| {
                let state = state.clone();
                let runner = Arc::clone(&runner);
                let mut stopped = stopped.clone();
                let worker_id = format!("{}-{}-{n}", hostname(), std::process::id());
                tokio::spawn(async move {
                    let notify = Arc::clone(&state.job_notify);
                    loop {
                        if *stopped.borrow() {
                            break;
                        }
                        match run_once(&state, runner.as_ref(), &worker_id).await {
                            Ok(true) => continue,
                            Ok(false) => {}
                            Err(e) => tracing::warn!(error = %e, "job claim failed"),
                        }
                        tokio::select! {
                            _ = notify.notified() => {}
                            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                            _ = stopped.changed() => {}
                        }
                    }
                })
            })
            .collect();
        WorkerPool { stop, handles }
    }

    /// Stops claiming and waits for jobs in flight to finish.
    pub async fn drain(self) {
        let _ = self.stop.send(true);
        for handle in self.handles {
            let _ = handle.await;
        }
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "atende".into())
}

/// Claims and runs one due job; `Ok(false)` when none is due.
pub async fn run_once(state: &AppState, runner: &dyn JobRunner, worker_id: &str) -> Result<bool, sea_orm::DbErr> {
    let now = Utc::now();
    let lease = chrono::Duration::seconds(i64::from(state.config.job_lease_secs));
    let Some(job) = store::claim(&state.db, worker_id, now, now + lease).await? else { return Ok(false) };
    let span =
        tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts, tenant_id = ?job.tenant_id);
    let _guard = span.enter();
    let outcome = match serde_json::from_value::<JobPayload>(job.payload.clone()) {
        Ok(payload) => runner.run(state, &job, payload).await,
        Err(e) => Err(JobError::Fatal(format!("unreadable payload: {e}"))),
    };
    match outcome {
        Ok(()) => {
            store::complete(&state.db, job.id, worker_id).await?;
            metrics::counter!("jobs_total", "kind" => job.kind.clone(), "outcome" => "done").increment(1);
        }
        Err(JobError::Retry { reason, after }) if job.attempts < job.max_attempts => {
            let base = Duration::from_millis(state.config.job_backoff_ms);
            let wait = after.unwrap_or_default().max(backoff(base, job.attempts));
            let run_at = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            tracing::info!(%reason, wait_ms = wait.as_millis() as u64, "job will retry");
            store::retry_at(&state.db, job.id, worker_id, run_at, &reason).await?;
            metrics::counter!("jobs_total", "kind" => job.kind.clone(), "outcome" => "retry").increment(1);
        }
        Err(JobError::Retry { reason, .. } | JobError::Fatal(reason)) => {
            tracing::warn!(%reason, "job is dead");
            store::bury(&state.db, job.id, worker_id, &reason).await?;
            metrics::counter!("jobs_total", "kind" => job.kind.clone(), "outcome" => "dead").increment(1);
        }
    }
    Ok(true)
}

/// Runs due jobs until none is left; returns how many ran.
pub async fn run_until_idle(state: &AppState, runner: &dyn JobRunner) -> usize {
    let mut ran = 0;
    while let Ok(true) = run_once(state, runner, "inline").await {
        ran += 1;
        if ran > 10_000 {
            break;
        }
    }
    ran
}
