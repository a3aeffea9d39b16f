export {
  formatDisclosure,
  hashDisclosure,
  parseDisclosure,
  SALT_BYTES,
  type Disclosure,
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
