/**
 * Plans are data (DESIGN.md §2, §4): what `plan` prints, what `plan --out` saves and what `apply`
 * executes. Nothing here holds a closure, so a plan can be saved, shown and applied later, and tests
 * assert on values.
 */
import type { KindName, UpdateMode } from "./kind.js";

export const PLAN_FORMAT_VERSION = 1;

/** Terraform's action vocabulary. */
export type Action = "no-op" | "create" | "update" | "delete" | "read";
export type Actions = ["no-op"] | ["create"] | ["update"] | ["delete"] | ["delete", "create"] | ["read"];

/** `fleet-restart`: a running fleet is stopped and started again; `replace`: deleted and created. */
export type Disruption = "none" | "fleet-restart" | "replace";

/** Why a field change takes the path it takes, for the `# ...` notes of the text plan. */
export type FieldWhy = UpdateMode | "clear" | "state" | "tags" | "association" | "selector";

/** One changed field of a resource. Sensitive values are never stored, only the marker. */
export interface FieldDiff {
  /** Dotted path in manifest terms, e.g. `computeCapacity.desiredInstances`. */
  path: string;
  before?: unknown;
  after?: unknown;
  sensitive: boolean;
  why: FieldWhy;
}

/** The marker that stands in for a secret everywhere a plan is shown or saved. */
export const SENSITIVE = "(sensitive)";

export interface ResourceChange {
  /** `Fleet/NAME`, `FleetAssociation/STACK/FLEET`, … (DESIGN.md §2 Addresses). */
  address: string;
  kind: KindName;
  name: string;
  actions: Actions;
  disruption: Disruption;
  /** True when the change deletes (a delete or a replace); derived from `actions`, written for policy tools. */
  destructive?: boolean;
  /** One sentence on why this change is disruptive or destructive; empty otherwise. */
  reason: string;
  diff: FieldDiff[];
  /** Active sessions a stop or delete would end, when the plan read them. */
  activeSessions?: number;
  /** Non-fatal notes for the operator, e.g. "running sessions keep the old image until they end". */
  warnings?: string[];
}

/** A value resolved at plan time and shown as a read (`<=`), e.g. an image selector. */
export interface PlanRead {
  address: string;
  description: string;
  result: string;
}

/**
 * Placeholder for a secret inside step params: the executor re-reads it from the manifest's environment
 * at apply time, so saved plans never contain it.
 */
export interface SecretRef {
  $secret: string;
}

/** One executable unit; `op` selects the executor function from a registry. */
export interface Step {
  id: string;
  address: string;
  op: string;
  params: Record<string, unknown>;
  dependsOn: string[];
  /**
   * On a step that takes a resource out of service (a running fleet's stop): the steps after it that must
   * all get done for the resource to serve again, and how to bring it back if one of them fails or is
   * never run (an interrupt). The executor runs `steps` then, even after the first Ctrl-C.
   */
  restore?: Restore;
}

/** How service is restored when a guarded sequence (stop → update → start) cannot finish. */
export interface Restore {
  /** Ids of the steps guarded by the step that carries this (those after it, up to the restart). */
  guards: string[];
  /** Run in order; a step with `ifDone` runs only when that guarded step got done (e.g. undo an update). */
  steps: RestoreStep[];
  /** The state the resource is left in when the restore cannot run, e.g. `STOPPED`. */
  leftIn: string;
  /** The command an operator runs to bring it back by hand. */
  manual: string;
}

/** One step of a {@link Restore}; ids are global like every step id. */
export interface RestoreStep {
  id: string;
  op: string;
  params: Record<string, unknown>;
  /** Run only when this guarded step is done (or was cut off by an interrupt, its effect unknown). */
  ifDone?: string;
  /** A failure is reported but the restore goes on (undoing an update matters less than restarting). */
  optional?: boolean;
}

/** Where a plan was read and may be applied: a saved plan applied anywhere else is refused (exit 5). */
export interface PlanTarget {
  /** The account of the credentials (STS GetCallerIdentity); absent when it could not be read. */
  account?: string;
  region: string;
  /** Where the region came from: `flag`, `manifest`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `profile`, … */
  regionSource?: string;
  /** The AppStream endpoint override; absent for the SDK's regional endpoint. */
  endpoint?: string;
  /** Where the endpoint came from: `flag`, an `AWS_ENDPOINT_URL…` variable, `profile` or `local`. */
  endpointSource?: string;
  /** The shared-config profile in use, when one was named. */
  profile?: string;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  createdAt: string;
  target: PlanTarget;
  /** The manifest's ownership set (metadata.name). */
  set: string;
  summary: { add: number; change: number; destroy: number; disruptive: number };
  resourceChanges: ResourceChange[];
  reads: PlanRead[];
  steps: Step[];
  /** Live-state fingerprint per address touched by the plan, for stale-plan detection. */
  fingerprints: Record<string, string>;
  /** Plan-level warnings (e.g. two users differing only by case). */
  warnings: string[];
}
