//! A small statement builder that numbers `$n` placeholders itself, and runs the
//! statement on either engine: through sqlx on PostgreSQL, directly (rusqlite) on
//! SQLite's write connection or read connections (see `lite`).
//! sqlx's `QueryBuilder` writes `?` under the Any driver, which PostgreSQL rejects.

use std::sync::Arc;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyPool, Arguments, AssertSqlSafe};

use crate::column::Column;
use crate::{Conn, ConnKind, DbError, Result};

/// A bound value. The type is kept for NULLs too: PostgreSQL types every parameter.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    I64(Option<i64>),
    I32(Option<i32>),
    F64(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(x: $t) -> Value { Value::$v(Some(x.into())) }
        }
        impl From<Option<$t>> for Value {
            fn from(x: Option<$t>) -> Value { Value::$v(x.map(Into::into)) }
        }
    )*};
}
value_from!(i64 => I64, i32 => I32, f64 => F64, String => Text, &'static str => Text, Vec<u8> => Blob);

impl Value {
    fn add_to(self, args: &mut AnyArguments) {
        let r = match self {
            Value::I64(v) => args.add(v),
            Value::I32(v) => args.add(v),
            Value::F64(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::Blob(v) => args.add(v),
        };
        r.expect("encoding a bind value");
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::I64(Some(v)) => ToSqlOutput::from(*v),
            Value::I32(Some(v)) => ToSqlOutput::from(*v),
            Value::F64(Some(v)) => ToSqlOutput::from(*v),
            Value::Text(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Blob(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            _ => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

impl Value {
    /// The PostgreSQL type of the parameter, as sqlx declares it too.
    pub(crate) fn pg_type(&self) -> tokio_postgres::types::Type {
        use tokio_postgres::types::Type;
        match self {
            Value::I64(_) => Type::INT8,
            Value::I32(_) => Type::INT4,
            Value::F64(_) => Type::FLOAT8,
            Value::Text(_) => Type::TEXT,
            Value::Blob(_) => Type::BYTEA,
        }
    }
}

/// Binds on tokio-postgres (the group commit connection, see `pgbatch`); statements are
/// prepared with [`Value::pg_type`], so each value meets the type it declared.
impl tokio_postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        match self {
            Value::I64(v) => v.to_sql_checked(ty, out),
            Value::I32(v) => v.to_sql_checked(ty, out),
            Value::F64(v) => v.to_sql_checked(ty, out),
            Value::Text(v) => v.to_sql_checked(ty, out),
            Value::Blob(v) => v.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        // Checked per value: `to_sql` calls the inner value's `to_sql_checked`.
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A row type readable from either engine ([`row!`] implements it). `Send + 'static`:
/// SQLite scans read rows on a blocking thread.
pub(crate) trait FromRows:
    Sized + Send + 'static + for<'r> sqlx::FromRow<'r, AnyRow>
{
    fn from_lite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// Where a statement runs: PostgreSQL's pool, SQLite's read connections, or a
/// connection in a transaction.
pub(crate) enum Target<'a> {
    Pool(&'a AnyPool),
    Conn(&'a mut Conn),
    /// SQLite point lookups on the caller's thread ([`crate::Db::quick`]).
    Lite(&'a crate::lite::Readers),
    /// SQLite scans on a blocking thread ([`crate::Db::reader`]).
    Scan(&'a Arc<crate::lite::Readers>),
}

impl Target<'_> {
    /// The same target for one more statement.
    pub fn reborrow(&mut self) -> Target<'_> {
        match self {
            Target::Pool(p) => Target::Pool(p),
            Target::Conn(c) => Target::Conn(c),
            Target::Lite(r) => Target::Lite(r),
            Target::Scan(r) => Target::Scan(r),
        }
    }
}

/// Where reads that may take long run ([`crate::Db::reader`]): PostgreSQL's pool, or
/// SQLite's read connections on a blocking thread.
#[derive(Clone, Copy)]
pub(crate) enum Reader<'a> {
    Pool(&'a AnyPool),
    Lite(&'a Arc<crate::lite::Readers>),
}

impl<'a> From<Reader<'a>> for Target<'a> {
    fn from(r: Reader<'a>) -> Self {
        match r {
            Reader::Pool(p) => Target::Pool(p),
            Reader::Lite(r) => Target::Scan(r),
        }
    }
}

impl<'a> From<&'a AnyPool> for Target<'a> {
    fn from(p: &'a AnyPool) -> Self {
        Target::Pool(p)
    }
}

impl<'a> From<&'a mut crate::WriteTx> for Target<'a> {
    fn from(tx: &'a mut crate::WriteTx) -> Self {
        Target::Conn(tx)
    }
}

impl<'a> From<&'a mut Conn> for Target<'a> {
    fn from(c: &'a mut Conn) -> Self {
        Target::Conn(c)
    }
}

/// SQL text plus its bound arguments.
#[derive(Clone)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Value>,
}

impl Sql {
    /// Starts a statement with fixed text (never user input).
    pub fn new(text: &'static str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends fixed text (never user input).
    pub fn push(&mut self, text: &'static str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder and binds `v` to it.
    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.args.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(path LIKE $a || '%' OR …)` restricting `column` to the scope's subtrees;
    /// an empty scope yields a condition that is always false.
    pub fn scope(&mut self, column: &'static str, roots: &[String]) -> &mut Self {
        if roots.is_empty() {
            self.text.push_str("1 = 0");
            return self;
        }
        self.text.push('(');
        for (i, r) in roots.iter().enumerate() {
            if i > 0 {
                self.text.push_str(" OR ");
            }
            self.text.push_str(column);
            self.text.push_str(" LIKE ");
            self.bind(format!("{r}%"));
        }
        self.text.push(')');
        self
    }

    /// Like [`Sql::scope`], but a row is in scope when any of `columns` is inside a root
    /// (e.g. the matter's place or the village it was assigned to).
    pub fn scope_any(&mut self, columns: &[&'static str], roots: &[String]) -> &mut Self {
        if roots.is_empty() {
            self.text.push_str("1 = 0");
            return self;
        }
        self.text.push('(');
        let mut first = true;
        for r in roots {
            for c in columns {
                if !first {
                    self.text.push_str(" OR ");
                }
                first = false;
                self.text.push_str(c);
                self.text.push_str(" LIKE ");
                self.bind(format!("{r}%"));
            }
        }
        self.text.push(')');
        self
    }

    /// The text and the bound values, for a driver other than sqlx.
    pub(crate) fn parts(&self) -> (&str, &[Value]) {
        (&self.text, &self.args)
    }

    fn query(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        let mut args = AnyArguments::default();
        for v in self.args {
            v.add_to(&mut args);
        }
        // Safe: the text is built only from &'static fragments and numbered placeholders.
        sqlx::query_with(AssertSqlSafe(self.text), args)
    }

    pub async fn fetch_all<T: FromRows>(self, to: impl Into<Target<'_>>) -> Result<Vec<T>> {
        let rows = match to.into() {
            Target::Pool(p) => self.query().fetch_all(p).await,
            Target::Conn(c) => match &mut c.0 {
                ConnKind::Any(tx) => self.query().fetch_all(&mut **tx).await,
                ConnKind::Lite(tx) => return tx.fetch_all(&self.text, &self.args),
            },
            Target::Lite(r) => return r.fetch_all(&self.text, &self.args, usize::MAX),
            Target::Scan(r) => return r.scan(self.text, self.args, usize::MAX).await,
        };
        rows.map_err(DbError::map)?
            .iter()
            .map(|r| T::from_row(r).map_err(DbError::from))
            .collect()
    }

    pub async fn fetch_optional<T: FromRows>(self, to: impl Into<Target<'_>>) -> Result<Option<T>> {
        let row = match to.into() {
            Target::Pool(p) => self.query().fetch_optional(p).await,
            Target::Conn(c) => match &mut c.0 {
                ConnKind::Any(tx) => self.query().fetch_optional(&mut **tx).await,
                ConnKind::Lite(tx) => {
                    return Ok(tx.fetch_all(&self.text, &self.args)?.into_iter().next());
                }
            },
            Target::Lite(r) => return Ok(r.fetch_all(&self.text, &self.args, 1)?.pop()),
            Target::Scan(r) => return Ok(r.scan(self.text, self.args, 1).await?.pop()),
        };
        row.map_err(DbError::map)?
            .map(|r| T::from_row(&r).map_err(DbError::from))
            .transpose()
    }

    pub async fn fetch_one<T: FromRows>(self, to: impl Into<Target<'_>>) -> Result<T> {
        self.fetch_optional(to).await?.ok_or(DbError::NotFound)
    }

    /// Ends an `UPDATE … SET …` of one record under the version read: bumps the version
    /// and `updated_at`, and answers `Stale` when another write came first.
    pub async fn execute_at_version(
        mut self,
        to: impl Into<Target<'_>>,
        now: i64,
        id: i64,
        version: i64,
    ) -> Result<()> {
        self.push(", version = version + 1, updated_at = ")
            .bind(now);
        self.push(" WHERE id = ")
            .bind(id)
            .push(" AND version = ")
            .bind(version);
        if self.execute(to).await? != 1 {
            return Err(DbError::Stale);
        }
        Ok(())
    }

    /// Runs the statement; returns the number of rows changed.
    pub async fn execute(self, to: impl Into<Target<'_>>) -> Result<u64> {
        let done = match to.into() {
            Target::Pool(p) => self.query().execute(p).await,
            Target::Conn(c) => match &mut c.0 {
                ConnKind::Any(tx) => self.query().execute(&mut **tx).await,
                ConnKind::Lite(tx) => return tx.execute(&self.text, &self.args),
            },
            Target::Lite(_) | Target::Scan(_) => {
                return Err(DbError::Config(
                    "a read connection cannot change data".into(),
                ));
            }
        };
        Ok(done.map_err(DbError::map)?.rows_affected())
    }
}

/// Declares a row type and how to read it by column name from either engine.
macro_rules! row {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name { $($(#[$fm])* pub $field: $ty),* }
        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                Ok(Self { $($field: $crate::sql::any_get(row, stringify!($field))?),* })
            }
        }
        impl $crate::sql::FromRows for $name {
            fn from_lite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                let mut _at = 0usize;
                Ok(Self { $($field: {
                    let v = $crate::sql::lite_get(row, _at, stringify!($field))?;
                    _at += 1;
                    v
                }),* })
            }
        }
    };
}
pub(crate) use row;

/// Column `name` of a SQLite row, looked for first at position `at`: fields usually
/// come in the order the statement selects them, while rusqlite finds a name by
/// comparing it with every column's (for a matter row, 36 names per field). That search
/// was 3.6% of the server's CPU under the lifecycle load (`perf`, bench/README.md ⁵).
pub(crate) fn lite_get<T: Column>(
    row: &rusqlite::Row<'_>,
    at: usize,
    name: &str,
) -> rusqlite::Result<T>
where
    T::Raw: rusqlite::types::FromSql,
{
    let raw = if row.as_ref().column_name(at).is_ok_and(|c| c == name) {
        row.get(at)?
    } else {
        row.get(name)?
    };
    T::from_raw(raw).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, e.into())
    })
}

/// Column `name` of a row read through sqlx, decoded into its domain type.
pub(crate) fn any_get<T: Column>(row: &AnyRow, name: &str) -> std::result::Result<T, sqlx::Error>
where
    T::Raw: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    use sqlx::Row;
    let raw = row.try_get::<T::Raw, _>(name)?;
    T::from_raw(raw).map_err(|e| sqlx::Error::ColumnDecode {
        index: name.to_string(),
        source: e.into(),
    })
}

/// A single-column count row.
pub(crate) struct Count(pub i64);
impl<'r> sqlx::FromRow<'r, AnyRow> for Count {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Count(row.try_get(0)?))
    }
}
impl FromRows for Count {
    fn from_lite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Count(row.get(0)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    row!(Pair {
        name: String,
        n: i64
    });

    /// Fields are found by name whatever the order of the selected columns.
    #[test]
    fn sqlite_rows_map_by_name_in_or_out_of_order() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let read = |sql: &str| -> Pair {
            let mut st = c.prepare(sql).unwrap();
            let mut rows = st.raw_query();
            Pair::from_lite(rows.next().unwrap().unwrap()).unwrap()
        };
        let want = Pair {
            name: "甲".into(),
            n: 7,
        };
        assert_eq!(read("SELECT '甲' AS name, 7 AS n"), want);
        assert_eq!(read("SELECT 7 AS n, '甲' AS name"), want);
        assert_eq!(read("SELECT 0 AS extra, 7 AS N, '甲' AS Name"), want);
    }
}
