// Every default the mutating side can inject, in the order they run: each operator's, in registry order.
import { allDefaulters } from "../operators/index.ts";

export { allDefaulters };

export const defaulterIds: ReadonlySet<string> = new Set(allDefaulters.map((d) => d.meta.id));
