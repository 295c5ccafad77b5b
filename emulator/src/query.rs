//! Query-string decoding.
//!
//! Both real servers decode the query as `application/x-www-form-urlencoded` (the Agent through
//! the `url` crate's `query_pairs`, the managed extension apparently through Go's `url.ParseQuery`),
//! so a raw `+` becomes a space and `%2B` becomes `+`. Clients that forget to encode `+` must see
//! the same surprise here as in Lambda.

use std::borrow::Cow;

use percent_encoding::percent_decode;

/// Splits a raw query string into decoded `(key, value)` pairs, in order, keeping duplicates.
///
/// A segment without `=` is a key with an empty value; empty segments (`a=1&&b=2`) are skipped,
/// as both `url` and Go do. Invalid UTF-8 after decoding is replaced lossily (like `url`).
pub fn parse_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.split_once('=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(segment), String::new()),
        })
        .collect()
}

/// Decodes one form-encoded component: `+` is a space, then `%XX` escapes are resolved.
pub fn decode_component(raw: &str) -> String {
    let spaced: Cow<'_, str> = if raw.contains('+') {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    };
    percent_decode(spaced.as_bytes())
        .decode_utf8_lossy()
        .into_owned()
}

/// The value of the first pair named `key`, if any (Go's `Values.Get` semantics).
pub fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_space_and_escapes_decode() {
        let pairs = parse_pairs("name=%2Fa%2Fb+c&x=%2B&y=%C3%A9t%C3%A9&flag&&z=");
        assert_eq!(
            pairs,
            vec![
                ("name".to_string(), "/a/b c".to_string()),
                ("x".to_string(), "+".to_string()),
                ("y".to_string(), "été".to_string()),
                ("flag".to_string(), String::new()),
                ("z".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn first_wins() {
        let pairs = parse_pairs("version=1&label=x&version=2");
        assert_eq!(first(&pairs, "version"), Some("1"));
        assert_eq!(first(&pairs, "label"), Some("x"));
        assert_eq!(first(&pairs, "nope"), None);
    }

    #[test]
    fn raw_slashes_and_colons_survive() {
        let pairs = parse_pairs("name=/a/b:c");
        assert_eq!(first(&pairs, "name"), Some("/a/b:c"));
    }

    #[test]
    fn bad_escape_is_kept_literally() {
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz"), "%zz");
    }
}
