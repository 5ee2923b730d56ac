/**
 * Data shared by every layer: resources as read and as wanted, the steps a kind drafts, kind names and
 * manifest keys. A leaf module: it imports nothing of appstreamctl's, so kinds/, core/ and engine/ can
 * all depend on it without depending on each other.
 */
import type { KindName, UpdateMode, FieldRole, ManifestKey, SingletonKey } from "./kind.js";
import type { Disruption, FieldDiff, PlanRead, Restore } from "./plan.js";

export type { FieldRole, KindName, ManifestKey, SingletonKey, UpdateMode, WaitKind } from "./kind.js";

/** One resource as read from AppStream, normalized into the manifest's shape. */
export interface LiveResource {
  kind: KindName;
  name: string;
  address: string;
  arn?: string;
  /** Manifest-shaped fields (lowerCamelCase), AWS defaults kept as AWS returned them. */
  spec: Record<string, unknown>;
  /** The service's own state (RUNNING, STOPPED, AVAILABLE, …) when the kind has one. */
  state?: string;
  /** FleetErrors / ImageBuilderErrors / ImageErrors as the service reported them. */
  errors?: { code: string; message: string }[];
  tags?: Record<string, string>;
  createdTime?: number;
  /**
   * What the listing said beyond the manifest's fields that lets another kind's read skip calls (an
   * image's ImageSharedWithOthers: no share to read when FALSE). Never compared.
   */
  facts?: Readonly<Record<string, unknown>>;
}

/** One resource as the manifest wants it. */
export interface DesiredResource {
  kind: KindName;
  name: string;
  /** `Kind/name`, as a live resource's: the two are matched by address. */
  address: string;
  /** The entry as written (after interpolation); for derived kinds their own small spec. */
  spec: Record<string, unknown>;
  /** JSON pointer of the entry (or of the field it derives from) in the merged manifest. */
  pointer: string;
  /** Addresses this resource needs to exist first. Soft references to resources outside the manifest are dropped. */
  dependsOn: string[];
  /** Effective tags (defaults.tags, the entry's tags and the ownership tag) for taggable kinds. */
  tags?: Record<string, string>;
  protect?: boolean;
}

/** A step before the planner gives it a global id: ids and `after` are local to one resource. */
export interface StepDraft {
  id: string;
  op: string;
  params: Record<string, unknown>;
  after?: string[];
  /** How service comes back if the steps after this one cannot finish; ids local, like `after`. */
  restore?: Restore;
}

/** What a kind's step builders may consult. */
export interface StepContext {
  region: string;
}

/** A field-level difference as the planner computed it, for kinds that choose steps per field. */
export interface FieldChange {
  field: string;
  path: string;
  mode: UpdateMode;
  /** True when the field is absent from the manifest and must be cleared. */
  clear: boolean;
  role: FieldRole;
}

/** What a resource in transition needs: a wait with the state line the plan shows, or only a warning. */
export type Settle =
  | { steps: StepDraft[]; diff: FieldDiff }
  | { warning: string };

/** Everything read so far, by kind: derived kinds read per parent (associations per stack, …). */
export interface LiveIndex {
  of(kind: KindName): readonly LiveResource[];
}

/** How a kind turns a difference into steps. */
export interface UpdatePlan {
  steps: StepDraft[];
  disruption: Disruption;
  reason: string;
  warnings?: string[];
}

/** The merged manifest as the planner sees it (validated before it gets here): a list per manifest key. */
export type ManifestDoc = {
  apiVersion: string;
  metadata: { name: string; region?: string; userPool?: "shared" | "exclusive"; lock?: { dynamodbTable: string; region?: string } };
  defaults?: { tags?: Record<string, string> };
  /** Names of resources managed elsewhere, per manifest key of the kinds that have an `external` list. */
  external?: Partial<Record<ManifestKey, string[]>>;
} & { [K in Exclude<ManifestKey, SingletonKey>]?: Record<string, unknown>[] } & {
  /** A singleton kind's one object, or `none` to declare it absent. */
  [K in SingletonKey]?: Record<string, unknown> | "none";
};

/** An image as the catalog lists it, for selectors. */
export interface CatalogImage {
  name: string;
  state?: string;
  visibility?: string;
  createdTime?: number;
  /** Not AVAILABLE yet: the plan produces it (or waits for it to finish) before anything uses it. */
  produced?: boolean;
  /** Created by this plan (not only waited for). */
  created?: boolean;
}
