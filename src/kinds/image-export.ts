/**
 * ImageExport (reference §7.3, model CreateExportImageTask…): an image's `exportTo`, a copy of the image
 * as an EC2 AMI, keyed `ImageExport/IMAGE`. An export is a one-shot copy: the AMI it makes belongs to EC2
 * from then on and appstreamctl never deletes it, so removing `exportTo` changes nothing.
 *
 * The live export of an image is its latest task that did not fail (ListExportImageTasks, every page):
 * the same `amiName` there means the image was already exported (no change); another `amiName` is a new
 * export, the previous AMI staying as it is. A task that FAILED (or TIMED_OUT) made no AMI and frees its
 * name (the service says the name must be unique), so an image whose exports all failed is exported again.
 * The AMI's description and tags are fixed once exported: changing them under the same `amiName` is refused
 * at plan time, since a second export could not reuse the name. The task does not return the role, so `iamRoleArn` is sent and
 * never compared.
 *
 * Drift and export leave exports out: an export is an action done once, not a state that can change
 * outside appstreamctl (the AMI is EC2's), and its role cannot be read back for an exported entry. So an
 * image exported before, or by someone else, is no drift, and `drift --write` never writes an `exportTo`.
 */
import type { CreateExportImageTaskCommandInput, ExportImageTask } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import { AppError } from "../core/errors.js";
import type { DesiredResource, FieldTable, LiveResource, ReadContext } from "./contract.js";
import { defineDerivedKind, type OpFn, type Waiter } from "./kind.js";
import { MEMBERSHIPS_PAGE } from "./page-sizes.js";
import { referring } from "./op-helpers.js";
import { arn, obj, str, type JsonSchema } from "./schema-dsl.js";
import { waitStep } from "./steps.js";

/** An image's `exportTo` as the manifest writes it (the members of CreateExportImageTask). */
export interface ExportTo {
  amiName: string;
  iamRoleArn: string;
  amiDescription?: string;
  tagSpecifications?: Record<string, string>;
}

/** The ImageExport resource's spec: the declaration and the image it copies. */
type ExportSpec = ExportTo & { image: string };

const FIXED = { keep: "an exported AMI keeps the description and tags it was exported with" } as const;

const fields: FieldTable<ExportTo> = {
  amiName: {
    role: "api", mode: "live",
    schema: str({
      pattern: "^[a-zA-Z0-9().\\-/_]{3,128}$",
      description: "Name of the EC2 AMI to export to, unique in the account and Region; another name exports the image again (the previous AMI stays)",
    }),
  },
  iamRoleArn: {
    role: "api", mode: "write-only", removal: { keep: "the role is used only while exporting; the task does not return it" },
    schema: arn("Role AppStream assumes to create the AMI (copy and describe images, create tags); sent with the export, never read back"),
  },
  amiDescription: { role: "api", mode: "live", removal: FIXED, schema: str({ max: 256, description: "Description of the exported AMI" }) },
  tagSpecifications: {
    role: "api", mode: "live", removal: FIXED,
    // The model's Tags shape as it is (its first key character may be any): these are EC2's tags, not ours.
    schema: {
      type: "object", minProperties: 1, maxProperties: 50, description: "Tags of the exported AMI (1–50)",
      propertyNames: { minLength: 1, maxLength: 128, pattern: "^(?!aws:).[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$" },
      additionalProperties: { type: "string", maxLength: 256, pattern: "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$" },
    },
  },
};

/** The schema of an image's `exportTo` field. */
export const exportToSchema: JsonSchema = obj(
  Object.fromEntries(Object.entries(fields).map(([f, def]) => [f, def.schema])),
  ["amiName", "iamRoleArn"],
  "Export the image, once AVAILABLE, to an EC2 AMI (CreateExportImageTask, waited on; address ImageExport/IMAGE). " +
    "A one-shot copy: exported once, never deleted; a new amiName exports again",
);

export const imageExportAddress = (image: string): string => `ImageExport/${image}`;

/** The image an export task copies, from its ARN (`arn:…:image/NAME`). */
export function imageOfTask(t: ExportImageTask): string {
  const a = t.ImageArn ?? "";
  const i = a.indexOf(":image/");
  return i < 0 ? a : a.slice(i + ":image/".length);
}

/** Every export task of the Region, every page (the filter names are undocumented: none are sent). */
export async function listExportTasks(api: AppStreamApi): Promise<ExportImageTask[]> {
  return collect(async (token) => {
    const out = await api.call("ListExportImageTasks", { MaxResults: MEMBERSHIPS_PAGE, ...(token ? { NextToken: token } : {}) });
    return { items: out.ExportImageTasks ?? [], next: out.NextToken };
  }, { label: "ListExportImageTasks" });
}

/** A task that made no AMI: its name is free again (TIMED_OUT is in the SDK's enum beside FAILED). */
const unsuccessful = (t: ExportImageTask) => t.State === "FAILED" || t.State === "TIMED_OUT";
const when = (t: ExportImageTask) => t.CreatedDate?.getTime() ?? 0;
const why = (t: ExportImageTask) => (t.ErrorDetails ?? []).map((e) => `${e.ErrorCode ?? "UNKNOWN"}: ${e.ErrorMessage ?? ""}`).join("; ");

export function normalizeExport(image: string, t: ExportImageTask): LiveResource {
  return {
    kind: "ImageExport", name: image, address: imageExportAddress(image),
    spec: {
      image, amiName: t.AmiName,
      ...(t.AmiDescription ? { amiDescription: t.AmiDescription } : {}),
      ...(t.TagSpecifications && Object.keys(t.TagSpecifications).length ? { tagSpecifications: t.TagSpecifications } : {}),
    },
    ...(t.State ? { state: t.State } : {}),
    errors: (t.ErrorDetails ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
    ...(t.CreatedDate ? { createdTime: t.CreatedDate.getTime() } : {}),
    facts: { taskId: t.TaskId, ...(t.AmiId ? { amiId: t.AmiId } : {}) },
  };
}

/** Per image of `images`, its live export: the latest task that did not fail. */
export function liveExports(tasks: readonly ExportImageTask[], images: ReadonlySet<string>): LiveResource[] {
  const latest = new Map<string, ExportImageTask>();
  for (const t of tasks) {
    const image = imageOfTask(t);
    if (!images.has(image) || unsuccessful(t)) continue;
    const seen = latest.get(image);
    if (!seen || when(t) >= when(seen)) latest.set(image, t);
  }
  return [...latest].map(([image, t]) => normalizeExport(image, t));
}

function request(d: DesiredResource): Record<string, unknown> {
  const s = d.spec as unknown as ExportSpec;
  const input: CreateExportImageTaskCommandInput = {
    ImageName: s.image, AmiName: s.amiName, IamRoleArn: s.iamRoleArn,
    ...(s.amiDescription !== undefined ? { AmiDescription: s.amiDescription } : {}),
    ...(s.tagSpecifications ? { TagSpecifications: s.tagSpecifications } : {}),
  };
  return { ...input };
}

const MINUTE = 60_000;

/** Export tasks by TaskId (GetExportImageTask): the task an export started is the one waited on. */
export const imageExportWaiter: Waiter<ExportImageTask> = {
  kind: "image-export",
  // Exports take hours, like the copies and imports they resemble (§15.2).
  timeoutMs: 360 * MINUTE,
  async read(api, ids) {
    if (!ids) return listExportTasks(api);
    const found = await Promise.all(ids.map(async (id) => (await api.call("GetExportImageTask", { TaskId: id })).ExportImageTask));
    return found.filter((t): t is ExportImageTask => t !== undefined);
  },
  name: (t) => t.TaskId ?? "",
  state: (t) => t.State ?? "UNKNOWN",
  problem(t) {
    if (!unsuccessful(t)) return undefined;
    const details = why(t);
    return { message: `the export of image ${imageOfTask(t)} to AMI ${t.AmiName} ${t.State}${details ? `: ${details}` : ""}`, fatal: true };
  },
};

/** Plan-time: an earlier export of this image to the same AMI name that failed, said before it is tried again. */
async function preflight(d: DesiredResource, ctx: ReadContext): Promise<{ warning?: string }> {
  const s = d.spec as unknown as ExportSpec;
  const failed = (await listExportTasks(ctx.api))
    .filter((t) => imageOfTask(t) === s.image && t.AmiName === s.amiName && unsuccessful(t))
    .sort((a, b) => when(b) - when(a))[0];
  return failed ? { warning: `the last export of ${s.image} to AMI ${s.amiName} ${failed.State} (${why(failed) || "no reason given"}); it is exported again` } : {};
}

export const imageExport = defineDerivedKind({
  kind: "ImageExport",
  rank: 22,
  noun: "image export",
  fields,
  taggable: false,
  // An exported AMI is EC2's: nothing of an export is ever deleted.
  ownership: "never",
  parents: (l) => [`Image/${String(l.spec.image)}`],
  readPer: "Image",
  ownerKind: "Image",
  waiter: imageExportWaiter,
  ops: {
    "image-export.create": (async (ctx, s) => {
      const task = (await ctx.call("CreateExportImageTask", s.params, referring(ctx, s.address))).ExportImageTask;
      const id = task?.TaskId;
      if (!id) throw new AppError("apply.failed", `CreateExportImageTask for ${s.address} answered no TaskId`, { source: "aws" });
      await ctx.wait("image-export", { name: id, until: "COMPLETED", timeoutMs: ctx.timeouts["image-export"] });
      const done = (await ctx.call("GetExportImageTask", { TaskId: id })).ExportImageTask;
      return done?.AmiId ? `exported to ${done.AmiId}` : undefined;
    }) satisfies OpFn<CreateExportImageTaskCommandInput>,
  },
  async read(ctx, prior) {
    const images = new Set(prior.of("Image").map((i) => i.name));
    return images.size ? liveExports(await listExportTasks(ctx.api), images) : [];
  },
  async readOne(ctx, name) {
    return liveExports(await listExportTasks(ctx.api), new Set([name]))[0];
  },
  derive(m) {
    const out: DesiredResource[] = [];
    (m.images ?? []).forEach((img, i) => {
      const decl = img.exportTo as ExportTo | undefined;
      if (!decl) return;
      const image = img.name as string;
      out.push({
        kind: "ImageExport", name: image, address: imageExportAddress(image), spec: { ...decl, image },
        pointer: `/images/${i}/exportTo`, dependsOn: [`Image/${image}`],
      });
    });
    return out;
  },
  preflight,
  create: (d) => [{ id: "export", op: "image-export.create", params: request(d) }],
  update(d, l) {
    const want = d.spec as unknown as ExportSpec;
    const had = String(l.spec.amiName);
    if (want.amiName === had) {
      throw new AppError(
        "plan.image-export",
        `${d.address}: the image was already exported to AMI ${had}${l.facts?.amiId ? ` (${String(l.facts.amiId)})` : ""}; ` +
          "an exported AMI keeps its description and tags, and its name cannot be exported to again. " +
          "Give exportTo a new amiName to export again, or put back the description and tags it was exported with",
        { source: "user" },
      );
    }
    return {
      steps: [{ id: "export", op: "image-export.create", params: request(d) }],
      disruption: "none",
      reason: `an AMI export is a one-shot copy: exported again, to AMI ${want.amiName}; the AMI ${had}${l.facts?.amiId ? ` (${String(l.facts.amiId)})` : ""} of the previous export stays`,
    };
  },
  settle(l) {
    // An export still running (an apply interrupted while waiting): wait for it before anything else.
    if (l.state !== "EXPORTING" || typeof l.facts?.taskId !== "string") return undefined;
    return {
      steps: [waitStep("exported", "image-export", l.facts.taskId, "COMPLETED", [])],
      diff: { path: "state", before: "EXPORTING", after: "COMPLETED", sensitive: false, why: "state" },
    };
  },
  remove: () => [],
  removeWarning: (l) =>
    `only the record of the export goes: the AMI ${String(l.spec.amiName)}${l.facts?.amiId ? ` (${String(l.facts.amiId)})` : ""} stays in EC2`,
});
