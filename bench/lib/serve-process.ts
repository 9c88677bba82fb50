/** `mcp-registry serve DIST --port 0` in a process of its own, for the serve benchmarks. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

/** Resolves once serve prints its address. `bin` is another checkout's CLI when comparing. */
export async function startServe(dist: string, bin = CLI_BIN): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { baseUrl, child };
}
