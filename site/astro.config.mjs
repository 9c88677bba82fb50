// For `npx astro build --root site` while working on the pages: the catalog comes from the JSON
// file named by MCP_SITE_DATA (written by emitSite), or an empty registry. `npm run build` does
// not read this file; it passes the same config inline (scripts/site/emit-site.ts).
import { defineConfig } from 'astro/config';
import { siteAstroConfig } from '../scripts/site/astro-config.ts';

export default defineConfig(siteAstroConfig({ dataFile: process.env.MCP_SITE_DATA, siteUrl: process.env.MCP_SITE_URL ?? 'http://127.0.0.1:4321' }));
