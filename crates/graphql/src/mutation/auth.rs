use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use oikos_domain::person::{Email, check_password_strength, display_name, phone};
use oikos_persistence::accounts::{self, NewAccount, RefreshOutcome};
use uuid::Uuid;

use crate::auth::password;
use crate::auth::tokens::hash_token;
use crate::context::{app, db};
use crate::error::{ApiError, ApiResult};
use crate::types::person::PersonView;

#[derive(Default)]
pub struct AuthMutation;

#[derive(InputObject)]
pub struct SignUpInput {
    pub display_name: String,
    pub email: String,
    /// At least 10 characters; common passwords are refused.
    pub password: String,
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
}

/// A session: send `accessToken` as `Authorization: Bearer …`; before it expires, trade
/// `refreshToken` for a new pair with `refreshSession` (each refresh token works once).
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub person: PersonView,
}

async fn open_session(ctx: &Context<'_>, person_id: Uuid, family: Uuid) -> ApiResult<AuthPayload> {
    let app = app(ctx)?;
    let now = Utc::now();
    let issued = app.tokens.issue(person_id, now)?;
    accounts::store_refresh_token(
        &app.db,
        person_id,
        family,
        issued.refresh_token_hash,
        issued.refresh_expires_at,
    )
    .await?;
    let person = oikos_persistence::persons::get(&app.db, person_id)
        .await?
        .ok_or(ApiError::Unauthenticated("this account no longer exists"))?;
    Ok(AuthPayload {
        access_token: issued.access_token,
        access_token_expires_at: issued.access_expires_at,
        refresh_token: issued.refresh_token,
        refresh_token_expires_at: issued.refresh_expires_at,
        person: PersonView::new(person, true),
    })
}

const BAD_CREDENTIALS: &str = "email or password is wrong";

#[Object]
impl AuthMutation {
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> ApiResult<AuthPayload> {
        let email = Email::parse(&input.email)?;
        let name = display_name(&input.display_name)?;
        let phone = phone(input.phone.as_deref())?;
        check_password_strength(&input.password, Some(&email))?;
        let password_hash = password::hash(input.password).await?;
        let person = accounts::sign_up(
            db(ctx)?,
            NewAccount {
                display_name: name,
                email,
                phone,
                password_hash,
            },
        )
        .await?;
        open_session(ctx, person.id, Uuid::now_v7()).await
    }

    async fn sign_in(&self, ctx: &Context<'_>, input: SignInInput) -> ApiResult<AuthPayload> {
        // A malformed email cannot have an account; say so the same way as a wrong one.
        let credentials = match Email::parse(&input.email) {
            Ok(email) => accounts::credentials(db(ctx)?, &email).await?,
            Err(_) => None,
        };
        let (person_id, stored) = match credentials {
            Some((id, hash)) => (Some(id), Some(hash)),
            None => (None, None),
        };
        let ok = password::verify(input.password, stored).await?;
        match person_id.filter(|_| ok) {
            Some(id) => open_session(ctx, id, Uuid::now_v7()).await,
            None => Err(ApiError::Unauthenticated(BAD_CREDENTIALS)),
        }
    }

    /// Trades a refresh token for a new session. A refresh token works once; presenting a
    /// used one again ends every session that descends from the same sign-in.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> ApiResult<AuthPayload> {
        let hash = hash_token(&refresh_token);
        match accounts::use_refresh_token(db(ctx)?, &hash, Utc::now()).await? {
            RefreshOutcome::Rotated {
                person_id,
                family_id,
            } => open_session(ctx, person_id, family_id).await,
            RefreshOutcome::Invalid => Err(ApiError::Unauthenticated(
                "the refresh token is invalid or expired",
            )),
            RefreshOutcome::Reused => Err(ApiError::Unauthenticated(
                "this refresh token was already used; sign in again",
            )),
        }
    }

    /// Ends the session the refresh token belongs to. True when there was one.
    async fn sign_out(&self, ctx: &Context<'_>, refresh_token: String) -> ApiResult<bool> {
        let hash = hash_token(&refresh_token);
        Ok(accounts::revoke_refresh_family(db(ctx)?, &hash, Utc::now()).await?)
    }
}
