/**
 * Where a host adapter puts its files: the build's output tree (scripts/emit/output-tree.ts)
 * fits this shape, so adapters stay functions of the api model and know nothing of the build.
 */
export interface HostOutput {
  write(path: string, content: string | Uint8Array): void;
  /** `path` gets the content of `existing`, a file written before (a hard link, not a copy). */
  alias(path: string, existing: string): void;
  has(path: string): boolean;
}
