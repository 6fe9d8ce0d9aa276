//! iCalendar feeds behind secret per-person URLs, for the calendar apps members already
//! use: `/calendar/{token}/me.ics` holds the gatherings of every community the person
//! belongs to, `/calendar/{token}/community/{id}.ics` those of one community the person
//! may see. An unknown token, and a community the person may not see, answer 404 alike.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use oikos_domain::access::CommunityAction;
use oikos_domain::community::Community;
use oikos_domain::gathering::Gathering;
use oikos_domain::rhythm::GatheringOutcome;
use oikos_graphql::auth::tokens::hash_token;
use oikos_persistence::{StoreError, access, calendar, communities, gatherings, memberships};
use uuid::Uuid;

use crate::App;

/// How far back a feed reaches; calendar apps keep older events themselves.
const FEED_PAST_DAYS: i64 = 90;
/// How long a gathering logged without an end is shown.
const DEFAULT_LENGTH_HOURS: i64 = 2;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/calendar/{token}/me.ics", get(my_feed))
        .route("/calendar/{token}/community/{file}", get(community_feed))
}

enum FeedError {
    NotFound,
    Internal(StoreError),
}

impl From<StoreError> for FeedError {
    fn from(err: StoreError) -> Self {
        Self::Internal(err)
    }
}

async fn my_feed(State(app): State<App>, Path(token): Path<String>) -> Response {
    respond(my_calendar(&app, &token).await)
}

async fn community_feed(
    State(app): State<App>,
    Path((token, file)): Path<(String, String)>,
) -> Response {
    respond(community_calendar(&app, &token, &file).await)
}

fn respond(feed: Result<String, FeedError>) -> Response {
    match feed {
        Ok(body) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Err(FeedError::NotFound) => (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(FeedError::Internal(e)) => {
            tracing::error!(error = ?e, "cannot build a calendar feed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

async fn person_of(app: &App, token: &str) -> Result<Uuid, FeedError> {
    calendar::person_by_hash(&app.context.db, &hash_token(token))
        .await?
        .ok_or(FeedError::NotFound)
}

fn since() -> chrono::DateTime<Utc> {
    Utc::now() - Duration::days(FEED_PAST_DAYS)
}

async fn my_calendar(app: &App, token: &str) -> Result<String, FeedError> {
    let person = person_of(app, token).await?;
    let db = &app.context.db;
    let ids: Vec<Uuid> = memberships::current_of_person(db, person)
        .await?
        .into_iter()
        .map(|m| m.community_id)
        .collect();
    let communities = communities::by_ids(db, &ids).await?;
    let gatherings = gatherings::for_feed(db, &ids, since()).await?;
    // Members see their communities' people, and so where and what.
    Ok(render("My gatherings", &communities, &gatherings, true))
}

async fn community_calendar(app: &App, token: &str, file: &str) -> Result<String, FeedError> {
    let person = person_of(app, token).await?;
    let id = file
        .strip_suffix(".ics")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or(FeedError::NotFound)?;
    let db = &app.context.db;
    let standing = access::community_standing(db, person, id)
        .await?
        .filter(|s| s.allows(CommunityAction::ViewCommunity))
        .ok_or(FeedError::NotFound)?;
    let community = communities::get(db, id).await?.ok_or(FeedError::NotFound)?;
    let gatherings = gatherings::for_feed(db, &[id], since()).await?;
    let name = community.profile.name.clone();
    Ok(render(
        &name,
        &[community],
        &gatherings,
        standing.allows(CommunityAction::ViewPeople),
    ))
}

/// `show_details`: whether the place and plan may be shown (they may name a home).
fn render(
    name: &str,
    communities: &[Community],
    gatherings: &[Gathering],
    show_details: bool,
) -> String {
    let names: HashMap<Uuid, &str> = communities
        .iter()
        .map(|c| (c.id, c.profile.name.as_str()))
        .collect();
    let mut feed = Calendar::new();
    feed.name(name);
    for g in gatherings {
        let d = &g.details;
        let mut event = Event::new();
        event
            .uid(&format!("{}@oikos", g.id))
            .summary(&summary(g, names.get(&g.community_id).copied()))
            .starts(d.starts_at)
            .ends(
                d.ends_at
                    .unwrap_or(d.starts_at + Duration::hours(DEFAULT_LENGTH_HOURS)),
            )
            .timestamp(g.updated_at)
            .last_modified(g.updated_at)
            .status(match g.outcome {
                GatheringOutcome::Scheduled | GatheringOutcome::Held => EventStatus::Confirmed,
                // A gathering that did not take place is, to a calendar, one called off.
                GatheringOutcome::Cancelled | GatheringOutcome::DidNotMeet => {
                    EventStatus::Cancelled
                }
            });
        if show_details {
            if let Some(place) = &d.place_description {
                event.location(place);
            }
            if let Some(plan) = &d.plan {
                event.description(plan);
            }
        }
        feed.push(event.done());
    }
    feed.done().to_string()
}

/// "Elm Street: Soup night", or the practices when the gathering has no title
/// ("Elm Street: Scripture, meal").
fn summary(g: &Gathering, community: Option<&str>) -> String {
    let what = g.details.title.clone().unwrap_or_else(|| {
        g.details
            .practices
            .iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join(", ")
    });
    match community {
        Some(name) => format!("{name}: {what}"),
        None => what,
    }
}
