/**
 * The one way the engine makes an AppStream call: through the narrow api, with appstreamctl's bounded
 * retry on top of the SDK's (reference §1.1, §14.4), and any final failure turned into an AppError that
 * names the operation and resource. The original SDK error stays reachable as `cause`, so `kindOf`
 * still answers "was it not-found?" for reads that treat a missing resource as absent.
 */
import type { AppStreamApi, InputOf, Operation, ResultOf } from "./api.js";
import { toAppError } from "./errors.js";
import { withRetry, type RetryCtx, type RetryOptions } from "./retry.js";

/** Effects of a call: the api, the clock, and the signal that stops retry waits. */
export interface CallCtx extends RetryCtx {
  api: AppStreamApi;
}

/** Per-call options: the resource for messages, and the retry conditions and policy. */
export interface AwsCallOptions extends RetryOptions {
  /** The address or name the call is about, e.g. `Fleet/engineering`. */
  resource?: string;
}

/**
 * Calls `op` with retries and wraps a final failure with {@link toAppError}. The signal in `ctx` stops
 * waiting between attempts but does not cut the HTTP request in flight: on the first Ctrl-C, a call
 * already sent is allowed to finish so that its outcome is known (issue #5).
 */
export async function callAws<O extends Operation>(
  ctx: CallCtx,
  op: O,
  input: InputOf<O>,
  opts: AwsCallOptions = {},
): Promise<ResultOf<O>> {
  try {
    return await withRetry(ctx, () => ctx.api.call(op, input), opts);
  } catch (err) {
    throw toAppError(err, opts.resource === undefined ? { operation: op } : { operation: op, resource: opts.resource });
  }
}
