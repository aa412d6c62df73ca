//! Orders of the matter list and their keyset cursors.
//!
//! A cursor is the sort key and id of the last row of a page, with the order it was
//! made for; it travels as an opaque hex string. Ties on the key are broken by id, in
//! the key's direction, so that every matter appears exactly once across pages.

use super::read::MatterRow;

/// How the matter list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatterSort {
    /// Newest received first (the default).
    #[default]
    ReceivedDesc,
    /// Oldest received first.
    ReceivedAsc,
    /// Nearest running deadline first; matters without one last.
    DueAsc,
    /// Most recently changed first.
    UpdatedDesc,
    /// Newest registered first (by id).
    IdDesc,
}

impl MatterSort {
    pub const ALL: [MatterSort; 5] = [
        MatterSort::ReceivedDesc,
        MatterSort::ReceivedAsc,
        MatterSort::DueAsc,
        MatterSort::UpdatedDesc,
        MatterSort::IdDesc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MatterSort::ReceivedDesc => "received_desc",
            MatterSort::ReceivedAsc => "received_asc",
            MatterSort::DueAsc => "due_asc",
            MatterSort::UpdatedDesc => "updated_desc",
            MatterSort::IdDesc => "id_desc",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            MatterSort::ReceivedDesc => "收到日期（新到旧）",
            MatterSort::ReceivedAsc => "收到日期（旧到新）",
            MatterSort::DueAsc => "期限最近在前",
            MatterSort::UpdatedDesc => "最近办理在前",
            MatterSort::IdDesc => "登记顺序（新到旧）",
        }
    }

    pub fn parse(s: &str) -> Option<MatterSort> {
        MatterSort::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The cursor that continues after `r`.
    pub fn cursor_of(self, r: &MatterRow) -> Cursor {
        let key = match self {
            MatterSort::ReceivedDesc | MatterSort::ReceivedAsc => {
                Key::Text(r.received_on.to_string())
            }
            MatterSort::DueAsc => r.due_on.map_or(Key::Null, |d| Key::Text(d.to_string())),
            MatterSort::UpdatedDesc => Key::Int(r.updated_at),
            MatterSort::IdDesc => Key::None,
        };
        Cursor {
            sort: self,
            key,
            id: r.id,
        }
    }
}

/// The sort key of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A day (`received_on`, `due_on`).
    Text(String),
    /// Unix milliseconds (`updated_at`).
    Int(i64),
    /// The row had no deadline.
    Null,
    /// The order is by id alone.
    None,
}

/// Where the next page starts: after this key and id, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: MatterSort,
    pub key: Key,
    pub id: i64,
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

impl Cursor {
    /// A cursor for the id order from a plain id (the older `before` parameter).
    pub fn before_id(id: i64) -> Cursor {
        Cursor {
            sort: MatterSort::IdDesc,
            key: Key::None,
            id,
        }
    }

    /// The opaque form sent to clients.
    pub fn encode(&self) -> String {
        let key = match &self.key {
            Key::Text(s) => s.clone(),
            Key::Int(i) => i.to_string(),
            Key::Null => "~".to_string(),
            Key::None => String::new(),
        };
        hex::encode(format!("{}|{key}|{}", self.sort.as_str(), self.id))
    }

    /// Reads a cursor back; `None` when it is damaged or not one of ours.
    pub fn decode(s: &str) -> Option<Cursor> {
        let raw = String::from_utf8(hex::decode(s.trim()).ok()?).ok()?;
        let mut parts = raw.split('|');
        let sort = MatterSort::parse(parts.next()?)?;
        let key = parts.next()?;
        let id: i64 = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let key = match sort {
            MatterSort::ReceivedDesc | MatterSort::ReceivedAsc if is_day(key) => {
                Key::Text(key.to_string())
            }
            MatterSort::DueAsc if key == "~" => Key::Null,
            MatterSort::DueAsc if is_day(key) => Key::Text(key.to_string()),
            MatterSort::UpdatedDesc => Key::Int(key.parse().ok()?),
            MatterSort::IdDesc if key.is_empty() => Key::None,
            _ => return None,
        };
        Some(Cursor { sort, key, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_damage() {
        for c in [
            Cursor {
                sort: MatterSort::ReceivedDesc,
                key: Key::Text("2026-03-05".into()),
                id: 7,
            },
            Cursor {
                sort: MatterSort::DueAsc,
                key: Key::Null,
                id: 9,
            },
            Cursor {
                sort: MatterSort::UpdatedDesc,
                key: Key::Int(1_700_000_000_000),
                id: 1,
            },
            Cursor::before_id(42),
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for bad in [
            "",
            "zz",
            "12345",
            &hex::encode("received_desc|2026-3-5|1"),
            &hex::encode("updated_desc|x|1"),
            &hex::encode("nope||1"),
            &hex::encode("id_desc||1|2"),
            &hex::encode("id_desc|2026-01-01|1"),
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }
}
