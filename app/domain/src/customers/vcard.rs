//! vCard: contacts written as vCard 4.0 (RFC 6350), and read from the files phones and
//! Outlook write — one file of many cards, vCard 2.1 (Android's export, with
//! QUOTED-PRINTABLE UTF-8), 3.0 (iPhone, Outlook) or 4.0, folded lines, `item1.` groups.
//! A file read becomes a table with headings the import recognises, so cards go through the
//! same mapping, dry run, duplicates and undo as a spreadsheet.

use crate::reminders::ical::{escape_text, push_line};

/// One person as a card holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    pub name: String,
    pub organization: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    /// `YYYY-MM-DD` when the card gives a full date.
    pub birthday: String,
    pub note: String,
    /// The first postal address on the card, as one line.
    pub address: String,
}

/// Whether a text is a vCard file (rather than CSV).
pub fn is_vcard(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().get(..11).is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// Lines with their continuations joined: RFC 6350 folds with a space or tab at the start
/// of the next line; vCard 2.1's quoted-printable folds with `=` at the end of a line.
fn unfolded(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut soft_break = false;
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if soft_break {
            if let Some(last) = lines.last_mut() {
                last.pop();
                last.push_str(line);
                soft_break = line.ends_with('=') && is_quoted_printable(last);
                continue;
            }
        }
        if let (Some(rest), Some(last)) = (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            last.push_str(rest);
        } else {
            lines.push(line.to_string());
        }
        let last = lines.last().map(String::as_str).unwrap_or("");
        soft_break = last.ends_with('=') && is_quoted_printable(last);
    }
    lines
}

fn is_quoted_printable(line: &str) -> bool {
    line.split_once(':').is_some_and(|(head, _)| head.to_ascii_uppercase().contains("QUOTED-PRINTABLE"))
}

fn decode_quoted_printable(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value's escapes (`\n`, `\,`, `\;`, `\\`) undone.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The components of a structured value (`N`, `ORG`), split on unescaped `;`.
fn components(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// An `ADR` value (PO box; extended; street; locality; region; postal code; country) as one
/// line the way its country writes it: big to small without separators for Chinese
/// (中国广东省深圳市南山区科技园路1号), small to big with commas otherwise.
fn address(value: &str) -> String {
    let parts: Vec<String> = components(value).into_iter().map(|p| p.trim().to_string()).collect();
    let part = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
    if is_cjk(value) {
        [6, 4, 3, 2, 1, 0].iter().map(|&i| part(i)).collect::<String>()
    } else {
        let region = [part(4), part(5)].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ");
        [part(0), part(1), part(2), part(3), region.as_str(), part(6)].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(", ")
    }
}

/// `19900501`, `1990-05-01` or `1990-05-01T00:00:00Z` → `1990-05-01`; a date without a year
/// (`--0501`) is left out, since a birthday needs one here.
fn birthday(value: &str) -> String {
    let digits: String = value.chars().take_while(|c| *c != 'T').filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 8 && !value.starts_with("--") {
        format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8])
    } else {
        String::new()
    }
}

/// Every card in a file.
pub fn parse(text: &str) -> Vec<Card> {
    let mut cards = Vec::new();
    let mut card: Option<Card> = None;
    let mut structured_name = String::new();
    let mut cell_phone = false;
    for line in unfolded(text.trim_start_matches('\u{feff}')) {
        let Some((head, value)) = line.split_once(':') else { continue };
        let mut params = head.split(';');
        let property = params.next().unwrap_or("");
        // `item1.TEL` (Apple's groups) is `TEL`.
        let property = property.rsplit('.').next().unwrap_or(property).to_ascii_uppercase();
        let params: Vec<String> = params.map(|p| p.to_ascii_uppercase()).collect();
        let value = if params.iter().any(|p| p.contains("QUOTED-PRINTABLE")) { decode_quoted_printable(value) } else { value.to_string() };
        match property.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VCARD") => {
                card = Some(Card::default());
                structured_name.clear();
                cell_phone = false;
            }
            "END" if value.eq_ignore_ascii_case("VCARD") => {
                if let Some(mut c) = card.take() {
                    if c.name.trim().is_empty() {
                        c.name = structured_name.clone();
                    }
                    if c != Card::default() {
                        cards.push(c);
                    }
                }
            }
            _ => {
                let Some(c) = card.as_mut() else { continue };
                match property.as_str() {
                    "FN" => c.name = unescape(&value).trim().to_string(),
                    "N" => {
                        let parts = components(&value);
                        let family = parts.first().map(|s| s.trim()).unwrap_or("");
                        let given = parts.get(1).map(|s| s.trim()).unwrap_or("");
                        // 王 + 芳 is 王芳; Smith + John is John Smith.
                        structured_name = if is_cjk(family) || is_cjk(given) { format!("{family}{given}") } else { format!("{given} {family}").trim().to_string() };
                    }
                    "ORG" => c.organization = components(&value).into_iter().find(|p| !p.trim().is_empty()).unwrap_or_default().trim().to_string(),
                    "TITLE" => c.title = unescape(&value).trim().to_string(),
                    "TEL" => {
                        let number = value.trim().trim_start_matches("tel:").to_string();
                        // The first number, or the first mobile one once there is one.
                        let is_cell = params.iter().any(|p| p.contains("CELL"));
                        if c.phone.is_empty() || (is_cell && !cell_phone) {
                            c.phone = number;
                            cell_phone = is_cell;
                        }
                    }
                    "EMAIL" if c.email.is_empty() => c.email = value.trim().to_string(),
                    "BDAY" => c.birthday = birthday(value.trim()),
                    "NOTE" => c.note = unescape(&value).trim().to_string(),
                    "ADR" if c.address.is_empty() => c.address = address(&value),
                    _ => {}
                }
            }
        }
    }
    cards
}

/// The headings a file of cards reads as: those the import recognises.
pub const HEADINGS: [&str; 8] = ["公司名称", "联系人", "职务", "联系人手机", "联系人邮箱", "生日", "备注", "地址"];

/// Cards as a table's rows, headings first.
pub fn as_rows(cards: &[Card]) -> Vec<Vec<String>> {
    let mut rows = vec![HEADINGS.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(cards.iter().map(|c| vec![c.organization.clone(), c.name.clone(), c.title.clone(), c.phone.clone(), c.email.clone(), c.birthday.clone(), c.note.clone(), c.address.clone()]));
    rows
}

/// Cards as a vCard 4.0 file.
pub fn write(cards: &[Card]) -> String {
    let mut out = String::new();
    for c in cards {
        push_line(&mut out, "BEGIN:VCARD");
        push_line(&mut out, "VERSION:4.0");
        push_line(&mut out, &format!("FN:{}", escape_text(&c.name)));
        if !c.organization.is_empty() {
            push_line(&mut out, &format!("ORG:{}", escape_text(&c.organization)));
        }
        if !c.title.is_empty() {
            push_line(&mut out, &format!("TITLE:{}", escape_text(&c.title)));
        }
        if !c.phone.is_empty() {
            push_line(&mut out, &format!("TEL;VALUE=uri;TYPE=cell:tel:{}", c.phone.replace(' ', "")));
        }
        if !c.email.is_empty() {
            push_line(&mut out, &format!("EMAIL:{}", escape_text(&c.email)));
        }
        if !c.birthday.is_empty() {
            push_line(&mut out, &format!("BDAY:{}", c.birthday.replace('-', "")));
        }
        if !c.note.is_empty() {
            push_line(&mut out, &format!("NOTE:{}", escape_text(&c.note)));
        }
        if !c.address.is_empty() {
            // Unstructured, the whole line as the street: Kehu does not split addresses.
            push_line(&mut out, &format!("ADR;TYPE=work:;;{};;;;", escape_text(&c.address)));
        }
        push_line(&mut out, "END:VCARD");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_round_trip_through_vcard_4() {
        let cards = vec![
            Card { name: "王芳".into(), organization: "北京某某科技有限公司".into(), title: "采购经理; 华北区".into(), phone: "+86 138-0013-8000".into(), email: "wang@example.cn".into(), birthday: "1990-05-01".into(), note: "第一行\n第二行, 还有逗号".into(), address: "上海市浦东新区张江路 88 号; 3 楼".into() },
            Card { name: "A very long name that goes on and on so that the line has to be folded somewhere".into(), ..Default::default() },
        ];
        let text = write(&cards);
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        assert!(text.contains("VERSION:4.0"));
        let back = parse(&text);
        assert_eq!(back[0], Card { phone: "+86138-0013-8000".into(), ..cards[0].clone() });
        assert_eq!(back[1], cards[1]);
        assert!(is_vcard(&text) && !is_vcard("客户名称,手机\n"));
    }

    #[test]
    fn phones_and_outlook_files_are_read() {
        // Android's export: vCard 2.1, names in quoted-printable UTF-8, soft line breaks.
        let android = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E8=8A=B3;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E8=8A=B3\r\nTEL;HOME:010-62345678\r\nTEL;CELL:138 0013 8000\r\nNOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=A4=87=E6=B3=A8=\r\n=E5=86=85=E5=AE=B9\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:;;;;\r\nEND:VCARD\r\n";
        let cards = parse(android);
        assert_eq!(cards.len(), 1, "an empty card is no contact");
        assert_eq!((cards[0].name.as_str(), cards[0].phone.as_str(), cards[0].note.as_str()), ("王芳", "138 0013 8000", "备注内容"));
        // iPhone / Outlook: vCard 3.0, groups, folded lines, only N.
        let apple = "BEGIN:VCARD\nVERSION:3.0\nN:Smith;John;;;\nORG:Acme Co.\\, Ltd.;Sales\nitem1.EMAIL;type=INTERNET;type=pref:john@acme.example\nitem1.X-ABLabel:work\nTITLE:Head of Procu\n rement\nBDAY;VALUE=date:1985-02-03\nEND:VCARD\n";
        let cards = parse(apple);
        assert_eq!(
            cards[0],
            Card { name: "John Smith".into(), organization: "Acme Co., Ltd.".into(), title: "Head of Procurement".into(), email: "john@acme.example".into(), birthday: "1985-02-03".into(), ..Default::default() }
        );
        assert_eq!(birthday("--0501"), "", "no year, no birthday");
        // Addresses as phones write them: structured, in either order of the world.
        let with_addresses = "BEGIN:VCARD\nVERSION:3.0\nFN:李雷\nADR;TYPE=WORK:;;科技园路1号;深圳市;广东省;518057;中国\nADR;TYPE=HOME:;;别的;;;;\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Jane Roe\nADR:;Suite 5;1 Main St;Springfield;IL;62701;USA\nEND:VCARD\n";
        let addressed = parse(with_addresses);
        assert_eq!(addressed[0].address, "中国广东省深圳市科技园路1号", "the first address, big to small");
        assert_eq!(addressed[1].address, "Suite 5, 1 Main St, Springfield, IL 62701, USA");
        assert_eq!(as_rows(&addressed)[1][7], "中国广东省深圳市科技园路1号");
        assert_eq!(as_rows(&cards)[1][0], "Acme Co., Ltd.");
    }
}
