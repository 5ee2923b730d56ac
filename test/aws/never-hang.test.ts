/**
 * Never hang, and never mistake a non-AWS answer for one: the spawned CLI against endpoints that accept
 * and never answer, answer with HTML, with an empty 200 or with a redirect. Each attempt has a deadline
 * (here 0.3 s through APPSTREAMCTL_REQUEST_TIMEOUT or --request-timeout), the SDK's attempts follow the
 * retry policy, and the first call that gets no answer at all ends the command.
 */
import { AppStreamClient } from "@aws-sdk/client-appstream";
import { StandardRetryStrategy } from "@smithy/core/retry";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../../src/aws/api.js";
import { DeadlineHandler } from "../../src/aws/transport.js";
import { EXAMPLE } from "../reliability/helpers.js";
import { answeringServer, countsOf, silentServer, spawnCli, type Endpoint } from "./net-helpers.js";

/** The plan's first reads: one list call per kind, all in flight at once. */
const FIRST_READS = ["DescribeDirectoryConfigs", "DescribeFleets", "DescribeImageBuilders", "DescribeImages", "DescribeStacks", "DescribeUsers"];
const each = (n: number) => Object.fromEntries(FIRST_READS.map((op) => [op, n]));

/** The most and fewest attempts of any call, and which calls were sent. */
function attemptsPerCall(requests: string[]): { max: number; min: number; calls: string[] } {
  const counts = countsOf(requests);
  const n = Object.values(counts);
  return { max: Math.max(...n), min: Math.min(...n), calls: Object.keys(counts).sort() };
}

const ENV = {
  AWS_ACCESS_KEY_ID: "AKIDTEST",
  AWS_SECRET_ACCESS_KEY: "test-secret",
  AWS_REGION: "us-east-1",
  APPSTREAM_AD_PASSWORD: "Corp-Svc-Pa55word!",
  HOME: "/nonexistent",
};

let server: Endpoint | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("an endpoint that accepts connections and never answers", () => {
  it("fails the plan with exit 1 naming the endpoint, after the SDK's 3 attempts of the call that got no answer", async () => {
    server = await silentServer();
    const r = await spawnCli(["-f", EXAMPLE, "--endpoint-url", server.url, "plan", "--read-concurrency", "1"], { ...ENV, APPSTREAMCTL_REQUEST_TIMEOUT: "0.3" });
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    const first = r.stderr.split("\n")[0]!;
    expect(first).toMatch(/^error \[aws\.error\] Describe\w+ failed: TimeoutError: /);
    expect(first).toContain(`no answer from ${server.url} within 0.3 s (waiting for the answer).`);
    expect(r.stderr).not.toMatch(/SyntaxError|Unknown/);
    // The first reads run side by side; the first of them to use up its three attempts cuts the others
    // short, and nothing is sent after them, so the command takes one call's time, not one per call.
    expect(attemptsPerCall(server.requests())).toEqual({ max: 3, min: expect.any(Number), calls: FIRST_READS });
  });

  it("makes one attempt with AWS_MAX_ATTEMPTS=1, and --request-timeout wins over the variable", async () => {
    server = await silentServer();
    const r = await spawnCli(
      ["-f", EXAMPLE, "--endpoint-url", server.url, "--request-timeout", "0.2", "plan", "--read-concurrency", "1"],
      { ...ENV, AWS_MAX_ATTEMPTS: "1", APPSTREAMCTL_REQUEST_TIMEOUT: "600" },
    );
    expect([r.killed, r.code]).toEqual([false, 1]);
    expect(r.stderr).toContain(`TimeoutError: no answer from ${server.url} within 0.2 s`);
    expect(r.stderr).not.toContain("attempts)");
    expect(countsOf(server.requests())).toEqual(each(1));
  });

  it("apply fails the same way before changing anything", async () => {
    server = await silentServer();
    const r = await spawnCli(["-f", EXAMPLE, "--endpoint-url", server.url, "apply", "--auto-approve"], { ...ENV, APPSTREAMCTL_REQUEST_TIMEOUT: "0.3" });
    expect([r.killed, r.code]).toEqual([false, 1]);
    expect(r.stderr).toContain(`no answer from ${server.url} within 0.3 s`);
    expect(attemptsPerCall(server.requests())).toEqual({ max: 3, min: expect.any(Number), calls: FIRST_READS });
  });
});

describe("answers that are not AWS answers", () => {
  const cases: Array<[string, (res: import("node:http").ServerResponse) => void, RegExp]> = [
    [
      "an HTML page with 200",
      (res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Sign in to the proxy</body></html>"),
      /answered HTTP 200 with an HTML page, not an AWS API response/,
    ],
    [
      "an HTML error page with 502",
      (res) => res.writeHead(502, { "content-type": "text/html" }).end("<!DOCTYPE html><html><body>Bad gateway</body></html>"),
      /answered HTTP 502 with an HTML page, not an AWS API response/,
    ],
    ["an empty 200", (res) => res.writeHead(200).end(), /answered HTTP 200 with an empty body, not an AWS API response/],
    [
      "a redirect",
      (res) => res.writeHead(302, { location: "https://login.example.com/sso" }).end(),
      /answered HTTP 302 with a redirect to https:\/\/login\.example\.com\/sso, not an AWS API response/,
    ],
    ["plain text with 200", (res) => res.writeHead(200, { "content-type": "text/plain" }).end("OK"), /answered HTTP 200 with a body that is not JSON \(text\/plain\)/],
  ];

  it.each(cases)("%s is an error with the HTTP status and the endpoint, never an empty estate", async (_label, answer, message) => {
    server = await answeringServer((_req, res) => answer(res));
    const r = await spawnCli(["-f", EXAMPLE, "--endpoint-url", server.url, "plan", "--read-concurrency", "1"], ENV);
    expect([r.killed, r.code]).toEqual([false, 1]);
    const first = r.stderr.split("\n")[0]!;
    expect(first).toMatch(/^error \[aws\.error\] Describe\w+ failed: InvalidResponseError: /);
    expect(first).toContain(`${server.url} answered HTTP`);
    expect(first).toMatch(message);
    expect(r.stdout).not.toContain("Plan:");
    expect(r.stderr).not.toMatch(/SyntaxError|Unknown|Deserialization/);
  });
});

describe("a call that gets no answer cuts short the other calls of its client", () => {
  it("aborts the call in flight and sends none after it", async () => {
    server = await silentServer();
    const client = new AppStreamClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      retryStrategy: new StandardRetryStrategy(1),
      requestHandler: new DeadlineHandler({ timeoutMs: 200 }) as never,
    });
    try {
      const api = createApi(client);
      const first = api.call("DescribeFleets", {}).then(() => new Error("answered"), (e: unknown) => e as Error);
      await new Promise((r) => setTimeout(r, 20));
      const second = api.call("DescribeStacks", {}).then(() => new Error("answered"), (e: unknown) => e as Error);
      const [a, b] = await Promise.all([first, second]);
      expect([a.name, a.message]).toEqual(["TimeoutError", `no answer from ${server.url} within 0.2 s (waiting for the answer).`]);
      expect([b.name, b.message]).toEqual(["TimeoutError", `not sent: an earlier call got no answer (${a.message})`]);
      const third = await api.call("DescribeUsers", { AuthenticationType: "USERPOOL" }).then(() => new Error("answered"), (e: unknown) => e as Error);
      expect(third.message).toBe(b.message);
      expect(server.requests()).toEqual(["DescribeFleets", "DescribeStacks"]);
      expect(api.counter.snapshot()).toMatchObject({ reads: 3, errors: 3 });
    } finally {
      client.destroy();
    }
  });
});
