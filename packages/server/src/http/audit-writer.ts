import type { Db } from '../db/database.js';
import type { auditLog } from '../db/schema.js';
import { insertByUnnest } from '../db/unnest-insert.js';

/** One row of the audit log as written (its id and time are the database's). */
export type AuditRow = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;

/** One insert of any number of audit rows (the statement's text is the same for every batch). */
function insertAuditRows(db: Db, rows: AuditRow[]): Promise<void> {
  const column = (name: string, arrayType: string, pick: (row: AuditRow) => unknown) => ({
    name,
    arrayType,
    values: rows.map((row) => pick(row) ?? null),
  });
  return insertByUnnest(db, 'audit_log', [
    column('actor_id', 'uuid[]', (r) => r.actorId),
    column('actor_role', 'text[]', (r) => r.actorRole),
    column('patient_id', 'uuid[]', (r) => r.patientId),
    column('action', 'text[]', (r) => r.action),
    column('resource', 'text[]', (r) => r.resource),
    column('method', 'text[]', (r) => r.method),
    column('route', 'text[]', (r) => r.route),
    column('status', 'smallint[]', (r) => r.status),
    column('ip', 'text[]', (r) => r.ip),
    column('user_agent', 'text[]', (r) => r.userAgent),
    {
      ...column('details', 'text[]', (r) => (r.details == null ? null : JSON.stringify(r.details))),
      expression: 'details::jsonb',
    },
  ]);
}

interface Waiting {
  rows: AuditRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes audit rows in batches, like a database's group commit: a write starts at once when none is in
 * flight; rows that arrive meanwhile go together into the next insert. Every caller's promise resolves
 * only once its own rows are committed, so a response is never sent before its audit entry is stored.
 * Under load this turns one insert (and one commit) per request into one per batch.
 */
export class AuditWriter {
  private waiting: Waiting[] = [];
  private flushing = false;

  /**
   * @param db - the database
   * @param maxRows - most rows in one insert
   */
  constructor(
    private readonly db: Db,
    private readonly maxRows = 1000,
  ) {}

  /** Stores the rows; resolves when they are committed, rejects when they could not be. */
  write(rows: AuditRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch: Waiting[] = [];
        let count = 0;
        while (
          this.waiting.length > 0 &&
          (batch.length === 0 || count + this.waiting[0]!.rows.length <= this.maxRows)
        ) {
          const next = this.waiting.shift()!;
          batch.push(next);
          count += next.rows.length;
        }
        await this.insert(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async insert(batch: Waiting[]): Promise<void> {
    try {
      await insertAuditRows(
        this.db,
        batch.flatMap((w) => w.rows),
      );
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // one bad request must not fail the others that shared its batch
      for (const w of batch) await this.insert([w]);
    }
  }
}
