//! Cursor pagination (`first`/`after`) shared by every list.

use async_graphql::OutputType;
use async_graphql::connection::OpaqueCursor;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use oikos_persistence::{Page, PageRequest};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: i32 = 50;
pub const MAX_PAGE: i32 = 200;

pub type IdCursor = OpaqueCursor<Uuid>;

pub fn page_request(first: Option<i32>, after: Option<String>) -> ApiResult<PageRequest> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("first must be between 1 and {MAX_PAGE}"),
        ));
    }
    let after = match after {
        None => None,
        Some(cursor) => Some(
            <IdCursor as async_graphql::connection::CursorType>::decode_cursor(&cursor)
                .map_err(|_| ApiError::bad_input("after", "after is not a cursor from this list"))?
                .0,
        ),
    };
    Ok(PageRequest {
        first: u64::try_from(first).unwrap_or(50),
        after,
    })
}

pub fn connection<T, N: OutputType>(
    page: Page<T>,
    had_cursor: bool,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Connection<IdCursor, N, EmptyFields, EmptyFields> {
    let mut conn = Connection::new(had_cursor, page.has_next);
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(OpaqueCursor(id(&item)), node(item))),
    );
    conn
}
