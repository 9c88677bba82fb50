/**
 * Where a host adapter puts its files: the build's output tree (OutputTree in
 * scripts/files/atomic-tree.ts) fits this shape, so adapters stay functions of the API model
 * (scripts/api/) and know nothing of the build.
 */
export interface HostOutput {
  write(path: string, content: string | Uint8Array): void;
  /** `path` gets the content of `existing`, a file written before (a hard link, not a copy). */
  alias(path: string, existing: string): void;
  has(path: string): boolean;
}
