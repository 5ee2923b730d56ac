/** Exit codes (DESIGN.md §2): 0 ok, 1 error (usage too, never 2), 2 changes/drift, 3 apply partly done, 5 stale plan, 130 interrupted. */
export const EXIT = { ok: 0, error: 1, changes: 2, partial: 3, stale: 5, interrupted: 130 } as const;
