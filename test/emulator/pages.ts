/** A hand-written NextToken loop for the Describe* calls the SDK has no paginator for (reference §13). */

/** One page as the caller maps it from a response: its items and the token for the next page. */
export interface PageOf<T> {
  items: T[] | undefined;
  next: string | undefined;
}

/** Fetches pages until a response carries no NextToken; returns every item and how many calls it took. */
export async function allPages<T>(fetchPage: (token: string | undefined) => Promise<PageOf<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next;
    pages++;
  } while (token);
  return { items, pages };
}
