/** The API docs page's model, read from the registry's own `/openapi.yaml`. */
import { parse } from 'yaml';
import { isRecord } from '../core/is-record.ts';

export interface ApiParameter {
  name: string;
  location: string;
  required: boolean;
  type: string;
  description: string;
}

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  description: string;
  parameters: ApiParameter[];
  responses: { status: string; description: string }[];
}

export interface ApiDocsModel {
  title: string;
  version: string;
  description: string;
  operations: ApiOperation[];
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function resolveRef(doc: Record<string, unknown>, value: unknown): unknown {
  if (!isRecord(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let node: unknown = doc;
  for (const part of value.$ref.slice(2).split('/')) {
    node = isRecord(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

function parameter(doc: Record<string, unknown>, raw: unknown): ApiParameter | undefined {
  const p = resolveRef(doc, raw);
  if (!isRecord(p) || typeof p.name !== 'string') return undefined;
  const schema = resolveRef(doc, p.schema);
  return {
    name: p.name,
    location: str(p.in),
    required: p.required === true,
    type: isRecord(schema) ? str(schema.type) || (Array.isArray(schema.enum) ? 'enum' : '') : '',
    description: str(p.description),
  };
}

/** Pure: the operations of an OpenAPI 3 document, in the document's path order; undefined if unreadable. */
export function buildApiDocs(openapiYaml: string): ApiDocsModel | undefined {
  let doc: unknown;
  try {
    doc = parse(openapiYaml);
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !isRecord(doc.paths)) return undefined;
  const info = isRecord(doc.info) ? doc.info : {};
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = resolveRef(doc, rawItem);
    if (!isRecord(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const responses = isRecord(op.responses) ? op.responses : {};
      operations.push({
        method: method.toUpperCase(),
        path,
        summary: str(op.summary),
        description: str(op.description),
        parameters: [...shared, ...own].map((p) => parameter(doc, p)).filter((p): p is ApiParameter => p !== undefined),
        responses: Object.entries(responses).map(([status, r]) => {
          const resolved = resolveRef(doc, r);
          return { status, description: isRecord(resolved) ? str(resolved.description) : '' };
        }),
      });
    }
  }
  return { title: str(info.title), version: str(info.version), description: str(info.description), operations };
}
