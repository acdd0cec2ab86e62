//! Landlords' own codes (action diary, court outcomes, transaction types) mapped onto the
//! product's canonical kinds. The canonical name itself always works; a code with no mapping is
//! kept as `Other` (with the code stored beside it), never dropped.

use super::actions::ActionKind;
use super::ledger::EntryKind;
use super::recovery::CourtOutcome;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeMaps {
    /// Action-diary code → action kind, e.g. `IC1 = "letter_1"`.
    #[serde(default)]
    pub actions: BTreeMap<String, Canonical<ActionKind>>,
    /// Court outcome code → outcome, e.g. `ADT = "adjourned_on_terms"`.
    #[serde(default)]
    pub court_outcomes: BTreeMap<String, Canonical<CourtOutcome>>,
    /// Transaction type code → ledger entry kind, e.g. `RNT = "charge"`.
    #[serde(default)]
    pub transactions: BTreeMap<String, Canonical<EntryKind>>,
    /// Transaction type code → the kind a *negative* amount of it is, for a housing system that
    /// writes, say, a returned Direct Debit as a negative payment: `PAY = "adjustment"`. Without
    /// an entry such a line is refused: a payment is money received, always positive.
    #[serde(default)]
    pub negative_transactions: BTreeMap<String, Canonical<EntryKind>>,
}

/// A canonical kind named in the config file; an unknown name is an error there, not `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Canonical<T>(pub T);

macro_rules! canonical_from_text {
    ($($t:ty),+) => {$(
        impl<'de> Deserialize<'de> for Canonical<$t> {
            fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                let name = String::deserialize(de)?;
                <$t>::parse(&name).map(Canonical).ok_or_else(|| {
                    let known: Vec<&str> = <$t>::ALL.iter().map(|k| k.as_str()).collect();
                    serde::de::Error::custom(format!("`{name}` is not one of {}", known.join(", ")))
                })
            }
        }
    )+};
}
canonical_from_text!(ActionKind, CourtOutcome, EntryKind);

impl CodeMaps {
    /// The action kind of a landlord's code (or a canonical name); `Other` when unmapped.
    pub fn action(&self, code: &str) -> ActionKind {
        lookup(&self.actions, code, ActionKind::parse).unwrap_or(ActionKind::Other)
    }

    /// The outcome of a landlord's court outcome code (or a canonical name); `Other` when unmapped.
    pub fn court_outcome(&self, code: &str) -> CourtOutcome {
        lookup(&self.court_outcomes, code, CourtOutcome::parse).unwrap_or(CourtOutcome::Other)
    }

    /// The entry kind of a transaction type; `None` when unknown, because money of an unknown
    /// kind cannot be put on the ledger.
    pub fn transaction(&self, code: &str) -> Option<EntryKind> {
        lookup(&self.transactions, code, EntryKind::parse)
    }

    /// The kind the config makes a negative amount of a transaction type, if it says.
    pub fn negative_transaction(&self, code: &str) -> Option<EntryKind> {
        self.negative_transactions.get(code.trim()).map(|c| c.0)
    }

    /// The landlord's code for an action kind, for recording an action the way their system would.
    pub fn code_for_action(&self, kind: ActionKind) -> Option<&str> {
        self.actions
            .iter()
            .find(|(_, k)| k.0 == kind)
            .map(|(code, _)| code.as_str())
    }
}

fn lookup<T: Copy>(
    map: &BTreeMap<String, Canonical<T>>,
    code: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let code = code.trim();
    map.get(code).map(|c| c.0).or_else(|| parse(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_canonical_names_pass_and_unknown_is_other() {
        let maps: CodeMaps = toml::from_str(
            "[actions]\nIC1 = \"letter_1\"\n[court_outcomes]\nADT = \"adjourned_on_terms\"\n[transactions]\nRNT = \"charge\"",
        )
        .unwrap();
        assert_eq!(maps.action("IC1"), ActionKind::Letter1);
        assert_eq!(maps.action("letter_2"), ActionKind::Letter2);
        assert_eq!(maps.action("XYZ"), ActionKind::Other);
        assert_eq!(maps.court_outcome(" ADT "), CourtOutcome::AdjournedOnTerms);
        assert_eq!(maps.court_outcome("QQQ"), CourtOutcome::Other);
        assert_eq!(maps.transaction("RNT"), Some(EntryKind::Charge));
        assert_eq!(maps.transaction("payment"), Some(EntryKind::Payment));
        assert_eq!(maps.transaction("??"), None);
        assert_eq!(maps.code_for_action(ActionKind::Letter1), Some("IC1"));
        assert!(toml::from_str::<CodeMaps>("[actions]\nIC1 = \"letter_one\"").is_err());
    }
}
