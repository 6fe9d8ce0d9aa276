use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub category: String,
    pub person_of_peace_id: Option<Uuid>,
    pub for_whom: Option<String>,
    pub neighbourhood: Option<String>,
    pub urgency: String,
    pub visibility: String,
    pub status: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub referred_partner_id: Option<Uuid>,
    pub met_by_gathering_id: Option<Uuid>,
    pub opened_by: Option<Uuid>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
