/**
 * The executor's registry (DESIGN.md §4): step `op` → the function that carries it out, taking `ctx`
 * first. Params are the API requests the kinds built (src/kinds); this file adds only how each call
 * is made — which transient errors are retried (reference §14.4), what counts as already done
 * (ResourceNotFound on a delete = gone), what is a race (ResourceAlreadyExists on a create: planned
 * again by execute.ts), and where a secret placeholder is resolved. User-stack associations are not here: batch.ts sends them 25 at once.
 */
import type { InputOf, Operation, ResultOf } from "../aws/api.js";
import type { AwsCallOptions } from "../aws/call.js";
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { SecretRef, Step } from "../core/plan-types.js";
import type { WaitKind } from "../kinds/steps.js";
import type { WaitRequest } from "./pollers.js";
import type { WaitTimeouts } from "./waiter.js";

/** What an op function may do. Mutating calls made through `call` hold a `--parallelism` slot. */
export interface OpCtx {
  /** A call in the plan's region, with callAws's retries and AppError wrapping. */
  call<O extends Operation>(op: O, input: InputOf<O>, opts?: AwsCallOptions): Promise<ResultOf<O>>;
  /** The same in another region (CopyImage runs in the source region, reference §7.4). */
  callIn<O extends Operation>(region: string, op: O, input: InputOf<O>, opts?: AwsCallOptions): Promise<ResultOf<O>>;
  /** Joins the shared poller of `kind` (one Describe per tick for every waiting resource). */
  wait(kind: WaitKind, req: WaitRequest): Promise<void>;
  /** The manifest value at a JSON pointer (a password), resolved only when the call is made. */
  secret(pointer: string): string;
  timeouts: WaitTimeouts;
  /**
   * Whether the step runs after steps of other resources in this apply (what it refers to was just
   * created or changed): only then can a ResourceNotFound be eventual consistency rather than a
   * reference to something nobody created.
   */
  followsOthers: boolean;
}

/** Carries out one step; may return a note for the progress line (e.g. "adopted"). */
export type OpFn = (ctx: OpCtx, step: Step) => Promise<string | undefined>;

const GONE_NOTE = "already gone";

function input<O extends Operation>(step: Step, _op: O): InputOf<O> {
  // Params were built by the kinds as exactly this request (src/kinds), or checked by parsePlanFile.
  return step.params as unknown as InputOf<O>;
}

function str(step: Step, key: string): string {
  const v = step.params[key];
  if (typeof v !== "string") throw new AppError("plan.format", `step ${step.id}: param ${key} must be a string`, { source: "user" });
  return v;
}

/**
 * Runs a create. ResourceAlreadyExists that `exists` confirms means the resource was made after the plan
 * read the estate (another run or a person raced this one, reference §14.4, or an attempt of this request
 * whose answer was lost): not a success, since what is there may differ from the manifest or belong to
 * another set, but `apply.already-exists`, which execute.ts answers by planning the resource again
 * against what is there.
 */
async function createOrRaced(create: () => Promise<unknown>, exists: () => Promise<boolean>): Promise<string | undefined> {
  try {
    await create();
    return undefined;
  } catch (err) {
    if (kindOf(err) === "already-exists" && (await exists())) {
      throw new AppError("apply.already-exists", "it already exists: made after the plan read the estate (by another run, a person, or an earlier attempt of this request)", { source: "aws", cause: err });
    }
    throw err;
  }
}

/** Runs a delete; ResourceNotFound means there is nothing left to delete (a re-run after Ctrl-C). */
async function deleteOrGone(del: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await del();
    return undefined;
  } catch (err) {
    if (kindOf(err) === "not-found") return GONE_NOTE;
    throw err;
  }
}

/** Whether a read finds the resource (false on ResourceNotFound). */
async function found(read: () => Promise<readonly unknown[] | undefined>): Promise<boolean> {
  try {
    return ((await read()) ?? []).length > 0;
  } catch (err) {
    if (kindOf(err) === "not-found") return false;
    throw err;
  }
}

const fleetExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeFleets", { Names: [name] })).Fleets);
const stackExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeStacks", { Names: [name] })).Stacks);
const builderExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeImageBuilders", { Names: [name] })).ImageBuilders);
const imageExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeImages", { Names: [name] })).Images);

/** Right after a create, the resource or an IAM role it uses may not be visible yet (reference §14.4). */
const PROPAGATION: AwsCallOptions = { allow: ["not-found-after-create", "invalid-role-propagation"] };

/**
 * A create naming other resources (an image, a directory, a stack): their ResourceNotFound is retried
 * only right after their own create in this apply, and then briefly; otherwise it is reported at once —
 * minutes of retries would only hide a reference to something that does not exist.
 */
function referring(ctx: OpCtx, resource: string): AwsCallOptions {
  return ctx.followsOthers
    ? { allow: ["not-found-after-create", "invalid-role-propagation"], policy: { maxElapsedMs: 60_000 }, resource }
    : { allow: ["invalid-role-propagation"], resource };
}
/** Start/stop/delete of a resource still in transition (reference §6.2) or just created. */
const TRANSITIONAL: AwsCallOptions = { allow: ["not-permitted-transitional", "not-found-after-create"] };

/**
 * Runs a call that uses an image; if the image exists but is not AVAILABLE yet (ResourceNotAvailable:
 * still importing or copying — e.g. a re-run after Ctrl-C that found it mid-way, reference §7.2), waits
 * for it with the shared image poller and tries once more.
 */
async function withImage(ctx: OpCtx, image: unknown, call: () => Promise<unknown>): Promise<undefined> {
  try {
    await call();
  } catch (err) {
    if (kindOf(err) !== "not-available" || typeof image !== "string" || image.startsWith("arn:")) throw err;
    await ctx.wait("image", { name: image, until: "AVAILABLE", timeoutMs: ctx.timeouts.image });
    await call();
  }
  return undefined;
}

/** The ARN of the resource an address names, for tags.update steps planned without one. */
async function arnOf(ctx: OpCtx, address: string): Promise<string> {
  const slash = address.indexOf("/");
  const kind = address.slice(0, slash);
  const name = address.slice(slash + 1);
  const opts = { ...PROPAGATION, resource: address };
  let arn: string | undefined;
  switch (kind) {
    case "Fleet":
      arn = (await ctx.call("DescribeFleets", { Names: [name] }, opts)).Fleets?.[0]?.Arn;
      break;
    case "Stack":
      arn = (await ctx.call("DescribeStacks", { Names: [name] }, opts)).Stacks?.[0]?.Arn;
      break;
    case "ImageBuilder":
      arn = (await ctx.call("DescribeImageBuilders", { Names: [name] }, opts)).ImageBuilders?.[0]?.Arn;
      break;
    case "Image":
      arn = (await ctx.call("DescribeImages", { Names: [name] }, opts)).Images?.[0]?.Arn;
      break;
    default:
      throw new AppError("plan.format", `tags.update: ${address} is not a taggable resource`, { source: "user" });
  }
  if (!arn) throw new AppError("apply.failed", `tags.update: ${address} was not found`, { source: "aws" });
  return arn;
}

/**
 * Replaces every `{ "$secret": pointer }` in `params` with the manifest's value (SecretRef, plan-types.ts).
 * Pure apart from `lookup`; the result must only ever be sent to AWS, never printed.
 */
export function resolveSecrets(value: unknown, lookup: (pointer: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, lookup));
  if (typeof value !== "object" || value === null) return value;
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec);
  if (keys.length === 1 && keys[0] === "$secret" && typeof rec.$secret === "string") return lookup((rec as unknown as SecretRef).$secret);
  return Object.fromEntries(keys.map((k) => [k, resolveSecrets(rec[k], lookup)]));
}

const withSecrets = (ctx: OpCtx, step: Step): Step => ({ ...step, params: resolveSecrets(step.params, (p) => ctx.secret(p)) as Record<string, unknown> });

/** op → function. Every op the kinds produce (src/kinds, `op: "…"`) except the batched user associations. */
export const OPS: Readonly<Record<string, OpFn>> = {
  "fleet.create": (ctx, s) => {
    const create = () => withImage(ctx, s.params.ImageName, () => ctx.call("CreateFleet", input(s, "CreateFleet"), referring(ctx, s.address)));
    return createOrRaced(create, () => fleetExists(ctx, str(s, "Name")));
  },
  "fleet.update": (ctx, s) =>
    withImage(ctx, s.params.ImageName, () => ctx.call("UpdateFleet", input(s, "UpdateFleet"), { resource: s.address, allow: ["invalid-role-propagation"] })),
  "fleet.start": async (ctx, s) => void (await ctx.call("StartFleet", input(s, "StartFleet"), { ...TRANSITIONAL, resource: s.address })),
  "fleet.stop": async (ctx, s) => void (await ctx.call("StopFleet", input(s, "StopFleet"), { ...TRANSITIONAL, resource: s.address })),
  "fleet.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteFleet", input(s, "DeleteFleet"), { resource: s.address })),

  "stack.create": (ctx, s) =>
    createOrRaced(() => ctx.call("CreateStack", input(s, "CreateStack"), { resource: s.address }), () => stackExists(ctx, str(s, "Name"))),
  "stack.update": async (ctx, s) => void (await ctx.call("UpdateStack", input(s, "UpdateStack"), { resource: s.address })),
  "stack.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteStack", input(s, "DeleteStack"), { resource: s.address })),

  "fleet-association.create": (ctx, s) =>
    createOrRaced(
      () => ctx.call("AssociateFleet", input(s, "AssociateFleet"), referring(ctx, s.address)),
      async () => ((await ctx.call("ListAssociatedFleets", { StackName: str(s, "StackName") })).Names ?? []).includes(str(s, "FleetName")),
    ),
  "fleet-association.delete": (ctx, s) => deleteOrGone(() => ctx.call("DisassociateFleet", input(s, "DisassociateFleet"), { resource: s.address })),

  "image-builder.create": (ctx, s) => {
    return createOrRaced(
      () => withImage(ctx, s.params.ImageName, () => ctx.call("CreateImageBuilder", input(s, "CreateImageBuilder"), referring(ctx, s.address))),
      () => builderExists(ctx, str(s, "Name")),
    );
  },
  "image-builder.start": async (ctx, s) => void (await ctx.call("StartImageBuilder", input(s, "StartImageBuilder"), { ...TRANSITIONAL, resource: s.address })),
  "image-builder.stop": async (ctx, s) => void (await ctx.call("StopImageBuilder", input(s, "StopImageBuilder"), { ...TRANSITIONAL, resource: s.address })),
  "image-builder.delete": (ctx, s) =>
    deleteOrGone(() => ctx.call("DeleteImageBuilder", input(s, "DeleteImageBuilder"), { allow: ["not-permitted-transitional"], resource: s.address })),

  "image.create-updated": (ctx, s) =>
    createOrRaced(
      () => ctx.call("CreateUpdatedImage", input(s, "CreateUpdatedImage"), referring(ctx, s.address)),
      () => imageExists(ctx, str(s, "newImageName")),
    ),
  "image.import": (ctx, s) =>
    createOrRaced(() => ctx.call("CreateImportedImage", input(s, "CreateImportedImage"), referring(ctx, s.address)), () => imageExists(ctx, str(s, "Name"))),
  "image.copy": (ctx, s) => {
    // The call is made in the source region; the copy lands in the plan's region (reference §7.4).
    const { region: _source, ...request } = s.params;
    return createOrRaced(
      () => ctx.callIn(str(s, "region"), "CopyImage", request as unknown as InputOf<"CopyImage">, referring(ctx, s.address)),
      () => imageExists(ctx, str(s, "DestinationImageName")),
    );
  },
  "image.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteImage", input(s, "DeleteImage"), { resource: s.address })),

  "image-permission.put": (ctx, s) =>
    withImage(ctx, s.params.Name, () => ctx.call("UpdateImagePermissions", input(s, "UpdateImagePermissions"), { ...PROPAGATION, resource: s.address })),
  "image-permission.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteImagePermissions", input(s, "DeleteImagePermissions"), { resource: s.address })),

  // A user exists once CreateUser says it already does: there is no describe-by-name (reference §8.1).
  "user.create": (ctx, s) => createOrRaced(() => ctx.call("CreateUser", input(s, "CreateUser"), { resource: s.address }), async () => true),
  "user.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteUser", input(s, "DeleteUser"), { resource: s.address })),
  "user.enable": async (ctx, s) => void (await ctx.call("EnableUser", input(s, "EnableUser"), { allow: ["not-found-after-create"], resource: s.address })),
  "user.disable": async (ctx, s) => void (await ctx.call("DisableUser", input(s, "DisableUser"), { allow: ["not-found-after-create"], resource: s.address })),

  "directory-config.create": (ctx, s) =>
    createOrRaced(
      () => ctx.call("CreateDirectoryConfig", input(withSecrets(ctx, s), "CreateDirectoryConfig"), { resource: s.address }),
      () => found(async () => (await ctx.call("DescribeDirectoryConfigs", { DirectoryNames: [str(s, "DirectoryName")] })).DirectoryConfigs),
    ),
  "directory-config.update": async (ctx, s) =>
    void (await ctx.call("UpdateDirectoryConfig", input(withSecrets(ctx, s), "UpdateDirectoryConfig"), { resource: s.address })),
  "directory-config.delete": (ctx, s) => deleteOrGone(() => ctx.call("DeleteDirectoryConfig", input(s, "DeleteDirectoryConfig"), { resource: s.address })),

  "tags.update": async (ctx, s) => {
    const address = str(s, "address");
    const arn = typeof s.params.ResourceArn === "string" ? s.params.ResourceArn : await arnOf(ctx, address);
    const add = (s.params.add ?? {}) as Record<string, string>;
    const remove = (s.params.remove ?? []) as string[];
    const opts = { ...PROPAGATION, resource: address };
    if (remove.length) await ctx.call("UntagResource", { ResourceArn: arn, TagKeys: remove }, opts);
    if (Object.keys(add).length) await ctx.call("TagResource", { ResourceArn: arn, Tags: add }, opts);
    return undefined;
  },

  wait: async (ctx, s) => {
    const kind = str(s, "kind") as WaitKind;
    if (!(kind in ctx.timeouts)) throw new AppError("plan.format", `step ${s.id}: unknown wait kind ${kind}`, { source: "user" });
    await ctx.wait(kind, { name: str(s, "name"), until: str(s, "until"), timeoutMs: ctx.timeouts[kind] });
    return undefined;
  },
};

/** Whether a step is a wait (holds no parallelism slot and does not delay batches). */
export const isWait = (step: Step): boolean => step.op === "wait";
