/**
 * The registry of kinds: one line per kind. Everything else — creation order, the manifest keys, the
 * schema, the executor's ops and waiters, the plan-JSON kind list, the nouns — is derived from it.
 */
import { AppError } from "../core/errors.js";
import type { KindName, ManifestDoc, ManifestKey, WaitKind } from "../model/resource.js";
import type { ConnectTarget } from "./connect.js";
import type { AnyListedKind, AnyManifestKind, FieldDef } from "./contract.js";
import { appBlock } from "./app-block.js";
import { appBlockBuilder } from "./app-block-builder.js";
import { applicationFleetAssociation } from "./application-fleet-association.js";
import { application } from "./application.js";
import { directoryConfig } from "./directory-config.js";
import { entitlement } from "./entitlement.js";
import { fleetAssociation } from "./fleet-association.js";
import { fleet } from "./fleet.js";
import { imageBuilder } from "./image-builder.js";
import { imagePermission } from "./image-permission.js";
import { imageExport } from "./image-export.js";
import { fleetSchedule, imageBuilderSchedule } from "./schedule.js";
import { image } from "./image.js";
import { isDerived, type BatchDef, type DerivedKindDef, type Kind, type ListedKindDef, type OpCtx, type OpFn, type Waiter } from "./kind.js";
import { documented, updateWords } from "./schema-docs.js";
import { list, obj, oneOfEnum, str, tags, type JsonSchema } from "./schema-dsl.js";
import { scaling } from "./scaling.js";
import { stack } from "./stack.js";
import { theme } from "./theme.js";
import { arnNotFound, tagsOp, untaggable, type TagsParams } from "./tagging.js";
import type { Step } from "../model/plan.js";
import { userAssociation } from "./user-association.js";
import { userGroupKind } from "./user-group.js";
import { user } from "./user.js";
import { usageReport } from "./usage-report.js";
import { imageBuilderSoftware } from "./image-builder-software.js";
import type { AwsCallOptions } from "../aws/call.js";
import { PROPAGATION } from "./op-helpers.js";

/** Every kind, by name: the compiler refuses a name without a kind, and a kind under the wrong name. */
export const KINDS = {
  DirectoryConfig: directoryConfig,
  Image: image,
  ImagePermission: imagePermission,
  ImageBuilder: imageBuilder,
  AppBlock: appBlock,
  Fleet: fleet,
  Stack: stack,
  FleetAssociation: fleetAssociation,
  User: user,
  UserAssociation: userAssociation,
  Entitlement: entitlement,
  Theme: theme,
  AppBlockBuilder: appBlockBuilder,
  Application: application,
  ApplicationFleetAssociation: applicationFleetAssociation,
  ImageExport: imageExport,
  FleetSchedule: fleetSchedule,
  ImageBuilderSchedule: imageBuilderSchedule,
  Scaling: scaling,
  UsageReportSubscription: usageReport,
  ImageBuilderSoftware: imageBuilderSoftware,
} satisfies { [K in KindName]: Kind<K> };

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** Every kind's ops, as one type: op name → its function. */
type KindOps = UnionToIntersection<(typeof KINDS)[KindName]["ops"]> & { "tags.update": OpFn<TagsParams> };
/** The ops the kinds' steps may name (batched and wait steps aside). */
export type OpName = keyof KindOps & string;
/** The params of an op: the SDK input of its operation (plus what the op adds, e.g. a copy's source region). */
export type ParamsOf<Op extends OpName> = KindOps[Op] extends OpFn<infer P> ? P : never;
/** A step whose params are its op's input: the union over every op. */
export type TypedStep<Op extends OpName = OpName> = { [O in Op]: Omit<Step, "op" | "params"> & { op: O; params: ParamsOf<O> } }[Op];

/** Every kind in creation order (by rank); deletes run in the reverse graph. */
export const ALL_KINDS: readonly Kind[] = (Object.values(KINDS) as Kind[]).sort((a, b) => a.rank - b.rank);

/** The kinds `connect` supports, by kind name (creation order). */
export const CONNECT_TARGETS: Readonly<Record<string, ConnectTarget>> = Object.fromEntries(
  ALL_KINDS.flatMap((k) => (k.connect ? [[k.kind, k.connect] as const] : [])),
);

/** The kind names in creation order, e.g. for the plan-JSON schema's enum. */
export const KIND_NAMES: readonly KindName[] = ALL_KINDS.map((k) => k.kind);

/** Listed kinds (with their own manifest list) in creation order. */
export const LISTED_KINDS: readonly ListedKindDef[] = ALL_KINDS.filter((k): k is ListedKindDef => !isDerived(k));

/** Kinds that exist only as fields of listed ones (memberships and shares). */
export const DERIVED_KINDS: readonly DerivedKindDef[] = ALL_KINDS.filter(isDerived);

/** Shorthand kinds: manifest lists that stand for entries of resource kinds (see `expand`). */
export const SHORTHAND_KINDS: readonly AnyManifestKind[] = [userGroupKind];

/** Everything a manifest may list, for the schema and the loader. */
export const MANIFEST_KINDS: readonly AnyManifestKind[] = [...LISTED_KINDS, ...SHORTHAND_KINDS];

/** Listed kinds whose key holds one object (or `none`) instead of a list (see `singleton`). */
export const SINGLETON_KINDS: readonly ListedKindDef[] = LISTED_KINDS.filter((k) => k.singleton);

/** What a singleton kind's key says to declare it absent (deleted if it exists). */
export const SINGLETON_NONE = "none";

/** The singleton kind of a kind name, or undefined for every other kind. */
export const singletonKind = (kind: string): ListedKindDef | undefined => SINGLETON_KINDS.find((k) => k.kind === kind);

/** Whether the manifest declares a singleton kind absent (`KEY: none`), as opposed to leaving its key out. */
export const declaredNone = (m: ManifestDoc, kind: Pick<ListedKindDef, "key">): boolean => (m as Record<string, unknown>)[kind.key] === SINGLETON_NONE;

/**
 * A listed kind's entries in the manifest, as a list: a singleton's object is its one entry (named by
 * the kind), `none` or no key none.
 */
export function entriesOf(m: ManifestDoc, kind: Pick<ListedKindDef, "key" | "identity" | "singleton">): Record<string, unknown>[] {
  const v = (m as Record<string, unknown>)[kind.key];
  if (!kind.singleton) return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? [{ ...(v as Record<string, unknown>), [kind.identity]: kind.singleton.name }] : [];
}

/** The singleton kinds the manifest speaks for (an object or `none`): these are read even when `none` declares nothing. */
export function singletonsNamed(m: ManifestDoc): KindName[] {
  return SINGLETON_KINDS.filter((k) => (m as Record<string, unknown>)[k.key] !== undefined).map((k) => k.kind);
}

/** The kind of a name. */
export function kindNamed(kind: KindName): Kind {
  return KINDS[kind];
}

/** The kind an address names (`Fleet/NAME` → the fleet kind), or undefined for an unknown kind. */
export function kindOfAddress(address: string): Kind | undefined {
  const name = address.slice(0, address.indexOf("/"));
  return Object.hasOwn(KINDS, name) ? KINDS[name as KindName] : undefined;
}

/** Whether a kind exists only as a field of others. */
export const isDerivedKind = (kind: KindName): boolean => isDerived(KINDS[kind]);

/**
 * For an address whose kind has a run state (a fleet, an image builder): the waiter and the name to
 * read it by; undefined for every other address.
 */
export function runStateOf(address: string): { kind: WaitKind; name: string } | undefined {
  const k = kindOfAddress(address);
  return k?.runState ? { kind: k.runState, name: address.slice(address.indexOf("/") + 1) } : undefined;
}

export function kindByKey(key: ManifestKey): AnyListedKind {
  const k = LISTED_KINDS.find((kind) => kind.key === key);
  if (!k) throw new Error(`no kind for manifest key ${key}`);
  return k;
}

/** The waiters of every kind that can be waited on, by wait kind. */
export const WAITERS: Readonly<Record<WaitKind, Waiter<any>>> = Object.fromEntries(
  ALL_KINDS.flatMap((k) => (k.waiter ? [[k.waiter.kind, k.waiter]] : [])),
) as Record<WaitKind, Waiter<any>>;

/** The ARN of the resource an address names, for tags.update steps planned without one. */
async function arnOf(ctx: OpCtx, address: string): Promise<string> {
  const k = kindOfAddress(address);
  if (!k?.arn) throw untaggable(address);
  const opts: AwsCallOptions = { ...PROPAGATION, resource: address };
  const arn = await k.arn(ctx, address.slice(address.indexOf("/") + 1), opts);
  if (!arn) throw arnNotFound(address);
  return arn;
}

/** op → the function that carries it out: every kind's ops, and the tag step every taggable kind shares. */
export const OPS: Readonly<Record<string, OpFn<any>>> = Object.assign(
  { "tags.update": tagsOp(arnOf) },
  ...ALL_KINDS.map((k) => k.ops),
);

/** Ops that are sent many at a time, with how. */
export const BATCHES: readonly BatchDef[] = ALL_KINDS.flatMap((k) => (k.batch ? [k.batch] : []));

/** The names of every op a plan may hold (the kinds', batched ones, and waits). */
export const OP_NAMES: ReadonlySet<string> = new Set([...Object.keys(OPS), ...BATCHES.flatMap((b) => b.ops), "wait"]);

/** `plan.unknown-op`: a saved plan names an op this version does not know (edited, or from another version). */
export function assertKnownOp(op: unknown, where: string): void {
  if (typeof op === "string" && OP_NAMES.has(op)) return;
  throw new AppError(
    "plan.unknown-op",
    `${where}: unknown op ${JSON.stringify(op)}: the plan was made by another version of appstreamctl or edited by hand; run plan again`,
    { source: "user" },
  );
}

/** The URL-independent id of the schema; editors find it through the modeline in each manifest. */
export const SCHEMA_ID = "https://appstreamctl.dev/schema/appstream.schema.json";

/** The JSON Schema of one entry of a kind, from its field table (a singleton's without its fixed name). */
export function entrySchema(kind: AnyManifestKind): JsonSchema {
  const fixed = "singleton" in kind && kind.singleton ? kind.identity : undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const [field, def] of Object.entries(kind.fields) as [string, FieldDef<any>][]) {
    if (field !== fixed) properties[field] = documented(def.schema, field, updateWords(kind, def));
  }
  return obj(properties, kind.required.filter((f) => f !== fixed), kind.description);
}

/** Top-level keys with this prefix are extension blocks: YAML anchors live there, nothing else reads them. */
export const EXTENSION_PREFIX = "x-";

/** The manifest JSON Schema (draft 2020-12) assembled from every kind's field schemas. */
export function manifestSchema(): JsonSchema {
  const names = list(str({ min: 1 }), { unique: true });
  const properties: Record<string, JsonSchema> = {
    apiVersion: { const: "appstreamctl/v1", description: "Manifest format version" },
    metadata: obj(
      {
        // The set name becomes the value of the appstreamctl:set tag, so it obeys the tag-value pattern.
        name: str({ min: 1, max: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]*$", description: "Ownership set: tag appstreamctl:set=<name>" }),
        region: str({ pattern: "^[a-z]{2}(-[a-z]+)+-\\d$", description: "AWS Region, e.g. us-east-1" }),
        userPool: oneOfEnum(["shared", "exclusive"], "exclusive: the manifest is authoritative for the whole user pool (with --prune)"),
        lock: obj(
          {
            dynamodbTable: str({
              min: 3, max: 255, pattern: "^[a-zA-Z0-9_.-]+$",
              description: "DynamoDB table with partition key LockID (String), as Terraform's lock table",
            }),
            region: str({ pattern: "^[a-z]{2}(-[a-z]+)+-\\d$", description: "Region of the lock table (default: the manifest's region)" }),
          },
          ["dynamodbTable"],
          "Where apply takes its lock, so that two applies of this set and region never run at once",
        ),
      },
      ["name"],
      "The manifest's ownership set, region, user-pool policy and apply lock",
    ),
    defaults: obj({ tags: tags() }, [], "Values applied to every resource of the manifest"),
    external: obj(
      Object.fromEntries(LISTED_KINDS.flatMap((k) => (k.external ? [[k.key, { ...names, description: k.external }]] : []))),
      [],
      "Resources managed elsewhere that entries of this manifest may refer to",
    ),
  };
  for (const kind of MANIFEST_KINDS) {
    properties[kind.key] = "singleton" in kind && kind.singleton
      ? { oneOf: [entrySchema(kind), { const: SINGLETON_NONE, description: "Declared absent: deleted if it exists" }], description: `${kind.description}; left out, left alone` }
      : list(entrySchema(kind), { description: `${kind.kind} entries, keyed by ${kind.identity}` });
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SCHEMA_ID,
    title: "appstreamctl manifest v1",
    ...obj(properties, ["apiVersion", "metadata"]),
    // `x-` blocks hold YAML anchors for entries to share (as in Compose files); the loader drops them.
    patternProperties: { [`^${EXTENSION_PREFIX}`]: { description: "Extension block for YAML anchors; ignored" } },
  };
}
