/** `$schema`: which dated server.json format a file claims, and what older formats must change. */
import { CURRENT_SCHEMA_URL } from '../../core/api-types.ts';
import { escapeToken } from '../../core/json-pointer.ts';
import { error, stringAt, strictError, warning } from '../rule.ts';
import type { Finding, Rule } from '../rule.ts';
import { isRecord } from '../../core/is-record.ts';

const SCHEMA_URL = /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/(\d{4}-\d{2}-\d{2})\/server\.schema\.json$/;

/** Every dated format published so far, oldest first, with what moving past it takes. */
export const SCHEMA_MIGRATIONS: Record<string, string> = {
  '2025-07-09': 'rename snake_case fields to camelCase (registry_type → registryType, …)',
  '2025-09-16': 'drop `status` and any `io.modelcontextprotocol.registry/official` key from `_meta`',
  '2025-09-29': 'nothing is required; `title` and `icons` are now available and OCI images carry their version in the tag',
  '2025-10-11': 'nothing is required; MCPB packages may now carry `version`',
  '2025-10-17': 'nothing is required; remote URLs may now hold `{variables}` declared in `variables`',
};

export const CURRENT_SCHEMA_DATE = '2025-12-11';

// A Map, not an object literal: keys come from the file, and '__proto__' or 'constructor' would
// otherwise find Object.prototype's members.
const LEGACY_FIELDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    registry_type: 'registryType',
    registry_base_url: 'registryBaseUrl',
    registry_name: 'registryType',
    file_sha256: 'fileSha256',
    runtime_hint: 'runtimeHint',
    runtime_arguments: 'runtimeArguments',
    package_arguments: 'packageArguments',
    environment_variables: 'environmentVariables',
    is_required: 'isRequired',
    is_secret: 'isSecret',
    value_hint: 'valueHint',
    is_repeated: 'isRepeated',
    website_url: 'websiteUrl',
    version_detail: 'version',
  }),
);

/** The current spelling of an old snake_case property name, if it is one. */
export function legacyFieldReplacement(key: string): string | undefined {
  return LEGACY_FIELDS.get(key);
}

const KNOWN_TOP_LEVEL = new Set(['$schema', 'name', 'title', 'description', 'version', 'repository', 'websiteUrl', 'icons', 'packages', 'remotes', '_meta']);

const KNOWN_PACKAGE = new Set([
  'registryType',
  'registryBaseUrl',
  'identifier',
  'version',
  'fileSha256',
  'runtimeHint',
  'transport',
  'runtimeArguments',
  'packageArguments',
  'environmentVariables',
]);

const KNOWN_REMOTE = new Set(['type', 'url', 'headers', 'variables']);

export const schemaVersionRules = {
  codes: ['schema/missing', 'schema/unknown', 'schema/outdated'] as const,
  check(doc): Finding[] {
    const url = stringAt(doc, '$schema');
    if (url === undefined) {
      return doc.$schema === undefined
        ? [error('schema/missing', '', `add "$schema": "${CURRENT_SCHEMA_URL}" so readers know which format this file uses`)]
        : [];
    }
    const date = SCHEMA_URL.exec(url)?.[1];
    if (date === CURRENT_SCHEMA_DATE) return [];
    if (date !== undefined && date in SCHEMA_MIGRATIONS) {
      // Only the steps that ask for a change: the others merely add optional fields.
      const steps = Object.entries(SCHEMA_MIGRATIONS)
        .filter(([d, step]) => d >= date && !step.startsWith('nothing is required'))
        .map(([, step]) => step);
      const move =
        steps.length === 0
          ? `set $schema to ${CURRENT_SCHEMA_URL}; nothing else needs to change`
          : `${steps.join('; ')}; then set $schema to ${CURRENT_SCHEMA_URL}`;
      return [warning('schema/outdated', '/$schema', `this file uses the ${date} format; it is accepted, but move to ${CURRENT_SCHEMA_DATE}: ${move}`)];
    }
    return [error('schema/unknown', '/$schema', `'${url}' is not a known server.json schema; use ${CURRENT_SCHEMA_URL}`)];
  },
} satisfies Rule;

/** Old snake_case names anywhere in the document, and unknown top-level properties (usually typos). */
export const fieldNameRules = {
  codes: ['schema/legacy-field', 'schema/unknown-property', 'schema/status-field'] as const,
  check(doc): Finding[] {
    const out: Finding[] = [];
    const walk = (value: unknown, pointer: string): void => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${pointer}/${i}`);
      } else if (isRecord(value)) {
        for (const [key, child] of Object.entries(value)) {
          const childPointer = `${pointer}/${escapeToken(key)}`;
          if (pointer.startsWith('/_meta')) continue;
          const replacement = LEGACY_FIELDS.get(key);
          if (replacement !== undefined) {
            out.push({
              ...strictError('schema/legacy-field', childPointer, `'${key}' is the pre-2025-09-16 spelling; rename it to '${replacement}'`),
              atKey: true,
            });
          }
          walk(child, childPointer);
        }
      }
    };
    walk(doc, '');
    if (doc.status !== undefined) {
      out.push({
        ...strictError(
          'schema/status-field',
          '/status',
          "'status' is set by the registry, not in server.json (since 2025-09-29); remove it — use `mcp-registry deprecate` to change a status",
        ),
        atKey: true,
      });
    }
    const unknownKeys = (value: unknown, pointer: string, known: ReadonlySet<string>, extra: string): void => {
      if (!isRecord(value)) return;
      for (const key of Object.keys(value)) {
        if (known.has(key) || LEGACY_FIELDS.has(key) || (pointer === '' && key === 'status')) continue;
        const near = closestKnownProperty(key, known);
        const fix = near === undefined ? `check the spelling${extra}` : `did you mean '${near}'? Rename it${extra}`;
        out.push({
          ...warning('schema/unknown-property', `${pointer}/${escapeToken(key)}`, `'${key}' is not a server.json property and clients will ignore it; ${fix}`),
          atKey: true,
        });
      }
    };
    unknownKeys(doc, '', KNOWN_TOP_LEVEL, ', or put custom data under _meta');
    // A misspelt optional field in a package or remote (runtimeHnt) would otherwise vanish without a word.
    if (Array.isArray(doc.packages)) for (const [i, pkg] of doc.packages.entries()) unknownKeys(pkg, `/packages/${i}`, KNOWN_PACKAGE, '');
    if (Array.isArray(doc.remotes)) for (const [i, remote] of doc.remotes.entries()) unknownKeys(remote, `/remotes/${i}`, KNOWN_REMOTE, '');
    return out;
  },
} satisfies Rule;

/** The known property a typo most likely meant: same letters ignoring case, `_` and `-`, or at most two edits away. */
export function closestKnownProperty(key: string, knownNames: ReadonlySet<string> = KNOWN_TOP_LEVEL): string | undefined {
  const fold = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of knownNames) {
    const distance = fold(known) === fold(key) ? 0 : editDistance(known.toLowerCase(), key.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (let i = 1; i <= a.length; i++) {
    // One row at a time: `up` is previous[j], `diagonal` previous[j - 1], `distance` current[j - 1].
    let diagonal = i - 1;
    distance = i;
    const current = [i];
    for (const [k, up] of previous.slice(1).entries()) {
      distance = Math.min(up + 1, distance + 1, diagonal + (a[i - 1] === b[k] ? 0 : 1));
      current.push(distance);
      diagonal = up;
    }
    previous = current;
  }
  return distance;
}
