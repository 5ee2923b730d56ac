/**
 * A kind is one object (DESIGN.md §4): everything the other layers need to know about a resource kind —
 * its fields, how it is read, waited on, created, changed and deleted, who owns it, what it hangs off —
 * declared once with {@link defineKind} in the kind's own file and listed once in the registry
 * (kinds/index.ts `KINDS`). core/, engine/ and cli/ handle kinds only through these facts.
 */
import type { AppStreamApi, InputOf, Operation, ResultOf } from "../aws/api.js";
import type { AwsCallOptions } from "../aws/call.js";
import type { PlanRead, ResourceChange, Step } from "../model/plan.js";
import type {
  CatalogImage, DesiredResource, FieldChange, KindName, LiveIndex, LiveResource, ManifestDoc, ManifestKey, Settle, StepContext, StepDraft, UpdatePlan,
  WaitKind,
} from "../model/resource.js";
import type { ConnectTarget } from "./connect.js";
import type { FieldDef, ListedKind, ManifestView, ReadContext } from "./contract.js";
import { unknownValueRules } from "./known-values.js";

/**
 * Who may delete a live resource that the manifest does not declare (DESIGN.md §3):
 * - `tag`: with `--prune`, when it carries this set's ownership tag;
 * - `owner`: a membership or share, reconciled exactly whenever its owner (first parent) is declared;
 * - `user-pool`: with `--prune` and `metadata.userPool: exclusive` (nothing can be tagged);
 * - `never`: ownership cannot be proven (not taggable), so it is never deleted;
 * - `singleton`: the one resource of a `singleton` kind, deleted when the manifest says `KEY: none` (with or
 *   without --prune: no set owns an account-wide setting, so --prune alone never deletes it).
 */
export type Ownership = "tag" | "owner" | "user-pool" | "never" | "singleton";

/** What an op function may do. Mutating calls made through `call` hold a `--parallelism` slot. */
export interface OpCtx {
  /** A call in the plan's region, with callAws's retries and AppError wrapping. Any operation of aws/operations.ts's table. */
  call<O extends Operation>(op: O, input: InputOf<O>, opts?: AwsCallOptions): Promise<ResultOf<O>>;
  /** The same in another region (a copy runs in its source region). */
  callIn<O extends Operation>(region: string, op: O, input: InputOf<O>, opts?: AwsCallOptions): Promise<ResultOf<O>>;
  /** Joins the shared poller of `kind` (one read per tick for every waiting resource). */
  wait(kind: WaitKind, req: { name: string; until: string; timeoutMs: number }): Promise<void>;
  /** The manifest value at a JSON pointer (a password), resolved only when the call is made. */
  secret(pointer: string): string;
  timeouts: Readonly<Record<WaitKind, number>>;
  /**
   * Whether the step runs after steps of other resources in this apply (what it refers to was just
   * created or changed): only then can a ResourceNotFound be eventual consistency rather than a
   * reference to something nobody created.
   */
  followsOthers: boolean;
}

/** Carries out one step; may return a note for the progress line (e.g. "already gone"). */
export type OpFn<P = Record<string, unknown>> = (ctx: OpCtx, step: Omit<Step, "params"> & { params: P }) => Promise<string | undefined>;

/** Ops whose ready steps the executor groups into one call of up to `size` items. */
export interface BatchDef {
  ops: readonly string[];
  size: number;
  /** Sends the steps (all of `op`) in one call; per step id, its error or undefined when it succeeded. */
  run(ctx: BatchCtx, op: string, steps: readonly Step[]): Promise<Map<string, Error | undefined>>;
}

/** What a batch needs: a call that holds a parallelism slot, and the clock for the propagation retry. */
export interface BatchCtx {
  call<O extends Operation>(op: O, input: InputOf<O>, opts?: AwsCallOptions): Promise<ResultOf<O>>;
  clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> };
  signal?: AbortSignal;
}

/** What one observation means for a waiter that is not yet satisfied. */
export interface WaitProblem {
  message: string;
  /** Fail at once (FAILED), or only after a few polls in a row (it may clear). */
  fatal: boolean;
}

/** How a kind is waited on: one shared read per tick for every resource of the kind that waits. */
export interface Waiter<R = unknown> {
  /** The name of the wait (`--wait-timeout fleet=60m`, wait steps' `kind`). */
  kind: WaitKind;
  /** Default longest wait. */
  timeoutMs: number;
  /** The resources with these names (every page), or the whole listing when `names` is undefined. */
  read(api: AppStreamApi, names: string[] | undefined): Promise<R[]>;
  name(r: R): string;
  state(r: R): string;
  problem(r: R, until: string): WaitProblem | undefined;
  /**
   * For a kind whose read pages the whole listing whatever the names (no name filter): while more waits
   * of the apply are still to join, the poller does not read, so resources created in a row are looked
   * for together after the last create instead of on every tick while they are being created.
   */
  gather?: boolean;
}

/** How a listed kind's memberships show in drift and export: the field that declares them. */
export interface AssociationFacts {
  field: string;
  /**
   * The field's live value, from the memberships read (manifest-shaped, sorted). `live` holds the
   * derived resources whose owner (first parent) is this entry, possibly of several kinds.
   */
  live(name: string, live: readonly LiveResource[]): unknown;
  /** The live value as compared with the declared one, as a kind's `project` aligns its fields (both given). */
  align?(declared: unknown, live: unknown): unknown;
  /** The field's declared value, in the same form. */
  declared(spec: Record<string, unknown>): unknown;
  /** The value export writes, when it differs from `live` (undefined or empty: nothing written); `live` as there. */
  exported?(name: string, live: readonly LiveResource[]): unknown;
}

/** How a listed kind's entry is written by `export`. */
export interface ExportFacts {
  /** The live spec as the manifest should say it (members that would pin a default, echoes dropped). */
  entry?(spec: Record<string, unknown>): Record<string, unknown>;
  /** A write-only secret that cannot be read back: written as `${env:…}` with a comment. */
  secret?: { path: readonly string[]; comment: string; note: (vars: readonly string[]) => string };
  /** The entry with its membership fields added, as the manifest should say it (a field they make redundant dropped). */
  finish?(entry: Record<string, unknown>): Record<string, unknown>;
}

/** One resource of a plan as a kind's `orderCreates` sees it. */
export interface PlannedView {
  change: ResourceChange;
  live?: LiveResource;
  desired?: DesiredResource;
}

/** The planning and executing half every kind has. */
export interface KindCore<K extends KindName = KindName> {
  kind: K;
  /** Creation order among kinds: lower first; deletes run in the reverse graph. */
  rank: number;
  /** The kind in prose, e.g. `image builder` (plan notes such as "requires stopped image builder"). */
  noun: string;
  /** Fields compared by the planner (a listed kind's field table, or a derived kind's own). */
  fields: Readonly<Record<string, FieldDef<any>>>;
  taggable: boolean;
  ownership: Ownership;
  /** Reads every resource of the kind in as few calls as the API allows. */
  read(ctx: ReadContext, prior: LiveIndex): Promise<LiveResource[]>;
  /**
   * Reads one resource by name exactly as `read` normalizes it (tags excluded), for the executor's
   * "changed since the plan" check; undefined when it is gone. Kinds whose API cannot read one by name
   * (users) leave it out and are not re-checked.
   */
  readOne?(ctx: ReadContext, name: string): Promise<LiveResource | undefined>;
  /** The ARN of the resource by name, for tag steps planned before it existed. */
  arn?(ctx: OpCtx, name: string, opts: AwsCallOptions): Promise<string | undefined>;
  /** Aligns the two sides before comparison (e.g. compare on imageName when the manifest uses it). */
  project?(desired: Record<string, unknown>, live: Record<string, unknown>): { desired: Record<string, unknown>; live: Record<string, unknown> };
  create(d: DesiredResource, ctx: StepContext): StepDraft[];
  update(d: DesiredResource, l: LiveResource, changes: FieldChange[], ctx: StepContext): UpdatePlan;
  remove(l: LiveResource, ctx: StepContext): StepDraft[];
  /** The executor function of each op this kind's steps use. */
  ops: Readonly<Record<string, OpFn<any>>>;
  /** Ops sent many at a time. */
  batch?: BatchDef;
  waiter?: Waiter<any>;
  /** The waiter that reads this kind's run state (fleets, builders), for the apply's final summary. */
  runState?: WaitKind;
  /** Why replacing this resource hurts, shown with every replace (e.g. the welcome e-mail is re-sent). */
  replaceNote?(d: DesiredResource): string;
  /**
   * Steps that let a live resource in transition settle before anything uses it (an image still
   * importing after an interrupted apply), with the state line the plan shows for them.
   */
  settle?(l: LiveResource, d?: DesiredResource): Settle | undefined;
  /** A warning to show when this live resource is deleted, if deleting it hurts beyond itself. */
  removeWarning?(l: LiveResource): string | undefined;
  /**
   * Plan-time checks before a create, using only reads and dry runs (e.g. "is a managed update
   * available?"): a read to show in the plan, or a warning that the create will fail.
   */
  preflight?(d: DesiredResource, ctx: ReadContext): Promise<{ read?: PlanRead; warning?: string }>;
  /**
   * What a disruptive change or delete ends, read at plan time (a fleet's active sessions), for changes
   * that stop or delete this live resource.
   */
  impact?(ctx: ReadContext, l: LiveResource, live: readonly LiveResource[]): Promise<number | undefined>;
  /**
   * Creates of this kind that must follow steps of other resources in the same plan (those that decide
   * whether the create is legal): per address, the step ids it waits for. `planned` is every resource
   * of the plan; `sinks` gives the last steps of a resource's create/update or delete.
   */
  orderCreates?(
    planned: readonly PlannedView[],
    sinks: { create(address: string): readonly string[] | undefined; remove(address: string): readonly string[] | undefined },
  ): { address: string; after: readonly string[] | undefined }[];
  /** Resources of other kinds this one keeps in use (a fleet its image): those are not deleted under it. */
  holds?(spec: Record<string, unknown>): { kind: KindName; name: string } | undefined;
  /** The kind `holds` names: whenever it is read (its resources may be deleted or replaced), this kind is read too. */
  holdsKind?: KindName;
  /** For a kind others hold: why a replace in use is refused, and what to do instead. */
  inUseHint?: string;
  /** The whole catalog of the kind (public and shared too), for selectors; replaces `read` when asked for. */
  catalog?(ctx: ReadContext): Promise<{ live: LiveResource[]; catalog: CatalogImage[] }>;
  /** How `connect ADDRESS` gets a streaming URL for one of these (builders, stacks). */
  connect?: ConnectTarget;
  /**
   * Notes the plan shows with a declared resource whatever it changes (a fleet's scaling in words and its
   * next scheduled change), read with the plan's clock.
   */
  notes?(d: DesiredResource, l: LiveResource | undefined, now: Date): string[];
  /**
   * What drift says about a declared, live resource when a difference is deliberately not compared (a
   * scaled fleet's capacity, which Application Auto Scaling owns): a note in the report, never drift.
   */
  driftNote?(d: DesiredResource, l: LiveResource): { path: string; note: string } | undefined;
  /**
   * What the service chose for a declared resource and the manifest never declares (the bucket usage
   * reports go to), shown as a read in the plan.
   */
  shown?(l: LiveResource): PlanRead | undefined;
}

/** A kind with its own list in the manifest (fleets, stacks, …). */
export type ListedKindDef<S = any, K extends KindName = KindName> = ListedKind<S, K> & KindCore<K> & {
  /** Memberships declared by a field of this kind (a stack's `fleet`), for drift and export. */
  association?: AssociationFacts;
  /** Further membership fields of the same entry, each reported and exported like `association`. */
  associations?: readonly AssociationFacts[];
  export?: ExportFacts;
  /** The `external:` list for resources of this kind managed elsewhere, when others refer to it. */
  external?: string;
  /**
   * A kind with one resource per account and Region (the usage report subscription): its key holds one
   * object instead of a list (`KEY: {…}` declares the resource, named `name`; `KEY: none` declares it
   * absent, which deletes it; no key leaves it alone and unread). Its ownership is `singleton`, its key a
   * `SingletonKey`, and its identity field is not written (the name is fixed).
   */
  singleton?: { name: string };
};

/** A kind that exists only as a field of listed ones (memberships and shares). */
export interface DerivedKindDef<K extends KindName = KindName> extends KindCore<K> {
  /** Desired resources from the listed entries that declare them. */
  derive(m: ManifestDoc): DesiredResource[];
  /**
   * The parents a resource hangs off, its owner first: the field that declares it is the owner's
   * (a stack's `fleet`, a user's `stacks`, an image's `sharedWith`).
   */
  parents(l: Pick<LiveResource, "spec">): string[];
  /** The kind it is read per (associations per stack): read whenever it is. */
  readPer: KindName;
  /** The kind of its owner, the first of its parents (a user association's user). */
  ownerKind: KindName;
  /**
   * Also read per parents this set owns but no longer declares, whenever owners are declared: a declared
   * user's membership of a stack dropped from the manifest is the user's to remove.
   */
  readsDroppedParents?: boolean;
  /** Read per owner: this reads those of one other parent that is going away, wherever they are. */
  readOf?(ctx: ReadContext, parent: LiveResource): Promise<LiveResource[]>;
  /**
   * Memberships whose removal changes their owner: when another parent is deleted, the plan refuses
   * rather than remove such a membership from an owner this manifest does not own.
   */
  removalChangesOwner?: boolean;
  /**
   * "One per parent": the key of the parent that holds at most one (a stack holds one fleet); the old
   * one is removed before the new one is created.
   */
  exclusive?(spec: Record<string, unknown>): string;
  /** With `metadata.userPool: exclusive`, the manifest speaks for it whenever its second parent is declared. */
  pooled?: boolean;
  /**
   * The owner entry's field that declares these (a stack's `theme`, a fleet's `scaling`), where leaving the
   * field out means "not managed here": an owner that writes it (`none` and `[]` included) has exactly what
   * it says; one that leaves it out keeps what is there, reported once as unmanaged (plan note, drift); an
   * owner deleted by --prune loses them first. They are read only when some owner writes the field, or with
   * --prune, and only for those owners — so estates that do not use them pay no call and need no permission.
   */
  declaredBy?: string;
  /** Why a live one its owner does not speak for is left alone, with the kind's detail (default: generic). */
  unmanaged?(l: LiveResource): string;
  /** What the owner's other fields account for (a builder's `softwaresToInstall`): never reported as unmanaged. */
  accountedFor?(l: LiveResource, owner: Record<string, unknown>): boolean;
}

/** Any kind of the registry. */
export type Kind<K extends KindName = KindName> = ListedKindDef<any, K> | DerivedKindDef<K>;

/** Every membership field of a listed kind, for drift and export. */
export const associationsOf = (k: ListedKindDef): readonly AssociationFacts[] => [...(k.association ? [k.association] : []), ...(k.associations ?? [])];

/**
 * Why a live resource of a `declaredBy` kind is left alone by its declared owner `owner` (the entry does
 * not write the field), or undefined when there is nothing to say: the entry writes it, or its other
 * fields account for the resource. Plan notes and drift's `unmanaged` items both come from here.
 */
export function unmanagedNote(k: DerivedKindDef, l: LiveResource, owner: Record<string, unknown>): string | undefined {
  if (!k.declaredBy || owner[k.declaredBy] !== undefined || k.accountedFor?.(l, owner)) return undefined;
  return k.unmanaged?.(l) ?? `${k.parents(l)[0]} does not declare \`${k.declaredBy}\`: its ${k.noun} ${l.name} is left as it is (write \`${k.declaredBy}\` to manage it)`;
}

/** Whether a kind exists only as a field of others. */
export const isDerived = (k: Kind): k is DerivedKindDef => "derive" in k;

/**
 * Declares a listed kind, keeping its spec type `S` for its fields, rules and refs:
 * `defineKind<FleetSpec>()({ kind: "Fleet", … })` (curried so that the kind name is inferred).
 */
export function defineKind<S>() {
  // Every kind's open enums (schema-dsl `openEnum`) are checked the same way, after its own rules.
  return <K extends KindName, O extends Readonly<Record<string, OpFn<any>>>>(def: ListedKindDef<S, K> & { ops: O }): Omit<ListedKindDef<S, K>, "ops"> & { ops: O } => ({
    ...def,
    rules: (spec: S, m: ManifestView) => {
      const own = def.rules(spec, m);
      const open = unknownValueRules(def.fields, spec);
      return open.length ? [...own, ...open] : own;
    },
  });
}

/** Declares a derived kind (a membership or share); its ops keep their param types too. */
export function defineDerivedKind<K extends KindName, O extends Readonly<Record<string, OpFn<any>>>>(def: DerivedKindDef<K> & { ops: O }): Omit<DerivedKindDef<K>, "ops"> & { ops: O } {
  return def;
}

export type { ManifestKey };
