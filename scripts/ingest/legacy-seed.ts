/**
 * The official registry's first seed format (2025-05-16): snake_case fields, `registry_name`,
 * `version_detail`, packages of type `unknown`. Maps one legacy server to a current server.json
 * and says, as warnings, what it could not carry over.
 */
import { CURRENT_SCHEMA_URL } from '../core/api-types.ts';
import type { ServerJson } from '../core/api-types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { warning } from '../core/diagnostics.ts';
import { pointerOf } from '../core/json-pointer.ts';
import { isRecord } from '../core/is-record.ts';
import type { ImportCode } from './codes.ts';

export interface MappedServer {
  server: ServerJson;
  /** From `version_detail.release_date`, when present. */
  publishedAt?: string;
  notes: Diagnostic[];
}

/** registry_name → registryType, default base URL and the runtime that launches it. */
const REGISTRY_TYPES: Record<string, { type: string; base: string; runtimeHint: string }> = {
  npm: { type: 'npm', base: 'https://registry.npmjs.org', runtimeHint: 'npx' },
  pypi: { type: 'pypi', base: 'https://pypi.org', runtimeHint: 'uvx' },
  docker: { type: 'oci', base: 'https://docker.io', runtimeHint: 'docker' },
  nuget: { type: 'nuget', base: 'https://api.nuget.org', runtimeHint: 'dnx' },
};

const INPUT_KEYS: Record<string, string> = {
  description: 'description',
  is_required: 'isRequired',
  format: 'format',
  value: 'value',
  is_secret: 'isSecret',
  default: 'default',
  placeholder: 'placeholder',
  choices: 'choices',
  type: 'type',
  name: 'name',
  value_hint: 'valueHint',
  is_repeated: 'isRepeated',
};

/** True when an array item looks like the 2025-05-16 seed format rather than a server.json. */
export function isLegacySeedServer(value: unknown): boolean {
  return isRecord(value) && ('version_detail' in value || (Array.isArray(value.packages) && value.packages.some((p) => isRecord(p) && 'registry_name' in p)));
}

function note(code: ImportCode, path: (string | number)[], message: string): Diagnostic {
  return warning(code, message, { pointer: pointerOf(path) });
}

function mapInput(raw: unknown, path: (string | number)[], notes: Diagnostic[]): Record<string, unknown> | undefined {
  if (!isRecord(raw)) {
    notes.push(note('import/dropped-field', path, 'not an object; dropped'));
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const mapped = Object.hasOwn(INPUT_KEYS, key) ? INPUT_KEYS[key] : undefined;
    if (mapped === undefined) {
      notes.push(note('import/dropped-field', [...path, key], `the legacy field '${key}' has no place in the current schema; dropped`));
    } else if (value !== '' && value !== null) {
      out[mapped] = value;
    }
  }
  return out;
}

/**
 * Seed arguments often spell a flag and its value as one name (`--directory <path>`,
 * `-e API_KEY`); a named argument's name is the flag alone, so the rest becomes its value.
 */
function splitNamedArgument(arg: Record<string, unknown>, path: (string | number)[], notes: Diagnostic[]): Record<string, unknown> {
  if (arg.type !== 'named' || typeof arg.name !== 'string') return arg;
  const match = /^(\S+)\s+(.+)$/.exec(arg.name.trim());
  if (!match) return arg;
  const [, flag, rest] = match as unknown as [string, string, string];
  const out: Record<string, unknown> = { ...arg, name: flag };
  for (const key of ['value', 'default'] as const) {
    const v = out[key];
    if (typeof v === 'string' && v.trim().startsWith(`${flag} `))
      out[key] = v
        .trim()
        .slice(flag.length + 1)
        .trim();
  }
  if (out.value === undefined) out.value = rest;
  notes.push(
    note(
      'import/argument-split',
      [...path, 'name'],
      `the named argument '${arg.name}' holds a flag and a value; split into name '${flag}' and value '${String(out.value)}'`,
    ),
  );
  return out;
}

function mapInputs(raw: unknown, path: (string | number)[], notes: Diagnostic[]): Record<string, unknown>[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    notes.push(note('import/dropped-field', path, 'not a list; dropped'));
    return undefined;
  }
  const out = raw.flatMap((item: unknown, i: number): Record<string, unknown>[] => {
    const mapped = mapInput(item, [...path, i], notes);
    return mapped ? [splitNamedArgument(mapped, [...path, i], notes)] : [];
  });
  return out.length > 0 ? out : undefined;
}

function mapPackage(raw: unknown, index: number, notes: Diagnostic[]): Record<string, unknown> | undefined {
  const path = ['packages', index];
  if (!isRecord(raw)) {
    notes.push(note('import/dropped-package', path, 'the package is not an object; dropped'));
    return undefined;
  }
  const registryName = typeof raw.registry_name === 'string' ? raw.registry_name : '';
  // Own keys only: 'constructor' or '__proto__' from the data must not find Object.prototype's members.
  const kind = Object.hasOwn(REGISTRY_TYPES, registryName) ? REGISTRY_TYPES[registryName] : undefined;
  if (kind === undefined) {
    notes.push(
      note(
        'import/unknown-registry-type',
        [...path, 'registry_name'],
        `package '${String(raw.name)}' has registry_name '${registryName}', which names no package registry; the package is dropped. Add it by hand with its real registryType`,
      ),
    );
    return undefined;
  }
  const pkg: Record<string, unknown> = {
    registryType: kind.type,
    registryBaseUrl: kind.base,
    identifier: raw.name,
  };
  const hasVersion = typeof raw.version === 'string' && raw.version !== '';
  if (kind.type === 'oci') {
    // Current OCI packages name the exact image (`image:tag`) in the identifier and have no version.
    delete pkg.registryBaseUrl;
    if (hasVersion && typeof raw.name === 'string' && !/[:@]/.test(raw.name.split('/').pop() ?? '')) pkg.identifier = `${raw.name}:${String(raw.version)}`;
  } else if (hasVersion) pkg.version = raw.version;
  if (!hasVersion)
    notes.push(note('import/missing-package-version', [...path, 'version'], `package '${String(raw.name)}' has no version; add the exact published version`));
  pkg.runtimeHint = kind.runtimeHint;
  // The seed format predates `transport`; every seed package was launched over stdio.
  pkg.transport = { type: 'stdio' };
  const runtimeArguments = mapInputs(raw.runtime_arguments, [...path, 'runtime_arguments'], notes);
  if (runtimeArguments) pkg.runtimeArguments = runtimeArguments;
  const packageArguments = mapInputs(raw.package_arguments, [...path, 'package_arguments'], notes);
  if (packageArguments) pkg.packageArguments = packageArguments;
  const environmentVariables = mapInputs(raw.environment_variables, [...path, 'environment_variables'], notes);
  if (environmentVariables) pkg.environmentVariables = environmentVariables;
  for (const key of Object.keys(raw)) {
    if (!['registry_name', 'name', 'version', 'runtime_arguments', 'package_arguments', 'environment_variables'].includes(key)) {
      notes.push(note('import/dropped-field', [...path, key], `the legacy package field '${key}' has no place in the current schema; dropped`));
    }
  }
  return pkg;
}

function mapRemote(raw: unknown, index: number, notes: Diagnostic[]): Record<string, unknown> | undefined {
  const path = ['remotes', index];
  const type = isRecord(raw) ? raw.transport_type : undefined;
  if (!isRecord(raw) || (type !== 'sse' && type !== 'streamable-http')) {
    notes.push(
      note(
        'import/dropped-remote',
        [...path, 'transport_type'],
        `the remote's transport_type ${JSON.stringify(type)} is neither 'sse' nor 'streamable-http'; the remote is dropped`,
      ),
    );
    return undefined;
  }
  return { type, url: raw.url };
}

/** At most 100 characters, cut at the last space before the limit, with an ellipsis. */
export function shortenDescription(text: string): string {
  if ([...text].length <= 100) return text;
  const head = [...text].slice(0, 99).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > 60 ? head.slice(0, space) : head).trimEnd()}…`;
}

export function mapLegacySeedServer(raw: Record<string, unknown>): MappedServer {
  const notes: Diagnostic[] = [];
  const detail = isRecord(raw.version_detail) ? raw.version_detail : {};
  const server: ServerJson = {
    $schema: CURRENT_SCHEMA_URL,
    name: typeof raw.name === 'string' ? raw.name : '',
    description: '',
    version: typeof detail.version === 'string' ? detail.version : '',
  };
  const description = typeof raw.description === 'string' ? raw.description.trim().replace(/\s+/g, ' ') : '';
  server.description = shortenDescription(description);
  if (server.description !== description) {
    notes.push(
      note(
        'import/description-shortened',
        ['description'],
        `the description has ${description.length} characters, over the 100 allowed; cut at a word boundary`,
      ),
    );
  }
  if (isRecord(raw.repository) && typeof raw.repository.url === 'string' && raw.repository.url !== '') {
    const repo = raw.repository;
    server.repository = { url: repo.url as string, source: String(repo.source ?? '') };
    if (typeof repo.id === 'string' && repo.id !== '') server.repository.id = repo.id;
    if (typeof repo.subfolder === 'string' && repo.subfolder !== '') server.repository.subfolder = repo.subfolder;
  } else if (raw.repository !== undefined) {
    notes.push(note('import/empty-repository', ['repository'], 'the repository has no URL; dropped'));
  }
  if (Array.isArray(raw.packages)) {
    const packages = raw.packages.flatMap((p, i) => mapPackage(p, i, notes) ?? []);
    if (packages.length > 0) server.packages = packages as unknown as NonNullable<ServerJson['packages']>;
  }
  if (Array.isArray(raw.remotes)) {
    const remotes = raw.remotes.flatMap((r, i) => mapRemote(r, i, notes) ?? []);
    if (remotes.length > 0) server.remotes = remotes as unknown as NonNullable<ServerJson['remotes']>;
  }
  if (raw.id !== undefined) notes.push(note('import/dropped-field', ['id'], "the seed id is the old registry's database key; dropped"));
  for (const key of Object.keys(raw)) {
    if (!['id', 'name', 'description', 'repository', 'version_detail', 'packages', 'remotes'].includes(key)) {
      notes.push(note('import/dropped-field', [key], `the legacy field '${key}' has no place in the current schema; dropped`));
    }
  }
  const mapped: MappedServer = { server, notes };
  if (typeof detail.release_date === 'string') mapped.publishedAt = detail.release_date;
  return mapped;
}
