import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_KINDS } from '../../scripts/emit/emitter.ts';
import { CAPABILITIES_FILE, capabilitiesBody, HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

describe('capabilities of each host build', () => {
  it('declares gaps for exactly the host kinds build --host accepts', () => {
    expect(Object.keys(HOST_GAPS).sort()).toEqual([...HOST_KINDS].sort());
  });

  it('lists the parameters GitHub Pages cannot answer, and says what clients see', () => {
    const doc = JSON.parse(capabilitiesBody('github-pages')) as {
      answersEverything: boolean;
      unansweredParameters: string[];
      gaps: { code: string; clientsSee: string }[];
    };
    expect(doc.answersEverything).toBe(false);
    expect(doc.unansweredParameters).toEqual(['cursor', 'include_deleted', 'limit', 'search', 'updated_since', 'version']);
    expect(doc.gaps.map((g) => g.code)).toEqual(HOST_GAPS['github-pages']);
    for (const g of doc.gaps) expect(g.clientsSee).not.toBe('');
  });

  it('says a host with an edge runtime answers everything', () => {
    expect(JSON.parse(capabilitiesBody('nginx'))).toMatchObject({ host: 'nginx', answersEverything: true, unansweredParameters: [], gaps: [] });
  });

  it('refuses a host kind nobody declared', () => {
    expect(() => capabilitiesBody('ftp')).toThrow(/HOST_GAPS/);
  });

  it.each(['github-pages', 'nginx'] as const)('is written by build --host %s', async (host) => {
    const { dist } = await buildFixture(fixtureRoot(), host);
    expect(readFileSync(join(dist, CAPABILITIES_FILE), 'utf8')).toBe(capabilitiesBody(host));
  });
});
