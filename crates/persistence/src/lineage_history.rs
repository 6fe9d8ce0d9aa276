//! The dated history of parent links, so the family tree can be read as it stood on any
//! past date (an annual report as of 31 December), whatever happened since.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
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
