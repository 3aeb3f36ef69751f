//! A synthetic catalog for benchmarks: `n` entities of mixed kinds, about 380 bytes each, with
//! annotations, tags, links and relations whose targets all exist (so a catalog check of it is
//! clean). Deterministic: the same `n` gives the same text.

use std::fmt::Write;

/// Kinds by `index % 20`: half components, then APIs, resources, systems, domains, groups, users.
const SLOTS: [&str; 20] = [
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "Component",
    "API",
    "API",
    "API",
    "API",
    "Resource",
    "Resource",
    "System",
    "Domain",
    "Group",
    "User",
];

const TAGS: [&str; 8] = [
    "java", "go", "rust", "python", "payments", "web", "data", "internal",
];
const LIFECYCLES: [&str; 3] = ["production", "experimental", "deprecated"];

/// The catalog text of `n` entities, as one multi-document YAML stream.
pub fn catalog(n: usize) -> String {
    let mut out = String::with_capacity(n * 400);
    for i in 0..n {
        entity(&mut out, i, n);
    }
    out
}

fn mix(i: usize, salt: u64) -> usize {
    // splitmix64: a deterministic spread of picks.
    let mut z = (i as u64).wrapping_add(salt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as usize
}

/// The name of a pick among the entities of slot `slot` (kind `SLOTS[slot]`).
fn pick(slot: usize, i: usize, salt: u64, n: usize) -> String {
    let count = (n + 19 - slot) / 20;
    let k = if count == 0 { 0 } else { mix(i, salt) % count };
    name(slot + 20 * k)
}

fn name(index: usize) -> String {
    let prefix = match SLOTS[index % 20] {
        "Component" => "service",
        "API" => "api",
        "Resource" => "db",
        "System" => "system",
        "Domain" => "domain",
        "Group" => "team",
        _ => "user",
    };
    format!("{prefix}-{index}")
}

fn entity(out: &mut String, i: usize, n: usize) {
    let kind = SLOTS[i % 20];
    let me = name(i);
    let owner = pick(18, i, 1, n);
    let tag1 = TAGS[mix(i, 2) % TAGS.len()];
    let tag2 = TAGS[mix(i, 3) % TAGS.len()];
    let lifecycle = LIFECYCLES[mix(i, 4) % LIFECYCLES.len()];
    let _ = write!(
        out,
        "---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {me}\n  annotations:\n    \
         github.com/project-slug: acme/{me}\n    backstage.io/techdocs-ref: dir:.\n  \
         tags: [{tag1}, {tag2}]\n  links:\n    - url: https://acme.dev/{me}\n      \
         title: Docs\nspec:\n"
    );
    match kind {
        "Component" => {
            let _ = write!(
                out,
                "  type: service\n  lifecycle: {lifecycle}\n  owner: {owner}\n  system: {}\n  \
                 providesApis: [{}]\n  dependsOn: ['resource:{}']\n",
                pick(16, i, 5, n),
                pick(10, i, 6, n),
                pick(14, i, 8, n)
            );
        }
        "API" => {
            let _ = write!(
                out,
                "  type: openapi\n  lifecycle: {lifecycle}\n  owner: {owner}\n  system: {}\n  \
                 definition: '{{\"openapi\": \"3.0.0\"}}'\n",
                pick(16, i, 5, n)
            );
        }
        "Resource" => {
            let _ = write!(
                out,
                "  type: database\n  owner: {owner}\n  system: {}\n",
                pick(16, i, 5, n)
            );
        }
        "System" => {
            let _ = write!(out, "  owner: {owner}\n  domain: {}\n", pick(17, i, 9, n));
        }
        "Domain" => {
            let _ = writeln!(out, "  owner: {owner}");
        }
        "Group" => {
            let _ = write!(
                out,
                "  type: team\n  profile:\n    displayName: Team {i}\n  children: []\n  \
                 members: [{}]\n",
                pick(19, i, 10, n)
            );
        }
        _ => {
            let _ = write!(
                out,
                "  profile:\n    displayName: User {i}\n    email: {me}@example.com\n  \
                 memberOf: [{owner}]\n"
            );
        }
    }
}
