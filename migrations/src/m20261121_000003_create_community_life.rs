//! The life of a community: gatherings with their practices, attendance, RSVPs and
//! sign-ups; calendar feed tokens; and policies (rhythm targets, healthy size,
//! multiplication readiness) set on an organization or a community.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{enum_text, raw, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Gatherings {
    Table,
    Id,
    CommunityId,
    OrganizationId,
    Title,
    StartsAt,
    EndsAt,
    LocalMonth,
    PlaceKind,
    PlaceDescription,
    Plan,
    Outcome,
    DidNotMeetReason,
    Notes,
    AnonymousGuests,
    CreatedBy,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum GatheringPractices {
    Table,
    GatheringId,
    Practice,
}

#[derive(DeriveIden, Clone, Copy)]
enum GatheringAttendance {
    Table,
    GatheringId,
    PersonId,
    Kind,
}

#[derive(DeriveIden, Clone, Copy)]
enum GatheringRsvps {
    Table,
    GatheringId,
    PersonId,
    Response,
}

#[derive(DeriveIden, Clone, Copy)]
enum GatheringSignups {
    Table,
    Id,
    GatheringId,
    Label,
    ClaimedBy,
    ClaimedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CalendarTokens {
    Table,
    PersonId,
    TokenHash,
}

#[derive(DeriveIden, Clone, Copy)]
enum Policies {
    Table,
    Id,
    OrganizationId,
    CommunityId,
    CommunionTarget,
    MissionTarget,
    InclusionTarget,
    HealthySizeMin,
    HealthySizeMax,
    ReadyMinMonthsMeeting,
    ReadyMinMembers,
    ReadyGridWindowMonths,
    ReadyMinMonthsKept,
    ReadyGuestWindowMonths,
    ReadyMinGatheringsWithGuests,
    ReadyMinNeedsMet,
    ReadyNeedsWindowMonths,
}

const PRACTICES: &[&str] = &[
    "SCRIPTURE",
    "PRAYER",
    "MEAL",
    "WORSHIP",
    "SERVICE",
    "PRAYER_WALK",
    "PARTY",
    "TRAINING",
    "OTHER",
];
const OUTCOMES: &[&str] = &["SCHEDULED", "HELD", "DID_NOT_MEET", "CANCELLED"];

fn to(
    table: impl IntoIden,
    col: impl IntoIden,
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .to(table, col)
        .on_delete(action)
        .to_owned()
}

fn non_negative_null<T: IntoIden + Copy + 'static>(col: T) -> ColumnDef {
    integer_null(col).check(Expr::col(col).gte(0)).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Gatherings::Table)
                        .col(pk_uuid(Gatherings::Id))
                        .col(uuid(Gatherings::CommunityId))
                        // Copied from the community so reports select by organization subtree
                        // without a join through communities.
                        .col(uuid(Gatherings::OrganizationId))
                        .col(string_len_null(Gatherings::Title, 120))
                        .col(timestamp_with_time_zone(Gatherings::StartsAt))
                        .col(timestamp_with_time_zone_null(Gatherings::EndsAt))
                        // "2026-03": the month in the community's own time zone, fixed at write.
                        .col(string_len(Gatherings::LocalMonth, 7))
                        .col(enum_text(
                            Gatherings::PlaceKind,
                            &["HOME", "PARK", "CAFE", "CHURCH_BUILDING", "OTHER"],
                        ))
                        .col(string_len_null(Gatherings::PlaceDescription, 200))
                        .col(text_null(Gatherings::Plan))
                        .col(enum_text(Gatherings::Outcome, OUTCOMES))
                        .col(string_len_null(Gatherings::DidNotMeetReason, 500))
                        .col(text_null(Gatherings::Notes))
                        .col(
                            integer(Gatherings::AnonymousGuests)
                                .default(0)
                                .check(Expr::col(Gatherings::AnonymousGuests).gte(0)),
                        )
                        .col(uuid_null(Gatherings::CreatedBy))
                        .col(timestamp_with_time_zone_null(Gatherings::DeletedAt))
                        .check(
                            Expr::col(Gatherings::EndsAt)
                                .is_null()
                                .or(Expr::col(Gatherings::EndsAt)
                                    .gt(Expr::col(Gatherings::StartsAt))),
                        )
                        .foreign_key(
                            to(
                                Communities::Table,
                                Communities::Id,
                                ForeignKeyAction::Cascade,
                            )
                            .from(Gatherings::Table, Gatherings::CommunityId),
                        )
                        .foreign_key(
                            to(
                                Organizations::Table,
                                Organizations::Id,
                                ForeignKeyAction::Restrict,
                            )
                            .from(Gatherings::Table, Gatherings::OrganizationId),
                        ),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_gatherings_community_time ON gatherings (community_id, starts_at)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_gatherings_community_month ON gatherings (community_id, local_month)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_gatherings_org_month ON gatherings (organization_id, local_month)",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(GatheringPractices::Table)
                    .col(uuid(GatheringPractices::GatheringId))
                    .col(enum_text(GatheringPractices::Practice, PRACTICES))
                    .primary_key(
                        Index::create()
                            .col(GatheringPractices::GatheringId)
                            .col(GatheringPractices::Practice),
                    )
                    .foreign_key(
                        to(Gatherings::Table, Gatherings::Id, ForeignKeyAction::Cascade)
                            .from(GatheringPractices::Table, GatheringPractices::GatheringId),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(GatheringAttendance::Table)
                        .col(uuid(GatheringAttendance::GatheringId))
                        .col(uuid(GatheringAttendance::PersonId))
                        .col(enum_text(GatheringAttendance::Kind, &["MEMBER", "GUEST"]))
                        .primary_key(
                            Index::create()
                                .col(GatheringAttendance::GatheringId)
                                .col(GatheringAttendance::PersonId),
                        )
                        .foreign_key(
                            to(Gatherings::Table, Gatherings::Id, ForeignKeyAction::Cascade)
                                .from(GatheringAttendance::Table, GatheringAttendance::GatheringId),
                        )
                        .foreign_key(
                            to(Persons::Table, Persons::Id, ForeignKeyAction::Cascade)
                                .from(GatheringAttendance::Table, GatheringAttendance::PersonId),
                        ),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_attendance_person ON gathering_attendance (person_id)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(GatheringRsvps::Table)
                        .col(uuid(GatheringRsvps::GatheringId))
                        .col(uuid(GatheringRsvps::PersonId))
                        .col(enum_text(GatheringRsvps::Response, &["YES", "NO", "MAYBE"]))
                        .primary_key(
                            Index::create()
                                .col(GatheringRsvps::GatheringId)
                                .col(GatheringRsvps::PersonId),
                        )
                        .foreign_key(
                            to(Gatherings::Table, Gatherings::Id, ForeignKeyAction::Cascade)
                                .from(GatheringRsvps::Table, GatheringRsvps::GatheringId),
                        )
                        .foreign_key(
                            to(Persons::Table, Persons::Id, ForeignKeyAction::Cascade)
                                .from(GatheringRsvps::Table, GatheringRsvps::PersonId),
                        ),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(GatheringSignups::Table)
                        .col(pk_uuid(GatheringSignups::Id))
                        .col(uuid(GatheringSignups::GatheringId))
                        .col(string_len(GatheringSignups::Label, 60))
                        .col(uuid_null(GatheringSignups::ClaimedBy))
                        .col(timestamp_with_time_zone_null(GatheringSignups::ClaimedAt))
                        .foreign_key(
                            to(Gatherings::Table, Gatherings::Id, ForeignKeyAction::Cascade)
                                .from(GatheringSignups::Table, GatheringSignups::GatheringId),
                        )
                        .foreign_key(
                            to(Persons::Table, Persons::Id, ForeignKeyAction::SetNull)
                                .from(GatheringSignups::Table, GatheringSignups::ClaimedBy),
                        ),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE UNIQUE INDEX ux_signups_label ON gathering_signups (gathering_id, label)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(CalendarTokens::Table)
                        .col(pk_uuid(CalendarTokens::PersonId))
                        .col(string_len(CalendarTokens::TokenHash, 64).unique_key())
                        .foreign_key(
                            to(Persons::Table, Persons::Id, ForeignKeyAction::Cascade)
                                .from(CalendarTokens::Table, CalendarTokens::PersonId),
                        ),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Policies::Table)
                        .col(pk_uuid(Policies::Id))
                        .col(uuid_null(Policies::OrganizationId).unique_key())
                        .col(uuid_null(Policies::CommunityId).unique_key())
                        .col(non_negative_null(Policies::CommunionTarget))
                        .col(non_negative_null(Policies::MissionTarget))
                        .col(non_negative_null(Policies::InclusionTarget))
                        .col(non_negative_null(Policies::HealthySizeMin))
                        .col(non_negative_null(Policies::HealthySizeMax))
                        .col(non_negative_null(Policies::ReadyMinMonthsMeeting))
                        .col(non_negative_null(Policies::ReadyMinMembers))
                        .col(non_negative_null(Policies::ReadyGridWindowMonths))
                        .col(non_negative_null(Policies::ReadyMinMonthsKept))
                        .col(non_negative_null(Policies::ReadyGuestWindowMonths))
                        .col(non_negative_null(Policies::ReadyMinGatheringsWithGuests))
                        .col(non_negative_null(Policies::ReadyMinNeedsMet))
                        .col(non_negative_null(Policies::ReadyNeedsWindowMonths))
                        // A policy belongs to exactly one organization or one community.
                        .check(
                            Expr::col(Policies::OrganizationId)
                                .is_null()
                                .ne(Expr::col(Policies::CommunityId).is_null()),
                        )
                        .foreign_key(
                            to(
                                Organizations::Table,
                                Organizations::Id,
                                ForeignKeyAction::Cascade,
                            )
                            .from(Policies::Table, Policies::OrganizationId),
                        )
                        .foreign_key(
                            to(
                                Communities::Table,
                                Communities::Id,
                                ForeignKeyAction::Cascade,
                            )
                            .from(Policies::Table, Policies::CommunityId),
                        ),
                )
                .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Policies::Table.into_iden(),
            CalendarTokens::Table.into_iden(),
            GatheringSignups::Table.into_iden(),
            GatheringRsvps::Table.into_iden(),
            GatheringAttendance::Table.into_iden(),
            GatheringPractices::Table.into_iden(),
            Gatherings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
