use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use oikos_domain::access::OrgAction;
use oikos_domain::person::Email;
use oikos_domain::text;
use oikos_persistence::organizations::{self, NewOrganization};
use uuid::Uuid;

use crate::context::{actor, authorize_org, db};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{OrganizationKind, OrganizationRole};
use crate::types::organization::{OrganizationRoleGrantView, OrganizationView};

#[derive(Default)]
pub struct OrganizationMutation;

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub kind: OrganizationKind,
    pub name: String,
    /// Leave out for a top-level organization (you become its admin).
    pub parent_id: Option<Uuid>,
}

#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    pub id: Uuid,
    pub name: Option<String>,
    /// Move under another organization; null makes it top-level.
    pub parent_id: MaybeUndefined<Uuid>,
}

#[derive(InputObject)]
pub struct GrantOrganizationRoleInput {
    pub organization_id: Uuid,
    /// Whom to grant the role: by id, or by the email of a person Oikos knows.
    pub person_id: Option<Uuid>,
    pub email: Option<String>,
    pub role: OrganizationRole,
}

#[derive(InputObject)]
pub struct RevokeOrganizationRoleInput {
    pub organization_id: Uuid,
    pub person_id: Uuid,
    pub role: OrganizationRole,
}

#[Object]
impl OrganizationMutation {
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> ApiResult<OrganizationView> {
        let me = actor(ctx)?;
        let name = text::name("name", &input.name)?;
        if let Some(parent) = input.parent_id {
            authorize_org(ctx, parent, OrgAction::Manage)
                .await
                .map_err(|e| match e {
                    ApiError::NotFound(_) => {
                        ApiError::bad_input("parentId", "no such parent organization")
                    }
                    other => other,
                })?;
        }
        // A retry returns the record it made; an id that names someone else's organization
        // says nothing about it.
        if let Some(id) = input.id
            && organizations::get(db(ctx)?, id).await?.is_some()
            && authorize_org(ctx, id, OrgAction::View).await.is_err()
        {
            return Err(ApiError::Conflict(
                "this id is already used by a different organization".into(),
            ));
        }
        let org = organizations::create(
            db(ctx)?,
            me.person_id,
            NewOrganization {
                id: input.id.unwrap_or_else(Uuid::now_v7),
                kind: input.kind.into(),
                name,
                parent_id: input.parent_id,
            },
        )
        .await?;
        Ok(org.into())
    }

    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganizationInput,
    ) -> ApiResult<OrganizationView> {
        authorize_org(ctx, input.id, OrgAction::Manage).await?;
        let name = input
            .name
            .as_deref()
            .map(|n| text::name("name", n))
            .transpose()?;
        let new_parent = match input.parent_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(parent) => {
                authorize_org(ctx, parent, OrgAction::Manage)
                    .await
                    .map_err(|e| match e {
                        ApiError::NotFound(_) => {
                            ApiError::bad_input("parentId", "no such parent organization")
                        }
                        other => other,
                    })?;
                Some(Some(parent))
            }
        };
        // Moving an organization takes it out from under its current parent: only that
        // parent's admins may let it go, or an admin of a church could detach it from the
        // denomination that oversees it.
        if new_parent.is_some() {
            let current = organizations::get(db(ctx)?, input.id)
                .await?
                .ok_or(ApiError::NotFound("organization"))?;
            if let Some(parent) = current.parent_id.filter(|p| Some(Some(*p)) != new_parent) {
                authorize_org(ctx, parent, OrgAction::Manage)
                    .await
                    .map_err(|_| ApiError::Forbidden)?;
            }
        }
        Ok(organizations::update(db(ctx)?, input.id, name, new_parent)
            .await?
            .into())
    }

    async fn grant_organization_role(
        &self,
        ctx: &Context<'_>,
        input: GrantOrganizationRoleInput,
    ) -> ApiResult<OrganizationRoleGrantView> {
        let me = actor(ctx)?;
        authorize_org(ctx, input.organization_id, OrgAction::Manage).await?;
        let db = db(ctx)?;
        let person = match (input.person_id, input.email.as_deref()) {
            (Some(id), None) => oikos_persistence::persons::get(db, id).await?,
            (None, Some(email)) => {
                oikos_persistence::persons::by_email(db, &Email::parse(email)?).await?
            }
            _ => {
                return Err(ApiError::bad_input(
                    "personId",
                    "give either personId or email",
                ));
            }
        }
        .ok_or_else(|| ApiError::bad_input("personId", "no such person"))?;
        Ok(organizations::grant_role(
            db,
            input.organization_id,
            person.id,
            input.role.into(),
            me.person_id,
        )
        .await?
        .into())
    }

    /// True when the role was held and is now revoked.
    async fn revoke_organization_role(
        &self,
        ctx: &Context<'_>,
        input: RevokeOrganizationRoleInput,
    ) -> ApiResult<bool> {
        authorize_org(ctx, input.organization_id, OrgAction::Manage).await?;
        Ok(organizations::revoke_role(
            db(ctx)?,
            input.organization_id,
            input.person_id,
            input.role.into(),
        )
        .await?)
    }
}
