//! Calendar feeds: secret per-person URLs serving iCalendar over plain HTTP, cancelled
//! gatherings marked as such, a reset that cuts every older URL, and community feeds only
//! for communities the token's person may see.

use oikos_tests::{Session, TestApp, str_at};
use serde_json::{Value, json};

use crate::gatherings::{DELETE, cancel_query, days_from_now, group, log, schedule};

const FEED: &str =
    "{ me { calendarFeed { myUrl communities { communityId url community { name } } } } }";
const RESET: &str = "mutation { resetCalendarToken { myUrl communities { communityId url } } }";

async fn feed(app: &TestApp, who: &Session) -> Value {
    app.ok(Some(&who.token), FEED, json!({})).await["me"]["calendarFeed"].clone()
}

/// Status, content type and body of a GET.
async fn fetch(app: &TestApp, url: &str) -> (u16, String, String) {
    let response = app
        .client()
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .text()
        .await
        .unwrap_or_else(|e| panic!("body of {url}: {e}"));
    (status, content_type, body)
}

fn events(body: &str) -> usize {
    body.matches("BEGIN:VEVENT").count()
}

async fn members_subscribe_to_their_gatherings_and_a_reset_cuts_old_urls(app: TestApp) {
    let g = group(&app).await;
    let soup = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "title": "Soup, bread; and song", "startsAt": days_from_now(3),
                "placeDescription": "At Ana's, 12 Elm Street",
                "plan": "We eat together and read Psalm 23, then pray for the neighbours on the street who asked for it.",
                "practices": ["MEAL", "SCRIPTURE"] }),
    )
    .await;
    let party = schedule(
        &app,
        &g.member,
        json!({ "communityId": g.community, "startsAt": days_from_now(9), "practices": ["PARTY"] }),
    )
    .await;
    app.ok(
        Some(&g.member.token),
        &cancel_query(),
        json!({ "input": { "gatheringId": party["id"] } }),
    )
    .await;
    log(
        &app,
        &g.leader,
        json!({ "gathering": { "communityId": g.community, "startsAt": days_from_now(-5),
                               "practices": ["SERVICE"] } }),
    )
    .await;
    // Long past: calendar apps keep those themselves.
    log(
        &app,
        &g.leader,
        json!({ "gathering": { "communityId": g.community, "startsAt": days_from_now(-200),
                               "practices": ["SERVICE"] } }),
    )
    .await;

    let mine = feed(&app, &g.member).await;
    let my_url = str_at(&mine, "/myUrl");
    assert!(
        my_url.starts_with(&format!("{}/calendar/", app.base_url)) && my_url.ends_with("/me.ics"),
        "{my_url}"
    );
    assert_eq!(mine["communities"][0]["communityId"], json!(g.community));
    assert_eq!(mine["communities"][0]["community"]["name"], "Elm Street");
    // The same URL on every look: the secret is made once, not per request.
    assert_eq!(feed(&app, &g.member).await, mine);
    assert_eq!(app.count_rows("calendar_tokens").await, 1);
    assert_ne!(str_at(&feed(&app, &g.leader).await, "/myUrl"), my_url);

    let (status, content_type, body) = fetch(&app, &my_url).await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert_eq!(events(&body), 3, "{body}");
    assert!(
        body.contains("SUMMARY:Elm Street: Soup\\, bread\\; and song\r\n"),
        "{body}"
    );
    assert!(body.contains("SUMMARY:Elm Street: party\r\n"), "{body}");
    assert!(body.contains("STATUS:CANCELLED\r\n"), "{body}");
    assert!(body.contains("STATUS:CONFIRMED\r\n"), "{body}");
    assert!(
        body.contains("LOCATION:At Ana's\\, 12 Elm Street\r\n"),
        "{body}"
    );
    assert!(
        body.contains(&format!("UID:{}@oikos", str_at(&soup, "/id"))),
        "{body}"
    );
    // Long lines are folded to 75 octets, as RFC 5545 asks.
    assert!(body.contains("DESCRIPTION:We eat together"), "{body}");
    assert!(body.split("\r\n").all(|line| line.len() <= 75), "{body}");

    let community_url = str_at(&mine, "/communities/0/url");
    let (status, content_type, body) = fetch(&app, &community_url).await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("text/calendar"));
    assert_eq!(events(&body), 3, "{body}");

    // Deleted gatherings leave the feed.
    app.ok(
        Some(&g.leader.token),
        DELETE,
        json!({ "input": { "gatheringId": soup["id"] } }),
    )
    .await;
    let (_, _, body) = fetch(&app, &my_url).await;
    assert_eq!(events(&body), 2, "{body}");

    for wrong in [
        format!("{}/calendar/not-a-token/me.ics", app.base_url),
        format!("{}/calendar/{}/me.ics", app.base_url, "A".repeat(43)),
        my_url.replace("/me.ics", "/you.ics"),
    ] {
        assert_eq!(fetch(&app, &wrong).await.0, 404, "{wrong}");
    }

    let reset = app.ok(Some(&g.member.token), RESET, json!({})).await;
    let new_url = str_at(&reset, "/resetCalendarToken/myUrl");
    assert_ne!(new_url, my_url);
    assert_eq!(fetch(&app, &my_url).await.0, 404);
    assert_eq!(fetch(&app, &community_url).await.0, 404);
    assert_eq!(fetch(&app, &new_url).await.0, 200);
    assert_eq!(str_at(&feed(&app, &g.member).await, "/myUrl"), new_url);
    assert_eq!(app.count_rows("calendar_tokens").await, 2);
}

async fn a_community_feed_opens_only_for_communities_the_person_may_see(app: TestApp) {
    let g = group(&app).await;
    schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "title": "Soup night", "startsAt": days_from_now(3),
                "placeDescription": "At Ana's", "plan": "Psalm 23", "practices": ["MEAL"] }),
    )
    .await;
    let stranger = app.sign_up("Stranger").await;
    let reporter = app.sign_up("Reporter").await;
    app.grant(&g.leader, g.org, reporter.person_id, "REPORTER")
        .await;
    let path = format!("/community/{}.ics", g.community);

    let strangers = str_at(&feed(&app, &stranger).await, "/myUrl");
    let (status, _, body) = fetch(&app, &strangers).await;
    assert_eq!((status, events(&body)), (200, 0));
    assert_eq!(
        fetch(&app, &strangers.replace("/me.ics", &path)).await.0,
        404
    );

    // A reporter may see the community, so its calendar, but not where or what exactly.
    let reporters = feed(&app, &reporter).await;
    assert_eq!(reporters["communities"], json!([]));
    let reporters = str_at(&reporters, "/myUrl");
    let (status, _, body) = fetch(&app, &reporters.replace("/me.ics", &path)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("SUMMARY:Elm Street: Soup night\r\n"),
        "{body}"
    );
    assert!(!body.contains("LOCATION"), "{body}");
    assert!(!body.contains("DESCRIPTION"), "{body}");

    for bad in ["/community/nope.ics", "/community/.ics"] {
        assert_eq!(fetch(&app, &reporters.replace("/me.ics", bad)).await.0, 404);
    }
    let without_suffix = reporters.replace("/me.ics", &path.replace(".ics", ""));
    assert_eq!(fetch(&app, &without_suffix).await.0, 404);
}

oikos_tests::on_both_databases!(
    members_subscribe_to_their_gatherings_and_a_reset_cuts_old_urls,
    a_community_feed_opens_only_for_communities_the_person_may_see,
);
