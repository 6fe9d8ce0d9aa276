//! Turning outward: people of peace, the needs board with its claims and transitions,
//! prayer requests and prayer walks, partners in the neighbourhood, and discernment notes.

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
}

#[derive(DeriveIden, Clone, Copy)]
enum PeopleOfPeace {
    Table,
    Id,
    CommunityId,
    PersonId,
    KnownById,
    HowMet,
    Neighbourhood,
    Stage,
    Notes,
    MembershipId,
    CreatedBy,
    ErasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Partners {
    Table,
    Id,
    CommunityId,
    Name,
    Description,
    ContactName,
    ContactEmail,
    ContactPhone,
    Status,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
enum Needs {
    Table,
    Id,
    CommunityId,
    OrganizationId,
    Title,
    Description,
    Category,
    PersonOfPeaceId,
    ForWhom,
    Neighbourhood,
    Urgency,
    Visibility,
    Status,
    Outcome,
    OutcomeNote,
    ReferredPartnerId,
    MetByGatheringId,
    OpenedBy,
    ClosedAt,
    ClosedBy,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NeedClaims {
    Table,
    NeedId,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum NeedEvents {
    Table,
    Id,
    NeedId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrayerRequests {
    Table,
    Id,
    CommunityId,
    OrganizationId,
    AuthorId,
    Body,
    Visibility,
    AnsweredAt,
    AnsweredNote,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrayerWalks {
    Table,
    Id,
    CommunityId,
    WalkedOn,
    Area,
    Observations,
    CreatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrayerWalkWalkers {
    Table,
    WalkId,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrayerWalkNeeds {
    Table,
    WalkId,
    NeedId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PrayerWalkPeople {
    Table,
    WalkId,
    PersonOfPeaceId,
}

#[derive(DeriveIden, Clone, Copy)]
enum DiscernmentNotes {
    Table,
    Id,
    CommunityId,
    NotedOn,
    Body,
    AuthorId,
}

const NEED_STATUSES: &[&str] = &["OPEN", "CLAIMED", "CLOSED"];
const NEED_OUTCOMES: &[&str] = &[
    "MET",
    "REFERRED",
    "NO_LONGER_NEEDED",
    "BEYOND_OUR_CAPACITY",
    "NOT_APPROPRIATE",
];

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(action)
        .to_owned()
}

fn link_table(
    table: impl IntoIden + Copy + 'static,
    a: impl IntoIden + Copy + 'static,
    a_to: (
        impl IntoIden + Copy + 'static,
        impl IntoIden + Copy + 'static,
    ),
    b: impl IntoIden + Copy + 'static,
    b_to: (
        impl IntoIden + Copy + 'static,
        impl IntoIden + Copy + 'static,
    ),
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid(a))
        .col(uuid(b))
        .primary_key(Index::create().col(a).col(b))
        .foreign_key(&mut fk((table, a), a_to, ForeignKeyAction::Cascade))
        .foreign_key(&mut fk((table, b), b_to, ForeignKeyAction::Cascade))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(PeopleOfPeace::Table)
                        .col(pk_uuid(PeopleOfPeace::Id))
                        .col(uuid(PeopleOfPeace::CommunityId))
                        .col(uuid(PeopleOfPeace::PersonId))
                        .col(uuid_null(PeopleOfPeace::KnownById))
                        .col(string_len_null(PeopleOfPeace::HowMet, 500))
                        .col(string_len_null(PeopleOfPeace::Neighbourhood, 120))
                        .col(enum_text(
                            PeopleOfPeace::Stage,
                            &["MET", "ENGAGED", "ATTENDED", "JOINED"],
                        ))
                        .col(text_null(PeopleOfPeace::Notes))
                        .col(uuid_null(PeopleOfPeace::MembershipId))
                        .col(uuid_null(PeopleOfPeace::CreatedBy))
                        .col(timestamp_with_time_zone_null(PeopleOfPeace::ErasedAt))
                        .foreign_key(&mut fk(
                            (PeopleOfPeace::Table, PeopleOfPeace::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (PeopleOfPeace::Table, PeopleOfPeace::PersonId),
                            (Persons::Table, Persons::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (PeopleOfPeace::Table, PeopleOfPeace::KnownById),
                            (Persons::Table, Persons::Id),
                            SetNull,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(manager, "CREATE UNIQUE INDEX ux_people_of_peace_person ON people_of_peace (community_id, person_id)").await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Partners::Table)
                        .col(pk_uuid(Partners::Id))
                        .col(uuid(Partners::CommunityId))
                        .col(string_len(Partners::Name, 120))
                        .col(text_null(Partners::Description))
                        .col(string_len_null(Partners::ContactName, 120))
                        .col(string_len_null(Partners::ContactEmail, 254))
                        .col(string_len_null(Partners::ContactPhone, 32))
                        .col(enum_text(
                            Partners::Status,
                            &["IDENTIFIED", "CONTACTED", "PARTNERING", "ENDED"],
                        ))
                        .col(text_null(Partners::Notes))
                        .foreign_key(&mut fk(
                            (Partners::Table, Partners::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_partners_community ON partners (community_id)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(Needs::Table)
                        .col(pk_uuid(Needs::Id))
                        .col(uuid(Needs::CommunityId))
                        .col(uuid(Needs::OrganizationId))
                        .col(string_len(Needs::Title, 120))
                        .col(text_null(Needs::Description))
                        .col(enum_text(
                            Needs::Category,
                            &[
                                "FOOD",
                                "TUTORING",
                                "VISIT_SICK",
                                "CLEAN_UP",
                                "TRANSPORT",
                                "FINANCIAL",
                                "HOUSING",
                                "CHILDCARE",
                                "OTHER",
                            ],
                        ))
                        .col(uuid_null(Needs::PersonOfPeaceId))
                        .col(string_len_null(Needs::ForWhom, 120))
                        .col(string_len_null(Needs::Neighbourhood, 120))
                        .col(enum_text(
                            Needs::Urgency,
                            &["LOW", "NORMAL", "HIGH", "URGENT"],
                        ))
                        .col(enum_text(
                            Needs::Visibility,
                            &["LEADERS", "COMMUNITY", "NETWORK"],
                        ))
                        .col(enum_text(Needs::Status, NEED_STATUSES))
                        .col(
                            string_len_null(Needs::Outcome, 32).check(
                                Expr::col(Needs::Outcome).is_in(NEED_OUTCOMES.iter().copied()),
                            ),
                        )
                        .col(string_len_null(Needs::OutcomeNote, 500))
                        .col(uuid_null(Needs::ReferredPartnerId))
                        .col(uuid_null(Needs::MetByGatheringId))
                        .col(uuid_null(Needs::OpenedBy))
                        .col(timestamp_with_time_zone_null(Needs::ClosedAt))
                        .col(uuid_null(Needs::ClosedBy))
                        .col(timestamp_with_time_zone_null(Needs::DeletedAt))
                        // A closed need has an outcome and a time; an open one has neither.
                        .check(
                            Expr::col(Needs::Status)
                                .eq("CLOSED")
                                .and(Expr::col(Needs::Outcome).is_not_null())
                                .and(Expr::col(Needs::ClosedAt).is_not_null())
                                .or(Expr::col(Needs::Status)
                                    .ne("CLOSED")
                                    .and(Expr::col(Needs::Outcome).is_null())),
                        )
                        .foreign_key(&mut fk(
                            (Needs::Table, Needs::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (Needs::Table, Needs::OrganizationId),
                            (Organizations::Table, Organizations::Id),
                            Restrict,
                        ))
                        .foreign_key(&mut fk(
                            (Needs::Table, Needs::PersonOfPeaceId),
                            (PeopleOfPeace::Table, PeopleOfPeace::Id),
                            SetNull,
                        ))
                        .foreign_key(&mut fk(
                            (Needs::Table, Needs::ReferredPartnerId),
                            (Partners::Table, Partners::Id),
                            SetNull,
                        ))
                        .foreign_key(&mut fk(
                            (Needs::Table, Needs::MetByGatheringId),
                            (Gatherings::Table, Gatherings::Id),
                            SetNull,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_needs_community_status ON needs (community_id, status)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_needs_org_closed ON needs (organization_id, closed_at)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(NeedClaims::Table)
                        .col(uuid(NeedClaims::NeedId))
                        .col(uuid(NeedClaims::PersonId))
                        .primary_key(
                            Index::create()
                                .col(NeedClaims::NeedId)
                                .col(NeedClaims::PersonId),
                        )
                        .foreign_key(&mut fk(
                            (NeedClaims::Table, NeedClaims::NeedId),
                            (Needs::Table, Needs::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (NeedClaims::Table, NeedClaims::PersonId),
                            (Persons::Table, Persons::Id),
                            Cascade,
                        )),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(NeedEvents::Table)
                        .col(pk_uuid(NeedEvents::Id))
                        .col(uuid(NeedEvents::NeedId))
                        .col(string_len(NeedEvents::Action, 32))
                        .col(string_len_null(NeedEvents::FromStatus, 32))
                        .col(string_len(NeedEvents::ToStatus, 32))
                        .col(uuid_null(NeedEvents::ActorId))
                        .col(string_len_null(NeedEvents::Note, 500))
                        .foreign_key(&mut fk(
                            (NeedEvents::Table, NeedEvents::NeedId),
                            (Needs::Table, Needs::Id),
                            Cascade,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_need_events_need ON need_events (need_id, created_at)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(PrayerRequests::Table)
                        .col(pk_uuid(PrayerRequests::Id))
                        .col(uuid(PrayerRequests::CommunityId))
                        .col(uuid(PrayerRequests::OrganizationId))
                        .col(uuid_null(PrayerRequests::AuthorId))
                        .col(text(PrayerRequests::Body))
                        .col(enum_text(
                            PrayerRequests::Visibility,
                            &["LEADERS", "COMMUNITY"],
                        ))
                        .col(timestamp_with_time_zone_null(PrayerRequests::AnsweredAt))
                        .col(string_len_null(PrayerRequests::AnsweredNote, 1000))
                        .col(timestamp_with_time_zone_null(PrayerRequests::DeletedAt))
                        .foreign_key(&mut fk(
                            (PrayerRequests::Table, PrayerRequests::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (PrayerRequests::Table, PrayerRequests::OrganizationId),
                            (Organizations::Table, Organizations::Id),
                            Restrict,
                        ))
                        .foreign_key(&mut fk(
                            (PrayerRequests::Table, PrayerRequests::AuthorId),
                            (Persons::Table, Persons::Id),
                            SetNull,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(manager, "CREATE INDEX ix_prayer_requests_community ON prayer_requests (community_id, answered_at)").await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(PrayerWalks::Table)
                        .col(pk_uuid(PrayerWalks::Id))
                        .col(uuid(PrayerWalks::CommunityId))
                        .col(date(PrayerWalks::WalkedOn))
                        .col(string_len(PrayerWalks::Area, 200))
                        .col(text_null(PrayerWalks::Observations))
                        .col(uuid_null(PrayerWalks::CreatedBy))
                        .foreign_key(&mut fk(
                            (PrayerWalks::Table, PrayerWalks::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_prayer_walks_community ON prayer_walks (community_id, walked_on)",
        )
        .await?;
        manager
            .create_table(link_table(
                PrayerWalkWalkers::Table,
                PrayerWalkWalkers::WalkId,
                (PrayerWalks::Table, PrayerWalks::Id),
                PrayerWalkWalkers::PersonId,
                (Persons::Table, Persons::Id),
            ))
            .await?;
        manager
            .create_table(link_table(
                PrayerWalkNeeds::Table,
                PrayerWalkNeeds::WalkId,
                (PrayerWalks::Table, PrayerWalks::Id),
                PrayerWalkNeeds::NeedId,
                (Needs::Table, Needs::Id),
            ))
            .await?;
        manager
            .create_table(link_table(
                PrayerWalkPeople::Table,
                PrayerWalkPeople::WalkId,
                (PrayerWalks::Table, PrayerWalks::Id),
                PrayerWalkPeople::PersonOfPeaceId,
                (PeopleOfPeace::Table, PeopleOfPeace::Id),
            ))
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(DiscernmentNotes::Table)
                        .col(pk_uuid(DiscernmentNotes::Id))
                        .col(uuid(DiscernmentNotes::CommunityId))
                        .col(date(DiscernmentNotes::NotedOn))
                        .col(text(DiscernmentNotes::Body))
                        .col(uuid_null(DiscernmentNotes::AuthorId))
                        .foreign_key(&mut fk(
                            (DiscernmentNotes::Table, DiscernmentNotes::CommunityId),
                            (Communities::Table, Communities::Id),
                            Cascade,
                        ))
                        .foreign_key(&mut fk(
                            (DiscernmentNotes::Table, DiscernmentNotes::AuthorId),
                            (Persons::Table, Persons::Id),
                            SetNull,
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(manager, "CREATE INDEX ix_discernment_notes_community ON discernment_notes (community_id, noted_on)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DiscernmentNotes::Table.into_iden(),
            PrayerWalkPeople::Table.into_iden(),
            PrayerWalkNeeds::Table.into_iden(),
            PrayerWalkWalkers::Table.into_iden(),
            PrayerWalks::Table.into_iden(),
            PrayerRequests::Table.into_iden(),
            NeedEvents::Table.into_iden(),
            NeedClaims::Table.into_iden(),
            Needs::Table.into_iden(),
            Partners::Table.into_iden(),
            PeopleOfPeace::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
