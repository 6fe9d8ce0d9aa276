//! Discernment notes: the dated history of where a community sees its mission.

use chrono::{NaiveDate, Utc};
use oikos_domain::discernment::DiscernmentNote;
use sea_orm::{ActiveModelTrait, EntityTrait, FromQueryResult, Set};
use uuid::Uuid;

use crate::entities::discernment_notes;
use crate::sql::SqlBuilder;
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_note(m: discernment_notes::Model) -> StoreResult<DiscernmentNote> {
    Ok(DiscernmentNote {
        id: m.id,
        community_id: m.community_id,
        noted_on: m.noted_on,
        body: m.body,
        author_id: m.author_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub struct NewDiscernmentNote {
    pub id: Uuid,
    pub community_id: Uuid,
    pub noted_on: NaiveDate,
    pub body: String,
    pub author_id: Uuid,
}

/// Records a note. The same id with the same content returns the existing one.
pub async fn create(db: &Database, new: NewDiscernmentNote) -> StoreResult<DiscernmentNote> {
    if let Some(existing) = discernment_notes::Entity::find_by_id(new.id)
        .one(db.conn())
        .await?
    {
        let existing = to_note(existing)?;
        let same = existing.community_id == new.community_id
            && existing.noted_on == new.noted_on
            && existing.body == new.body;
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different discernment note",
            ))
        };
    }
    let now = Utc::now();
    let row = discernment_notes::ActiveModel {
        id: Set(new.id),
        community_id: Set(new.community_id),
        noted_on: Set(new.noted_on),
        body: Set(new.body),
        author_id: Set(Some(new.author_id)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db.conn())
    .await?;
    to_note(row)
}

/// A community's notes in the order they were noted: its vision's history.
pub async fn list(
    db: &Database,
    community: Uuid,
    page: PageRequest,
) -> StoreResult<Page<DiscernmentNote>> {
    let mut q = SqlBuilder::new("SELECT * FROM discernment_notes WHERE community_id = ");
    let c = q.bind(community);
    q.push(&c);
    if let Some(after) = page.after {
        let a = q.bind(after);
        let after_day = format!("(SELECT a.noted_on FROM discernment_notes a WHERE a.id = {a})");
        q.push(&format!(
            " AND (noted_on > {after_day} OR (noted_on = {after_day} AND id > {a}))"
        ));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY noted_on, id LIMIT {limit}"));
    let rows = discernment_notes::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_note)
}
