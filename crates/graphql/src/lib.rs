//! The GraphQL schema of Oikos: thin resolvers over the persistence crate, DataLoaders
//! against N+1, authorization through `context`, and one error mapping (`error`).

pub mod auth;
pub mod context;
pub mod error;
mod error_codes;
pub mod lineage_export;
pub mod loaders;
mod mutation;
mod query;
mod types;

use async_graphql::{EmptySubscription, MergedObject, Request, SDLExportOptions, Schema};

pub use context::{AppContext, RequestContext};

use auth::{Actor, Anonymous};
use loaders::Loaders;

#[derive(MergedObject, Default)]
pub struct Query(
    query::CoreQuery,
    types::gathering::GatheringQuery,
    types::need::NeedQuery,
    query::lineage::LineageQuery,
    types::home::HomeQuery,
    types::coaching::CoachingQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    mutation::auth::AuthMutation,
    mutation::organizations::OrganizationMutation,
    mutation::communities::CommunityMutation,
    mutation::memberships::MembershipMutation,
    mutation::gatherings::GatheringMutation,
    mutation::policies::PolicyMutation,
    mutation::calendar::CalendarMutation,
    mutation::people_of_peace::PersonOfPeaceMutation,
    mutation::partners::PartnerMutation,
    mutation::needs::NeedMutation,
    mutation::prayer::PrayerMutation,
    mutation::discernment::DiscernmentMutation,
    mutation::lineage::LineageMutation,
    mutation::coaching::CoachingMutation,
    mutation::readiness::ReadinessMutation,
);

pub type OikosSchema = Schema<Query, Mutation, EmptySubscription>;

/// Deep or wide queries cost the database; these bounds leave room for every screen.
const MAX_DEPTH: usize = 12;
const MAX_COMPLEXITY: usize = 5_000;

pub fn build_schema(app: AppContext) -> OikosSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(app)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(error_codes::ErrorCodes)
        .finish()
}

/// The SDL, sorted so that the committed `schema/schema.graphql` diffs cleanly.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
}

/// Attaches the actor and a fresh set of DataLoaders to one request.
pub fn prepare_request(
    request: Request,
    app: &AppContext,
    actor: Result<Actor, Anonymous>,
) -> Request {
    let loaders = Loaders::new(&app.db, actor.ok().map(|a| a.person_id));
    request.data(RequestContext { actor }).data(loaders)
}

#[cfg(test)]
mod tests {
    /// The committed SDL is the contract with the mobile app and integrations: it must be
    /// what the code serves. Regenerate with `cargo run -p oikos-server -- export-schema
    /// > schema/schema.graphql`.
    #[test]
    fn committed_schema_matches_the_code() {
        let committed = include_str!("../../../schema/schema.graphql");
        assert!(
            committed == super::sdl(),
            "schema/schema.graphql is out of date: run `cargo run -q -p oikos-server -- export-schema > schema/schema.graphql`"
        );
    }
}
