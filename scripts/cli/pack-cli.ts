/**
 * `node scripts/cli/pack-cli.ts [OUT_DIR]` (the `pack:cli` script): packs the author CLI
 * (scripts/cli/author-main.ts, bundled with no dependencies) as an npm package whose bin is
 * `mcp-registry`, runs `npm pack`, and prints the .tgz path as its last line. Default OUT_DIR: .cache/cli.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundlePublisher } from './bundle-publisher.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_PACKAGE = 'mcp-static-registry-cli';

const README = `# ${CLI_PACKAGE}

The author commands of the MCP static registry, as one file with no dependencies (Node 20 or later):

    npx ${CLI_PACKAGE} validate server.json
    GH_TOKEN=$(gh auth token) npx ${CLI_PACKAGE} publish --registry OWNER/NAME

Commands: init, validate, verify, sign, publish, deprecate, delete, restore. \`mcp-registry --help\` lists them.
`;

/** Writes the package folder and packs it; returns the .tgz path. */
export async function packCli(outDir: string): Promise<string> {
  const root = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; license?: string };
  const dir = await mkdtemp(join(tmpdir(), 'mcp-registry-cli-'));
  try {
    await writeFile(join(dir, 'mcp-registry.js'), await bundlePublisher('author'));
    await chmod(join(dir, 'mcp-registry.js'), 0o755);
    const manifest = {
      name: CLI_PACKAGE,
      version: root.version,
      description: 'Author commands of the MCP static registry: init, validate, verify, sign, publish',
      license: root.license ?? 'MIT',
      type: 'module',
      bin: { 'mcp-registry': 'mcp-registry.js' },
      files: ['mcp-registry.js'],
      engines: { node: '>=20' },
    };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(dir, 'README.md'), README);
    await mkdir(outDir, { recursive: true });
    const { stdout } = await promisify(execFile)('npm', ['pack', '--pack-destination', outDir, '--silent'], { cwd: dir });
    const name = stdout.trim().split('\n').pop();
    if (name === undefined || !name.endsWith('.tgz')) throw new Error(`npm pack printed no .tgz name: ${stdout}`);
    return join(outDir, name);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  const tgz = await packCli(resolve(ROOT, process.argv[2] ?? '.cache/cli'));
  process.stdout.write(`${tgz}\n`);
}
