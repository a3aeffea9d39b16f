/** Nest token of the KeyEncryptionKeys (kek.ts) the privacy module uses. */
export const KEY_ENCRYPTION_KEYS = Symbol('KEY_ENCRYPTION_KEYS');
