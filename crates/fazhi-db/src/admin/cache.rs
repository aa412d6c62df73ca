//! Units and divisions as last read, for one second ([`crate::fresh`]): registering a
//! matter looks up its division by code, assigning it the unit named, and scope checks
//! everywhere do the same (bench/README.md ¹¹). Renaming a unit or a division empties
//! the caches at once, in every process on a PostgreSQL database (`listen`).

use super::divisions::DivisionRow;
use super::units::UnitRow;
use crate::fresh::Fresh;

#[derive(Default)]
pub(crate) struct Org {
    pub(crate) units: Fresh<i64, UnitRow>,
    pub(crate) divisions: Fresh<i64, DivisionRow>,
    pub(crate) codes: Fresh<String, DivisionRow>,
}

impl Org {
    /// Forgets everything: a unit or a division changed (a unit row carries its
    /// division's name and path).
    pub(crate) fn clear(&self) {
        self.units.clear();
        self.divisions.clear();
        self.codes.clear();
    }

    /// Starts or stops keeping rows (see `listen`).
    pub(crate) fn set_open(&self, open: bool) {
        self.units.set_open(open);
        self.divisions.set_open(open);
        self.codes.set_open(open);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use fazhi_core::division::Level;

    use crate::Db;
    use crate::admin::{divisions, units};
    use crate::audit::Actor;

    /// 青石镇 with its 司法所, as (division, unit).
    pub(crate) async fn town_with_unit(
        db: &Db,
        actor: &Actor,
    ) -> (divisions::DivisionRow, units::UnitRow) {
        let new = divisions::NewDivision {
            code: "500160101000".into(),
            name: "青石镇".into(),
            level: Level::Township,
            parent_id: None,
            valid_from: None,
            valid_to: None,
        };
        let d = divisions::create(db, actor, &new).await.unwrap();
        let u = units::create(db, actor, d.id, "司法所", "justice_office")
            .await
            .unwrap();
        (d, u)
    }

    /// A unit or division renamed through the process is read renamed at once, though
    /// the old rows were just read (and kept).
    #[tokio::test]
    async fn a_rename_is_read_at_once() {
        let actor = Actor::system("test");
        for t in crate::testing::all().await {
            let db = &t.db;
            let (d, u) = town_with_unit(db, &actor).await;
            // Read, so that the caches hold them.
            assert_eq!(units::by_id(db, u.id).await.unwrap().name, "司法所");
            assert_eq!(
                divisions::by_code(db, &d.code).await.unwrap().name,
                "青石镇"
            );
            assert_eq!(divisions::by_id(db, d.id).await.unwrap().name, "青石镇");

            units::update(db, &actor, u.id, Some("综治中心".into()), None)
                .await
                .unwrap();
            assert_eq!(
                units::by_id(db, u.id).await.unwrap().name,
                "综治中心",
                "{}",
                t.name()
            );

            divisions::update(db, &actor, d.id, Some("青石街道".into()), None, None)
                .await
                .unwrap();
            assert_eq!(
                divisions::by_code(db, &d.code).await.unwrap().name,
                "青石街道"
            );
            assert_eq!(divisions::by_id(db, d.id).await.unwrap().name, "青石街道");
            let u = units::by_id(db, u.id).await.unwrap();
            assert_eq!(u.division_name, "青石街道", "{}", t.name());
        }
    }
}
