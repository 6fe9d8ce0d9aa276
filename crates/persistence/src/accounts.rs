//! Accounts and sessions: sign-up, credentials, and refresh tokens that are stored only
//! as hashes, rotated on every use and revoked as a family when a used one comes back.

use chrono::{DateTime, Utc};
use oikos_domain::person::{Email, Person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use crate::entities::{accounts, persons, refresh_tokens};
use crate::persons::{new_row, to_person};
use crate::{Database, StoreError, StoreResult};

pub struct NewAccount {
    pub display_name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub password_hash: String,
}

/// Creates a person with an account. A person a leader already added with this email
/// (a guest who now signs up) gets the account instead of a second person.
pub async fn sign_up(db: &Database, new: NewAccount) -> StoreResult<Person> {
    let tx = db.conn().begin().await?;
    let existing = persons::Entity::find()
        .filter(persons::Column::EmailNormalized.eq(new.email.normalized()))
        .one(&tx)
        .await?;
    let person = match existing {
        Some(person) => {
            if accounts::Entity::find_by_id(person.id)
                .one(&tx)
                .await?
                .is_some()
            {
                return Err(email_taken());
            }
            person
        }
        None => new_row(
            Uuid::now_v7(),
            new.display_name,
            Some(&new.email),
            new.phone,
        )
        .insert(&tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => email_taken(),
            other => other,
        })?,
    };
    let now = Utc::now();
    accounts::ActiveModel {
        person_id: Set(person.id),
        password_hash: Set(new.password_hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => email_taken(),
        other => other,
    })?;
    tx.commit().await?;
    Ok(to_person(person))
}

fn email_taken() -> StoreError {
    StoreError::Rule(oikos_domain::DomainError::Conflict {
        message: "an account with this email already exists".into(),
    })
}

/// The person and password hash behind an email, if it has an account.
pub async fn credentials(db: &Database, email: &Email) -> StoreResult<Option<(Uuid, String)>> {
    let Some(person) = persons::Entity::find()
        .filter(persons::Column::EmailNormalized.eq(email.normalized()))
        .filter(persons::Column::ErasedAt.is_null())
        .one(db.conn())
        .await?
    else {
        return Ok(None);
    };
    Ok(accounts::Entity::find_by_id(person.id)
        .one(db.conn())
        .await?
        .map(|a| (person.id, a.password_hash)))
}

/// Stores a new refresh token (its hash) in `family`, a new family for a fresh sign-in.
pub async fn store_refresh_token(
    db: &Database,
    person_id: Uuid,
    family_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    let now = Utc::now();
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        family_id: Set(family_id),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db.conn())
    .await?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was valid and is now used: issue the next one in `family_id`.
    Rotated { person_id: Uuid, family_id: Uuid },
    /// Unknown, expired or revoked.
    Invalid,
    /// A token that was already used came back: someone copied it. The whole family is
    /// now revoked, so the thief's and the owner's sessions both end.
    Reused,
}

/// Marks the presented token used, atomically: of two concurrent refreshes with the same
/// token, exactly one rotates.
pub async fn use_refresh_token(
    db: &Database,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<RefreshOutcome> {
    let tx = db.conn().begin().await?;
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .one(&tx)
        .await?
    else {
        return Ok(RefreshOutcome::Invalid);
    };
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
        .col_expr(refresh_tokens::Column::UpdatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .filter(refresh_tokens::Column::ExpiresAt.gt(now))
        .exec(&tx)
        .await?;
    let outcome = if claimed.rows_affected == 1 {
        RefreshOutcome::Rotated {
            person_id: token.person_id,
            family_id: token.family_id,
        }
    } else if token.used_at.is_some() && token.revoked_at.is_none() {
        revoke_family_in(&tx, token.family_id, now).await?;
        RefreshOutcome::Reused
    } else {
        RefreshOutcome::Invalid
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Signs out: every token of the presented token's family stops working.
pub async fn revoke_refresh_family(
    db: &Database,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .one(db.conn())
        .await?
    else {
        return Ok(false);
    };
    revoke_family_in(db.conn(), token.family_id, now).await?;
    Ok(true)
}

async fn revoke_family_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .col_expr(refresh_tokens::Column::UpdatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
