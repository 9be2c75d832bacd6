//! Comma-separated values as spreadsheets write them (RFC 4180): fields may be quoted, a
//! quote inside one is doubled, quoted fields may hold commas and line breaks; a UTF-8 byte
//! order mark at the start is skipped. Read record by record, so a file of a million lines
//! is never held twice; written with the same quoting, and with cells that a spreadsheet
//! would run as a formula defused.

/// A record that could not be read: an opening quote never closed, or text after a closing one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed;

/// The records of a text, each with the line it starts on (1-based).
pub struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

pub fn records(text: &str) -> Records<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Records { text, pos: 0, line: 1 }
}

impl<'a> Iterator for Records<'a> {
    type Item = (usize, Result<Vec<String>, Malformed>);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        // Blank lines between records are skipped.
        while self.pos < bytes.len() && (bytes[self.pos] == b'\n' || bytes[self.pos] == b'\r') {
            if bytes[self.pos] == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut malformed = false;
        loop {
            // At the start of a field.
            if self.pos < bytes.len() && bytes[self.pos] == b'"' {
                self.pos += 1;
                loop {
                    let Some(rel) = self.text[self.pos..].find('"') else {
                        // Unclosed: the rest of the text is lost to this record.
                        self.line += self.text[self.pos..].matches('\n').count();
                        self.pos = bytes.len();
                        return Some((start_line, Err(Malformed)));
                    };
                    let chunk = &self.text[self.pos..self.pos + rel];
                    self.line += chunk.matches('\n').count();
                    field.push_str(chunk);
                    self.pos += rel + 1;
                    if self.pos < bytes.len() && bytes[self.pos] == b'"' {
                        field.push('"');
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                // After the closing quote only a separator or the end of the record may follow.
                let rest = self.text[self.pos..].find([',', '\n', '\r']).unwrap_or(bytes.len() - self.pos);
                if !self.text[self.pos..self.pos + rest].trim().is_empty() {
                    malformed = true;
                }
                self.pos += rest;
            } else {
                let rest = self.text[self.pos..].find([',', '\n', '\r']).unwrap_or(bytes.len() - self.pos);
                field.push_str(&self.text[self.pos..self.pos + rest]);
                self.pos += rest;
            }
            fields.push(std::mem::take(&mut field));
            if self.pos < bytes.len() && bytes[self.pos] == b',' {
                self.pos += 1;
                continue;
            }
            // End of the record: one line break (CRLF or LF) or the end of the text.
            if self.pos < bytes.len() && bytes[self.pos] == b'\r' {
                self.pos += 1;
            }
            if self.pos < bytes.len() && bytes[self.pos] == b'\n' {
                self.pos += 1;
                self.line += 1;
            }
            break;
        }
        Some((start_line, if malformed { Err(Malformed) } else { Ok(fields) }))
    }
}

/// Appends one record, quoting fields that need it. A text cell starting with `=`, `+`, `@`
/// or a tab gets a leading `'`, so a spreadsheet shows it instead of running it.
/// Whether a spreadsheet would take the cell for a formula (or a command, via DDE): it starts
/// with `= + - @`, a tab or a carriage return. A plain number (`-0.50`, a refund) is a number.
fn starts_a_formula(field: &str) -> bool {
    matches!(field.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) && !is_plain_number(field)
}

/// `-12`, `3.5`, `-0.50`: digits, at most one point, an optional leading minus.
fn is_plain_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty() && !fraction.is_empty() && whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
}

/// A record as it was, quoted where it must be but nothing defused: for handing a table on to
/// Kehu's own reader, not to a spreadsheet.
pub fn write_plain_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = field.as_ref();
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = field.as_ref();
        let defused = starts_a_formula(field);
        let needs_quotes = defused || field.contains([',', '"', '\n', '\r']);
        if needs_quotes {
            out.push('"');
            if defused {
                out.push('\'');
            }
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(usize, Result<Vec<String>, Malformed>)> {
        records(text).collect()
    }

    fn ok(fields: &[&str]) -> Result<Vec<String>, Malformed> {
        Ok(fields.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn plain_quoted_and_multiline_fields() {
        let text = "\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\"two\nlines\",2,3";
        assert_eq!(all(text), vec![(1, ok(&["a", "b", "c"])), (2, ok(&["x, y", "say \"hi\"", ""])), (3, ok(&["two\nlines", "2", "3"]))]);
    }

    #[test]
    fn blank_lines_are_skipped_and_line_numbers_kept() {
        let text = "a\n\n\nb\n";
        assert_eq!(all(text), vec![(1, ok(&["a"])), (4, ok(&["b"]))]);
    }

    #[test]
    fn broken_quotes_spoil_only_their_record_or_the_rest() {
        let text = "\"x\"y,1\nok,2\n\"never closed,3\nlost,4";
        let got = all(text);
        assert_eq!(got[0], (1, Err(Malformed)));
        assert_eq!(got[1], (2, ok(&["ok", "2"])));
        assert_eq!(got[2], (3, Err(Malformed)));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn written_records_read_back_and_formulas_are_defused() {
        let mut out = String::new();
        write_record(&mut out, &["名称", "a,b", "say \"hi\"", "line\nbreak"]);
        write_record(&mut out, &["=SUM(A1)", "-5", "@x"]);
        write_record(&mut out, &["-2+3+cmd|' /C calc'!A0", "\rX", "-0.50", "+86 138"]);
        let back: Vec<_> = records(&out).map(|(_, r)| r.unwrap()).collect();
        assert_eq!(back[0], vec!["名称", "a,b", "say \"hi\"", "line\nbreak"]);
        assert_eq!(back[1], vec!["'=SUM(A1)", "-5", "'@x"]);
        assert_eq!(back[2], vec!["'-2+3+cmd|' /C calc'!A0", "'\rX", "-0.50", "'+86 138"]);
    }
}
