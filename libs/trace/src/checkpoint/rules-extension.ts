import { TraceError } from '../errors.js';

// The rule-set line (docs/specs/checkpoint-format.md §"The rule-set line"): a checkpoint of a log
// that checks captures against published rules names the rule set in force when it was signed,
// `traceroot.dev/rules <version> sha256:<64 hex>` (GET /rules serves that version and hash).
// Signed with the rest of the note, so an operator cannot later claim other rules were in force.

/** The first word of the rule-set extension line. */
export const RULES_EXTENSION_KEYWORD = 'traceroot.dev/rules';

const VERSION = /^[\x21-\x7e]{1,64}$/;
const HASH = /^sha256:[0-9a-f]{64}$/;

/** The rule set a checkpoint commits to. */
export type RulesExtension = { version: string; hash: string };

/** The rule-set line for `version` and `hash` (`sha256:<64 lower-case hex>`, ruleSetHash). */
export const formatRulesExtension = ({ version, hash }: RulesExtension): string => {
  if (!VERSION.test(version)) {
    throw new TraceError('MALFORMED_INPUT', 'a rule-set version is 1–64 visible ASCII characters');
  }
  if (!HASH.test(hash)) {
    throw new TraceError('MALFORMED_INPUT', 'a rule-set hash is sha256:<64 hex>');
  }
  return `${RULES_EXTENSION_KEYWORD} ${version} ${hash}`;
};

/**
 * The rule set named among a checkpoint's extension lines, or null when none is (a log without
 * published rules). A line starting with the keyword must be well formed and appear once
 * (CHECKPOINT_MALFORMED otherwise).
 */
export const readRulesExtension = (extensions: readonly string[]): RulesExtension | null => {
  let found: RulesExtension | null = null;
  for (const line of extensions) {
    if (line !== RULES_EXTENSION_KEYWORD && !line.startsWith(`${RULES_EXTENSION_KEYWORD} `)) {
      continue;
    }
    const [, version = '', hash = '', ...rest] = line.split(' ');
    if (found !== null || rest.length > 0 || !VERSION.test(version) || !HASH.test(hash)) {
      throw new TraceError(
        'CHECKPOINT_MALFORMED',
        `checkpoint: a "${RULES_EXTENSION_KEYWORD}" line must appear once, as "${RULES_EXTENSION_KEYWORD} <version> sha256:<hex>"`,
      );
    }
    found = { version, hash };
  }
  return found;
};
