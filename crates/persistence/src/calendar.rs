//! Calendar feed tokens: one per person, stored only as a hash. The secret itself is
//! derived by the caller from the moment it was issued (`issued_at`), so it can be shown
//! again without ever being stored.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::calendar_tokens;
use crate::{Database, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarToken {
    pub person_id: Uuid,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
}

fn to_token(m: calendar_tokens::Model) -> CalendarToken {
    CalendarToken {
        person_id: m.person_id,
        token_hash: m.token_hash,
        issued_at: m.updated_at,
    }
}

pub async fn of_person(db: &Database, person: Uuid) -> StoreResult<Option<CalendarToken>> {
    Ok(calendar_tokens::Entity::find_by_id(person)
        .one(db.conn())
        .await?
        .map(to_token))
}

/// Stores a first token for `person` unless one exists already (two first uses at once
/// agree on the one stored first) and returns the token in force.
pub async fn create_if_missing(
    db: &Database,
    person: Uuid,
    token_hash: String,
    issued_at: DateTime<Utc>,
) -> StoreResult<CalendarToken> {
    calendar_tokens::Entity::insert(calendar_tokens::ActiveModel {
        person_id: Set(person),
        token_hash: Set(token_hash.clone()),
        created_at: Set(issued_at),
        updated_at: Set(issued_at),
    })
    .on_conflict(
        OnConflict::column(calendar_tokens::Column::PersonId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db.conn())
    .await?;
    Ok(of_person(db, person).await?.unwrap_or(CalendarToken {
        person_id: person,
        token_hash,
        issued_at,
    }))
}

/// Replaces `person`'s token: every URL made with the old one stops working.
pub async fn replace(
    db: &Database,
    person: Uuid,
    token_hash: String,
    issued_at: DateTime<Utc>,
) -> StoreResult<CalendarToken> {
    calendar_tokens::Entity::insert(calendar_tokens::ActiveModel {
        person_id: Set(person),
        token_hash: Set(token_hash.clone()),
        created_at: Set(issued_at),
        updated_at: Set(issued_at),
    })
    .on_conflict(
        OnConflict::column(calendar_tokens::Column::PersonId)
            .update_columns([
                calendar_tokens::Column::TokenHash,
                calendar_tokens::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db.conn())
    .await?;
    Ok(CalendarToken {
        person_id: person,
        token_hash,
        issued_at,
    })
}

/// The person a presented token belongs to (looked up by its hash).
pub async fn person_by_hash(db: &Database, token_hash: &str) -> StoreResult<Option<Uuid>> {
    Ok(calendar_tokens::Entity::find()
        .filter(calendar_tokens::Column::TokenHash.eq(token_hash))
        .one(db.conn())
        .await?
        .map(|t| t.person_id))
}
