import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { nginxHttpConf, nginxRootProblem } from '../../scripts/hosts/nginx.ts';

describe('build --nginx-root: the folder _nginx/http.conf names', () => {
  it('names the njs module folder and data file under the root, quoted', () => {
    const conf = nginxHttpConf('/srv/my registry/dist/');
    expect(conf).toContain('js_path "/srv/my registry/dist/_nginx";');
    expect(conf).toContain('js_preload_object mcp_api from "/srv/my registry/dist/_nginx/api.json";');
  });

  it.each([
    ['dist', 'absolute'],
    ['/srv/"x', 'quotes'],
    ['/srv/$x', 'quotes'],
    ['/srv/x\ny', 'control'],
  ])('refuses %j', (root, word) => {
    expect(nginxRootProblem(root)).toContain(word);
    expect(() => nginxHttpConf(root)).toThrow(/--nginx-root/);
  });

  it('is a usage error on the command line when bad or without --host nginx', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (t: string) => err.push(t), cwd: '/nonexistent', env: {} };
    expect(await main(['build', '--host', 'nginx', '--nginx-root', 'relative/dist'], io)).toBe(2);
    expect(err.join('')).toContain('--nginx-root must be an absolute path');
    expect(await main(['build', '--host', 'node', '--nginx-root', '/srv/dist'], io)).toBe(2);
    expect(err.join('')).toContain('--nginx-root is for --host nginx only');
  });
});
