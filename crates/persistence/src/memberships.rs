//! Who belongs to a community and in what role. Every change that could leave an active
//! community without a leader locks the community first and checks the rule.

use chrono::{NaiveDate, Utc};
use oikos_domain::membership::{MemberRole, Membership, ensure_open_for_members, keep_a_leader};
use oikos_domain::person::Email;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::communities::{current_leader_count, lock};
use crate::entities::{memberships, persons};
use crate::organizations::corrupt;
use crate::persons::new_row;
use crate::{Database, StoreError, StoreResult};

pub(crate) fn to_membership(m: memberships::Model) -> StoreResult<Membership> {
    let serving_roles: Vec<String> = serde_json::from_value(m.serving_roles.clone())
        .map_err(|_| corrupt("serving roles", &m.serving_roles.to_string()))?;
    Ok(Membership {
        id: m.id,
        community_id: m.community_id,
        person_id: m.person_id,
        role: MemberRole::parse(&m.role).ok_or_else(|| corrupt("member role", &m.role))?,
        serving_roles,
        joined_on: m.joined_on,
        left_on: m.left_on,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) async fn insert_row<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    community: Uuid,
    person: Uuid,
    role: MemberRole,
    serving_roles: Vec<String>,
    joined_on: NaiveDate,
) -> StoreResult<Membership> {
    let now = Utc::now();
    let row = memberships::ActiveModel {
        id: Set(id),
        community_id: Set(community),
        person_id: Set(person),
        role: Set(role.as_str().to_owned()),
        serving_roles: Set(serde_json::json!(serving_roles)),
        joined_on: Set(joined_on),
        left_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => {
            StoreError::conflict("this person is already a member of the community")
        }
        other => other,
    })?;
    to_membership(row)
}

/// Who joins: a person already known, or someone new (invited by email, or a guest added
/// by name). An invitee who later signs up with that email gets this same person.
pub enum Joiner {
    Existing(Uuid),
    New {
        display_name: String,
        email: Option<Email>,
        phone: Option<String>,
    },
}

pub struct NewMembership {
    pub id: Uuid,
    pub community_id: Uuid,
    pub joiner: Joiner,
    pub role: MemberRole,
    pub serving_roles: Vec<String>,
    pub joined_on: NaiveDate,
}

/// Adds a member. The same id with the same community and person returns the existing
/// membership (a retried request); with anything else it is a conflict.
pub async fn add(db: &Database, new: NewMembership) -> StoreResult<Membership> {
    let tx = db.conn().begin().await?;
    let community = lock(&tx, new.community_id).await?;
    if let Some(existing) = memberships::Entity::find_by_id(new.id).one(&tx).await? {
        let existing = to_membership(existing)?;
        let same_person = match &new.joiner {
            Joiner::Existing(person) => *person == existing.person_id,
            Joiner::New { .. } => true,
        };
        return if existing.community_id == new.community_id
            && same_person
            && existing.role == new.role
        {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different membership",
            ))
        };
    }
    ensure_open_for_members(community.status)?;
    let person = match new.joiner {
        Joiner::Existing(id) => {
            persons::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or(StoreError::NotFound("person"))?
                .id
        }
        Joiner::New {
            display_name,
            email,
            phone,
        } => {
            let known = match &email {
                Some(email) => {
                    persons::Entity::find()
                        .filter(persons::Column::EmailNormalized.eq(email.normalized()))
                        .one(&tx)
                        .await?
                }
                None => None,
            };
            match known {
                Some(person) => person.id,
                None => {
                    new_row(Uuid::now_v7(), display_name, email.as_ref(), phone)
                        .insert(&tx)
                        .await?
                        .id
                }
            }
        }
    };
    let membership = insert_row(
        &tx,
        new.id,
        new.community_id,
        person,
        new.role,
        new.serving_roles,
        new.joined_on,
    )
    .await?;
    tx.commit().await?;
    Ok(membership)
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Membership>> {
    memberships::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_membership)
        .transpose()
}

async fn current_in<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Membership> {
    let membership = memberships::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_membership)
        .transpose()?
        .ok_or(StoreError::NotFound("membership"))?;
    if membership.left_on.is_some() {
        return Err(
            oikos_domain::DomainError::conflict("this membership has already ended").into(),
        );
    }
    Ok(membership)
}

/// Changes a member's role; an active community keeps at least one leader.
pub async fn change_role(db: &Database, id: Uuid, role: MemberRole) -> StoreResult<Membership> {
    let community_id = get(db, id)
        .await?
        .ok_or(StoreError::NotFound("membership"))?
        .community_id;
    let tx = db.conn().begin().await?;
    let community = lock(&tx, community_id).await?;
    ensure_open_for_members(community.status)?;
    let membership = current_in(&tx, id).await?;
    if membership.role == MemberRole::Leader && role != MemberRole::Leader {
        let leaders = current_leader_count(&tx, community_id).await?;
        keep_a_leader(community.status, leaders.saturating_sub(1), "role")?;
    }
    let row = memberships::ActiveModel {
        id: sea_orm::Unchanged(id),
        role: Set(role.as_str().to_owned()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    to_membership(row)
}

pub async fn set_serving_roles(
    db: &Database,
    id: Uuid,
    roles: Vec<String>,
) -> StoreResult<Membership> {
    let tx = db.conn().begin().await?;
    current_in(&tx, id).await?;
    let row = memberships::ActiveModel {
        id: sea_orm::Unchanged(id),
        serving_roles: Set(serde_json::json!(roles)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    to_membership(row)
}

/// Ends a membership (history is kept); an active community keeps at least one leader.
pub async fn remove(db: &Database, id: Uuid, left_on: NaiveDate) -> StoreResult<Membership> {
    let community_id = get(db, id)
        .await?
        .ok_or(StoreError::NotFound("membership"))?
        .community_id;
    let tx = db.conn().begin().await?;
    let community = lock(&tx, community_id).await?;
    let membership = current_in(&tx, id).await?;
    if membership.role == MemberRole::Leader {
        let leaders = current_leader_count(&tx, community_id).await?;
        keep_a_leader(community.status, leaders.saturating_sub(1), "membershipId")?;
    }
    let left_on = left_on.max(membership.joined_on);
    let row = memberships::ActiveModel {
        id: sea_orm::Unchanged(id),
        left_on: Set(Some(left_on)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    tx.commit().await?;
    to_membership(row)
}

/// Current members of each of `communities` (for DataLoaders), leaders first.
pub async fn current_of_communities(
    db: &Database,
    communities: &[Uuid],
) -> StoreResult<Vec<Membership>> {
    if communities.is_empty() {
        return Ok(Vec::new());
    }
    memberships::Entity::find()
        .filter(memberships::Column::CommunityId.is_in(communities.iter().copied()))
        .filter(memberships::Column::LeftOn.is_null())
        .order_by_asc(memberships::Column::JoinedOn)
        .order_by_asc(memberships::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_membership)
        .collect()
}

/// A person's current memberships.
pub async fn current_of_person(db: &Database, person: Uuid) -> StoreResult<Vec<Membership>> {
    memberships::Entity::find()
        .filter(memberships::Column::PersonId.eq(person))
        .filter(memberships::Column::LeftOn.is_null())
        .order_by_asc(memberships::Column::JoinedOn)
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_membership)
        .collect()
}
