import { describe, expect, it } from "vitest";
import { fakeApi, type FakeHandlers } from "../../src/aws/api.js";
import { confirmTags, readTags } from "../../src/engine/tag-read.js";
import type { KindName, LiveResource, ReadContext } from "../../src/kinds/contract.js";

const ARN = (type: string, name: string) => `arn:aws:appstream:us-east-1:123456789012:${type}/${name}`;
const TYPE: Partial<Record<KindName, string>> = { Fleet: "fleet", Stack: "stack", ImageBuilder: "image-builder", Image: "image" };

function live(kind: KindName, name: string): LiveResource {
  return { kind, name, address: `${kind}/${name}`, arn: ARN(TYPE[kind]!, name), spec: {} };
}

function ctxOf(handlers: FakeHandlers): { ctx: ReadContext; inputs: unknown[] } {
  const inputs: unknown[] = [];
  const wrapped: FakeHandlers = {
    ...handlers,
    ...(handlers.GetResources ? { GetResources: (i) => (inputs.push(i), handlers.GetResources!(i)) } : {}),
  };
  const api = fakeApi(wrapped);
  return { ctx: { api, region: "us-east-1", map: (items, fn) => Promise.all(items.map(fn)) }, inputs };
}

const mapping = (arn: string, tags: Record<string, string>) => ({ ResourceARN: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });

describe("readTags", () => {
  it("pages the index by type, 100 a page, for fleets, stacks and builders; images are read directly", async () => {
    const fleets = Array.from({ length: 150 }, (_, i) => live("Fleet", `f${i}`));
    const image = live("Image", "img");
    const builder = live("ImageBuilder", "b");
    const { ctx, inputs } = ctxOf({
      GetResources: (i) =>
        i.PaginationToken
          ? { ResourceTagMappingList: [mapping(ARN("image-builder", "b"), { team: "x" })], PaginationToken: "" }
          : { ResourceTagMappingList: [mapping(ARN("fleet", "f0"), { a: "1" }), mapping(ARN("fleet", "gone"), { a: "2" })], PaginationToken: "p2" },
      ListTagsForResource: (i) => ({ Tags: { direct: String(i.ResourceArn) } }),
    });
    const all = [...fleets, image, builder];
    const indexed = await readTags(ctx, all, all);
    expect(inputs).toEqual([
      { ResourceTypeFilters: ["appstream:fleet", "appstream:image-builder"], ResourcesPerPage: 100 },
      { ResourceTypeFilters: ["appstream:fleet", "appstream:image-builder"], ResourcesPerPage: 100, PaginationToken: "p2" },
    ]);
    expect(fleets[0]!.tags).toEqual({ a: "1" });
    expect(fleets[1]!.tags).toEqual({});
    expect(builder.tags).toEqual({ team: "x" });
    expect(image.tags).toEqual({ direct: ARN("image", "img") });
    expect(ctx.api.counter.snapshot().byOperation).toEqual({ GetResources: 2, ListTagsForResource: 1 });
    expect(indexed.size).toBe(151);
    expect(indexed.has("Image/img")).toBe(false);
  });

  it("asks for the wanted ARNs by name when that takes fewer calls than paging every resource of their types", async () => {
    const listed = Array.from({ length: 250 }, (_, i) => live("Stack", `s${i}`));
    const wanted = listed.slice(0, 3);
    const { ctx, inputs } = ctxOf({ GetResources: () => ({ ResourceTagMappingList: [mapping(ARN("stack", "s1"), { k: "v" })] }) });
    await readTags(ctx, wanted, listed);
    expect(inputs).toEqual([{ ResourceARNList: [ARN("stack", "s0"), ARN("stack", "s1"), ARN("stack", "s2")] }]);
    expect(wanted.map((r) => r.tags)).toEqual([{}, { k: "v" }, {}]);
  });

  it("reads a single resource directly", async () => {
    const f = live("Fleet", "only");
    const { ctx } = ctxOf({ ListTagsForResource: () => ({ Tags: { x: "y" } }) });
    expect((await readTags(ctx, [f], [f])).size).toBe(0);
    expect(f.tags).toEqual({ x: "y" });
  });

  it("falls back to ListTagsForResource after AccessDenied, notes it once, and does not ask the index again", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: tag:GetResources"), { name: "AccessDeniedException", $fault: "client" });
    const { ctx } = ctxOf({ GetResources: () => { throw denied; }, ListTagsForResource: () => ({ Tags: { d: "1" } }) });
    const notes: string[] = [];
    const rs = [live("Fleet", "a"), live("Stack", "b")];
    expect((await readTags(ctx, rs, rs, (m) => notes.push(m))).size).toBe(0);
    await readTags(ctx, rs, rs, (m) => notes.push(m));
    expect(rs.map((r) => r.tags)).toEqual([{ d: "1" }, { d: "1" }]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("tag:GetResources");
    expect(ctx.api.counter.snapshot().byOperation).toEqual({ GetResources: 1, ListTagsForResource: 4 });
  });

  it("fails on any other GetResources error", async () => {
    const { ctx } = ctxOf({ GetResources: () => { throw Object.assign(new Error("bad"), { name: "InvalidParameterException", $fault: "client" }); } });
    const rs = [live("Fleet", "a"), live("Stack", "b")];
    await expect(readTags(ctx, rs, rs)).rejects.toThrow("bad");
  });
});

describe("confirmTags", () => {
  it("re-reads only index-read addresses among those asked, and says whether any tags differed", async () => {
    const a = { ...live("Fleet", "a"), tags: { "appstreamctl:set": "mine" } };
    const b = { ...live("Fleet", "b"), tags: { t: "1" } };
    const { ctx } = ctxOf({ ListTagsForResource: (i): { Tags: Record<string, string> } => ({ Tags: i.ResourceArn === a.arn ? { "appstreamctl:set": "other" } : { t: "1" } }) });
    const indexed = new Set(["Fleet/a", "Fleet/b"]);
    expect(await confirmTags(ctx, [a, b], ["Fleet/b", "Stack/none"], indexed)).toBe(false);
    expect(await confirmTags(ctx, [a, b], ["Fleet/a", "Fleet/b"], indexed)).toBe(true);
    expect(a.tags).toEqual({ "appstreamctl:set": "other" });
    expect(indexed.size).toBe(0);
    expect(ctx.api.counter.snapshot().byOperation).toEqual({ ListTagsForResource: 2 });
  });
});
