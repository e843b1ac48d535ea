/** What the service functions share: the database, the guidelines, the committee's key, the clock. */
import type { KeyObject } from 'node:crypto';
import type { LoadedGuideline } from '../guideline/load.js';
import type { Database } from './db.js';

/** How long a certification lasts. */
export interface ValidityPolicy {
  /** From approval. */
  lifetimeDays: number;
  /** After the guideline is superseded by a newer one. */
  graceDays: number;
}

export interface ServeContext {
  db: Database;
  /** A guideline by id, from the server's guidelines directory. */
  loadGuideline(id: string): Promise<LoadedGuideline>;
  /** Ids of the main guidelines (YYYY.MM), oldest first. */
  guidelineIds(): Promise<string[]>;
  /** Signs certification statements. */
  committeeKey: KeyObject;
  validity: ValidityPolicy;
  now(): Date;
}

/** Defaults: two years, ending 180 days after the guideline is superseded. */
export const DEFAULT_VALIDITY: ValidityPolicy = { lifetimeDays: 730, graceDays: 180 };
