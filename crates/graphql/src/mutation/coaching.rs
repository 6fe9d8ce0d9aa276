use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use oikos_domain::access::OrgAction;
use oikos_domain::coaching::{
    AssignmentRequest, CheckInContent, assignment_for_check_in, validate_assignment,
};
use oikos_domain::development::{Assessor, may_assess, stage_note};
use oikos_domain::organization::OrgRole;
use oikos_persistence::coaching::{self, NewAssignment};
use oikos_persistence::development::{self, StageToSet};
use oikos_persistence::{access, persons};
use uuid::Uuid;

use super::today;
use crate::context::{actor, authorize_org, db, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::coaching::{CheckInView, CoachingAssignmentView};
use crate::types::development::DevelopmentProgressView;
use crate::types::enums::{CoreSkill, DevelopmentStage};

#[derive(Default)]
pub struct CoachingMutation;

/// An organization's admin assigns a coach (holding COACH on it or above) to a leader of
/// a community in it or below it.
#[derive(InputObject)]
pub struct AssignCoachInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub organization_id: Uuid,
    pub coach_id: Uuid,
    pub leader_id: Uuid,
    /// Today when left out.
    pub started_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct EndCoachingAssignmentInput {
    pub assignment_id: Uuid,
    /// Today when left out.
    pub ended_on: Option<NaiveDate>,
}

/// A coach writes down a conversation with a leader they coach (or coached on that day).
#[derive(InputObject)]
pub struct RecordCheckInInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub leader_id: Uuid,
    /// Today when left out.
    pub met_on: Option<NaiveDate>,
    /// Read by the coach and the leader only.
    pub notes: String,
    pub next_steps: Option<String>,
}

#[derive(InputObject)]
pub struct SetDevelopmentStageInput {
    pub community_id: Uuid,
    /// A current apprentice or leader of the community.
    pub person_id: Uuid,
    pub skill: CoreSkill,
    pub stage: DevelopmentStage,
    /// Why, in a few words (kept in the history).
    pub note: Option<String>,
}

/// A person named in an input must exist; saying so names the field.
async fn existing_person(ctx: &Context<'_>, id: Uuid, field: &str) -> ApiResult<()> {
    persons::get(db(ctx)?, id)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::bad_input(field, "no such person"))
}

#[Object]
impl CoachingMutation {
    async fn assign_coach(
        &self,
        ctx: &Context<'_>,
        input: AssignCoachInput,
    ) -> ApiResult<CoachingAssignmentView> {
        let me = actor(ctx)?;
        authorize_org(ctx, input.organization_id, OrgAction::Manage).await?;
        existing_person(ctx, input.coach_id, "coachId").await?;
        existing_person(ctx, input.leader_id, "leaderId").await?;
        let db = db(ctx)?;
        let coach_roles = access::org_standing(db, input.coach_id, input.organization_id)
            .await?
            .map(|s| s.org_roles)
            .unwrap_or_default();
        let pair = (input.leader_id, input.organization_id);
        let leader_leads_below = coaching::led_communities(db, &[pair])
            .await?
            .get(&pair)
            .is_some_and(|led| !led.is_empty());
        let started_on = input.started_on.unwrap_or_else(today);
        validate_assignment(&AssignmentRequest {
            coach_id: input.coach_id,
            leader_id: input.leader_id,
            coach_roles,
            leader_leads_below,
            started_on,
            today: today(),
        })?;
        let assignment = coaching::assign(
            db,
            NewAssignment {
                id: input.id.unwrap_or_else(Uuid::now_v7),
                organization_id: input.organization_id,
                coach_id: input.coach_id,
                leader_id: input.leader_id,
                started_on,
                assigned_by: me.person_id,
            },
        )
        .await?;
        Ok(assignment.into())
    }

    /// The history stays: check-ins remain readable by the coach and the leader.
    async fn end_coaching_assignment(
        &self,
        ctx: &Context<'_>,
        input: EndCoachingAssignmentInput,
    ) -> ApiResult<CoachingAssignmentView> {
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let assignment = coaching::get(db, input.assignment_id)
            .await?
            .ok_or(ApiError::NotFound("coaching assignment"))?;
        authorize_org(ctx, assignment.organization_id, OrgAction::Manage)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("coaching assignment"),
                other => other,
            })?;
        let ended = coaching::end(
            db,
            assignment.id,
            input.ended_on.unwrap_or_else(today),
            me.person_id,
            today(),
        )
        .await?;
        Ok(ended.into())
    }

    /// Only a coach assigned to the leader (on the day they met) records a check-in, and
    /// only while still holding the COACH role where the assignment was made.
    async fn record_check_in(
        &self,
        ctx: &Context<'_>,
        input: RecordCheckInInput,
    ) -> ApiResult<CheckInView> {
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let assignments = coaching::between(db, me.person_id, input.leader_id).await?;
        if assignments.is_empty() {
            return Err(ApiError::Forbidden);
        }
        let content = CheckInContent::parse(
            input.met_on.unwrap_or_else(today),
            &input.notes,
            input.next_steps.as_deref(),
            today(),
        )?;
        let assignment = assignment_for_check_in(&assignments, content.met_on)?;
        let still_coach = access::org_standing(db, me.person_id, assignment.organization_id)
            .await?
            .is_some_and(|s| s.org_roles.contains(&OrgRole::Coach));
        if !still_coach {
            return Err(ApiError::Forbidden);
        }
        let check_in = coaching::record_check_in(
            db,
            input.id.unwrap_or_else(Uuid::now_v7),
            assignment,
            content,
        )
        .await?;
        Ok(check_in.into())
    }

    /// Sets where an apprentice or leader stands in one core skill; the change is kept in
    /// their history. A leader of the community or a coach assigned to one of its leaders
    /// may set it; nobody sets their own.
    async fn set_development_stage(
        &self,
        ctx: &Context<'_>,
        input: SetDevelopmentStageInput,
    ) -> ApiResult<DevelopmentProgressView> {
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let standing = visible_community(ctx, input.community_id).await?;
        let coaches_one_of_its_leaders = standing.org_roles.contains(&OrgRole::Coach)
            && coaching::coaches_a_leader_of(db, me.person_id, input.community_id).await?;
        let assessor = Assessor {
            leads_the_community: standing.is_leader(),
            coaches_one_of_its_leaders,
            is_the_person: me.person_id == input.person_id,
        };
        if !may_assess(assessor) {
            return Err(ApiError::Forbidden);
        }
        development::set_stage(
            db,
            StageToSet {
                community_id: input.community_id,
                person_id: input.person_id,
                skill: input.skill.into(),
                stage: input.stage.into(),
                note: stage_note(input.note.as_deref())?,
                set_by: me.person_id,
            },
        )
        .await?;
        development::on_the_path(db, &[input.community_id])
            .await?
            .remove(&input.community_id)
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.person_id == input.person_id)
            .map(|p| DevelopmentProgressView::from((input.community_id, p)))
            .ok_or(ApiError::NotFound("person"))
    }
}
