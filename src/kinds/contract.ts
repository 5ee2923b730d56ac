/**
 * The kind contract (DESIGN.md §4): each resource kind is declared once, as data, in its own file.
 * This is the only place that knows AppStream: which fields exist, how each one can be changed, what a
 * resource depends on, and which cross-field rules the API enforces.
 */
import type { Code, Severity } from "../core/errors.js";
import type { JsonSchema } from "./schema-dsl.js";

/**
 * How a change to a field reaches AWS:
 * - `live`: an update call while the resource keeps serving;
 * - `requires-stop`: only while the resource is stopped (a running fleet is stopped, updated, restarted);
 * - `replace`: immutable, the resource is deleted and created again;
 * - `write-only`: sent but never read back (secrets), so it cannot be diffed.
 */
export type UpdateMode = "live" | "requires-stop" | "replace" | "write-only";

/**
 * What a field is for, beyond the API: `api` fields go into Create/Update calls; `state` drives
 * Start/Stop; `tags` go through Tag/UntagResource; `association` fields become their own kind
 * (FleetAssociation, UserAssociation, ImagePermission); `selector` is resolved at plan time;
 * `meta` fields never leave appstreamctl.
 */
export type FieldRole = "identity" | "api" | "state" | "tags" | "association" | "selector" | "meta";

/** One field of a kind's manifest entry. */
export interface FieldDef<S> {
  schema: JsonSchema;
  /** A fixed mode, or one that depends on the resource (e.g. on the fleet type). */
  mode: UpdateMode | ((spec: S) => UpdateMode);
  role: FieldRole;
  /**
   * The `AttributesToDelete` value that clears this field when it is removed from the manifest. A map
   * gives values for sub-paths ("" = the whole field), e.g. a fleet's security groups alone.
   */
  clear?: string | Readonly<Record<string, string>>;
  /** Never printed, saved or logged: the whole field, or only these sub-fields of it. */
  sensitive?: true | readonly string[];
  /** The value AWS fills in when the field is absent, so that absence and the default compare equal. */
  awsDefault?: unknown;
}

/** Every key of the spec must be declared: a missing entry is a compile error. */
export type FieldTable<S> = { readonly [K in keyof Required<S>]: FieldDef<S> };

/** A problem a kind finds in one entry, with a path relative to the entry (`["computeCapacity"]`). */
export interface RuleViolation {
  code: Code;
  message: string;
  path: readonly (string | number)[];
  severity?: Severity;
  hint?: string;
}

/** A reference from one entry to another resource, for validation and for dependency edges. */
export interface RefDef<S> {
  /** Path of the referring value in the entry, for positions in diagnostics. */
  path: readonly (string | number)[];
  /** Names referred to (none when the field is absent). */
  names: (spec: S) => readonly string[];
  /** True when the field is a list: the i-th name sits at `[...path, i]`. */
  each?: boolean;
  /** The manifest key of the kind referred to, e.g. `fleets`. */
  target: ManifestKey;
  code: Code;
}

/** The kinds a manifest lists, by their top-level key. */
export type ManifestKey = "directoryConfigs" | "images" | "imageBuilders" | "fleets" | "stacks" | "users";

/** All kind names, including those derived from fields of others (associations, permissions). */
export type KindName =
  | "DirectoryConfig"
  | "Image"
  | "ImagePermission"
  | "ImageBuilder"
  | "Fleet"
  | "Stack"
  | "FleetAssociation"
  | "User"
  | "UserAssociation";

/** Facts about the whole manifest that a kind's rules may consult. */
export interface ManifestView {
  names(key: ManifestKey): ReadonlySet<string>;
  find(key: ManifestKey, name: string): Record<string, unknown> | undefined;
}

/** A kind that has its own list in the manifest. */
export interface ListedKind<S> {
  kind: KindName;
  key: ManifestKey;
  /** The field that names an entry (unique within the kind). */
  identity: keyof S & string;
  /** Fields an entry must give (the identity included). */
  required: readonly (keyof S & string)[];
  /** Whether the API can tag it (ownership tag, defaults.tags). */
  taggable: boolean;
  description: string;
  fields: FieldTable<S>;
  /** References to other resources: checked by validation, and edges of the dependency graph. */
  refs: readonly RefDef<S>[];
  /** Cross-field rules of the API, pure. */
  rules: (spec: S, manifest: ManifestView) => RuleViolation[];
}

/** The entry type a kind declares, for code that handles kinds generically. */
export type AnyListedKind = ListedKind<any>;
