//! A synthetic movement shaped like real ones: most groups never multiply, a few multiply
//! many times, and one line keeps going for many generations.

use oikos_domain::tree_path::TreePath;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

pub struct Node {
    pub id: Uuid,
    pub parent: Option<usize>,
    pub generation: u32,
    pub stream_root: usize,
    pub path: TreePath,
    pub closed: bool,
    children: u64,
}

pub struct Movement {
    pub nodes: Vec<Node>,
}

impl Movement {
    /// `size` groups in one stream whose deepest line reaches `min_depth` generations.
    pub fn generate(size: usize, min_depth: u32, seed: u64) -> anyhow::Result<Self> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut nodes: Vec<Node> = Vec::with_capacity(size);
        nodes.push(Node {
            id: Uuid::now_v7(),
            parent: None,
            generation: 1,
            stream_root: 0,
            path: TreePath::root(1)?,
            closed: false,
            children: 0,
        });
        // The long line: each group of it has one child in it.
        for _ in 1..min_depth {
            let parent = nodes.len() - 1;
            push_child(&mut nodes, parent, &mut rng)?;
        }
        // Groups that multiply: about one in ten, each with a weight drawn from a heavy
        // tail, so a few of them start most of the new groups.
        // Cumulative weights, so a weighted pick is a binary search.
        let mut multipliers: Vec<usize> = (0..nodes.len()).collect();
        let mut cumulative: Vec<f64> = (1..=nodes.len()).map(|n| n as f64).collect();
        while nodes.len() < size {
            let total = cumulative.last().copied().unwrap_or(1.0);
            let pick = rng.random_range(0.0..total);
            let slot = cumulative
                .partition_point(|&c| c <= pick)
                .min(multipliers.len() - 1);
            let child = push_child(&mut nodes, multipliers[slot], &mut rng)?;
            if rng.random_bool(0.1) {
                let weight = 1.0 / rng.random_range(0.02f64..1.0);
                multipliers.push(child);
                cumulative.push(total + weight);
            }
        }
        Ok(Self { nodes })
    }

    pub fn deepest(&self) -> usize {
        (0..self.nodes.len())
            .max_by_key(|&i| self.nodes[i].generation)
            .unwrap_or(0)
    }

    pub fn max_generation(&self) -> u32 {
        self.nodes.iter().map(|n| n.generation).max().unwrap_or(0)
    }

    /// The node whose subtree is closest to `size` (for the lineage-correction benchmark).
    pub fn subtree_near(&self, size: usize) -> Option<usize> {
        let mut sizes = vec![1usize; self.nodes.len()];
        for i in (1..self.nodes.len()).rev() {
            if let Some(p) = self.nodes[i].parent {
                sizes[p] += sizes[i];
            }
        }
        (1..self.nodes.len()).min_by_key(|&i| sizes[i].abs_diff(size))
    }

    pub fn subtree_size(&self, root: usize) -> usize {
        let prefix = self.nodes[root].path.as_str();
        self.nodes
            .iter()
            .filter(|n| n.path.as_str().starts_with(prefix))
            .count()
    }
}

fn push_child(nodes: &mut Vec<Node>, parent: usize, rng: &mut StdRng) -> anyhow::Result<usize> {
    nodes[parent].children += 1;
    let p = &nodes[parent];
    let node = Node {
        id: Uuid::now_v7(),
        parent: Some(parent),
        generation: p.generation + 1,
        stream_root: p.stream_root,
        path: p.path.child(p.children)?,
        // Lines die out too: about one group in eight has closed.
        closed: rng.random_bool(0.125),
        children: 0,
    };
    nodes.push(node);
    Ok(nodes.len() - 1)
}
