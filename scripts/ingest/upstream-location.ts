/** Where an upstream's API lives and how its files are named locally (pure). */

/** `--from` as given → API roots to try, newest first. */
export function apiBases(from: string): string[] {
  const trimmed = from.replace(/\/+$/, '');
  if (/\/v0(\.1)?$/.test(trimmed)) return [trimmed];
  return [`${trimmed}/v0.1`, `${trimmed}/v0`];
}

/** A file-name-safe name for an upstream: `registry.modelcontextprotocol.io`, `127.0.0.1-4321`. */
export function upstreamSlug(from: string): string {
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    return from.replace(/[^a-zA-Z0-9.-]+/g, '-');
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v0(\.1)?$/, '');
  return `${url.hostname}${url.port ? `-${url.port}` : ''}${path}`.replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
}

/** The newest `updatedAt` among the items, never after the upstream's clock at the start of the walk. */
export function nextWatermark(updatedAts: readonly string[], previous: string | undefined, startedAt: string | undefined): string | undefined {
  let best = previous;
  for (const t of updatedAts) {
    if (Number.isNaN(Date.parse(t))) continue;
    if (best === undefined || Date.parse(t) > Date.parse(best)) best = t;
  }
  // An entry changed while we walked past it has updatedAt after the walk began; capping the
  // watermark at the start (less a second, the Date header's resolution) makes the next sync see it.
  if (best !== undefined && startedAt !== undefined && !Number.isNaN(Date.parse(startedAt))) {
    const cap = Date.parse(startedAt) - 1000;
    if (Date.parse(best) > cap) best = new Date(cap).toISOString();
  }
  return best;
}
