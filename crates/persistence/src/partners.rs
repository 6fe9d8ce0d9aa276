//! Partners: ministries and organisations already at work in a community's
//! neighbourhood, with whom it can work rather than start something from scratch.

use chrono::Utc;
use oikos_domain::people_of_peace::{Partner, PartnerContent, PartnerStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entities::partners;
use crate::organizations::corrupt;
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_partner(m: partners::Model) -> StoreResult<Partner> {
    Ok(Partner {
        id: m.id,
        community_id: m.community_id,
        content: PartnerContent {
            name: m.name,
            description: m.description,
            contact_name: m.contact_name,
            contact_email: m.contact_email,
            contact_phone: m.contact_phone,
            status: PartnerStatus::parse(&m.status)
                .ok_or_else(|| corrupt("partner status", &m.status))?,
            notes: m.notes,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn set_content(row: &mut partners::ActiveModel, c: PartnerContent) {
    row.name = Set(c.name);
    row.description = Set(c.description);
    row.contact_name = Set(c.contact_name);
    row.contact_email = Set(c.contact_email);
    row.contact_phone = Set(c.contact_phone);
    row.status = Set(c.status.as_str().to_owned());
    row.notes = Set(c.notes);
}

/// Records a partner. The same id with the same content returns the existing one.
pub async fn create(
    db: &Database,
    id: Uuid,
    community: Uuid,
    content: PartnerContent,
) -> StoreResult<Partner> {
    if let Some(existing) = get(db, id).await? {
        return if existing.community_id == community && existing.content == content {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different partner",
            ))
        };
    }
    let now = Utc::now();
    let mut row = partners::ActiveModel {
        id: Set(id),
        community_id: Set(community),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_content(&mut row, content);
    to_partner(row.insert(db.conn()).await?)
}

/// Replaces a partner's content (the caller merged the changes into validated content).
pub async fn update(db: &Database, id: Uuid, content: PartnerContent) -> StoreResult<Partner> {
    let mut row = partners::ActiveModel {
        id: sea_orm::Unchanged(id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    set_content(&mut row, content);
    to_partner(row.update(db.conn()).await?)
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Partner>> {
    partners::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_partner)
        .transpose()
}

/// For DataLoaders: every partner among `ids` that exists.
pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<Partner>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    partners::Entity::find()
        .filter(partners::Column::Id.is_in(ids.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_partner)
        .collect()
}

/// Whether `id` is a partner of `community`.
pub(crate) async fn belongs_to<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    community: Uuid,
) -> StoreResult<bool> {
    Ok(partners::Entity::find_by_id(id)
        .one(conn)
        .await?
        .is_some_and(|p| p.community_id == community))
}

/// The partners of a community, oldest first.
pub async fn list(db: &Database, community: Uuid, page: PageRequest) -> StoreResult<Page<Partner>> {
    let mut query = partners::Entity::find().filter(partners::Column::CommunityId.eq(community));
    if let Some(after) = page.after {
        query = query.filter(partners::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(partners::Column::Id)
        .limit(page.first + 1)
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_partner)
}
