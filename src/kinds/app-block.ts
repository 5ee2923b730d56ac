/**
 * AppBlock (reference §12.1): the software of an Elastic fleet's applications, as an S3 object and the
 * scripts that set it up. There is no UpdateAppBlock, so every field replaces the block; tags change
 * through Tag/UntagResource. A CUSTOM block is ACTIVE at once; an APPSTREAM2 block stays INACTIVE until an
 * app block builder packages it — work outside this manifest, so the plan says so rather than diffing it.
 */
import type { AppBlock, CreateAppBlockCommandInput, DeleteAppBlockCommandInput } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import { tagRules } from "./common-rules.js";
import type { FieldTable, LiveResource, ManifestView, RuleViolation } from "./contract.js";
import { defineKind, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, param } from "./op-helpers.js";
import { int, name, obj, openEnum, protect, str, tags, type JsonSchema } from "./schema-dsl.js";
import { apiFieldNames, apiFields, specFromApi } from "./steps.js";

interface S3Location {
  s3Bucket: string;
  s3Key?: string;
}

interface ScriptDetails {
  scriptS3Location: S3Location;
  executablePath: string;
  executableParameters?: string;
  timeoutInSeconds: number;
}

export type PackagingType = "CUSTOM" | "APPSTREAM2";

export interface AppBlockSpec {
  name: string;
  displayName?: string;
  description?: string;
  sourceS3Location: S3Location;
  setupScriptDetails?: ScriptDetails;
  postSetupScriptDetails?: ScriptDetails;
  packagingType?: PackagingType;
  tags?: Record<string, string>;
  protect?: boolean;
}

/** The model's S3Location: a bucket (3–63, lowercase DNS-like, no trailing dot) and an optional key. */
const s3Location = (description: string): JsonSchema =>
  obj(
    {
      s3Bucket: str({ min: 3, max: 63, pattern: "^[0-9a-z\\.\\-]*(?<!\\.)$", description: "S3 bucket name" }),
      s3Key: str({ min: 1, max: 1024, description: "S3 object key" }),
    },
    ["s3Bucket"],
    description,
  );

const scriptDetails = (description: string): JsonSchema =>
  obj(
    {
      scriptS3Location: s3Location("Where the script is stored"),
      executablePath: str({ min: 1, description: "Path of the program that runs the script" }),
      executableParameters: str({ min: 1, description: "Arguments passed to the program" }),
      timeoutInSeconds: int(undefined, undefined, "How long the script may run"),
    },
    ["scriptS3Location", "executablePath", "timeoutInSeconds"],
    description,
  );

const PACKAGING_TYPES: readonly PackagingType[] = ["CUSTOM", "APPSTREAM2"];

const fields: FieldTable<AppBlockSpec> = {
  name: { role: "identity", mode: "replace", schema: name("App block name (immutable)") },
  displayName: { role: "api", mode: "replace", removal: "unset", schema: str({ max: 100, description: "Display name (not shown to users)" }) },
  description: { role: "api", mode: "replace", removal: "unset", schema: str({ max: 256 }) },
  sourceS3Location: { role: "api", mode: "replace", schema: s3Location("The application package: for CUSTOM its object, for APPSTREAM2 where the builder stores it") },
  setupScriptDetails: { role: "api", mode: "replace", removal: "unset", schema: scriptDetails("Setup script; required for CUSTOM, not allowed for APPSTREAM2") },
  postSetupScriptDetails: { role: "api", mode: "replace", removal: "unset", schema: scriptDetails("Post-setup script; APPSTREAM2 only") },
  packagingType: {
    role: "api", mode: "replace", awsDefault: "CUSTOM",
    schema: openEnum(PACKAGING_TYPES, "CUSTOM (default; ACTIVE at once) or APPSTREAM2 (INACTIVE until an app block builder packages it)"),
  },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
};

/** The packaging-type rules the model states in member docs (the service answers ValidationException). */
function rules(s: AppBlockSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m)];
  const type = s.packagingType ?? "CUSTOM";
  const violation = (path: string[], message: string, hint?: string): RuleViolation => ({ code: "rule.app-block", path, message, ...(hint ? { hint } : {}) });
  if (type === "CUSTOM") {
    if (!s.setupScriptDetails) out.push(violation([], "a CUSTOM app block needs setupScriptDetails", "add setupScriptDetails, or set packagingType: APPSTREAM2"));
    if (s.postSetupScriptDetails) out.push(violation(["postSetupScriptDetails"], "postSetupScriptDetails is only for APPSTREAM2 app blocks", "use setupScriptDetails for CUSTOM"));
    if (s.sourceS3Location?.s3Key === undefined) out.push(violation(["sourceS3Location"], "a CUSTOM app block needs sourceS3Location.s3Key (the package object)"));
  } else if (s.setupScriptDetails) {
    out.push(violation(["setupScriptDetails"], "setupScriptDetails is only for CUSTOM app blocks", "use postSetupScriptDetails for APPSTREAM2"));
  }
  // A script names an object to run, so the service needs its S3Key though the model's S3Location leaves it optional.
  for (const field of ["setupScriptDetails", "postSetupScriptDetails"] as const) {
    const script = s[field];
    if (script && script.scriptS3Location?.s3Key === undefined) {
      out.push(violation([field, "scriptS3Location"], `${field}.scriptS3Location needs s3Key (the script object)`));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Planning

const API_FIELDS = apiFieldNames(fields);
const ECHOED = ["Name", "Description", "DisplayName", "SourceS3Location", "SetupScriptDetails", "PostSetupScriptDetails", "PackagingType"] as const;

export function normalizeAppBlock(ab: AppBlock): LiveResource {
  const blockName = ab.Name ?? "";
  return {
    kind: "AppBlock", name: blockName, address: `AppBlock/${blockName}`,
    spec: specFromApi(ab, ECHOED),
    ...(ab.Arn ? { arn: ab.Arn } : {}),
    ...(ab.State ? { state: ab.State } : {}),
    errors: (ab.AppBlockErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
    ...(ab.CreatedTime ? { createdTime: ab.CreatedTime.getTime() } : {}),
  };
}

/**
 * Every page of DescribeAppBlocks. It filters only by ARN, which holds the account id, so one block by
 * name is found in the listing.
 */
async function describeAppBlocks(api: Pick<AppStreamApi, "call">): Promise<AppBlock[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeAppBlocks", token ? { NextToken: token } : {});
    return { items: out.AppBlocks ?? [], next: out.NextToken };
  }, { label: "DescribeAppBlocks" });
}

const blockNamed = async (api: Pick<AppStreamApi, "call">, blockName: string): Promise<AppBlock | undefined> =>
  (await describeAppBlocks(api)).find((b) => b.Name === blockName);

/** An OpCtx seen as an API (its calls hold no parallelism slot for reads). */
const apiOf = (ctx: OpCtx): Pick<AppStreamApi, "call"> => ({ call: (op, input) => ctx.call(op, input) }) as Pick<AppStreamApi, "call">;

export const appBlock = defineKind<AppBlockSpec>()({
  kind: "AppBlock",
  // Before the applications that name it (they carry its ARN), after images and builders.
  rank: 35,
  noun: "app block",
  key: "appBlocks",
  identity: "name",
  required: ["name", "sourceS3Location"],
  taggable: true,
  ownership: "tag",
  description: "An app block: the software package (and its setup script) of Elastic fleet applications",
  fields,
  refs: [],
  rules,
  ops: {
    "app-block.create": ((ctx, s) =>
      createOrRaced(
        () => ctx.call("CreateAppBlock", s.params, { resource: s.address }),
        async () => (await blockNamed(apiOf(ctx), param(s, "Name"))) !== undefined,
      )) satisfies OpFn<CreateAppBlockCommandInput>,
    // ResourceInUse while an application or an app block builder association uses it (reference §12.1): the
    // plan deletes those first through their references, so the error surfaces only for users outside the set.
    "app-block.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteAppBlock", s.params, { resource: s.address }))) satisfies OpFn<DeleteAppBlockCommandInput>,
  },
  arn: async (ctx, blockName) => (await blockNamed(apiOf(ctx), blockName))?.Arn,
  inUseHint: "an app block cannot be replaced while an application or app block builder uses it: create the new block under another name and point the applications at it",
  async read(ctx) {
    return (await describeAppBlocks(ctx.api)).map(normalizeAppBlock);
  },
  async readOne(ctx, blockName) {
    const b = await blockNamed(ctx.api, blockName);
    return b && normalizeAppBlock(b);
  },
  create(d) {
    return [{ id: "create", op: "app-block.create", params: { Name: d.name, ...apiFields(d.spec, API_FIELDS), ...(d.tags ? { Tags: d.tags } : {}) } }];
  },
  update() {
    // Every api field replaces the block and tags go through tags.update, so nothing reaches here.
    return { steps: [], disruption: "none", reason: "" };
  },
  remove(l) {
    return [{ id: "delete", op: "app-block.delete", params: { Name: l.name } }];
  },
  // Packaging an APPSTREAM2 block is an app block builder's work, not a change this manifest can plan.
  settle(l) {
    if (l.state !== "INACTIVE") return undefined;
    const why = (l.errors ?? []).map((e) => `${e.code}: ${e.message}`).join("; ");
    return {
      warning: l.spec.packagingType === "APPSTREAM2"
        ? `app block ${l.name} is INACTIVE until an app block builder packages it; applications using it cannot stream on a fleet yet${why ? ` (last packaging: ${why})` : ""}`
        : `app block ${l.name} is INACTIVE${why ? `: ${why}` : ""}`,
    };
  },
  replaceNote: () => "app blocks cannot be updated: the block is deleted and created again (an APPSTREAM2 block must be packaged again)",
});
