//! SQL errors for people: the message, the line of the query with a caret under the place it
//! names, and DataFusion's notes and help. Never a stack trace.

use datafusion::error::DataFusionError;
use datafusion::sql::sqlparser::parser::ParserError;

/// A line and column, both 1-based, and how many columns to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct At {
    line: usize,
    column: usize,
    width: usize,
}

/// The parser's own position suffix, ` at Line: 1, Column: 8`, cut from its message.
fn parser_position(message: &str) -> (String, Option<At>) {
    let Some(i) = message.rfind(" at Line: ") else { return (message.to_string(), None) };
    let rest = &message[i + " at Line: ".len()..];
    let mut parts = rest.splitn(2, ", Column: ");
    let line = parts.next().and_then(|l| l.trim().parse().ok());
    let column = parts.next().and_then(|c| c.trim().parse().ok());
    match (line, column) {
        (Some(line), Some(column)) => (message[..i].to_string(), Some(At { line, column, width: 1 })),
        _ => (message.to_string(), None),
    }
}

fn span_at(span: &datafusion::common::Span) -> Option<At> {
    let (line, column) = (span.start.line as usize, span.start.column as usize);
    if line == 0 || column == 0 {
        return None;
    }
    let width = if span.end.line == span.start.line && span.end.column > span.start.column {
        (span.end.column - span.start.column) as usize
    } else {
        1
    };
    Some(At { line, column, width })
}

/// Drops DataFusion's category prefixes (`Error during planning: `, `SQL error: `) that say
/// nothing to someone reading their query.
fn plain(message: &str) -> String {
    let mut m = message.trim();
    for prefix in ["Error during planning: ", "Schema error: ", "Execution error: ", "SQL error: ", "Arrow error: "] {
        if let Some(rest) = m.strip_prefix(prefix) {
            m = rest;
        }
    }
    m.to_string()
}

/// The error as lines for standard error.
pub fn render(error: &DataFusionError, sql: &str) -> String {
    let mut notes: Vec<String> = Vec::new();
    let (message, at) = if let Some(diagnostic) = error.diagnostic() {
        for n in &diagnostic.notes {
            notes.push(format!("note: {}", n.message));
        }
        for h in &diagnostic.helps {
            notes.push(format!("help: {}", h.message));
        }
        (diagnostic.message.clone(), diagnostic.span.as_ref().and_then(span_at))
    } else {
        match error.find_root() {
            DataFusionError::SQL(e, _) => match e.as_ref() {
                ParserError::ParserError(m) | ParserError::TokenizerError(m) => match parser_position(m) {
                    // The parser gives no position when the query ends too soon: point after its end.
                    (m, None) if m.ends_with("found: EOF") => (m, end_of(sql)),
                    found => found,
                },
                ParserError::RecursionLimitExceeded => ("the query nests too deeply".to_string(), None),
            },
            root => {
                // Not every planning error has a span yet; a name in backticks or quotes that
                // occurs once in the query is located by search.
                let message = plain(&root.strip_backtrace());
                let at = quoted_name(&message).and_then(|name| locate(sql, &name));
                (message, at)
            }
        }
    };
    let mut out = format!("error: {}\n", plain(&message));
    if let Some(at) = at
        && let Some(text) = sql.lines().nth(at.line - 1)
    {
        let gutter = at.line.to_string().len();
        let lead: String = text.chars().take(at.column.saturating_sub(1)).collect();
        let lead_width = unicode_width::UnicodeWidthStr::width(lead.as_str());
        out.push_str(&format!("{:gutter$}--> query line {}, column {}\n", "", at.line, at.column));
        out.push_str(&format!("{:gutter$} |\n", ""));
        out.push_str(&format!("{} | {}\n", at.line, text));
        out.push_str(&format!("{:gutter$} | {}{}\n", "", " ".repeat(lead_width), "^".repeat(at.width.max(1))));
    }
    for n in notes {
        out.push_str(&format!("  = {n}\n"));
    }
    out
}

/// Just after the last character of the query.
fn end_of(sql: &str) -> Option<At> {
    let sql = sql.trim_end();
    let line = sql.lines().count().max(1);
    let column = sql.lines().last().map_or(0, |l| l.chars().count()) + 1;
    Some(At { line, column, width: 1 })
}

/// The first name in the message written as `'x'`, `"x"` or `` `x` `` (a column or table).
fn quoted_name(message: &str) -> Option<String> {
    for q in ['\'', '"', '`'] {
        let mut parts = message.split(q);
        parts.next()?;
        if let Some(name) = parts.next() {
            let name = name.rsplit('.').next().unwrap_or(name);
            if !name.is_empty() && name.len() < 128 {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The one place `name` occurs in `sql` as a word, if it occurs exactly once.
fn locate(sql: &str, name: &str) -> Option<At> {
    let lower = sql.to_lowercase();
    let needle = name.to_lowercase();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let hits: Vec<usize> = lower
        .match_indices(&needle)
        .map(|(i, _)| i)
        .filter(|&i| !word(lower[..i].chars().next_back()) && !word(lower[i + needle.len()..].chars().next()))
        .collect();
    let [i] = hits[..] else { return None };
    let before = &sql[..i];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(At { line, column, width: name.chars().count() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_position_is_cut_from_the_message() {
        let (m, at) = parser_position("Expected: end of statement, found: x at Line: 2, Column: 8");
        assert_eq!(m, "Expected: end of statement, found: x");
        assert_eq!(at, Some(At { line: 2, column: 8, width: 1 }));
        assert_eq!(parser_position("no position").1, None);
    }

    #[test]
    fn a_name_is_located_only_when_it_occurs_once() {
        assert_eq!(locate("SELECT doc FROM shards", "doc"), Some(At { line: 1, column: 8, width: 3 }));
        assert_eq!(locate("SELECT doc, doc FROM shards", "doc"), None);
        assert_eq!(locate("SELECT doc_id FROM shards", "doc"), None);
        assert_eq!(locate("SELECT 1\nFROM 中文表", "中文表"), Some(At { line: 2, column: 6, width: 3 }));
    }
}
