/**
 * Application (reference §12.2): the launch details of an app block's software, streamed by Elastic
 * fleets. Platforms and instance families are not members of UpdateApplication, so changing them means a
 * new application; everything else updates live, and the two optional launch members are cleared with
 * `AttributesToDelete`. An application names its app block by ARN: the manifest names it (`appBlock`), and
 * the op looks the ARN up when it runs, so that a block made in the same apply is found.
 */
import type { Application, CreateApplicationCommandInput, DeleteApplicationCommandInput, UpdateApplicationCommandInput } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import { AppError } from "../core/errors.js";
import { tagRules } from "./common-rules.js";
import type { DesiredResource, FieldChange, FieldTable, LiveResource, ManifestView, RuleViolation, StepDraft } from "./contract.js";
import { nameFromArn } from "./convert.js";
import { PLATFORMS } from "./fleet.js";
import { defineKind, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, found, param, referring } from "./op-helpers.js";
import { ignoreChanges, list, name, obj, openEnum, protect, str, tags } from "./schema-dsl.js";
import { apiFields, attributesToDelete, specFromApi, withDefaults } from "./steps.js";

/** The instance families the model documents (a plain string list there, so AWS may add more). */
export const INSTANCE_FAMILIES = ["GENERAL_PURPOSE", "GRAPHICS_G4"] as const;

export interface ApplicationSpec {
  name: string;
  displayName?: string;
  description?: string;
  iconS3Location: { s3Bucket: string; s3Key: string };
  launchPath: string;
  launchParameters?: string;
  workingDirectory?: string;
  instanceFamilies: string[];
  platforms: (typeof PLATFORMS)[number][];
  appBlock: string;
  fleets?: string[];
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** Both lists are sets to the service: compared and sent sorted. */
const sorted = (v: unknown): unknown => (Array.isArray(v) ? [...(v as string[])].sort() : v);

const fields: FieldTable<ApplicationSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Application name (immutable)") },
  displayName: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 100, description: "Name shown in the application catalog" }) },
  description: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 256 }) },
  iconS3Location: {
    role: "api", mode: "live",
    schema: obj(
      { s3Bucket: str({ min: 3, max: 63, pattern: "^[0-9a-z\\.\\-]*(?<!\\.)$" }), s3Key: str({ min: 1, max: 1024 }) },
      ["s3Bucket", "s3Key"],
      "The icon's S3 object",
    ),
  },
  launchPath: { role: "api", mode: "live", schema: str({ min: 1, description: "Path of the executable on the instance" }) },
  launchParameters: { role: "api", mode: "live", clear: "LAUNCH_PARAMETERS", schema: str({ min: 1 }) },
  workingDirectory: { role: "api", mode: "live", clear: "WORKING_DIRECTORY", schema: str({ min: 1 }) },
  instanceFamilies: {
    role: "api", mode: "replace", canonical: sorted,
    schema: list(str({ min: 1 }), { min: 1, unique: true, description: `Instance families: ${INSTANCE_FAMILIES.join(", ")} (compared without order)` }),
  },
  platforms: {
    role: "api", mode: "replace", canonical: sorted,
    schema: list(openEnum(PLATFORMS), { min: 1, max: 4, unique: true, description: "Platforms the application runs on (compared without order)" }),
  },
  appBlock: { role: "api", mode: "live", schema: name("The app block whose software this application launches") },
  fleets: {
    role: "association", mode: "live",
    schema: list(name("An ELASTIC fleet"), { unique: true, description: "ELASTIC fleets that offer this application" }),
  },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: ApplicationSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m)];
  (s.instanceFamilies ?? []).forEach((f, i) => {
    if (!(INSTANCE_FAMILIES as readonly string[]).includes(f)) {
      out.push({
        code: "rule.application", severity: "warning", path: ["instanceFamilies", i],
        message: `instance family ${f} is not one this version knows (${INSTANCE_FAMILIES.join(", ")}); AWS will check it`,
      });
    }
  });
  (s.fleets ?? []).forEach((name, i) => {
    const fleet = m.find("fleets", name);
    if (!fleet) return;
    if (fleet.fleetType !== "ELASTIC") {
      out.push({ code: "rule.application", path: ["fleets", i], message: `fleet ${name} is not ELASTIC: only Elastic fleets take applications` });
      return;
    }
    const platform = fleet.platform as string | undefined;
    if (platform !== undefined && !(s.platforms ?? []).includes(platform as ApplicationSpec["platforms"][number])) {
      out.push({ code: "rule.application", path: ["fleets", i], message: `fleet ${name} runs ${platform}, which is not among the application's platforms` });
    }
    // Elastic fleets run stream.standard instances only.
    if (s.instanceFamilies && !s.instanceFamilies.includes("GENERAL_PURPOSE")) {
      out.push({ code: "rule.application", path: ["fleets", i], message: `fleet ${name} is ELASTIC (stream.standard), so instanceFamilies must include GENERAL_PURPOSE` });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reading

const ECHOED = ["DisplayName", "Description", "IconS3Location", "LaunchPath", "LaunchParameters", "WorkingDirectory", "InstanceFamilies", "Platforms"] as const;

export function normalizeApplication(a: Application): LiveResource {
  const spec = specFromApi(a, ECHOED);
  const name = a.Name ?? "";
  spec.name = name;
  const block = nameFromArn(a.AppBlockArn);
  if (block !== undefined) spec.appBlock = block;
  for (const f of ["displayName", "description"]) if (spec[f] === "") delete spec[f];
  return {
    kind: "Application", name, address: `Application/${name}`, spec, ...(a.Arn ? { arn: a.Arn } : {}),
    ...(a.CreatedTime ? { createdTime: a.CreatedTime.getTime() } : {}),
  };
}

/** Every page of DescribeApplications (it filters by ARN only, never by name). */
export async function describeApplications(api: { call: AppStreamApi["call"] | OpCtx["call"] }): Promise<Application[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeApplications", token ? { NextToken: token } : {});
    return { items: out.Applications ?? [], next: out.NextToken };
  }, { label: "DescribeApplications" });
}

/** An application's ARN by name, from the listing; undefined when there is none. */
export async function applicationArn(ctx: Pick<OpCtx, "call">, name: string): Promise<string | undefined> {
  return (await describeApplications(ctx)).find((a) => a.Name === name)?.Arn;
}

/** An app block's ARN by name (DescribeAppBlocks filters by ARN only). */
async function appBlockArn(ctx: OpCtx, name: string, address: string): Promise<string> {
  const blocks = await collect(async (token) => {
    const out = await ctx.call("DescribeAppBlocks", token ? { NextToken: token } : {}, { resource: address });
    return { items: out.AppBlocks ?? [], next: out.NextToken };
  }, { label: "DescribeAppBlocks" });
  const arn = blocks.find((b) => b.Name === name)?.Arn;
  if (!arn) throw new AppError("apply.failed", `${address}: app block ${name} does not exist in this Region`, { source: "aws" });
  return arn;
}

// ---------------------------------------------------------------------------------------------------
// Steps

/** The ops name the app block; the ARN is looked up when the call is made. */
type WithBlock<I extends { AppBlockArn?: string }> = Omit<I, "AppBlockArn"> & { AppBlockName?: string };
export type CreateApplicationParams = WithBlock<CreateApplicationCommandInput> & { AppBlockName: string };
export type UpdateApplicationParams = WithBlock<UpdateApplicationCommandInput>;

async function withBlockArn<P extends { AppBlockName?: string }>(ctx: OpCtx, params: P, address: string): Promise<Omit<P, "AppBlockName"> & { AppBlockArn?: string }> {
  const { AppBlockName, ...rest } = params;
  return AppBlockName === undefined ? rest : { ...rest, AppBlockArn: await appBlockArn(ctx, AppBlockName, address) };
}

const API_FIELDS = ["displayName", "description", "iconS3Location", "launchPath", "launchParameters", "workingDirectory"] as const;

function request(spec: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out = apiFields(spec, names.filter((n) => n !== "appBlock"));
  if (names.includes("appBlock") && typeof spec.appBlock === "string") out.AppBlockName = spec.appBlock;
  return out;
}

const applicationExists = (ctx: OpCtx, name: string) => found(async () => ((await applicationArn(ctx, name)) ? [name] : []));

export const application = defineKind<ApplicationSpec>()({
  kind: "Application",
  rank: 45,
  noun: "application",
  key: "applications",
  identity: "name",
  required: ["name", "iconS3Location", "launchPath", "platforms", "instanceFamilies", "appBlock"],
  taggable: true,
  ownership: "tag",
  description: "An application of an app block, offered by ELASTIC fleets",
  fields,
  refs: [{ path: ["fleets"], each: true, target: "fleets", code: "ref.unknown-fleet", names: (s) => s.fleets ?? [] }],
  // An app block of the manifest is created before the application (and deleted after it); one made
  // elsewhere is looked up by name when the step runs.
  softRefs: [{ target: "appBlocks", names: (s) => (s.appBlock ? [s.appBlock] : []) }],
  rules,
  association: {
    field: "fleets",
    live: (name, live) => {
      const fleets = live.filter((l) => l.kind === "ApplicationFleetAssociation" && l.spec.application === name).map((l) => String(l.spec.fleet)).sort();
      return fleets.length ? fleets : undefined;
    },
    declared: (spec) => (Array.isArray(spec.fleets) && spec.fleets.length ? [...(spec.fleets as string[])].sort() : undefined),
  },
  ops: {
    "application.create": (async (ctx, s) => {
      const params = await withBlockArn(ctx, s.params, s.address);
      return createOrRaced(
        () => ctx.call("CreateApplication", params as CreateApplicationCommandInput, referring(ctx, s.address)),
        () => applicationExists(ctx, param(s, "Name")),
      );
    }) satisfies OpFn<CreateApplicationParams>,
    "application.update": (async (ctx, s) => {
      const params = await withBlockArn(ctx, s.params, s.address);
      await ctx.call("UpdateApplication", params, referring(ctx, s.address));
      return undefined;
    }) satisfies OpFn<UpdateApplicationParams>,
    "application.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteApplication", s.params, { resource: s.address }))) satisfies OpFn<DeleteApplicationCommandInput>,
  },
  arn: (ctx, name) => applicationArn(ctx, name),
  async read(ctx) {
    return (await describeApplications(ctx.api)).map(normalizeApplication);
  },
  async readOne(ctx, name) {
    const app = (await describeApplications(ctx.api)).find((a) => a.Name === name);
    return app && normalizeApplication(app);
  },
  create(d: DesiredResource) {
    const spec = withDefaults(d.spec, [], fields);
    const params = {
      Name: d.name, ...request(spec, [...API_FIELDS, "appBlock"]),
      Platforms: sorted(d.spec.platforms), InstanceFamilies: sorted(d.spec.instanceFamilies),
      ...(d.tags ? { Tags: d.tags } : {}),
    };
    return [{ id: "create", op: "application.create", params }];
  },
  update(d: DesiredResource, l: LiveResource, changes: FieldChange[]) {
    const api = changes.filter((c) => c.role === "api");
    if (!api.length) return { steps: [], disruption: "none", reason: "" };
    const spec = withDefaults(d.spec, api, fields);
    const del = attributesToDelete(api, d.spec, l.spec, fields);
    const params = { Name: d.name, ...request(spec, api.filter((c) => !c.clear).map((c) => c.field)), ...(del.length ? { AttributesToDelete: del } : {}) };
    const steps: StepDraft[] = [{ id: "update", op: "application.update", params }];
    return { steps, disruption: "none", reason: "" };
  },
  remove(l: LiveResource) {
    return [{ id: "delete", op: "application.delete", params: { Name: l.name } }];
  },
});
