/**
 * A deterministic stand-in for a CSPRNG in tests: SHA-256 in counter mode over a seed, so golden
 * values are reproducible. Never used outside tests.
 */
export declare const seededRandom: (seed: string) => ((length: number) => Uint8Array);
