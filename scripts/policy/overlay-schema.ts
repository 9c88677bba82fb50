/**
 * Overlays (registry/overlays/<namespace>/<server>.yaml) add `_meta` under the registry's own
 * namespace. A fork declares a JSON Schema for what its overlays may hold:
 *
 *   overlays:
 *     schema: registry/overlay.schema.json
 *
 * `validateOverlay` is pure: the catalog calls it at build time with the parsed overlay and the
 * compiled schema; each `meta`, and each version's `meta` merged with its own additions, must pass.
 */
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { diagnostic } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { escapeToken } from '../core/json-pointer.ts';
import { isRecord } from '../core/is-record.ts';
import { err, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { OverlayCode } from './codes.ts';

export type OverlayValidator = ValidateFunction;

/** Compiles a fork's overlay schema; a schema that does not compile is reported, not thrown. */
export function compileOverlaySchema(schema: unknown): Result<OverlayValidator> {
  if (!isRecord(schema) && schema !== true) return err('the overlay schema must be a JSON Schema object');
  try {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS; under ESM its callable may sit on the default export's default.
    const plugin = addFormatsModule as unknown as { default?: (ajv: Ajv) => void } & ((ajv: Ajv) => void);
    (plugin.default ?? plugin)(ajv);
    return ok(ajv.compile(schema as object));
  } catch (error) {
    return err(`the overlay schema does not compile: ${(error as Error).message}`);
  }
}

function problem(code: OverlayCode, pointer: string, message: string): Diagnostic {
  return diagnostic(code, message, { pointer });
}

/** The top-level overlay key an error is about, if any (`/rating/x` → rating; an extra property → its name). */
function topKey(e: ErrorObject): string | undefined {
  if (e.instancePath !== '') return (e.instancePath.split('/')[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
  return e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty?: unknown }).additionalProperty) : undefined;
}

/** `own`: report only errors about these keys (a version's additions; meta's are reported once, under /meta). */
function schemaErrors(errors: ErrorObject[] | null | undefined, base: string, own?: ReadonlySet<string>): Diagnostic[] {
  return (errors ?? [])
    .filter((e) => {
      const key = topKey(e);
      return own === undefined || key === undefined || own.has(key);
    })
    .map((e) => {
      const what =
        e.keyword === 'additionalProperties'
          ? `'${String((e.params as { additionalProperty?: unknown }).additionalProperty)}' is not a property the fork's overlay schema allows`
          : `${e.instancePath === '' ? 'the overlay meta' : `'${e.instancePath}'`} ${e.message ?? 'is invalid'}`;
      return problem('overlay/schema', `${base}${e.instancePath}`, `${what}; fix it to match the fork's overlay schema`);
    });
}

/** Checks an overlay file's shape, then its content against the fork's schema. */
export function validateOverlay(overlay: unknown, validate: OverlayValidator | undefined): Diagnostic[] {
  if (!isRecord(overlay)) return [problem('overlay/shape', '', 'an overlay must be a mapping with meta and/or versions')];
  const out: Diagnostic[] = [];
  for (const key of Object.keys(overlay)) {
    if (key !== 'meta' && key !== 'versions')
      out.push(problem('overlay/shape', `/${escapeToken(key)}`, `'${key}' is not an overlay field; use meta or versions`));
  }
  const meta = overlay.meta;
  if (meta !== undefined && !isRecord(meta)) out.push(problem('overlay/shape', '/meta', 'meta must be a mapping'));
  const versions = overlay.versions;
  if (versions !== undefined && !isRecord(versions)) out.push(problem('overlay/shape', '/versions', 'versions must be a mapping of version → mapping'));
  if (out.length > 0 || validate === undefined) return out;
  const base = (meta ?? {}) as Record<string, unknown>;
  if (!validate(base)) out.push(...schemaErrors(validate.errors, '/meta'));
  for (const [version, extra] of Object.entries((versions ?? {}) as Record<string, unknown>)) {
    const pointer = `/versions/${escapeToken(version)}`;
    if (!isRecord(extra)) {
      out.push(problem('overlay/shape', pointer, `versions.${version} must be a mapping`));
      continue;
    }
    if (!validate({ ...base, ...extra })) out.push(...schemaErrors(validate.errors, pointer, new Set(Object.keys(extra))));
  }
  return out;
}

/** The edge: reads `overlays.schema` from the config's extra section; undefined when none is declared. */
export async function loadOverlaySchema(root: string, extra: Record<string, unknown>): Promise<OverlayValidator | undefined> {
  const section = extra.overlays;
  if (section === undefined) return undefined;
  const path = isRecord(section) ? section.schema : undefined;
  if (typeof path !== 'string' || path === '' || normalize(path).startsWith('..')) {
    throw environmentError("registry.config.yaml: 'overlays.schema' must be a path inside the repository to a JSON Schema file");
  }
  let schema: unknown;
  try {
    schema = JSON.parse(await readFile(join(root, path), 'utf8'));
  } catch (error) {
    throw environmentError(`cannot read the overlay schema ${path}: ${(error as Error).message}`, error);
  }
  const compiled = compileOverlaySchema(schema);
  if (!compiled.ok) throw environmentError(`${path}: ${compiled.error}`);
  return compiled.value;
}
