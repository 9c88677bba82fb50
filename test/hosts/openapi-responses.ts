/**
 * An OpenAPI response validator over schemas/openapi.yaml: an answer to `GET <path>` is
 * checked against the schema the spec declares for that path, status and content type. A
 * status the operation does not declare fails, except the few any HTTP path may answer
 * (405, 408, 414, 500), which must still be a Problem. `/v0/...` is checked as `/v0.1/...`
 * (the spec says both answer the same); paths the spec does not describe are not checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

interface MediaObject {
  schema?: unknown;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaObject>;
}
interface OpenApiDoc {
  paths: Record<string, { get?: { responses: Record<string, ResponseObject> } }>;
  components: { responses: Record<string, ResponseObject> };
}

const ANY_PATH_STATUSES = ['405', '408', '414', '500'];

/** JSON pointer escaping of one reference token. */
const token = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export interface ResponseCheck {
  /** Undefined when the answer matches (or the path is not in the spec); else what is wrong. */
  /** `contentType` undefined: the host cannot label answers; the status's only (or JSON) schema is used. */
  (path: string, status: number, contentType: string | undefined, body: unknown): string | undefined;
}

export function openApiResponseValidator(specUrl = new URL('../../schemas/openapi.yaml', import.meta.url)): ResponseCheck {
  const doc = parse(readFileSync(fileURLToPath(specUrl), 'utf8')) as OpenApiDoc;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const plugin = addFormatsModule as unknown as { default?: (a: Ajv) => void } & ((a: Ajv) => void);
  (plugin.default ?? plugin)(ajv);
  ajv.addSchema({ $id: 'openapi-doc', ...doc });
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let v = compiled.get(pointer);
    if (!v) {
      v = ajv.getSchema(`openapi-doc#${pointer}`);
      if (!v) throw new Error(`no schema at ${pointer} in schemas/openapi.yaml`);
      compiled.set(pointer, v);
    }
    return v;
  };

  return (path, status, contentType, body) => {
    const bare = path.split('?')[0]?.replace(/^\/v0\//, '/v0.1/') ?? '';
    const match = templates.find((t) => t.pattern.test(bare));
    const operation = match ? doc.paths[match.template]?.get : undefined;
    if (!match || !operation) return undefined;
    const code = String(status);
    let responsePointer = `/paths/${token(match.template)}/get/responses/${code}`;
    let response = operation.responses[code];
    if (!response && ANY_PATH_STATUSES.includes(code)) {
      response = doc.components.responses.Problem;
      responsePointer = '/components/responses/Problem';
    }
    if (!response) return `GET ${match.template} does not declare status ${code} (declared: ${Object.keys(operation.responses).join(', ')})`;
    if (response.$ref) {
      responsePointer = response.$ref.slice(1);
      response = doc.components.responses[response.$ref.split('/').pop() ?? ''];
    }
    if (!response?.content) return undefined;
    const media = contentType === undefined ? (Object.keys(response.content).find((m) => m.endsWith('json')) ?? '') : (contentType.split(';')[0] ?? '').trim();
    const declared = response.content[media];
    if (!declared) return `GET ${match.template} ${code} is ${media}; declared: ${Object.keys(response.content).join(', ')}`;
    if (declared.schema === undefined) return undefined;
    const validate = validatorAt(`${responsePointer}/content/${token(media)}/schema`);
    return validate(body) ? undefined : `GET ${path} → ${code} breaks ${responsePointer}: ${JSON.stringify(validate.errors?.slice(0, 3))}`;
  };
}
