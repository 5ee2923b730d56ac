import { CreateFleetCommand, DescribeFleetsCommand, DescribeStacksCommand, CreateStackCommand, type Fleet } from "@aws-sdk/client-appstream";
import { expect, test } from "vitest";
import { decodeToken, encodeToken, paginate } from "../../src/emulator/paginate.js";
import { startEmulator } from "../../src/emulator/index.js";
import { clientOf, errorOf, fleetInput, rawCall, useEmulator } from "./helpers.js";

const emulator = useEmulator({ pageSize: 3, quotas: { fleets: 20 } }, {
  setUp: async (t) => {
    for (let i = 0; i < 8; i++) await t.client.send(new CreateFleetCommand(fleetInput(`f${i}`) as never));
  },
});

test("PAGE-01 PAGE-03 hand loop over DescribeFleets: pages of the server size, every fleet once, no token at the end", async () => {
  const pages: Fleet[][] = [];
  const tokens: (string | undefined)[] = [];
  let NextToken: string | undefined;
  do {
    const page = await emulator().client.send(new DescribeFleetsCommand({ NextToken }));
    pages.push(page.Fleets ?? []);
    tokens.push(page.NextToken);
    NextToken = page.NextToken;
  } while (NextToken);
  expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
  expect(pages.flat().map((f) => f.Name)).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"]);
  expect(tokens[2]).toBeUndefined();
  const raw = await rawCall(emulator().emu.url, "PhotonAdminProxyService.DescribeFleets", JSON.stringify({ NextToken: tokens[1] }));
  expect(JSON.parse(raw.text)).not.toHaveProperty("NextToken");
});

test("PAGE-01 a request page-size member wins over the server page size", () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  expect(paginate(items, "X", undefined, 4).items).toEqual([0, 1, 2, 3]);
  const p = paginate(items, "X", undefined, 25);
  expect(p.items).toHaveLength(10);
  expect(p.nextToken).toBeUndefined();
});

test("PAGE-02 malformed, tampered or foreign tokens → ValidationException", async () => {
  const page = await emulator().client.send(new DescribeFleetsCommand({}));
  const token = page.NextToken!;
  const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(token, "base64url").toString()), o: 1 })).toString("base64url");
  for (const bad of ["garbage", tampered, encodeToken("DescribeFleets|f1", 3)]) {
    const err = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ NextToken: bad })));
    expect(err.name).toBe("ValidationException");
  }
  await emulator().client.send(new CreateStackCommand({ Name: "s" }));
  const err = await errorOf(() => emulator().client.send(new DescribeStacksCommand({ NextToken: token })));
  expect(err.name).toBe("ValidationException");
  expect(() => decodeToken("A", encodeToken("B", 1))).toThrow(/NextToken/);
});

test("PAGE-02 tokens are stateless: another emulator with the same data accepts them", async () => {
  const page = await emulator().client.send(new DescribeFleetsCommand({}));
  const other = await startEmulator({ pageSize: 3, quotas: { fleets: 20 }, timeScale: 0 });
  const c = clientOf(other.url);
  try {
    for (let i = 0; i < 8; i++) await c.send(new CreateFleetCommand(fleetInput(`f${i}`) as never));
    const next = await c.send(new DescribeFleetsCommand({ NextToken: page.NextToken }));
    expect(next.Fleets!.map((f) => f.Name)).toEqual(["f3", "f4", "f5"]);
  } finally {
    c.destroy();
    await other.close();
  }
});
