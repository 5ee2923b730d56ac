/**
 * Editor documentation in the generated schema: every property's description says how a change to it
 * reaches AWS (its update mode), so that a person editing the manifest sees, on hover, whether an edit is
 * live, restarts a running fleet or replaces the resource. Nested members share their field's mode.
 */
import type { AnyManifestKind, FieldDef, FieldRole, UpdateMode } from "./contract.js";
import type { JsonSchema } from "./schema-dsl.js";

/** `ImageBuilder` → `image builder`. */
export function nounOf(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function modeWords(mode: UpdateMode, noun: string): string {
  switch (mode) {
    case "live":
      return "Changes in place (live)";
    case "requires-stop":
      return `Changing it needs a stopped ${noun}: a running one is stopped, updated and started again`;
    case "replace":
      return `Immutable: changing it replaces the ${noun}`;
    case "write-only":
      return "Write-only: sent, never read back";
  }
}

/** What a change to a field does, in words, for its role and mode (all cases for a mode that depends on the entry). */
export function updateWords(kind: AnyManifestKind, def: FieldDef<any>): string {
  const noun = nounOf(kind.kind);
  const byRole: Partial<Record<FieldRole, string>> = {
    meta: "appstreamctl only: never sent to AWS",
    tags: "Tags: changed in place (TagResource/UntagResource)",
    state: `Run state: the ${noun} is started or stopped in place`,
    association: "Association: changed in place (associate/disassociate)",
    identity: `Identity: a new name is another ${noun}`,
  };
  const role = byRole[def.role];
  if (role) return role;
  if (typeof def.mode !== "function") return modeWords(def.mode, noun);
  const cases = (kind.modeCases ?? []).map((c) => `${c.when}: ${modeWords((def.mode as (s: unknown) => UpdateMode)(c.spec), noun).toLowerCase()}`);
  return cases.length ? cases.join("; ") : "The update mode depends on the entry";
}

function words(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** A copy of `schema` whose description ends with `mode`, and whose nested members say which field they are part of. */
export function documented(schema: JsonSchema, name: string, mode: string, parent?: string): JsonSchema {
  const own = typeof schema.description === "string" && schema.description !== "" ? schema.description : words(name);
  const where = parent === undefined ? "" : ` (part of \`${parent}\`)`;
  const path = parent === undefined ? name : `${parent}.${name}`;
  const out = withMembers({ ...schema, description: `${own}${where}. ${mode}.` }, mode, path);
  // List items, map values and alternatives are not properties: their members are documented where they have any.
  for (const key of ["items", "additionalProperties"] as const) {
    const inner = schema[key] as JsonSchema | boolean | undefined;
    if (!inner || typeof inner !== "object") continue;
    const documentedInner = { ...withMembers(inner, mode, path) };
    // Map values may be alternatives too (a user setting: a permission, or an object with one).
    for (const alt of ["oneOf", "anyOf"] as const) {
      const alternatives = inner[alt] as JsonSchema[] | undefined;
      if (alternatives) documentedInner[alt] = alternatives.map((a) => withMembers(a, mode, path));
    }
    out[key] = documentedInner;
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    const alternatives = schema[key] as JsonSchema[] | undefined;
    if (alternatives) out[key] = alternatives.map((alt) => withMembers(alt, mode, path));
  }
  return out;
}

/** `schema` with each of its properties (if any) documented as a member of `path`. */
function withMembers(schema: JsonSchema, mode: string, path: string): JsonSchema {
  if (!schema.properties || typeof schema.properties !== "object") return schema;
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [k, documented(v, k, mode, path)]),
    ),
  };
}
