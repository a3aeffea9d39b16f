export {
  generateNoteKeys,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
} from './ed25519-key.js';
export { MAX_NOTE_SIGNATURES, type OpenedNote, openNote, signNote } from './signed-note.js';
export {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.js';
export { formatPrevExtension, PREV_EXTENSION_KEYWORD } from './prev-extension.js';
export { checkpointBodyHash, previousCheckpointHash, verifyCheckpointChain } from './chain.js';
