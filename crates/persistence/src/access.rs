//! Loads the facts that authorization is decided from (`oikos_domain::access`): a person's
//! memberships and the organization roles they hold, inherited down the tree.
//! Batch-shaped, so a list of communities costs three statements, not three per row.

use std::collections::{BTreeSet, HashMap};

use oikos_domain::access::{CommunityAction, CommunityStanding, OrgStanding};
use oikos_domain::membership::MemberRole;
use oikos_domain::need::NetworkReach;
use oikos_domain::organization::OrgRole;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::organizations::corrupt;
use crate::sql::{placeholders, stmt};
use crate::tree::stored_path;
use crate::{Database, StoreResult};

#[derive(FromQueryResult)]
struct RoleOnPath {
    role: String,
    tree_path: String,
}

#[derive(FromQueryResult)]
struct IdPath {
    id: Uuid,
    tree_path: String,
}

#[derive(FromQueryResult)]
struct MemberRoleRow {
    community_id: Uuid,
    role: String,
}

#[derive(FromQueryResult)]
struct OrgRoleRow {
    organization_id: Uuid,
    role: String,
}

/// What one person is to any community, known after two statements however many
/// communities are then asked about: for family trees, which cross organizations and can
/// hold thousands of communities.
#[derive(Debug, Clone, Default)]
pub struct Lens {
    member_of: HashMap<Uuid, MemberRole>,
    /// Every organization where the person holds a role, directly or inherited.
    roles_on: HashMap<Uuid, BTreeSet<OrgRole>>,
}

impl Lens {
    pub fn standing(&self, community: Uuid, organization: Uuid) -> CommunityStanding {
        CommunityStanding {
            member_role: self.member_of.get(&community).copied(),
            org_roles: self
                .roles_on
                .get(&organization)
                .cloned()
                .unwrap_or_default(),
        }
    }

    pub fn sees(&self, community: Uuid, organization: Uuid) -> bool {
        self.standing(community, organization)
            .allows(CommunityAction::ViewCommunity)
    }
}

pub async fn lens<C: ConnectionTrait>(conn: &C, person: Uuid) -> StoreResult<Lens> {
    let backend = conn.get_database_backend();
    let mut lens = Lens::default();
    for row in MemberRoleRow::find_by_statement(stmt(
        backend,
        "SELECT community_id, role FROM memberships WHERE person_id = $1 AND left_on IS NULL",
        vec![person.into()],
    ))
    .all(conn)
    .await?
    {
        let role = MemberRole::parse(&row.role).ok_or_else(|| corrupt("member role", &row.role))?;
        lens.member_of.insert(row.community_id, role);
    }
    for row in OrgRoleRow::find_by_statement(stmt(
        backend,
        "SELECT o.id AS organization_id, r.role FROM org_roles r \
         JOIN organizations ro ON ro.id = r.organization_id \
         JOIN organizations o ON o.tree_path >= ro.tree_path AND o.tree_path < ro.tree_path || '~' \
         WHERE r.person_id = $1",
        vec![person.into()],
    ))
    .all(conn)
    .await?
    {
        let role =
            OrgRole::parse(&row.role).ok_or_else(|| corrupt("organization role", &row.role))?;
        lens.roles_on
            .entry(row.organization_id)
            .or_default()
            .insert(role);
    }
    Ok(lens)
}

/// Every organization role `person` holds, with the path of the organization it is on.
async fn roles_with_paths<C: ConnectionTrait>(
    conn: &C,
    person: Uuid,
) -> StoreResult<Vec<(OrgRole, String)>> {
    RoleOnPath::find_by_statement(stmt(
        conn.get_database_backend(),
        "SELECT r.role, o.tree_path FROM org_roles r JOIN organizations o ON o.id = r.organization_id \
         WHERE r.person_id = $1",
        vec![person.into()],
    ))
    .all(conn)
    .await?
    .into_iter()
    .map(|r| {
        OrgRole::parse(&r.role)
            .map(|role| (role, r.tree_path))
            .ok_or_else(|| corrupt("organization role", &r.role))
    })
    .collect()
}

fn inherited(roles: &[(OrgRole, String)], org_path: &str) -> BTreeSet<OrgRole> {
    roles
        .iter()
        .filter(|(_, path)| org_path.starts_with(path.as_str()))
        .map(|(role, _)| *role)
        .collect()
}

/// What `person` is to each of the communities `ids` that exist (missing ids are absent
/// from the map, so callers answer NOT_FOUND for them and for invisible ones alike).
pub async fn community_standings(
    db: &Database,
    person: Uuid,
    ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, CommunityStanding>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let conn = db.conn();
    let id_values = || {
        ids.iter()
            .map(|id| sea_orm::Value::from(*id))
            .collect::<Vec<_>>()
    };
    let org_paths = IdPath::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT c.id, o.tree_path FROM communities c JOIN organizations o ON o.id = c.organization_id \
             WHERE c.id IN ({})",
            placeholders(1, ids.len())
        ),
        id_values(),
    ))
    .all(conn)
    .await?;
    let mut values = vec![sea_orm::Value::from(person)];
    values.extend(id_values());
    let member_roles = MemberRoleRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT community_id, role FROM memberships \
             WHERE person_id = $1 AND left_on IS NULL AND community_id IN ({})",
            placeholders(2, ids.len())
        ),
        values,
    ))
    .all(conn)
    .await?;
    let roles = roles_with_paths(conn, person).await?;
    let mut member: HashMap<Uuid, MemberRole> = HashMap::new();
    for row in member_roles {
        let role = MemberRole::parse(&row.role).ok_or_else(|| corrupt("member role", &row.role))?;
        member.insert(row.community_id, role);
    }
    Ok(org_paths
        .into_iter()
        .map(|row| {
            let standing = CommunityStanding {
                member_role: member.get(&row.id).copied(),
                org_roles: inherited(&roles, &row.tree_path),
            };
            (row.id, standing)
        })
        .collect())
}

pub async fn community_standing(
    db: &Database,
    person: Uuid,
    id: Uuid,
) -> StoreResult<Option<CommunityStanding>> {
    Ok(community_standings(db, person, &[id]).await?.remove(&id))
}

/// What `person` is to organization `org_id`; `None` when it does not exist.
pub async fn org_standing(
    db: &Database,
    person: Uuid,
    org_id: Uuid,
) -> StoreResult<Option<OrgStanding>> {
    let Some(org) = crate::organizations::get(db, org_id).await? else {
        return Ok(None);
    };
    let roles = roles_with_paths(db.conn(), person).await?;
    let (_, upper) = org.path.descendant_bounds();
    let member_below = IdPath::find_by_statement(stmt(
        db.backend(),
        "SELECT m.id, co.tree_path FROM memberships m \
         JOIN communities c ON c.id = m.community_id \
         JOIN organizations co ON co.id = c.organization_id \
         WHERE m.person_id = $1 AND m.left_on IS NULL AND co.tree_path >= $2 AND co.tree_path < $3 \
         LIMIT 1",
        vec![person.into(), org.path.as_str().into(), upper.into()],
    ))
    .one(db.conn())
    .await?
    .is_some();
    Ok(Some(OrgStanding {
        org_roles: inherited(&roles, org.path.as_str()),
        member_below,
    }))
}

#[derive(FromQueryResult)]
struct TreePathRow {
    tree_path: String,
}

/// How far needs shared with the NETWORK reach `person`: from the roles they hold and the
/// organizations of the communities they belong to. Two statements.
pub async fn network_reach(db: &Database, person: Uuid) -> StoreResult<NetworkReach> {
    let roles = roles_with_paths(db.conn(), person)
        .await?
        .into_iter()
        .map(|(role, path)| Ok((role, stored_path(path)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    let member_orgs = TreePathRow::find_by_statement(stmt(
        db.backend(),
        "SELECT o.tree_path FROM memberships m \
         JOIN communities c ON c.id = m.community_id \
         JOIN organizations o ON o.id = c.organization_id \
         WHERE m.person_id = $1 AND m.left_on IS NULL",
        vec![person.into()],
    ))
    .all(db.conn())
    .await?
    .into_iter()
    .map(|row| stored_path(row.tree_path))
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(NetworkReach::new(roles, member_orgs))
}
