//! `GET /lineage/{communityId}.{csv,json,svg}`: family trees as files, for people who
//! would rather look at a tree than read one and for generation-mapping tools that import
//! CSV. Authenticated with the same Bearer token as `/graphql`; optional query parameters
//! `depth` (generations below the community, 0 to 100) and `asOf` (a date such as
//! 2025-12-31).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use oikos_graphql::error::ApiError;
use oikos_graphql::lineage_export::{ExportRequest, LineageExportFormat, export_tree};
use serde::Deserialize;
use uuid::Uuid;

use crate::App;
use crate::http::bearer_token;

#[derive(Deserialize)]
pub struct TreeParams {
    #[serde(rename = "asOf")]
    as_of: Option<String>,
    depth: Option<String>,
}

pub async fn family_tree(
    State(app): State<App>,
    Path(file): Path<String>,
    Query(params): Query<TreeParams>,
    headers: HeaderMap,
) -> Response {
    let Some(actor) = bearer_token(&headers).and_then(|t| app.context.tokens.verify(t)) else {
        let mut response = failure(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "sign in first: send the access token as a Bearer token",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    };
    let parsed = file.rsplit_once('.').and_then(|(id, extension)| {
        Some((
            Uuid::parse_str(id).ok()?,
            LineageExportFormat::from_extension(extension)?,
        ))
    });
    let Some((community, format)) = parsed else {
        return failure(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "ask for /lineage/{communityId}.csv, .json or .svg",
        );
    };
    let as_of = match params
        .as_of
        .as_deref()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        None => None,
        Some(Ok(date)) => Some(date),
        Some(Err(_)) => {
            return failure(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "asOf must be a date such as 2025-12-31",
            );
        }
    };
    let depth = match params.depth.as_deref().map(str::parse::<i64>) {
        None => None,
        Some(Ok(depth)) => Some(depth),
        Some(Err(_)) => {
            return failure(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "depth must be a whole number of generations",
            );
        }
    };
    let request = ExportRequest {
        format,
        depth,
        as_of,
    };
    match export_tree(&app.context.db, actor.person_id, community, request).await {
        Ok(body) => file_response(community, format, body),
        Err(error) => error_response(error),
    }
}

fn file_response(community: Uuid, format: LineageExportFormat, body: String) -> Response {
    let disposition = match format {
        LineageExportFormat::Svg => "inline",
        LineageExportFormat::Csv | LineageExportFormat::Json => "attachment",
    };
    let name = format!(
        "{disposition}; filename=\"family-tree-{community}.{}\"",
        format.extension()
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Family trees name people's groups: never cached by shared caches, never sniffed
    // into something else, and a drawing runs no script whatever it contains.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

fn error_response(error: ApiError) -> Response {
    let code = error.code();
    let status = match code {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
        "CONFLICT" => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    // The GraphQL error mapping logs internal causes and gives the client-safe message.
    let message = async_graphql::Error::from(error).message;
    failure(status, code, &message)
}

fn failure(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}
