//! People, with or without accounts.

use chrono::Utc;
use oikos_domain::person::{Email, Person};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::persons;
use crate::{Database, StoreResult};

pub(crate) fn to_person(m: persons::Model) -> Person {
    Person {
        id: m.id,
        display_name: m.display_name,
        email: m.email,
        phone: m.phone,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Person>> {
    Ok(persons::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_person))
}

/// For DataLoaders: every person among `ids` that exists, in no particular order.
pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<Person>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(persons::Entity::find()
        .filter(persons::Column::Id.is_in(ids.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_person)
        .collect())
}

pub async fn by_email(db: &Database, email: &Email) -> StoreResult<Option<Person>> {
    Ok(persons::Entity::find()
        .filter(persons::Column::EmailNormalized.eq(email.normalized()))
        .one(db.conn())
        .await?
        .map(to_person))
}

/// A person row for someone who has not signed up (a guest a leader adds).
pub(crate) fn new_row(
    id: Uuid,
    display_name: String,
    email: Option<&Email>,
    phone: Option<String>,
) -> persons::ActiveModel {
    let now = Utc::now();
    persons::Model {
        id,
        display_name,
        email: email.map(|e| e.as_str().to_owned()),
        email_normalized: email.map(|e| e.normalized().to_owned()),
        phone,
        erased_at: None,
        created_at: now,
        updated_at: now,
    }
    .into()
}
