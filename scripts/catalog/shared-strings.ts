/**
 * One copy of each repeated string in parsed documents: JSON.parse makes a new string for every
 * value, so the `$schema` URL, package registries, transport types, names and descriptions that
 * every version of a server repeats are held once per version. At 300,000 versions that is
 * hundreds of megabytes the build holds from validation to the last emitter. The documents are
 * changed in place, value for equal value: nothing that reads them can tell (keys, order and
 * contents stay), only the heap is smaller.
 */

/** Replaces every string value below `documents` with the first equal string seen; returns how many values were repeats. */
export function shareStrings(documents: Iterable<unknown>): number {
  const pool = new Map<string, string>();
  let repeats = 0;
  const share = (value: string): string => {
    const known = pool.get(value);
    if (known === undefined) {
      pool.set(value, value);
      return value;
    }
    repeats += 1;
    return known;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = share(item);
        else if (typeof item === 'object' && item !== null) walk(item);
      }
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') record[key] = share(item);
      else if (typeof item === 'object' && item !== null) walk(item);
    }
  };
  for (const document of documents) if (typeof document === 'object' && document !== null) walk(document);
  return repeats;
}
