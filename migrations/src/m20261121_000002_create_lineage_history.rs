//! Lineage as history: every parent link with the dates it held, multiplication events,
//! audited corrections, and peer links between groups that work together.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{raw, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum LineageLinks {
    Table,
    Id,
    CommunityId,
    ParentId,
    ValidFrom,
    ValidTo,
    SupersededAt,
    RecordedBy,
    Reason,
}

#[derive(DeriveIden, Clone, Copy)]
enum MultiplicationEvents {
    Table,
    Id,
    ParentId,
    ChildId,
    OccurredOn,
    ActorId,
    Notes,
    Readiness,
    Ready,
}

#[derive(DeriveIden, Clone, Copy)]
enum LineageCorrections {
    Table,
    Id,
    CommunityId,
    BeforeParentId,
    AfterParentId,
    BeforeGeneration,
    AfterGeneration,
    MovedCount,
    EffectiveOn,
    Reason,
    ActorId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PeerLinks {
    Table,
    Id,
    CommunityA,
    CommunityB,
    Note,
    CreatedBy,
}

fn fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Communities::Table, Communities::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(LineageLinks::Table)
                        .col(pk_uuid(LineageLinks::Id))
                        .col(uuid(LineageLinks::CommunityId))
                        .col(uuid_null(LineageLinks::ParentId))
                        .col(date(LineageLinks::ValidFrom))
                        .col(date_null(LineageLinks::ValidTo))
                        .col(timestamp_with_time_zone_null(LineageLinks::SupersededAt))
                        .col(uuid_null(LineageLinks::RecordedBy))
                        .col(string_len(LineageLinks::Reason, 500))
                        .check(
                            Expr::col(LineageLinks::ValidTo)
                                .is_null()
                                .or(Expr::col(LineageLinks::ValidTo)
                                    .gte(Expr::col(LineageLinks::ValidFrom))),
                        )
                        .foreign_key(&mut fk(LineageLinks::Table, LineageLinks::CommunityId))
                        .foreign_key(&mut fk(LineageLinks::Table, LineageLinks::ParentId)),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_lineage_links_community ON lineage_links (community_id, valid_from)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_lineage_links_parent ON lineage_links (parent_id)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(MultiplicationEvents::Table)
                        .col(pk_uuid(MultiplicationEvents::Id))
                        .col(uuid(MultiplicationEvents::ParentId))
                        .col(uuid(MultiplicationEvents::ChildId).unique_key())
                        .col(date(MultiplicationEvents::OccurredOn))
                        .col(uuid(MultiplicationEvents::ActorId))
                        .col(text_null(MultiplicationEvents::Notes))
                        .col(json(MultiplicationEvents::Readiness))
                        .col(boolean(MultiplicationEvents::Ready))
                        .foreign_key(&mut fk(
                            MultiplicationEvents::Table,
                            MultiplicationEvents::ParentId,
                        ))
                        .foreign_key(&mut fk(
                            MultiplicationEvents::Table,
                            MultiplicationEvents::ChildId,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(manager, "CREATE INDEX ix_multiplication_events_parent ON multiplication_events (parent_id, occurred_on)").await?;
        raw(
            manager,
            "CREATE INDEX ix_multiplication_events_date ON multiplication_events (occurred_on)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(LineageCorrections::Table)
                        .col(pk_uuid(LineageCorrections::Id))
                        .col(uuid(LineageCorrections::CommunityId))
                        .col(uuid_null(LineageCorrections::BeforeParentId))
                        .col(uuid_null(LineageCorrections::AfterParentId))
                        .col(integer(LineageCorrections::BeforeGeneration))
                        .col(integer(LineageCorrections::AfterGeneration))
                        .col(big_integer(LineageCorrections::MovedCount))
                        .col(date_null(LineageCorrections::EffectiveOn))
                        .col(string_len(LineageCorrections::Reason, 500))
                        .col(uuid(LineageCorrections::ActorId))
                        .foreign_key(&mut fk(
                            LineageCorrections::Table,
                            LineageCorrections::CommunityId,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_lineage_corrections_community ON lineage_corrections (community_id)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(PeerLinks::Table)
                        .col(pk_uuid(PeerLinks::Id))
                        .col(uuid(PeerLinks::CommunityA))
                        .col(uuid(PeerLinks::CommunityB))
                        .col(string_len_null(PeerLinks::Note, 500))
                        .col(uuid(PeerLinks::CreatedBy))
                        // Stored in one order so a pair is stored once.
                        .check(
                            Expr::col(PeerLinks::CommunityA).lt(Expr::col(PeerLinks::CommunityB)),
                        )
                        .foreign_key(&mut fk(PeerLinks::Table, PeerLinks::CommunityA))
                        .foreign_key(&mut fk(PeerLinks::Table, PeerLinks::CommunityB)),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE UNIQUE INDEX ux_peer_links_pair ON peer_links (community_a, community_b)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_peer_links_b ON peer_links (community_b)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PeerLinks::Table.into_iden(),
            LineageCorrections::Table.into_iden(),
            MultiplicationEvents::Table.into_iden(),
            LineageLinks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
