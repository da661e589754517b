//! The library's structure: which top-level module uses which, and which
//! file inside a module uses which of its neighbours, read from the source,
//! with no circles.
//!
//! A module graph without circles can be read bottom-up: every module can be
//! understood from the ones below it. This test builds the graph of the
//! library's top-level modules (`strategy`, `report`, `measure`, ...) from
//! their `crate::` paths (tests and comments aside), fails on the first
//! circle it finds, and prints the layers, lowest first
//! (`cargo test --test layering -- --nocapture`): the drawing in the README.
//!
//! The same holds one level down: inside a module folder no two files may
//! use each other, directly or round a longer circle, so each file can be
//! read after the ones it uses (`curves.rs` after `legend.rs`, never both
//! before each other). A folder's `mod.rs` is its front door (it declares
//! the files and re-exports from them), so it is left out of this graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules it uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn library_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let reexports = root_reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut graph = Graph::new();
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // The binary (main.rs, cli/) sits on top of everything; lib.rs only lists.
        if ["main", "cli", "lib"].contains(&top.as_str()) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let uses = graph.entry(top.clone()).or_default();
        for name in crate_paths(&code) {
            let module = reexports.get(&name).cloned().unwrap_or(name);
            if module != top {
                uses.insert(module);
            }
        }
    }
    graph
}

/// Names the crate root re-exports (`pub use strategy::{Schedule, Strategy};`)
/// mapped to the module they come from.
fn reexports_line(line: &str, out: &mut BTreeMap<String, String>) {
    let Some(rest) = line.trim().strip_prefix("pub use ") else {
        return;
    };
    let module = rest.split("::").next().unwrap().to_string();
    let names = rest.trim_end_matches(';');
    let names = names.rsplit("::").next().unwrap();
    for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
        out.insert(name.trim().to_string(), module.clone());
    }
}

fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        reexports_line(line, &mut out);
    }
    // Macros exported at the root.
    out.insert("worker_test".into(), "workloads".into());
    out.insert("workload_set".into(), "workloads".into());
    out.insert("bail".into(), "error".into());
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file: without its unit tests and without comments.
fn code_of(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap();
    before_tests
        .lines()
        .map(|line| line.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every `crate::` path: `crate::report::x` gives
/// `report`, `crate::{Error, lock::lock}` gives `Error` and `lock`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(|item| first_segment(item.trim())));
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn first_segment(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// A circle in `graph`, if there is one, as the modules along it.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// Layers, lowest first: a module's layer is one above the highest it uses.
fn layers(graph: &Graph) -> Vec<Vec<String>> {
    let mut layer_of: BTreeMap<String, usize> = BTreeMap::new();
    fn layer(node: &str, graph: &Graph, memo: &mut BTreeMap<String, usize>) -> usize {
        if let Some(&l) = memo.get(node) {
            return l;
        }
        let l = graph
            .get(node)
            .into_iter()
            .flatten()
            .map(|n| layer(n, graph, memo) + 1)
            .max()
            .unwrap_or(0);
        memo.insert(node.to_string(), l);
        l
    }
    for node in graph.keys() {
        layer(node, graph, &mut layer_of);
    }
    let top = layer_of.values().copied().max().unwrap_or(0);
    (0..=top)
        .map(|l| {
            layer_of
                .iter()
                .filter(|&(_, &v)| v == l)
                .map(|(k, _)| k.clone())
                .collect()
        })
        .collect()
}

/// Each module folder's files (`mod.rs` aside) → the neighbours they use,
/// by `super::NAME` or by `crate::<the folder's path>::NAME`. Keys are
/// paths like `plot/curves`.
fn file_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    let mut graph = Graph::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let folder = rel.parent().unwrap().to_string_lossy().replace('\\', "/");
        let stem = rel.file_name().unwrap().to_string_lossy().to_string();
        if folder.is_empty() || stem == "mod" || folder == "cli" {
            continue;
        }
        let is_neighbour = |name: &str| {
            name != stem
                && (src.join(&folder).join(format!("{name}.rs")).is_file()
                    || src.join(&folder).join(name).join("mod.rs").is_file())
        };
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let crate_prefix = format!("crate::{}::", folder.replace('/', "::"));
        let mut names = paths_after(&code, "super::");
        names.extend(paths_after(&code, &crate_prefix));
        let uses = graph.entry(format!("{folder}/{stem}")).or_default();
        for name in names.into_iter().filter(|n| is_neighbour(n)) {
            uses.insert(format!("{folder}/{name}"));
        }
    }
    graph
}

/// The first segment of every path that starts with `prefix` (as
/// [`crate_paths`] does for `crate::`); `super::super::` is not a neighbour.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // part of a longer path (`super::super::x`, `a::crate::`)
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(|item| first_segment(item.trim())));
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty() && n != "super");
    names
}

#[test]
fn no_two_files_of_a_module_use_each_other() {
    let graph = file_graph();
    assert!(
        graph["strategy/process"].contains("strategy/child"),
        "the reader sees neighbours: {graph:?}"
    );
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle between files: {}", circle.join(" -> "));
    }
}

#[test]
fn the_library_has_no_import_circles() {
    let graph = library_graph();
    assert!(graph.len() > 15, "too few modules found: {graph:?}");
    assert!(
        graph["report"].contains("strategy"),
        "the reader sees uses: {graph:?}"
    );
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" -> "));
    }
    for (i, layer) in layers(&graph).iter().enumerate() {
        println!("layer {i}: {}", layer.join(", "));
    }
}

#[test]
fn the_strategies_and_what_they_stand_on_never_reach_up() {
    let graph = library_graph();
    // Everything strategy/ uses, directly or not.
    let mut below = BTreeSet::new();
    let mut todo = vec!["strategy".to_string()];
    while let Some(node) = todo.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if below.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    for above in [
        "sweep",
        "measure",
        "report",
        "labs",
        "launcher",
        "timed_run",
        "exit",
    ] {
        assert!(
            !below.contains(above),
            "strategy/ reaches {above}, a module that builds on it: {below:?}"
        );
    }
}

#[test]
fn the_reader_finds_circles_it_is_shown() {
    let mut graph = Graph::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    assert_eq!(find_circle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(find_circle(&graph), None);
    assert_eq!(layers(&graph), [vec!["c"], vec!["b"], vec!["a"]]);
    assert_eq!(
        crate_paths("use crate::{Error, lock::lock};\nlet x = crate::report::write(y);"),
        ["Error", "lock", "report"]
    );
    assert_eq!(
        paths_after(
            "use super::{legend, style};\nsuper::super::x();\nsuper::curves::y",
            "super::"
        ),
        ["legend", "style", "curves"]
    );
}
