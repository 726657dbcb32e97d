//! The layers of the crate hold by construction (docs/architecture.md): `transport` imports no
//! service and no C ABI, the common C ABI part (`ffi`) imports no service, a service never
//! imports another one, and no two files of the library import each other, directly or around a
//! cycle. The sources are read as text: every `crate::`, `super::` and `self::` path names the
//! file it comes from, and the names `lib.rs` re-exports count as the module they come from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of `src/` that are not services.
const TRANSPORT: &str = "transport";
const FFI: &str = "ffi";

/// A library file: its path under `src/` and the module path it is (`["transport", "retry"]`).
struct SourceFile {
    path: String,
    module: Vec<String>,
    text: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn source_files() -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let root = src_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under src").to_path_buf();
            let mut module: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            SourceFile {
                path: relative.to_string_lossy().into_owned(),
                module,
                text: std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            }
        })
        .collect()
}

/// The text without comments and string literals, which may mention paths they do not import.
fn code_of(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let after_ident = is_ident_char(previous);
        previous = c;
        match c {
            // A raw string, r"..." or r#"..."#, which may hold quotes.
            'r' if !after_ident && matches!(chars.peek(), Some('#' | '"')) => {
                let mut hashes = 0;
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                if chars.next_if_eq(&'"').is_none() {
                    code.push('r');
                    code.push_str(&"#".repeat(hashes));
                    continue;
                }
                let closing = format!("\"{}", "#".repeat(hashes));
                let mut literal = String::new();
                for c in chars.by_ref() {
                    literal.push(c);
                    if literal.ends_with(&closing) {
                        break;
                    }
                }
                code.push_str("\"\"");
                previous = '"';
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        code.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                code.push(' ');
            }
            '"' => {
                skip_quoted(&mut chars, '"');
                code.push_str("\"\"");
            }
            // A character literal such as '"' or '{'; a lifetime ('a) is left as it is.
            '\'' => {
                let mut ahead = chars.clone();
                let literal = matches!(
                    (ahead.next(), ahead.next()),
                    (Some('\\'), _) | (Some(_), Some('\''))
                );
                if literal {
                    skip_quoted(&mut chars, '\'');
                    code.push_str("' '");
                } else {
                    code.push(c);
                }
            }
            _ => code.push(c),
        }
    }
    code
}

/// Skips the rest of a string or character literal up to its closing `quote`, past escapes.
fn skip_quoted(chars: &mut impl Iterator<Item = char>, quote: char) {
    let mut escaped = false;
    for c in chars.by_ref() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            break;
        }
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path starting with `crate::`, `super::` or `self::` in `code`, as its segments (a
/// `{...}` group gives one path per member: `crate::{a::b, c}` is `crate::a::b` and `crate::c`).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut paths = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_path = ["crate::", "super::", "self::"].iter().find(|p| {
            let p: Vec<char> = p.chars().collect();
            bytes[i..].starts_with(&p) && (i == 0 || !is_ident_char(bytes[i - 1]))
        });
        match starts_path {
            Some(_) => {
                let (found, end) = parse_path(&bytes, i, Vec::new());
                paths.extend(found);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    paths
}

/// Parses the path at `chars[start..]` (segments separated by `::`, maybe ending in a group)
/// after the segments of `prefix`; returns the paths and where parsing stopped.
fn parse_path(chars: &[char], start: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut segments = prefix;
    let mut i = start;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '{' {
            let mut paths = Vec::new();
            i += 1;
            loop {
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                    i += 1;
                }
                if i >= chars.len() || chars[i] == '}' {
                    return (paths, i + 1);
                }
                let (found, end) = parse_path(chars, i, segments.clone());
                paths.extend(found);
                if end <= i {
                    return (paths, i + 1);
                }
                i = end;
                // Skip `as name` and anything else up to the member's end.
                while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                    i += 1;
                }
            }
        }
        let begin = i;
        while i < chars.len() && is_ident_char(chars[i]) {
            i += 1;
        }
        if i == begin {
            return (vec![segments], i);
        }
        segments.push(chars[begin..i].iter().collect());
        if chars[i..].starts_with(&[':', ':']) {
            i += 2;
        } else {
            return (vec![segments], i);
        }
    }
}

/// The names `lib.rs` re-exports (`pub use sendsecure::model::*` counts for every name of that
/// module, so a `*` maps the module itself), each with the module path it comes from.
fn root_reexports(lib: &SourceFile) -> BTreeMap<String, Vec<String>> {
    let code = code_of(&lib.text);
    let mut names = BTreeMap::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let chars: Vec<char> = rest.chars().collect();
        let (paths, _) = parse_path(&chars, 0, Vec::new());
        for path in paths {
            if let Some((name, module)) = path.split_last() {
                names.insert(name.clone(), module.to_vec());
            }
        }
        if rest.ends_with("::*") {
            let module: Vec<String> = rest
                .trim_end_matches("::*")
                .split("::")
                .map(str::to_owned)
                .collect();
            names.insert("*".to_owned() + &module.join("::"), module);
        }
    }
    names
}

/// The absolute module path `path` (as written in `file`) refers to.
fn resolve(
    file: &SourceFile,
    path: &[String],
    reexports: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut absolute: Vec<String> = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("self") | Some("super") => {
            absolute = file.module.clone();
            // In a file that is not a mod.rs, `self` is the file's module, `super` its parent.
            for segment in path {
                match segment.as_str() {
                    "self" => {}
                    "super" => {
                        absolute.pop();
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    if absolute.is_empty() {
        if let Some(first) = rest.first() {
            if let Some(module) = reexports.get(first) {
                let mut resolved = module.clone();
                resolved.extend(rest.iter().cloned());
                return resolved;
            }
        }
    }
    absolute.extend(rest.iter().cloned());
    absolute
}

/// The library file holding the module path `module` (its longest prefix that is a file).
fn file_of<'a>(files: &'a [SourceFile], module: &[String]) -> Option<&'a SourceFile> {
    (1..=module.len())
        .rev()
        .find_map(|n| files.iter().find(|f| f.module == module[..n]))
}

/// Each file's imports: the absolute module paths it names.
fn imports(files: &[SourceFile]) -> Vec<(usize, Vec<Vec<String>>)> {
    let lib = files
        .iter()
        .find(|f| f.path == "lib.rs")
        .expect("src/lib.rs");
    let reexports = root_reexports(lib);
    files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let named = paths_in(&code_of(&file.text))
                .into_iter()
                .map(|path| resolve(file, &path, &reexports))
                .filter(|path| !path.is_empty())
                .collect();
            (i, named)
        })
        .collect()
}

fn services(files: &[SourceFile]) -> BTreeSet<String> {
    files
        .iter()
        .filter(|f| f.module.len() > 1)
        .map(|f| f.module[0].clone())
        .filter(|top| top != TRANSPORT && top != FFI)
        .collect()
}

#[test]
fn the_crate_has_a_transport_a_common_ffi_and_the_sendsecure_service() {
    let files = source_files();
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.module.first().cloned())
        .collect();
    for needed in [TRANSPORT, FFI, "sendsecure"] {
        assert!(tops.contains(needed), "src/{needed} is missing: {tops:?}");
    }
    assert!(services(&files).contains("sendsecure"));
}

#[test]
fn layers_import_only_downwards() {
    let files = source_files();
    let services = services(&files);
    let mut violations = Vec::new();
    for (i, named) in imports(&files) {
        let file = &files[i];
        let Some(layer) = file.module.first() else {
            continue; // lib.rs: the root re-exports every layer
        };
        for path in &named {
            let target = &path[0];
            let forbidden = match layer.as_str() {
                TRANSPORT => target != TRANSPORT && (target == FFI || services.contains(target)),
                FFI => services.contains(target),
                service => target != service && services.contains(target),
            };
            if forbidden {
                violations.push(format!("src/{} imports {}", file.path, path.join("::")));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layers (transport <- ffi <- services, services apart):\n{}",
        violations.join("\n")
    );
}

#[test]
fn files_of_the_library_import_each_other_without_cycles() {
    let files = source_files();
    let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (i, named) in imports(&files) {
        for path in &named {
            if let Some(target) = file_of(&files, path) {
                let j = files
                    .iter()
                    .position(|f| std::ptr::eq(f, target))
                    .expect("a file of the list");
                // A module file naming its own submodules (mod.rs re-exports) is no import.
                let is_parent = target.module.len() > files[i].module.len()
                    && target.module.starts_with(&files[i].module);
                if j != i && !is_parent && !files[i].module.is_empty() {
                    edges.entry(i).or_default().insert(j);
                }
            }
        }
    }
    let cycles = find_cycles(files.len(), &edges);
    let described: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|&i| format!("src/{}", files[i].path))
                .collect::<Vec<_>>()
                .join(" -> ")
        })
        .collect();
    assert!(
        described.is_empty(),
        "import cycles between files:\n{}",
        described.join("\n")
    );
}

/// One cycle per strongly connected component of more than one file (Tarjan's algorithm),
/// listed in file order.
fn find_cycles(count: usize, edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<usize>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<usize, BTreeSet<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        components: Vec<Vec<usize>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            let targets: Vec<usize> = self
                .edges
                .get(&v)
                .map(|t| t.iter().copied().collect())
                .unwrap_or_default();
            for w in targets {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(index) if self.on_stack[w] => self.low[v] = self.low[v].min(index),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    self.components.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: vec![None; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        stack: Vec::new(),
        next: 0,
        components: Vec::new(),
    };
    for v in 0..count {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.components
}

#[test]
fn the_checks_see_the_imports_they_forbid() {
    // The parser finds grouped, nested and relative imports, and the cycle finder a cycle: a
    // check that saw nothing would pass for any source.
    let code = code_of(
        "use crate::{transport::{client::Client, error::Error as E}, ffi::input};\n\
         // use crate::sendsecure::model;\n\
         let s = \"crate::sendsecure\"; let r = r#\"crate::sendsecure\"\"#;\n\
         use super::super::x::{self, y};",
    );
    let paths: Vec<String> = paths_in(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        paths,
        [
            "crate::transport::client::Client",
            "crate::transport::error::Error",
            "crate::ffi::input",
            "super::super::x::self",
            "super::super::x::y",
        ]
    );
    let file = SourceFile {
        path: "sendsecure/ffi/people.rs".into(),
        module: vec!["sendsecure".into(), "ffi".into(), "people".into()],
        text: String::new(),
    };
    let resolved = resolve(&file, &["super".into(), "client".into()], &BTreeMap::new());
    assert_eq!(resolved, ["sendsecure", "ffi", "client"]);
    let edges = BTreeMap::from([
        (0, BTreeSet::from([1])),
        (1, BTreeSet::from([2])),
        (2, BTreeSet::from([0])),
        (3, BTreeSet::from([0])),
    ]);
    assert_eq!(find_cycles(4, &edges), [vec![0, 1, 2]]);
}
