/**
 * Built-ins the api model may use that njs 0.7 lacks or has in a stricter form; esbuild
 * injects this file into the njs bundle (njs-bundle.ts). Prototype methods are added only where missing. Map, Set and URLSearchParams
 * are not here: njs-router.ts and url-params.ts stand in for what the router needs of them.
 */
interface Polyfilled {
  flatMap?: unknown;
}

const arrays = Array.prototype as unknown as Polyfilled;
if (typeof arrays.flatMap !== 'function') {
  Object.defineProperty(Array.prototype, 'flatMap', {
    configurable: true,
    writable: true,
    value: function flatMap<T, U>(this: T[], f: (value: T, index: number, array: T[]) => U | U[]): U[] {
      const out: U[] = [];
      for (let i = 0; i < this.length; i += 1) {
        const mapped = f(this[i] as T, i, this);
        if (Array.isArray(mapped)) for (let j = 0; j < mapped.length; j += 1) out.push(mapped[j] as U);
        else out.push(mapped);
      }
      return out;
    },
  });
}

const objects = Object as unknown as { hasOwn?: unknown };
if (typeof objects.hasOwn !== 'function') {
  Object.defineProperty(Object, 'hasOwn', {
    configurable: true,
    writable: true,
    // biome-ignore lint/suspicious/noPrototypeBuiltins: this is the stand-in for Object.hasOwn, which njs 0.7 lacks.
    value: (object: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(object, key),
  });
}

const nativeAtob = (globalThis as unknown as { atob: (text: string) => string }).atob;

/**
 * njs's atob refuses base64 without its `=` padding, which the URL standard's forgiving
 * decoder (node, browsers, workerd) accepts and our cursors leave out.
 */
export function atob(text: string): string {
  const compact = text.replace(/[\t\n\f\r ]/g, '');
  return nativeAtob(compact.length % 4 === 0 ? compact : compact + '==='.slice(0, 4 - (compact.length % 4)));
}
