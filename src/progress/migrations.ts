// The progress database's schema, as an append-only list of migrations.
// Index i upgrades a database at user_version i to i+1; never edit a shipped
// entry, add a new one (a learner's existing file must keep opening).

export const MIGRATIONS: readonly string[] = [
  // 1: sessions, finished steps, the commands learners ran, persistent settings.
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    current_lesson TEXT
  );
  CREATE TABLE progress (
    session TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    lesson TEXT NOT NULL,
    step TEXT NOT NULL,
    done_at INTEGER NOT NULL,
    PRIMARY KEY (session, lesson, step)
  );
  CREATE TABLE commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    node TEXT NOT NULL,
    argv TEXT NOT NULL,
    exit_code INTEGER,
    line TEXT
  );
  CREATE INDEX commands_by_session ON commands (session, id);
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];
