//! Leader development: coaches assigned to leaders, their check-ins, and each apprentice's
//! and leader's stage per core skill with the full history of changes.
//!
//! Stages are kept as two tables rather than one log of dated assessments whose latest row
//! per skill counts. Readiness reads the current stage of every apprentice across lists of
//! communities, and that read must stay a plain indexed lookup on both backends; "latest
//! row per group" would need window functions or correlated subqueries on every report.
//! The current table's primary key also makes two concurrent changes of the same skill
//! queue on one row instead of both becoming "latest". The history table is append-only,
//! written in the same transaction, so nothing of a person's path is ever rewritten.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{enum_text, raw, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum CoachingAssignments {
    Table,
    Id,
    OrganizationId,
    CoachId,
    LeaderId,
    StartedOn,
    EndedOn,
    AssignedBy,
    EndedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum CoachingCheckIns {
    Table,
    Id,
    AssignmentId,
    CoachId,
    LeaderId,
    MetOn,
    Notes,
    NextSteps,
}

#[derive(DeriveIden, Clone, Copy)]
enum DevelopmentStages {
    Table,
    CommunityId,
    PersonId,
    Skill,
    Stage,
    UpdatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum DevelopmentStageChanges {
    Table,
    Id,
    CommunityId,
    PersonId,
    Skill,
    FromStage,
    ToStage,
    Note,
    ChangedBy,
}

const SKILLS: &[&str] = &[
    "FACILITATING_GATHERING",
    "LEADING_SERVICE",
    "HOSTING_PARTY",
    "COACHING_APPRENTICE",
];
const STAGES: &[&str] = &["MODEL", "ASSIST", "WATCH", "LEAVE"];

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
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
                        .table(CoachingAssignments::Table)
                        .col(pk_uuid(CoachingAssignments::Id))
                        .col(uuid(CoachingAssignments::OrganizationId))
                        .col(uuid(CoachingAssignments::CoachId))
                        .col(uuid(CoachingAssignments::LeaderId))
                        .col(date(CoachingAssignments::StartedOn))
                        .col(date_null(CoachingAssignments::EndedOn))
                        .col(uuid(CoachingAssignments::AssignedBy))
                        .col(uuid_null(CoachingAssignments::EndedBy))
                        .check(
                            Expr::col(CoachingAssignments::EndedOn)
                                .is_null()
                                .or(Expr::col(CoachingAssignments::EndedOn)
                                    .gte(Expr::col(CoachingAssignments::StartedOn))),
                        )
                        .check(
                            Expr::col(CoachingAssignments::CoachId)
                                .ne(Expr::col(CoachingAssignments::LeaderId)),
                        )
                        .foreign_key(&mut fk(
                            (
                                CoachingAssignments::Table,
                                CoachingAssignments::OrganizationId,
                            ),
                            (Organizations::Table, Organizations::Id),
                        ))
                        .foreign_key(&mut fk(
                            (CoachingAssignments::Table, CoachingAssignments::CoachId),
                            (Persons::Table, Persons::Id),
                        ))
                        .foreign_key(&mut fk(
                            (CoachingAssignments::Table, CoachingAssignments::LeaderId),
                            (Persons::Table, Persons::Id),
                        )),
                )
                .to_owned(),
            )
            .await?;
        // A coach accompanies a leader once at a time; ended assignments are history.
        raw(
            manager,
            "CREATE UNIQUE INDEX ux_coaching_assignments_current ON coaching_assignments \
             (coach_id, leader_id) WHERE ended_on IS NULL",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_coaching_assignments_leader ON coaching_assignments (leader_id, ended_on)",
        )
        .await?;
        raw(
            manager,
            "CREATE INDEX ix_coaching_assignments_org ON coaching_assignments (organization_id, ended_on)",
        )
        .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(CoachingCheckIns::Table)
                        .col(pk_uuid(CoachingCheckIns::Id))
                        .col(uuid(CoachingCheckIns::AssignmentId))
                        // Copied from the assignment so that a coach's or a leader's
                        // check-ins are read from an index without a join.
                        .col(uuid(CoachingCheckIns::CoachId))
                        .col(uuid(CoachingCheckIns::LeaderId))
                        .col(date(CoachingCheckIns::MetOn))
                        .col(text(CoachingCheckIns::Notes))
                        .col(text_null(CoachingCheckIns::NextSteps))
                        .foreign_key(&mut fk(
                            (CoachingCheckIns::Table, CoachingCheckIns::AssignmentId),
                            (CoachingAssignments::Table, CoachingAssignments::Id),
                        )),
                )
                .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_check_ins_assignment", "assignment_id"),
            ("ix_check_ins_coach", "coach_id"),
            ("ix_check_ins_leader", "leader_id"),
        ] {
            raw(
                manager,
                &format!("CREATE INDEX {name} ON coaching_check_ins ({col}, met_on, id)"),
            )
            .await?;
        }

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(DevelopmentStages::Table)
                        .col(uuid(DevelopmentStages::CommunityId))
                        .col(uuid(DevelopmentStages::PersonId))
                        .col(enum_text(DevelopmentStages::Skill, SKILLS))
                        .col(enum_text(DevelopmentStages::Stage, STAGES))
                        .col(uuid(DevelopmentStages::UpdatedBy))
                        .primary_key(
                            Index::create()
                                .col(DevelopmentStages::CommunityId)
                                .col(DevelopmentStages::PersonId)
                                .col(DevelopmentStages::Skill),
                        )
                        .foreign_key(&mut fk(
                            (DevelopmentStages::Table, DevelopmentStages::CommunityId),
                            (Communities::Table, Communities::Id),
                        ))
                        .foreign_key(&mut fk(
                            (DevelopmentStages::Table, DevelopmentStages::PersonId),
                            (Persons::Table, Persons::Id),
                        )),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                timestamps(
                    Table::create()
                        .table(DevelopmentStageChanges::Table)
                        .col(pk_uuid(DevelopmentStageChanges::Id))
                        .col(uuid(DevelopmentStageChanges::CommunityId))
                        .col(uuid(DevelopmentStageChanges::PersonId))
                        .col(enum_text(DevelopmentStageChanges::Skill, SKILLS))
                        .col(
                            string_len_null(DevelopmentStageChanges::FromStage, 32).check(
                                Expr::col(DevelopmentStageChanges::FromStage)
                                    .is_in(STAGES.iter().copied()),
                            ),
                        )
                        .col(enum_text(DevelopmentStageChanges::ToStage, STAGES))
                        .col(string_len_null(DevelopmentStageChanges::Note, 500))
                        .col(uuid(DevelopmentStageChanges::ChangedBy))
                        .foreign_key(&mut fk(
                            (
                                DevelopmentStageChanges::Table,
                                DevelopmentStageChanges::CommunityId,
                            ),
                            (Communities::Table, Communities::Id),
                        ))
                        .foreign_key(&mut fk(
                            (
                                DevelopmentStageChanges::Table,
                                DevelopmentStageChanges::PersonId,
                            ),
                            (Persons::Table, Persons::Id),
                        )),
                )
                .to_owned(),
            )
            .await?;
        raw(
            manager,
            "CREATE INDEX ix_stage_changes_person ON development_stage_changes \
             (community_id, person_id, created_at)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DevelopmentStageChanges::Table.into_iden(),
            DevelopmentStages::Table.into_iden(),
            CoachingCheckIns::Table.into_iden(),
            CoachingAssignments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
