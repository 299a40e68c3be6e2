//! The full-text index of message text (SQL; every function takes the `Scope`).
//!
//! `message_search` has one row per indexed message; its integer id orders results
//! newest first. The words are the message's normalised tokens
//! (`search_text::message_tokens`) plus the tenant's token, held per engine:
//! - SQLite: the contentless FTS5 table `message_search_fts` (rowid = `message_search.id`;
//!   a trigger drops its row with the `message_search` row);
//! - PostgreSQL: `message_search.tsv` (GIN).
//!
//! The index is written in the transaction of the message itself (`index_message`,
//! called by `store::message_insert` and, for an inbound batch, `index_messages` by
//! `store::messages_insert`), so a committed message is always findable and
//! a rolled-back one never is. Private notes are indexed like any message: the
//! tenant's agents see them in the inbox, so they find them too.

use sea_orm::{
    ConnectionTrait, DatabaseBackend, FromQueryResult, Statement, Value,
    sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};
use search_text::MessageQuery;
use uuid::Uuid;

use super::{entity::message, visibility::Visibility};
use crate::tenancy::Scope;

/// Newest index rows of a tenant looked at before asking the GIN index (PostgreSQL).
const RECENT_WINDOW: u64 = 20_000;

fn backend(db: &impl ConnectionTrait) -> DatabaseBackend {
    db.get_database_backend()
}

/// Adds a message to the index (no-op for a message without words).
pub async fn index_message(db: &impl ConnectionTrait, scope: &Scope, m: &message::Model) -> Result<(), sea_orm::DbErr> {
    index_messages(db, scope, std::slice::from_ref(m)).await
}

/// Adds messages to the index with a statement or two per chunk, whatever their number
/// (an inbound batch is indexed as it is inserted: together).
pub async fn index_messages(
    db: &impl ConnectionTrait,
    scope: &Scope,
    rows: &[message::Model],
) -> Result<(), sea_orm::DbErr> {
    let tokenised: Vec<(&message::Model, Vec<String>)> = rows
        .iter()
        .filter_map(|m| {
            let tokens = search_text::message_tokens(m.content.as_deref()?);
            (!tokens.is_empty()).then_some((m, tokens))
        })
        .collect();
    if tokenised.is_empty() {
        return Ok(());
    }
    let tenant = search_text::tenant_token(&scope.tenant_id.to_string());
    let backend = backend(db);
    for chunk in tokenised.chunks(INDEX_CHUNK) {
        if backend == DatabaseBackend::Postgres {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
            let mut tuples = Vec::with_capacity(chunk.len());
            for (i, (m, tokens)) in chunk.iter().enumerate() {
                let lexemes = std::iter::once(tenant.as_str())
                    .chain(tokens.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" ");
                let n = i * 4;
                tuples.push(format!(
                    "(${}, ${}, ${}, array_to_tsvector(string_to_array(${}, ' ')))",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4
                ));
                values.extend([scope.tenant_id.into(), m.id.into(), m.conversation_id.into(), lexemes.into()]);
            }
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "INSERT INTO message_search (tenant_id, message_id, conversation_id, tsv) VALUES {}",
                    tuples.join(", ")
                ),
                values,
            ))
            .await?;
        } else {
            // The FTS row is keyed by the index row's integer id: read them back.
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 3);
            for (m, _) in chunk {
                values.extend([scope.tenant_id.into(), m.id.into(), m.conversation_id.into()]);
            }
            let tuples = vec!["(?, ?, ?)"; chunk.len()].join(", ");
            let ids = IndexRow::find_by_statement(Statement::from_sql_and_values(
                backend,
                format!(
                    "INSERT INTO message_search (tenant_id, message_id, conversation_id) VALUES {tuples} \
                     RETURNING id, message_id"
                ),
                values,
            ))
            .all(db)
            .await?;
            let rowid: std::collections::HashMap<Uuid, i64> = ids.into_iter().map(|r| (r.message_id, r.id)).collect();
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 3);
            for (m, tokens) in chunk {
                let Some(id) = rowid.get(&m.id) else { continue };
                values.extend([(*id).into(), tenant.clone().into(), tokens.join(" ").into()]);
            }
            let tuples = vec!["(?, ?, ?)"; values.len() / 3].join(", ");
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                format!("INSERT INTO message_search_fts (rowid, tenant, body) VALUES {tuples}"),
                values,
            ))
            .await?;
        }
    }
    Ok(())
}

/// Rows per multi-row insert (well under either engine's bound-parameter limit).
const INDEX_CHUNK: usize = 200;

#[derive(Debug, FromQueryResult)]
struct IndexRow {
    id: i64,
    message_id: Uuid,
}

/// Indexes a message again after its text changed.
pub async fn reindex_message(
    db: &impl ConnectionTrait,
    scope: &Scope,
    m: &message::Model,
) -> Result<(), sea_orm::DbErr> {
    unindex_messages(db, scope, &[m.id]).await?;
    index_message(db, scope, m).await
}

/// Removes messages from the index (call before deleting them).
pub async fn unindex_messages(db: &impl ConnectionTrait, scope: &Scope, ids: &[Uuid]) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = backend(db);
    for chunk in ids.chunks(500) {
        let mut values: Vec<Value> = vec![scope.tenant_id.into()];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        let list = placeholders(backend, 2, chunk.len());
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("DELETE FROM message_search WHERE tenant_id = {} AND message_id IN ({list})", p(backend, 1)),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Removes from the index the messages a query selects (their ids), e.g. everything
/// of an erased contact.
pub async fn unindex_selected(
    db: &impl ConnectionTrait,
    scope: &Scope,
    message_ids: SelectStatement,
) -> Result<(), sea_orm::DbErr> {
    let delete = Query::delete()
        .from_table("message_search")
        .and_where(Expr::col("tenant_id").eq(scope.tenant_id))
        .and_where(Expr::col("message_id").in_subquery(message_ids))
        .to_owned();
    db.execute(&delete).await?;
    Ok(())
}

/// Follows messages moved from one conversation to another (conversations combined).
pub async fn move_conversation(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: Uuid,
    to: Uuid,
) -> Result<(), sea_orm::DbErr> {
    let backend = backend(db);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "UPDATE message_search SET conversation_id = {} WHERE tenant_id = {} AND conversation_id = {}",
            p(backend, 1),
            p(backend, 2),
            p(backend, 3)
        ),
        [to.into(), scope.tenant_id.into(), from.into()],
    ))
    .await?;
    Ok(())
}

/// `conversations.id IN (conversations with a message matching)`, for the list filter.
pub fn conversations_matching(backend: DatabaseBackend, scope: &Scope, query: &MessageQuery) -> SimpleExpr {
    let tenant = scope.tenant_id.to_string();
    if backend == DatabaseBackend::Postgres {
        Expr::cust_with_values(
            "\"conversations\".\"id\" IN (SELECT conversation_id FROM message_search \
             WHERE tenant_id = $1 AND tsv @@ $2::tsquery)",
            [Value::from(scope.tenant_id), query.tsquery(&tenant).into()],
        )
    } else {
        Expr::cust_with_values(
            "\"conversations\".\"id\" IN (SELECT s.conversation_id FROM message_search_fts \
             JOIN message_search s ON s.id = message_search_fts.rowid \
             WHERE message_search_fts MATCH ? AND s.tenant_id = ?)",
            [Value::from(query.fts5(&tenant)), scope.tenant_id.into()],
        )
    }
}

/// One matching message.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Hit {
    pub message_id: Uuid,
    pub conversation_id: Uuid,
}

/// ` AND <column> IN (conversations the caller sees)` with its values, parameters
/// numbered from `first` (empty when the caller sees every conversation).
fn visible_clause(
    backend: DatabaseBackend,
    scope: &Scope,
    visibility: &Visibility,
    column: &str,
    first: usize,
) -> (String, Vec<Value>) {
    let (condition, mut values): (String, Vec<Value>) = match visibility {
        Visibility::All => return (String::new(), Vec::new()),
        Visibility::Own { user } => (format!("assignee_id = {}", p(backend, first + 1)), vec![(*user).into()]),
        Visibility::Teams { user, teams } => {
            let mut condition =
                format!("assignee_id = {} OR (assignee_id IS NULL AND team_id IS NULL)", p(backend, first + 1));
            if !teams.is_empty() {
                condition.push_str(&format!(" OR team_id IN ({})", placeholders(backend, first + 2, teams.len())));
            }
            let mut values: Vec<Value> = vec![(*user).into()];
            values.extend(teams.iter().map(|t| Value::from(*t)));
            (condition, values)
        }
    };
    values.insert(0, scope.tenant_id.into());
    let clause = format!(
        " AND {column} IN (SELECT id FROM conversations WHERE tenant_id = {} AND ({condition}))",
        p(backend, first)
    );
    (clause, values)
}

/// Messages of the caller's tenant matching, in conversations the caller sees, newest
/// first; `limit + 1` rows are read so the caller knows whether there are more.
pub async fn search(
    db: &impl ConnectionTrait,
    scope: &Scope,
    visibility: &Visibility,
    query: &MessageQuery,
    limit: u64,
    offset: u64,
) -> Result<Vec<Hit>, sea_orm::DbErr> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let backend = backend(db);
    let tenant = scope.tenant_id.to_string();
    if backend == DatabaseBackend::Postgres {
        // Two steps, because no single plan is good for both kinds of query: a frequent
        // word is found fastest by walking the newest rows (stop after a page), a rare
        // one through the GIN index (then sort the few matches). First the tenant's
        // newest RECENT_WINDOW rows; if they fill the page, those are the newest matches
        // of all. Otherwise the term is rare and the index answers quickly.
        let tsquery = query.tsquery(&tenant);
        let (visible, visible_values) = visible_clause(backend, scope, visibility, "conversation_id", 5);
        let values = |tsquery: String| {
            let mut values: Vec<Value> =
                vec![scope.tenant_id.into(), tsquery.into(), (limit as i64).into(), (offset as i64).into()];
            values.extend(visible_values.iter().cloned());
            values
        };
        let recent = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT message_id, conversation_id FROM (SELECT id, message_id, conversation_id, tsv FROM message_search \
                 WHERE tenant_id = $1 ORDER BY id DESC LIMIT {RECENT_WINDOW}) recent \
                 WHERE tsv @@ $2::tsquery{visible} ORDER BY id DESC LIMIT $3 OFFSET $4"
            ),
            values(tsquery.clone()),
        );
        let hits = Hit::find_by_statement(recent).all(db).await?;
        if hits.len() as u64 == limit {
            return Ok(hits);
        }
        // `id + 0`: order without the primary key's index, so the planner takes the GIN one.
        let all = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT message_id, conversation_id FROM message_search \
                 WHERE tenant_id = $1 AND tsv @@ $2::tsquery{visible} ORDER BY id + 0 DESC LIMIT $3 OFFSET $4"
            ),
            values(tsquery),
        );
        return Hit::find_by_statement(all).all(db).await;
    }
    // FTS5 walks its matches newest rowid first by itself; `?` parameters bind in order.
    let (visible, visible_values) = visible_clause(backend, scope, visibility, "s.conversation_id", 1);
    let mut values: Vec<Value> = vec![query.fts5(&tenant).into(), scope.tenant_id.into()];
    values.extend(visible_values);
    values.extend([(limit as i64).into(), (offset as i64).into()]);
    let statement = Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT s.message_id AS message_id, s.conversation_id AS conversation_id \
             FROM message_search_fts JOIN message_search s ON s.id = message_search_fts.rowid \
             WHERE message_search_fts MATCH ? AND s.tenant_id = ?{visible} \
             ORDER BY message_search_fts.rowid DESC LIMIT ? OFFSET ?"
        ),
        values,
    );
    Hit::find_by_statement(statement).all(db).await
}

fn placeholders(backend: DatabaseBackend, from: usize, count: usize) -> String {
    (from..from + count).map(|i| p(backend, i)).collect::<Vec<_>>().join(", ")
}

fn p(backend: DatabaseBackend, i: usize) -> String {
    if backend == DatabaseBackend::Postgres { format!("${i}") } else { "?".to_string() }
}
