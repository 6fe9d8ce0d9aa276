//! A family tree as people take it away: the flat CSV that generation-mapping tools
//! import, nested JSON, and an SVG drawing (people would rather look at a family tree
//! than read one).
//!
//! Communities the viewer may not see keep their place in every format, showing only
//! their name, generation and status: no id, organization or dates.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::community::CommunityStatus;
use crate::{DomainError, DomainResult};

/// One community of an exported tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub generation: u32,
    pub status: CommunityStatus,
    pub organization_id: Uuid,
    pub launched_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Whether the viewer may see this community.
    pub visible: bool,
}

/// Orders `rows` depth-first from `top`, siblings by their key. Rows that do not hang
/// below `top` are left out, and each community appears once even if the links given
/// were to loop.
pub fn depth_first(top: Uuid, rows: Vec<(TreeRow, String)>) -> Vec<TreeRow> {
    let mut children: HashMap<Uuid, Vec<usize>> = HashMap::new();
    let mut top_index = None;
    for (i, (row, _)) in rows.iter().enumerate() {
        if row.id == top {
            top_index = Some(i);
        } else if let Some(parent) = row.parent_id {
            children.entry(parent).or_default().push(i);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| rows[*a].1.cmp(&rows[*b].1));
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = top_index.into_iter().collect();
    while let Some(i) = stack.pop() {
        if !seen.insert(rows[i].0.id) {
            continue;
        }
        order.push(i);
        if let Some(kids) = children.get(&rows[i].0.id) {
            stack.extend(kids.iter().rev());
        }
    }
    let mut slots: Vec<Option<TreeRow>> = rows.into_iter().map(|(row, _)| Some(row)).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// The id a row is exported under: its own when visible, otherwise a placeholder that
/// means something only inside this one export.
fn export_ids(rows: &[TreeRow]) -> HashMap<Uuid, String> {
    let mut hidden = 0;
    rows.iter()
        .map(|row| {
            let id = if row.visible {
                row.id.to_string()
            } else {
                hidden += 1;
                format!("hidden-{hidden}")
            };
            (row.id, id)
        })
        .collect()
}

pub const CSV_HEADER: &str =
    "id,parentId,name,generation,status,organizationId,launchedOn,closedOn";

/// The flat form: one line per community, parents before children. The top row has no
/// parentId (its parent is not in the file); hidden communities get `hidden-N` ids.
pub fn to_csv(rows: &[TreeRow]) -> String {
    let ids = export_ids(rows);
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for row in rows {
        let date = |d: Option<NaiveDate>| d.filter(|_| row.visible).map(|d| d.to_string());
        let fields = [
            ids.get(&row.id).cloned().unwrap_or_default(),
            row.parent_id
                .and_then(|p| ids.get(&p).cloned())
                .unwrap_or_default(),
            csv_text(&row.name),
            row.generation.to_string(),
            row.status.as_str().to_owned(),
            if row.visible {
                row.organization_id.to_string()
            } else {
                String::new()
            },
            date(row.launched_on).unwrap_or_default(),
            date(row.closed_on).unwrap_or_default(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A text field as RFC 4180 wants it. A leading `= + - @` would make a spreadsheet run
/// the name as a formula, so such names are prefixed with an apostrophe.
fn csv_text(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) || value.trim() != value {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A community with its children, for the nested JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NestedNode {
    /// Absent for a community the viewer may not see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub hidden: bool,
    pub name: String,
    pub generation: u32,
    pub status: CommunityStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launched_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    pub children: Vec<NestedNode>,
}

/// The tree under the first row (rows in depth-first order).
pub fn to_nested(rows: &[TreeRow]) -> Option<NestedNode> {
    let children = children_of(rows);
    let top = rows.first()?;
    Some(nest(rows, &children, top, 0))
}

fn nest(
    rows: &[TreeRow],
    children: &HashMap<Uuid, Vec<usize>>,
    row: &TreeRow,
    level: u32,
) -> NestedNode {
    // Depth is bounded by the tree's levels; the guard only protects against bad input.
    let kids = if level < crate::tree_path::MAX_LEVELS {
        children
            .get(&row.id)
            .map(|list| {
                list.iter()
                    .filter_map(|i| rows.get(*i))
                    .map(|child| nest(rows, children, child, level + 1))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    NestedNode {
        id: row.visible.then_some(row.id),
        hidden: !row.visible,
        name: row.name.clone(),
        generation: row.generation,
        status: row.status,
        organization_id: row.visible.then_some(row.organization_id),
        launched_on: row.launched_on.filter(|_| row.visible),
        closed_on: row.closed_on.filter(|_| row.visible),
        children: kids,
    }
}

/// Children of each row, in the order the rows come (depth-first order keeps siblings
/// in order). The first row is the top: its own parent is not part of the tree.
fn children_of(rows: &[TreeRow]) -> HashMap<Uuid, Vec<usize>> {
    let mut children: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        if let Some(parent) = row.parent_id {
            children.entry(parent).or_default().push(i);
        }
    }
    children
}

/// More than this many communities do not make a drawing anyone can read.
pub const MAX_DRAWN: usize = 2_000;

const SLOT: f64 = 180.0;
const BOX_W: f64 = 164.0;
const BOX_H: f64 = 46.0;
const LEVEL: f64 = 96.0;
const MARGIN: f64 = 20.0;
const HEADER: f64 = 44.0;
const FOOTER: f64 = 36.0;
const NAME_CHARS: usize = 22;

/// Where each row sits: its horizontal slot (leaves take whole slots, a parent is
/// centred over its children) and its level below the top.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed {
    slot: f64,
    level: u32,
}

fn layout(rows: &[TreeRow]) -> (Vec<Option<Placed>>, f64, u32) {
    let children = children_of(rows);
    let mut placed = vec![None; rows.len()];
    let mut next_leaf = 0.0;
    let mut deepest = 0;
    if !rows.is_empty() {
        place(
            rows,
            &children,
            0,
            0,
            &mut placed,
            &mut next_leaf,
            &mut deepest,
        );
    }
    (placed, next_leaf, deepest)
}

fn place(
    rows: &[TreeRow],
    children: &HashMap<Uuid, Vec<usize>>,
    i: usize,
    level: u32,
    placed: &mut [Option<Placed>],
    next_leaf: &mut f64,
    deepest: &mut u32,
) -> f64 {
    *deepest = (*deepest).max(level);
    let kids: Vec<usize> = rows
        .get(i)
        .and_then(|row| children.get(&row.id))
        .filter(|_| level < crate::tree_path::MAX_LEVELS)
        .cloned()
        .unwrap_or_default();
    let slot = if kids.is_empty() {
        let slot = *next_leaf;
        *next_leaf += 1.0;
        slot
    } else {
        let slots: Vec<f64> = kids
            .iter()
            .map(|k| place(rows, children, *k, level + 1, placed, next_leaf, deepest))
            .collect();
        let first = slots.first().copied().unwrap_or_default();
        let last = slots.last().copied().unwrap_or(first);
        (first + last) / 2.0
    };
    if let Some(p) = placed.get_mut(i) {
        *p = Some(Placed { slot, level });
    }
    slot
}

/// Draws the tree under the first row, layered by generation, closed communities dashed
/// and grey with a ✕, forming ones dotted, hidden ones in italics.
pub fn to_svg(rows: &[TreeRow], title: &str) -> DomainResult<String> {
    if rows.len() > MAX_DRAWN {
        return Err(DomainError::invalid(
            "depth",
            format!(
                "the tree holds more than the {MAX_DRAWN} communities a drawing can show; \
                 draw fewer generations with depth"
            ),
        ));
    }
    let (placed, leaves, deepest) = layout(rows);
    let width = MARGIN * 2.0 + leaves.max(1.0) * SLOT;
    let height = HEADER + f64::from(deepest + 1) * LEVEL + FOOTER;
    let centre = |p: Placed| MARGIN + p.slot * SLOT + SLOT / 2.0;
    let top = |p: Placed| HEADER + f64::from(p.level) * LEVEL;

    let mut svg = String::with_capacity(600 + rows.len() * 700);
    let _ = write!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\" \
         font-size=\"12\">\n\
         <title>{t}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"{MARGIN}\" y=\"26\" font-size=\"16\" font-weight=\"600\" \
         fill=\"#1b1b1b\">{t}</text>\n",
        t = escape(title)
    );

    let index: HashMap<Uuid, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    svg.push_str("<g fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"1.2\">\n");
    for (i, row) in rows.iter().enumerate().skip(1) {
        let parent = row.parent_id.and_then(|p| index.get(&p)).copied();
        let (Some(Some(child)), Some(Some(parent))) =
            (placed.get(i), parent.and_then(|p| placed.get(p)))
        else {
            continue;
        };
        let (from_y, to_y) = (top(*parent) + BOX_H, top(*child));
        let mid = (from_y + to_y) / 2.0;
        let _ = writeln!(
            svg,
            "<path d=\"M{:.1} {from_y:.1} V{mid:.1} H{:.1} V{to_y:.1}\"/>",
            centre(*parent),
            centre(*child)
        );
    }
    svg.push_str("</g>\n");

    for (row, p) in rows.iter().zip(&placed) {
        let Some(p) = *p else { continue };
        let (x, y, cx) = (centre(p) - BOX_W / 2.0, top(p), centre(p));
        let closed = row.status == CommunityStatus::Closed;
        let (fill, stroke, dash, ink) = match row.status {
            CommunityStatus::Closed => {
                ("#eeeeee", "#8a8a8a", " stroke-dasharray=\"6 4\"", "#6f6f6f")
            }
            CommunityStatus::Forming => {
                ("#f3f8f5", "#2d6a4f", " stroke-dasharray=\"2 3\"", "#1b1b1b")
            }
            CommunityStatus::Active => ("#ffffff", "#2d6a4f", "", "#1b1b1b"),
        };
        let status = row.status.as_str().to_lowercase();
        let style = if row.visible {
            ""
        } else {
            " font-style=\"italic\""
        };
        let _ = write!(
            svg,
            "<g>\n<title>{full} (generation {g}, {status}{hidden})</title>\n\
             <rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" \
             fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>\n\
             <text x=\"{cx:.1}\" y=\"{ny:.1}\" text-anchor=\"middle\" font-weight=\"600\" \
             fill=\"{ink}\"{style}>{name}</text>\n\
             <text x=\"{cx:.1}\" y=\"{sy:.1}\" text-anchor=\"middle\" font-size=\"11\" \
             fill=\"{ink}\">Gen {g} · {status}</text>\n",
            full = escape(&row.name),
            g = row.generation,
            hidden = if row.visible {
                ""
            } else {
                ", not visible to you"
            },
            ny = y + 19.0,
            sy = y + 36.0,
            name = escape(&shorten(&row.name)),
        );
        if closed {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" \
                 fill=\"#b00020\">✕</text>",
                x + BOX_W - 10.0,
                y + 14.0
            );
        }
        svg.push_str("</g>\n");
    }

    let _ = write!(
        svg,
        "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"11\" fill=\"#555555\">\
         ✕ dashed grey: closed · dotted: forming · italic: a community you may not \
         see</text>\n</svg>\n",
        height - 14.0
    );
    Ok(svg)
}

fn shorten(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_owned()
    } else {
        let mut short: String = name.chars().take(NAME_CHARS - 1).collect();
        short.push('…');
        short
    }
}

/// Text and attribute values for XML.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 cannot carry other control characters at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn row(n: u128, parent: Option<u128>, name: &str, generation: u32) -> TreeRow {
        TreeRow {
            id: id(n),
            parent_id: parent.map(id),
            name: name.to_owned(),
            generation,
            status: CommunityStatus::Active,
            organization_id: id(100),
            launched_on: NaiveDate::from_ymd_opt(2024, 1, 15),
            closed_on: None,
            visible: true,
        }
    }

    /// 1 ── 2 ── 4
    ///   └─ 3
    fn family() -> Vec<TreeRow> {
        vec![
            row(1, None, "Elm Street", 1),
            row(2, Some(1), "Oak Lane", 2),
            row(4, Some(2), "Birch Court", 3),
            row(3, Some(1), "Pine Hill", 2),
        ]
    }

    #[test]
    fn rows_are_put_in_depth_first_order_with_siblings_by_key() {
        let keyed = vec![
            (row(3, Some(1), "c", 2), "b".to_owned()),
            (row(4, Some(2), "d", 3), "a".to_owned()),
            (row(1, None, "a", 1), "z".to_owned()),
            (row(2, Some(1), "b", 2), "a".to_owned()),
            (row(9, Some(8), "elsewhere", 2), "a".to_owned()),
        ];
        let ids: Vec<Uuid> = depth_first(id(1), keyed).iter().map(|r| r.id).collect();
        assert_eq!(ids, [id(1), id(2), id(4), id(3)]);
    }

    #[test]
    fn a_looping_history_still_lists_each_community_once() {
        let keyed = vec![
            (row(1, Some(2), "a", 1), "a".to_owned()),
            (row(2, Some(1), "b", 2), "b".to_owned()),
        ];
        assert_eq!(depth_first(id(1), keyed).len(), 2);
    }

    #[test]
    fn the_csv_has_the_columns_generation_mapping_tools_import() {
        let csv = to_csv(&family());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            format!("{},,Elm Street,1,ACTIVE,{},2024-01-15,", id(1), id(100))
        );
        assert!(lines[2].starts_with(&format!("{},{},Oak Lane,2,", id(2), id(1))));
        assert_eq!(lines.len(), 6, "header, four rows and the final line break");
    }

    #[test]
    fn hidden_communities_leave_only_name_generation_and_status() {
        let mut rows = family();
        rows[1].visible = false;
        rows[1].status = CommunityStatus::Closed;
        rows[1].closed_on = NaiveDate::from_ymd_opt(2025, 1, 1);
        let csv = to_csv(&rows);
        assert!(!csv.contains(&id(2).to_string()), "{csv}");
        assert!(csv.contains(&format!("hidden-1,{},Oak Lane,2,CLOSED,,,\r\n", id(1))));
        assert!(csv.contains(&format!("{},hidden-1,Birch Court,3,", id(4))));
        assert!(!csv.contains("2025-01-01"));

        let nested = to_nested(&rows).unwrap_or_else(|| panic!("no tree"));
        let hidden = &nested.children[0];
        assert!(hidden.hidden);
        assert_eq!(hidden.id, None);
        assert_eq!(hidden.organization_id, None);
        assert_eq!(hidden.closed_on, None);
        assert_eq!(hidden.children[0].id, Some(id(4)));
    }

    #[test]
    fn csv_text_is_quoted_and_defused() {
        assert_eq!(csv_text("Elm Street"), "Elm Street");
        assert_eq!(csv_text("Smith, Jones"), "\"Smith, Jones\"");
        assert_eq!(csv_text("the \"Upper\" Room"), "\"the \"\"Upper\"\" Room\"");
        assert_eq!(csv_text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_text("-1"), "'-1");
    }

    #[test]
    fn the_nested_tree_keeps_the_order_of_the_rows() {
        let nested = to_nested(&family()).unwrap_or_else(|| panic!("no tree"));
        assert_eq!(nested.name, "Elm Street");
        let names: Vec<&str> = nested.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Oak Lane", "Pine Hill"]);
        assert_eq!(nested.children[0].children[0].name, "Birch Court");
        assert_eq!(to_nested(&[]), None);
    }

    #[test]
    fn parents_are_centred_over_their_children_layer_by_generation() {
        let (placed, leaves, deepest) = layout(&family());
        assert_eq!(leaves, 2.0);
        assert_eq!(deepest, 2);
        let at = |i: usize| placed[i].unwrap_or_else(|| panic!("row {i} not placed"));
        assert_eq!(
            at(2),
            Placed {
                slot: 0.0,
                level: 2
            }
        );
        assert_eq!(
            at(1),
            Placed {
                slot: 0.0,
                level: 1
            }
        );
        assert_eq!(
            at(3),
            Placed {
                slot: 1.0,
                level: 1
            }
        );
        assert_eq!(
            at(0),
            Placed {
                slot: 0.5,
                level: 0
            }
        );
    }

    #[test]
    fn the_drawing_marks_closed_communities_and_escapes_names() {
        let mut rows = family();
        rows[3].status = CommunityStatus::Closed;
        rows[2].name = "<script>alert('x')</script> & co".to_owned();
        let svg = to_svg(&rows, "Family tree of Elm Street").unwrap_or_else(|e| panic!("{e}"));
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains("✕</text>"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
        assert_eq!(svg.matches("<rect x=").count(), 4);
        assert_eq!(svg.matches("<path ").count(), 3);
    }

    #[test]
    fn long_names_are_shortened_in_the_boxes() {
        assert_eq!(shorten("Elm Street"), "Elm Street");
        let long = "The Community of the Long Winding Road";
        let short = shorten(long);
        assert_eq!(short.chars().count(), NAME_CHARS);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn a_tree_too_large_to_draw_is_refused_on_depth() {
        let rows: Vec<TreeRow> = (0..=MAX_DRAWN as u128)
            .map(|n| row(n + 1, (n > 0).then_some(1), "g", 2))
            .collect();
        match to_svg(&rows, "big") {
            Err(DomainError::Invalid { field, .. }) => assert_eq!(field, "depth"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
