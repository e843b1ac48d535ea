/** Who is asking, and the authorization rules every service function applies. */
import { forbidden, unauthenticated } from './errors.js';

export type Role = 'vendor' | 'reviewer' | 'admin';

/** A logged-in user (by session or API token). Anonymous requests have no actor. */
export interface Actor {
  userId: number;
  email: string;
  role: Role;
  /** The vendor a vendor user acts for; null for reviewers and admins. */
  vendorId: number | null;
}

export function requireActor(a: Actor | undefined): Actor {
  if (!a) throw unauthenticated();
  return a;
}

/** A vendor user; returns its vendor id. */
export function requireVendor(a: Actor | undefined): number {
  const actor = requireActor(a);
  if (actor.role !== 'vendor' || actor.vendorId === null) throw forbidden('only a vendor account can do this');
  return actor.vendorId;
}

/** Reviewers and admins: the interop committee. */
export function requireReviewer(a: Actor | undefined): Actor {
  const actor = requireActor(a);
  if (actor.role !== 'reviewer' && actor.role !== 'admin') throw forbidden('only a reviewer can do this');
  return actor;
}

export function requireAdmin(a: Actor | undefined): Actor {
  const actor = requireActor(a);
  if (actor.role !== 'admin') throw forbidden('only an admin can do this');
  return actor;
}

export function isCommittee(a: Actor | undefined): boolean {
  return a?.role === 'reviewer' || a?.role === 'admin';
}

/** How the audit log names an actor. */
export function actorName(a: Actor | undefined): string {
  return a ? `${a.role}:${a.email}` : 'anonymous';
}
