export {
  assembleEvent,
  type AssembledEvent,
  CONTEXT_FIELD,
  eventFields,
  ILMD_FIELD,
  ILMD_MEMBER_PREFIX,
} from './assemble-event.js';
export {
  formatDisclosure,
  hashDisclosure,
  parseDisclosure,
  portableDisclosureCodec,
  SALT_BYTES,
  type Disclosure,
  type DisclosureCodec,
} from './disclosure.js';
export {
  commitEvent,
  type CommittedEvent,
  type EventLeaf,
  formatLeaf,
  LEAF_VERSION,
  parseLeaf,
} from './event-leaf.js';
export { openDisclosures } from './open-disclosures.js';
