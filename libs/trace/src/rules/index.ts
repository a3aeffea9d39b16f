// The published rules (docs/specs/rules.md): the rule set and its hash, and the engine that checks
// events against it, the same code in the service and in `traceroot rules check`.
export {
  canonicalRuleSet,
  DECLARED_YIELD_IRI,
  type Rule,
  type RuleId,
  RULE_SET,
  type RuleSet,
  ruleSetHash,
} from './rule-set.js';
export {
  checkRules,
  type ItemState,
  memoryRuleState,
  MOVEMENT_BIZ_STEPS,
  type RuleEvent,
  type RuleState,
  ruleStateKeys,
  type Violation,
} from './engine.js';
export { canonicalIdentifier, cbvWord, glnOf } from './read-event.js';
export { BASE_UNIT, type Dimension, quantityGroup, UNITS } from './uom.js';
export {
  type ChainOrganization,
  generateViolationChain,
  type ViolationChain,
  type ViolationChainOptions,
} from './testing/violations.js';
