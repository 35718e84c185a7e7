// Progress storage: learners' sessions, the steps they finished and the
// commands they ran, in one SQLite file (~/.kubelab/kubelab.db by default), so
// progress survives a page reload and a server restart.
// Leaves out: cluster snapshots (a restarted server rebuilds clusters fresh)
// and multi-user accounts (a session is one browser profile).

import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.ts";

export interface SessionRow {
  id: string;
  created: number;
  currentLesson: string | null;
}

export interface StepDone {
  lesson: string;
  step: string;
  doneAt: number;
}

export interface CommandRecord {
  /** Cluster or wall time, ms, as the caller decides (the server passes wall time). */
  time: number;
  node: string;
  argv: string[];
  exitCode: number | null;
  /** The raw line the learner typed, when it came from the shell's history hook. */
  line?: string;
}

export class ProgressStore {
  private readonly db: Database.Database;

  /** Opens (or creates) the database at `file`; ":memory:" for tests. */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
  }

  /** The schema version this database is at (the number of migrations applied). */
  get version(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  close(): void {
    this.db.close();
  }

  /** A value that must persist across restarts (the cookie-signing secret). */
  setting(key: string, create: () => string): string {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined;
    if (row) return row.value;
    const value = create();
    this.db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)").run(key, value);
    return value;
  }

  createSession(id: string, created: number): SessionRow {
    this.db.prepare("INSERT OR IGNORE INTO sessions (id, created) VALUES (?, ?)").run(id, created);
    return this.session(id)!;
  }

  session(id: string): SessionRow | undefined {
    const row = this.db.prepare("SELECT id, created, current_lesson FROM sessions WHERE id = ?").get(id) as
      | { id: string; created: number; current_lesson: string | null }
      | undefined;
    return row && { id: row.id, created: row.created, currentLesson: row.current_lesson };
  }

  setCurrentLesson(session: string, lesson: string): void {
    this.db.prepare("UPDATE sessions SET current_lesson = ? WHERE id = ?").run(lesson, session);
  }

  /** Records a finished step; a step already done keeps its first time. Returns whether it was new. */
  markDone(session: string, lesson: string, step: string, doneAt: number): boolean {
    const r = this.db
      .prepare("INSERT OR IGNORE INTO progress (session, lesson, step, done_at) VALUES (?, ?, ?, ?)")
      .run(session, lesson, step, doneAt);
    return r.changes > 0;
  }

  progress(session: string, lesson?: string): StepDone[] {
    const rows = (
      lesson === undefined
        ? this.db.prepare("SELECT lesson, step, done_at FROM progress WHERE session = ? ORDER BY done_at, step").all(session)
        : this.db
            .prepare("SELECT lesson, step, done_at FROM progress WHERE session = ? AND lesson = ? ORDER BY done_at, step")
            .all(session, lesson)
    ) as { lesson: string; step: string; done_at: number }[];
    return rows.map((r) => ({ lesson: r.lesson, step: r.step, doneAt: r.done_at }));
  }

  /** Forgets the steps of one lesson (the "reset this lesson" control). */
  resetLesson(session: string, lesson: string): void {
    this.db.prepare("DELETE FROM progress WHERE session = ? AND lesson = ?").run(session, lesson);
  }

  addCommand(session: string, c: CommandRecord): void {
    this.db
      .prepare("INSERT INTO commands (session, time, node, argv, exit_code, line) VALUES (?, ?, ?, ?, ?, ?)")
      .run(session, c.time, c.node, JSON.stringify(c.argv), c.exitCode, c.line ?? null);
  }

  /** The session's most recent commands, oldest first. */
  commands(session: string, limit = 1000): CommandRecord[] {
    const rows = this.db
      .prepare("SELECT time, node, argv, exit_code, line FROM commands WHERE session = ? ORDER BY id DESC LIMIT ?")
      .all(session, limit) as { time: number; node: string; argv: string; exit_code: number | null; line: string | null }[];
    return rows.reverse().map((r) => ({
      time: r.time,
      node: r.node,
      argv: JSON.parse(r.argv) as string[],
      exitCode: r.exit_code,
      ...(r.line === null ? {} : { line: r.line }),
    }));
  }

  private migrate(): void {
    const from = this.version;
    if (from > MIGRATIONS.length) {
      throw new Error(`kubelab database is at schema version ${from}, newer than this kubelab (${MIGRATIONS.length}); upgrade kubelab`);
    }
    // Each migration and its version bump commit together, so a crash never
    // leaves a half-migrated file.
    for (let v = from; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }
}
