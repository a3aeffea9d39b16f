import { sha256 } from '../../src/hash.js';

/**
 * A deterministic stand-in for a CSPRNG in tests: SHA-256 in counter mode over a seed, so golden
 * values are reproducible. Never used outside tests.
 */
export const seededRandom = (seed: string): ((length: number) => Uint8Array) => {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      const block = sha256(new TextEncoder().encode(`${seed}/${counter++}`));
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
};
