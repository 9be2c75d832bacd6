//! What can be taken out of Kehu as a spreadsheet: customers, their contacts, deals and
//! orders, each of the customers the list shows with its filters.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Customers,
    Contacts,
    Deals,
    Orders,
}

impl ExportKind {
    pub const ALL: [ExportKind; 4] = [ExportKind::Customers, ExportKind::Contacts, ExportKind::Deals, ExportKind::Orders];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Customers => "customers",
            ExportKind::Contacts => "contacts",
            ExportKind::Deals => "deals",
            ExportKind::Orders => "orders",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The file kinds an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// vCard 4.0, for contacts only.
    Vcard,
}

/// `customers.xlsx` → (Customers, Xlsx).
pub fn parse_export_file(file: &str) -> Option<(ExportKind, ExportFormat)> {
    let (kind, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "csv" => ExportFormat::Csv,
        "xlsx" => ExportFormat::Xlsx,
        "vcf" => ExportFormat::Vcard,
        _ => return None,
    };
    let kind = ExportKind::parse(kind)?;
    if format == ExportFormat::Vcard && kind != ExportKind::Contacts {
        return None;
    }
    Some((kind, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_files_are_named_by_kind_and_format() {
        assert_eq!(parse_export_file("customers.xlsx"), Some((ExportKind::Customers, ExportFormat::Xlsx)));
        assert_eq!(parse_export_file("orders.csv"), Some((ExportKind::Orders, ExportFormat::Csv)));
        assert_eq!(parse_export_file("orders.pdf"), None);
        assert_eq!(parse_export_file("users.csv"), None);
        assert_eq!(parse_export_file("contacts.vcf"), Some((ExportKind::Contacts, ExportFormat::Vcard)));
        assert_eq!(parse_export_file("deals.vcf"), None, "only contacts are cards");
    }
}
