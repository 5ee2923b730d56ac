/**
 * What every service on the emulator's port shares: the dispatch dependencies, the region of a signed
 * request and the JSON body decoding. A leaf below server.ts, so that the services it routes to can use
 * them without importing the server (an import cycle).
 */
import type { OpHandler } from "./context.js";
import type { CallLog, CallRecord } from "./control.js";
import { ApiError } from "./errors.js";
import type { FaultEngine } from "./faults.js";
import type { Store } from "./store.js";

export const DEFAULT_REGION = "us-east-1";

/** Everything the server dispatches to. */
export interface ServerDeps {
  store: Store;
  faults: FaultEngine;
  calls: CallLog;
  ops: Record<string, OpHandler>;
  /** Model validation (validate.ts); returns the ValidationException to send, or undefined. */
  validate?: (operation: string, input: Record<string, unknown>) => ApiError | undefined;
  /** Called with each call-log entry as it is recorded (the CLI's `-v` logging). */
  onCall?: (call: CallRecord) => void;
}

/** The region of the SigV4 credential scope `Credential=AK/DATE/REGION/appstream/aws4_request` (reference §1). */
export function regionOf(authorization: string | undefined): string {
  const m = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(authorization ?? "");
  return m?.[1] ?? DEFAULT_REGION;
}

/** Decodes the body: a JSON object, or `{}` for an empty body; anything else → SerializationException. */
export function decodeBody(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError("SerializationException", "Start of structure or map found where not expected, or the body is not valid JSON.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("SerializationException", "The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}
