//! How rows and columns map to Rust types on both databases: written out here rather than
//! derived, so the build does not compile sqlx's macros, and with them sqlx, SQLite's C, rustls
//! and tokio a second time for the compiler's own use (about a minute of CPU in a cold build).

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type, encode::IsNull};

use crate::content::Mode;
use crate::platform::Platform;
use crate::store::{DeliveryKind, DeliveryStatus, ModeSource};

/// `sqlx::FromRow` for a struct whose fields are read from the columns of the same names, on
/// SQLite and PostgreSQL, and `direct::FromDirectRow` for SQLite called directly:
/// `from_row!(Struct: field, field, ...)`. A field may be marked `= default` (left at its
/// default when the query has no such column) or `= flatten` (a struct of its own, read from
/// the same row).
macro_rules! from_row {
    ($name:ident: $($field:ident $(= $how:ident)?),* $(,)?) => {
        $crate::store::columns::from_row!(@impl sqlx::sqlite::SqliteRow, $name { $($field $(: $how)?),* });
        $crate::store::columns::from_row!(@impl sqlx::postgres::PgRow, $name { $($field $(: $how)?),* });
        impl $crate::store::direct::FromDirectRow for $name {
            fn from_direct_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok($name {
                    $($field: $crate::store::columns::from_row!(@direct row, $field $(, $how)?),)*
                })
            }
        }
    };
    (@impl $row_type:ty, $name:ident { $($field:ident $(: $how:ident)?),* }) => {
        impl<'r> sqlx::FromRow<'r, $row_type> for $name {
            fn from_row(row: &'r $row_type) -> Result<Self, sqlx::Error> {
                Ok($name {
                    $($field: $crate::store::columns::from_row!(@get row, $field $(, $how)?),)*
                })
            }
        }
    };
    (@get $row:ident, $field:ident) => {
        sqlx::Row::try_get($row, stringify!($field))?
    };
    (@get $row:ident, $field:ident, default) => {
        match sqlx::Row::try_get($row, stringify!($field)) {
            Err(sqlx::Error::ColumnNotFound(_)) => Default::default(),
            read => read?,
        }
    };
    (@get $row:ident, $field:ident, flatten) => {
        sqlx::FromRow::from_row($row)?
    };
    (@direct $row:ident, $field:ident) => {
        $row.get(stringify!($field))?
    };
    (@direct $row:ident, $field:ident, default) => {
        match $row.get(stringify!($field)) {
            Err(rusqlite::Error::InvalidColumnName(_)) => Default::default(),
            read => read?,
        }
    };
    (@direct $row:ident, $field:ident, flatten) => {
        $crate::store::direct::FromDirectRow::from_direct_row($row)?
    };
}
pub(crate) use from_row;

/// A fieldless enum stored as its `as_str()` text, one of `ALL`, on both databases.
macro_rules! text_column {
    ($($name:ident),*) => {$(
        text_column!(@on Sqlite, SqliteTypeInfo, SqliteValueRef, $name);
        text_column!(@on Postgres, PgTypeInfo, PgValueRef, $name);
        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                parse_text(value.as_str()?, &$name::ALL, $name::as_str)
                    .map_err(rusqlite::types::FromSqlError::Other)
            }
        }
    )*};
    (@on $db:ident, $info:ident, $value:ident, $name:ident) => {
        impl Type<$db> for $name {
            fn type_info() -> $info {
                <&str as Type<$db>>::type_info()
            }
            fn compatible(ty: &$info) -> bool {
                <&str as Type<$db>>::compatible(ty)
            }
        }
        impl Encode<'_, $db> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as sqlx::Database>::ArgumentBuffer,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<$db>>::encode(self.as_str(), buf)
            }
        }
        impl<'r> Decode<'r, $db> for $name {
            fn decode(value: $value<'r>) -> Result<Self, BoxDynError> {
                parse_text(<&str as Decode<$db>>::decode(value)?, &$name::ALL, $name::as_str)
            }
        }
    };
}

text_column!(Mode, ModeSource, Platform, DeliveryKind, DeliveryStatus);

fn parse_text<T: Copy>(
    text: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
) -> Result<T, BoxDynError> {
    let name = std::any::type_name::<T>()
        .rsplit("::")
        .next()
        .unwrap_or("value");
    all.iter()
        .copied()
        .find(|value| as_str(*value) == text)
        .ok_or_else(|| format!("{text:?} is not a known {name}").into())
}
