//! Organizations, people and accounts, sessions, organization roles, communities (with
//! room for lineage) and memberships.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{enum_text, raw, timestamps, tree_path_col};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    Kind,
    Name,
    ParentId,
    TreePath,
}

#[derive(DeriveIden, Clone, Copy)]
enum Persons {
    Table,
    Id,
    DisplayName,
    Email,
    EmailNormalized,
    Phone,
    ErasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    PersonId,
    PasswordHash,
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    PersonId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrgRoles {
    Table,
    Id,
    OrganizationId,
    PersonId,
    Role,
    GrantedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Communities {
    Table,
    Id,
    OrganizationId,
    Name,
    Vision,
    StartMode,
    PlaceKind,
    PlaceDescription,
    Neighbourhood,
    Latitude,
    Longitude,
    LocationPrivacy,
    MeetingDay,
    MeetingTime,
    TimeZone,
    Status,
    ClosedReason,
    ClosedOn,
    LaunchedOn,
    ParentId,
    Generation,
    StreamRootId,
    LineagePath,
    CreatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Memberships {
    Table,
    Id,
    CommunityId,
    PersonId,
    Role,
    ServingRoles,
    JoinedOn,
    LeftOn,
}

const STATUSES: &[&str] = &["FORMING", "ACTIVE", "CLOSED"];
const MEMBER_ROLES: &[&str] = &["LEADER", "APPRENTICE", "HOST", "MEMBER"];
const WEEKDAYS: &[&str] = &[
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Organizations::Table)
                        .col(pk_uuid(Organizations::Id))
                        .col(enum_text(
                            Organizations::Kind,
                            &["DENOMINATION", "NETWORK", "CHURCH"],
                        ))
                        .col(string_len(Organizations::Name, 120))
                        .col(uuid_null(Organizations::ParentId))
                        .col(tree_path_col(Organizations::TreePath, backend))
                        .foreign_key(
                            ForeignKey::create()
                                .from(Organizations::Table, Organizations::ParentId)
                                .to(Organizations::Table, Organizations::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organizations_parent")
                    .table(Organizations::Table)
                    .col(Organizations::ParentId)
                    .col(Organizations::TreePath)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Persons::Table)
                        .col(pk_uuid(Persons::Id))
                        .col(string_len(Persons::DisplayName, 120))
                        .col(string_len_null(Persons::Email, 254))
                        .col(string_len_null(Persons::EmailNormalized, 254).unique_key())
                        .col(string_len_null(Persons::Phone, 32))
                        .col(timestamp_with_time_zone_null(Persons::ErasedAt)),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Accounts::Table)
                        .col(pk_uuid(Accounts::PersonId))
                        .col(string_len(Accounts::PasswordHash, 255))
                        .foreign_key(
                            ForeignKey::create()
                                .from(Accounts::Table, Accounts::PersonId)
                                .to(Persons::Table, Persons::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        ),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(RefreshTokens::Table)
                        .col(pk_uuid(RefreshTokens::Id))
                        .col(uuid(RefreshTokens::PersonId))
                        .col(uuid(RefreshTokens::FamilyId))
                        .col(string_len(RefreshTokens::TokenHash, 64).unique_key())
                        .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                        .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                        .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                        .foreign_key(
                            ForeignKey::create()
                                .from(RefreshTokens::Table, RefreshTokens::PersonId)
                                .to(Persons::Table, Persons::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(OrgRoles::Table)
                        .col(pk_uuid(OrgRoles::Id))
                        .col(uuid(OrgRoles::OrganizationId))
                        .col(uuid(OrgRoles::PersonId))
                        .col(enum_text(OrgRoles::Role, &["ADMIN", "COACH", "REPORTER"]))
                        .col(uuid_null(OrgRoles::GrantedBy))
                        .foreign_key(
                            ForeignKey::create()
                                .from(OrgRoles::Table, OrgRoles::OrganizationId)
                                .to(Organizations::Table, Organizations::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(OrgRoles::Table, OrgRoles::PersonId)
                                .to(Persons::Table, Persons::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_org_roles_person_org_role")
                    .table(OrgRoles::Table)
                    .col(OrgRoles::PersonId)
                    .col(OrgRoles::OrganizationId)
                    .col(OrgRoles::Role)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_org_roles_org")
                    .table(OrgRoles::Table)
                    .col(OrgRoles::OrganizationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Communities::Table)
                        .col(pk_uuid(Communities::Id))
                        .col(uuid(Communities::OrganizationId))
                        .col(string_len(Communities::Name, 120))
                        .col(text_null(Communities::Vision))
                        .col(enum_text(
                            Communities::StartMode,
                            &["MISSION_FIRST", "COMMUNITY_FIRST"],
                        ))
                        .col(enum_text(
                            Communities::PlaceKind,
                            &["HOME", "PARK", "CAFE", "CHURCH_BUILDING", "OTHER"],
                        ))
                        .col(string_len_null(Communities::PlaceDescription, 200))
                        .col(string_len_null(Communities::Neighbourhood, 120))
                        .col(
                            double_null(Communities::Latitude)
                                .check(Expr::col(Communities::Latitude).between(-90.0, 90.0)),
                        )
                        .col(
                            double_null(Communities::Longitude)
                                .check(Expr::col(Communities::Longitude).between(-180.0, 180.0)),
                        )
                        .col(enum_text(
                            Communities::LocationPrivacy,
                            &["HIDDEN", "APPROXIMATE", "EXACT"],
                        ))
                        .col(string_len_null(Communities::MeetingDay, 16).check(
                            Expr::col(Communities::MeetingDay).is_in(WEEKDAYS.iter().copied()),
                        ))
                        .col(string_len_null(Communities::MeetingTime, 8))
                        .col(string_len(Communities::TimeZone, 64))
                        .col(enum_text(Communities::Status, STATUSES))
                        .col(string_len_null(Communities::ClosedReason, 500))
                        .col(date_null(Communities::ClosedOn))
                        .col(date_null(Communities::LaunchedOn))
                        .col(uuid_null(Communities::ParentId))
                        .col(
                            integer(Communities::Generation)
                                .check(Expr::col(Communities::Generation).gte(1)),
                        )
                        .col(uuid(Communities::StreamRootId))
                        .col(tree_path_col(Communities::LineagePath, backend))
                        .col(uuid_null(Communities::CreatedBy))
                        .check(
                            // CLOSED carries its reason and date; nothing else does.
                            Expr::col(Communities::Status)
                                .eq("CLOSED")
                                .and(Expr::col(Communities::ClosedOn).is_not_null())
                                .and(Expr::col(Communities::ClosedReason).is_not_null())
                                .or(Expr::col(Communities::Status)
                                    .ne("CLOSED")
                                    .and(Expr::col(Communities::ClosedOn).is_null())),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(Communities::Table, Communities::OrganizationId)
                                .to(Organizations::Table, Organizations::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(Communities::Table, Communities::ParentId)
                                .to(Communities::Table, Communities::Id)
                                .on_delete(ForeignKeyAction::Restrict),
                        ),
                )
                .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                // Organization-wide figures per generation read only this index.
                "ix_communities_org",
                vec![
                    Communities::OrganizationId,
                    Communities::Generation,
                    Communities::Status,
                ],
            ),
            (
                "ix_communities_parent",
                vec![Communities::ParentId, Communities::LineagePath],
            ),
            (
                // A stream's per-generation aggregates read only this index.
                "ix_communities_stream",
                vec![
                    Communities::StreamRootId,
                    Communities::Generation,
                    Communities::Status,
                ],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Communities::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // Descendant counts and per-generation aggregates read only this index.
        raw(
            manager,
            "CREATE INDEX ix_communities_lineage ON communities (lineage_path, generation, status)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Memberships::Table)
                        .col(pk_uuid(Memberships::Id))
                        .col(uuid(Memberships::CommunityId))
                        .col(uuid(Memberships::PersonId))
                        .col(enum_text(Memberships::Role, MEMBER_ROLES))
                        .col(json(Memberships::ServingRoles))
                        .col(date(Memberships::JoinedOn))
                        .col(date_null(Memberships::LeftOn))
                        .check(Expr::col(Memberships::LeftOn).is_null().or(
                            Expr::col(Memberships::LeftOn).gte(Expr::col(Memberships::JoinedOn)),
                        ))
                        .foreign_key(
                            ForeignKey::create()
                                .from(Memberships::Table, Memberships::CommunityId)
                                .to(Communities::Table, Communities::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(Memberships::Table, Memberships::PersonId)
                                .to(Persons::Table, Persons::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        ),
                )
                .to_owned(),
            )
            .await?;
        // A person holds at most one current membership per community; ended ones are history.
        raw(
            manager,
            "CREATE UNIQUE INDEX ux_memberships_current ON memberships (community_id, person_id) \
             WHERE left_on IS NULL",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_memberships_person ON memberships (person_id, left_on)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Memberships::Table.into_iden(),
            Communities::Table.into_iden(),
            OrgRoles::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Accounts::Table.into_iden(),
            Persons::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
