/** Tool fingerprints move exactly when name, description, input schema or annotations do. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, toolFingerprint, toolSetFingerprint } from '../../scripts/inspect/fingerprint.ts';
import { normaliseTools } from '../../scripts/inspect/endpoint-result.ts';
import { serialiseInspection, parseInspection, inspectionPath, MAX_INSPECTION_BYTES } from '../../scripts/inspect/inspection-file.ts';
import { manyTools } from './mcp-servers.ts';

const base = {
  name: 'create_issue',
  description: 'Opens an issue.',
  inputSchema: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } },
  annotations: { readOnlyHint: false },
};

describe('fingerprints', () => {
  it('do not depend on key order (canonical JSON before hashing)', () => {
    const reordered = {
      annotations: { readOnlyHint: false },
      inputSchema: { properties: { b: { type: 'number' }, a: { type: 'string' } }, type: 'object' },
      description: 'Opens an issue.',
      name: 'create_issue',
    };
    expect(toolFingerprint(reordered)).toBe(toolFingerprint(base));
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it.each([
    ['name', { ...base, name: 'create_issues' }],
    ['description', { ...base, description: 'Opens an issue. ' }],
    ['input schema', { ...base, inputSchema: { type: 'object' } }],
    ['annotations', { ...base, annotations: { readOnlyHint: true } }],
    ['annotations removed', { name: base.name, description: base.description, inputSchema: base.inputSchema }],
  ])('change with the %s', (_what, changed) => {
    expect(toolFingerprint(changed)).not.toBe(toolFingerprint(base));
  });

  it('do not change with title, output schema or _meta', () => {
    const [a] = normaliseTools([base], { maxItems: 10, maxString: 4096 });
    const [b] = normaliseTools([{ ...base, title: 'Create', outputSchema: { type: 'object' }, _meta: { x: 1 } }], { maxItems: 10, maxString: 4096 });
    expect(b!.fingerprint).toBe(a!.fingerprint);
  });

  it('are taken over the full description, even when the recorded copy is cut', () => {
    const long = { ...base, description: 'x'.repeat(10_000) };
    const longer = { ...base, description: `${'x'.repeat(10_000)}y` };
    const [a] = normaliseTools([long], { maxItems: 10, maxString: 100 });
    const [b] = normaliseTools([longer], { maxItems: 10, maxString: 100 });
    expect(a!.description).toBe(b!.description);
    expect(a!.fingerprint).not.toBe(b!.fingerprint);
  });

  it('of a set ignore tool order', () => {
    expect(toolSetFingerprint(['sha256:b', 'sha256:a'])).toBe(toolSetFingerprint(['sha256:a', 'sha256:b']));
  });
});

describe('inspection files', () => {
  it('stay under the size cap with 10,000 tools, keeping every fingerprint', () => {
    const tools = normaliseTools(
      manyTools(10_000).map((t) => ({ ...t, description: `${t.description} ${'detail '.repeat(40)}` })),
      { maxItems: 10_000, maxString: 4096 },
    );
    const path = inspectionPath('io.github.acme/big', '1.0.0');
    const text = serialiseInspection({
      schemaVersion: 1,
      name: 'io.github.acme/big',
      version: '1.0.0',
      endpoints: [
        {
          url: 'https://big.example.com/mcp',
          transport: 'streamable-http',
          reachable: true,
          tools,
          prompts: [],
          resources: [],
          fingerprint: toolSetFingerprint(tools.map((t) => t.fingerprint)),
          checkedAt: '2026-01-01T00:00:00.000Z',
          consecutiveFailures: 0,
        },
      ],
    });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_INSPECTION_BYTES);
    const parsed = parseInspection(text, path);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value!.endpoints[0]!.tools).toHaveLength(10_000);
    expect(parsed.value!.endpoints[0]!.detailsOmitted).toBe(true);
  });

  it('that do not match the schema, or sit at the wrong path, are refused when read', () => {
    const path = inspectionPath('io.github.acme/a', '1.0.0');
    const good = { schemaVersion: 1, name: 'io.github.acme/a', version: '1.0.0', endpoints: [] };
    expect(parseInspection(JSON.stringify(good), path).diagnostics).toEqual([]);
    const script = {
      ...good,
      endpoints: [
        {
          url: 'u',
          transport: 'streamable-http',
          reachable: true,
          tools: [{ name: 'x', fingerprint: 'sha256:0', onclick: 'alert(1)' }],
          prompts: [],
          resources: [],
          checkedAt: '2026-01-01T00:00:00Z',
          consecutiveFailures: 0,
        },
      ],
    };
    expect(parseInspection(JSON.stringify(script), path).diagnostics[0]!.code).toBe('inspect/state-invalid');
    expect(parseInspection(JSON.stringify(good), inspectionPath('io.github.acme/b', '1.0.0')).diagnostics[0]!.code).toBe('inspect/state-invalid');
    expect(parseInspection('{', path).diagnostics[0]!.code).toBe('inspect/state-invalid');
  });
});
