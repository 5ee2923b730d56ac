/**
 * The record selection every Describe* with a name filter shares (reference §13): with names, exactly those
 * records in request order, and any unknown or not-yet-visible name fails the whole call with
 * ResourceNotFoundException; without names, every visible record sorted by name.
 */
import type { ApiError } from "./errors.js";
import { isVisible, type BaseRecord, type Table } from "./store.js";

/**
 * @param table   the collection
 * @param names   the request's name filter (absent or empty = all)
 * @param now     the request's clock (eventual consistency hides records until `visibleAt`)
 * @param missing the error for a name that is not there
 * @param nameOf  the sort key of a record when listing all
 */
export function selectByNames<T extends BaseRecord>(
  table: Table<T>,
  names: readonly string[] | undefined,
  now: number,
  missing: (name: string) => ApiError,
  nameOf: (rec: T) => string,
): T[] {
  if (names && names.length > 0) {
    return names.map((n) => {
      const rec = table[n];
      if (!rec || !isVisible(rec, now)) throw missing(n);
      return rec;
    });
  }
  return Object.values(table)
    .filter((r) => isVisible(r, now))
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}
