import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, resolveEndpoint, resolveRegion, type ConnectDeps, type LocalEmulator } from "../../src/aws/client.js";
import { AppError } from "../../src/core/errors.js";

const NO_PROFILE_REGION: ConnectDeps = { profileRegion: async () => undefined };

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("resolveRegion: flag → manifest → AWS_REGION → AWS_DEFAULT_REGION", () => {
  const env = { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "ap-south-1" };
  const cases: Array<[string, Parameters<typeof resolveRegion>[0], string | undefined, string | undefined]> = [
    ["flag wins over everything", { flag: "us-west-2", manifest: "eu-central-1", env }, "us-west-2", "flag"],
    ["manifest over env", { manifest: "eu-central-1", env }, "eu-central-1", "manifest"],
    ["AWS_REGION over AWS_DEFAULT_REGION", { env }, "eu-west-1", "AWS_REGION"],
    ["AWS_DEFAULT_REGION last", { env: { AWS_DEFAULT_REGION: "ap-south-1" } }, "ap-south-1", "AWS_DEFAULT_REGION"],
    ["empty values are unset", { flag: "", manifest: " ", env: { AWS_REGION: "", AWS_DEFAULT_REGION: "ca-central-1" } }, "ca-central-1", "AWS_DEFAULT_REGION"],
    ["nothing set", { env: {} }, undefined, undefined],
  ];
  it.each(cases)("%s", (_label, input, region, source) => {
    const r = resolveRegion(input);
    expect(r?.region).toBe(region);
    expect(r?.source).toBe(source);
  });
});

describe("resolveEndpoint: --endpoint-url → AWS_ENDPOINT_URL_APPSTREAM → AWS_ENDPOINT_URL", () => {
  const env = { AWS_ENDPOINT_URL_APPSTREAM: "http://127.0.0.1:4566", AWS_ENDPOINT_URL: "https://generic.example" };
  const cases: Array<[string, string | undefined, Record<string, string>, string | undefined, string | undefined]> = [
    ["flag first", "https://flag.example", env, "https://flag.example", "flag"],
    ["service-specific variable next", undefined, env, "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_APPSTREAM"],
    ["global variable last", undefined, { AWS_ENDPOINT_URL: "https://generic.example" }, "https://generic.example", "AWS_ENDPOINT_URL"],
    ["variables ignored on request", undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, undefined, undefined],
    ["flag still honoured when variables are ignored", "http://x:1", { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, "http://x:1", "flag"],
    ["none", undefined, {}, undefined, undefined],
  ];
  it.each(cases)("%s", (_label, flag, e, url, source) => {
    const r = resolveEndpoint(flag, e);
    expect(r?.url).toBe(url);
    expect(r?.source).toBe(source);
  });

  it("rejects a value that is not an http(s) URL with aws.endpoint, naming where it came from", () => {
    expect(() => resolveEndpoint("localhost:4566", {})).toThrow(/--endpoint-url is not an http\(s\) URL/);
    try {
      resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "ftp://x" });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe("aws.endpoint");
      expect((e as AppError).message).toContain("AWS_ENDPOINT_URL");
    }
  });
});

describe("connect (real AWS mode)", () => {
  const globals = { local: false };

  it("fails with aws.region and says how to set one when no step yields a region", async () => {
    const err = await failure(connect({ env: {}, cwd: "/" }, { globals: { ...globals, profile: "dev" } }, NO_PROFILE_REGION));
    expect(err.code).toBe("aws.region");
    expect(err.source).toBe("user");
    expect(err.message).toContain("--region");
    expect(err.message).toContain('profile "dev"');
  });

  it("asks the profile step only when nothing else names a region, with --profile over AWS_PROFILE", async () => {
    const asked: Array<string | undefined> = [];
    const deps: ConnectDeps = {
      profileRegion: async (p) => {
        asked.push(p);
        return "sa-east-1";
      },
    };
    const a = await connect({ env: { AWS_PROFILE: "from-env" }, cwd: "/" }, { globals: { ...globals, profile: "from-flag" } }, deps);
    expect([a.region, a.regionSource]).toEqual(["sa-east-1", "profile"]);
    await a.close();
    const b = await connect({ env: { AWS_PROFILE: "from-env" }, cwd: "/" }, { globals }, deps);
    await b.close();
    const c = await connect({ env: { AWS_DEFAULT_REGION: "eu-north-1" }, cwd: "/" }, { globals }, deps);
    expect([c.region, c.regionSource]).toEqual(["eu-north-1", "AWS_DEFAULT_REGION"]);
    await c.close();
    expect(asked).toEqual(["from-flag", "from-env"]);
  });

  it("uses the manifest region and the endpoint from the environment", async () => {
    const conn = await connect(
      { env: { AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_APPSTREAM: "http://127.0.0.1:9" }, cwd: "/" },
      { globals, manifestRegion: "us-west-2" },
      NO_PROFILE_REGION,
    );
    expect([conn.region, conn.regionSource, conn.endpoint, conn.local]).toEqual(["us-west-2", "manifest", "http://127.0.0.1:9", false]);
    await conn.close();
  });

  describe("the default profile step asks the SDK's shared-config loader", () => {
    let dir: string | undefined;
    afterEach(() => {
      vi.unstubAllEnvs();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("reads the region of the named profile, and fails with aws.region for a profile without one", async () => {
      dir = mkdtempSync(join(tmpdir(), "appstreamctl-profile-"));
      const config = join(dir, "config");
      writeFileSync(config, "[profile withregion]\nregion = eu-south-2\n\n[profile noregion]\noutput = json\n");
      // The SDK reads these from the process environment itself (it is the SDK's resolution we test).
      vi.stubEnv("AWS_CONFIG_FILE", config);
      vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "credentials"));
      vi.stubEnv("AWS_REGION", undefined);
      vi.stubEnv("AWS_PROFILE", undefined);
      const ok = await connect({ env: {}, cwd: "/" }, { globals: { local: false, profile: "withregion" } });
      expect([ok.region, ok.regionSource]).toEqual(["eu-south-2", "profile"]);
      await ok.close();
      const err = await failure(connect({ env: {}, cwd: "/" }, { globals: { local: false, profile: "noregion" } }));
      expect(err.code).toBe("aws.region");
    });
  });
});

describe("connect --local (with a stand-in emulator)", () => {
  let cwd: string | undefined;
  afterEach(() => {
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  function standIn(): ConnectDeps & { started: Array<{ port: number; stateFile: string; timeScale?: number }>; closed: number } {
    const s = {
      started: [] as Array<{ port: number; stateFile: string; timeScale?: number }>,
      closed: 0,
      startEmulator: async (opts: { port: number; stateFile: string; timeScale?: number }): Promise<LocalEmulator> => {
        s.started.push(opts);
        return {
          url: "http://127.0.0.1:65000",
          close: async () => {
            s.closed++;
          },
        };
      },
    };
    return s;
  }

  it("starts the emulator on port 0 with its state under <cwd>/.appstreamctl, defaulting the region to us-east-1", async () => {
    cwd = mkdtempSync(join(tmpdir(), "appstreamctl-local-"));
    const deps = standIn();
    const conn = await connect({ env: { AWS_ENDPOINT_URL: "https://ignored.example" }, cwd }, { globals: { local: true }, localTimeScale: 0 }, deps);
    expect(deps.started).toEqual([{ port: 0, stateFile: join(cwd, ".appstreamctl", "local-state.json"), timeScale: 0 }]);
    expect([conn.region, conn.regionSource, conn.endpoint, conn.local]).toEqual(["us-east-1", "local-default", "http://127.0.0.1:65000", true]);
    await conn.close();
    await conn.close();
    expect(deps.closed).toBe(1);
  });

  it("keeps the region precedence in local mode and never consults the profile", async () => {
    cwd = mkdtempSync(join(tmpdir(), "appstreamctl-local-"));
    const deps = {
      ...standIn(),
      profileRegion: async () => {
        throw new Error("the profile must not be read in local mode");
      },
    };
    const conn = await connect({ env: { AWS_DEFAULT_REGION: "eu-west-3" }, cwd }, { globals: { local: true, profile: "p" } }, deps);
    expect([conn.region, conn.regionSource]).toEqual(["eu-west-3", "AWS_DEFAULT_REGION"]);
    await conn.close();
  });

  it("refuses --local together with --endpoint-url before starting anything", async () => {
    const deps = standIn();
    const err = await failure(connect({ env: {}, cwd: "/nonexistent" }, { globals: { local: true, endpointUrl: "http://x:1" } }, deps));
    expect(err.code).toBe("cli.usage");
    expect(deps.started).toEqual([]);
  });
});
