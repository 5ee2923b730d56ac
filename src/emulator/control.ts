/**
 * The control API under `/_emulator/` (DESIGN.md §4) and the call log it serves. Not part of AppStream:
 * tests and `--local` mode use it to read what the client did, drive time and sessions, and change faults.
 *
 * | Method & path                 | Body                                   | Does |
 * |-------------------------------|----------------------------------------|------|
 * | `GET /_emulator/calls`        | –                                      | `{calls: CallRecord[]}` in order |
 * | `DELETE /_emulator/calls`     | –                                      | clears the log |
 * | `GET /_emulator/state`        | –                                      | the store document plus `now` (epoch ms) |
 * | `POST /_emulator/clock`       | `{advanceSeconds}`                     | moves the clock forward; returns `{now}` |
 * | `POST /_emulator/sessions`    | `{stackName, fleetName, count, userIds?, authenticationType?, region?}` | ACTIVE sessions on a RUNNING fleet (region default us-east-1); returns `{sessions: [ids]}` |
 * | `POST /_emulator/faults`      | `{spec: "..."}` (faults.ts grammar)    | replaces the fault spec |
 * | `POST /_emulator/reset`       | –                                      | empties the store, log and clock offset |
 *
 * Area files add routes of their own: image-control.ts (images) and app-block-control.ts (app block
 * packaging results and app block / builder faults).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors.js";
import { parseFaults, type FaultEngine } from "./faults.js";
import { createSessions } from "./sessions.js";
import { imageControlRoutes } from "./image-control.js";
import { appBlockControlRoutes } from "./app-block-control.js";
import type { Store } from "./store.js";

/** One entry of the call log. */
export interface CallRecord {
  seq: number;
  /** ISO-8601 instant of the emulator clock when the call arrived. */
  time: string;
  region: string;
  operation: string;
  /** The resource the call names (Name, FleetName, StackName, ResourceArn, ...), if any. */
  resource?: string;
  /** `"ok"` or the error type returned. */
  outcome: string;
  status: number;
  mutating: boolean;
}

/** Reads are Describe*, List* and Get*; everything else changes state. */
export function isMutating(operation: string, input?: unknown): boolean {
  // A dry run (CreateUpdatedImage `dryRun`, CreateImportedImage `DryRun`) changes nothing (reference §7.4).
  const body = (input ?? {}) as { dryRun?: unknown; DryRun?: unknown };
  if (body.dryRun === true || body.DryRun === true) return false;
  return !/^(Describe|List|Get)/.test(operation);
}

const RESOURCE_MEMBERS = [
  "Name", "FleetName", "StackName", "ResourceArn", "UserName", "DirectoryName", "SourceImageName", "existingImageName", "SessionId",
  "ImageBuilderName", "ImageName", "TaskId", "AssociatedResource", "AppBlockBuilderName",
];

/** The resource a request names, for the call log. */
export function resourceOf(input: unknown): string | undefined {
  if (!input || typeof input !== "object") return undefined;
  const rec = input as Record<string, unknown>;
  for (const m of RESOURCE_MEMBERS) {
    if (typeof rec[m] === "string") return rec[m];
  }
  return undefined;
}

/** The call log, in arrival order. */
export class CallLog {
  private calls: CallRecord[] = [];
  private seq = 0;
  /**
   * Errors a handler threw that its operation does not model (PROTO-11), kept apart from the log so that
   * in-process tests can fail on them whatever they asserted; clearing the log keeps them.
   */
  readonly unmodeled: string[] = [];

  add(entry: Omit<CallRecord, "seq">): CallRecord {
    const rec = { seq: ++this.seq, ...entry };
    this.calls.push(rec);
    return rec;
  }

  all(): CallRecord[] {
    return [...this.calls];
  }

  clear(): void {
    this.calls = [];
  }
}

/** What the control API can reach. */
export interface ControlTarget {
  store: Store;
  faults: FaultEngine;
  calls: CallLog;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function num(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ApiError("ValidationException", `${what} must be a number ≥ 0`);
  return v;
}

/** Handles one control request; `body` is the raw request body. Never throws. */
export function handleControl(t: ControlTarget, req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = (req.url ?? "").split("?")[0]!.replace(/^\/_emulator\//, "").replace(/\/$/, "");
  const route = `${req.method ?? "GET"} ${path}`;
  try {
    const input = body.trim() === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
    switch (route) {
      case "GET calls":
        return send(res, 200, { calls: t.calls.all() });
      case "DELETE calls":
        t.calls.clear();
        return send(res, 200, {});
      case "GET state":
        return send(res, 200, { now: t.store.now(), ...t.store.snapshot() });
      case "POST clock":
        t.store.advance(num(input.advanceSeconds, "advanceSeconds") * 1000);
        t.store.save();
        return send(res, 200, { now: t.store.now() });
      case "POST sessions": {
        const ids = createSessions(t.store, typeof input.region === "string" ? input.region : "us-east-1", input);
        t.store.save();
        return send(res, 200, { sessions: ids });
      }
      case "POST faults":
        if (typeof input.spec !== "string") throw new ApiError("ValidationException", "spec must be a string");
        t.faults.configure(parseFaults(input.spec));
        return send(res, 200, { faults: t.faults.current() });
      case "POST reset":
        t.store.reset();
        t.calls.clear();
        t.store.save();
        return send(res, 200, {});
      default: {
        // Routes contributed by area files (image-control.ts, app-block-control.ts).
        const extra = Object.hasOwn(imageControlRoutes, route) ? imageControlRoutes[route] : Object.hasOwn(appBlockControlRoutes, route) ? appBlockControlRoutes[route] : undefined;
        if (!extra) return send(res, 404, { __type: "NotFound", message: `no control route ${route}` });
        const out = extra(t.store, input);
        t.store.save();
        return send(res, 200, out);
      }
    }
  } catch (err) {
    if (err instanceof ApiError) return send(res, err.status === 404 ? 404 : 400, { __type: err.type, message: err.message });
    return send(res, 400, { __type: "BadRequest", message: err instanceof Error ? err.message : String(err) });
  }
}
