/** Dependency ordering with a readable error: a cycle is reported as the path that closes it. */
import { AppError } from "./errors.js";

/**
 * Orders ids so that every id comes after all of its dependencies, keeping the input order among
 * independent ids (stable, so plans are deterministic).
 */
export function toposort(ids: readonly string[], deps: (id: string) => readonly string[]): string[] {
  const state = new Map<string, "visiting" | "done">();
  const out: string[] = [];
  const known = new Set(ids);
  const visit = (id: string, path: string[]): void => {
    const s = state.get(id);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new AppError("plan.cycle", `dependency cycle: ${cycle.join(" → ")}`, { source: "user" });
    }
    state.set(id, "visiting");
    for (const d of deps(id)) if (known.has(d)) visit(d, [...path, id]);
    state.set(id, "done");
    out.push(id);
  };
  for (const id of ids) visit(id, []);
  return out;
}
