export {
  generateNoteKeys,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
} from './ed25519-key.js';
export { MAX_NOTE_SIGNATURES, type OpenedNote, openNoteWith } from './signed-note.js';
export { openCheckpoint, openNote, signCheckpoint, signNote } from './sign.js';
export {
  type NoteSigner,
  type NoteVerifier,
  noteVerifierWith,
  parseNoteKeyParts,
} from './note-key.js';
export { type AsyncSignatureCheck, prepareNoteVerifier } from './prepared-verifier.js';
export {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpointWith,
  parseCheckpoint,
} from './checkpoint.js';
export { formatPrevExtension, PREV_EXTENSION_KEYWORD } from './prev-extension.js';
export { checkpointBodyHash, previousCheckpointHash, verifyCheckpointChain } from './chain.js';
export {
  formatRulesExtension,
  readRulesExtension,
  RULES_EXTENSION_KEYWORD,
  type RulesExtension,
} from './rules-extension.js';
