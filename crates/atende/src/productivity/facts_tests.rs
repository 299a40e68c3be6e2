//! Hand-computed scenarios of the projection: every expected number below is worked
//! out from the times in the test, not read back from the code.

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;

struct Run {
    tenant: Uuid,
    conversation: Uuid,
    channel: Uuid,
    contact: Uuid,
    t0: DateTime<Utc>,
    seq: i64,
    cycle: Option<conversation_fact::Model>,
    saved: Vec<conversation_fact::Model>,
    events: Vec<NewEvent>,
}

impl Run {
    fn new() -> Self {
        Run {
            tenant: Uuid::now_v7(),
            conversation: Uuid::now_v7(),
            channel: Uuid::now_v7(),
            contact: Uuid::now_v7(),
            t0: Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap(),
            seq: 0,
            cycle: None,
            saved: Vec::new(),
            events: Vec::new(),
        }
    }

    fn at(&self, seconds: i64) -> DateTime<Utc> {
        self.t0 + Duration::seconds(seconds)
    }

    /// Applies a signal `seconds` after t0; returns the events it produced.
    fn step(&mut self, seconds: i64, signal: Signal) -> Vec<NewEvent> {
        self.seq += 1;
        let pos = Pos { txid: 0, seq: self.seq };
        let out = apply(self.tenant, self.conversation, self.cycle.take(), &signal, self.at(seconds), pos);
        self.cycle = out.cycles.last().cloned();
        self.saved.extend(out.cycles);
        self.events.extend(out.events.clone());
        out.events
    }

    fn opened(&mut self, seconds: i64, assignee: Option<Uuid>) -> Vec<NewEvent> {
        let s = Signal::Opened {
            channel_id: self.channel,
            contact_id: Some(self.contact),
            team_id: None,
            assignee_id: assignee,
        };
        self.step(seconds, s)
    }

    fn inbound(&mut self, seconds: i64) -> Vec<NewEvent> {
        let s = Signal::Inbound { channel_id: self.channel, contact_id: Some(self.contact) };
        self.step(seconds, s)
    }

    fn reply(&mut self, seconds: i64, agent: Uuid, private: bool) -> Vec<NewEvent> {
        let s = Signal::Reply { agent_id: agent, channel_id: self.channel, private };
        self.step(seconds, s)
    }

    fn updated(
        &mut self,
        seconds: i64,
        assignee: Option<Uuid>,
        resolved: bool,
        reopened: bool,
        actor: Option<Uuid>,
    ) -> Vec<NewEvent> {
        let s = Signal::Updated {
            channel_id: self.channel,
            contact_id: Some(self.contact),
            team_id: None,
            assignee_id: assignee,
            resolved_at: resolved.then(|| self.at(seconds)),
            resolved,
            reopened,
            actor,
            created_at: self.t0,
            reopened_count: 0,
        };
        self.step(seconds, s)
    }

    fn current(&self) -> &conversation_fact::Model {
        self.cycle.as_ref().expect("a cycle")
    }
}

fn kinds(events: &[NewEvent]) -> Vec<EventType> {
    events.iter().map(|e| e.event_type).collect()
}

#[test]
fn first_response_runs_from_the_first_inbound_to_the_first_public_agent_reply() {
    let mut run = Run::new();
    let ana = Uuid::now_v7();
    run.opened(0, None);
    run.inbound(0);
    run.inbound(30);
    // A private note is not a reply: nothing is counted, the clock keeps running.
    assert!(run.reply(60, ana, true).is_empty());
    assert_eq!(run.current().first_reply_at, None);
    let events = run.reply(300, ana, false);
    assert_eq!(kinds(&events), vec![EventType::ReplySent, EventType::FirstReply]);
    assert_eq!(events[1].metadata["frtSeconds"], 300);
    assert_eq!(run.current().first_reply_agent_id, Some(ana));
    assert_eq!(run.current().first_involvement_at, Some(run.at(300)));
    // Later replies are replies, not first replies.
    assert_eq!(kinds(&run.reply(400, ana, false)), vec![EventType::ReplySent]);
}

#[test]
fn a_reply_before_any_inbound_message_is_no_first_response() {
    let mut run = Run::new();
    let ana = Uuid::now_v7();
    run.opened(0, None);
    assert_eq!(kinds(&run.reply(10, ana, false)), vec![EventType::ReplySent]);
    assert_eq!(run.current().first_involvement_at, Some(run.at(10)));
    run.inbound(100);
    let events = run.reply(160, ana, false);
    assert_eq!(events[1].event_type, EventType::FirstReply);
    assert_eq!(events[1].metadata["frtSeconds"], 60);
}

#[test]
fn handling_time_starts_at_the_first_assignment_not_at_the_opening() {
    let mut run = Run::new();
    let (bia, admin) = (Uuid::now_v7(), Uuid::now_v7());
    run.opened(0, None);
    run.inbound(0);
    let events = run.updated(120, Some(bia), false, false, Some(admin));
    assert_eq!(kinds(&events), vec![EventType::ConversationAssigned]);
    assert_eq!(events[0].agent_id, Some(bia));
    assert_eq!(run.current().assigned_at, Some(run.at(120)));
    run.reply(400, bia, false);
    let events = run.updated(1000, Some(bia), true, false, Some(bia));
    assert_eq!(kinds(&events), vec![EventType::ConversationResolved]);
    // Opened at 0, involved at 120 (assignment), resolved at 1000.
    assert_eq!(events[0].metadata["resolutionSeconds"], 1000);
    assert_eq!(events[0].metadata["handlingSeconds"], 880);
    assert_eq!(events[0].metadata["frtSeconds"], 400);
    assert_eq!(events[0].agent_id, Some(bia));
}

#[test]
fn a_resolution_by_the_system_is_credited_to_the_assignee() {
    let mut run = Run::new();
    let bia = Uuid::now_v7();
    let events = run.opened(0, Some(bia));
    assert_eq!(kinds(&events), vec![EventType::ConversationAssigned]);
    let events = run.updated(50, Some(bia), true, false, None);
    assert_eq!(events[0].agent_id, Some(bia));
    assert_eq!(run.current().resolved_by, Some(bia));
    // Assigned at the opening: handling time is the whole resolution time.
    assert_eq!(events[0].metadata["handlingSeconds"], 50);
}

#[test]
fn a_reopening_closes_the_cycle_for_fcr_and_starts_a_new_one() {
    let mut run = Run::new();
    let ana = Uuid::now_v7();
    run.opened(0, None);
    run.inbound(0);
    run.reply(300, ana, false);
    run.updated(600, Some(ana), true, false, Some(ana));
    let events = run.updated(3600, Some(ana), false, true, None);
    assert_eq!(kinds(&events), vec![EventType::ConversationReopened]);
    assert_eq!(events[0].agent_id, Some(ana), "the reopening counts against who resolved it");
    let first = run.saved.iter().rev().find(|c| c.cycle == 0).unwrap();
    assert_eq!(first.followed_at, Some(run.at(3600)));
    assert_eq!(first.resolved_at, Some(run.at(600)));
    let second = run.current().clone();
    assert_eq!(second.cycle, 1);
    assert_eq!(second.opened_at, run.at(3600));
    assert_eq!(second.first_inbound_at, None);
    // The contact writes again: the new cycle's response clock starts there.
    run.inbound(3700);
    let events = run.reply(3760, ana, false);
    assert_eq!(events[1].metadata["frtSeconds"], 60);
    let events = run.updated(4000, Some(ana), true, false, Some(ana));
    assert_eq!(events[0].metadata["resolutionSeconds"], 400);
    // Still assigned when reopened: involved from the reopening on.
    assert_eq!(events[0].metadata["handlingSeconds"], 400);
}

#[test]
fn a_new_conversation_marks_the_contacts_earlier_resolution_as_followed() {
    let mut run = Run::new();
    let out = apply(
        run.tenant,
        run.conversation,
        None,
        &Signal::Opened { channel_id: run.channel, contact_id: Some(run.contact), team_id: None, assignee_id: None },
        run.t0,
        Pos { txid: 0, seq: 1 },
    );
    assert_eq!(out.follow_up, Some((run.contact, run.channel)));
    run.seq = 1;
    // Nothing else (the same conversation is not its own follow-up).
    assert!(run.inbound(1).is_empty());
}

#[test]
fn events_already_applied_are_recognised_by_their_position() {
    let mut run = Run::new();
    run.opened(0, None);
    let cycle = run.current().clone();
    assert!(seen(&cycle, Pos { txid: 0, seq: 1 }));
    assert!(!seen(&cycle, Pos { txid: 0, seq: 2 }));
    // PostgreSQL orders by transaction first.
    assert!(!seen(&cycle, Pos { txid: 1, seq: 0 }));
}
