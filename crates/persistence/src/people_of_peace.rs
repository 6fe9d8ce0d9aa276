//! People of peace: neighbours and friends the members know. Each has a person of their
//! own (name, contact), so that JOINED welcomes them as a member without retyping, and
//! removing them erases that person while every count that referred to them stays.

use chrono::{NaiveDate, Utc};
use oikos_domain::DomainError;
use oikos_domain::membership::{MemberRole, ensure_open_for_members};
use oikos_domain::people_of_peace::{
    ERASED_DISPLAY_NAME, PersonOfPeace, RelationshipStage, change_stage, ensure_erasable,
};
use oikos_domain::person::Email;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::communities::lock;
use crate::entities::{accounts, memberships, needs, people_of_peace, persons};
use crate::organizations::corrupt;
use crate::persons::new_row;
use crate::{Database, Page, PageRequest, StoreError, StoreResult};

fn to_person_of_peace(m: people_of_peace::Model) -> StoreResult<PersonOfPeace> {
    Ok(PersonOfPeace {
        id: m.id,
        community_id: m.community_id,
        person_id: m.person_id,
        known_by_id: m.known_by_id,
        how_met: m.how_met,
        neighbourhood: m.neighbourhood,
        stage: RelationshipStage::parse(&m.stage)
            .ok_or_else(|| corrupt("relationship stage", &m.stage))?,
        notes: m.notes,
        membership_id: m.membership_id,
        created_by: m.created_by,
        erased_at: m.erased_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Whether `person` is a current member of `community`.
pub(crate) async fn is_current_member<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    person: Uuid,
) -> StoreResult<bool> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::CommunityId.eq(community))
        .filter(memberships::Column::PersonId.eq(person))
        .filter(memberships::Column::LeftOn.is_null())
        .count(conn)
        .await?
        > 0)
}

async fn ensure_known_by_member<C: ConnectionTrait>(
    conn: &C,
    community: Uuid,
    known_by: Option<Uuid>,
) -> StoreResult<()> {
    match known_by {
        Some(person) if !is_current_member(conn, community, person).await? => {
            Err(DomainError::invalid(
                "knownByPersonId",
                "the person who knows them must be a current member of the community",
            )
            .into())
        }
        _ => Ok(()),
    }
}

fn email_known() -> StoreError {
    DomainError::conflict(
        "someone with this email is already known to Oikos; invite them as a member instead",
    )
    .into()
}

pub struct NewPersonOfPeace {
    pub id: Uuid,
    pub community_id: Uuid,
    pub display_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub known_by_id: Option<Uuid>,
    pub how_met: Option<String>,
    pub neighbourhood: Option<String>,
    pub stage: RelationshipStage,
    pub notes: Option<String>,
    pub created_by: Uuid,
}

/// Records a person of peace with a person of their own. The same id with the same
/// content returns the existing record (a retried request).
pub async fn create(db: &Database, new: NewPersonOfPeace) -> StoreResult<PersonOfPeace> {
    let tx = db.conn().begin().await?;
    lock(&tx, new.community_id).await?;
    if let Some(existing) = people_of_peace::Entity::find_by_id(new.id).one(&tx).await? {
        let person = persons::Entity::find_by_id(existing.person_id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound("person"))?;
        let existing = to_person_of_peace(existing)?;
        let same = existing.community_id == new.community_id
            && person.display_name == new.display_name
            && person.email == new.email.as_ref().map(|e| e.as_str().to_owned())
            && person.phone == new.phone
            && existing.known_by_id == new.known_by_id
            && existing.how_met == new.how_met
            && existing.neighbourhood == new.neighbourhood
            && existing.stage == new.stage
            && existing.notes == new.notes;
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                "this id is already used by a different person of peace",
            ))
        };
    }
    ensure_known_by_member(&tx, new.community_id, new.known_by_id).await?;
    let person = new_row(
        Uuid::now_v7(),
        new.display_name,
        new.email.as_ref(),
        new.phone,
    )
    .insert(&tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => email_known(),
        other => other,
    })?;
    let now = Utc::now();
    let row = people_of_peace::ActiveModel {
        id: Set(new.id),
        community_id: Set(new.community_id),
        person_id: Set(person.id),
        known_by_id: Set(new.known_by_id),
        how_met: Set(new.how_met),
        neighbourhood: Set(new.neighbourhood),
        stage: Set(new.stage.as_str().to_owned()),
        notes: Set(new.notes),
        membership_id: Set(None),
        created_by: Set(Some(new.created_by)),
        erased_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    to_person_of_peace(row)
}

pub async fn get(db: &Database, id: Uuid) -> StoreResult<Option<PersonOfPeace>> {
    people_of_peace::Entity::find_by_id(id)
        .one(db.conn())
        .await?
        .map(to_person_of_peace)
        .transpose()
}

/// For DataLoaders: every person of peace among `ids`, removed ones included (they still
/// stand behind counts and links, under a neutral name).
pub async fn by_ids(db: &Database, ids: &[Uuid]) -> StoreResult<Vec<PersonOfPeace>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    people_of_peace::Entity::find()
        .filter(people_of_peace::Column::Id.is_in(ids.iter().copied()))
        .all(db.conn())
        .await?
        .into_iter()
        .map(to_person_of_peace)
        .collect()
}

/// The people of peace of a community that were not removed, oldest first.
pub async fn list(
    db: &Database,
    community: Uuid,
    stage: Option<RelationshipStage>,
    page: PageRequest,
) -> StoreResult<Page<PersonOfPeace>> {
    let mut query = people_of_peace::Entity::find()
        .filter(people_of_peace::Column::CommunityId.eq(community))
        .filter(people_of_peace::Column::ErasedAt.is_null());
    if let Some(stage) = stage {
        query = query.filter(people_of_peace::Column::Stage.eq(stage.as_str()));
    }
    if let Some(after) = page.after {
        query = query.filter(people_of_peace::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(people_of_peace::Column::Id)
        .limit(page.first + 1)
        .all(db.conn())
        .await?;
    Page::from_rows(rows, page.first, to_person_of_peace)
}

/// Changes to a person of peace; `None` leaves a value as it is.
#[derive(Default)]
pub struct PersonOfPeaceChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub known_by_id: Option<Option<Uuid>>,
    pub how_met: Option<Option<String>>,
    pub neighbourhood: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

async fn current_in<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<PersonOfPeace> {
    let mut query = people_of_peace::Entity::find_by_id(id);
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let found = query
        .one(conn)
        .await?
        .map(to_person_of_peace)
        .transpose()?
        .ok_or(StoreError::NotFound("person of peace"))?;
    found.ensure_not_erased()?;
    Ok(found)
}

async fn has_account<C: ConnectionTrait>(conn: &C, person: Uuid) -> StoreResult<bool> {
    Ok(accounts::Entity::find_by_id(person)
        .one(conn)
        .await?
        .is_some())
}

pub async fn update(
    db: &Database,
    id: Uuid,
    changes: PersonOfPeaceChanges,
) -> StoreResult<PersonOfPeace> {
    let tx = db.conn().begin().await?;
    let current = current_in(&tx, id).await?;
    if let Some(known_by) = changes.known_by_id {
        ensure_known_by_member(&tx, current.community_id, known_by).await?;
    }
    let now = Utc::now();
    let touches_person =
        changes.display_name.is_some() || changes.email.is_some() || changes.phone.is_some();
    if touches_person {
        // Someone who signed up owns their name and the email they sign in with.
        if has_account(&tx, current.person_id).await? {
            return Err(DomainError::conflict(
                "this person has an account of their own; only they can change their details",
            )
            .into());
        }
        let mut person = persons::ActiveModel {
            id: sea_orm::Unchanged(current.person_id),
            updated_at: Set(now),
            ..Default::default()
        };
        if let Some(name) = changes.display_name {
            person.display_name = Set(name);
        }
        if let Some(email) = changes.email {
            person.email = Set(email.as_ref().map(|e| e.as_str().to_owned()));
            person.email_normalized = Set(email.as_ref().map(|e| e.normalized().to_owned()));
        }
        if let Some(phone) = changes.phone {
            person.phone = Set(phone);
        }
        person
            .update(&tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => email_known(),
                other => other,
            })?;
    }
    let mut row = people_of_peace::ActiveModel {
        id: sea_orm::Unchanged(id),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(known_by) = changes.known_by_id {
        row.known_by_id = Set(known_by);
    }
    if let Some(how_met) = changes.how_met {
        row.how_met = Set(how_met);
    }
    if let Some(neighbourhood) = changes.neighbourhood {
        row.neighbourhood = Set(neighbourhood);
    }
    if let Some(notes) = changes.notes {
        row.notes = Set(notes);
    }
    let row = row.update(&tx).await?;
    tx.commit().await?;
    to_person_of_peace(row)
}

/// How someone is welcomed when their stage becomes JOINED.
pub struct Welcome {
    pub role: MemberRole,
    pub joined_on: NaiveDate,
}

/// Moves the relationship to `to`. JOINED makes them a member in the same transaction,
/// with the person already recorded, and keeps the membership's id on the record.
pub async fn set_stage(
    db: &Database,
    id: Uuid,
    to: RelationshipStage,
    welcome: Welcome,
) -> StoreResult<PersonOfPeace> {
    let community_id = get(db, id)
        .await?
        .ok_or(StoreError::NotFound("person of peace"))?
        .community_id;
    let tx = db.conn().begin().await?;
    let community = lock(&tx, community_id).await?;
    let current = current_in(&tx, id).await?;
    let stage = change_stage(current.stage, to)?;
    if stage == current.stage {
        return Ok(current);
    }
    let mut row = people_of_peace::ActiveModel {
        id: sea_orm::Unchanged(id),
        stage: Set(stage.as_str().to_owned()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if stage == RelationshipStage::Joined {
        ensure_open_for_members(community.status)?;
        let membership = crate::memberships::insert_row(
            &tx,
            Uuid::now_v7(),
            community_id,
            current.person_id,
            welcome.role,
            Vec::new(),
            welcome.joined_on,
        )
        .await?;
        row.membership_id = Set(Some(membership.id));
    }
    let row = row.update(&tx).await?;
    tx.commit().await?;
    to_person_of_peace(row)
}

/// Removes a person of peace: their person keeps only a neutral name, the relationship
/// keeps only its stage, and needs that named them in words no longer do. Guest
/// attendance, needs and prayer-walk links stay, so every count is unchanged. Removing
/// someone already removed changes nothing.
pub async fn erase(db: &Database, id: Uuid) -> StoreResult<()> {
    let tx = db.conn().begin().await?;
    let mut query = people_of_peace::Entity::find_by_id(id);
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let current = query
        .one(&tx)
        .await?
        .map(to_person_of_peace)
        .transpose()?
        .ok_or(StoreError::NotFound("person of peace"))?;
    if current.erased_at.is_some() {
        return Ok(());
    }
    ensure_erasable(current.stage, has_account(&tx, current.person_id).await?)?;
    let person = persons::Entity::find_by_id(current.person_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound("person"))?;
    let now = Utc::now();
    persons::ActiveModel {
        id: sea_orm::Unchanged(person.id),
        display_name: Set(ERASED_DISPLAY_NAME.to_owned()),
        email: Set(None),
        email_normalized: Set(None),
        phone: Set(None),
        erased_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    people_of_peace::ActiveModel {
        id: sea_orm::Unchanged(id),
        how_met: Set(None),
        neighbourhood: Set(None),
        notes: Set(None),
        erased_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    let name = person.display_name.to_lowercase();
    let naming: Vec<Uuid> = needs::Entity::find()
        .filter(needs::Column::CommunityId.eq(current.community_id))
        .filter(needs::Column::ForWhom.is_not_null())
        .all(&tx)
        .await?
        .into_iter()
        .filter(|n| {
            n.person_of_peace_id == Some(id)
                || n.for_whom
                    .as_deref()
                    .is_some_and(|w| w.to_lowercase().contains(&name))
        })
        .map(|n| n.id)
        .collect();
    if !naming.is_empty() {
        needs::Entity::update_many()
            .col_expr(
                needs::Column::ForWhom,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .col_expr(
                needs::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(needs::Column::Id.is_in(naming))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
