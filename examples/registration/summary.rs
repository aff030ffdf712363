//! The readable summary.

use crate::applicant::{Outcome, Row};

/// At most this many table rows are printed.
const MAX_ROWS: usize = 50;

/// Prints the table of applicants and the counts.
pub fn print_table(rows: &[Row]) {
    println!("{:<16} {:<6} {:<14} reason", "serial", "name", "decision");
    for row in rows.iter().take(MAX_ROWS) {
        println!(
            "{:<16} {:<6} {:<14} {}",
            row.serial,
            row.name,
            row.outcome.label(),
            row.reason
        );
    }
    if rows.len() > MAX_ROWS {
        println!("… and {} more applicants", rows.len() - MAX_ROWS);
    }
    let count = |outcome| rows.iter().filter(|row| row.outcome == outcome).count();
    println!(
        "verified: {}, not verified: {}, indeterminate: {}, rejected (invalid identifier): {}",
        count(Outcome::Verified),
        count(Outcome::NotVerified),
        count(Outcome::Indeterminate),
        count(Outcome::Rejected)
    );
}
