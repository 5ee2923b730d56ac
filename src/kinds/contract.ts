/**
 * The kind contract (DESIGN.md §4): each resource kind is declared once, as data, in its own file.
 * This is the only place that knows AppStream: which fields exist, how each one can be changed, what a
 * resource depends on, and which cross-field rules the API enforces.
 */
import type { Code, Severity } from "../core/errors.js";
import type { JsonSchema } from "./schema-dsl.js";
import type {
  DesiredResource, FieldChange, FieldRole, KindName, LiveIndex, LiveResource, ManifestDoc, ManifestKey, Settle, StepContext, StepDraft,
  UpdateMode, UpdatePlan, WaitKind,
} from "../model/resource.js";
import type { PlanRead } from "../model/plan.js";

export type {
  DesiredResource, FieldChange, FieldRole, KindName, LiveIndex, LiveResource, ManifestDoc, ManifestKey, Settle, StepContext, StepDraft,
  UpdateMode, UpdatePlan,
} from "../model/resource.js";

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
  /**
   * The value the service holds when the field is absent: absence on either side compares as it, and
   * removing the field from the manifest sends it (for fields without an AttributesToDelete value).
   */
  awsDefault?: unknown;
  /**
   * The one form in which the service holds a value written in several forms (a user setting given as
   * `ENABLED` or as `{permission: ENABLED}`), or with sub-fields the service defaults: applied to both
   * sides before they are compared, and to the value sent.
   */
  canonical?: (value: unknown) => unknown;
  /**
   * For `write-only` fields: the part of the value the service returns (a directory config's account
   * name, never its password). The field is compared on that part and sent whole when it differs; a
   * write-only field without it is never read back, and `remembered` says how the plan still sees it change.
   */
  readBack?: (value: unknown) => unknown;
  /**
   * What removing the field from the manifest does when neither `clear` nor `awsDefault` says it:
   * `unset` — the service holds nothing without it (a replace-mode field is created again without it);
   * `{ keep }` — why the live value is left alone (e.g. the service takes it from the image).
   */
  removal?: "unset" | { keep: string };
  /**
   * A field the service takes but never returns, whose value is remembered at create in a digest tag
   * (`appstreamctl:written`), so that a later change is seen; only for `replace` fields, whose create
   * writes the new digest. Left out, it is not managed (an export cannot know it), so `removal` keeps.
   */
  remembered?: true;
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

/** Listed kinds that are shorthands for entries of other kinds, not resources of their own. */
export type ShorthandName = "UserGroup";

/** Facts about the whole manifest that a kind's rules may consult. */
export interface ManifestView {
  names(key: ManifestKey): ReadonlySet<string>;
  find(key: ManifestKey, name: string): Record<string, unknown> | undefined;
  /** `defaults.tags`, merged into every taggable entry. */
  defaultTags(): Readonly<Record<string, string>>;
  /** Every entry of a kind, in manifest order. */
  entries(key: ManifestKey): readonly Record<string, unknown>[];
}

/** A kind that has its own list in the manifest. */
export interface ListedKind<S, K extends KindName | ShorthandName = KindName> {
  kind: K;
  key: ManifestKey;
  /** The field that names an entry (unique within the kind). */
  identity: keyof S & string;
  /** Fields an entry must give (the identity included). */
  required: readonly (keyof S & string)[];
  /** Whether the API can tag it (ownership tag, defaults.tags). */
  taggable: boolean;
  description: string;
  fields: FieldTable<S>;
  /** For fields whose mode depends on the entry: the cases the schema's descriptions spell out. */
  modeCases?: readonly { when: string; spec: Partial<S> }[];
  /** References to other resources: checked by validation, and edges of the dependency graph. */
  refs: readonly RefDef<S>[];
  /**
   * References that are dependency edges only when the target is in the manifest, and never an error
   * otherwise (a fleet's imageName usually names a public AWS image).
   */
  softRefs?: readonly { target: ManifestKey; names: (spec: S) => readonly string[] }[];
  /** Cross-field rules of the API, pure. */
  rules: (spec: S, manifest: ManifestView) => RuleViolation[];
  /**
   * For shorthand kinds that are no resource themselves (user groups): the entries of another kind they
   * stand for, planned as if written out.
   */
  expand?: { into: ManifestKey; entries: (spec: S) => Record<string, unknown>[] };
}

/** The entry type a kind declares, for code that handles kinds generically. */
export type AnyListedKind = ListedKind<any>;
/** A listed kind of the manifest: a resource kind or a shorthand. */
export type AnyManifestKind = ListedKind<any, KindName | ShorthandName>;

// ---------------------------------------------------------------------------------------------------
// Planning: live state, desired state and the steps a kind produces. Kinds stay pure here: reading is
// done through the injected caller, and steps are data.

/** Read access for `read` functions: the API, the Region, bounded parallel mapping. */
export interface ReadContext {
  api: import("../aws/api.js").AppStreamApi;
  region: string;
  map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]>;
  /**
   * A plan's declared addresses (derived ones included): a derived kind read per parent may read only the
   * parents whose resource of its kind is declared. Undefined when everything is read (drift, export).
   */
  declared?: ReadonlySet<string>;
}


