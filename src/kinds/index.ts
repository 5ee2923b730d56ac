/** The registry of kinds and the manifest schema generated from their fragments. */
import type { AnyListedKind, AnyManifestKind, FieldDef, KindName, KindPlanner, ManifestKey } from "./contract.js";
import { directoryConfigKind, directoryConfigPlanner } from "./directory-config.js";
import { fleetAssociationPlanner } from "./fleet-association.js";
import { fleetKind, fleetPlanner } from "./fleet.js";
import { imageBuilderKind, imageBuilderPlanner } from "./image-builder.js";
import { imagePermissionPlanner } from "./image-permission.js";
import { imageKind, imagePlanner } from "./image.js";
import type { WaitKind } from "./steps.js";
import { documented, updateWords } from "./schema-docs.js";
import { list, obj, oneOfEnum, str, tags, type JsonSchema } from "./schema-dsl.js";
import { stackKind, stackPlanner } from "./stack.js";
import { userAssociationPlanner } from "./user-association.js";
import { userGroupKind } from "./user-group.js";
import { userKind, userPlanner } from "./user.js";

/** Listed kinds in creation order (reference §18.3): directories, images, builders, fleets, stacks, users. */
export const LISTED_KINDS: readonly AnyListedKind[] = [
  directoryConfigKind, imageKind, imageBuilderKind, fleetKind, stackKind, userKind,
];

/** Shorthand kinds: manifest lists that stand for entries of resource kinds (see `expand`). */
export const SHORTHAND_KINDS: readonly AnyManifestKind[] = [userGroupKind];

/** Everything a manifest may list, for the schema and the loader. */
export const MANIFEST_KINDS: readonly AnyManifestKind[] = [...LISTED_KINDS, ...SHORTHAND_KINDS];

/** Every kind's planner, in creation order (reference §18.3); deletes run in the reverse graph. */
export const PLANNERS: readonly KindPlanner[] = [
  directoryConfigPlanner, imagePlanner, imagePermissionPlanner, imageBuilderPlanner, fleetPlanner, stackPlanner,
  fleetAssociationPlanner, userPlanner, userAssociationPlanner,
];

const PLANNER_BY_KIND = new Map(PLANNERS.map((p) => [p.kind, p]));

export function plannerOf(kind: KindName): KindPlanner {
  const p = PLANNER_BY_KIND.get(kind);
  if (!p) throw new Error(`no planner for ${kind}`);
  return p;
}

/**
 * For an address whose kind has a run state (a fleet, an image builder): the poller kind and the name to
 * read it by; undefined for every other address.
 */
export function runStateOf(address: string): { kind: WaitKind; name: string } | undefined {
  const slash = address.indexOf("/");
  const p = PLANNER_BY_KIND.get(address.slice(0, slash) as KindName);
  return p?.runState ? { kind: p.runState, name: address.slice(slash + 1) } : undefined;
}

export function kindByKey(key: ManifestKey): AnyListedKind {
  const k = LISTED_KINDS.find((kind) => kind.key === key);
  if (!k) throw new Error(`no kind for manifest key ${key}`);
  return k;
}

/** The URL-independent id of the schema; editors find it through the modeline in each manifest. */
export const SCHEMA_ID = "https://appstreamctl.dev/schema/appstream.schema.json";

/** The JSON Schema of one entry of a kind, from its field table. */
export function entrySchema(kind: AnyManifestKind): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [field, def] of Object.entries(kind.fields) as [string, FieldDef<any>][]) {
    properties[field] = documented(def.schema, field, updateWords(kind, def));
  }
  return obj(properties, kind.required, kind.description);
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
      {
        fleets: { ...names, description: "Fleets managed elsewhere that stacks of this manifest may name" },
        stacks: { ...names, description: "Stacks managed elsewhere that users of this manifest may name" },
        directoryConfigs: { ...names, description: "Directory configs managed elsewhere that fleets and builders may join" },
        images: { ...names, description: "Images managed elsewhere that images of this manifest may update or copy" },
      },
      [],
      "Resources managed elsewhere that entries of this manifest may refer to",
    ),
  };
  for (const kind of MANIFEST_KINDS) {
    properties[kind.key] = list(entrySchema(kind), { description: `${kind.kind} entries, keyed by ${kind.identity}` });
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

/** The name of an external-reference list, which exists only for kinds that are referred to. */
export type ExternalKey = "fleets" | "stacks" | "directoryConfigs" | "images";
