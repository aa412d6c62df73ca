//! analysis workbook
