//! The letters (and the text message) caseload produces: which step each one is, which template
//! it is made from, and what must be true before one goes to a tenant. A letter that asks for
//! payment is a *demand*: none is sent during a breathing space (the creditor may not demand the
//! debts it covers). Any letter to a tenant flagged vulnerable is checked by a person first, who
//! says why it is right to send it.

use super::actions::ActionKind;
use super::dates::uk;
use super::ledger::text_enum;
use super::policy::Recommendation;
use super::tenancy::Flags;
use chrono::NaiveDate;

text_enum! {
    /// Each is made from the template named after it (`letter_1.html`, `sms_reminder.txt`).
    LetterKind {
        Letter1 = "letter_1" / "Letter 1",
        Letter2 = "letter_2" / "Letter 2",
        CourtWarning = "court_warning_letter" / "Court warning letter",
        InformalBreach = "informal_breach_letter" / "Plan breach letter",
        CourtBreach = "court_breach_letter" / "Court breach letter",
        NoticeCover = "notice_cover_letter" / "Notice cover letter",
        PlanAgreed = "plan_agreed" / "Plan agreed letter",
        PromiseConfirmed = "promise_confirmed" / "Promise to pay letter",
        StatementCover = "statement_cover_letter" / "Rent statement letter",
        FormerTenant = "former_tenant_arrears" / "Former tenant arrears letter",
        Sms = "sms_reminder" / "Arrears reminder text",
    }
}

impl LetterKind {
    /// The step it records in the case history.
    pub fn action(self) -> ActionKind {
        match self {
            LetterKind::Letter1 => ActionKind::Letter1,
            LetterKind::Letter2 => ActionKind::Letter2,
            LetterKind::CourtWarning => ActionKind::CourtWarningLetter,
            LetterKind::InformalBreach => ActionKind::InformalBreachLetter,
            LetterKind::CourtBreach => ActionKind::CourtBreachLetter,
            LetterKind::NoticeCover => ActionKind::NoticeCoverLetter,
            LetterKind::PlanAgreed => ActionKind::PlanLetter,
            LetterKind::PromiseConfirmed => ActionKind::PromiseLetter,
            LetterKind::StatementCover => ActionKind::StatementSent,
            LetterKind::FormerTenant => ActionKind::FormerTenantLetter,
            LetterKind::Sms => ActionKind::Sms,
        }
    }

    /// The letter a recommended step sends, if it sends one.
    pub fn for_recommendation(r: Recommendation) -> Option<LetterKind> {
        Some(match r {
            Recommendation::SendSms => LetterKind::Sms,
            Recommendation::SendLetter1 => LetterKind::Letter1,
            Recommendation::SendLetter2 => LetterKind::Letter2,
            Recommendation::SendCourtWarningLetter => LetterKind::CourtWarning,
            Recommendation::SendInformalBreachLetter => LetterKind::InformalBreach,
            Recommendation::AddressCourtPlanBreach => LetterKind::CourtBreach,
            _ => return None,
        })
    }

    /// The letter that records `action` (a letter sent again after one failed).
    pub fn for_action(action: ActionKind) -> Option<LetterKind> {
        LetterKind::ALL
            .iter()
            .copied()
            .find(|k| k.action() == action)
    }

    /// A text message rather than a printed letter.
    pub fn is_sms(self) -> bool {
        self == LetterKind::Sms
    }

    /// Its template's file name.
    pub fn template(self) -> String {
        let ext = if self.is_sms() { "txt" } else { "html" };
        format!("{}.{ext}", self.as_str())
    }

    /// Whether it asks for payment of the arrears (or serves a step towards possession), which a
    /// breathing space forbids. A plan or promise confirmed and a rent statement only inform.
    pub fn is_demand(self) -> bool {
        !matches!(
            self,
            LetterKind::PlanAgreed | LetterKind::PromiseConfirmed | LetterKind::StatementCover
        )
    }

    /// The rent statement goes with every letter but a text message.
    pub fn encloses_statement(self) -> bool {
        !self.is_sms()
    }
}

/// A letter (or text) produced: a file for each addressee (or a row of the day's `sms.csv`) and
/// its content hash, and a person's reason when they checked it first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub letter: LetterKind,
    pub files: Vec<SentFile>,
    /// Why a person who checked a letter to a vulnerable tenant decided to send it.
    pub checked: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentFile {
    /// The addressee's position on the tenancy (`None`: a joint letter to them all).
    pub tenant: Option<u32>,
    /// As addressed: "Mrs Ada Smith", or for a text the name and phone.
    pub recipient: String,
    /// Where it was written, relative to the database's folder.
    pub file: String,
    /// SHA-256 of the file (of the message, for a text), in hex.
    pub sha256: String,
    /// The letter's plain-text copy written beside it, and its hash.
    pub copy: Option<(String, String)>,
}

impl Sent {
    /// Its line in the case history: who each went to, the file and the start of its hash.
    pub fn line(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|f| {
                format!(
                    "{}: {} (sha256 {})",
                    f.recipient,
                    f.file,
                    f.sha256.get(..12).unwrap_or(&f.sha256)
                )
            })
            .collect();
        let checked = self.checked.as_deref().map_or(String::new(), |why| {
            format!("; checked by a person first: {why}")
        });
        format!("Produced for {}{checked}", files.join("; "))
    }

    /// What the status line says once it is recorded.
    pub fn done(&self) -> String {
        let n = self.files.len();
        let (one, many) = if self.letter.is_sms() {
            ("text", "texts")
        } else {
            ("letter", "letters")
        };
        let folder = self
            .files
            .first()
            .and_then(|f| f.file.rsplit_once('/'))
            .map_or("", |(dir, _)| dir);
        format!(
            "{} produced and recorded: {n} {} in {folder}.",
            self.letter.label(),
            if n == 1 { one } else { many }
        )
    }
}

/// What must be said before a letter goes: a demand during a breathing space is refused; a
/// letter to a tenant flagged vulnerable needs a person's check, with their reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Protection {
    /// Why it cannot be sent at all.
    pub refused: Option<String>,
    /// Why a person must check it first.
    pub check: Option<String>,
}

impl Protection {
    pub fn of(kind: LetterKind, flags: &Flags, today: NaiveDate) -> Protection {
        let refused = flags
            .in_breathing_space(today)
            .filter(|_| kind.is_demand())
            .map(|until| {
                format!(
                    "The tenancy is in a breathing space until {}: no {} may be sent, since it \
                     demands the arrears the breathing space covers.",
                    uk(until),
                    super::mid_sentence(kind.label())
                )
            });
        let check = flags.vulnerable.then(|| {
            let why = flags
                .vulnerability
                .as_deref()
                .filter(|w| !w.trim().is_empty())
                .unwrap_or("no reason recorded");
            format!(
                "The tenant is flagged VULNERABLE ({why}): a person checks the letter first and \
                 says why it is right to send it."
            )
        });
        Protection { refused, check }
    }

    /// Nothing stands in the way: it can be produced without a person's word.
    pub fn is_clear(&self) -> bool {
        self.refused.is_none() && self.check.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn every_letter_step_has_its_letter_and_back() {
        for kind in LetterKind::ALL {
            assert_eq!(LetterKind::for_action(kind.action()), Some(*kind));
        }
        assert_eq!(
            LetterKind::for_recommendation(Recommendation::SendLetter1),
            Some(LetterKind::Letter1)
        );
        assert_eq!(
            LetterKind::for_recommendation(Recommendation::ServeNotice),
            None
        );
        assert_eq!(LetterKind::Letter1.template(), "letter_1.html");
        assert_eq!(LetterKind::Sms.template(), "sms_reminder.txt");
        let letters: Vec<ActionKind> = LetterKind::ALL.iter().map(|k| k.action()).collect();
        assert_eq!(letters, ActionKind::LETTERS);
    }

    #[test]
    fn a_demand_in_a_breathing_space_is_refused_and_a_statement_is_not() {
        let flags = Flags {
            breathing_space_until: Some(day(30)),
            ..Flags::default()
        };
        let refused = Protection::of(LetterKind::Letter2, &flags, day(23));
        assert!(
            refused.refused.as_deref().is_some_and(|r| r
                .contains("breathing space until 30/11/2026")
                && r.contains("letter 2")),
            "{refused:?}"
        );
        assert!(
            Protection::of(LetterKind::Sms, &flags, day(23))
                .refused
                .is_some()
        );
        assert!(Protection::of(LetterKind::StatementCover, &flags, day(23)).is_clear());
        // The breathing space has ended by 1 December.
        let after = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(Protection::of(LetterKind::Letter2, &flags, after).is_clear());
    }

    #[test]
    fn a_vulnerable_tenant_needs_a_check_with_the_reason_shown() {
        let flags = Flags {
            vulnerable: true,
            vulnerability: Some("recent bereavement".into()),
            ..Flags::default()
        };
        let p = Protection::of(LetterKind::PlanAgreed, &flags, day(23));
        assert!(p.refused.is_none());
        assert!(p.check.unwrap().contains("VULNERABLE (recent bereavement)"));
    }
}
