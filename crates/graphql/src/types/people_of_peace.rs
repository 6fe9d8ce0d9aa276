use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::people_of_peace::{Partner, PersonOfPeace, RelationshipStage as DomainStage};
use oikos_persistence::{partners, people_of_peace};
use uuid::Uuid;

use super::enums::{PartnerStatus, RelationshipStage};
use super::page::{IdCursor, connection, page_request};
use super::person::PersonView;
use crate::context::{actor, authorize_community, db, loaders};
use crate::error::{ApiError, ApiResult};

/// A neighbour or friend outside the community whom a member knows.
#[derive(SimpleObject)]
#[graphql(name = "PersonOfPeace", complex)]
pub struct PersonOfPeaceView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub how_met: Option<String>,
    pub neighbourhood: Option<String>,
    pub stage: RelationshipStage,
    pub notes: Option<String>,
    /// The membership they were welcomed with once JOINED.
    pub membership_id: Option<Uuid>,
    /// Set when they were removed: their personal data is gone, the counts remain.
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub person_id: Uuid,
    #[graphql(skip)]
    pub known_by_id: Option<Uuid>,
    #[graphql(skip)]
    pub show_contact: bool,
}

impl PersonOfPeaceView {
    /// Contact details are for the community's leaders and overseers and for the member
    /// who knows them.
    pub fn new(p: PersonOfPeace, show_contact: bool) -> Self {
        Self {
            id: p.id,
            community_id: p.community_id,
            how_met: p.how_met,
            neighbourhood: p.neighbourhood,
            stage: p.stage.into(),
            notes: p.notes,
            membership_id: p.membership_id,
            erased_at: p.erased_at,
            created_at: p.created_at,
            updated_at: p.updated_at,
            person_id: p.person_id,
            known_by_id: p.known_by_id,
            show_contact,
        }
    }

    /// As the actor may see it (the caller made sure they may see the community's people).
    pub async fn seen_by(ctx: &Context<'_>, p: PersonOfPeace) -> ApiResult<Self> {
        let me = actor(ctx)?;
        let leads = loaders(ctx)?
            .standings
            .load_one(p.community_id)
            .await?
            .is_some_and(|s| s.allows(CommunityAction::ViewLeadersOnly));
        let knows_them = p.known_by_id == Some(me.person_id);
        Ok(Self::new(p, leads || knows_them))
    }
}

#[ComplexObject]
impl PersonOfPeaceView {
    /// Their name, and contact details if you may see them.
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        let person = loaders(ctx)?
            .persons
            .load_one(self.person_id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        Ok(PersonView::new(person, self.show_contact))
    }

    /// The member who knows them.
    async fn known_by(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        let Some(id) = self.known_by_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .persons
            .load_one(id)
            .await?
            .map(|p| PersonView::new(p, false)))
    }
}

/// A ministry or organisation already at work in the neighbourhood.
#[derive(SimpleObject)]
#[graphql(name = "Partner")]
pub struct PartnerView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: PartnerStatus,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Partner> for PartnerView {
    fn from(p: Partner) -> Self {
        let c = p.content;
        Self {
            id: p.id,
            community_id: p.community_id,
            name: c.name,
            description: c.description,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            status: c.status.into(),
            notes: c.notes,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// `Community.peopleOfPeace`: for those who may see the community's people.
pub(crate) async fn community_people_of_peace(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
    stage: Option<RelationshipStage>,
) -> ApiResult<Connection<IdCursor, PersonOfPeaceView, EmptyFields, EmptyFields>> {
    let me = actor(ctx)?;
    let standing = authorize_community(ctx, community, CommunityAction::ViewPeople).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let leads = standing.allows(CommunityAction::ViewLeadersOnly);
    let page =
        people_of_peace::list(db(ctx)?, community, stage.map(DomainStage::from), request).await?;
    Ok(connection(
        page,
        had_cursor,
        |p| p.id,
        |p| {
            let knows_them = p.known_by_id == Some(me.person_id);
            PersonOfPeaceView::new(p, leads || knows_them)
        },
    ))
}

/// `Community.partners`: their contacts are people, so not for reporters.
pub(crate) async fn community_partners(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Connection<IdCursor, PartnerView, EmptyFields, EmptyFields>> {
    authorize_community(ctx, community, CommunityAction::ViewPeople).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let page = partners::list(db(ctx)?, community, request).await?;
    Ok(connection(page, had_cursor, |p| p.id, PartnerView::from))
}
