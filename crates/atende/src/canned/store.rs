//! SQL for canned responses; every function takes the caller's `Scope`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    Set,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use uuid::Uuid;

use super::entity;
use crate::tenancy::Scope;

/// `%text%` with LIKE's wildcards escaped.
fn like_pattern(text: &str) -> LikeExpr {
    let mut escaped = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    LikeExpr::new(escaped).escape('\\')
}

/// Canned responses of the caller's tenant by short code, optionally searched
/// (lower() on both sides: Postgres LIKE is case-sensitive, SQLite's is not).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    search: Option<&str>,
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    let mut query = entity::Entity::find().filter(entity::Column::TenantId.eq(scope.tenant_id));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = like_pattern(&search.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(entity::Column::ShortCode))).like(pattern.clone()))
                .add(Expr::expr(Func::lower(Expr::col(entity::Column::Content))).like(pattern)),
        );
    }
    query.order_by_asc(entity::Column::ShortCode).order_by_asc(entity::Column::Id).all(db).await
}

/// One canned response of the caller's tenant.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).filter(entity::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Inserts a canned response (short codes are unique per tenant).
pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    short_code: &str,
    content: &str,
) -> Result<entity::Model, sea_orm::DbErr> {
    let now = Utc::now();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        short_code: Set(short_code.to_string()),
        content: Set(content.to_string()),
        created_by: Set((!scope.is_system()).then_some(scope.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Changes a canned response loaded through the scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: entity::Model,
    short_code: Option<&str>,
    content: Option<&str>,
) -> Result<entity::Model, sea_orm::DbErr> {
    let mut active = current.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    if let Some(short_code) = short_code {
        active.short_code = Set(short_code.to_string());
    }
    if let Some(content) = content {
        active.content = Set(content.to_string());
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Deletes a canned response; false when it was not there.
pub async fn delete(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = entity::Entity::delete_many()
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
