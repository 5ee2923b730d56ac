import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connect, resolveEndpoint, resolveRegion, type ConnectDeps, type LocalEmulator } from "../../src/aws/client.js";
import type { Profile } from "../../src/aws/shared-config.js";
import { AppError } from "../../src/core/errors.js";

const EMPTY_PROFILE = (name: string): Profile => ({ name, exists: false, values: {}, services: {} });
const NO_PROFILE_REGION: ConnectDeps = { loadProfile: async (name) => EMPTY_PROFILE(name) };

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
    ["flag wins over everything when forced", { flag: "us-west-2", manifest: "eu-central-1", env, force: true }, "us-west-2", "flag"],
    ["flag that agrees with the manifest", { flag: "eu-central-1", manifest: "eu-central-1", env }, "eu-central-1", "flag"],
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

describe("a --region that disagrees with metadata.region", () => {
  it("is an aws.region error naming both and the way out", () => {
    let err: unknown;
    try {
      resolveRegion({ flag: "us-west-2", manifest: "eu-central-1", env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("aws.region");
    expect((err as AppError).message).toBe(
      "--region us-west-2 disagrees with metadata.region eu-central-1 of the manifest; drop --region, fix metadata.region, or pass --force-region to use us-west-2",
    );
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

  it("reads the profile named by --profile over AWS_PROFILE, and takes its region only when nothing else names one", async () => {
    const asked: Array<string | undefined> = [];
    const deps: ConnectDeps = {
      loadProfile: async (p) => {
        asked.push(p);
        return { ...EMPTY_PROFILE(p), exists: true, values: { region: "sa-east-1" } };
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
    expect(asked).toEqual(["from-flag", "from-env", "default"]);
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

  it("rejects a region that is not a Region name, naming where it came from", async () => {
    const bad = await failure(connect({ env: { AWS_REGION: "us-east1" }, cwd: "/" }, { globals }, NO_PROFILE_REGION));
    expect([bad.code, bad.message]).toEqual(["aws.region", 'AWS_REGION "us-east1" is not an AWS Region name (like us-east-1 or eu-central-1)']);
    const flag = await failure(connect({ env: {}, cwd: "/" }, { globals: { ...globals, region: "US-EAST-1" } }, NO_PROFILE_REGION));
    expect(flag.message).toBe('--region "US-EAST-1" is not an AWS Region name (like us-east-1 or eu-central-1)');
    for (const region of ["us-gov-west-1", "cn-northwest-1", "eusc-de-east-1", "ap-southeast-4"]) {
      const ok = await connect({ env: {}, cwd: "/" }, { globals: { ...globals, region } }, NO_PROFILE_REGION);
      expect(ok.region).toBe(region);
      await ok.close();
    }
  });

  describe("the default profile step reads the shared config files that ctx.env names", () => {
    let dir: string | undefined;
    afterEach(() => {
      vi.unstubAllEnvs();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("reads the region of the named profile, and fails with aws.region for a profile without one", async () => {
      dir = mkdtempSync(join(tmpdir(), "appstreamctl-profile-"));
      const config = join(dir, "config");
      writeFileSync(config, "[profile withregion]\nregion = eu-south-2\n\n[profile noregion]\noutput = json\n");
      const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials") };
      const ok = await connect({ env, cwd: "/" }, { globals: { local: false, profile: "withregion" } });
      expect([ok.region, ok.regionSource, ok.profile]).toEqual(["eu-south-2", "profile", "withregion"]);
      await ok.close();
      const err = await failure(connect({ env, cwd: "/" }, { globals: { local: false, profile: "noregion" } }));
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
      loadProfile: async (): Promise<Profile> => {
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
