use super::*;

const EXAMPLE: &str = include_str!("../../../assets/examples/sfs-trigger-figures.example.toml");

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// Two adults and a child: £2,100 in, £1,500 fixed, £450 flexible, £50 saved, £40 to Council
/// Tax arrears.
fn statement() -> Statement {
    let mut s = Statement::new(Household {
        adults: 2,
        dependants: 1,
        non_dependants: 0,
        vehicles: 1,
    });
    for (item, amount) in [
        (Item::Earnings, "1500"),
        (Item::UniversalCredit, "500"),
        (Item::ChildBenefit, "100"),
        (Item::Rent, "900"),
        (Item::CouncilTax, "150"),
        (Item::Electricity, "150"),
        (Item::Water, "50"),
        (Item::Travel, "250"),
        (Item::CommunicationsLeisure, "60"),
        (Item::FoodHousekeeping, "330"),
        (Item::PersonalCosts, "60"),
        (Item::SavingsContribution, "50"),
        (Item::CouncilTaxArrears, "40"),
    ] {
        s.set(item, m(amount)).unwrap();
    }
    s
}

#[test]
fn totals_follow_the_sfs_summary() {
    let t = statement().totals();
    assert_eq!(t.income, m("2100"));
    assert_eq!(t.fixed_costs, m("1500"));
    assert_eq!(t.flexible_costs, m("450"));
    assert_eq!(t.savings, m("50"));
    assert_eq!(t.other_priority_debts, m("40"));
    assert_eq!(t.available_for_priority_debts, m("100"));
    assert_eq!(t.available_for_plan, m("60"));
}

#[test]
fn every_item_belongs_to_one_section_and_round_trips() {
    let counted: usize = Section::ALL.iter().map(|&s| Item::of(s).count()).sum();
    assert_eq!(counted, Item::ALL.len());
    for item in Item::ALL {
        assert_eq!(Item::parse(item.as_str()), Some(*item));
    }
    assert_eq!(Item::of(Section::FlexibleCost).count(), 3);
}

#[test]
fn amounts_are_never_negative_and_zero_removes_a_line() {
    let mut s = statement();
    assert_eq!(
        s.set(Item::Gas, m("-5")).unwrap_err().to_string(),
        "Gas cannot be negative (-£5.00): enter what is paid or received a month"
    );
    s.set(Item::Water, Money::ZERO).unwrap();
    assert_eq!(s.amount(Item::Water), Money::ZERO);
    assert!(s.lines().all(|(item, _)| item != Item::Water));
}

#[test]
fn an_instalment_above_the_surplus_is_flagged_not_refused() {
    // £60 a month is left for the plan: £13.84 a week is £59.98 a month, £13.85 is £60.02.
    let available = statement().totals().available_for_plan;
    let fits = Affordability::new(m("13.84"), Frequency::Weekly, available);
    assert!(!fits.is_flagged());
    assert_eq!(
        fits.wording(),
        "affordable: £59.98 a month of £60.00 available"
    );
    let over = Affordability::new(m("13.85"), Frequency::Weekly, available);
    assert!(over.is_flagged());
    assert_eq!(
        over.wording(),
        "not affordable on the tenant's figures: £60.02 a month against £60.00 available"
    );
    assert_eq!(monthly(m("100"), Frequency::FourWeekly), m("108.34"));
    assert_eq!(monthly(m("100"), Frequency::Fortnightly), m("216.67"));
    assert_eq!(monthly(m("60"), Frequency::Monthly), m("60"));
}

#[test]
fn the_example_trigger_file_reads_and_flags_spending_above_it() {
    let table = TriggerTable::parse(EXAMPLE).unwrap();
    assert_eq!(table.year, "EXAMPLE");
    assert!(table.source.contains("not real"));
    let mut s = statement();
    // 2 adults and 1 child: £130 / £450 / £120 in the example.
    assert!(s.above_triggers(&table).is_empty());
    s.set(Item::FoodHousekeeping, m("480")).unwrap();
    let flags = s.above_triggers(&table);
    assert_eq!(flags.len(), 1);
    assert_eq!(
        flags[0].to_string(),
        "Food and housekeeping £480.00 a month is above the trigger figure of £450.00 for \
         2 adults and 1 child"
    );
    // A bigger household than any row uses the largest row inside it.
    s.household.dependants = 4;
    assert_eq!(s.above_triggers(&table)[0].trigger, m("450"));
    s.household.adults = 3;
    assert_eq!(s.above_triggers(&table)[0].children, 1);
    // A household smaller than every row has no trigger figures.
    s.household.adults = 0;
    assert!(s.above_triggers(&table).is_empty());
}

#[test]
fn a_bad_trigger_file_says_what_is_wrong() {
    let err = |text: &str| TriggerTable::parse(text).unwrap_err().to_string();
    let head = "year = \"2026/27\"\nsource = \"x\"\n";
    assert!(
        err(&format!(
            "{head}[[household]]\nadults = 1\nchildren = 0\nrent = \"10\"\n"
        ))
        .contains("household 1 (1 adults, 0 children): `rent` is not a flexible cost")
    );
    assert!(
        err(&format!(
            "{head}[[household]]\nadults = 1\nchildren = 0\nfood_housekeeping = \"1.234\"\n"
        ))
        .contains("more than two decimal places")
    );
    assert!(err(&format!("{head}household = []\n")).contains("lists no households"));
    assert!(err("year = \"2026/27\"\n").contains("source"));
}
