//! Leader development: each apprentice's and leader's current stage per core skill in a
//! community (`development_stages`), and every change of it (`development_stage_changes`,
//! append-only). Migration 000008 explains why the two are kept apart.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::development::{
    CoreSkill, DevelopmentStage, RecordedStage, StageChange, ensure_on_the_path,
};
use oikos_domain::membership::{MemberRole, ensure_open_for_members};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::communities::lock;
use crate::entities::{development_stage_changes, development_stages, memberships};
use crate::organizations::corrupt;
use crate::sql::{placeholders, stmt};
use crate::{Database, StoreResult};

/// A stage being set, by someone the caller has authorized
/// (`oikos_domain::development::may_assess`).
pub struct StageToSet {
    pub community_id: Uuid,
    pub person_id: Uuid,
    pub skill: CoreSkill,
    pub stage: DevelopmentStage,
    pub note: Option<String>,
    pub set_by: Uuid,
}

/// Sets a stage and records the change in the history, in one transaction. Setting the
/// stage a person already stands at changes nothing and records nothing.
pub async fn set_stage(db: &Database, change: StageToSet) -> StoreResult<()> {
    let tx = db.conn().begin().await?;
    let community = lock(&tx, change.community_id).await?;
    ensure_open_for_members(community.status)?;
    let role = memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(change.community_id))
        .filter(memberships::Column::PersonId.eq(change.person_id))
        .filter(memberships::Column::LeftOn.is_null())
        .one(&tx)
        .await?
        .map(|m| MemberRole::parse(&m.role).ok_or_else(|| corrupt("member role", &m.role)))
        .transpose()?;
    ensure_on_the_path(role)?;
    let key = (
        change.community_id,
        change.person_id,
        change.skill.as_str().to_owned(),
    );
    let current = development_stages::Entity::find_by_id(key)
        .one(&tx)
        .await?
        .map(|row| stage(&row.stage))
        .transpose()?;
    if current == Some(change.stage) {
        return Ok(());
    }
    let now = Utc::now();
    let mut row = development_stages::ActiveModel {
        community_id: Set(change.community_id),
        person_id: Set(change.person_id),
        skill: Set(change.skill.as_str().to_owned()),
        stage: Set(change.stage.as_str().to_owned()),
        updated_by: Set(change.set_by),
        updated_at: Set(now),
        ..Default::default()
    };
    if current.is_some() {
        row.update(&tx).await?;
    } else {
        row.created_at = Set(now);
        row.insert(&tx).await?;
    }
    development_stage_changes::ActiveModel {
        id: Set(Uuid::now_v7()),
        community_id: Set(change.community_id),
        person_id: Set(change.person_id),
        skill: Set(change.skill.as_str().to_owned()),
        from_stage: Set(current.map(|s| s.as_str().to_owned())),
        to_stage: Set(change.stage.as_str().to_owned()),
        note: Set(change.note),
        changed_by: Set(change.set_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

fn stage(value: &str) -> StoreResult<DevelopmentStage> {
    DevelopmentStage::parse(value).ok_or_else(|| corrupt("development stage", value))
}

fn skill(value: &str) -> StoreResult<CoreSkill> {
    CoreSkill::parse(value).ok_or_else(|| corrupt("core skill", value))
}

/// A current apprentice or leader of a community, with the stages recorded for them there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnThePath {
    pub person_id: Uuid,
    pub display_name: String,
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    pub stages: Vec<RecordedStage>,
}

#[derive(FromQueryResult)]
struct PathRow {
    community_id: Uuid,
    person_id: Uuid,
    role: String,
    joined_on: NaiveDate,
    display_name: String,
    skill: Option<String>,
    stage: Option<String>,
    updated_at: Option<DateTime<Utc>>,
    updated_by: Option<Uuid>,
}

/// The current apprentices and leaders of each of `communities` with their stages, in the
/// order they joined. One statement for any number of communities.
pub async fn on_the_path(
    db: &Database,
    communities: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<OnThePath>>> {
    let mut out: HashMap<Uuid, Vec<OnThePath>> =
        communities.iter().map(|c| (*c, Vec::new())).collect();
    if communities.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<sea_orm::Value> = vec![
        MemberRole::Apprentice.as_str().into(),
        MemberRole::Leader.as_str().into(),
    ];
    values.extend(communities.iter().map(|c| sea_orm::Value::from(*c)));
    let rows = PathRow::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT m.community_id, m.person_id, m.role, m.joined_on, p.display_name, \
             s.skill, s.stage, s.updated_at, s.updated_by \
             FROM memberships m JOIN persons p ON p.id = m.person_id \
             LEFT JOIN development_stages s \
               ON s.community_id = m.community_id AND s.person_id = m.person_id \
             WHERE m.left_on IS NULL AND m.role IN ($1, $2) AND m.community_id IN ({}) \
             ORDER BY m.community_id, m.joined_on, m.person_id",
            placeholders(3, communities.len())
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    for row in rows {
        let people = out.entry(row.community_id).or_default();
        if people.last().is_none_or(|p| p.person_id != row.person_id) {
            people.push(OnThePath {
                person_id: row.person_id,
                display_name: row.display_name.clone(),
                role: MemberRole::parse(&row.role)
                    .ok_or_else(|| corrupt("member role", &row.role))?,
                joined_on: row.joined_on,
                stages: Vec::new(),
            });
        }
        if let (Some(s), Some(st), Some(updated_at), Some(updated_by), Some(person)) = (
            row.skill.as_deref(),
            row.stage.as_deref(),
            row.updated_at,
            row.updated_by,
            people.last_mut(),
        ) {
            person.stages.push(RecordedStage {
                community_id: row.community_id,
                person_id: row.person_id,
                skill: skill(s)?,
                stage: stage(st)?,
                updated_at,
                updated_by,
            });
        }
    }
    Ok(out)
}

/// Every change of stage of each (community, person) pair, the most recent first. One
/// statement for any number of pairs.
pub async fn history(
    db: &Database,
    pairs: &[(Uuid, Uuid)],
) -> StoreResult<HashMap<(Uuid, Uuid), Vec<StageChange>>> {
    let mut out: HashMap<(Uuid, Uuid), Vec<StageChange>> =
        pairs.iter().map(|pair| (*pair, Vec::new())).collect();
    if pairs.is_empty() {
        return Ok(out);
    }
    let condition = (0..pairs.len())
        .map(|i| {
            format!(
                "(community_id = ${} AND person_id = ${})",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect::<Vec<_>>()
        .join(" OR ");
    let values = pairs
        .iter()
        .flat_map(|(c, p)| [sea_orm::Value::from(*c), sea_orm::Value::from(*p)])
        .collect();
    let rows = development_stage_changes::Model::find_by_statement(stmt(
        db.backend(),
        &format!(
            "SELECT * FROM development_stage_changes WHERE {condition} \
             ORDER BY created_at DESC, id DESC"
        ),
        values,
    ))
    .all(db.conn())
    .await?;
    for row in rows {
        let change = StageChange {
            id: row.id,
            community_id: row.community_id,
            person_id: row.person_id,
            skill: skill(&row.skill)?,
            from: row.from_stage.as_deref().map(stage).transpose()?,
            to: stage(&row.to_stage)?,
            note: row.note,
            changed_by: row.changed_by,
            changed_at: row.created_at,
        };
        out.entry((row.community_id, row.person_id))
            .or_default()
            .push(change);
    }
    Ok(out)
}
