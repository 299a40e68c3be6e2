//! The dependency rules of docs/ARCHITECTURE.md, checked on the source: a rule that is
//! not tested stops being true. Reads `use crate::…` trees and `crate::x::` / `x::y`
//! paths of every file (tests excluded).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Domain modules: the nodes of the dependency graph.
const DOMAINS: &[&str] = &[
    "inbox",
    "contacts",
    "channels",
    "payments",
    "webhooks",
    "jobs",
    "realtime",
    "auth",
    "users",
    "platform",
    "teams",
    "canned",
    "settings",
    "productivity",
    "search",
];

/// Plain types a domain may share without depending on its behaviour.
const LEAVES: &[&str] = &["model", "entity"];

/// Cycles still being untangled (docs/ARCHITECTURE.md, "Known debt"). The test fails
/// when one of these disappears, so the list only shrinks.
const KNOWN_CYCLES: &[(&str, &str)] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its test module and comments.
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("readable");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// `(module, next segment)` for every path this code takes into the crate's top-level
/// modules: `crate::inbox::store`, `use crate::{inbox::{store, views}}`, `inbox::views::x`.
fn references(code: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    let word = |i: usize| -> (String, usize) {
        let mut j = i;
        let mut w = String::new();
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == '_') {
            w.push(bytes[j]);
            j += 1;
        }
        (w, j)
    };
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if boundary && bytes[i].is_ascii_lowercase() {
            let (first, end) = word(i);
            let (module, end) = if first == "crate" && code[byte_index(&bytes, end)..].starts_with("::") {
                let (m, e) = word(end + 2);
                (m, e)
            } else {
                (first, end)
            };
            if code[byte_index(&bytes, end)..].starts_with("::") {
                let rest = end + 2;
                if bytes.get(rest) == Some(&'{') {
                    let close = (rest..bytes.len()).find(|&k| bytes[k] == '}').unwrap_or(bytes.len());
                    let inner: String = bytes[rest + 1..close].iter().collect();
                    for part in inner.split(',') {
                        let seg: String =
                            part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        out.insert((module.clone(), seg));
                    }
                } else {
                    let (seg, _) = word(rest);
                    out.insert((module.clone(), seg));
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    for tree in code.split("use crate::{").skip(1) {
        let mut depth = 1;
        let mut body = String::new();
        for c in tree.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            body.push(c);
        }
        let mut depth = 0;
        let mut item = String::new();
        let mut items = Vec::new();
        for c in body.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                _ => {}
            }
            if !(c == ',' && depth == 0) {
                item.push(c);
            }
        }
        items.push(item);
        for item in items {
            let item = item.trim();
            let module: String = item.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let rest = item[module.len()..].trim_start_matches("::");
            if rest.starts_with('{') {
                for part in rest.trim_matches(|c| c == '{' || c == '}').split(',') {
                    let seg: String =
                        part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    out.insert((module.clone(), seg));
                }
            } else {
                let seg: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                out.insert((module, seg));
            }
        }
    }
    out
}

fn byte_index(chars: &[char], i: usize) -> usize {
    chars[..i.min(chars.len())].iter().map(|c| c.len_utf8()).sum()
}

/// Top-level module of a source file (`inbox` for `src/inbox/store.rs`, `app` for `src/app.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

struct Source {
    path: PathBuf,
    module: String,
    refs: BTreeSet<(String, String)>,
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .into_iter()
        .filter(|p| !p.ends_with("architecture_tests.rs"))
        .map(|path| {
            let refs = references(&code_of(&path));
            Source { module: module_of(&path), path, refs }
        })
        .collect()
}

fn uses_module(source: &Source, module: &str) -> bool {
    source.refs.iter().any(|(m, _)| m == module)
}

/// Non-leaf edges between domains: `from -> to` with the files that make them.
fn domain_graph(sources: &[Source]) -> BTreeMap<(String, String), Vec<String>> {
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for s in sources.iter().filter(|s| DOMAINS.contains(&s.module.as_str())) {
        for (module, seg) in &s.refs {
            if DOMAINS.contains(&module.as_str()) && *module != s.module && !LEAVES.contains(&seg.as_str()) {
                edges
                    .entry((s.module.clone(), module.clone()))
                    .or_default()
                    .push(format!("{} ({module}::{seg})", s.path.display()));
            }
        }
    }
    edges
}

#[test]
fn no_domain_imports_the_top_level_wiring() {
    let offenders: Vec<String> = sources()
        .iter()
        .filter(|s| !["app", "main", "cli", "lib"].contains(&s.module.as_str()) && uses_module(s, "app"))
        .map(|s| s.path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "only app.rs, main.rs and cli.rs may use crate::app: {offenders:?}");
}

#[test]
fn shared_state_and_the_job_queue_import_no_domain() {
    for s in sources().iter().filter(|s| s.module == "state" || s.module == "jobs" || s.module == "security") {
        let domains: Vec<&(String, String)> =
            s.refs.iter().filter(|(m, _)| DOMAINS.contains(&m.as_str()) && *m != s.module).collect();
        assert!(domains.is_empty(), "{} imports domains: {domains:?}", s.path.display());
    }
}

#[test]
fn events_and_models_depend_only_on_plain_types() {
    for s in sources() {
        let is_type_module = s.path.ends_with("model.rs") || s.path.ends_with("entity.rs");
        if s.module != "events" && !is_type_module {
            continue;
        }
        let behaviour: Vec<&(String, String)> = s
            .refs
            .iter()
            .filter(|(m, seg)| DOMAINS.contains(&m.as_str()) && *m != s.module && !LEAVES.contains(&seg.as_str()))
            .collect();
        assert!(behaviour.is_empty(), "{} reaches into domain behaviour: {behaviour:?}", s.path.display());
        if is_type_module {
            assert!(!uses_module(&s, "events"), "{} (plain types) imports events", s.path.display());
        }
    }
}

#[test]
fn domains_form_no_import_cycle_beyond_the_known_ones() {
    let edges = domain_graph(&sources());
    let mut cycles = BTreeSet::new();
    for (from, to) in edges.keys() {
        if edges.contains_key(&(to.clone(), from.clone())) {
            let pair = if from < to { (from.clone(), to.clone()) } else { (to.clone(), from.clone()) };
            cycles.insert(pair);
        }
    }
    // Longer cycles: a path back to the start through other domains.
    let nodes: BTreeSet<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    for start in &nodes {
        let mut stack = vec![((*start).clone(), vec![(*start).clone()])];
        while let Some((node, path)) = stack.pop() {
            for ((a, b), _) in edges.iter().filter(|((a, _), _)| *a == node) {
                let _ = a;
                if b == *start && path.len() > 2 {
                    let mut sorted = path.clone();
                    sorted.sort();
                    cycles.insert((sorted.join(" -> "), String::from("(longer cycle)")));
                } else if !path.contains(b) && path.len() < 6 {
                    let mut next = path.clone();
                    next.push(b.clone());
                    stack.push((b.clone(), next));
                }
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN_CYCLES.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    let new: Vec<_> = cycles.difference(&known).collect();
    let detail: Vec<String> = new
        .iter()
        .flat_map(|(a, b)| {
            edges.get(&(a.clone(), b.clone())).into_iter().chain(edges.get(&(b.clone(), a.clone()))).flatten().cloned()
        })
        .collect();
    assert!(new.is_empty(), "import cycles between domains: {new:?}\n{detail:#?}");
    let gone: Vec<_> = known.difference(&cycles).collect();
    assert!(gone.is_empty(), "fixed, remove from KNOWN_CYCLES: {gone:?}");
}

/// Remote work (issue 10) measures people, not conversations: it may use events,
/// tenancy, settings, db and auth (and the users/teams tables' plain entities), never
/// inbox, contacts, channels, payments or webhooks, not even their types.
#[test]
fn productivity_depends_only_on_its_allowed_modules() {
    const FORBIDDEN: &[&str] = &["inbox", "contacts", "channels", "payments", "webhooks", "realtime", "jobs"];
    const ALLOWED_BEHAVIOUR: &[&str] = &["auth", "settings"];
    for s in sources().iter().filter(|s| s.module == "productivity") {
        let forbidden: Vec<_> = s.refs.iter().filter(|(m, _)| FORBIDDEN.contains(&m.as_str())).collect();
        assert!(forbidden.is_empty(), "{} uses {forbidden:?}", s.path.display());
        let behaviour: Vec<_> = s
            .refs
            .iter()
            .filter(|(m, seg)| {
                DOMAINS.contains(&m.as_str())
                    && m != "productivity"
                    && !ALLOWED_BEHAVIOUR.contains(&m.as_str())
                    && !LEAVES.contains(&seg.as_str())
            })
            .collect();
        assert!(behaviour.is_empty(), "{} reaches into {behaviour:?}", s.path.display());
    }
}

/// Reports read the productivity tables (facts, productivity events, work sessions),
/// never the inbox's: no productivity file names the `messages` table or selects from
/// `conversations`, and the inbox records events instead of calling productivity's projector.
#[test]
fn reports_never_scan_messages_and_the_inbox_never_calls_the_projector() {
    for s in sources().iter().filter(|s| s.module == "productivity") {
        let code = code_of(&s.path);
        for table in ["\"messages\"", "FROM messages", "JOIN messages", "FROM conversations", "JOIN conversations"] {
            assert!(!code.contains(table), "{} reads the inbox table {table}", s.path.display());
        }
    }
    for s in sources().iter().filter(|s| s.module == "inbox") {
        let touches: Vec<_> = s
            .refs
            .iter()
            .filter(|(m, seg)| {
                m == "productivity" && matches!(seg.as_str(), "projector" | "facts" | "facts_store" | "metrics")
            })
            .collect();
        assert!(touches.is_empty(), "{} calls the metrics projection: {touches:?}", s.path.display());
    }
}

#[test]
fn the_providers_crate_knows_nothing_of_the_server() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../providers");
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("providers manifest");
    assert!(!manifest.contains("atende"), "providers must not depend on the server crate");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in files {
        assert!(!fs::read_to_string(&file).expect("readable").contains("atende::"), "{} uses atende", file.display());
    }
}

/// Words that name a provider (in code, not comments).
const PROVIDER_NAMES: &[&str] = &["twilio", "zapi", "meta", "messenger", "instagram", "facebook", "asaas"];

/// Files of `webhooks/` allowed to name providers: the route table (URLs and answers).
const WEBHOOK_ROUTE_TABLE: &[&str] = &["routes.rs", "mod.rs"];

fn provider_names_in(code: &str) -> BTreeSet<String> {
    code.split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|token| {
            // `WhatsappZapi`, `is_meta`: split camel case too.
            let mut words = vec![token.to_lowercase()];
            let mut word = String::new();
            for c in token.chars() {
                if c.is_ascii_uppercase() && !word.is_empty() {
                    words.push(std::mem::take(&mut word).to_lowercase());
                }
                word.push(c);
            }
            words.push(word.to_lowercase());
            words
        })
        .filter(|w| PROVIDER_NAMES.contains(&w.as_str()))
        .collect()
}

#[test]
fn webhook_intake_names_no_provider_outside_its_route_table() {
    for s in sources().iter().filter(|s| s.module == "webhooks") {
        let file = s.path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
        if WEBHOOK_ROUTE_TABLE.contains(&file) {
            continue;
        }
        let names = provider_names_in(&code_of(&s.path));
        assert!(
            names.is_empty(),
            "{} names providers {names:?}: provider knowledge belongs in channels/adapters/<provider>.rs",
            s.path.display()
        );
    }
}

#[test]
fn the_provider_name_scanner_sees_identifiers() {
    assert!(provider_names_in("ChannelType::WhatsappZapi").contains("zapi"));
    assert!(provider_names_in("x.is_meta()").contains("meta"));
    assert!(provider_names_in("let metadata = twilio_x;").contains("twilio"));
    assert!(!provider_names_in("let metadata = 1;").contains("meta"));
}

#[test]
fn the_reference_scanner_sees_nested_use_trees() {
    let refs = references(
        "use crate::{\n    inbox::{self, store},\n    users::entity as user,\n};\nfn f() { contacts::lead::capture(); crate::jobs::store::x(); }",
    );
    for expected in
        [("inbox", "self"), ("inbox", "store"), ("users", "entity"), ("contacts", "lead"), ("jobs", "store")]
    {
        assert!(refs.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} in {refs:?}");
    }
}
