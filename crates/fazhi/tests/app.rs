//! The integration tests of the `fazhi` binary and the whole application, in one test
//! binary: each file below is a module. One binary links the application once instead
//! of forty times (about 190 MB each in a debug build), which keeps a clean CI build
//! within its disk and time.

mod common;

mod advisers;
mod analyze_dups;
mod annual;
mod annual_district;
mod attachments;
mod browser;
mod browser_annual;
mod browser_decision;
mod browser_education;
mod browser_education_2;
mod browser_education_3;
mod browser_enforcement;
mod browser_grid;
mod contracts;
mod decision_documents;
mod decisions;
mod demo;
mod disk_full;
mod documents;
mod durability;
mod education;
mod education_2;
mod education_files;
mod education_ledger;
mod education_points;
mod education_rescue;
mod education_roster;
mod enforcement;
mod enforcement_documents;
mod evidence;
mod import;
mod litigation;
mod matter_pages;
mod matters;
mod matters_round2;
mod normative;
mod notifications;
mod search;
mod triage;
mod units;
