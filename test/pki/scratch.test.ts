import { test } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { issueCa, issueLeaf } from '../../src/pki/issue.js';
import { generateKeyPair } from '../../src/pki/keys.js';

test('try', async () => {
  for (let i = 0; i < 5; i++) await generatePki();
  let t = performance.now();
  const keys = await Promise.all(Array.from({ length: 16 }, () => generateKeyPair('ecdsa-p256')));
  console.log('keygen', (performance.now() - t).toFixed(1));
  t = performance.now();
  const w = { notBefore: new Date(), notAfter: new Date(Date.now() + 1e10) };
  const root = await issueCa({ commonName: 'r', keys: keys[0]!, keyType: 'ecdsa-p256', pathLength: 1, ...w });
  console.log('ca', (performance.now() - t).toFixed(1));
  t = performance.now();
  for (let i = 1; i < 14; i++)
    await issueLeaf({
      commonName: 'l',
      keys: keys[i]!,
      keyType: 'ecdsa-p256',
      issuer: root,
      extendedKeyUsages: ['1.3.6.1.5.5.7.3.2'],
      uris: ['spiffe://x/y'],
      ...w,
    });
  console.log('13 leaves sequential', (performance.now() - t).toFixed(1));
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    await generatePki();
    console.log('pki', (performance.now() - t).toFixed(1));
  }
}, 60000);
