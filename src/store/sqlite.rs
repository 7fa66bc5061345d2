//! SQLite's connections. The reads nearly every command makes run where they are called
//! (`direct.rs`); other single statements run on a few sqlx connections kept open and handed
//! out directly; sqlx's pool, which sends each connection a ping as it comes back (a second
//! trip to the connection's thread for every statement), is kept for transactions and the
//! background checkpoint. The frequent writes go through the group-committing writer
//! (`writer.rs`).

use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteConnection, SqlitePool, SqliteQueryResult, SqliteRow,
    SqliteStatement, SqliteTypeInfo,
};
use sqlx::{ConnectOptions, Connection, Either, Execute, Executor, SqlStr};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::readers::Readers;

/// A SQLite database: the connections for the reads nearly every command makes, the kept
/// connections for other single statements, and the pool.
#[derive(Clone, Debug)]
pub(crate) struct SqliteDb {
    readers: Arc<Readers>,
    kept: Arc<Kept>,
    pool: SqlitePool,
}

#[derive(Debug)]
struct Kept {
    idle: Mutex<Vec<SqliteConnection>>,
    turns: Arc<Semaphore>,
    /// How many connections, and so how many turns, there are.
    count: u32,
}

/// A kept connection on loan; it goes back when dropped.
struct Loan {
    connection: Option<SqliteConnection>,
    kept: Arc<Kept>,
    _turn: OwnedSemaphorePermit,
}

impl SqliteDb {
    /// Opens `count` kept connections now, so no command pays for opening one.
    pub(crate) async fn open(
        options: &SqliteConnectOptions,
        pool: SqlitePool,
        readers: Readers,
        count: usize,
    ) -> Result<SqliteDb, sqlx::Error> {
        // Side by side: each connection opens on its own thread.
        let opening = (0..count).map(|_| options.connect());
        let idle = futures_util::future::try_join_all(opening).await?;
        Ok(SqliteDb {
            readers: Arc::new(readers),
            kept: Arc::new(Kept {
                idle: Mutex::new(idle),
                turns: Arc::new(Semaphore::new(count)),
                count: u32::try_from(count).unwrap_or(u32::MAX),
            }),
            pool,
        })
    }

    /// The connections for reads that run where they are called.
    pub(crate) fn readers(&self) -> &Readers {
        &self.readers
    }

    /// A transaction on one of the pool's connections.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, Sqlite>, sqlx::Error> {
        self.pool.begin().await
    }

    /// Closes the pool and the kept connections; a statement still running finishes first.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
        self.readers.close();
        // Every turn back first: the connections on loan return to the idle list.
        if let Ok(turns) = self.kept.turns.acquire_many(self.kept.count).await {
            turns.forget();
        }
        self.kept.turns.close();
        let idle = std::mem::take(&mut *lock(&self.kept.idle));
        for connection in idle {
            let _ = connection.close().await;
        }
    }

    async fn borrow(&self) -> Result<Loan, sqlx::Error> {
        let turn = self
            .kept
            .turns
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let connection = lock(&self.kept.idle).pop();
        Ok(Loan {
            connection,
            kept: self.kept.clone(),
            _turn: turn,
        })
    }
}

impl Loan {
    fn connection(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        // A turn always finds a connection: there are as many turns as connections.
        self.connection.as_mut().ok_or(sqlx::Error::PoolClosed)
    }
}

impl Drop for Loan {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            lock(&self.kept.idle).push(connection);
        }
    }
}

/// The mutex's value, also after a thread panicked holding it (nothing it guards is left
/// half-changed: a list of idle connections).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<'c> Executor<'c> for &'c SqliteDb {
    type Database = Sqlite;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<SqliteQueryResult, SqliteRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        // The results are gathered while the connection is on loan, then handed out.
        futures_util::stream::once(async move {
            let steps: Vec<_> = match self.borrow().await {
                Ok(mut loan) => match loan.connection() {
                    Ok(connection) => connection.fetch_many(query).collect().await,
                    Err(error) => vec![Err(error)],
                },
                Err(error) => vec![Err(error)],
            };
            futures_util::stream::iter(steps)
        })
        .flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<SqliteRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        Box::pin(async move {
            let mut loan = self.borrow().await?;
            loan.connection()?.fetch_optional(query).await
        })
    }

    fn prepare_with<'e>(
        self,
        sql: SqlStr,
        parameters: &'e [SqliteTypeInfo],
    ) -> BoxFuture<'e, Result<SqliteStatement, sqlx::Error>>
    where
        'c: 'e,
    {
        Box::pin(async move {
            let mut loan = self.borrow().await?;
            loan.connection()?.prepare_with(sql, parameters).await
        })
    }

    fn execute<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<SqliteQueryResult, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        Box::pin(async move {
            let mut loan = self.borrow().await?;
            loan.connection()?.execute(query).await
        })
    }

    fn fetch_all<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Vec<SqliteRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        Box::pin(async move {
            let mut loan = self.borrow().await?;
            loan.connection()?.fetch(query).try_collect().await
        })
    }
}
