//! `If-Match` as RFC 9110 (§13.1.1) reads it, for records whose entity tag is
//! their version (`"5"`): `*` matches any current version; otherwise a list of
//! entity tags compared strongly, so a weak tag (`W/"5"`) never matches.

/// Whether `header` lets a change to `version` go ahead; `Err` when it is not
/// an `If-Match` value at all.
pub fn if_match_allows(header: &str, version: u64) -> Result<bool, String> {
    let header = header.trim();
    if header == "*" {
        return Ok(true);
    }
    let current = version.to_string();
    let mut allowed = false;
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let weak = rest.starts_with("W/");
        let tag = if weak { &rest[2..] } else { rest };
        let opaque = tag
            .strip_prefix('"')
            .and_then(|t| t.split_once('"'))
            .filter(|(inside, _)| inside.bytes().all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80));
        let Some((inside, after)) = opaque else {
            return Err("Send the version you last saw as an entity tag, like \"5\"".into());
        };
        allowed |= !weak && inside == current;
        rest = after.trim_start_matches([' ', '\t']);
        match rest.strip_prefix(',') {
            Some(more) => rest = more,
            None if rest.is_empty() => return Ok(allowed),
            None => return Err("Send the version you last saw as an entity tag, like \"5\"".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strong_tag_of_the_current_version_matches_and_star_matches_any() {
        assert_eq!(if_match_allows("\"5\"", 5), Ok(true));
        assert_eq!(if_match_allows(" \"4\", \"5\" ", 5), Ok(true), "any tag of a list");
        assert_eq!(if_match_allows("*", 5), Ok(true));
        assert_eq!(if_match_allows("\"4\"", 5), Ok(false));
    }

    #[test]
    fn a_weak_tag_never_matches_and_a_value_that_is_no_tag_is_refused() {
        assert_eq!(if_match_allows("W/\"5\"", 5), Ok(false), "If-Match compares strongly");
        for junk in ["5", "\"5", "\"5\" \"6\"", "", "W/5", "\"5\",", "\"a\"b\""] {
            assert!(if_match_allows(junk, 5).is_err(), "{junk:?}");
        }
    }
}
