/**
 * Starting and stopping the emulator: used by tests, by `--local` mode and by `appstreamctl emulator`.
 *
 * ```ts
 * const emu = await startEmulator({ port: 0, timeScale: 0 });
 * const client = new AppStreamClient({ endpoint: emu.url, region: "us-east-1", credentials, maxAttempts: 1 });
 * ...
 * await emu.close();
 * ```
 */
import type { AddressInfo } from "node:net";
import { CallLog } from "./control.js";
import { FaultEngine, noFaults, parseFaults, type FaultSpec } from "./faults.js";
import { OPS } from "./ops.js";
import { DEFAULT_PAGE_SIZE } from "./paginate.js";
import { createEmulatorServer, type ServerDeps } from "./server.js";
import { DEFAULT_DURATIONS, DEFAULT_QUOTAS, Store, type Durations, type Quotas } from "./store.js";
import { validateRequest } from "./validate.js";

export { ApiError } from "./errors.js";
export type { CallRecord } from "./control.js";
export type { FaultSpec } from "./faults.js";
export type { Quotas } from "./store.js";

export interface EmulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Load state from here at start (if the file exists); persist after every mutating call and on close. */
  stateFile?: string;
  /** Multiplies every transition duration; 0 = immediate. Default 1. */
  timeScale?: number;
  /** Items per page when the request has no page-size member. Default {@link DEFAULT_PAGE_SIZE}. */
  pageSize?: number;
  /** A parsed spec or the `--faults` grammar of faults.ts. */
  faults?: FaultSpec | string;
  quotas?: Partial<Quotas>;
  durations?: Partial<Durations>;
  /** Account id of every ARN. Default 123456789012. */
  account?: string;
  /** HTTP status of ResourceNotFoundException. Default 404 (SDK schema; reference §1). */
  notFoundStatus?: 400 | 404;
  /** Model validation hook; default: validate.ts `validateRequest`. */
  validate?: ServerDeps["validate"];
  /** Called with each call-log entry (e.g. to print calls as they happen). */
  onCall?: ServerDeps["onCall"];
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` — pass as the SDK `endpoint` or `--endpoint-url`. */
  url: string;
  port: number;
  store: Store;
  faults: FaultEngine;
  calls: CallLog;
  /** Stops listening, closes open connections and flushes the state file. */
  close(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = new Store({
    account: opts.account ?? "123456789012",
    timeScale: opts.timeScale ?? 1,
    pageSize: opts.pageSize ?? DEFAULT_PAGE_SIZE,
    quotas: { ...DEFAULT_QUOTAS, ...opts.quotas },
    durations: { ...DEFAULT_DURATIONS, ...opts.durations },
    notFoundStatus: opts.notFoundStatus ?? 404,
    stateFile: opts.stateFile,
  });
  store.load();
  const spec = typeof opts.faults === "string" ? parseFaults(opts.faults) : (opts.faults ?? noFaults());
  const faults = new FaultEngine(spec);
  const calls = new CallLog();
  const server = createEmulatorServer({ store, faults, calls, ops: OPS, validate: opts.validate ?? validateRequest, onCall: opts.onCall });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    faults,
    calls,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => store.save());
      return closed;
    },
  };
}
