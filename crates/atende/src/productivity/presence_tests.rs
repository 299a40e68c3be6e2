use chrono::TimeZone;

use super::*;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, h, m, s).unwrap()
}

fn t() -> Timeouts {
    Timeouts::default()
}

fn login(when: DateTime<Utc>) -> Session {
    Session::open(when, when + Duration::hours(12), reason::LOGIN)
}

/// Applies signals in order and returns the final session and every step.
fn run(session: Session, signals: &[(Signal, DateTime<Utc>)], t: &Timeouts) -> (Session, Vec<Step>) {
    let mut s = session;
    let mut steps = Vec::new();
    for (signal, now) in signals {
        let step = s.step(*signal, *now, t);
        s = step.session.clone();
        steps.push(step);
    }
    (s, steps)
}

#[test]
fn active_idle_active_counts_the_idle_period_exactly() {
    let (s, steps) = run(
        login(at(9, 0, 0)),
        &[
            (Signal::Heartbeat, at(9, 5, 0)),
            (Signal::ClientIdle, at(9, 20, 0)),
            (Signal::ClientActive, at(9, 27, 30)),
            (Signal::End(EndReason::Logout), at(10, 0, 0)),
        ],
        &t(),
    );
    assert_eq!(steps[1].idle_opened, Some((at(9, 20, 0), IdleSource::Client)));
    assert_eq!(steps[2].idle_closed, Some((at(9, 27, 30), 450)));
    assert_eq!(s.ended, Some((at(10, 0, 0), EndReason::Logout)));
    assert_eq!(
        s.totals_at(at(23, 0, 0)),
        Totals { total_seconds: 3600, active_seconds: 3600 - 450, idle_seconds: 450 }
    );
}

#[test]
fn idle_across_midnight_is_one_period_of_its_real_length() {
    let start = Utc.with_ymd_and_hms(2026, 12, 3, 23, 0, 0).unwrap();
    let idle = Utc.with_ymd_and_hms(2026, 12, 3, 23, 50, 0).unwrap();
    let back = Utc.with_ymd_and_hms(2026, 12, 4, 0, 10, 0).unwrap();
    let out = Utc.with_ymd_and_hms(2026, 12, 4, 1, 0, 0).unwrap();
    let mut script = beats(start + Duration::seconds(30), idle - Duration::seconds(30));
    script.push((Signal::ClientIdle, idle));
    script.extend(beats(idle + Duration::seconds(30), back - Duration::seconds(30)));
    script.push((Signal::ClientActive, back));
    script.extend(beats(back + Duration::seconds(30), out - Duration::seconds(30)));
    script.push((Signal::End(EndReason::Logout), out));
    let (s, steps) = run(login(start), &script, &t());
    let closed: Vec<_> = steps.iter().filter_map(|s| s.idle_closed).collect();
    assert_eq!(closed, vec![(back, 1200)]);
    assert_eq!(s.totals_at(out), Totals { total_seconds: 7200, active_seconds: 6000, idle_seconds: 1200 });
}

#[test]
fn overlapping_idle_signals_keep_one_period_from_the_first() {
    let (s, steps) = run(
        login(at(9, 0, 0)),
        &[
            (Signal::ClientIdle, at(9, 10, 0)),
            // A second tab's idle timer fires too.
            (Signal::ClientIdle, at(9, 10, 2)),
            (Signal::ClientIdle, at(9, 12, 0)),
            (Signal::ClientActive, at(9, 20, 0)),
        ],
        &t(),
    );
    assert!(steps[0].idle_opened.is_some());
    assert!(steps[1].idle_opened.is_none() && steps[1].transition.is_none());
    assert!(steps[2].idle_opened.is_none() && steps[2].transition.is_none());
    assert_eq!(steps[3].idle_closed, Some((at(9, 20, 0), 600)));
    assert_eq!(s.idle_seconds, 600);
}

#[test]
fn a_client_idle_after_a_server_idle_does_not_open_a_second_period() {
    let timeouts = t();
    let s = login(at(9, 0, 0));
    // Silence since 9:00: at 9:12 the sweeper marks it idle from 9:00.
    let step = s.step(Signal::Tick, at(9, 12, 0), &timeouts);
    assert_eq!(step.idle_opened, Some((at(9, 0, 0), IdleSource::Server)));
    let s = step.session;
    let step = s.step(Signal::ClientIdle, at(9, 12, 5), &timeouts);
    assert!(step.idle_opened.is_none() && step.transition.is_none());
    assert_eq!(step.session.since, at(9, 0, 0));
}

#[test]
fn active_before_idle_was_acknowledged_changes_nothing() {
    // The client's `active` arrives while the server never saw the `idle` (lost or
    // reordered): no zero-length period, no transition.
    let s = login(at(9, 0, 0));
    let step = s.step(Signal::ClientActive, at(9, 15, 0), &t());
    assert!(step.transition.is_none() && step.idle_closed.is_none());
    assert_eq!(step.session.last_seen_at, at(9, 15, 0));
    // And an `idle` right after is a normal idle.
    let step = step.session.step(Signal::ClientIdle, at(9, 15, 1), &t());
    assert_eq!(step.idle_opened, Some((at(9, 15, 1), IdleSource::Client)));
}

#[test]
fn duplicate_heartbeats_change_nothing_but_last_seen() {
    let s = login(at(9, 0, 0));
    let first = s.step(Signal::Heartbeat, at(9, 0, 30), &t());
    let second = first.session.step(Signal::Heartbeat, at(9, 0, 30), &t());
    assert_eq!(first.session, second.session);
    assert!(second.transition.is_none());
    // A heartbeat from a clock behind ours does not move time backwards.
    let late = second.session.step(Signal::Heartbeat, at(9, 0, 10), &t());
    assert_eq!(late.session.last_seen_at, at(9, 0, 30));
}

#[test]
fn a_heartbeat_does_not_end_a_client_idle_but_ends_a_server_one() {
    let timeouts = t();
    let idle = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &timeouts).session;
    let step = idle.step(Signal::Heartbeat, at(9, 10, 30), &timeouts);
    assert_eq!(step.session.status, Status::Idle);
    assert!(step.transition.is_none());
    let step = idle.step(Signal::Seen, at(9, 11, 0), &timeouts);
    assert_eq!(step.session.status, Status::Idle);

    let server_idle = login(at(9, 0, 0)).step(Signal::Tick, at(9, 12, 0), &timeouts).session;
    let step = server_idle.step(Signal::Heartbeat, at(9, 13, 0), &timeouts);
    assert_eq!(step.session.status, Status::Active);
    assert_eq!(step.idle_closed, Some((at(9, 13, 0), 780)));
}

#[test]
fn silence_is_idle_after_idle_plus_server_timeout_then_offline_at_the_last_signal() {
    let timeouts = t();
    let s = login(at(9, 0, 0)).step(Signal::Heartbeat, at(9, 1, 0), &timeouts).session;
    assert_eq!(s.next_check(&timeouts), Some(at(9, 13, 0)));
    // One second early: nothing.
    let step = s.step(Signal::Tick, at(9, 12, 59), &timeouts);
    assert!(step.transition.is_none());
    let step = s.step(Signal::Tick, at(9, 13, 0), &timeouts);
    let tr = step.transition.clone().unwrap();
    assert_eq!(
        (tr.from, tr.to, tr.at, tr.reason.as_str()),
        (Status::Active, Status::Idle, at(9, 1, 0), "heartbeat_timeout")
    );
    let s = step.session;
    assert_eq!(s.next_check(&timeouts), Some(at(9, 31, 0)));
    assert!(s.step(Signal::Tick, at(9, 30, 59), &timeouts).ended.is_none());
    let step = s.step(Signal::Tick, at(9, 31, 0), &timeouts);
    assert_eq!(step.ended, Some((at(9, 1, 0), EndReason::ServerTimeout)));
    assert_eq!(step.idle_closed, Some((at(9, 1, 0), 0)));
    assert_eq!(step.session.totals_at(at(12, 0, 0)), Totals { total_seconds: 60, active_seconds: 60, idle_seconds: 0 });
}

#[test]
fn a_client_idle_agent_whose_browser_closes_is_closed_at_its_last_heartbeat() {
    let timeouts = t();
    let mut script = beats(at(9, 0, 30), at(9, 29, 30));
    script.push((Signal::ClientIdle, at(9, 30, 0)));
    // The tab stays open (heartbeats go on) until 9:40, then the browser closes.
    script.extend(beats(at(9, 30, 30), at(9, 40, 0)));
    let (s, _) = run(login(at(9, 0, 0)), &script, &timeouts);
    let step = s.step(Signal::Tick, at(10, 10, 0), &timeouts);
    assert_eq!(step.ended, Some((at(9, 40, 0), EndReason::ServerTimeout)));
    assert_eq!(step.idle_closed, Some((at(9, 40, 0), 600)));
    assert_eq!(step.session.totals_at(at(11, 0, 0)).active_seconds, 1800);
}

#[test]
fn auto_logout_ends_an_idle_session_after_the_grace_and_warns_first() {
    let timeouts = Timeouts { auto_logout_grace: Some(Duration::minutes(5)), ..t() };
    let step = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &timeouts);
    assert_eq!(step.logout_warning, Some(at(9, 15, 0)));
    let s = step.session;
    assert_eq!(s.next_check(&timeouts), Some(at(9, 15, 0)));
    assert!(s.step(Signal::Tick, at(9, 14, 59), &timeouts).ended.is_none());
    let step = s.step(Signal::Tick, at(9, 15, 0), &timeouts);
    assert_eq!(step.ended, Some((at(9, 15, 0), EndReason::Forced)));
    assert!(step.revoke_login);
    assert_eq!(step.session.totals_at(at(9, 15, 0)).idle_seconds, 300);
    // Without auto-logout nothing happens at that time.
    let s = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &t()).session;
    assert!(s.step(Signal::Tick, at(9, 15, 0), &t()).ended.is_none());
}

#[test]
fn a_server_idle_is_logged_out_after_idle_timeout_plus_grace_from_the_last_signal() {
    let timeouts = Timeouts { auto_logout_grace: Some(Duration::minutes(5)), ..t() };
    let step = login(at(9, 0, 0)).step(Signal::Tick, at(9, 12, 0), &timeouts);
    assert_eq!(step.logout_warning, Some(at(9, 15, 0)));
    let step = step.session.step(Signal::Tick, at(9, 15, 0), &timeouts);
    assert_eq!(step.ended, Some((at(9, 15, 0), EndReason::Forced)));
}

#[test]
fn token_expiry_closes_the_session_at_the_expiry() {
    let s = Session::open(at(9, 0, 0), at(10, 0, 0), reason::LOGIN);
    let (s, _) = run(s, &beats(at(9, 0, 30), at(9, 59, 30)), &t());
    assert_eq!(s.next_check(&t()), Some(at(10, 0, 0)));
    let step = s.step(Signal::Tick, at(10, 0, 5), &t());
    assert_eq!(step.ended, Some((at(10, 0, 0), EndReason::Expired)));
    assert_eq!(step.session.totals_at(at(11, 0, 0)).total_seconds, 3600);
}

#[test]
fn a_late_signal_after_the_offline_timeout_does_not_revive_the_session() {
    let s = login(at(9, 0, 0));
    let step = s.step(Signal::Heartbeat, at(11, 0, 0), &t());
    assert_eq!(step.ended, Some((at(9, 0, 0), EndReason::ServerTimeout)));
    let step = s.step(Signal::Seen, at(11, 0, 0), &t());
    assert!(step.ended.is_some());
}

#[test]
fn logout_while_idle_closes_the_open_period() {
    let mut script = beats(at(9, 0, 30), at(9, 39, 30));
    script.push((Signal::ClientIdle, at(9, 40, 0)));
    script.push((Signal::End(EndReason::Logout), at(9, 45, 0)));
    let (s, steps) = run(login(at(9, 0, 0)), &script, &t());
    assert_eq!(steps.last().unwrap().idle_closed, Some((at(9, 45, 0), 300)));
    assert_eq!(s.status, Status::Offline);
    assert_eq!(s.totals_at(at(9, 45, 0)), Totals { total_seconds: 2700, active_seconds: 2400, idle_seconds: 300 });
    // A closed session ignores everything.
    let step = s.step(Signal::Heartbeat, at(9, 46, 0), &t());
    assert_eq!(step.session, s);
}

/// Heartbeats every 30 s from `from` to `to` inclusive.
fn beats(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(Signal, DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut now = from;
    while now <= to {
        out.push((Signal::Heartbeat, now));
        now += Duration::seconds(30);
    }
    out
}

#[test]
fn a_scripted_day_matches_totals_computed_by_hand() {
    // 08:00 login; heartbeats every 30 s while the tab is open; idle 10:00–10:20
    // (client); browser closed after the 11:59:30 heartbeat, so the sweeper (12:12)
    // marks it idle from 11:59:30; back 12:20; idle 15:00–15:05; logout 17:00.
    // By hand: total 9 h = 32400 s; idle 1200 + (12:20:00 − 11:59:30 = 1230) + 300
    // = 2730 s; active 32400 − 2730 = 29670 s.
    let timeouts = t();
    let mut script = beats(at(8, 0, 30), at(9, 59, 30));
    script.push((Signal::ClientIdle, at(10, 0, 0)));
    script.extend(beats(at(10, 0, 30), at(10, 19, 30)));
    script.push((Signal::ClientActive, at(10, 20, 0)));
    script.extend(beats(at(10, 20, 30), at(11, 59, 30)));
    script.push((Signal::Tick, at(12, 11, 0)));
    script.push((Signal::Tick, at(12, 11, 30)));
    script.extend(beats(at(12, 20, 0), at(14, 59, 30)));
    script.push((Signal::ClientIdle, at(15, 0, 0)));
    script.extend(beats(at(15, 0, 30), at(15, 4, 30)));
    script.push((Signal::ClientActive, at(15, 5, 0)));
    script.extend(beats(at(15, 5, 30), at(16, 59, 30)));
    script.push((Signal::End(EndReason::Logout), at(17, 0, 0)));
    let (s, steps) = run(login(at(8, 0, 0)), &script, &timeouts);
    let idle_periods: Vec<_> = steps.iter().filter_map(|s| s.idle_opened).collect();
    assert_eq!(
        idle_periods,
        vec![
            (at(10, 0, 0), IdleSource::Client),
            (at(11, 59, 30), IdleSource::Server),
            (at(15, 0, 0), IdleSource::Client)
        ]
    );
    assert_eq!(s.totals_at(at(18, 0, 0)), Totals { total_seconds: 32400, active_seconds: 29670, idle_seconds: 2730 });
}
