//! A small statement builder that numbers `$n` placeholders itself.
//! sqlx's `QueryBuilder` writes `?` under the Any driver, which PostgreSQL rejects.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Arguments, AssertSqlSafe, Encode, Type};

use crate::{DbError, Result};

/// SQL text plus its bound arguments.
pub(crate) struct Sql {
    text: String,
    args: AnyArguments,
    n: usize,
}

impl Sql {
    /// Starts a statement with fixed text (never user input).
    pub fn new(text: &'static str) -> Sql {
        Sql {
            text: text.to_string(),
            args: AnyArguments::default(),
            n: 0,
        }
    }

    /// Appends fixed text (never user input).
    pub fn push(&mut self, text: &'static str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder and binds `v` to it.
    pub fn bind<T>(&mut self, v: T) -> &mut Self
    where
        T: for<'q> Encode<'q, Any> + Type<Any> + Send + 'static,
    {
        self.n += 1;
        self.text.push('$');
        self.text.push_str(&self.n.to_string());
        self.args.add(v).expect("encoding a bind value");
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

    fn query(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        // Safe: the text is built only from &'static fragments and numbered placeholders.
        sqlx::query_with(AssertSqlSafe(self.text), self.args)
    }

    pub async fn fetch_all<'e, E, T>(self, ex: E) -> Result<Vec<T>>
    where
        E: sqlx::Executor<'e, Database = Any>,
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let rows = self.query().fetch_all(ex).await.map_err(DbError::map)?;
        rows.iter()
            .map(|r| T::from_row(r).map_err(DbError::from))
            .collect()
    }

    pub async fn fetch_optional<'e, E, T>(self, ex: E) -> Result<Option<T>>
    where
        E: sqlx::Executor<'e, Database = Any>,
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let row = self
            .query()
            .fetch_optional(ex)
            .await
            .map_err(DbError::map)?;
        row.map(|r| T::from_row(&r).map_err(DbError::from))
            .transpose()
    }

    pub async fn fetch_one<'e, E, T>(self, ex: E) -> Result<T>
    where
        E: sqlx::Executor<'e, Database = Any>,
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        self.fetch_optional(ex).await?.ok_or(DbError::NotFound)
    }

    /// Runs the statement; returns the number of rows changed.
    pub async fn execute<'e, E>(self, ex: E) -> Result<u64>
    where
        E: sqlx::Executor<'e, Database = Any>,
    {
        Ok(self
            .query()
            .execute(ex)
            .await
            .map_err(DbError::map)?
            .rows_affected())
    }
}

/// Declares a row type and its `FromRow` by column name.
macro_rules! row {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name { $($(#[$fm])* pub $field: $ty),* }
        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row;
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}
pub(crate) use row;

/// A single-column count row.
pub(crate) struct Count(pub i64);
impl<'r> sqlx::FromRow<'r, AnyRow> for Count {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Count(row.try_get(0)?))
    }
}
