//! An income coordinator moves a patch, or some accounts, to another officer: which accounts move,
//! from whom, and how that is said before and after (the command line and the workstation say it
//! the same way).

/// A tenancy as it is held now: by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub tenancy_id: i64,
    pub reference: String,
    pub officer: String,
}

/// What a reassignment will do: the accounts that move to `to`, and how many are `to`'s already
/// (left as they are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reassignment {
    pub to: String,
    pub moves: Vec<Holding>,
    pub already: usize,
}

impl Reassignment {
    /// Moves every one of `held` that is not `to`'s already.
    pub fn new(held: Vec<Holding>, to: &str) -> Reassignment {
        let total = held.len();
        let moves: Vec<Holding> = held.into_iter().filter(|h| h.officer != to).collect();
        Reassignment {
            to: to.to_string(),
            already: total - moves.len(),
            moves,
        }
    }

    pub fn tenancy_ids(&self) -> Vec<i64> {
        self.moves.iter().map(|h| h.tenancy_id).collect()
    }

    /// Whom the accounts move from, the officer with most first, and how many of each.
    pub fn from(&self) -> Vec<(&str, usize)> {
        let mut from: Vec<(&str, usize)> = Vec::new();
        for h in &self.moves {
            match from.iter_mut().find(|(o, _)| *o == h.officer) {
                Some((_, n)) => *n += 1,
                None => from.push((&h.officer, 1)),
            }
        }
        from.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        from
    }

    /// "3 accounts from alice (2) and bob (1) to carol"; an account with no officer is "no one"'s.
    pub fn summary(&self) -> String {
        let from = self.from();
        let named = |o: &str| {
            if o.is_empty() {
                "no one".to_string()
            } else {
                o.to_string()
            }
        };
        let whom = match from.as_slice() {
            [(one, _)] => named(one),
            many => {
                let parts: Vec<String> = many
                    .iter()
                    .map(|(o, n)| format!("{} ({n})", named(o)))
                    .collect();
                match parts.split_last() {
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                }
            }
        };
        format!("{} from {whom} to {}", accounts(self.moves.len()), self.to)
    }

    /// What is left as it is: "2 accounts are carol's already", or nothing.
    pub fn left(&self) -> Option<String> {
        (self.already > 0).then(|| {
            let are = if self.already == 1 { "is" } else { "are" };
            format!("{} {are} {}'s already", accounts(self.already), self.to)
        })
    }
}

/// "1 account", "37 accounts".
pub fn accounts(n: usize) -> String {
    if n == 1 {
        "1 account".into()
    } else {
        format!("{n} accounts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(officers: &[&str]) -> Vec<Holding> {
        officers
            .iter()
            .enumerate()
            .map(|(i, o)| Holding {
                tenancy_id: i as i64 + 1,
                reference: format!("R{i}"),
                officer: (*o).to_string(),
            })
            .collect()
    }

    #[test]
    fn the_accounts_move_from_each_officer_and_those_already_theirs_stay() {
        let r = Reassignment::new(held(&["bob", "alice", "carol", "alice", ""]), "carol");
        assert_eq!(r.tenancy_ids(), [1, 2, 4, 5]);
        assert_eq!(r.from(), [("alice", 2), ("", 1), ("bob", 1)]);
        assert_eq!(
            r.summary(),
            "4 accounts from alice (2), no one (1) and bob (1) to carol"
        );
        assert_eq!(r.left().as_deref(), Some("1 account is carol's already"));
        let one = Reassignment::new(held(&["alice"]), "bob");
        assert_eq!(one.summary(), "1 account from alice to bob");
        assert_eq!(one.left(), None);
    }
}
