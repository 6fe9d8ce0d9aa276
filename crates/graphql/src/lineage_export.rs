//! Family-tree files, the same whether asked for through GraphQL (`CommunityLineage.export`)
//! or downloaded over HTTP (`GET /lineage/{communityId}.{csv,json,svg}`): a community and
//! everything below it, now or as of a past date, as the viewer may see it.

use async_graphql::Enum;
use chrono::NaiveDate;
use oikos_domain::access::CommunityAction;
use oikos_domain::family_tree::{MAX_DRAWN, TreeRow, to_csv, to_nested, to_svg};
use oikos_domain::lineage::as_of_date;
use oikos_persistence::lineage::{self, PathPage};
use oikos_persistence::{Database, access, communities};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::types::lineage::depth_arg;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum LineageExportFormat {
    /// Nested: each community with its `children`.
    Json,
    /// Flat: `id,parentId,name,generation,status,organizationId,launchedOn,closedOn`.
    Csv,
    /// A drawing, closed communities dashed and grey with a ✕.
    Svg,
}

impl LineageExportFormat {
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Svg => "svg",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Svg => "image/svg+xml; charset=utf-8",
        }
    }
}

pub struct ExportRequest {
    pub format: LineageExportFormat,
    /// Generations below the community, 0 to 100; all when `None`.
    pub depth: Option<i64>,
    pub as_of: Option<NaiveDate>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NestedExport {
    as_of: Option<NaiveDate>,
    tree: Option<oikos_domain::family_tree::NestedNode>,
}

/// Renders the family tree under `community` for `viewer`: NOT_FOUND when they may not
/// see the community itself.
pub async fn export_tree(
    db: &Database,
    viewer: Uuid,
    community: Uuid,
    request: ExportRequest,
) -> ApiResult<String> {
    let standing = access::community_standing(db, viewer, community).await?;
    if !standing.is_some_and(|s| s.allows(CommunityAction::ViewCommunity)) {
        return Err(ApiError::NotFound("community"));
    }
    let depth = depth_arg(request.depth)?;
    let of = communities::get(db, community)
        .await?
        .ok_or(ApiError::NotFound("community"))?;
    let name = of.profile.name.clone();
    let (rows, title) = match request.as_of {
        Some(date) => {
            let date = as_of_date(date, crate::mutation::today())?;
            let snapshot = lineage::as_of(db, viewer, &of, date, depth)
                .await?
                .ok_or_else(|| {
                    ApiError::bad_input(
                        "asOf",
                        format!("{name} had no place in the family tree on {date}"),
                    )
                })?;
            (snapshot.tree, format!("Family tree of {name} as of {date}"))
        }
        None => {
            // A drawing refuses more than it can show; fetching one more is enough to know.
            let first = match request.format {
                LineageExportFormat::Svg => MAX_DRAWN as u64,
                LineageExportFormat::Json | LineageExportFormat::Csv => u64::MAX,
            };
            let below =
                lineage::descendants(db, viewer, &of, depth, &PathPage { first, after: None })
                    .await?;
            let mut rows = Vec::with_capacity(below.items.len() + 1);
            rows.push(TreeRow {
                id: of.id,
                parent_id: of.lineage.parent_id,
                name: name.clone(),
                generation: of.lineage.generation,
                status: of.status,
                organization_id: of.organization_id,
                launched_on: of.profile.launched_on,
                closed_on: of.closure.as_ref().map(|c| c.closed_on),
                visible: true,
            });
            rows.extend(below.items.into_iter().map(|n| n.row));
            (rows, format!("Family tree of {name}"))
        }
    };
    match request.format {
        LineageExportFormat::Csv => Ok(to_csv(&rows)),
        LineageExportFormat::Svg => Ok(to_svg(&rows, &title)?),
        LineageExportFormat::Json => serde_json::to_string_pretty(&NestedExport {
            as_of: request.as_of,
            tree: to_nested(&rows),
        })
        .map_err(ApiError::internal),
    }
}
