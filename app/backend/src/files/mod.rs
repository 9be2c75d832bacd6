//! Files people bring and take away: tables read from CSV (UTF-8, or GBK/GB18030 as Chinese
//! Excel saves it) and XLSX, and tables written as XLSX; escaping text for markup.

pub mod markup;
pub mod table;
pub mod xlsx;
