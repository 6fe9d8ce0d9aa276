use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "communities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub vision: Option<String>,
    pub start_mode: String,
    pub place_kind: String,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_privacy: String,
    pub meeting_day: Option<String>,
    pub meeting_time: Option<String>,
    pub time_zone: String,
    pub status: String,
    pub closed_reason: Option<String>,
    pub closed_on: Option<Date>,
    pub launched_on: Option<Date>,
    pub parent_id: Option<Uuid>,
    pub generation: i32,
    pub stream_root_id: Uuid,
    pub lineage_path: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
