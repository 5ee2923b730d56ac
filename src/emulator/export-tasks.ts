/**
 * Export image tasks: CreateExportImageTask, GetExportImageTask and ListExportImageTasks. A task turns an
 * AVAILABLE private image into an EC2 AMI: EXPORTING, then COMPLETED with an AmiId after the time-scaled
 * `imageExport` duration, or FAILED with ErrorDetails when the `exportFail` outcome fault fired for the
 * Create call (faults.ts). Tasks live in `exportImageTasks` keyed by task id. Rules EXPORT-xx in SPEC.md.
 */
import { createHash, randomUUID } from "node:crypto";
import type { CreateExportImageTaskRequest, GetExportImageTaskRequest, ListExportImageTasksRequest } from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, notFound, notPermitted } from "./errors.js";
import { ROLE_ARN } from "./image-create.js";
import { isOwn, stateOf, sweepImages } from "./images.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import type { BaseRecord } from "./store.js";
import { begin, type Lifecycle } from "./transitions.js";

interface ExportTaskRecord extends BaseRecord {
  TaskId: string;
  ImageArn: string;
  ImageName: string;
  AmiName: string;
  AmiDescription?: string;
  TagSpecifications?: Record<string, string>;
  /** EXPORTING → COMPLETED | FAILED. */
  lifecycle: Lifecycle;
  /** The AMI a successful export makes; answered only once COMPLETED. */
  AmiId: string;
}

function tasksOf(ctx: OpContext) {
  return ctx.store.table<ExportTaskRecord>(ctx.region, "exportImageTasks");
}

/** The API `ExportImageTask` shape (EXPORT-02). `stateOverride` shows EXPORTING when time scale 0 skips it. */
function view(ctx: OpContext, rec: ExportTaskRecord, stateOverride?: string): Record<string, unknown> {
  const state = stateOverride ?? stateOf(ctx, rec.lifecycle);
  return {
    TaskId: rec.TaskId,
    ImageArn: rec.ImageArn,
    AmiName: rec.AmiName,
    CreatedDate: epoch(rec.createdAt),
    AmiDescription: rec.AmiDescription,
    State: state,
    AmiId: state === "COMPLETED" ? rec.AmiId : undefined,
    TagSpecifications: rec.TagSpecifications,
    ErrorDetails:
      state === "FAILED"
        ? [{ ErrorCode: "IMAGE_EXPORT_FAILURE", ErrorMessage: `The image ${rec.ImageName} could not be exported to the AMI ${rec.AmiName}.` }]
        : undefined,
  };
}

const createExportImageTask = op<CreateExportImageTaskRequest>((ctx, input) => {
  const name = String(input.ImageName);
  const image = sweepImages(ctx)[name];
  if (!image) throw notFound(`The image ${name} for account ${ctx.account} does not exist.`);
  // The model: "The image must be in an available state and owned by your account."
  if (!isOwn(image)) throw notPermitted(`The image ${name} is not owned by account ${ctx.account}; only your own images can be exported.`);
  const state = stateOf(ctx, image.lifecycle);
  if (state !== "AVAILABLE") throw new ApiError("ResourceNotAvailableException", `The image ${name} is ${state}; only AVAILABLE images can be exported.`);
  if (!ROLE_ARN.test(String(input.IamRoleArn))) throw new ApiError("InvalidRoleException", `The specified role ${String(input.IamRoleArn)} is invalid.`);
  const tasks = Object.values(tasksOf(ctx));
  // The model: the AMI name "must be unique within your account and region". Guess: a FAILED task frees it.
  if (tasks.some((t) => t.AmiName === input.AmiName && stateOf(ctx, t.lifecycle) !== "FAILED")) {
    throw notPermitted(`An export image task for the AMI name ${String(input.AmiName)} already exists.`);
  }
  if (tasks.some((t) => t.ImageName === name && stateOf(ctx, t.lifecycle) === "EXPORTING")) {
    throw new ApiError("ConcurrentModificationException", `The image ${name} is already being exported.`);
  }
  const taskId = randomUUID();
  const failed = ctx.outcomeFaults?.includes("exportFail") === true;
  const rec: ExportTaskRecord = {
    TaskId: taskId,
    ImageArn: image.attrs.Arn,
    ImageName: name,
    AmiName: String(input.AmiName),
    AmiDescription: input.AmiDescription,
    TagSpecifications: input.TagSpecifications,
    lifecycle: begin(ctx.now, "EXPORTING", [{ state: failed ? "FAILED" : "COMPLETED", durationMs: ctx.config.durations.imageExport }], ctx.config.timeScale),
    AmiId: `ami-${createHash("sha256").update(taskId).digest("hex").slice(0, 17)}`,
    createdAt: ctx.now,
  };
  tasksOf(ctx)[taskId] = rec;
  return { ExportImageTask: view(ctx, rec, "EXPORTING") };
});

const getExportImageTask = op<GetExportImageTaskRequest>((ctx, input) => {
  // TaskId is optional in the model; without one there is no task to name (guess: ResourceNotFound).
  const rec = typeof input.TaskId === "string" ? tasksOf(ctx)[input.TaskId] : undefined;
  if (!rec) throw notFound(`The export image task ${input.TaskId ?? "(no TaskId)"} does not exist.`);
  return { ExportImageTask: view(ctx, rec) };
});

/** Guess (EXPORT-05): the filter names are undocumented; these match the task's members. */
const FILTERS: Record<string, (ctx: OpContext, rec: ExportTaskRecord) => string> = {
  State: (ctx, rec) => stateOf(ctx, rec.lifecycle),
  ImageArn: (_ctx, rec) => rec.ImageArn,
  ImageName: (_ctx, rec) => rec.ImageName,
  AmiName: (_ctx, rec) => rec.AmiName,
};

const listExportImageTasks = op<ListExportImageTasksRequest>((ctx, input) => {
  const filters = input.Filters ?? [];
  for (const f of filters) {
    if (!Object.hasOwn(FILTERS, String(f.Name))) {
      throw new ApiError("ValidationException", `Unknown filter name ${String(f.Name)}; use one of ${Object.keys(FILTERS).join(", ")}.`);
    }
  }
  const list = Object.values(tasksOf(ctx))
    .filter((rec) => filters.every((f) => (f.Values ?? []).includes(FILTERS[String(f.Name)]!(ctx, rec))))
    .sort((a, b) => a.createdAt - b.createdAt); // stable: tasks of one instant stay in creation order
  const scope = `ListExportImageTasks|${JSON.stringify(filters)}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { ExportImageTasks: page.items.map((r) => view(ctx, r)), NextToken: page.nextToken };
});

/** Export image task operations for the registry in ops.ts. */
export const exportTaskOps: Record<string, OpHandler> = {
  CreateExportImageTask: createExportImageTask,
  GetExportImageTask: getExportImageTask,
  ListExportImageTasks: listExportImageTasks,
};
