//! A workstation kept live: what it does when a change too large to name is announced (an
//! import), on either engine.

mod common;

use caseload::app::action::Action;
use caseload::app::queue::Tab;
use caseload::domain::Money;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::DebtType;
use caseload::store::pg::Changed;
use caseload::store::{NewEntry, Store};

#[test]
fn an_import_announced_ranks_the_whole_queue_again_keeping_the_tab_and_the_account() {
    let (dir, mut s) = common::busy_session();
    // The officer is on the All tab, on the third account, which nobody writes to.
    while s.state.queue.tab() != Tab::All {
        s.keys("]");
    }
    s.keys("jj");
    assert_eq!(s.state.queue.tab(), Tab::All);
    let selected = s.state.queue.selected_id().unwrap();
    let at = s.state.queue.selected_index();
    // Another writer (an import) clears the arrears of every other account in the queue.
    let mut other = Store::open(&dir.path().join("caseload.db")).unwrap();
    let others: Vec<i64> = s
        .state
        .queue
        .rows()
        .map(|r| r.tenancy_id)
        .filter(|id| *id != selected)
        .collect();
    other
        .write("import", "import", |w| {
            for id in &others {
                let account = w.account(*id, DebtType::Rent)?;
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: common::today(),
                    kind: EntryKind::Payment,
                    method: Some(PaymentMethod::Card),
                    amount: -Money::pounds(5_000),
                    description: None,
                    reverses: None,
                    ext_id: None,
                })?;
            }
            Ok(())
        })
        .unwrap();
    drop(other);

    // Announced as too many to name: the whole queue is ranked again (on its own thread).
    s.dispatch(Action::Changed(Changed::All));
    s.wait_background();
    for id in &others {
        let row = s.state.queue.item(*id).unwrap();
        assert!(
            row.arrears.balance.is_negative(),
            "{} still shows {} owed",
            row.reference(),
            row.arrears.balance
        );
    }
    // The officer's place is kept: the same tab, the same account selected.
    assert_eq!(s.state.queue.tab(), Tab::All);
    assert_eq!(s.state.queue.selected_id(), Some(selected));
    assert_ne!(
        s.state.queue.selected_index(),
        at,
        "the account moved up: every other one is in credit now"
    );
}
