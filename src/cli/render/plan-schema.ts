/**
 * The JSON Schema of the plan document (`plan -o json`, `plan --out`), published as
 * schema/plan.schema.json for policy tools (OPA/conftest). Built from the same runtime unions the plan
 * parser checks, so the schema, the parser and the types cannot drift apart. Stability: docs/PLAN-FORMAT.md.
 */
import { PLAN_FORMAT_VERSION } from "../../core/plan-types.js";
import { ACTIONS, DISRUPTIONS, KINDS, WHYS } from "./plan-json.js";

type Schema = Record<string, unknown>;

const count: Schema = { type: "integer", minimum: 0 };
const str: Schema = { type: "string" };
const strings: Schema = { type: "array", items: str };

function object(properties: Record<string, Schema>, required: readonly string[], description?: string): Schema {
  return { type: "object", ...(description ? { description } : {}), properties, required: [...required], additionalProperties: false };
}

/** The schema (draft 2020-12) of plan documents of the current format version. */
export function planSchema(): Schema {
  const diff = object(
    {
      path: { ...str, description: "Dotted field path in manifest terms, e.g. computeCapacity.desiredInstances" },
      before: { description: "Live value (absent when the field is unset); \"(sensitive)\" for secrets" },
      after: { description: "Desired value (absent when the field is cleared); \"(sensitive)\" for secrets" },
      sensitive: { type: "boolean" },
      why: { enum: [...WHYS], description: "How the change reaches AWS" },
    },
    ["path", "sensitive", "why"],
  );
  const change = object(
    {
      address: { ...str, description: "Kind/NAME, e.g. Fleet/engineering or UserAssociation/STACK/USER" },
      kind: { enum: [...KINDS] },
      name: str,
      actions: { enum: ACTIONS.map((a) => [...a]), description: "Terraform's action vocabulary" },
      disruption: { enum: [...DISRUPTIONS], description: "fleet-restart: a running fleet is stopped; replace: deleted and created" },
      destructive: { type: "boolean", description: "The change deletes something (a delete or a replace)" },
      reason: str,
      activeSessions: { ...count, description: "Active sessions a stop or delete ends, when read" },
      diff: { type: "array", items: diff },
      warnings: strings,
    },
    ["address", "kind", "name", "actions", "disruption", "reason", "diff"],
  );
  const restoreStep = object(
    {
      id: str,
      op: str,
      params: { type: "object" },
      ifDone: { ...str, description: "Run only when this guarded step got done (or was cut off, its effect unknown)" },
      optional: { type: "boolean", description: "A failure is reported and the restore goes on" },
    },
    ["id", "op", "params"],
  );
  const restore = object(
    {
      guards: { ...strings, description: "Ids of the steps after this one that must all get done for the resource to serve again" },
      steps: { type: "array", items: restoreStep, description: "Run in order when a guarded step fails or is never run" },
      leftIn: { ...str, description: "The state the resource is left in when the restore cannot run, e.g. STOPPED" },
      manual: { ...str, description: "The command that brings it back by hand" },
    },
    ["guards", "steps", "leftIn", "manual"],
    "On a step that takes a resource out of service (a running fleet's stop): how service is restored",
  );
  const step = object(
    {
      id: str,
      address: str,
      op: { ...str, description: "The executor operation, e.g. fleet.update" },
      params: { type: "object", description: "The operation's input; secrets only as {\"$secret\": pointer}" },
      dependsOn: strings,
      restore,
    },
    ["id", "address", "op", "params", "dependsOn"],
  );
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://appstreamctl.dev/schema/plan.schema.json",
    title: "appstreamctl plan document",
    ...object(
      {
        formatVersion: { const: PLAN_FORMAT_VERSION },
        createdAt: { ...str, format: "date-time" },
        set: { ...str, description: "The manifest's ownership set (metadata.name)" },
        target: {
          type: "object",
          properties: { account: str, region: str, regionSource: str, endpoint: str, endpointSource: str, profile: str },
          required: ["region"],
          description: "Where the plan was read and must be applied (account, region, endpoint), and where each setting came from",
        },
        summary: object({ add: count, change: count, destroy: count, disruptive: count }, ["add", "change", "destroy", "disruptive"]),
        resourceChanges: { type: "array", items: change },
        steps: { type: "array", items: step },
        fingerprints: { type: "object", additionalProperties: str, description: "Live-state fingerprint per address, for stale-plan detection" },
        reads: { type: "array", items: object({ address: str, description: str, result: str }, ["address", "description", "result"]) },
        warnings: strings,
      },
      ["formatVersion", "createdAt", "set", "target", "summary", "resourceChanges", "steps", "fingerprints", "reads", "warnings"],
    ),
  };
}
