//! What every resolver can reach: the database, the token service, the actor behind the
//! request, its DataLoaders, and the authorization checks built on them.

use async_graphql::Context;
use oikos_domain::access::{CommunityAction, CommunityStanding, OrgAction, OrgStanding};
use oikos_persistence::Database;
use uuid::Uuid;

use crate::auth::tokens::TokenService;
use crate::auth::{Actor, Anonymous};
use crate::error::{ApiError, ApiResult, internal};
use crate::loaders::Loaders;

/// Shared by every request.
#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: Database,
    pub tokens: TokenService,
}

/// Where clients reach the server (scheme, host, optional path prefix), for URLs the API
/// hands out, such as calendar feeds. Set per request by the HTTP layer.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

/// Built for each request by the HTTP layer.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext {
    pub actor: Result<Actor, Anonymous>,
}

pub fn app<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a AppContext> {
    ctx.data::<AppContext>().map_err(internal)
}

pub fn db<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Database> {
    Ok(&app(ctx)?.db)
}

pub fn loaders<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Loaders> {
    ctx.data::<Loaders>().map_err(internal)
}

/// The signed-in person, or UNAUTHENTICATED.
pub fn actor(ctx: &Context<'_>) -> ApiResult<Actor> {
    match ctx.data::<RequestContext>().map_err(internal)?.actor {
        Ok(actor) => Ok(actor),
        Err(Anonymous::NoToken) => Err(ApiError::Unauthenticated("sign in first")),
        Err(Anonymous::InvalidToken) => Err(ApiError::Unauthenticated(
            "the access token is invalid or expired; refresh the session",
        )),
    }
}

/// The actor's standing in a community, if they may see it at all. A community that does
/// not exist and one the actor may not see both answer NOT_FOUND, so ids leak nothing.
pub async fn visible_community(ctx: &Context<'_>, community: Uuid) -> ApiResult<CommunityStanding> {
    actor(ctx)?;
    let standing = loaders(ctx)?.standings.load_one(community).await?;
    match standing {
        Some(s) if s.allows(CommunityAction::ViewCommunity) => Ok(s),
        _ => Err(ApiError::NotFound("community")),
    }
}

/// Authorizes `action` on a community: NOT_FOUND when it is invisible to the actor,
/// FORBIDDEN when visible but the action is not theirs to take.
pub async fn authorize_community(
    ctx: &Context<'_>,
    community: Uuid,
    action: CommunityAction,
) -> ApiResult<CommunityStanding> {
    let standing = visible_community(ctx, community).await?;
    if standing.allows(action) {
        Ok(standing)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// As [`authorize_community`], for organizations.
pub async fn authorize_org(
    ctx: &Context<'_>,
    org: Uuid,
    action: OrgAction,
) -> ApiResult<OrgStanding> {
    let me = actor(ctx)?;
    let standing = oikos_persistence::access::org_standing(db(ctx)?, me.person_id, org).await?;
    match standing {
        Some(s) if s.allows(OrgAction::View) => {
            if s.allows(action) {
                Ok(s)
            } else {
                Err(ApiError::Forbidden)
            }
        }
        _ => Err(ApiError::NotFound("organization")),
    }
}
