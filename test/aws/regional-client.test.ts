/**
 * The client for another region (CopyImage's destination) is built by the connection like the main one:
 * same endpoint, credentials, per-attempt deadline, retry attempts and attempt budget, signed for its own
 * region.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connect, type ConnectDeps } from "../../src/aws/client.js";
import { answeringServer, silentServer, type Endpoint } from "./net-helpers.js";

const NO_PROFILE: ConnectDeps = { loadProfile: async (name) => ({ name, exists: false, values: {}, services: {} }) };

let server: Endpoint | undefined;
beforeEach(() => {
  // The SDK's credential chain reads the process environment, not ctx.env.
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTEST");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test-secret");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

describe("Connection.regionalApi", () => {
  it("sends to the connection's endpoint, signed for the other region", async () => {
    const scopes: string[] = [];
    server = await answeringServer((req, res) => {
      scopes.push(/Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers.authorization))?.[1] ?? "none");
      res.writeHead(200, { "Content-Type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ Images: [] }));
    });
    const conn = await connect({ env: {}, cwd: "/" }, { globals: { local: false, region: "us-east-1", endpointUrl: server.url } }, NO_PROFILE);
    try {
      expect(await conn.regionalApi("eu-west-1").call("DescribeImages", {})).toMatchObject({ Images: [] });
      await conn.api.call("DescribeImages", {});
      expect(scopes).toEqual(["eu-west-1", "us-east-1"]);
      expect(server.requests()).toEqual(["DescribeImages", "DescribeImages"]);
    } finally {
      await conn.close();
    }
  });

  it("has the connection's per-attempt deadline and retry attempts", async () => {
    server = await silentServer();
    const conn = await connect(
      { env: { AWS_MAX_ATTEMPTS: "2" }, cwd: "/" },
      { globals: { local: false, region: "us-east-1", endpointUrl: server.url, requestTimeout: 0.2 } },
      NO_PROFILE,
    );
    try {
      expect([conn.requestTimeoutMs, conn.retry.maxAttempts]).toEqual([200, 2]);
      const err = await conn.regionalApi("eu-west-1").call("CopyImage", { SourceImageName: "a", DestinationImageName: "b", DestinationRegion: "eu-west-1" }).then(
        () => new Error("answered"),
        (e: unknown) => e as Error,
      );
      expect([err.name, err.message]).toEqual(["TimeoutError", `no answer from ${server.url} within 0.2 s (waiting for the answer).`]);
      // AWS_MAX_ATTEMPTS=2: two HTTP attempts, then the call fails.
      expect(server.requests()).toEqual(["CopyImage", "CopyImage"]);
    } finally {
      await conn.close();
    }
  });
});
