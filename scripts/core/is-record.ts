/** A plain JSON object: not null, not an array. Every reader of parsed JSON or YAML narrows with this. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
