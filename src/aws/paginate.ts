/**
 * The one `NextToken` loop. The JS SDK ships paginators for only four AppStream operations
 * (reference §13); DescribeFleets, DescribeStacks, DescribeImageBuilders, DescribeUsers,
 * DescribeUserStackAssociations, ListAssociated* and DescribeSessions all go through here.
 */
import { AppError } from "../core/errors.js";
import { abortReason } from "./retry.js";

/** One page as the caller maps it from the operation's output. */
export interface Page<T> {
  items: readonly T[];
  /** The response's `NextToken`; absent or `""` ends the listing. */
  next?: string | undefined;
}

/** Fetches the page that `token` names (the first page when absent). */
export type FetchPage<T> = (token?: string) => Promise<Page<T>>;

export interface PaginateOptions {
  /** Names the listing in the repeated-token error, e.g. `DescribeFleets`. */
  label?: string;
  /** Checked before every page request. */
  signal?: AbortSignal;
}

/**
 * Yields every item of every page, requesting the next page only when the consumer gets there.
 * Stops on an absent or empty token (reference §13: null/absent means the last page). A token seen
 * before — the same one twice in a row, or an older one — would loop forever; that fails with
 * `aws.error` rather than silently stopping, because a truncated listing would make a plan wrong.
 */
export async function* paginate<T>(fetchPage: FetchPage<T>, opts: PaginateOptions = {}): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const page = await fetchPage(token);
    yield* page.items;
    const next = page.next;
    if (next === undefined || next === "") return;
    if (seen.has(next)) {
      throw new AppError(
        "aws.error",
        `${opts.label ?? "a list call"} returned the page token ${JSON.stringify(next)} a second time; stopped to avoid an endless listing`,
        { source: "aws" },
      );
    }
    seen.add(next);
    token = next;
  }
}

/** Every item of every page, in order. */
export async function collect<T>(fetchPage: FetchPage<T>, opts: PaginateOptions = {}): Promise<T[]> {
  const all: T[] = [];
  for await (const item of paginate(fetchPage, opts)) all.push(item);
  return all;
}
