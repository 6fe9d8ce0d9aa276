//! The dated history of parent links, so the family tree can be read as it stood on any
//! past date (an annual report as of 31 December), whatever happened since.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    Unchanged,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::lineage_links;

/// Records that from `valid_from` on, `community` hangs under `parent` (`None`: a root).
pub(crate) async fn record_link<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    parent: Option<Uuid>,
    valid_from: NaiveDate,
    actor: Uuid,
    reason: &str,
) -> StoreResult<()> {
    let now = Utc::now();
    lineage_links::ActiveModel {
        id: Set(Uuid::now_v7()),
        community_id: Set(community),
        parent_id: Set(parent),
        valid_from: Set(valid_from),
        valid_to: Set(None),
        superseded_at: Set(None),
        recorded_by: Set(Some(actor)),
        reason: Set(reason.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The link in force now: neither ended nor superseded.
pub(crate) async fn current_link<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
) -> StoreResult<Option<lineage_links::Model>> {
    Ok(lineage_links::Entity::find()
        .filter(lineage_links::Column::CommunityId.eq(community))
        .filter(lineage_links::Column::ValidTo.is_null())
        .filter(lineage_links::Column::SupersededAt.is_null())
        .order_by_desc(lineage_links::Column::ValidFrom)
        .one(conn)
        .await?)
}

/// Marks a link as a data-entry mistake: it no longer counts for any date, but stays.
pub(crate) async fn supersede<C: ConnectionTrait>(conn: &C, link: Uuid) -> StoreResult<()> {
    let now = Utc::now();
    lineage_links::ActiveModel {
        id: Unchanged(link),
        superseded_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Ends a link that held until `on` (the day the next one begins).
pub(crate) async fn end_link<C: ConnectionTrait>(
    conn: &C,
    link: Uuid,
    on: NaiveDate,
) -> StoreResult<()> {
    lineage_links::ActiveModel {
        id: Unchanged(link),
        valid_to: Set(Some(on)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}
