/** The registry of kinds and the manifest schema generated from their fragments. */
import type { AnyListedKind } from "./contract.js";
import { obj, str, tags, type JsonSchema } from "./schema-dsl.js";

/** Listed kinds in the order their manifest keys appear. */
export const LISTED_KINDS: readonly AnyListedKind[] = [];

/** The manifest JSON Schema (draft 2020-12) assembled from every kind's field schemas. */
export function manifestSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    apiVersion: { const: "appstreamctl/v1" },
    metadata: obj({ name: str({ min: 1 }), region: str({ min: 1 }) }, ["name"]),
    defaults: obj({ tags: tags() }),
  };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    ...obj(properties, ["apiVersion", "metadata"]),
  };
}
