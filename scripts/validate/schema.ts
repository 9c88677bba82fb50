/**
 * Our server.json schema (schemas/server.schema.json), compiled once, and ajv's errors as diagnostics.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { Finding } from './rule.ts';

const schemaUrl = new URL('../../schemas/server.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // verbose: errors carry the offending value, so a length message can say how long it is.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    // ajv-formats is CommonJS: Node hands ESM the plugin function itself, while its types describe `exports.default`.
    formatsModule.default(ajv, ['uri']);
    compiled = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')) as object);
  }
  return compiled;
}

function describe(error: ErrorObject): Finding | undefined {
  const pointer = error.instancePath;
  const field = pointer === '' ? 'the document' : fieldLabel(pointer);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return {
        code: 'schema/required',
        severity: 'error',
        pointer: `${pointer}/${missing}`,
        message: `${pointer === '' ? 'the server' : field} is missing the required property '${missing}'; add it`,
      };
    }
    case 'type':
      return { code: 'schema/type', severity: 'error', pointer, message: `${field} must be ${withArticle(String(p.type))}` };
    case 'enum':
      return {
        code: 'schema/enum',
        severity: 'error',
        pointer,
        message: `${field} must be one of ${(p.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`,
      };
    case 'pattern':
      return { code: 'schema/pattern', severity: 'error', pointer, message: `${field} must match ${String(p.pattern)}` };
    case 'minLength':
      return { code: 'schema/length', severity: 'error', pointer, message: `${field} must be at least ${String(p.limit)} character(s) long` };
    case 'maxLength':
      return {
        code: 'schema/length',
        severity: 'error',
        pointer,
        message: `${field} must be at most ${String(p.limit)} characters long${typeof error.data === 'string' ? ` (it has ${[...error.data].length})` : ''}; shorten it`,
      };
    case 'format':
      return {
        code: 'schema/format',
        severity: 'error',
        pointer,
        message: `${field} must be a ${String(p.format)}${p.format === 'uri' ? ' with a scheme, such as https://example.com/path' : ''}`,
      };
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
    case 'if':
      return undefined; // the branch errors say what is wrong
    default:
      return { code: 'schema/invalid', severity: 'error', pointer, message: `${field} ${error.message ?? 'is invalid'}` };
  }
}

/** `/packages/0` reads as `'packages[0]'`, not `'0'`: an array item is named with its array. */
function fieldLabel(pointer: string): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let indexes = '';
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1] ?? '';
    if (!/^\d+$/.test(last)) break;
    tokens.pop();
    indexes = `[${last}]${indexes}`;
  }
  return `'${tokens[tokens.length - 1] ?? ''}${indexes}'`;
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Schema checks the official registry does not make at publish time: refused here, but only as strict errors. */
const OURS_ONLY = [/^\/packages\/\d+\/fileSha256$/];

/** Schema findings for a parsed document, one per (pointer, code). */
export function schemaFindings(value: unknown): Finding[] {
  const validate = validator();
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const error of validate.errors ?? []) {
    const finding = describe(error);
    if (!finding) continue;
    const key = `${finding.pointer} ${finding.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(OURS_ONLY.some((p) => p.test(finding.pointer)) ? { ...finding, strict: true } : finding);
  }
  return out;
}
