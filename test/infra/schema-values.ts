/**
 * A module's exported values as plain JSON, to compare two builds of an SDK schema module.
 *
 * Schemas point at each other through thunks (`() => SendEmailRequest$`), cycles included, so a
 * thunk is called and, when it returns one of the module's exports, written as `{ ref: name }`:
 * the comparison covers which schema each one points to without expanding the graph. Anything
 * else is walked to a bounded depth. Classes (the error types in the registries) are compared by
 * name, Maps by their entries, other objects by constructor name and own properties in order.
 */
export type Described = null | boolean | number | string | Described[] | { [key: string]: Described };

const MAX_DEPTH = 12;

const isClass = (value: (...args: unknown[]) => unknown) =>
  /^class\b/.test(Function.prototype.toString.call(value));

export const describeModule = (module: Record<string, unknown>): Record<string, Described> => {
  const exportNames = new Map<unknown, string>();
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'object' && value !== null) exportNames.set(value, name);
  }
  const walk = (value: unknown, depth: number): Described => {
    if (depth > 0 && exportNames.has(value)) return { ref: exportNames.get(value)! };
    if (depth > MAX_DEPTH) return { truncated: true };
    if (value === undefined) return { undefined: true };
    if (typeof value === 'function') {
      if (isClass(value as () => unknown)) return { class: value.name };
      if (value.length > 0) return { function: value.name };
      return { thunk: walk((value as () => unknown)(), depth + 1) };
    }
    if (typeof value === 'bigint' || typeof value === 'symbol') return { [typeof value]: String(value) };
    if (typeof value !== 'object' || value === null) return value as Described;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    if (value instanceof Map) {
      return { map: [...value].map(([key, item]) => [walk(key, depth + 1), walk(item, depth + 1)]) };
    }
    const prototype = Object.getPrototypeOf(value);
    return {
      object: prototype === null ? null : (prototype.constructor?.name ?? null),
      properties: Object.entries(value).map(([key, item]) => [key, walk(item, depth + 1)]),
    };
  };
  return Object.fromEntries(Object.entries(module).map(([name, value]) => [name, walk(value, 0)]));
};
