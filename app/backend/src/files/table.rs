//! A file read into a table of text: its rows, each a list of cells, numbered by line as the
//! person sees them in the spreadsheet (the header is line 1).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use kehu_domain::customers::vcard;
use kehu_domain::insight::csv::records;
use kehu_domain::problem::Problem;

/// What was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The workbook's sheets (empty for a CSV file).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// (line, cells), the header first. A line that could not be read has no cells.
    pub rows: Vec<(u64, Result<Vec<String>, ()>)>,
    /// How the text was encoded (CSV): `UTF-8` or `GB18030`.
    pub encoding: &'static str,
}

/// Columns a row may have: a file with more is not a table people made by hand.
pub const COLUMNS_AT_MOST: usize = 500;

/// Reads a CSV or XLSX file (told apart by their first bytes), the named sheet or the first.
pub fn read_table(bytes: &[u8], sheet: Option<&str>) -> Result<Table, Problem> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, sheet);
    }
    let (text, encoding) = decode(bytes)?;
    // A file of contact cards (a phone's or Outlook's export) reads as a table of them.
    if vcard::is_vcard(&text) {
        let rows = vcard::as_rows(&vcard::parse(&text)).into_iter().enumerate().map(|(i, cells)| (i as u64 + 1, Ok(cells))).collect();
        return Ok(Table { sheets: Vec::new(), sheet: String::new(), rows, encoding });
    }
    let rows: Vec<(u64, Result<Vec<String>, ()>)> = records(&text).map(|(line, r)| (line as u64, r.map_err(|_| ()))).collect();
    check_width(&rows)?;
    Ok(Table { sheets: Vec::new(), sheet: String::new(), rows, encoding })
}

/// A file as CSV text, whatever it came as (XLSX, GBK CSV): for the order import, which reads
/// CSV.
pub fn as_csv_text(bytes: &[u8]) -> Result<String, Problem> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return decode(bytes).map(|(text, _)| text);
    }
    let table = read_xlsx(bytes, None)?;
    let mut out = String::new();
    for (_, row) in table.rows {
        kehu_domain::insight::csv::write_plain_record(&mut out, &row.unwrap_or_default());
    }
    Ok(out)
}

/// Text from bytes: strict UTF-8 first (a BOM dropped), then GB18030 (which GBK is part of);
/// bytes that are neither are not a text file.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors || text.contains('\0') {
        return Err(Problem::NotText);
    }
    Ok((text.into_owned(), "GB18030"))
}

fn check_width(rows: &[(u64, Result<Vec<String>, ()>)]) -> Result<(), Problem> {
    match rows.iter().filter_map(|(_, r)| r.as_ref().ok()).map(Vec::len).max() {
        Some(n) if n > COLUMNS_AT_MOST => Err(Problem::TooMany { max: COLUMNS_AT_MOST }),
        _ => Ok(()),
    }
}

fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, Problem> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| Problem::NotText)?;
    let sheets = book.sheet_names();
    let name = match sheet.filter(|s| !s.is_empty()) {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_string(),
        Some(_) => return Err(Problem::UnknownChoice),
        None => sheets.first().cloned().ok_or(Problem::Required)?,
    };
    let range = book.worksheet_range(&name).map_err(|_| Problem::NotText)?;
    if range.width() > COLUMNS_AT_MOST {
        return Err(Problem::TooMany { max: COLUMNS_AT_MOST });
    }
    // The first row of the range may not be the sheet's first: keep the sheet's numbering.
    let first = range.start().map(|(row, _)| row as u64).unwrap_or(0);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first + i as u64 + 1, Ok(cells.iter().map(cell_text).collect())))
        .collect();
    Ok(Table { sheets, sheet: name, rows, encoding: "XLSX" })
}

/// A cell as the person sees it: dates as `YYYY-MM-DD`, whole numbers without `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => String::new(),
        },
        Data::Error(_) | Data::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_a_bom_and_in_gbk_reads_the_same() {
        let text = "客户名称,手机\n北京某某科技有限公司,13800138000\n";
        let utf8 = read_table(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), None).unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let from_gbk = read_table(&gbk, None).unwrap();
        assert_eq!(utf8.rows, from_gbk.rows);
        assert_eq!((utf8.encoding, from_gbk.encoding), ("UTF-8", "GB18030"));
        assert_eq!(from_gbk.rows[1].1.as_ref().unwrap()[0], "北京某某科技有限公司");
    }

    #[test]
    fn binary_and_too_wide_files_are_refused() {
        assert_eq!(read_table(&[0, 159, 146, 150, 0, 1, 2], None), Err(Problem::NotText));
        assert_eq!(read_table(format!("a\n{}\n", "x,".repeat(1_000_000)).as_bytes(), None), Err(Problem::TooMany { max: COLUMNS_AT_MOST }));
        assert!(matches!(read_table(b"PK\x03\x04 not really a zip", None), Err(Problem::NotText)));
    }

    #[test]
    fn an_xlsx_written_here_reads_back_with_its_dates() {
        let rows = vec![
            vec![super::super::xlsx::Cell::Text("客户名称".into()), super::super::xlsx::Cell::Text("成立日期".into())],
            vec![super::super::xlsx::Cell::Text("星河贸易".into()), super::super::xlsx::Cell::Date(chrono::NaiveDate::from_ymd_opt(2020, 3, 1).unwrap())],
            vec![super::super::xlsx::Cell::Number(42.0), super::super::xlsx::Cell::Text("=1+1".into())],
        ];
        let bytes = super::super::xlsx::write(&[("客户", rows)]).unwrap();
        let table = read_table(&bytes, None).unwrap();
        assert_eq!(table.sheets, vec!["客户".to_string()]);
        let cells: Vec<Vec<String>> = table.rows.into_iter().map(|(_, r)| r.unwrap()).collect();
        assert_eq!(cells[1], vec!["星河贸易", "2020-03-01"]);
        assert_eq!(cells[2], vec!["42", "=1+1"], "text that looks like a formula stays text");
    }
}
