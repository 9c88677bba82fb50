/**
 * The upstream's transparency log, checked before a sync writes anything (issue 17): when the
 * upstream serves `log/checkpoint` (an instance of this registry, or a mirror of one), its
 * signature must verify against the pinned key, its tree must extend the checkpoint recorded at the
 * previous sync, and every version this sync is about to write must be a leaf under it whose served
 * bytes are the server.json the API answered (translog/mirror-check.ts does the checking). The
 * checkpoint taken is recorded in `registry/sync/<upstream>.json` (`log`) and each new version's
 * leaf in its provenance (`versions.<v>.log`).
 *
 * The key is pinned per upstream in registry.config.yaml, or for one run with `--upstream-log-key`:
 *
 *   upstreams:
 *     - url: https://mcp.partner.example
 *       logKeys: ['mcp.partner.example+1a2b3c4d+AR…']   # the lines of its log/key
 *
 * A pin, or a checkpoint recorded before, makes the log required. Without a pin the first sync
 * takes the keys the upstream serves (log/key), warns, and records them: later syncs hold the
 * upstream to them. An upstream that never served a log syncs as before.
 */
import { compareStrings } from '../core/compare.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { diagnostic, warning } from '../core/diagnostics.ts';
import { isRecord } from '../core/is-record.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { upstreamKey } from '../policy/upstreams.ts';
import type { LogFetch } from '../translog/audit.ts';
import type { MirrorCheckCode, MirroredVersion } from '../translog/mirror-check.ts';
import { checkMirror, checkpointOfNote } from '../translog/mirror-check.ts';
import type { Checkpoint, VerifierKey } from '../translog/note.ts';
import { parseVerifierKey } from '../translog/note.ts';
import type { SyncCode } from './codes.ts';
import type { FileChange } from './commit-files.ts';
import type { FetchPage } from './page-walk.ts';
import type { AcceptedEntry } from './plan-entries.ts';
import { parseState, renderState } from './state-updates.ts';
import type { SavedLog, SavedSync } from './sync-state.ts';
import { renderSavedSync, syncStatePath } from './sync-state.ts';
import type { ProvenanceFile, ProvenanceLog } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';

const OFFICIAL = 'io.modelcontextprotocol.registry/official';

/** The verifier keys pinned for `upstream` in registry.config.yaml (`upstreams[].logKeys`), or what is wrong with them. */
export function pinnedLogKeys(extra: Record<string, unknown>, upstream: string): Result<string[]> {
  const list = Array.isArray(extra.upstreams) ? extra.upstreams : [];
  const key = upstreamKey(upstream);
  const index = list.findIndex((u) => isRecord(u) && typeof u.url === 'string' && upstreamKey(u.url) === key);
  if (index === -1) return ok([]);
  const raw = (list[index] as Record<string, unknown>).logKeys;
  if (raw === undefined || raw === null) return ok([]);
  const keys = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(keys) || keys.length === 0)
    return err(`upstreams[${index}].logKeys must be a list of verifier keys (the lines of the upstream's log/key)`);
  for (const k of keys) {
    const parsed = typeof k === 'string' ? parseVerifierKey(k) : err('not a string');
    if (!parsed.ok) return err(`upstreams[${index}].logKeys: ${JSON.stringify(k)} is not a verifier key <name>+<8 hex>+<base64>: ${parsed.error}`);
  }
  return ok(keys.map((k) => (k as string).trim()));
}

/** `…/v0.1` or `…/v0` → the registry root's `log/`, where an instance of ours serves its log. */
export function logBase(apiBase: string): string {
  return `${apiBase.replace(/\/+$/, '').replace(/\/v0(\.1)?$/, '')}/log/`;
}

/** The leaf an API answer's `_meta` names for its version: under any registry's namespace, `log: {leafIndex, sha256}`. */
export function leafOfAnswer(item: unknown): { leafIndex: number; sha256: string } | undefined {
  const meta = isRecord(item) && isRecord(item._meta) ? item._meta : undefined;
  if (meta === undefined) return undefined;
  for (const [ns, value] of Object.entries(meta)) {
    if (ns === OFFICIAL || !isRecord(value) || !isRecord(value.log)) continue;
    const { leafIndex, sha256 } = value.log;
    if (Number.isSafeInteger(leafIndex) && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)) return { leafIndex: leafIndex as number, sha256 };
  }
  return undefined;
}

const CODES: Record<MirrorCheckCode, SyncCode> = {
  checkpoint: 'sync/log-checkpoint',
  tiles: 'sync/log-tiles',
  entry: 'sync/log-entry',
  file: 'sync/log-file',
  inconsistent: 'sync/log-inconsistent',
  fetch: 'sync/log-fetch',
};

export interface UpstreamLogInput {
  /** The API root walked. */
  base: string;
  slug: string;
  fetchPage: FetchPage;
  /** Pinned verifier keys (registry.config.yaml and --upstream-log-key). */
  pinned: readonly string[];
  saved?: SavedSync;
  /** The entries the plan accepted; the new ones are checked. */
  accepted: readonly AcceptedEntry[];
  /** The walk's raw items (`{server, _meta}`), for each new entry's leaf and API answer. */
  items: readonly unknown[];
  concurrency?: number;
}

export type UpstreamLogOutcome =
  /** The upstream serves no log and none is required. */
  | { ok: true; served: false }
  | {
      ok: true;
      served: true;
      record: SavedLog;
      /** name@version → the leaf recorded in provenance. */
      leaves: Map<string, ProvenanceLog>;
      included: number;
      consistentWith?: number;
      notes: Diagnostic[];
    }
  | { ok: false; diagnostic: Diagnostic };

function refuse(code: SyncCode, message: string): UpstreamLogOutcome {
  return { ok: false, diagnostic: diagnostic(code, `${message}; nothing was written`) };
}

function parseKeys(lines: readonly string[]): VerifierKey[] {
  return lines.flatMap((line) => {
    const k = parseVerifierKey(line);
    return k.ok ? [k.value] : [];
  });
}

export async function checkUpstreamLog(input: UpstreamLogInput): Promise<UpstreamLogOutcome> {
  const root = logBase(input.base);
  const fetchLog: LogFetch = async (path) => {
    const r = await input.fetchPage(new URL(path, root).href);
    if (!r.ok) return { ok: false, error: r.message };
    if (r.status !== 200) return { ok: false, error: `GET ${new URL(path, root).href} → ${r.status}` };
    return { ok: true, value: new Uint8Array(r.body) };
  };
  const previous = input.saved?.log;
  const note = await fetchLog('checkpoint');
  if (!note.ok) {
    if (input.pinned.length > 0 || previous !== undefined) {
      const why = input.pinned.length > 0 ? 'a log key is pinned for this upstream' : `the previous sync recorded its checkpoint (size ${previous?.size})`;
      return refuse('sync/log-unavailable', `the upstream serves no transparency log (${note.error}), but ${why}: a log that disappears hides what changed`);
    }
    return { ok: true, served: false };
  }
  const text = new TextDecoder().decode(note.value);
  // A host that answers every path (a single-page app's fallback) serves no log, unless one is required.
  if (input.pinned.length === 0 && previous === undefined && !checkpointOfNote(text).ok) return { ok: true, served: false };
  const notes: Diagnostic[] = [];
  // Whose signature counts: the pin; else the keys recorded at the first sync; else (first use) the upstream's own log/key.
  let keyLines: string[] = [...input.pinned];
  if (keyLines.length === 0 && previous !== undefined) keyLines = [...previous.keys];
  if (keyLines.length === 0 && previous === undefined) {
    const served = await fetchLog('key');
    keyLines = served.ok
      ? new TextDecoder()
          .decode(served.value)
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '')
      : [];
    if (keyLines.length > 0) {
      notes.push(
        warning(
          'sync/log-key-unpinned' satisfies SyncCode,
          `no log key is pinned for this upstream: its checkpoint was checked against the key it serves itself (${keyLines.join(', ')}), trusted on first use; it is recorded in ${syncStatePath(input.slug)} and required from now on. Pin it in registry.config.yaml (upstreams[].logKeys) from a source you trust`,
        ),
      );
    }
  }
  if (keyLines.length === 0) {
    notes.push(
      warning(
        'sync/log-key-unpinned' satisfies SyncCode,
        "the upstream's log has no key (log/key) and none is pinned, so nobody's signature on its checkpoint was checked; its tree, entries and served files were, and it is held to this checkpoint from now on. Pin its key in registry.config.yaml (upstreams[].logKeys) once it signs",
      ),
    );
  }
  const keys = parseKeys(keyLines);
  if (keys.length !== keyLines.length) return refuse('sync/log-checkpoint', `a log key for this upstream is not a verifier key: ${keyLines.join(', ')}`);

  let before: Checkpoint | undefined;
  if (previous !== undefined) {
    const parsed = checkpointOfNote(previous.checkpoint);
    if (!parsed.ok) return refuse('sync/log-inconsistent', `${syncStatePath(input.slug)}: the recorded checkpoint does not parse (${parsed.error})`);
    before = parsed.value;
  }
  const answers = new Map<string, unknown>();
  for (const item of input.items) {
    const server = isRecord(item) && isRecord(item.server) ? item.server : undefined;
    if (server !== undefined) answers.set(`${String(server.name)}@${String(server.version)}`, item);
  }
  const versions: MirroredVersion[] = [];
  for (const entry of input.accepted) {
    if (!entry.isNew) continue;
    const { name, version } = entry.server;
    const answer = answers.get(`${name}@${version}`);
    const leaf = leafOfAnswer(answer);
    if (leaf === undefined) {
      return refuse(
        'sync/log-entry',
        `${name} ${version}: the upstream serves a log, but its API answer names no leaf for this version (_meta.<namespace>.log)`,
      );
    }
    versions.push({ name, version, ...leaf, server: (answer as { server: unknown }).server });
  }
  const checked = await checkMirror(fetchLog, text, {
    keys,
    versions,
    ...(before === undefined ? {} : { previous: before }),
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
  });
  if (!checked.ok) return refuse(CODES[checked.error.code], `the upstream's transparency log (${root}): ${checked.error.message}`);
  const { checkpoint } = checked.value;
  const rootHash = Buffer.from(checkpoint.root).toString('base64');
  const record: SavedLog = {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: rootHash,
    keys: keyLines,
    checkpoint: text,
  };
  const leaves = new Map<string, ProvenanceLog>(
    versions.map((v) => [
      `${v.name}@${v.version}`,
      { origin: checkpoint.origin, leafIndex: v.leafIndex, sha256: v.sha256, treeSize: checkpoint.size, root: rootHash },
    ]),
  );
  return {
    ok: true,
    served: true,
    record,
    leaves,
    included: checked.value.included,
    ...(checked.value.consistentWith === undefined ? {} : { consistentWith: checked.value.consistentWith }),
    notes,
  };
}

/**
 * The plan's changes with the log recorded: the sync state's `log` set to the checkpoint taken,
 * and each new version's provenance naming its leaf (pure).
 */
export function withLogRecords(
  changes: readonly FileChange[],
  input: { slug: string; base: string; saved?: SavedSync; readExisting: (path: string) => string | undefined },
  record: SavedLog,
  leaves: ReadonlyMap<string, ProvenanceLog>,
): FileChange[] {
  const out = changes.map((c) => ({ ...c }));
  const byPath = new Map(out.map((c) => [c.path, c]));
  for (const [key, log] of leaves) {
    const at = key.lastIndexOf('@');
    const [name, version] = [key.slice(0, at), key.slice(at + 1)];
    const path = statePath('upstream', name);
    const change = byPath.get(path);
    const current = parseState<ProvenanceFile>(change?.text ?? input.readExisting(path));
    const entry = current?.versions?.[version];
    if (current === undefined || entry === undefined) continue;
    const text = renderState({ ...current, versions: { ...current.versions, [version]: { ...entry, log } } });
    if (change !== undefined) change.text = text;
    else {
      const added = { path, text };
      out.push(added);
      byPath.set(path, added);
    }
  }
  const statePathOf = syncStatePath(input.slug);
  const planned = byPath.get(statePathOf);
  const state: SavedSync = { ...(parseState<SavedSync>(planned?.text) ?? input.saved ?? { upstream: input.base }), log: record };
  const text = renderSavedSync(state);
  if (planned !== undefined) planned.text = text;
  else if (text !== input.readExisting(statePathOf)) out.push({ path: statePathOf, text });
  return out.sort((a, b) => compareStrings(a.path, b.path));
}
