/**
 * Control-API hooks for app blocks and app block builders (`/_emulator/`, not part of AppStream). Packaging
 * happens inside a streaming session on the builder and has no API; tests set its result here, and make
 * packaging runs or builder starts fail.
 *
 * | Route | Body | Does |
 * |---|---|---|
 * | `POST /_emulator/app-blocks` | `{name, region?, state?, errors?}` | AB-07: sets the block's State (`ACTIVE`/`INACTIVE`, APPSTREAM2 only) and AppBlockErrors (`[{ErrorCode, ErrorMessage}]`, default none) now |
 * | `POST /_emulator/app-block-faults` | `{name, region?, errorCode?, errorMessage?}` | AB-06: the next packaging run of the block fails: AppBlockErrors shows the error, the state stays |
 * | `POST /_emulator/app-block-builder-faults` | `{name, region?, errorCode?, errorMessage?}` | ABB-13: the next start of the builder fails: STARTING → STOPPED with StateChangeReason and AppBlockBuilderErrors |
 *
 * The first returns `{appBlock}` (the API view); the fault routes return `{}`. Unknown names →
 * ResourceNotFoundException (HTTP 404); bad bodies → ValidationException (HTTP 400).
 */
import { requireAppBlockBuilder } from "./app-block-builders.js";
import { appBlocksOf, appBlockStatus, appBlockView, setOutcome, type AppBlockError, type AppBlockRecord } from "./app-blocks.js";
import type { OpContext } from "./context.js";
import { ApiError, notFound } from "./errors.js";
import { controlContext, optionalString, requiredString } from "./image-control.js";
import type { Store } from "./store.js";

/** Error code of an injected failure when the body names none. */
const DEFAULT_ERROR_CODE = "INTERNAL_SERVICE_ERROR";

function requireBlock(ctx: OpContext, name: string): AppBlockRecord {
  const rec = appBlocksOf(ctx)[name];
  if (!rec) throw notFound(`The app block ${name} does not exist.`);
  return rec;
}

function errorsOf(body: Record<string, unknown>): AppBlockError[] {
  const raw = body.errors ?? [];
  if (!Array.isArray(raw)) throw new ApiError("ValidationException", "errors must be a list of {ErrorCode, ErrorMessage}");
  return raw.map((e: unknown) => {
    const item = (e ?? {}) as Record<string, unknown>;
    if (typeof item.ErrorCode !== "string" || typeof item.ErrorMessage !== "string") {
      throw new ApiError("ValidationException", "each error needs a string ErrorCode and ErrorMessage");
    }
    return { ErrorCode: item.ErrorCode, ErrorMessage: item.ErrorMessage };
  });
}

/** `POST /_emulator/app-blocks`. */
function controlAppBlock(store: Store, body: Record<string, unknown>): { appBlock: Record<string, unknown> } {
  const ctx = controlContext(store, body, "_emulator/app-blocks");
  const rec = requireBlock(ctx, requiredString(body, "name"));
  const current = appBlockStatus(ctx, rec);
  let state = current.state;
  if (body.state !== undefined) {
    if (body.state !== "ACTIVE" && body.state !== "INACTIVE") throw new ApiError("ValidationException", "state must be ACTIVE or INACTIVE");
    if (rec.attrs.PackagingType !== "APPSTREAM2") throw new ApiError("ValidationException", "only an APPSTREAM2 app block changes state; CUSTOM app blocks are always ACTIVE");
    state = body.state;
  }
  setOutcome(rec, { at: ctx.now, state, errors: errorsOf(body) });
  return { appBlock: appBlockView(ctx, rec) };
}

function injected(body: Record<string, unknown>, what: string): { errorCode: string; message: string } {
  return { errorCode: optionalString(body, "errorCode") ?? DEFAULT_ERROR_CODE, message: optionalString(body, "errorMessage") ?? `${what} failed (injected fault).` };
}

/** `POST /_emulator/app-block-faults`. */
function controlAppBlockFault(store: Store, body: Record<string, unknown>): Record<string, never> {
  const ctx = controlContext(store, body, "_emulator/app-block-faults");
  const rec = requireBlock(ctx, requiredString(body, "name"));
  const { errorCode, message } = injected(body, "Packaging the application");
  rec.failNextPackaging = { ErrorCode: errorCode, ErrorMessage: message };
  return {};
}

/** `POST /_emulator/app-block-builder-faults`. */
function controlBuilderFault(store: Store, body: Record<string, unknown>): Record<string, never> {
  const ctx = controlContext(store, body, "_emulator/app-block-builder-faults");
  const rec = requireAppBlockBuilder(ctx, requiredString(body, "name"));
  rec.failNextStart = injected(body, "Starting the app block builder");
  return {};
}

/** The control routes of this file, keyed `METHOD path` as control.ts matches them. */
export const appBlockControlRoutes: Record<string, (store: Store, body: Record<string, unknown>) => unknown> = {
  "POST app-blocks": controlAppBlock,
  "POST app-block-faults": controlAppBlockFault,
  "POST app-block-builder-faults": controlBuilderFault,
};
