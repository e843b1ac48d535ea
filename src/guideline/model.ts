/**
 * The guideline domain model: one shape for every upstream schema version
 * (1.2, 1.5, 1.6, 2.0 and add-ons). The committed YAML in guidelines/ is this
 * model serialised; importers and exporters translate to and from upstream JSON.
 */

export const CAPABILITY_STATUSES = ['required', 'advisory', 'deprecated', 'removed'] as const;
export type CapabilityStatus = (typeof CAPABILITY_STATUSES)[number];

export type GuidelineKind = 'guideline' | 'add-on';

/** Why a test is flagged; upstream 1.2 flags carry no reason, later ones do. */
export interface TestFlag {
  reason?: string;
  action?: string;
  date?: string;
}

export interface GuidelineTest {
  /** Full Tempest (or plugin) test name, without attributes. */
  name: string;
  /**
   * The idempotent id exactly as upstream wrote it (usually `id-<uuid>`, but some
   * historical files carry tags such as `,smoke` or omit the `id-` prefix).
   * RefStack's test lists print it verbatim, so it is kept verbatim.
   */
  idempotent_id?: string;
  aliases?: string[];
  flagged?: TestFlag;
}

export interface Capability {
  description: string;
  project: string;
  admin: boolean;
  achievements: string[];
  required_since?: string;
  /** Schema 1.2 only: the capability's own status and the guidelines it was in. */
  status?: string;
  guidelines?: string[];
  /** Schema 1.2 only: display name (upstream's `name`). */
  name?: string;
  tests: GuidelineTest[];
}

export type StatusLists = Partial<Record<CapabilityStatus, string[]>>;

export interface Component {
  capabilities: StatusLists;
  /** Schema 2.0: projects whose designated sections apply, by status. */
  designated_sections?: Partial<Record<CapabilityStatus, string[]>>;
}

export interface RequiredPlatformComponent {
  name: string;
  source: string;
}

/** A trademark program (2.0 `platforms` entry or add-on). */
export interface Program {
  description?: string;
  components: string[];
  required_platform_components?: RequiredPlatformComponent[];
}

export interface Criterion {
  name: string;
  weight: number;
  description: string;
}

export interface Scoring {
  cutoff_score?: number;
  criteria: Record<string, Criterion>;
}

export interface TestRepository {
  repository?: string;
  reference?: string;
  description?: string;
}

/** Designated sections are free-form nested prose; kept as plain data. */
export type DesignatedSections = Record<string, Record<string, Record<string, unknown>>>;

export interface UpstreamInfo {
  /** Upstream schema version: "1.2" | "1.5" | "1.6" | "2.0". */
  schema: string;
  /** The id upstream wrote, where it differs from the file's (orchestration.2018.02 says orchestration.next). */
  id?: string;
  reference?: string;
  source?: string;
  /**
   * Where upstream spelled a key differently from this model (e.g. `acheivements`,
   * `required-since`), keyed by the model's JSON pointer. Export restores the spelling.
   */
  spelling?: Record<string, string>;
  /** Upstream typed cutoff_score as a string in 1.x files. */
  cutoff_score_as_string?: boolean;
  /** Schema 1.2: order of the `flagged` list per capability, where it differs from test order. */
  flagged_order?: Record<string, string[]>;
}

export interface Guideline {
  format: 1;
  id: string;
  kind: GuidelineKind;
  upstream: UpstreamInfo;
  status?: string;
  releases?: string[];
  replaces?: string;
  target_approval?: string;
  scoring: Scoring;
  /** Schema 2.0 programs (`platforms`, or `add-ons`). Empty for 1.x. */
  programs: Record<string, Program>;
  /** Schema 1.x: component names of the platform by status. */
  platform?: StatusLists;
  components: Record<string, Component>;
  capabilities: Record<string, Capability>;
  designated_sections: DesignatedSections;
  test_repositories?: Record<string, TestRepository>;
}

/** Short program names users type, as RefStack's `target` parameter had them. */
export type ProgramName = 'platform' | 'compute' | 'object' | 'dns' | 'orchestration';
export const PROGRAM_NAMES: readonly ProgramName[] = ['platform', 'compute', 'object', 'dns', 'orchestration'];
