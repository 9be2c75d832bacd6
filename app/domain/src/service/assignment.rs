//! Giving a ticket to a team instead of a person (派给团队): it goes to the team member with
//! the fewest open tickets (least busy), ties to the one first in name order so the choice is
//! the same on every server.

use std::collections::HashMap;

/// How the ticket form names a team as the assignee: `@<team id>`.
pub const TEAM_PREFIX: char = '@';

/// The team an assignee names, if it names one.
pub fn team_of(assignee: &str) -> Option<&str> {
    assignee.strip_prefix(TEAM_PREFIX).filter(|t| !t.is_empty())
}

/// The team as the form offers it.
pub fn team_choice(team: &str) -> String {
    format!("{TEAM_PREFIX}{team}")
}

/// The candidate with the fewest open tickets; none without candidates.
pub fn least_busy<'a>(candidates: &'a [String], open: &HashMap<String, u32>) -> Option<&'a String> {
    candidates.iter().min_by(|a, b| {
        let (x, y) = (open.get(*a).copied().unwrap_or(0), open.get(*b).copied().unwrap_or(0));
        x.cmp(&y).then_with(|| a.cmp(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_busy_member_gets_it_and_ties_go_by_name() {
        let team = vec!["wang".to_string(), "li".to_string(), "zhao".to_string()];
        let open = HashMap::from([("wang".to_string(), 3), ("li".to_string(), 1), ("zhao".to_string(), 1)]);
        assert_eq!(least_busy(&team, &open).map(String::as_str), Some("li"));
        // Someone with none open is least busy of all.
        let open = HashMap::from([("wang".to_string(), 3), ("li".to_string(), 1)]);
        assert_eq!(least_busy(&team, &open).map(String::as_str), Some("zhao"));
        assert_eq!(least_busy(&[], &open), None);
    }

    #[test]
    fn a_team_is_named_with_an_at_sign() {
        assert_eq!(team_of("@east"), Some("east"));
        assert_eq!(team_of("east"), None);
        assert_eq!(team_of("@"), None);
        assert_eq!(team_choice("east"), "@east");
    }
}
