/**
 * The narrow AppStream client the engine talks to (aws-cdk toolkit style): exactly the operations
 * appstreamctl uses, typed with the SDK's own input and output types, and nothing else. The engine is
 * given an `AppStreamApi`; production builds it on the real SDK client (AWS or the emulator over HTTP),
 * unit tests on plain handler functions ({@link fakeApi}). Every call is counted per operation, split
 * into reads and mutations, for the reporter and for tests that assert on call counts. Operations of
 * the other services (the tagging index, Application Auto Scaling, EventBridge Scheduler) go through the
 * same table (operations.ts), each on its own client.
 */
import { setMaxListeners } from "node:events";
import type { AppStreamClient } from "@aws-sdk/client-appstream";
import { AppError } from "../core/errors.js";
import { classify, markAttemptBudget } from "./errors.js";
import { accessOf, commandOf, serviceOf, type InputOf, type Operation, type OtherService, type ResultOf } from "./operations.js";

export { accessOf, OPERATION_NAMES, serviceOf, type Access, type InputOf, type Operation, type OtherService, type OutputOf, type ResultOf } from "./operations.js";

/**
 * Request members whose values are secrets. The API model also marks AccountName, user names, first and
 * last names and application paths sensitive; those are identities shown in plans by design.
 */
const SECRET_MEMBERS: ReadonlySet<string> = new Set(["AccountPassword"]);

/** The secret values in a request (by member name, at any depth), for redacting what echoes it. */
export function secretsIn(input: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (SECRET_MEMBERS.has(k) && typeof item === "string" && item !== "") out.push(item);
        else walk(item);
      }
    }
  };
  walk(input);
  return out;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the HTTP request (Ctrl-C). */
  signal?: AbortSignal;
}

/** A snapshot of the call counts. Failed calls count too: they reached the service. */
export interface CallCounts {
  reads: number;
  mutations: number;
  /** Calls that ended in an error, of either access. */
  errors: number;
  byOperation: Partial<Record<Operation, number>>;
}

/**
 * Counts calls as the engine made them. SDK-internal retries of one call are not counted separately
 * (they happen below `send`); the emulator's call log sees every HTTP attempt.
 */
export class CallCounter {
  private counts: CallCounts = { reads: 0, mutations: 0, errors: 0, byOperation: {} };

  /** Records one finished call. */
  record(op: Operation, ok: boolean): void {
    if (accessOf(op) === "read") this.counts.reads++;
    else this.counts.mutations++;
    if (!ok) this.counts.errors++;
    this.counts.byOperation[op] = (this.counts.byOperation[op] ?? 0) + 1;
  }

  /** A copy of the counts so far. */
  snapshot(): CallCounts {
    return { ...this.counts, byOperation: { ...this.counts.byOperation } };
  }

  /** Back to zero (e.g. between the read phase and the apply phase). */
  reset(): void {
    this.counts = { reads: 0, mutations: 0, errors: 0, byOperation: {} };
  }
}

/** The client interface of the engine. */
export interface AppStreamApi {
  /** Calls one operation. Errors are the SDK's (or the fake's) exceptions, unwrapped: classify them with errors.ts. */
  call<O extends Operation>(op: O, input: InputOf<O>, opts?: CallOptions): Promise<ResultOf<O>>;
  /** The counts of every call made through this api. */
  readonly counter: CallCounter;
}

type Dispatch = (op: Operation, input: unknown, opts: CallOptions) => Promise<unknown>;

function counted(dispatch: Dispatch, counter: CallCounter): AppStreamApi {
  return {
    counter,
    async call<O extends Operation>(op: O, input: InputOf<O>, opts: CallOptions = {}): Promise<ResultOf<O>> {
      try {
        const out = (await dispatch(op, input, opts)) as ResultOf<O>;
        counter.record(op, true);
        return out;
      } catch (err) {
        counter.record(op, false);
        throw err;
      }
    },
  };
}

type AnyCommand = Parameters<AppStreamClient["send"]>[0];

/** What the api needs of another service's SDK client: its `send`. */
export interface Sender {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** How {@link createApi} treats failures, and which clients send the other services' calls. */
export interface ApiOptions extends Partial<Record<OtherService, Sender>> {
  /** AWS_MAX_ATTEMPTS when the user set it: the most HTTP attempts one call may make, retries of ours included. */
  attemptBudget?: number;
}

/**
 * The error of a call cut short because another one got no answer at all: every attempt of that call
 * ran out of time, so the endpoint is not answering, and each further call would wait out the same
 * deadlines. Calls in flight are aborted and later ones not sent, so the time a command takes to fail is
 * one call's attempts, not one per call it makes.
 */
function unansweredError(unanswered: Error): Error {
  return Object.assign(new Error(`not sent: an earlier call got no answer (${unanswered.message})`), { name: "TimeoutError" });
}

/** The api over real SDK clients (AWS, or the emulator through `endpoint`): AppStream's, and the other services'. */
export function createApi(client: AppStreamClient, counter: CallCounter = new CallCounter(), opts: ApiOptions = {}): AppStreamApi {
  const endpointDown = new AbortController();
  // Every call in flight listens to it (AbortSignal.any below): many at once are expected, not a leak.
  setMaxListeners(0, endpointDown.signal);
  return counted(async (op, input, callOpts) => {
    if (endpointDown.signal.aborted) throw endpointDown.signal.reason;
    const signal = callOpts.signal ? AbortSignal.any([callOpts.signal, endpointDown.signal]) : endpointDown.signal;
    const send = (): Promise<unknown> => {
      const service = serviceOf(op);
      if (service) {
        const sender = opts[service];
        if (!sender) throw new AppError("internal", `no ${service} client for ${op}`, { source: "internal" });
        return sender.send(new (commandOf(op))(input), { abortSignal: signal });
      }
      return client.send(new (commandOf(op))(input) as AnyCommand, { abortSignal: signal });
    };
    try {
      return (await send()) as never;
    } catch (err) {
      // Cut short by another call's timeout (not by Ctrl-C): report that, not the SDK's bare abort.
      if (endpointDown.signal.aborted && !callOpts.signal?.aborted && classify(err) === "aborted") throw endpointDown.signal.reason;
      if (opts.attemptBudget !== undefined) markAttemptBudget(err, opts.attemptBudget);
      if (classify(err) === "timeout" && err instanceof Error && !endpointDown.signal.aborted) endpointDown.abort(unansweredError(err));
      throw err;
    }
  }, counter);
}

/** Handlers of a fake api: any subset of the operations, sync or async, throwing SDK-like errors. */
export type FakeHandlers = {
  [O in Operation]?: (input: InputOf<O>) => ResultOf<O> | Promise<ResultOf<O>>;
};

/**
 * An api served by plain functions, for unit tests of the engine. Calling an operation without a
 * handler fails with an `internal` AppError naming it, so a test notices a call it did not expect.
 */
export function fakeApi(handlers: FakeHandlers, counter: CallCounter = new CallCounter()): AppStreamApi {
  return counted(async (op, input) => {
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) throw new AppError("internal", `fake AppStream api: unexpected call to ${op}`, { source: "internal" });
    return handler(input);
  }, counter);
}
