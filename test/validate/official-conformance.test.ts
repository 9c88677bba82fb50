/**
 * Conformance with the official registry's remote-URL rule, as a table of facts: each row is a remote URL and
 * the verdict the official validator gives a server.json whose only remote is that URL (its
 * TestIsValidRemoteURL_LoopbackAndPrivateAddresses in internal/validators/utils_test.go). Our fixtures, our
 * words. With `strictRules: false` we must give the official verdict on every row; our strict rules may only
 * refuse more (`.local`, `.internal`), never accept what the official registry refuses.
 * docs/rules.md reports the agreement count this suite measures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';

type Verdict = 'valid' | 'invalid';

/** [what the row is about, remote URL, the official verdict]. */
const remoteUrls: readonly [string, string, Verdict][] = [
  ['the name localhost', 'https://localhost/', 'invalid'],
  ['localhost on a port, with a path', 'https://localhost:8443/mcp', 'invalid'],
  ['a name under .localhost', 'https://foo.localhost/', 'invalid'],
  ['the loopback 127.0.0.1', 'https://127.0.0.1/', 'invalid'],
  ['IPv6 loopback', 'https://[::1]/', 'invalid'],
  ['another loopback address', 'https://127.0.0.2/', 'invalid'],
  ['the top of 127/8', 'https://127.255.255.254/', 'invalid'],
  ['IPv4 any-address', 'https://0.0.0.0/', 'invalid'],
  ['IPv6 any-address', 'https://[::]/', 'invalid'],
  ['loopback mapped into IPv6', 'https://[::ffff:127.0.0.1]/', 'invalid'],
  ['private 10/8', 'https://10.0.0.1/', 'invalid'],
  ['private 172.16/12', 'https://172.16.0.1/', 'invalid'],
  ['private 192.168/16', 'https://192.168.1.1/', 'invalid'],
  ['link-local (cloud metadata)', 'https://169.254.169.254/', 'invalid'],
  ['IPv6 unique local', 'https://[fc00::1]/', 'invalid'],
  ['IPv6 link-local', 'https://[fe80::1]/', 'invalid'],
  ['LOCALHOST in capitals', 'https://LOCALHOST/', 'invalid'],
  ['a capitalised .localhost name', 'https://Foo.LOCALHOST/', 'invalid'],
  ['localhost with the root dot', 'https://localhost./', 'invalid'],
  ['carrier-grade NAT', 'https://100.64.0.1/', 'invalid'],
  ['the top of carrier-grade NAT', 'https://100.127.255.255/', 'invalid'],
  ['IPv4 multicast', 'https://224.0.0.1/', 'invalid'],
  ['IPv4 broadcast', 'https://255.255.255.255/', 'invalid'],
  ['IPv6 link-local multicast', 'https://[ff02::1]/', 'invalid'],
  ['a public name', 'https://example.com/mcp', 'valid'],
  ['a public IPv4 address', 'https://8.8.8.8/mcp', 'valid'],
  ['a public IPv6 address', 'https://[2001:4860:4860::8888]/mcp', 'valid'],
  ['just under carrier-grade NAT', 'https://100.63.255.255/mcp', 'valid'],
  ['just over carrier-grade NAT', 'https://100.128.0.1/mcp', 'valid'],
  ['plain http to a public name', 'http://example.com/mcp', 'invalid'],
];

function serverWithRemote(url: string): string {
  return JSON.stringify({
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: 'com.example/remote-check',
    description: 'One remote endpoint',
    version: '2.0.0',
    remotes: [{ type: 'streamable-http', url }],
  });
}

function ours(url: string, strictRules: boolean): { verdict: Verdict; errors: string[] } {
  const result = validateDocument(serverWithRemote(url), 'servers/com.example/remote-check/2.0.0.json', { ...DEFAULT_CONFIG, strictRules });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer}`);
  return { verdict: result.ok ? 'valid' : 'invalid', errors };
}

describe('official remote-URL verdicts (loopback, private and public addresses)', () => {
  it.each(remoteUrls)('%s (%s): relaxed, we give the official verdict', (_what, url, official) => {
    const got = ours(url, false);
    expect(got.verdict, `our errors: ${got.errors.join(', ') || 'none'}`).toBe(official);
  });

  it.each(remoteUrls)('%s (%s): strict rules never accept what the official registry refuses', (_what, url, official) => {
    const got = ours(url, true);
    if (official === 'invalid') expect(got.verdict).toBe('invalid');
    else expect(got.verdict).toBe('valid');
  });

  it('an endpoint the official registry accepts may still be a strict error of ours (.internal)', () => {
    expect(ours('https://mcp.corp.internal/mcp', false).verdict).toBe('valid');
    expect(ours('https://mcp.corp.internal/mcp', true).verdict).toBe('invalid');
  });

  it('docs/rules.md reports the count this table measures', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
    expect(docs).toContain(`remote-URL table: ${remoteUrls.length} of ${remoteUrls.length} rows agree`);
  });
});

/** Whole documents from the official `validation_detailed_test.go`: the verdict, and where the official reports. */
const base = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'com.example.check/server',
  description: 'A server to check',
  version: '1.0.0',
  repository: { url: 'https://github.com/example/server', source: 'github' },
};

function check(doc: Record<string, unknown>, strictRules = false): { verdict: Verdict; pointers: string[]; warnings: string[] } {
  const result = validateDocument(JSON.stringify(doc), 'servers/com.example.check/server/1.0.0.json', { ...DEFAULT_CONFIG, strictRules });
  const pointers = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.pointer);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code} ${d.pointer}`);
  return { verdict: result.ok ? 'valid' : 'invalid', pointers, warnings };
}

/** [what the case is about, the document, the official verdict, pointers the official reports at]. */
const documents: readonly [string, Record<string, unknown>, Verdict, string[]][] = [
  [
    'a document with mistakes everywhere: each is reported',
    {
      name: 'no-slash-here',
      description: 'Many mistakes',
      version: '~2.0.0',
      repository: { url: 'just-words', source: 'github' },
      websiteUrl: 'ftp://files.example.com',
      packages: [
        {
          registryType: 'oci',
          identifier: 'an image with spaces',
          version: 'latest',
          transport: { type: 'stdio', url: 'stdio-has-no-url' },
          runtimeArguments: [{ type: 'named', name: '--port <port>' }],
        },
      ],
      remotes: [{ type: 'stdio', url: '' }],
    },
    'invalid',
    ['/name', '/version', '/repository/url', '/websiteUrl', '/packages/0/version', '/packages/0/runtimeArguments/0/name'],
  ],
  [
    'nested mistakes are reported where they are',
    {
      ...base,
      packages: [
        { registryType: 'npm', identifier: 'first-package', version: 'latest', transport: { type: 'stdio' } },
        {
          registryType: 'npm',
          identifier: 'second-package',
          version: '2.0.0',
          transport: { type: 'stdio' },
          runtimeArguments: [{ type: 'named', name: 'has a space' }, { type: '' }, { type: 'positional' }],
        },
      ],
    },
    'invalid',
    ['/packages/0/version', '/packages/1/runtimeArguments/0/name', '/packages/1/runtimeArguments/1/type', '/packages/1/runtimeArguments/2'],
  ],
  // A missing member is reported at the object that lacks it: the root.
  ['no $schema', { ...base, $schema: undefined }, 'invalid', ['']],
  [
    'a $schema of a date that never had one',
    { ...base, $schema: 'https://static.modelcontextprotocol.io/schemas/2025-01-27/server.schema.json' },
    'invalid',
    [],
  ],
  ['an empty repository URL', { ...base, repository: { url: '', source: 'github' } }, 'invalid', ['/repository/url']],
  [
    'an input format outside the list',
    {
      ...base,
      packages: [
        {
          registryType: 'npm',
          identifier: 'some-package',
          version: '1.0.0',
          transport: { type: 'stdio' },
          packageArguments: [{ type: 'named', name: '--mode', format: 'not-a-format' }],
        },
      ],
    },
    'invalid',
    [],
  ],
];

describe('official whole-document verdicts (validation_detailed_test.go)', () => {
  it('an older published $schema is accepted with a warning, as officially', () => {
    const got = check({ ...base, $schema: 'https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json' });
    expect(got.verdict).toBe('valid');
    expect(got.warnings).toContain('schema/outdated /$schema');
  });

  it('docs/rules.md reports the count this table measures', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
    expect(docs).toContain(`whole-document table: ${documents.length + 1} of ${documents.length + 1} cases agree`);
  });

  it.each(documents)('%s: relaxed, we give the official verdict and report where the official does', (_what, doc, official, at) => {
    const got = check(doc);
    expect(got.verdict, `our errors at: ${got.pointers.join(', ') || 'none'}`).toBe(official);
    for (const pointer of at) expect(got.pointers, `an error at ${pointer}`).toContain(pointer);
  });
});

/** A package to change one field of, for the schema rows. */
const npmPackage = { registryType: 'npm', identifier: 'weather-mcp', version: '1.0.0', transport: { type: 'stdio' } };

/**
 * Limits the official 2025-12-11 schema sets (internal/validators/schemas/2025-12-11.json), one row each:
 * [what the row is about, the change to a valid document, the official verdict].
 */
const schemaLimits: readonly [string, Record<string, unknown>, Verdict][] = [
  ['a description of 100 characters', { description: 'd'.repeat(100) }, 'valid'],
  ['a description of 101 characters', { description: 'd'.repeat(101) }, 'invalid'],
  ['an empty description', { description: '' }, 'invalid'],
  ['a title of 100 characters', { title: 't'.repeat(100) }, 'valid'],
  ['a title of 101 characters', { title: 't'.repeat(101) }, 'invalid'],
  ['a name of 201 characters', { name: `com.example.check/${'n'.repeat(183)}` }, 'invalid'],
  ['a plus sign in the name', { name: 'com.example.check/server+plus' }, 'invalid'],
  ['a version of 255 characters', { version: `1.0.0-${'a'.repeat(249)}` }, 'valid'],
  ['a version of 256 characters', { version: `1.0.0-${'a'.repeat(250)}` }, 'invalid'],
  ['an icon with src only', { icons: [{ src: 'https://example.com/icon.png' }] }, 'valid'],
  ['an icon without src', { icons: [{ mimeType: 'image/png' }] }, 'invalid'],
  ['an icon of a type outside the list', { icons: [{ src: 'https://example.com/icon.gif', mimeType: 'image/gif' }] }, 'invalid'],
  ['icon sizes as WxH and any', { icons: [{ src: 'https://example.com/icon.svg', sizes: ['48x48', 'any'] }] }, 'valid'],
  ['an icon size without a height', { icons: [{ src: 'https://example.com/icon.png', sizes: ['48'] }] }, 'invalid'],
  ['an icon theme outside light and dark', { icons: [{ src: 'https://example.com/icon.png', theme: 'blue' }] }, 'invalid'],
  ['an icon src longer than 255 characters', { icons: [{ src: `https://example.com/${'i'.repeat(240)}.png` }] }, 'invalid'],
  ['an empty package version', { packages: [{ ...npmPackage, version: '' }] }, 'invalid'],
  ['a package without transport', { packages: [{ registryType: 'npm', identifier: 'weather-mcp', version: '1.0.0' }] }, 'invalid'],
  ['an environment variable without a name', { packages: [{ ...npmPackage, environmentVariables: [{ description: 'a key' }] }] }, 'invalid'],
  ['a repository without source', { repository: { url: 'https://github.com/example/server' } }, 'invalid'],
  ['a remote header without a name', { remotes: [{ type: 'sse', url: 'https://mcp.example.com/sse', headers: [{ value: 'x' }] }] }, 'invalid'],
  ['a remote without url', { remotes: [{ type: 'sse' }] }, 'invalid'],
];

describe('official schema limits (2025-12-11)', () => {
  it.each(schemaLimits)('%s: relaxed, we give the official verdict', (_what, change, official) => {
    const got = check({ ...base, ...change });
    expect(got.verdict, `our errors at: ${got.pointers.join(', ') || 'none'}`).toBe(official);
  });

  it('docs/rules.md reports the count this table measures', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
    expect(docs).toContain(`schema-limits table: ${schemaLimits.length} of ${schemaLimits.length} rows agree`);
  });
});
