import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

describe('mcp-registry CLI', () => {
  it('prints help listing the commands and exits 0', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: mcp-registry <command>/);
    expect(out).toMatch(/Exit codes: 0 success, 1 the input failed a check, 2 usage/);
  });

  it('exits 2 and names the commands for an unknown command', () => {
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
