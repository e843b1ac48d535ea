/** The append-only audit log: one row per action, written in the action's transaction. */
import type { Actor } from './actor.js';
import { actorName, requireReviewer } from './actor.js';
import type { Queryable } from './db.js';

export async function audit(q: Queryable, actor: Actor | string | undefined, action: string, subject: string, detail: Record<string, unknown> = {}): Promise<void> {
  await q.query('insert into audit_log (actor, action, subject, detail) values ($1, $2, $3, $4)', [typeof actor === 'string' ? actor : actorName(actor), action, subject, JSON.stringify(detail)]);
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

/** The newest entries first; the committee only. */
export async function listAudit(q: Queryable, actor: Actor | undefined, limit = 200): Promise<AuditEntry[]> {
  requireReviewer(actor);
  const rows = await q.query<{ id: number; at: Date; actor: string; action: string; subject: string; detail: string }>(
    'select id, at, actor, action, subject, detail from audit_log order by id desc limit $1',
    [Math.min(Math.max(1, limit), 1000)],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
