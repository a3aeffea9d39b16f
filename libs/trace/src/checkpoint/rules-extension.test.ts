import { describe, expect, it } from '@jest/globals';

import { isTraceError } from '../errors.js';
import { RULE_SET, ruleSetHash } from '../rules/index.js';
import {
  formatRulesExtension,
  readRulesExtension,
  RULES_EXTENSION_KEYWORD,
} from './rules-extension.js';

const HASH = `sha256:${'ab'.repeat(32)}`;
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isTraceError(error) ? error.code : 'not a TraceError';
  }
};

describe('the rule-set checkpoint line', () => {
  it('formats and reads back the published rule set', () => {
    const published = { version: RULE_SET.version, hash: ruleSetHash(RULE_SET) };
    const line = formatRulesExtension(published);
    expect(line).toBe(`traceroot.dev/rules ${RULE_SET.version} ${published.hash}`);
    expect(readRulesExtension(['traceroot.dev/prev x', line])).toEqual(published);
  });

  it('is absent from a checkpoint that names no rule set; other lines stay opaque', () => {
    expect(readRulesExtension([])).toBeNull();
    expect(readRulesExtension(['traceroot.dev/rulesets 1 x', 'Timestamp: 1'])).toBeNull();
  });

  it('refuses malformed or repeated lines, and bad values when formatting', () => {
    for (const lines of [
      [RULES_EXTENSION_KEYWORD],
      [`${RULES_EXTENSION_KEYWORD} 1.0.0`],
      [`${RULES_EXTENSION_KEYWORD} 1.0.0 sha256:ABCD`],
      [`${RULES_EXTENSION_KEYWORD} 1.0.0 ${HASH} extra`],
      [`${RULES_EXTENSION_KEYWORD} 1.0.0 ${HASH}`, `${RULES_EXTENSION_KEYWORD} 1.0.1 ${HASH}`],
    ]) {
      expect(codeOf(() => readRulesExtension(lines))).toBe('CHECKPOINT_MALFORMED');
    }
    expect(codeOf(() => formatRulesExtension({ version: 'a b', hash: HASH }))).toBe(
      'MALFORMED_INPUT',
    );
    expect(codeOf(() => formatRulesExtension({ version: '1', hash: 'md5:00' }))).toBe(
      'MALFORMED_INPUT',
    );
  });
});
