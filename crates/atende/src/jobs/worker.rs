//! The worker pool inside `serve`: N tasks claim and run jobs; shutdown stops claiming
//! and waits for in-flight jobs. Tests drive `run_once` / `run_until_idle` instead.

use std::{
    panic::AssertUnwindSafe,
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use chrono::Utc;
use futures::FutureExt;
use tokio::{sync::watch, task::JoinHandle};

use super::{JobError, JobPayload, JobRunner, due_after, retry_delay, store};
use crate::state::AppState;

/// Running workers and the switch that stops them.
pub struct WorkerPool {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

/// First pause before a dead worker is restarted; doubles up to `MAX_RESTART_PAUSE`.
const RESTART_PAUSE: Duration = Duration::from_millis(200);
const MAX_RESTART_PAUSE: Duration = Duration::from_secs(30);

impl WorkerPool {
    /// Starts `count` supervised workers (zero is allowed: nothing runs in the background).
    pub fn start(state: AppState, count: usize, runner: Arc<dyn JobRunner>) -> Self {
        let (stop, stopped) = watch::channel(false);
        state.worker_health.expected.store(count, Ordering::SeqCst);
        let handles = (0..count)
            .map(|n| {
                let state = state.clone();
                let runner = Arc::clone(&runner);
                let for_worker = stopped.clone();
                let worker_id = format!("{}-{}-{n}", hostname(), std::process::id());
                let health = state.clone();
                tokio::spawn(supervise(
                    move || worker_loop(state.clone(), Arc::clone(&runner), worker_id.clone(), for_worker.clone()),
                    stopped.clone(),
                    move |event| match event {
                        Supervision::Started => {
                            health.worker_health.alive.fetch_add(1, Ordering::SeqCst);
                        }
                        Supervision::Died => {
                            health.worker_health.alive.fetch_sub(1, Ordering::SeqCst);
                        }
                        Supervision::Restarting => {
                            health.worker_health.restarts.fetch_add(1, Ordering::SeqCst);
                            metrics::counter!("job_worker_restarts_total").increment(1);
                        }
                    },
                ))
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

/// What a supervisor reports about the task it watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supervision {
    Started,
    Died,
    Restarting,
}

/// Runs the task `make` builds in its own tokio task and starts a new one whenever it
/// panics (after a pause that grows while it keeps dying), until `stopped` turns true.
/// A task that returns normally is not restarted (it saw the stop signal).
pub async fn supervise<F, Fut>(mut make: F, stopped: watch::Receiver<bool>, report: impl Fn(Supervision))
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut pause = RESTART_PAUSE;
    loop {
        report(Supervision::Started);
        let result = tokio::spawn(make()).await;
        report(Supervision::Died);
        match result {
            Err(e) if e.is_panic() && !*stopped.borrow() => {
                tracing::error!(error = %e, pause_ms = pause.as_millis() as u64, "job worker died; restarting it");
                let mut stopped = stopped.clone();
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stopped.changed() => {}
                }
                if *stopped.borrow() {
                    return;
                }
                pause = (pause * 2).min(MAX_RESTART_PAUSE);
                report(Supervision::Restarting);
            }
            _ => return,
        }
    }
}

/// One worker: claim, run, repeat; sleeps when the queue is empty.
async fn worker_loop(
    state: AppState,
    runner: Arc<dyn JobRunner>,
    worker_id: String,
    mut stopped: watch::Receiver<bool>,
) {
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
        // A panicking handler fails its job, never the worker (nor, through a job that
        // is claimed again after its lease, the next worker).
        Ok(payload) => AssertUnwindSafe(runner.run(state, &job, payload))
            .catch_unwind()
            .await
            .unwrap_or_else(|panic| Err(JobError::Fatal(format!("the job handler panicked: {}", panic_text(&panic))))),
        Err(e) => Err(JobError::Fatal(format!("unreadable payload: {e}"))),
    };
    match outcome {
        Ok(()) => {
            store::complete(&state.db, job.id, worker_id).await?;
            metrics::counter!("jobs_total", "kind" => job.kind.clone(), "outcome" => "done").increment(1);
        }
        Err(JobError::Retry { reason, after }) if job.attempts < job.max_attempts => {
            let base = Duration::from_millis(state.config.job_backoff_ms);
            let wait = retry_delay(after, base, job.attempts);
            let run_at = due_after(Utc::now(), wait);
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

/// The message of a caught panic, short (it is stored as the job's error).
fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    text.chars().take(300).collect()
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, atomic::AtomicUsize};

    use super::*;

    #[tokio::test]
    async fn a_supervisor_restarts_a_worker_that_panics_until_stopped() {
        let (stop, stopped) = watch::channel(false);
        let stop = Arc::new(stop);
        let runs = Arc::new(AtomicUsize::new(0));
        let events = Arc::new(Mutex::new(Vec::new()));
        let (r, e) = (Arc::clone(&runs), Arc::clone(&events));
        let supervisor = tokio::spawn(supervise(
            move || {
                let r = Arc::clone(&r);
                let stop = Arc::clone(&stop);
                async move {
                    if r.fetch_add(1, Ordering::SeqCst) < 2 {
                        panic!("worker bug");
                    }
                    // The third run is healthy; it stops the test.
                    let _ = stop.send(true);
                }
            },
            stopped,
            move |event| e.lock().unwrap().push(event),
        ));
        tokio::time::timeout(Duration::from_secs(5), supervisor).await.expect("supervisor ends").unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3, "restarted twice after two panics");
        use Supervision::*;
        assert_eq!(*events.lock().unwrap(), vec![Started, Died, Restarting, Started, Died, Restarting, Started, Died]);
    }

    #[test]
    fn panic_text_reads_both_kinds_of_payload() {
        let a: Box<dyn std::any::Any + Send> = Box::new("static");
        let b: Box<dyn std::any::Any + Send> = Box::new(String::from("owned"));
        assert_eq!(panic_text(&a), "static");
        assert_eq!(panic_text(&b), "owned");
    }
}
