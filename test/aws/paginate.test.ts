import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { collect, paginate, type Page } from "../../src/aws/paginate.js";

/** A page source over fixed pages; records every token it was asked for. */
function pages<T>(book: Record<string, Page<T>>): { fetch: (token?: string) => Promise<Page<T>>; asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    fetch: async (token) => {
      asked.push(token);
      const page = book[token ?? "<first>"];
      if (!page) throw new Error(`unknown token ${token}`);
      return page;
    },
  };
}

describe("paginate", () => {
  it("walks every page in order, passing each NextToken back, and stops on an absent token", async () => {
    const src = pages({ "<first>": { items: [1, 2], next: "t1" }, t1: { items: [], next: "t2" }, t2: { items: [3] } });
    expect(await collect(src.fetch)).toEqual([1, 2, 3]);
    expect(src.asked).toEqual([undefined, "t1", "t2"]);
  });

  it("treats an empty-string token as the last page", async () => {
    const src = pages({ "<first>": { items: ["a"], next: "t1" }, t1: { items: ["b"], next: "" } });
    expect(await collect(src.fetch)).toEqual(["a", "b"]);
    expect(src.asked).toEqual([undefined, "t1"]);
  });

  it("fetches lazily: a consumer that stops early requests no further page", async () => {
    const src = pages({ "<first>": { items: [1, 2], next: "t1" }, t1: { items: [3], next: "t2" }, t2: { items: [4] } });
    const seen: number[] = [];
    for await (const n of paginate(src.fetch)) {
      seen.push(n);
      if (n === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(src.asked).toEqual([undefined]);
  });

  it("fails with aws.error when the service repeats the previous token", async () => {
    const src = pages({ "<first>": { items: [1], next: "t1" }, t1: { items: [2], next: "t1" } });
    const err = await collect(src.fetch, { label: "DescribeFleets" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("aws.error");
    expect((err as AppError).message).toContain('DescribeFleets returned the page token "t1" a second time');
    expect(src.asked).toEqual([undefined, "t1"]);
  });

  it("also catches a longer cycle back to an earlier token", async () => {
    const src = pages({ "<first>": { items: [1], next: "a" }, a: { items: [2], next: "b" }, b: { items: [3], next: "a" } });
    await expect(collect(src.fetch)).rejects.toMatchObject({ code: "aws.error" });
    expect(src.asked).toEqual([undefined, "a", "b"]);
  });

  it("stops before the next page once the signal aborts", async () => {
    const controller = new AbortController();
    const src = pages({ "<first>": { items: [1], next: "t1" }, t1: { items: [2] } });
    const seen: number[] = [];
    const run = (async () => {
      for await (const n of paginate(src.fetch, { signal: controller.signal })) {
        seen.push(n);
        controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toEqual([1]);
    expect(src.asked).toEqual([undefined]);
  });

  it("propagates a page error", async () => {
    const boom = new Error("boom");
    await expect(collect(async () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
