//! The company as targets see it: company → regions → teams → people, read from the users
//! (a team sits in the region most of its people are in), and who may see and set whose
//! targets: a rep their own (and their team's leaderboard), a manager their team's and
//! region's, admins everyone's; setting is for admins, and managers for their own team.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::accounts::types::{Role, Team, User};

use super::types::Holder;

/// One person who can hold a target: reps and managers (service agents and admins sell
/// nothing), active or not — a leaver's past still counts for their team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub username: String,
    pub name: String,
    pub team: Option<String>,
    pub region: String,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub people: Vec<Person>,
    /// Team key → (name, region).
    pub teams: BTreeMap<String, (String, String)>,
    pub regions: BTreeSet<String>,
}

impl Org {
    pub fn build(users: &[User], teams: &[Team]) -> Org {
        let people: Vec<Person> = users
            .iter()
            .filter(|u| matches!(u.role, Role::Rep | Role::Manager))
            .map(|u| Person { username: u.username.clone(), name: u.display_name.clone(), team: u.team.clone(), region: u.region.clone(), active: u.active })
            .collect();
        // Regions: those of the teams, and of the people in none.
        let mut regions: BTreeSet<String> = people.iter().filter(|p| p.team.is_none()).map(|p| p.region.clone()).filter(|r| !r.is_empty()).collect();
        let mut team_map = BTreeMap::new();
        for team in teams {
            // The region most of its people are in (the first by name on a tie).
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for p in people.iter().filter(|p| p.team.as_deref() == Some(team.id.as_str()) && !p.region.is_empty()) {
                *count.entry(p.region.as_str()).or_default() += 1;
            }
            let region = count.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(r, _)| r.to_string()).unwrap_or_default();
            if !region.is_empty() {
                regions.insert(region.clone());
            }
            team_map.insert(team.id.clone(), (team.name.clone(), region));
        }
        Org { people, teams: team_map, regions }
    }

    pub fn person(&self, username: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.username == username)
    }

    /// Whose results add up to the holder's.
    pub fn members(&self, holder: &Holder) -> Vec<String> {
        let keep = |p: &&Person| match holder {
            Holder::Company => true,
            Holder::Region(r) => self.region_of_person(p) == r.as_str(),
            Holder::Team(t) => p.team.as_deref() == Some(t.as_str()),
            Holder::Person(u) => p.username == *u,
        };
        self.people.iter().filter(keep).map(|p| p.username.clone()).collect()
    }

    /// A person's region for targets: their team's, else their own.
    fn region_of_person<'a>(&'a self, p: &'a Person) -> &'a str {
        p.team.as_ref().and_then(|t| self.teams.get(t)).map(|(_, r)| r.as_str()).filter(|r| !r.is_empty()).unwrap_or(p.region.as_str())
    }

    /// The holders one level down: regions, a region's teams (and its people in no team), a
    /// team's people.
    pub fn children(&self, holder: &Holder) -> Vec<Holder> {
        match holder {
            Holder::Company => self.regions.iter().cloned().map(Holder::Region).collect(),
            Holder::Region(r) => {
                let mut out: Vec<Holder> = self.teams.iter().filter(|(_, (_, region))| region == r).map(|(id, _)| Holder::Team(id.clone())).collect();
                out.extend(self.people.iter().filter(|p| p.team.is_none() && p.region == *r).map(|p| Holder::Person(p.username.clone())));
                out
            }
            Holder::Team(t) => self.people.iter().filter(|p| p.team.as_deref() == Some(t.as_str())).map(|p| Holder::Person(p.username.clone())).collect(),
            Holder::Person(_) => Vec::new(),
        }
    }

    /// Every holder, parents before their children, with its depth (the company is 0).
    pub fn tree(&self) -> Vec<(Holder, usize)> {
        fn walk(org: &Org, holder: Holder, depth: usize, out: &mut Vec<(Holder, usize)>) {
            let children = org.children(&holder);
            out.push((holder, depth));
            for child in children {
                walk(org, child, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, Holder::Company, 0, &mut out);
        // People in neither a team nor a region still hold targets.
        let placed: BTreeSet<Holder> = out.iter().map(|(h, _)| h.clone()).collect();
        for p in &self.people {
            let h = Holder::Person(p.username.clone());
            if !placed.contains(&h) {
                out.push((h, 1));
            }
        }
        out
    }

    /// What people read: 公司, the region, the team's name, the person's name.
    pub fn name(&self, holder: &Holder) -> String {
        match holder {
            Holder::Company => String::new(),
            Holder::Region(r) => r.clone(),
            Holder::Team(t) => self.teams.get(t).map(|(name, _)| name.clone()).unwrap_or_else(|| t.clone()),
            Holder::Person(u) => self.person(u).map(|p| p.name.clone()).unwrap_or_else(|| u.clone()),
        }
    }

    /// The holders whose targets and progress `user` may see.
    pub fn visible(&self, user: &User) -> Vec<Holder> {
        self.tree().into_iter().map(|(h, _)| h).filter(|h| self.may_see(user, h)).collect()
    }

    pub fn may_see(&self, user: &User, holder: &Holder) -> bool {
        match user.role {
            Role::Admin => true,
            Role::Manager => match holder {
                Holder::Company => false,
                Holder::Region(r) => !user.region.is_empty() && *r == user.region,
                Holder::Team(t) => user.team.as_deref() == Some(t.as_str()),
                Holder::Person(u) => {
                    *u == user.username
                        || self.person(u).is_some_and(|p| (user.team.is_some() && p.team == user.team) || (!user.region.is_empty() && self.region_of_person(p) == user.region))
                }
            },
            Role::Rep => *holder == Holder::Person(user.username.clone()),
            Role::Service => false,
        }
    }

    /// Whether `user` may set the holder's targets.
    pub fn may_set(&self, user: &User, holder: &Holder) -> bool {
        match user.role {
            Role::Admin => true,
            Role::Manager => match holder {
                Holder::Team(t) => user.team.as_deref() == Some(t.as_str()),
                Holder::Person(u) => user.team.is_some() && self.person(u).is_some_and(|p| p.team == user.team),
                _ => false,
            },
            _ => false,
        }
    }

    /// The people on `user`'s leaderboard: everyone for admins, a manager's team and region,
    /// a rep's team (or just themselves without one).
    pub fn board_people(&self, user: &User) -> Vec<String> {
        match user.role {
            Role::Admin => self.people.iter().map(|p| p.username.clone()).collect(),
            Role::Manager => self.people.iter().filter(|p| self.may_see(user, &Holder::Person(p.username.clone()))).map(|p| p.username.clone()).collect(),
            Role::Rep => match &user.team {
                Some(team) => self.members(&Holder::Team(team.clone())),
                None => vec![user.username.clone()],
            },
            Role::Service => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, role: Role, team: Option<&str>, region: &str) -> User {
        User {
            username: name.into(),
            display_name: name.to_uppercase(),
            role,
            team: team.map(String::from),
            region: region.into(),
            active: true,
            max_customers: 10,
            must_change_password: false,
        }
    }

    fn org() -> (Org, Vec<User>) {
        let users = vec![
            user("boss", Role::Admin, None, ""),
            user("mgr_a", Role::Manager, Some("east"), "华东"),
            user("rep_a", Role::Rep, Some("east"), "华东"),
            user("rep_c", Role::Rep, Some("east"), "华北"),
            user("rep_b", Role::Rep, Some("south"), "华南"),
            user("solo", Role::Rep, None, "华东"),
            user("svc", Role::Service, Some("east"), ""),
        ];
        let teams = vec![Team { id: "east".into(), name: "东区".into() }, Team { id: "south".into(), name: "南区".into() }];
        (Org::build(&users, &teams), users)
    }

    #[test]
    fn the_tree_runs_from_company_to_people_with_teams_in_their_majority_region() {
        let (org, _) = org();
        assert_eq!(org.teams["east"].1, "华东", "two of three east people are in 华东");
        let tree: Vec<String> = org.tree().iter().map(|(h, d)| format!("{d}{}", h.key())).collect();
        assert_eq!(
            tree,
            ["0company", "1region:华东", "2team:east", "3person:mgr_a", "3person:rep_a", "3person:rep_c", "2person:solo", "1region:华南", "2team:south", "3person:rep_b"]
        );
        assert_eq!(org.members(&Holder::Region("华东".into())), ["mgr_a", "rep_a", "rep_c", "solo"], "rep_c counts with their team's region");
        assert!(org.person("svc").is_none() && org.person("boss").is_none(), "service agents and admins hold no sales targets");
        assert_eq!(org.name(&Holder::Team("east".into())), "东区");
    }

    #[test]
    fn reps_see_their_own_managers_their_team_and_region_admins_all() {
        let (org, users) = org();
        let [boss, mgr, rep_a, ..] = &users[..] else { unreachable!() };
        assert_eq!(org.visible(rep_a), [Holder::Person("rep_a".into())]);
        let seen: Vec<String> = org.visible(mgr).iter().map(Holder::key).collect();
        assert_eq!(seen, ["region:华东", "team:east", "person:mgr_a", "person:rep_a", "person:rep_c", "person:solo"]);
        assert_eq!(org.visible(boss).len(), org.tree().len());
        assert!(org.may_set(mgr, &Holder::Person("rep_c".into())) && org.may_set(mgr, &Holder::Team("east".into())));
        assert!(!org.may_set(mgr, &Holder::Region("华东".into())) && !org.may_set(mgr, &Holder::Person("solo".into())), "setting is for their own team");
        assert!(!org.may_set(rep_a, &Holder::Person("rep_a".into())));
        assert_eq!(org.board_people(rep_a), ["mgr_a", "rep_a", "rep_c"]);
    }
}
