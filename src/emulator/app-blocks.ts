/**
 * App blocks (reference §12.1): Create, Describe and Delete; no update operation, so every field is fixed.
 * A CUSTOM app block is ACTIVE from the start. An APPSTREAM2 app block is INACTIVE until an app block builder
 * (app-block-builders.ts) has made its application package (VHD): when a builder associated with the block is
 * stopped after running, the package it built is stored (a guess, SPEC.md Guesses). The state is a pure
 * function of the stored packaging outcomes and the clock, so it is right after a restart too.
 * Rules AB-xx in SPEC.md.
 */
import type { CreateAppBlockRequest, DeleteAppBlockRequest, DescribeAppBlocksRequest, ScriptDetails, S3Location } from "@aws-sdk/client-appstream";
import { applicationsOf } from "./application-links.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, alreadyExists, inUse, notFound } from "./errors.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { arnOf, isVisible, type BaseRecord, type Table } from "./store.js";
import { dropTags, storeCreateTags } from "./tags.js";

/** One app block error as the API shows it (`ErrorDetails`). */
export interface AppBlockError {
  ErrorCode: string;
  ErrorMessage: string;
}

/** What a packaging run left on the block from `at` on (an app block builder stop, or the control API). */
export interface PackagingOutcome {
  at: number;
  state: "ACTIVE" | "INACTIVE";
  errors: AppBlockError[];
}

/** A stored app block: the API members except State, CreatedTime and AppBlockErrors. */
export interface AppBlockRecord extends BaseRecord {
  attrs: {
    Name: string;
    Arn: string;
    Description?: string;
    DisplayName?: string;
    SourceS3Location: S3Location;
    SetupScriptDetails?: ScriptDetails;
    PostSetupScriptDetails?: ScriptDetails;
    PackagingType: "CUSTOM" | "APPSTREAM2";
  };
  /** Packaging outcomes in time order (a few kept); the last one due decides State and AppBlockErrors. */
  outcomes: PackagingOutcome[];
  /** Control-API fault: the next packaging fails with this error instead of activating the block. */
  failNextPackaging?: AppBlockError;
}

/** Outcomes kept per block: only the last due one matters, a pending one may follow it. */
const MAX_OUTCOMES = 4;

/** The app blocks of the request's region, keyed by name. */
export function appBlocksOf(ctx: Pick<OpContext, "store" | "region">): Table<AppBlockRecord> {
  return ctx.store.table<AppBlockRecord>(ctx.region, "appBlocks");
}

/** The app block an ARN names in this region and account (hidden ones included: mutating calls see them). */
export function findAppBlockByArn(ctx: OpContext, arn: unknown): AppBlockRecord | undefined {
  if (typeof arn !== "string") return undefined;
  return Object.values(appBlocksOf(ctx)).find((r) => r.attrs?.Arn === arn);
}

/** State and errors of a block now (AB-02, AB-05). */
export function appBlockStatus(ctx: Pick<OpContext, "now">, rec: AppBlockRecord): { state: "ACTIVE" | "INACTIVE"; errors: AppBlockError[] } {
  let due: PackagingOutcome | undefined;
  for (const o of rec.outcomes) if (o.at <= ctx.now) due = o;
  if (due) return { state: due.state, errors: due.errors };
  return { state: "INACTIVE", errors: [] };
}

/** Records what a packaging run leaves on the block at `at` (an app block builder reaching STOPPED). */
export function recordPackaging(rec: AppBlockRecord, at: number): void {
  const fault = rec.failNextPackaging;
  delete rec.failNextPackaging;
  const before = rec.outcomes.filter((o) => o.at <= at).at(-1);
  // A failed run leaves an already packaged block as it was, with the error shown (AB-06).
  const outcome: PackagingOutcome = fault
    ? { at, state: before?.state ?? "INACTIVE", errors: [fault] }
    : { at, state: "ACTIVE", errors: [] };
  setOutcome(rec, outcome);
}

/** Stores an outcome, dropping outcomes scheduled after it (they are superseded) and old ones. */
export function setOutcome(rec: AppBlockRecord, outcome: PackagingOutcome): void {
  rec.outcomes = [...rec.outcomes.filter((o) => o.at <= outcome.at), outcome].slice(-MAX_OUTCOMES);
}

/** The API `AppBlock` shape (AB-02). */
export function appBlockView(ctx: OpContext, rec: AppBlockRecord): Record<string, unknown> {
  const { state, errors } = appBlockStatus(ctx, rec);
  return { ...rec.attrs, CreatedTime: epoch(rec.createdAt), State: state, AppBlockErrors: errors.length > 0 ? errors : undefined };
}

/**
 * What still uses the app block (a phrase for the error message), or undefined when nothing does: an application referencing it (the applications area stores
 * records keyed by name in the `applications` collection, with `AppBlockArn` as a member of the record or of
 * its `attrs`), or an app block builder association (AB-04).
 */
export function appBlockInUse(ctx: Pick<OpContext, "store" | "region">, arn: string): string | undefined {
  for (const [name, app] of Object.entries(applicationsOf(ctx))) {
    if (app.AppBlockArn === arn) return `the application ${name}`;
  }
  for (const a of Object.values(builderAssociationsOf(ctx))) {
    if (a.AppBlockArn === arn) return `the app block builder ${a.AppBlockBuilderName}`;
  }
  return undefined;
}

/** A builder–block association (one block per builder and one builder per block, reference §12.4). */
export interface BuilderAssociation {
  AppBlockArn: string;
  AppBlockBuilderName: string;
}

/** The associations of the request's region, keyed by builder name. */
export function builderAssociationsOf(ctx: Pick<OpContext, "store" | "region">): Table<BuilderAssociation> {
  return ctx.store.table<BuilderAssociation>(ctx.region, "appBlockBuilderAssociations");
}

/** The association of a builder, if any. */
export function associationOf(ctx: Pick<OpContext, "store" | "region">, builderName: string): BuilderAssociation | undefined {
  return builderAssociationsOf(ctx)[builderName];
}

function invalid(message: string): ApiError {
  return new ApiError("ValidationException", message);
}

/** AB-03: the packaging-type rules the model states in member docs. */
function checkPackaging(input: CreateAppBlockRequest, type: "CUSTOM" | "APPSTREAM2"): void {
  if (type === "CUSTOM") {
    if (input.SetupScriptDetails === undefined) throw invalid("SetupScriptDetails must be provided for the CUSTOM PackagingType.");
    if (input.PostSetupScriptDetails !== undefined) throw invalid("PostSetupScriptDetails can only be provided for the APPSTREAM2 PackagingType.");
    if (input.SourceS3Location?.S3Key === undefined) throw invalid("SourceS3Location.S3Key is required for the CUSTOM PackagingType.");
  } else if (input.SetupScriptDetails !== undefined) {
    throw invalid("SetupScriptDetails only applies to the CUSTOM PackagingType; use PostSetupScriptDetails.");
  }
  for (const [member, script] of [["SetupScriptDetails", input.SetupScriptDetails], ["PostSetupScriptDetails", input.PostSetupScriptDetails]] as const) {
    if (script && script.ScriptS3Location?.S3Key === undefined) throw invalid(`${member}.ScriptS3Location.S3Key is required.`);
  }
}

const createAppBlock = op<CreateAppBlockRequest>((ctx, input) => {
  const blocks = appBlocksOf(ctx);
  const name = String(input.Name);
  if (blocks[name]) throw alreadyExists(`The app block ${name} already exists.`);
  const type = input.PackagingType === "APPSTREAM2" ? "APPSTREAM2" : "CUSTOM";
  checkPackaging(input, type);
  const attrs: AppBlockRecord["attrs"] = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "app-block", name),
    Description: input.Description,
    DisplayName: input.DisplayName,
    SourceS3Location: input.SourceS3Location!,
    SetupScriptDetails: input.SetupScriptDetails,
    PostSetupScriptDetails: input.PostSetupScriptDetails,
    PackagingType: type,
  };
  const rec: AppBlockRecord = {
    attrs,
    createdAt: ctx.now,
    // AB-02: a CUSTOM block is usable at once; an APPSTREAM2 block waits for a builder to package it.
    outcomes: type === "CUSTOM" ? [{ at: ctx.now, state: "ACTIVE", errors: [] }] : [],
    visibleAt: visibleAtFor(ctx),
  };
  blocks[name] = rec;
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { AppBlock: appBlockView(ctx, rec) };
});

const describeAppBlocks = op<DescribeAppBlocksRequest>((ctx, input) => {
  const blocks = appBlocksOf(ctx);
  const arns = input.Arns ?? [];
  let list: AppBlockRecord[];
  if (arns.length > 0) {
    list = arns.map((arn) => {
      const rec = findAppBlockByArn(ctx, arn);
      if (!rec || !isVisible(rec, ctx.now)) throw notFound(`The app block ${arn} does not exist.`);
      return rec;
    });
  } else {
    list = Object.values(blocks)
      .filter((r) => isVisible(r, ctx.now))
      .sort((a, b) => a.attrs.Name.localeCompare(b.attrs.Name));
  }
  const page = paginate(list, `DescribeAppBlocks|${arns.join(",")}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { AppBlocks: page.items.map((r) => appBlockView(ctx, r)), NextToken: page.nextToken };
});

const deleteAppBlock = op<DeleteAppBlockRequest>((ctx, input) => {
  const blocks = appBlocksOf(ctx);
  const name = String(input.Name);
  const rec = blocks[name];
  if (!rec) throw notFound(`The app block ${name} does not exist.`);
  const user = appBlockInUse(ctx, rec.attrs.Arn);
  if (user) throw inUse(`The app block ${name} is in use by ${user}.`);
  delete blocks[name];
  dropTags(ctx, rec.attrs.Arn);
  return {};
});

/** App block operations for the registry in ops.ts. */
export const appBlockOps: Record<string, OpHandler> = {
  CreateAppBlock: createAppBlock,
  DescribeAppBlocks: describeAppBlocks,
  DeleteAppBlock: deleteAppBlock,
};
