/**
 * What every operation handler receives. Handlers are effectful (they change the store), so they take
 * `ctx` first and the decoded request body second, and return the response body (the server drops
 * `undefined`/`null` members and serialises it).
 */
import type { Store, StoreConfig } from "./store.js";

export interface OpContext {
  store: Store;
  /** From the SigV4 credential scope of the request (reference §1); default us-east-1. */
  region: string;
  account: string;
  /** The emulator clock (epoch ms), read once per request so a handler sees one instant. */
  now: number;
  config: StoreConfig;
  /** The operation name, e.g. `CreateFleet`. */
  operation: string;
  /** How long a resource created by this call stays invisible to Describe/List (eventual-consistency fault). */
  consistencyDelayMs: number;
  /** Outcome faults drawn for this call (faults.ts OUTCOME_KINDS): the work it starts is to fail. */
  outcomeFaults?: readonly string[];
}

/**
 * A request body after JSON decoding. Shapes are those of the model; when `validate.ts` is wired in,
 * types, required members and ranges are already checked before a handler runs.
 */
export type Input = Record<string, unknown>;

/** One operation. */
export type OpHandler = (ctx: OpContext, input: Input) => unknown;

/**
 * Declares a handler with the SDK's typed input shape (type-only import, nothing loaded at run time).
 * The cast is sound only for the members validate.ts checked; handlers stay defensive about the rest.
 * `raw` is the same body untyped, for member-by-member loops.
 */
export function op<I>(fn: (ctx: OpContext, input: I, raw: Input) => unknown): OpHandler {
  return (ctx, input) => fn(ctx, input as I, input);
}

/** Returns `visibleAt` for a record created now: now plus the eventual-consistency delay, or undefined. */
export function visibleAtFor(ctx: OpContext): number | undefined {
  return ctx.consistencyDelayMs > 0 ? ctx.now + ctx.consistencyDelayMs : undefined;
}
