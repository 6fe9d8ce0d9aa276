use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gatherings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub community_id: Uuid,
    pub organization_id: Uuid,
    pub title: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    pub local_month: String,
    pub place_kind: String,
    pub place_description: Option<String>,
    pub plan: Option<String>,
    pub outcome: String,
    pub did_not_meet_reason: Option<String>,
    pub notes: Option<String>,
    pub anonymous_guests: i32,
    pub created_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
