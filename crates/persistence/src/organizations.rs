//! The organization tree and the roles people hold on it.

use chrono::Utc;
use oikos_domain::organization::{
    OrgRole, OrgRoleGrant, Organization, OrganizationKind, ensure_not_own_ancestor, founder_role,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{org_roles, organizations};
use crate::sql::SqlBuilder;
use crate::tree::{Move, Tree, move_subtree, next_child_path, retry_on_path_race, stored_path};
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

pub(crate) fn to_organization(m: organizations::Model) -> StoreResult<Organization> {
    Ok(Organization {
        id: m.id,
        kind: OrganizationKind::parse(&m.kind)
            .ok_or_else(|| corrupt("organization kind", &m.kind))?,
        name: m.name,
        parent_id: m.parent_id,
        path: stored_path(m.tree_path)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Internal(anyhow::anyhow!("unknown {what} {value:?} in storage"))
}

pub struct NewOrganization {
    pub id: Uuid,
    pub kind: OrganizationKind,
    pub name: String,
    pub parent_id: Option<Uuid>,
}

/// Creates an organization; the founder of a top-level one becomes its admin. Repeating
/// the call with the same id and content returns the existing organization.
pub async fn create(db: &Database, actor: Uuid, new: NewOrganization) -> StoreResult<Organization> {
    retry_on_path_race(|| create_once(db, actor, &new)).await
}

async fn create_once(
    db: &Database,
    actor: Uuid,
    new: &NewOrganization,
) -> StoreResult<Organization> {
    let tx = db.conn().begin().await?;
    if let Some(existing) = organizations::Entity::find_by_id(new.id).one(&tx).await? {
        let existing = to_organization(existing)?;
        let same = existing.kind == new.kind
            && existing.name == new.name
            && existing.parent_id == new.parent_id;
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different organization",
            ))
        };
    }
    let parent = match new.parent_id {
        Some(parent_id) => Some(
            organizations::Entity::find_by_id(parent_id)
                .one(&tx)
                .await?
                .map(to_organization)
                .transpose()?
                .ok_or(StoreError::NotFound("parent organization"))?,
        ),
        None => None,
    };
    let path = next_child_path(
        &tx,
        Tree::Organizations,
        parent.as_ref().map(|p| (p.id, &p.path)),
    )
    .await?;
    let now = Utc::now();
    let row = organizations::ActiveModel {
        id: Set(new.id),
        kind: Set(new.kind.as_str().to_owned()),
        name: Set(new.name.clone()),
        parent_id: Set(new.parent_id),
        tree_path: Set(path.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    if let Some(role) = founder_role(new.parent_id) {
        insert_grant(&tx, new.id, actor, role, actor).await?;
    }
    tx.commit().await?;
    to_organization(row)
}

/// Renames and/or moves an organization. Moving rewrites the paths of its whole subtree
/// in the same transaction; moving under itself or a descendant is refused.
pub async fn update(
    db: &Database,
    id: Uuid,
    name: Option<String>,
    new_parent: Option<Option<Uuid>>,
) -> StoreResult<Organization> {
    retry_on_path_race(|| update_once(db, id, name.clone(), new_parent)).await
}

async fn update_once(
    db: &Database,
    id: Uuid,
    name: Option<String>,
    new_parent: Option<Option<Uuid>>,
) -> StoreResult<Organization> {
    let tx = db.conn().begin().await?;
    let org = find_in(&tx, id)
        .await?
        .ok_or(StoreError::NotFound("organization"))?;
    let now = Utc::now();
    if let Some(parent_id) = new_parent.filter(|p| *p != org.parent_id) {
        let parent = match parent_id {
            Some(pid) => Some(
                find_in(&tx, pid)
                    .await?
                    .ok_or(StoreError::NotFound("parent organization"))?,
            ),
            None => None,
        };
        if let Some(parent) = &parent {
            ensure_not_own_ancestor(&org.path, &parent.path)?;
        }
        let new_path = next_child_path(
            &tx,
            Tree::Organizations,
            parent.as_ref().map(|p| (p.id, &p.path)),
        )
        .await?;
        move_subtree(&tx, Move::Organizations, &org.path, &new_path).await?;
        organizations::Entity::update_many()
            .col_expr(
                organizations::Column::ParentId,
                sea_orm::sea_query::Expr::value(parent_id),
            )
            .col_expr(
                organizations::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(organizations::Column::Id.eq(id))
            .exec(&tx)
            .await?;
    }
    if let Some(name) = name {
        organizations::Entity::update_many()
            .col_expr(
                organizations::Column::Name,
                sea_orm::sea_query::Expr::value(name),
            )
            .col_expr(
                organizations::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(organizations::Column::Id.eq(id))
            .exec(&tx)
            .await?;
    }
    let updated = find_in(&tx, id)
        .await?
        .ok_or(StoreError::NotFound("organization"))?;
    tx.commit().await?;
    Ok(updated)
}

async fn find_in<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Option<Organization>> {
    organizations::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_organization)
        .transpose()
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<Organization>> {
    find_in(db.conn(), id).await
}

pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<Organization>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(ids.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_organization)
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub kind: Option<OrganizationKind>,
    pub parent_id: Option<Uuid>,
    pub name_contains: Option<String>,
}

/// Organizations in the subtrees where `viewer` holds a role, in creation order.
pub async fn list_visible(
    db: &Database,
    viewer: Uuid,
    filter: &OrganizationFilter,
    page: PageRequest,
) -> StoreResult<Page<Organization>> {
    let mut q = SqlBuilder::new(
        "SELECT o.* FROM organizations o WHERE EXISTS (SELECT 1 FROM org_roles r JOIN organizations ro ON ro.id = r.organization_id WHERE r.person_id = ",
    );
    let viewer = q.bind(viewer);
    q.push(&viewer);
    q.push(" AND o.tree_path >= ro.tree_path AND o.tree_path < ro.tree_path || '~')");
    if let Some(kind) = filter.kind {
        let p = q.bind(kind.as_str());
        q.push(&format!(" AND o.kind = {p}"));
    }
    if let Some(parent) = filter.parent_id {
        let p = q.bind(parent);
        q.push(&format!(" AND o.parent_id = {p}"));
    }
    if let Some(name) = filter.name_contains.as_deref().filter(|n| !n.is_empty()) {
        let p = q.bind(format!("%{}%", escape_like(&name.to_lowercase())));
        q.push(&format!(" AND lower(o.name) LIKE {p} ESCAPE '\\'"));
    }
    if let Some(after) = page.after {
        let p = q.bind(after);
        q.push(&format!(" AND o.id > {p}"));
    }
    let limit = q.bind(i64::try_from(page.first + 1).unwrap_or(i64::MAX));
    q.push(&format!(" ORDER BY o.id LIMIT {limit}"));
    let rows = organizations::Model::find_by_statement(q.build(db.backend()))
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_organization)
}

pub(crate) fn escape_like(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

async fn insert_grant<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    person: Uuid,
    role: OrgRole,
    granted_by: Uuid,
) -> StoreResult<org_roles::Model> {
    let now = Utc::now();
    Ok(org_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        person_id: Set(person),
        role: Set(role.as_str().to_owned()),
        granted_by: Set(Some(granted_by)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?)
}

fn to_grant(m: org_roles::Model) -> StoreResult<OrgRoleGrant> {
    Ok(OrgRoleGrant {
        id: m.id,
        organization_id: m.organization_id,
        person_id: m.person_id,
        role: OrgRole::parse(&m.role).ok_or_else(|| corrupt("organization role", &m.role))?,
        created_at: m.created_at,
    })
}

/// Grants `role`; granting a role the person already holds returns the existing grant.
pub async fn grant_role(
    db: &Database,
    org: Uuid,
    person: Uuid,
    role: OrgRole,
    granted_by: Uuid,
) -> StoreResult<OrgRoleGrant> {
    let existing = org_roles::Entity::find()
        .filter(org_roles::Column::OrganizationId.eq(org))
        .filter(org_roles::Column::PersonId.eq(person))
        .filter(org_roles::Column::Role.eq(role.as_str()))
        .one(db.conn())
        .await?;
    if let Some(existing) = existing {
        return to_grant(existing);
    }
    to_grant(insert_grant(db.conn(), org, person, role, granted_by).await?)
}

/// Revokes `role`; refuses to leave a top-level organization without any admin.
pub async fn revoke_role(
    db: &Database,
    org: Uuid,
    person: Uuid,
    role: OrgRole,
) -> StoreResult<bool> {
    let tx = db.conn().begin().await?;
    let organization = find_in(&tx, org)
        .await?
        .ok_or(StoreError::NotFound("organization"))?;
    if role == OrgRole::Admin && organization.parent_id.is_none() {
        let admins = org_roles::Entity::find()
            .filter(org_roles::Column::OrganizationId.eq(org))
            .filter(org_roles::Column::Role.eq(OrgRole::Admin.as_str()))
            .all(&tx)
            .await?;
        if admins.iter().all(|a| a.person_id == person) && !admins.is_empty() {
            return Err(oikos_domain::DomainError::invalid(
                "personId",
                "a top-level organization must keep at least one admin",
            )
            .into());
        }
    }
    let deleted = org_roles::Entity::delete_many()
        .filter(org_roles::Column::OrganizationId.eq(org))
        .filter(org_roles::Column::PersonId.eq(person))
        .filter(org_roles::Column::Role.eq(role.as_str()))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(deleted.rows_affected > 0)
}

/// Every role `person` holds, directly granted (not the inherited ones).
pub async fn grants_of_person(db: &Database, person: Uuid) -> StoreResult<Vec<OrgRoleGrant>> {
    org_roles::Entity::find()
        .filter(org_roles::Column::PersonId.eq(person))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_grant)
        .collect()
}

/// Every role granted directly on `org`.
pub async fn grants_on(db: &Database, org: Uuid) -> StoreResult<Vec<OrgRoleGrant>> {
    org_roles::Entity::find()
        .filter(org_roles::Column::OrganizationId.eq(org))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_grant)
        .collect()
}
