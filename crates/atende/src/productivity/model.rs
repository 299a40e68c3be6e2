//! API shapes of remote work: presence, work sessions, idle periods, settings.

use chrono::{DateTime, Duration, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::users::model::Availability;

/// ACTIVE / IDLE / OFFLINE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PresenceStatus {
    Active,
    Idle,
    Offline,
}

impl PresenceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PresenceStatus::Active => "ACTIVE",
            PresenceStatus::Idle => "IDLE",
            PresenceStatus::Offline => "OFFLINE",
        }
    }

    pub fn parse(value: &str) -> PresenceStatus {
        match value {
            "ACTIVE" => PresenceStatus::Active,
            "IDLE" => PresenceStatus::Idle,
            _ => PresenceStatus::Offline,
        }
    }
}

/// Who noticed the idleness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdleSource {
    /// The browser's idle timer (`POST /activity/idle`).
    Client,
    /// The sweeper: no heartbeat for the idle timeout plus the server timeout.
    Server,
}

impl IdleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            IdleSource::Client => "client",
            IdleSource::Server => "server",
        }
    }

    pub fn parse(value: &str) -> Option<IdleSource> {
        match value {
            "client" => Some(IdleSource::Client),
            "server" => Some(IdleSource::Server),
            _ => None,
        }
    }
}

/// Why a work session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The agent signed out.
    Logout,
    /// The login session's token expired.
    Expired,
    /// Access was taken away: auto-logout after idling, deactivation, suspension.
    Forced,
    /// Nothing was heard from the agent for the offline timeout.
    ServerTimeout,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Logout => "logout",
            EndReason::Expired => "expired",
            EndReason::Forced => "forced",
            EndReason::ServerTimeout => "server_timeout",
        }
    }

    pub fn parse(value: &str) -> Option<EndReason> {
        match value {
            "logout" => Some(EndReason::Logout),
            "expired" => Some(EndReason::Expired),
            "forced" => Some(EndReason::Forced),
            "server_timeout" => Some(EndReason::ServerTimeout),
            _ => None,
        }
    }
}

/// Parses the stored availability (`online` when unknown).
pub fn availability_of(stored: &str) -> Availability {
    match stored {
        "busy" => Availability::Busy,
        "offline" => Availability::Offline,
        _ => Availability::Online,
    }
}

/// The current work session of a presence, with totals up to `since`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PresenceSession {
    pub id: Uuid,
    pub login_at: DateTime<Utc>,
    /// Active seconds up to the presence's `since` (add the time since then when ACTIVE).
    pub active_seconds: i64,
    /// Idle seconds up to `since` (add the time since then when IDLE).
    pub idle_seconds: i64,
}

/// An agent's presence: what their activity says (`status`), beside what they chose
/// (`availability`). The `agent_status_update` socket payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PresenceView {
    pub agent_id: Uuid,
    pub name: String,
    pub team_ids: Vec<Uuid>,
    pub status: PresenceStatus,
    /// When the current status began.
    pub since: DateTime<Utc>,
    /// Why: login, activity, client_idle, heartbeat_timeout, logout, expired, forced,
    /// server_timeout.
    pub reason: Option<String>,
    /// The agent's manual availability (profile).
    pub availability: Availability,
    /// The open work session, if any.
    pub session: Option<PresenceSession>,
}

/// `{agents}`: the board, and the `presence_snapshot` socket payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PresenceBoard {
    pub agents: Vec<PresenceView>,
}

/// `GET /api/v1/activity/me`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityMe {
    pub presence: PresenceView,
    pub settings: ProductivitySettings,
    /// Whether the agent has read the "what is measured" notice.
    pub notice_acknowledged: bool,
}

/// One idle period of a work session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdlePeriodView {
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Duration; for an open period, up to now.
    pub seconds: i64,
    pub source: IdleSource,
}

/// One work session with its totals and idle periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkSessionView {
    pub id: Uuid,
    pub agent_id: Uuid,
    pub login_at: DateTime<Utc>,
    pub logout_at: Option<DateTime<Utc>>,
    pub end_reason: Option<EndReason>,
    /// ACTIVE or IDLE while open, OFFLINE once closed.
    pub status: PresenceStatus,
    /// Totals; for an open session, up to now.
    pub total_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
    pub idle_periods: Vec<IdlePeriodView>,
}

/// `{items}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkSessionList {
    pub items: Vec<WorkSessionView>,
}

/// Filters of `GET /api/v1/activity/sessions`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListSessions {
    /// Whose sessions (default: agents see their own; managers every supervised agent;
    /// admins everyone).
    pub agent_id: Option<Uuid>,
    /// Sessions that overlap [from, to): RFC 3339 or YYYY-MM-DD (UTC day).
    pub from: Option<String>,
    /// RFC 3339 (exclusive) or YYYY-MM-DD (inclusive day).
    pub to: Option<String>,
}

/// Filters of `GET /api/v1/activity/board`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    pub team_id: Option<Uuid>,
}

/// The `idle_warning` socket payload: auto-logout will end the session at `logoutAt`
/// unless the agent comes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdleWarning {
    pub logout_at: DateTime<Utc>,
}

/// The tenant's remote-work settings. Unknown keys are refused; missing keys keep
/// their current value (PUT) or default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ProductivitySettings {
    /// Minutes without input before the client marks the agent idle.
    #[garde(range(min = 1, max = 240))]
    pub idle_timeout_minutes: u32,
    /// Added to the idle timeout before silence (no heartbeat) counts as idle on the server.
    #[garde(range(min = 1, max = 60))]
    pub server_timeout_minutes: u32,
    /// Minutes of silence after which the work session is closed at its last signal;
    /// more than idle + server timeout.
    #[garde(range(min = 2, max = 1440))]
    pub offline_timeout_minutes: u32,
    /// End idle sessions automatically (the token is revoked).
    #[garde(skip)]
    pub auto_logout: bool,
    /// Minutes of IDLE before auto-logout.
    #[garde(range(min = 0, max = 120))]
    pub auto_logout_grace_minutes: u32,
    /// Assign new conversations only to available agents who are ACTIVE.
    #[garde(skip)]
    pub presence_routing: bool,
    /// Open conversations an agent may hold before presence routing skips them.
    #[garde(inner(range(min = 1, max = 1000)))]
    pub max_open_per_agent: Option<u32>,
    /// When an agent goes OFFLINE, their unanswered conversations return to the queue.
    #[garde(skip)]
    pub requeue_on_offline: bool,
}

impl Default for ProductivitySettings {
    fn default() -> Self {
        ProductivitySettings {
            idle_timeout_minutes: 10,
            server_timeout_minutes: 2,
            offline_timeout_minutes: 30,
            auto_logout: false,
            auto_logout_grace_minutes: 5,
            presence_routing: false,
            max_open_per_agent: None,
            requeue_on_offline: false,
        }
    }
}

impl ProductivitySettings {
    /// The state machine's timeouts.
    pub fn timeouts(&self) -> super::presence::Timeouts {
        super::presence::Timeouts {
            idle: Duration::minutes(i64::from(self.idle_timeout_minutes)),
            server: Duration::minutes(i64::from(self.server_timeout_minutes)),
            offline: Duration::minutes(i64::from(self.offline_timeout_minutes)),
            auto_logout_grace: self.auto_logout.then(|| Duration::minutes(i64::from(self.auto_logout_grace_minutes))),
        }
    }
}
