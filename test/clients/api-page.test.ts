/** The site's API page tells an admin how to point VS Code here and links the policy outputs. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { CLIENT_FILES } from '../../scripts/clients/client-outputs.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { emitSite } from '../../scripts/site/emit-site.ts';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Clients test', baseUrl: 'https://registry.example/sub' };
let out = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'site-clients-'));
  await emitSite({ servers: serverViewsFromResponses(responses), config, outDir: out, openapiYaml: 'openapi: 3.1.0\npaths: {}\n', host: 'node' });
}, 120_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

it('shows the VS Code gallery setting for this registry and links every client file', () => {
  const page = readFileSync(join(out, 'api/index.html'), 'utf8');
  expect(page).toContain('&quot;chat.mcp.gallery.serviceUrl&quot;: &quot;https://registry.example/sub&quot;');
  expect(page).toContain('McpGalleryServiceUrl');
  for (const file of Object.values(CLIENT_FILES).filter((f) => f !== CLIENT_FILES.vscodeSettings)) expect(page).toContain(`href="/sub/${file}"`);
});
