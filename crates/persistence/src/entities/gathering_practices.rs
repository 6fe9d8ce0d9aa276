use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gathering_practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub gathering_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
