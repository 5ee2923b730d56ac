/**
 * How the kinds' op functions make their calls (the executor side of a kind): which transient errors
 * are retried (reference §14.4), what counts as already done (ResourceNotFound on a delete = gone), what
 * is a race (ResourceAlreadyExists on a create: planned again by engine/converge.ts), where a secret
 * placeholder is resolved.
 */
import type { AwsCallOptions } from "../aws/call.js";
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { SecretRef, Step } from "../model/plan.js";
import type { OpCtx } from "./kind.js";

/** The progress note of a delete that found nothing to delete (a re-run after Ctrl-C). */
export const GONE_NOTE = "already gone";

/** A string param of a step; a saved plan edited by hand gets `plan.format`, not a crash. */
export function param(step: { id: string; params: object }, key: string): string {
  const v = (step.params as Record<string, unknown>)[key];
  if (typeof v !== "string") throw new AppError("plan.format", `step ${step.id}: param ${key} must be a string`, { source: "user" });
  return v;
}

/**
 * Runs a create. ResourceAlreadyExists that `exists` confirms means the resource was made after the plan
 * read the estate (another run or a person raced this one, reference §14.4, or an attempt of this request
 * whose answer was lost): not a success, since what is there may differ from the manifest or belong to
 * another set, but `apply.already-exists`, which the executor answers by planning the resource again
 * against what is there.
 */
export async function createOrRaced(create: () => Promise<unknown>, exists: () => Promise<boolean>): Promise<string | undefined> {
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
export async function deleteOrGone(del: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await del();
    return undefined;
  } catch (err) {
    if (kindOf(err) === "not-found") return GONE_NOTE;
    throw err;
  }
}

/** Whether a read finds the resource (false on ResourceNotFound). */
export async function found(read: () => Promise<readonly unknown[] | undefined>): Promise<boolean> {
  try {
    return ((await read()) ?? []).length > 0;
  } catch (err) {
    if (kindOf(err) === "not-found") return false;
    throw err;
  }
}

/** Right after a create, the resource or an IAM role it uses may not be visible yet (reference §14.4). */
export const PROPAGATION: AwsCallOptions = { allow: ["not-found-after-create", "invalid-role-propagation"] };

/**
 * A create naming other resources (an image, a directory, a stack): their ResourceNotFound is retried
 * only right after their own create in this apply, and then briefly; otherwise it is reported at once —
 * minutes of retries would only hide a reference to something that does not exist.
 */
export function referring(ctx: OpCtx, resource: string): AwsCallOptions {
  return ctx.followsOthers
    ? { allow: ["not-found-after-create", "invalid-role-propagation"], policy: { maxElapsedMs: 60_000 }, resource }
    : { allow: ["invalid-role-propagation"], resource };
}

/** Start/stop/delete of a resource still in transition (reference §6.2) or just created. */
export const TRANSITIONAL: AwsCallOptions = { allow: ["not-permitted-transitional", "not-found-after-create"] };

/**
 * Replaces every `{ "$secret": pointer }` in `params` with the manifest's value (SecretRef, model/plan.ts).
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

/** The step's params with their secrets resolved (sent, never shown). */
export const withSecrets = <P>(ctx: OpCtx, params: P): P => resolveSecrets(params, (p) => ctx.secret(p)) as P;
