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

/** The kinds a manifest lists, by their top-level key. */
export type ManifestKey = "directoryConfigs" | "images" | "imageBuilders" | "fleets" | "stacks" | "users" | "userGroups";

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
  restore?: import("../core/plan-types.js").Restore;
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

/** Read access for `read` functions: the API, the Region, bounded parallel mapping. */
export interface ReadContext {
  api: import("../aws/api.js").AppStreamApi;
  region: string;
  map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]>;
}

/** What a resource in transition needs: a wait with the state line the plan shows, or only a warning. */
export type Settle =
  | { steps: StepDraft[]; diff: import("../core/plan-types.js").FieldDiff }
  | { warning: string };

/** Everything read so far, by kind: derived kinds read per parent (associations per stack, …). */
export interface LiveIndex {
  of(kind: KindName): readonly LiveResource[];
}

/** How a kind turns a difference into steps. */
export interface UpdatePlan {
  steps: StepDraft[];
  disruption: import("../core/plan-types.js").Disruption;
  reason: string;
  warnings?: string[];
}

/** The planning half of a kind: read, compare, and the steps for create / update / delete. */
export interface KindPlanner {
  kind: KindName;
  /** Fields compared by the planner (a listed kind's field table, or a derived kind's own). */
  fields: Readonly<Record<string, FieldDef<any>>>;
  taggable: boolean;
  /** Reads every resource of the kind in as few calls as the API allows. */
  read(ctx: ReadContext, prior: LiveIndex): Promise<LiveResource[]>;
  /**
   * Reads one resource by name exactly as `read` normalizes it (tags excluded), for the executor's
   * "changed since the plan" check; undefined when it is gone. Kinds whose API cannot read one by name
   * (users) leave it out and are not re-checked.
   */
  readOne?(ctx: ReadContext, name: string): Promise<LiveResource | undefined>;
  /** Aligns the two sides before comparison (e.g. compare on imageName when the manifest uses it). */
  project?(desired: Record<string, unknown>, live: Record<string, unknown>): { desired: Record<string, unknown>; live: Record<string, unknown> };
  create(d: DesiredResource, ctx: StepContext): StepDraft[];
  update(d: DesiredResource, l: LiveResource, changes: FieldChange[], ctx: StepContext): UpdatePlan;
  remove(l: LiveResource, ctx: StepContext): StepDraft[];
  /**
   * Derived kinds read per owner (associations per stack); this reads those of one other parent that
   * is going away (a fleet to delete or replace), wherever they are — a stack outside the manifest too.
   */
  readOf?(ctx: ReadContext, parent: LiveResource): Promise<LiveResource[]>;
  /** Derived kinds (associations, permissions) produce their desired resources from listed entries. */
  derive?(m: ManifestDoc): DesiredResource[];
  /** Why replacing this resource hurts, shown with every replace (e.g. the welcome e-mail is re-sent). */
  replaceNote?(d: DesiredResource): string;
  /**
   * Steps that let a live resource in transition settle before anything uses it (an image still
   * importing after an interrupted apply), with the state line the plan shows for them.
   */
  settle?(l: LiveResource): Settle | undefined;
  /**
   * Memberships whose removal changes their owner, the first of their parents (core/parents.ts): taking
   * a stack's fleet away changes the stack. When another parent is deleted, the plan refuses rather than
   * remove such a membership from an owner this manifest does not own.
   */
  removalChangesOwner?: boolean;
  /** The poller that reads this kind's run state (fleets, builders), for the apply's final summary. */
  runState?: import("./steps.js").WaitKind;
  /** A warning to show when this live resource is deleted, if deleting it hurts beyond itself. */
  removeWarning?(l: LiveResource): string | undefined;
  /**
   * Plan-time checks before a create, using only reads and dry runs (e.g. "is a managed update
   * available?"): a read to show in the plan, or a warning that the create will fail.
   */
  preflight?(d: DesiredResource, ctx: ReadContext): Promise<{ read?: import("../core/plan-types.js").PlanRead; warning?: string }>;
}

/** The merged manifest as the planner sees it (validated before it gets here). */
export interface ManifestDoc {
  apiVersion: string;
  metadata: { name: string; region?: string; userPool?: "shared" | "exclusive"; lock?: { dynamodbTable: string; region?: string } };
  defaults?: { tags?: Record<string, string> };
  external?: Partial<Record<"fleets" | "stacks" | "directoryConfigs" | "images", string[]>>;
  directoryConfigs?: Record<string, unknown>[];
  images?: Record<string, unknown>[];
  imageBuilders?: Record<string, unknown>[];
  fleets?: Record<string, unknown>[];
  stacks?: Record<string, unknown>[];
  users?: Record<string, unknown>[];
  userGroups?: Record<string, unknown>[];
}
