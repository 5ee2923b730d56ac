/**
 * The Resource Groups Tagging API's `GetResources` on the AppStream port (TAGAPI rules in SPEC.md): AWS
 * JSON 1.1 with `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<Op>`, answered from the tagging index
 * (tag-index.ts), which lags behind the tags themselves under the `tagIndexLag` fault. Its own small
 * pipeline, because the service's errors are not AppStream's: throttling is ThrottledException, a server
 * fault InternalServiceException, a bad request InvalidParameterException.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OpContext } from "./context.js";
import { ApiError } from "./errors.js";
import { decodeToken, encodeToken } from "./paginate.js";
import { indexView, type IndexedResource } from "./tag-index.js";
import { decodeBody, regionOf, type ServerDeps } from "./wire.js";

export const TAGGING_TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126.";

/** Whether a request is for the tagging API (routed here instead of AppStream's pipeline). */
export function isTaggingRequest(req: IncomingMessage): boolean {
  return String(req.headers["x-amz-target"] ?? "").startsWith(TAGGING_TARGET_PREFIX);
}

const invalid = (message: string) => new ApiError("InvalidParameterException", message);
const serialization = (member: string, expected: string) =>
  new ApiError("SerializationException", `${member}: expected ${expected}.`);

interface Filter {
  Key: string;
  Values: string[];
}

/** The request after the model's and the documentation's constraints were checked. */
interface Request {
  token?: string;
  perPage?: number;
  tagFilters: Filter[];
  typeFilters: string[];
  arns?: string[];
  compliance: boolean;
  excludeCompliant: boolean;
}

function stringList(v: unknown, member: string, min: number, max: number, itemMax: number, itemMin = 0): string[] {
  if (!Array.isArray(v)) throw serialization(member, "a list");
  if (v.length < min || v.length > max) throw invalid(`${member} must have between ${min} and ${max} items.`);
  return v.map((s, i) => {
    if (typeof s !== "string") throw serialization(`${member}[${i}]`, "a string");
    if ([...s].length < itemMin || [...s].length > itemMax) throw invalid(`${member}[${i}] must have a length between ${itemMin} and ${itemMax}.`);
    return s;
  });
}

function intMember(v: unknown, member: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw serialization(member, "an integer");
  if (v < min || v > max) throw invalid(`${member} must be between ${min} and ${max}.`);
  return v;
}

function boolMember(v: unknown, member: string): boolean {
  if (typeof v !== "boolean") throw serialization(member, "a boolean");
  return v;
}

/** Checks a GetResources request (model shapes, and the limits its documentation states). */
export function parseGetResources(input: Record<string, unknown>): Request {
  const req: Request = { tagFilters: [], typeFilters: [], compliance: false, excludeCompliant: false };
  if (input.PaginationToken !== undefined) {
    if (typeof input.PaginationToken !== "string") throw serialization("PaginationToken", "a string");
    if (input.PaginationToken.length > 2048) throw invalid("PaginationToken must have a length of at most 2048.");
    if (input.PaginationToken !== "") req.token = input.PaginationToken;
  }
  if (input.ResourcesPerPage !== undefined) req.perPage = intMember(input.ResourcesPerPage, "ResourcesPerPage", 1, 100);
  if (input.TagsPerPage !== undefined) intMember(input.TagsPerPage, "TagsPerPage", 100, 500);
  if (input.TagFilters !== undefined) {
    if (!Array.isArray(input.TagFilters)) throw serialization("TagFilters", "a list");
    if (input.TagFilters.length > 50) throw invalid("TagFilters must have at most 50 items.");
    req.tagFilters = input.TagFilters.map((f: unknown, i) => {
      if (!f || typeof f !== "object" || Array.isArray(f)) throw serialization(`TagFilters[${i}]`, "a structure");
      const rec = f as Record<string, unknown>;
      if (typeof rec.Key !== "string") throw invalid(`TagFilters[${i}].Key is required.`);
      if ([...rec.Key].length < 1 || [...rec.Key].length > 128) throw invalid(`TagFilters[${i}].Key must have a length between 1 and 128.`);
      const values = rec.Values === undefined ? [] : stringList(rec.Values, `TagFilters[${i}].Values`, 0, 20, 256);
      return { Key: rec.Key, Values: values };
    });
  }
  if (input.ResourceTypeFilters !== undefined) {
    req.typeFilters = stringList(input.ResourceTypeFilters, "ResourceTypeFilters", 0, 100, 256);
    for (const t of req.typeFilters) {
      if (!/^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/.test(t)) throw invalid(`Unsupported resource type filter: ${JSON.stringify(t)}; expected service[:resourceType].`);
    }
  }
  if (input.ResourceARNList !== undefined) req.arns = stringList(input.ResourceARNList, "ResourceARNList", 1, 100, 1011, 1);
  if (input.IncludeComplianceDetails !== undefined) req.compliance = boolMember(input.IncludeComplianceDetails, "IncludeComplianceDetails");
  if (input.ExcludeCompliantResources !== undefined) req.excludeCompliant = boolMember(input.ExcludeCompliantResources, "ExcludeCompliantResources");
  if (req.excludeCompliant && !req.compliance) throw invalid("ExcludeCompliantResources can be used only with IncludeComplianceDetails.");
  if (req.arns) {
    const other = ["ResourceTypeFilters", "TagFilters", "ResourcesPerPage", "TagsPerPage", "PaginationToken"].filter((m) => input[m] !== undefined);
    if (other.length) throw invalid(`ResourceARNList cannot be combined with ${other.join(", ")}.`);
  }
  return req;
}

function typeMatches(r: IndexedResource, filters: readonly string[]): boolean {
  if (!filters.length) return true;
  return filters.some((f) => f === "appstream" || f === `appstream:${r.type}`);
}

function tagsMatch(r: IndexedResource, filters: readonly Filter[]): boolean {
  return filters.every((f) => Object.hasOwn(r.tags, f.Key) && (!f.Values.length || f.Values.includes(r.tags[f.Key]!)));
}

/** GetResources against the index as it was `lagMs` ago. */
export function getResources(ctx: OpContext, input: Record<string, unknown>, lagMs: number): Record<string, unknown> {
  const req = parseGetResources(input);
  let items = indexView(ctx, lagMs);
  if (req.arns) {
    const wanted = new Set(req.arns);
    items = items.filter((r) => wanted.has(r.arn));
  } else {
    items = items.filter((r) => typeMatches(r, req.typeFilters) && tagsMatch(r, req.tagFilters));
  }
  // Without tag policies every resource is compliant.
  if (req.excludeCompliant) items = [];
  const scope = `GetResources|${JSON.stringify([req.typeFilters, req.tagFilters])}`;
  let start = 0;
  if (req.token !== undefined) {
    try {
      start = decodeToken(scope, req.token);
    } catch {
      throw invalid("The PaginationToken is malformed or was issued for another request.");
    }
  }
  const size = req.arns ? items.length : req.perPage ?? ctx.config.pageSize;
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return {
    ResourceTagMappingList: page.map((r) => ({
      ResourceARN: r.arn,
      Tags: Object.entries(r.tags).sort(([a], [b]) => (a < b ? -1 : 1)).map(([Key, Value]) => ({ Key, Value })),
      ...(req.compliance ? { ComplianceDetails: { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true } } : {}),
    })),
    // The service ends a listing with an empty token rather than none.
    PaginationToken: end < items.length ? encodeToken(scope, end) : "",
  };
}

/** AppStream's fault kinds as this service reports them; kinds it has no counterpart for do not apply. */
function asTaggingError(e: ApiError): ApiError | undefined {
  switch (e.type) {
    case "ThrottlingException":
    case "RequestLimitExceededException":
      return new ApiError("ThrottledException", "Rate exceeded");
    case "InternalFailure":
    case "ServiceUnavailable":
      return new ApiError("InternalServiceException", "The request processing failed because of an unknown error, exception, or failure.", 500);
    case "AccessDeniedException":
      return e;
    default:
      return undefined;
  }
}

function respond(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "Content-Type": "application/x-amz-json-1.1",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": randomUUID(),
  };
  if (errorType) headers["x-amzn-ErrorType"] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

/** Serves one tagging request: decode → faults → GetResources → respond → call log (`tagging:<Op>`). */
export async function handleTagging(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, text: string | undefined): Promise<void> {
  const { store } = deps;
  const region = regionOf(req.headers.authorization);
  const operation = String(req.headers["x-amz-target"] ?? "").slice(TAGGING_TARGET_PREFIX.length);
  const arrived = store.now();
  let status = 200;
  let outcome = "ok";
  try {
    if (req.method !== "POST") throw new ApiError("UnknownOperationException", `Method ${req.method ?? ""} is not supported; use POST /.`);
    if (text === undefined) throw new ApiError("SerializationException", "The request body could not be read or is too large.");
    if (operation !== "GetResources") {
      throw new ApiError("UnknownOperationException", `The operation ${TAGGING_TARGET_PREFIX}${operation} is not supported by this emulator.`);
    }
    const input = decodeBody(text);
    const fault = deps.faults.decide(operation);
    if (fault.latencyMs > 0) await new Promise<void>((r) => setTimeout(r, fault.latencyMs));
    const faulted = fault.error && asTaggingError(fault.error);
    if (faulted) throw faulted;
    const ctx: OpContext = {
      store, region, account: store.config.account, now: store.now(), config: store.config, operation, consistencyDelayMs: 0,
    };
    respond(res, 200, getResources(ctx, input, fault.tagIndexLagMs));
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError("InternalServiceException", `The emulator failed: ${String(err)}`, 500);
    status = e.status;
    outcome = e.type;
    respond(res, status, { __type: e.type, Message: e.message }, e.type);
  } finally {
    const logged = deps.calls.add({
      time: new Date(arrived).toISOString(), region, operation: `tagging:${operation}`, outcome, status, mutating: false,
    });
    deps.onCall?.(logged);
  }
}
