import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from '../../scripts/translog/merkle.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

// The Certificate Transparency reference inputs and tree heads (RFC 6962 test data).
const INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const LEAVES = INPUTS.map(leafHash);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY = [
  { first: 1, second: 1, proof: [] as string[] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
];

describe('RFC 6962 tree hashes', () => {
  it('the empty tree and leaf and node prefixes are as the RFC says', () => {
    expect(hex(emptyRoot())).toBe(ROOTS[0]);
    expect(hex(leafHash(new Uint8Array()))).toBe(ROOTS[1]);
    expect(hex(nodeHash(LEAVES[0]!, LEAVES[1]!))).toBe(ROOTS[2]);
  });

  it('matches the reference root of every size 0..8', () => {
    for (let n = 0; n <= 8; n++) expect(hex(rootHash(LEAVES, n)), `size ${n}`).toBe(ROOTS[n]);
  });

  it('refuses a size beyond the leaves it has', () => {
    expect(() => rootHash(LEAVES, 9)).toThrow(RangeError);
  });
});

describe('inclusion proofs', () => {
  it('match the reference proofs and verify', () => {
    for (const v of INCLUSION) {
      const proof = inclusionProof(LEAVES, v.index, v.size);
      expect(proof.ok && proof.value.map(hex)).toEqual(v.proof);
      expect(verifyInclusion(LEAVES[v.index]!, v.index, v.size, v.proof.map(unhex), unhex(ROOTS[v.size]!))).toEqual({ ok: true, value: true });
    }
  });

  const many = Array.from({ length: 70 }, (_, i) => leafHash(Uint8Array.of(i, i >> 8, 7)));

  it('every leaf verifies in every tree size up to 70, and a wrong leaf, index, root or proof does not', () => {
    for (let size = 1; size <= many.length; size++) {
      const root = rootHash(many, size);
      for (let i = 0; i < size; i++) {
        const r = inclusionProof(many, i, size);
        if (!r.ok) throw new Error(r.error);
        const proof = r.value;
        expect(verifyInclusion(many[i]!, i, size, proof, root).ok, `${i} in ${size}`).toBe(true);
        expect(verifyInclusion(leafHash(Uint8Array.of(255)), i, size, proof, root).ok).toBe(false);
        if (size > 1) expect(verifyInclusion(many[i]!, (i + 1) % size, size, proof, root).ok).toBe(false);
        expect(verifyInclusion(many[i]!, i, size, proof, leafHash(root)).ok).toBe(false);
        if (proof.length > 0) {
          const flipped = proof.map((p, j) => (j === proof.length - 1 ? Uint8Array.from(p, (b, k) => (k === 0 ? b ^ 1 : b)) : p));
          expect(verifyInclusion(many[i]!, i, size, flipped, root).ok).toBe(false);
          expect(verifyInclusion(many[i]!, i, size, proof.slice(1), root).ok).toBe(false);
        }
        expect(verifyInclusion(many[i]!, i, size, [...proof, root], root).ok).toBe(false);
      }
    }
  });

  it('refuses an index outside the tree', () => {
    expect(inclusionProof(LEAVES, 8, 8).ok).toBe(false);
    expect(verifyInclusion(LEAVES[0]!, 8, 8, [], unhex(ROOTS[8]!)).ok).toBe(false);
  });
});

describe('consistency proofs', () => {
  it('match the reference proofs and verify', () => {
    for (const v of CONSISTENCY) {
      const proof = consistencyProof(LEAVES, v.first, v.second);
      expect(proof.ok && proof.value.map(hex)).toEqual(v.proof);
      const ok = verifyConsistency(v.first, v.second, v.proof.map(unhex), unhex(ROOTS[v.first]!), unhex(ROOTS[v.second]!));
      expect(ok).toEqual({ ok: true, value: true });
    }
  });

  const many = Array.from({ length: 40 }, (_, i) => leafHash(Uint8Array.of(i, 3)));

  it('every pair of sizes up to 40 is consistent, and a rewritten leaf or a wrong root is caught', () => {
    for (let second = 0; second <= many.length; second++) {
      const newRoot = rootHash(many, second);
      for (let first = 0; first <= second; first++) {
        const oldRoot = rootHash(many, first);
        const r = consistencyProof(many, first, second);
        if (!r.ok) throw new Error(r.error);
        expect(verifyConsistency(first, second, r.value, oldRoot, newRoot).ok, `${first} -> ${second}`).toBe(true);
        if (first === 0) continue;
        // History rewritten: the old tree had another first leaf.
        const forged = [leafHash(Uint8Array.of(99)), ...many.slice(1)];
        expect(verifyConsistency(first, second, r.value, rootHash(forged, first), newRoot).ok).toBe(false);
        expect(verifyConsistency(first, second, r.value, oldRoot, leafHash(newRoot)).ok).toBe(false);
        if (r.value.length > 0) {
          expect(verifyConsistency(first, second, r.value.slice(0, -1), oldRoot, newRoot).ok).toBe(false);
          expect(verifyConsistency(first, second, [...r.value, newRoot], oldRoot, newRoot).ok).toBe(false);
        }
      }
    }
  });

  it('names a fork: two roots for one size', () => {
    const r = verifyConsistency(5, 5, [], rootHash(many, 5), rootHash(LEAVES, 5));
    expect(r).toEqual({ ok: false, error: 'two different roots for tree size 5: the log forked' });
  });

  it('refuses a shrinking tree', () => {
    expect(consistencyProof(many, 6, 5).ok).toBe(false);
    expect(verifyConsistency(6, 5, [], rootHash(many, 6), rootHash(many, 5)).ok).toBe(false);
  });
});
