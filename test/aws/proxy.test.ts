import { describe, expect, it } from "vitest";
import { bypassesProxy, parseProxy, proxyRoute } from "../../src/aws/proxy.js";
import { AppError } from "../../src/core/errors.js";

describe("NO_PROXY matching", () => {
  const cases: Array<[string, string, number, boolean]> = [
    ["*", "appstream2.us-east-1.amazonaws.com", 443, true],
    ["amazonaws.com", "appstream2.us-east-1.amazonaws.com", 443, true],
    [".amazonaws.com", "appstream2.us-east-1.amazonaws.com", 443, true],
    ["*.amazonaws.com", "amazonaws.com", 443, true],
    ["zonaws.com", "appstream2.us-east-1.amazonaws.com", 443, false],
    ["example.com,localhost", "localhost", 4566, true],
    ["example.com localhost", "LOCALHOST", 4566, true],
    ["localhost:4566", "localhost", 4566, true],
    ["localhost:4566", "localhost", 4567, false],
    ["127.0.0.1", "127.0.0.1", 80, true],
    ["127.0.0.0/8", "127.1.2.3", 80, true],
    ["10.0.0.0/8", "127.0.0.1", 80, false],
    ["::1", "[::1]", 80, true],
    ["[::1]:8080", "::1", 8080, true],
    ["1.0.0.1", "11.0.0.1", 80, false],
    ["", "example.com", 443, false],
  ];
  it.each(cases)("NO_PROXY=%j, %s:%i → bypass %s", (noProxy, host, port, expected) => {
    expect(bypassesProxy(noProxy, host, port)).toBe(expected);
  });
});

describe("proxy URLs", () => {
  it("parses host:port alone as http://, user info as Basic credentials, and names the proxy without them", () => {
    expect(parseProxy("HTTPS_PROXY", "proxy.corp:3128")).toEqual({ host: "proxy.corp", port: 3128, display: "http://proxy.corp:3128" });
    expect(parseProxy("HTTPS_PROXY", "http://u%40corp:p%3Ass@proxy.corp")).toEqual({
      host: "proxy.corp", port: 80, display: "http://proxy.corp", authorization: `Basic ${Buffer.from("u@corp:p:ss").toString("base64")}`,
    });
  });

  it("refuses an https:// or socks proxy with aws.config", () => {
    for (const value of ["https://proxy.corp:443", "socks5://proxy.corp:1080"]) {
      let err: unknown;
      try {
        parseProxy("HTTPS_PROXY", value);
      } catch (e) {
        err = e;
      }
      expect((err as AppError).code).toBe("aws.config");
    }
  });

  it("routes https targets by HTTPS_PROXY and http targets by HTTP_PROXY, lower-case names first", () => {
    const route = proxyRoute({ HTTPS_PROXY: "http://upper:1", https_proxy: "http://lower:2", HTTP_PROXY: "http://plain:3", NO_PROXY: "internal.corp" });
    expect(route?.proxyFor("appstream2.eu-west-1.amazonaws.com", 443, true)?.display).toBe("http://lower:2");
    expect(route?.proxyFor("emulator.local", 4566, false)?.display).toBe("http://plain:3");
    expect(route?.proxyFor("api.internal.corp", 443, true)).toBeUndefined();
    expect(proxyRoute({ NO_PROXY: "*" })).toBeUndefined();
    expect(proxyRoute({ HTTP_PROXY: "http://plain:3" })?.proxyFor("a.example", 443, true)).toBeUndefined();
  });
});
