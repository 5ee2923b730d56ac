import {
  AppStreamServiceException,
  ConcurrentModificationException,
  DryRunOperationException,
  EntitlementNotFoundException,
  IncompatibleImageException,
  InvalidAccountStatusException,
  InvalidParameterCombinationException,
  InvalidRoleException,
  LimitExceededException,
  OperationNotPermittedException,
  RequestLimitExceededException,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotAvailableException,
  ResourceNotFoundException,
} from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { classify, errorName, isRetryable, kindOf, toAppError, type ErrorKind } from "../../src/aws/errors.js";

const meta = (httpStatusCode: number, requestId = "req-1") => ({ $metadata: { httpStatusCode, requestId } });

/** What the SDK throws for a code the model does not know (reference §1, §14.3). */
function generic(name: string, httpStatusCode: number, message = "something"): AppStreamServiceException {
  return new AppStreamServiceException({ name, $fault: httpStatusCode >= 500 ? "server" : "client", message, ...meta(httpStatusCode) });
}

describe("classify: modeled SDK exceptions", () => {
  const cases: Array<[string, Error, ErrorKind]> = [
    ["ResourceNotFound", new ResourceNotFoundException({ message: "The fleet f does not exist.", ...meta(404) }), "not-found"],
    ["EntitlementNotFound", new EntitlementNotFoundException({ message: "x", ...meta(400) }), "not-found"],
    ["ResourceAlreadyExists", new ResourceAlreadyExistsException({ message: "x", ...meta(400) }), "already-exists"],
    ["ResourceInUse", new ResourceInUseException({ message: "x", ...meta(400) }), "in-use"],
    ["RequestLimitExceeded", new RequestLimitExceededException({ message: "x", ...meta(400) }), "throttled"],
    ["ConcurrentModification", new ConcurrentModificationException({ message: "x", ...meta(400) }), "concurrent-modification"],
    ["OperationNotPermitted", new OperationNotPermittedException({ message: "x", ...meta(400) }), "not-permitted"],
    ["ResourceNotAvailable", new ResourceNotAvailableException({ message: "x", ...meta(400) }), "not-available"],
    ["LimitExceeded", new LimitExceededException({ message: "x", ...meta(400) }), "quota"],
    ["InvalidRole", new InvalidRoleException({ message: "x", ...meta(400) }), "invalid-role"],
    ["IncompatibleImage", new IncompatibleImageException({ message: "x", ...meta(400) }), "incompatible-image"],
    ["InvalidParameterCombination", new InvalidParameterCombinationException({ message: "x", ...meta(400) }), "invalid-parameters"],
    ["InvalidAccountStatus", new InvalidAccountStatusException({ message: "x", ...meta(400) }), "account"],
    ["DryRunOperation", new DryRunOperationException({ message: "x", ...meta(412) }), "dry-run-ok"],
  ];
  it.each(cases)("%s", (_label, err, kind) => {
    expect(classify(err)).toBe(kind);
  });

  it("a ResourceNotFoundException sent with status 400 (the API reference pages) is still not-found", () => {
    expect(classify(new ResourceNotFoundException({ message: "x", ...meta(400) }))).toBe("not-found");
  });
});

describe("classify: unmodeled codes arrive as AppStreamServiceException with that name", () => {
  const cases: Array<[string, number, ErrorKind]> = [
    ["ThrottlingException", 400, "throttled"],
    ["ValidationException", 400, "validation"],
    ["AccessDeniedException", 400, "access-denied"],
    ["UnrecognizedClientException", 400, "credentials"],
    ["ExpiredTokenException", 400, "credentials"],
    ["InternalFailure", 500, "server"],
    // The tagging API's (GetResources) names.
    ["ThrottledException", 400, "throttled"],
    ["InternalServiceException", 500, "server"],
    ["SomethingNew", 503, "server"],
    ["SomethingNew", 429, "throttled"],
    ["SomethingNew", 400, "unknown"],
  ];
  it.each(cases)("%s (%i)", (name, status, kind) => {
    expect(classify(generic(name, status))).toBe(kind);
  });
});

describe("classify: transport failures", () => {
  it("socket errors are network errors, named by their code", () => {
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(classify(err)).toBe("network");
    expect(errorName(err)).toBe("ECONNREFUSED");
  });
  it("an aborted request is aborted, and a plain Error is unknown", () => {
    const abort = Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    expect(classify(abort)).toBe("aborted");
    expect(classify(new Error("boom"))).toBe("unknown");
    expect(classify("a string")).toBe("unknown");
    expect(classify(undefined)).toBe("unknown");
  });
});

describe("isRetryable (reference §14.4)", () => {
  it("always retries throttling (both kinds) and concurrent modification", () => {
    expect(isRetryable(classify(new RequestLimitExceededException({ message: "x", ...meta(400) })))).toBe(true);
    expect(isRetryable(classify(generic("ThrottlingException", 400)))).toBe(true);
    expect(isRetryable("concurrent-modification")).toBe(true);
  });

  it("never retries quota (already retried by the SDK), validation, account, in-use or an abort", () => {
    for (const kind of ["quota", "validation", "invalid-parameters", "account", "in-use", "aborted"] as const) {
      expect(isRetryable(kind, { allow: ["not-found-after-create", "not-permitted-transitional", "invalid-role-propagation"] })).toBe(false);
    }
  });

  it("retries server errors and dropped connections beyond the SDK's own attempts", () => {
    expect(isRetryable("server")).toBe(true);
    expect(isRetryable("network")).toBe(true);
  });

  it("retries not-found, not-permitted and invalid-role only when the caller declares the condition", () => {
    expect(isRetryable("not-found")).toBe(false);
    expect(isRetryable("not-found", { allow: ["not-found-after-create"] })).toBe(true);
    expect(isRetryable("not-found", { allow: ["invalid-role-propagation"] })).toBe(false);
    expect(isRetryable("not-permitted")).toBe(false);
    expect(isRetryable("not-permitted", { allow: ["not-permitted-transitional"] })).toBe(true);
    expect(isRetryable("invalid-role")).toBe(false);
    expect(isRetryable("invalid-role", { allow: ["invalid-role-propagation"] })).toBe(true);
  });
});

describe("toAppError", () => {
  it("names the operation, resource, exception, service message and request id", () => {
    const err = new ResourceInUseException({ message: "The fleet f is associated with a stack.", ...meta(400, "abc-123") });
    const app = toAppError(err, { operation: "DeleteFleet", resource: "Fleet/f" });
    expect(app).toBeInstanceOf(AppError);
    expect(app.code).toBe("aws.error");
    expect(app.source).toBe("aws");
    expect(app.cause).toBe(err);
    expect(app.message).toMatch(/^DeleteFleet Fleet\/f failed: ResourceInUseException: The fleet f is associated with a stack\. /);
    expect(app.message).toContain("must be removed first");
    expect(app.message).toContain("(request id abc-123)");
  });

  it("uses aws.credentials for credential problems and keeps the kind reachable through the cause", () => {
    const app = toAppError(generic("ExpiredTokenException", 400, "The security token included in the request is expired"), {
      operation: "DescribeFleets",
    });
    expect(app.code).toBe("aws.credentials");
    expect(app.message.startsWith("DescribeFleets failed: ExpiredTokenException: The security token")).toBe(true);
    expect(kindOf(app)).toBe("credentials");
  });

  it("passes an AppError through unchanged", () => {
    const original = new AppError("aws.region", "no region");
    expect(toAppError(original, { operation: "DescribeFleets" })).toBe(original);
  });
});

describe("transport failures: deadlines, non-AWS answers, proxies", () => {
  const timeout = Object.assign(new Error("no answer from http://127.0.0.1:9 within 30 s (waiting for the answer)."), {
    name: "TimeoutError",
    $metadata: { attempts: 3 },
  });
  const invalid = Object.assign(new Error("http://127.0.0.1:9 answered HTTP 200 with an HTML page, not an AWS API response: …"), {
    name: "InvalidResponseError",
    $metadata: { httpStatusCode: 200 },
  });
  const proxy = Object.assign(new Error("proxy http://p:3128: refused CONNECT a:443: HTTP 407"), { name: "ProxyError" });

  it("classifies them, and retries none of them on top of the SDK (a proxy failure is a network error)", () => {
    expect([classify(timeout), classify(invalid), classify(proxy)]).toEqual(["timeout", "invalid-response", "network"]);
    expect([isRetryable("timeout"), isRetryable("invalid-response")]).toEqual([false, false]);
  });

  it("names the attempts of a call that ran out of time", () => {
    const e = toAppError(timeout, { operation: "DescribeFleets" });
    expect(e.message).toBe(
      "DescribeFleets failed: TimeoutError: no answer from http://127.0.0.1:9 within 30 s (waiting for the answer). (3 attempts) " +
        "Every attempt ran out of time; check --endpoint-url, the proxy settings and the network (each attempt's deadline is --request-timeout).",
    );
    expect(toAppError(invalid, { operation: "DescribeFleets" }).message).toBe(`DescribeFleets failed: InvalidResponseError: ${invalid.message}`);
  });
});
