//! The domain-event outbox: events are stored with the change that caused them,
//! delivered in order to each subscriber after its own cursor, at least once, and a
//! restart, a crash before the cursor moved, or a failing neighbour loses nothing.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use atende::events::{
    DomainEvent,
    dispatcher::{self, Dispatcher, Subscriber},
    outbox::StoredEvent,
};

use crate::{
    core_helpers::{ApiChannel, count},
    helpers::{TestApp, spawn_app},
};

/// Remembers the ids of the events it was given; fails while `failing` is set.
struct Recorder {
    name: &'static str,
    seen: Mutex<Vec<i64>>,
    failing: AtomicBool,
    calls: AtomicUsize,
}

impl Recorder {
    fn new(name: &'static str) -> Arc<Self> {
        Arc::new(Recorder {
            name,
            seen: Mutex::new(Vec::new()),
            failing: AtomicBool::new(false),
            calls: AtomicUsize::new(0),
        })
    }

    fn seen(&self) -> Vec<i64> {
        self.seen.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<i64> {
        // Generous: a subscriber that failed for a while waits out its backoff (≤ 10 s).
        for _ in 0..750 {
            if self.seen().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.seen()
    }
}

#[async_trait::async_trait]
impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.failing.load(Ordering::SeqCst) {
            anyhow::bail!("subscriber is down");
        }
        self.seen.lock().unwrap().extend(events.iter().map(|e| e.seq));
        Ok(())
    }
}

async fn setup() -> (TestApp, ApiChannel) {
    let app = spawn_app().await;
    let tenant = app.create_tenant("acme").await;
    let admin = app.admin(&tenant).await;
    let channel = app.api_channel(&admin, "http://127.0.0.1:9/unused").await;
    // The login's presence event is recorded asynchronously (productivity subscriber):
    // wait for it, so the outbox holds only what each test then does.
    wait_for_kind(&app, "agent_status_changed").await;
    (app, channel)
}

async fn wait_for_kind(app: &TestApp, kind: &str) {
    use atende::events::outbox::event;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    for _ in 0..200 {
        if event::Entity::find().filter(event::Column::Kind.eq(kind)).count(&app.db).await.unwrap() > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no {kind} event recorded");
}

fn start(app: &TestApp, lease: &'static str, holder: &str, subscribers: Vec<Arc<dyn Subscriber>>) -> Dispatcher {
    Dispatcher::start(app.db.clone(), &app.state.events, lease, holder.to_string(), subscribers)
}

/// Every committed event id in the outbox, in delivery order `(txid, seq)`. Read
/// directly: the dispatcher's own read may still hold back rows while another
/// transaction on the server (another test's) is open.
async fn all_event_ids(app: &TestApp) -> Vec<i64> {
    use atende::events::outbox::event;
    use sea_orm::{EntityTrait, QueryOrder};
    event::Entity::find()
        .order_by_asc(event::Column::Txid)
        .order_by_asc(event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect()
}

#[tokio::test]
async fn an_inbound_message_records_typed_events_in_its_transaction() {
    let (app, channel) = setup().await;
    let before = app.last_event_seq().await;
    app.receive(&channel, "ext-1", "cust-1", "Olá").await;
    let events = app.events_after(before).await;
    let kinds: Vec<&str> = events.iter().map(DomainEvent::kind).collect();
    assert_eq!(kinds, ["contact_updated", "conversation_created", "message_created"]);
    let DomainEvent::MessageCreated(created) = &events[2] else { panic!("{events:?}") };
    assert_eq!(created.message.content.as_deref(), Some("Olá"));
    assert!(created.from_contact());
    assert_eq!(created.routing.conversation_id, created.message.conversation_id);
    assert_eq!(count(&app, "messages").await, 1);

    // A duplicate delivery changes nothing and records nothing.
    let seq = app.last_event_seq().await;
    app.receive(&channel, "ext-1", "cust-1", "Olá").await;
    assert_eq!(app.last_event_seq().await, seq);
}

#[tokio::test]
async fn a_subscriber_that_crashed_before_its_cursor_moved_gets_the_events_again_then_never_twice() {
    let (app, channel) = setup().await;
    app.receive(&channel, "ext-1", "cust-1", "one").await;
    app.receive(&channel, "ext-2", "cust-1", "two").await;
    let ids = all_event_ids(&app).await;
    assert!(ids.len() >= 4, "{ids:?}");

    // Crash between delivery and cursor update: the handler ran, the cursor did not move.
    let crashed = Recorder::new("projector");
    crashed.failing.store(true, Ordering::SeqCst);
    // (On PostgreSQL the rows become readable once no older transaction is open on the
    // server, which other tests' may briefly be: try until the handler has run.)
    let mut crashed_once = false;
    for _ in 0..200 {
        if dispatcher::deliver_pending(&app.db, crashed.as_ref(), false).await.is_err() {
            crashed_once = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(crashed_once, "the handler ran and failed");

    // Restart: a new dispatcher process resumes from the stored cursor.
    let first = Recorder::new("projector");
    let running = start(&app, "test-dispatch", "node-a", vec![first.clone()]);
    assert_eq!(first.wait_for(ids.len()).await, ids, "every committed event, once, in order");
    running.stop().await;

    // Another restart: nothing is delivered again; only what is new.
    let second = Recorder::new("projector");
    let running = start(&app, "test-dispatch", "node-b", vec![second.clone()]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(second.seen().is_empty(), "already handled: {:?}", second.seen());
    app.receive(&channel, "ext-3", "cust-1", "three").await;
    let new_ids: Vec<i64> = all_event_ids(&app).await.into_iter().filter(|id| !ids.contains(id)).collect();
    assert_eq!(second.wait_for(new_ids.len()).await, new_ids);
    running.stop().await;
}

#[tokio::test]
async fn a_failing_subscriber_holds_back_only_itself_and_loses_nothing() {
    let (app, channel) = setup().await;
    let flaky = Recorder::new("flaky");
    flaky.failing.store(true, Ordering::SeqCst);
    let steady = Recorder::new("steady");
    let running = start(&app, "test-dispatch", "node-a", vec![flaky.clone(), steady.clone()]);
    for n in 0..5 {
        app.receive(&channel, &format!("ext-{n}"), &format!("cust-{n}"), "hi").await;
    }
    let ids = all_event_ids(&app).await;
    assert_eq!(steady.wait_for(ids.len()).await, ids, "the healthy subscriber is not held back");
    assert!(flaky.seen().is_empty());
    for _ in 0..300 {
        if flaky.calls.load(Ordering::SeqCst) >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(flaky.calls.load(Ordering::SeqCst) >= 1, "the failing one was tried");

    flaky.failing.store(false, Ordering::SeqCst);
    assert_eq!(flaky.wait_for(ids.len()).await, ids, "once it recovers it gets everything, in order");
    running.stop().await;
}

#[tokio::test]
async fn with_two_instances_only_the_lease_holder_dispatches() {
    let (app, channel) = setup().await;
    let on_a = Recorder::new("once");
    let on_b = Recorder::new("once");
    let a = start(&app, "test-dispatch", "node-a", vec![on_a.clone()]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let b = start(&app, "test-dispatch", "node-b", vec![on_b.clone()]);
    for n in 0..4 {
        app.receive(&channel, &format!("ext-{n}"), "cust-1", "hi").await;
    }
    let ids = all_event_ids(&app).await;
    assert_eq!(on_a.wait_for(ids.len()).await, ids, "the first instance leads");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(on_b.seen().is_empty(), "the other instance stands by: {:?}", on_b.seen());

    // The leader stops (and gives the lease up): the other takes over where it left off.
    a.stop().await;
    app.receive(&channel, "ext-9", "cust-1", "after failover").await;
    let new_ids: Vec<i64> = all_event_ids(&app).await.into_iter().filter(|id| !ids.contains(id)).collect();
    for _ in 0..60 {
        if !on_b.seen().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(on_b.wait_for(new_ids.len()).await, new_ids);
    b.stop().await;
}
