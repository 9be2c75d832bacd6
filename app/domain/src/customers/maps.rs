//! Opening a customer's address in a map app. The links are plain web addresses that the
//! phone hands to its app: 高德's URI page opens 高德地图 when it is installed (and shows the
//! place in the browser when not), Apple's opens Apple 地图 on an iPhone. No coordinates are
//! looked up or stored: the map app searches the address as typed.

use crate::format::encode_query_value;

/// The map apps the profile offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapApp {
    Amap,
    Apple,
}

impl MapApp {
    pub const ALL: [MapApp; 2] = [MapApp::Amap, MapApp::Apple];

    /// The link searching `address` in this app; `None` for a blank address. A stored
    /// address is already cleaned (spaces collapsed) by the customer check.
    pub fn search_url(self, address: &str) -> Option<String> {
        let address = address.trim();
        if address.is_empty() {
            return None;
        }
        let q = encode_query_value(address);
        Some(match self {
            MapApp::Amap => format!("https://uri.amap.com/search?keyword={q}&callnative=1&src=kehu"),
            MapApp::Apple => format!("https://maps.apple.com/?q={q}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_a_search_in_each_map_app() {
        let address = " 上海市浦东新区 张江路88号 & 3楼 ";
        assert_eq!(
            MapApp::Amap.search_url(address).as_deref(),
            Some("https://uri.amap.com/search?keyword=%E4%B8%8A%E6%B5%B7%E5%B8%82%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA%20%E5%BC%A0%E6%B1%9F%E8%B7%AF88%E5%8F%B7%20%26%203%E6%A5%BC&callnative=1&src=kehu")
        );
        let apple = MapApp::Apple.search_url("1 Main St, Springfield?x=1#a").unwrap_or_default();
        assert_eq!(apple, "https://maps.apple.com/?q=1%20Main%20St%2C%20Springfield%3Fx%3D1%23a", "nothing in the address escapes its parameter");
        assert_eq!(MapApp::Amap.search_url("  \n "), None);
    }
}
