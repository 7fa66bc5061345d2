//! The group commit with its thread held, so the writes sent meanwhile share a transaction.

use super::*;

const INSERT: &str = "INSERT INTO notes (text) VALUES ($1)";

async fn writer(dir: &tempfile::TempDir) -> (Writer, Connection) {
    let file = dir.path().join("writer.db");
    let bare = Target {
        file: file.clone(),
        statements: Vec::new(),
    };
    let reader = direct::open(&bare, &[]).expect("opened");
    reader
        .execute_batch("CREATE TABLE notes (text TEXT NOT NULL UNIQUE)")
        .expect("a table");
    let target = Target {
        file,
        statements: vec![INSERT],
    };
    (Writer::start(target).await.expect("a writer"), reader)
}

fn insert(writer: &Writer, text: &'static str) -> tokio::task::JoinHandle<anyhow::Result<usize>> {
    let writer = writer.clone();
    tokio::spawn(async move {
        writer
            .write(move |connection| direct::execute(connection, INSERT, &[&text]))
            .await
    })
}

/// Holds the writer's thread in a first write until the returned sender is dropped, so the
/// writes sent meanwhile are committed together.
async fn hold(writer: &Writer) -> std::sync::mpsc::Sender<()> {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (holding, held) = oneshot::channel();
    let writer_clone = writer.clone();
    tokio::spawn(async move {
        writer_clone
            .write(move |connection| {
                let _ = holding.send(());
                let _ = released.recv();
                direct::execute(connection, INSERT, &[&"held"])
            })
            .await
    });
    held.await.expect("the first write runs");
    release
}

async fn queued(writer: &Writer, count: usize) {
    while writer.jobs.capacity() > writer.jobs.max_capacity() - count {
        tokio::task::yield_now().await;
    }
}

fn texts(reader: &Connection) -> Vec<String> {
    let mut statement = reader
        .prepare("SELECT text FROM notes ORDER BY text")
        .expect("a read");
    let rows = statement.query_map([], |row| row.get(0)).expect("rows");
    rows.collect::<rusqlite::Result<_>>().expect("texts")
}

#[tokio::test]
async fn a_constraint_fails_only_its_own_write_in_a_group() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (writer, reader) = writer(&dir).await;
    let release = hold(&writer).await;
    let writes = [
        insert(&writer, "a"),
        insert(&writer, "held"),
        insert(&writer, "b"),
    ];
    queued(&writer, 3).await;
    drop(release);
    let [a, duplicate, b] = writes;
    assert_eq!(a.await.expect("joined").expect("a committed"), 1);
    let refused = duplicate.await.expect("joined").expect_err("a duplicate");
    assert!(format!("{refused:#}").contains("UNIQUE"), "{refused:#}");
    assert_eq!(b.await.expect("joined").expect("b committed"), 1);
    assert_eq!(texts(&reader), ["a", "b", "held"]);
}

#[tokio::test]
async fn any_other_error_fails_its_whole_group_and_the_writer_carries_on() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (writer, reader) = writer(&dir).await;
    let release = hold(&writer).await;
    let broken = {
        let writer = writer.clone();
        tokio::spawn(async move {
            writer
                .write(|connection| {
                    direct::execute(connection, "INSERT INTO gone VALUES ($1)", &[&1])
                })
                .await
        })
    };
    let writes = [insert(&writer, "c"), insert(&writer, "d")];
    queued(&writer, 3).await;
    drop(release);
    assert!(broken.await.expect("joined").is_err());
    for write in writes {
        let undone = write
            .await
            .expect("joined")
            .expect_err("undone with its group");
        assert!(format!("{undone:#}").contains("try again"), "{undone:#}");
    }
    assert_eq!(texts(&reader), ["held"]);
    assert_eq!(
        insert(&writer, "e")
            .await
            .expect("joined")
            .expect("e committed"),
        1
    );
    assert_eq!(texts(&reader), ["e", "held"]);
}
