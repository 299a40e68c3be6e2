//! Hand-computed metric scenarios. The tenant is in São Paulo (UTC−3); the day is
//! 2026-03-10 local, i.e. [2026-03-10 03:00Z, 2026-03-11 03:00Z).
//!
//! | cycle | agent | opened | inbound | 1st reply | involved | resolved | followed | FRT | res. | AHT | FCR (7 d) |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | c1 | Ana | 10:00Z | 10:00Z | 10:05Z | 10:02Z (assigned) | 10:30Z | — | 300 | 1800 | 1680 | yes |
//! | c2 | Ana | 12:00Z | 12:00Z | 12:01Z | 12:01Z (reply) | 13:00Z | 03-12 12:00Z | 60 | 3600 | 3540 | no |
//! | c3 | Bia | 02:00Z | 02:00Z | 02:10Z (= 03-09 23:10 local) | — | 04:00Z | 03-20 | (out of day) | 7200 | 0 | yes |
//!
//! Ana: FRT (300+60)/2 = 180, resolution (1800+3600)/2 = 2700, AHT (1680+3540)/2 = 2610,
//! FCR 1/2. Bia: resolution 7200, AHT 0 (never involved before resolving), FCR 1/1.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::*;
use crate::productivity::entity::{conversation_fact, productivity_event};

fn t(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, h, m, 0).unwrap()
}

struct World {
    ana: Uuid,
    bia: Uuid,
    whatsapp: Uuid,
    email: Uuid,
    team: Uuid,
    billing: Uuid,
    cycles: Vec<conversation_fact::Model>,
    events: Vec<productivity_event::Model>,
    sessions: Vec<SessionFact>,
    categories: HashMap<Uuid, Vec<Uuid>>,
    agent_teams: HashMap<Uuid, Vec<Uuid>>,
}

#[allow(clippy::too_many_arguments)]
fn cycle(
    agent: Uuid,
    channel: Uuid,
    opened: DateTime<Utc>,
    reply: DateTime<Utc>,
    involved: Option<DateTime<Utc>>,
    resolved: DateTime<Utc>,
    followed: Option<DateTime<Utc>>,
    team: Option<Uuid>,
) -> conversation_fact::Model {
    conversation_fact::Model {
        id: Uuid::now_v7(),
        tenant_id: Uuid::nil(),
        conversation_id: Uuid::now_v7(),
        cycle: 0,
        channel_id: channel,
        contact_id: Some(Uuid::now_v7()),
        team_id: team,
        assignee_id: Some(agent),
        opened_at: opened,
        first_inbound_at: Some(opened),
        first_reply_at: Some(reply),
        first_reply_agent_id: Some(agent),
        assigned_at: involved,
        first_involvement_at: involved,
        resolved_at: Some(resolved),
        resolved_by: Some(agent),
        followed_at: followed,
        last_txid: 0,
        last_seq: 0,
    }
}

fn event(kind: EventType, agent: Uuid, c: &conversation_fact::Model, at: DateTime<Utc>) -> productivity_event::Model {
    productivity_event::Model {
        id: Uuid::now_v7(),
        tenant_id: Uuid::nil(),
        source_seq: 0,
        event_type: kind.as_str().into(),
        agent_id: Some(agent),
        work_session_id: None,
        conversation_id: Some(c.conversation_id),
        channel_id: Some(c.channel_id),
        team_id: c.team_id,
        occurred_at: at,
        metadata: None,
    }
}

fn world() -> World {
    let (ana, bia, whatsapp, email, team, billing) =
        (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let c1 = cycle(ana, whatsapp, t(10, 10, 0), t(10, 10, 5), Some(t(10, 10, 2)), t(10, 10, 30), None, Some(team));
    let c2 =
        cycle(ana, email, t(10, 12, 0), t(10, 12, 1), Some(t(10, 12, 1)), t(10, 13, 0), Some(t(12, 12, 0)), Some(team));
    let c3 = cycle(bia, whatsapp, t(10, 2, 0), t(10, 2, 10), None, t(10, 4, 0), Some(t(20, 0, 0)), None);
    let events = vec![
        event(EventType::ReplySent, ana, &c1, t(10, 10, 5)),
        event(EventType::ReplySent, ana, &c1, t(10, 10, 20)),
        event(EventType::ReplySent, ana, &c2, t(10, 12, 1)),
        event(EventType::ReplySent, bia, &c3, t(10, 2, 10)),
        event(EventType::ConversationResolved, ana, &c1, t(10, 10, 30)),
        event(EventType::ConversationResolved, ana, &c2, t(10, 13, 0)),
        event(EventType::ConversationResolved, bia, &c3, t(10, 4, 0)),
    ];
    let sessions = vec![
        SessionFact {
            agent_id: ana,
            login_at: t(10, 11, 0),
            total_seconds: 28_800,
            active_seconds: 25_200,
            idle_seconds: 3_600,
        },
        // 23:30 local on the 9th: another day.
        SessionFact {
            agent_id: bia,
            login_at: t(10, 2, 30),
            total_seconds: 3_600,
            active_seconds: 3_000,
            idle_seconds: 600,
        },
    ];
    let categories = HashMap::from([(c1.conversation_id, vec![billing])]);
    let agent_teams = HashMap::from([(ana, vec![team])]);
    World {
        ana,
        bia,
        whatsapp,
        email,
        team,
        billing,
        cycles: vec![c1, c2, c3],
        events,
        sessions,
        categories,
        agent_teams,
    }
}

fn sao_paulo() -> Tz {
    "America/Sao_Paulo".parse().unwrap()
}

// A test driver spelling out every filter of the query, as the scenario tables read.
#[allow(clippy::too_many_arguments)]
fn run(
    w: &World,
    tz: Tz,
    group_by: GroupBy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    window_days: i64,
    agents: Option<&HashSet<Uuid>>,
    channels: Option<&HashSet<Uuid>>,
    cats: Option<&HashSet<Uuid>>,
) -> BTreeMap<Key, Metrics> {
    let lookup = Lookup {
        tz,
        group_by,
        categories: &w.categories,
        agent_teams: &w.agent_teams,
        fcr_window: Duration::days(window_days),
        agents,
        channels,
        category_filter: cats,
    };
    compute(&Inputs { cycles: &w.cycles, events: &w.events, sessions: &w.sessions, from, to }, &lookup)
}

fn day(w: &World, group_by: GroupBy) -> BTreeMap<Key, Metrics> {
    run(w, sao_paulo(), group_by, t(10, 3, 0), t(11, 3, 0), 7, None, None, None)
}

#[test]
fn per_agent_figures_match_the_hand_computed_table() {
    let w = world();
    let groups = day(&w, GroupBy::Agent);
    let ana = &groups[&Key::Id(w.ana)];
    assert_eq!(ana.conversations_handled, 2);
    assert_eq!(ana.resolved, 2);
    assert_eq!(ana.replies, 3);
    assert_eq!(ana.frt_count, 2);
    assert_eq!(ana.frt_seconds, Some(180.0));
    assert_eq!(ana.resolution_seconds, Some(2700.0));
    assert_eq!(ana.aht_seconds, Some(2610.0));
    assert_eq!(ana.fcr_resolved, 1);
    assert_eq!(ana.fcr_rate, Some(0.5));
    assert_eq!((ana.sessions, ana.logged_seconds, ana.active_seconds, ana.idle_seconds), (1, 28_800, 25_200, 3_600));

    let bia = &groups[&Key::Id(w.bia)];
    // Her reply was on the 9th (local); her resolution on the 10th.
    assert_eq!((bia.replies, bia.frt_count, bia.frt_seconds), (0, 0, None));
    assert_eq!(bia.conversations_handled, 1);
    assert_eq!(bia.resolution_seconds, Some(7200.0));
    assert_eq!(bia.aht_seconds, Some(0.0));
    assert_eq!(bia.fcr_rate, Some(1.0));
    assert_eq!(bia.sessions, 0, "her session began on the 9th, local time");
}

#[test]
fn the_fcr_window_is_the_tenants() {
    let w = world();
    // 30 days: Bia's resolution on the 10th is followed on the 20th, inside the window.
    let groups = run(&w, sao_paulo(), GroupBy::Agent, t(10, 3, 0), t(11, 3, 0), 30, None, None, None);
    assert_eq!(groups[&Key::Id(w.bia)].fcr_rate, Some(0.0));
    // 1 day: Ana's second resolution (13:00 on the 10th) is followed on the 12th, outside.
    let groups = run(&w, sao_paulo(), GroupBy::Agent, t(10, 3, 0), t(11, 3, 0), 1, None, None, None);
    assert_eq!(groups[&Key::Id(w.ana)].fcr_rate, Some(1.0));
}

#[test]
fn days_follow_the_tenants_time_zone() {
    let w = world();
    // The 9th and the 10th in São Paulo.
    let groups = run(&w, sao_paulo(), GroupBy::Day, t(9, 3, 0), t(11, 3, 0), 7, None, None, None);
    let ninth = &groups[&Key::Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap())];
    let tenth = &groups[&Key::Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap())];
    assert_eq!((ninth.replies, ninth.frt_count, ninth.frt_seconds, ninth.resolved), (1, 1, Some(600.0), 0));
    assert_eq!(ninth.sessions, 1);
    assert_eq!((tenth.replies, tenth.resolved, tenth.frt_count), (3, 3, 2));
    // In UTC everything happened on the 10th.
    let groups = run(&w, Tz::UTC, GroupBy::Day, t(9, 0, 0), t(11, 0, 0), 7, None, None, None);
    assert_eq!(groups.len(), 1);
    let tenth = groups.values().next().unwrap();
    assert_eq!((tenth.replies, tenth.resolved, tenth.frt_count, tenth.sessions), (4, 3, 3, 2));
    // (300 + 60 + 600) / 3
    assert_eq!(tenth.frt_seconds, Some(320.0));
}

#[test]
fn totals_channels_teams_and_categories() {
    let w = world();
    let total = &day(&w, GroupBy::Total)[&Key::Total];
    assert_eq!(total.resolved, 3);
    // (1800 + 3600 + 7200) / 3
    assert_eq!(total.resolution_seconds, Some(4200.0));
    // (1680 + 3540 + 0) / 3
    assert_eq!(total.aht_seconds, Some(1740.0));
    assert_eq!(total.fcr_resolved, 2);

    let channels = day(&w, GroupBy::Channel);
    assert_eq!(channels[&Key::Id(w.whatsapp)].resolved, 2);
    assert_eq!(channels[&Key::Id(w.email)].resolved, 1);
    assert_eq!(channels[&Key::Id(w.whatsapp)].sessions, 0, "sessions belong to no channel");

    let teams = day(&w, GroupBy::Team);
    assert_eq!(teams[&Key::Id(w.team)].resolved, 2);
    assert_eq!(teams[&Key::Id(w.team)].sessions, 1, "Ana's session counts for her team");
    assert_eq!(teams.len(), 1, "c3 has no team");

    let categories = day(&w, GroupBy::Category);
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[&Key::Id(w.billing)].resolved, 1);
    assert_eq!(categories[&Key::Id(w.billing)].replies, 2);
}

#[test]
fn filters_keep_only_the_agents_channels_and_categories_asked_for() {
    let w = world();
    let only_bia = HashSet::from([w.bia]);
    let groups = run(&w, sao_paulo(), GroupBy::Total, t(10, 3, 0), t(11, 3, 0), 7, Some(&only_bia), None, None);
    assert_eq!(groups[&Key::Total].resolved, 1);
    assert_eq!(groups[&Key::Total].replies, 0);
    let email = HashSet::from([w.email]);
    let groups = run(&w, sao_paulo(), GroupBy::Total, t(10, 3, 0), t(11, 3, 0), 7, None, Some(&email), None);
    assert_eq!(groups[&Key::Total].resolved, 1);
    assert_eq!(groups[&Key::Total].replies, 1);
    let billing = HashSet::from([w.billing]);
    let groups = run(&w, sao_paulo(), GroupBy::Agent, t(10, 3, 0), t(11, 3, 0), 7, None, None, Some(&billing));
    assert_eq!(groups[&Key::Id(w.ana)].resolved, 1);
    assert_eq!(groups[&Key::Id(w.ana)].frt_seconds, Some(300.0));
    assert!(!groups.contains_key(&Key::Id(w.bia)));
}
