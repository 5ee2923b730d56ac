/**
 * Opaque, stateless pagination tokens (reference §13). A token encodes the offset of the next item and a
 * checksum bound to the call's scope (operation plus filters), so a token from another call, a tampered
 * token or garbage is rejected, and a token issued by one process still works in the next one (state file).
 * The last page carries no token at all — never `""`, which the model's String (min 1) forbids.
 */
import { createHash } from "node:crypto";
import { ApiError } from "./errors.js";

/** Server-wide default page size when the request has no page-size member (reference §20 q11). */
export const DEFAULT_PAGE_SIZE = 5;

/** One page of `items` and the token for the next page, absent on the last page. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function checksum(scope: string, offset: number): string {
  return createHash("sha256").update(`appstreamctl-emulator|${scope}|${offset}`).digest("base64url").slice(0, 12);
}

/** Encodes the token that resumes `scope` at `offset`. */
export function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, c: checksum(scope, offset) })).toString("base64url");
}

/** Decodes a token for `scope`; anything not issued for this scope → ValidationException (reference §20 q11 guess). */
export function decodeToken(scope: string, token: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const rec = parsed as { o?: unknown; c?: unknown } | undefined;
  if (
    !rec ||
    typeof rec !== "object" ||
    typeof rec.o !== "number" ||
    !Number.isInteger(rec.o) ||
    rec.o < 0 ||
    rec.c !== checksum(scope, rec.o)
  ) {
    throw new ApiError("ValidationException", "Invalid NextToken: the token is malformed, expired or was issued for another request.");
  }
  return rec.o;
}

/**
 * Returns one page of `items` (already filtered and in a stable order).
 * @param scope     identifies the call: operation name plus every filter value, e.g. `DescribeFleets|`
 * @param token     the request's NextToken, if any
 * @param pageSize  the request's MaxResults/Limit when given and > 0, else the server page size
 */
export function paginate<T>(items: readonly T[], scope: string, token: unknown, pageSize: number): Page<T> {
  const start = typeof token === "string" && token !== "" ? decodeToken(scope, token) : 0;
  const size = Math.max(1, Math.floor(pageSize));
  const end = start + size;
  const page: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) page.nextToken = encodeToken(scope, end);
  return page;
}

/** The page size for a request: a positive member value (MaxResults, Limit) wins over the server default. */
export function pageSizeOf(requested: unknown, serverDefault: number): number {
  return typeof requested === "number" && Number.isInteger(requested) && requested > 0 ? requested : serverDefault;
}
