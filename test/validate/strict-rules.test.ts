import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseRegistryConfig } from '../../scripts/config/registry-config.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';

/** Valid officially, refused by our strict rule package/oci-tag-required (an image without a tag). */
const doc = JSON.stringify({
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.github.example/weather',
  description: 'Weather forecasts',
  version: '1.0.0',
  packages: [{ registryType: 'oci', identifier: 'ghcr.io/example/weather', transport: { type: 'stdio' } }],
});

const severityOf = (strictRules: boolean) =>
  validateDocument(doc, 'server.json', { ...DEFAULT_CONFIG, strictRules }).diagnostics.find((d) => d.code === 'package/oci-tag-required')?.severity;

describe('strictRules in registry.config.yaml', () => {
  it('is on by default: our stricter rules are errors', () => {
    expect(parseRegistryConfig({}).strictRules).toBe(true);
    expect(severityOf(true)).toBe('error');
  });

  it('off, reports our stricter rules as warnings and keeps the official ones errors', () => {
    expect(parseRegistryConfig({ strictRules: false }).strictRules).toBe(false);
    expect(severityOf(false)).toBe('warning');
    const official = validateDocument(doc.replace('"1.0.0","packages"', '"latest","packages"'), 'server.json', { ...DEFAULT_CONFIG, strictRules: false });
    expect(official.diagnostics.find((d) => d.code === 'version/latest')?.severity).toBe('error');
  });

  it('refuses a value that is not true or false', () => {
    expect(() => parseRegistryConfig({ strictRules: 'no' })).toThrow(/'strictRules' must be true or false/);
  });
});
