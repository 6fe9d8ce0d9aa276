//! Allocation and moves of materialized tree paths (see `oikos_domain::tree_path`),
//! shared by the organization tree and community lineage.

use chrono::{DateTime, Utc};
use oikos_domain::tree_path::{TreePath, next_ordinal};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::sql::stmt;
use crate::{StoreError, StoreResult};

/// The two tables that hold a tree. Names are ours, never user input.
#[derive(Clone, Copy)]
pub(crate) enum Tree {
    Organizations,
    Lineage,
}

impl Tree {
    fn table(self) -> &'static str {
        match self {
            Tree::Organizations => "organizations",
            Tree::Lineage => "communities",
        }
    }

    fn path_col(self) -> &'static str {
        match self {
            Tree::Organizations => "tree_path",
            Tree::Lineage => "lineage_path",
        }
    }
}

#[derive(FromQueryResult)]
struct MaxPath {
    path: Option<String>,
}

/// The path for a new child of `parent` (or a new root).
pub(crate) async fn next_child_path<C: ConnectionTrait>(
    conn: &C,
    tree: Tree,
    parent: Option<(Uuid, &TreePath)>,
) -> StoreResult<TreePath> {
    let (table, col) = (tree.table(), tree.path_col());
    let statement = match parent {
        Some((id, _)) => stmt(
            conn.get_database_backend(),
            &format!("SELECT max({col}) AS path FROM {table} WHERE parent_id = $1"),
            vec![id.into()],
        ),
        None => stmt(
            conn.get_database_backend(),
            &format!("SELECT max({col}) AS path FROM {table} WHERE parent_id IS NULL"),
            vec![],
        ),
    };
    let last = MaxPath::find_by_statement(statement)
        .one(conn)
        .await?
        .and_then(|m| m.path)
        .map(stored_path)
        .transpose()?;
    let ordinal = next_ordinal(last.as_ref());
    Ok(match parent {
        Some((_, parent_path)) => parent_path.child(ordinal)?,
        None => TreePath::root(ordinal)?,
    })
}

/// What changes with a moved subtree besides its paths.
#[derive(Clone, Copy)]
pub(crate) enum Move {
    Organizations,
    /// Generations follow the new depth, and every community joins the new stream.
    Lineage {
        stream_root: Uuid,
        at: DateTime<Utc>,
    },
}

/// Rewrites the paths of the whole subtree under `old` (itself included) to hang under
/// `new`, in one statement. The caller has checked that `new` is not inside `old`.
pub(crate) async fn move_subtree<C: ConnectionTrait>(
    conn: &C,
    moving: Move,
    old: &TreePath,
    new: &TreePath,
) -> StoreResult<u64> {
    let tree = match moving {
        Move::Organizations => Tree::Organizations,
        Move::Lineage { .. } => Tree::Lineage,
    };
    let (table, col) = (tree.table(), tree.path_col());
    let (_, upper) = old.descendant_bounds();
    let old_len = i32::try_from(old.as_str().len()).unwrap_or(i32::MAX);
    let mut values = vec![
        new.as_str().into(),
        (old_len + 1).into(),
        old.as_str().into(),
        upper.into(),
    ];
    let also = match moving {
        Move::Organizations => "",
        Move::Lineage { stream_root, at } => {
            let generation_shift = i64::from(new.depth()) - i64::from(old.depth());
            values.extend([generation_shift.into(), stream_root.into(), at.into()]);
            ", generation = generation + $5, stream_root_id = $6, updated_at = $7"
        }
    };
    let result = conn
        .execute_raw(stmt(
            conn.get_database_backend(),
            &format!(
                "UPDATE {table} SET {col} = $1 || substr({col}, $2){also} \
                 WHERE {col} >= $3 AND {col} < $4"
            ),
            values,
        ))
        .await?;
    Ok(result.rows_affected())
}

pub(crate) fn stored_path(value: String) -> StoreResult<TreePath> {
    TreePath::from_stored(value.clone()).ok_or_else(|| {
        StoreError::Internal(anyhow::anyhow!("malformed tree path {value:?} in storage"))
    })
}

/// Retries `attempt` when two writers raced for the same new path (a unique violation on
/// the path column): the loser allocates again and goes next.
pub(crate) async fn retry_on_path_race<T, F, Fut>(mut attempt: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = StoreResult<T>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(StoreError::Conflict(_)) if tries < 4 => tries += 1,
            other => return other,
        }
    }
}
