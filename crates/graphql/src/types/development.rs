//! Leader development: where an apprentice or leader stands in each core skill, and how
//! they got there. Built only for viewers the resolvers have authorized.

use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::development::{StageChange, apprentice_ready, missing_skills, stages_of};
use oikos_persistence::development::OnThePath;
use uuid::Uuid;

use super::enums::{CoreSkill, DevelopmentStage, MemberRole};
use super::person::PersonView;
use crate::context::{actor, loaders};
use crate::error::{ApiError, ApiResult};

async fn person(ctx: &Context<'_>, id: Uuid) -> ApiResult<PersonView> {
    let me = actor(ctx)?;
    let person = loaders(ctx)?
        .persons
        .load_one(id)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let own = person.id == me.person_id;
    Ok(PersonView::new(person, own))
}

/// An apprentice's or leader's growth in one community.
#[derive(SimpleObject)]
#[graphql(name = "DevelopmentProgress", complex)]
pub struct DevelopmentProgressView {
    pub community_id: Uuid,
    pub role: MemberRole,
    pub joined_on: NaiveDate,
    /// Every core skill; one never assessed stands at MODEL.
    pub stages: Vec<SkillStageView>,
    /// At WATCH or LEAVE in every core skill: ready to lead a group of their own.
    pub ready_to_lead: bool,
    /// The skills still below WATCH.
    pub skills_to_grow_in: Vec<CoreSkill>,
    #[graphql(skip)]
    pub person_id: Uuid,
}

impl From<(Uuid, OnThePath)> for DevelopmentProgressView {
    fn from((community_id, p): (Uuid, OnThePath)) -> Self {
        let recorded: Vec<_> = p.stages.iter().map(|s| (s.skill, s.stage)).collect();
        let stages = stages_of(&recorded)
            .into_iter()
            .map(|(skill, stage)| {
                let record = p.stages.iter().find(|s| s.skill == skill);
                SkillStageView {
                    skill: skill.into(),
                    stage: stage.into(),
                    updated_at: record.map(|r| r.updated_at),
                    updated_by_id: record.map(|r| r.updated_by),
                }
            })
            .collect();
        Self {
            community_id,
            role: p.role.into(),
            joined_on: p.joined_on,
            stages,
            ready_to_lead: apprentice_ready(&recorded),
            skills_to_grow_in: missing_skills(&recorded)
                .into_iter()
                .map(Into::into)
                .collect(),
            person_id: p.person_id,
        }
    }
}

#[ComplexObject]
impl DevelopmentProgressView {
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        person(ctx, self.person_id).await
    }

    /// Every change of stage in this community, the most recent first.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Vec<StageChangeView>> {
        Ok(loaders(ctx)?
            .stage_history
            .load_one((self.community_id, self.person_id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(SimpleObject)]
#[graphql(name = "SkillStage", complex)]
pub struct SkillStageView {
    pub skill: CoreSkill,
    pub stage: DevelopmentStage,
    /// When the stage was last set; null when it never was.
    pub updated_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub updated_by_id: Option<Uuid>,
}

#[ComplexObject]
impl SkillStageView {
    /// Who last set the stage.
    async fn updated_by(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        match self.updated_by_id {
            Some(id) => person(ctx, id).await.map(Some),
            None => Ok(None),
        }
    }
}

/// One step on the path, as it was recorded.
#[derive(SimpleObject)]
#[graphql(name = "DevelopmentStageChange", complex)]
pub struct StageChangeView {
    pub id: Uuid,
    pub skill: CoreSkill,
    /// Null for the first stage recorded in the skill.
    pub from_stage: Option<DevelopmentStage>,
    pub to_stage: DevelopmentStage,
    pub note: Option<String>,
    pub changed_at: DateTime<Utc>,
    #[graphql(skip)]
    pub changed_by_id: Uuid,
}

impl From<StageChange> for StageChangeView {
    fn from(c: StageChange) -> Self {
        Self {
            id: c.id,
            skill: c.skill.into(),
            from_stage: c.from.map(Into::into),
            to_stage: c.to.into(),
            note: c.note,
            changed_at: c.changed_at,
            changed_by_id: c.changed_by,
        }
    }
}

#[ComplexObject]
impl StageChangeView {
    async fn changed_by(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        person(ctx, self.changed_by_id).await
    }
}
