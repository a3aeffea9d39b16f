import type { CbvVocabulary } from '@traceroot/trace';

import { findIdentifierProblem } from './identifier-checks.js';
import { childPointer, showValue } from './json-pointer.js';
import type { ValidationFailure } from './validation-result.js';
import { findVocabularyProblem } from './vocabulary-checks.js';

// The semantic rules of one schema-valid event that the schema cannot express: GS1 identifiers
// and CBV vocabulary values, field by field. The event has passed the schema, so each field has
// the shape the schema gives it; the checks still test types, never assume them.

type Check = (value: unknown, pointer: string, out: ValidationFailure[]) => void;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const identifier: Check = (value, pointer, out) => {
  if (typeof value !== 'string') return;
  const problem = findIdentifierProblem(value);
  if (problem === undefined) return;
  out.push({
    pointer,
    message: `${pointer} ${showValue(value)} is not a valid ${problem.kind}: ${problem.reason}`,
    exception: 'ValidationException',
  });
};

const vocabulary =
  (kind: CbvVocabulary): Check =>
  (value, pointer, out) => {
    if (typeof value !== 'string') return;
    const problem = findVocabularyProblem(kind, value);
    if (problem === undefined) return;
    out.push({
      pointer,
      message: `${pointer} ${showValue(value)} ${problem}`,
      exception: 'ValidationException',
    });
  };

const each =
  (check: Check): Check =>
  (value, pointer, out) => {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i += 1) check(value[i], childPointer(pointer, i), out);
  };

/** A structure whose named fields have checks of their own. */
const fields = (checks: Readonly<Record<string, Check>>): Check => {
  const entries = Object.entries(checks);
  return (value, pointer, out) => {
    if (!isObject(value)) return;
    for (const [field, check] of entries) {
      if (value[field] !== undefined) check(value[field], childPointer(pointer, field), out);
    }
  };
};

const identifiers = each(identifier);
const quantities = each(fields({ epcClass: identifier }));
const location = fields({ id: identifier });
// CBV 2.0 §8.5 (source/destination): the value names a party or a location, often a PGLN or SGLN.
const typedLinks = (name: string, kind: CbvVocabulary): Check =>
  each(fields({ type: vocabulary(kind), [name]: identifier }));

const EVENT_CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['epcList', identifiers],
  ['parentID', identifier],
  ['childEPCs', identifiers],
  ['inputEPCList', identifiers],
  ['outputEPCList', identifiers],
  ['quantityList', quantities],
  ['childQuantityList', quantities],
  ['inputQuantityList', quantities],
  ['outputQuantityList', quantities],
  ['readPoint', location],
  ['bizLocation', location],
  ['bizStep', vocabulary('bizStep')],
  ['disposition', vocabulary('disposition')],
  [
    'persistentDisposition',
    fields({ set: each(vocabulary('disposition')), unset: each(vocabulary('disposition')) }),
  ],
  ['bizTransactionList', typedLinks('bizTransaction', 'bizTransactionType')],
  ['sourceList', typedLinks('source', 'sourceDestType')],
  ['destinationList', typedLinks('destination', 'sourceDestType')],
  ['errorDeclaration', fields({ reason: vocabulary('errorReason') })],
  [
    'sensorElementList',
    each(
      fields({
        sensorReport: each(
          fields({
            type: vocabulary('measurementType'),
            exception: vocabulary('sensorAlertType'),
            component: vocabulary('component'),
          }),
        ),
      }),
    ),
  ],
]);

/**
 * Every identifier and vocabulary failure of a schema-valid event at `pointer`, in field order.
 * Identifiers: epcList, parentID, childEPCs, input/outputEPCList, the epcClass of every quantity
 * list, readPoint and bizLocation ids, bizTransaction, source and destination values. Vocabulary:
 * bizStep, disposition, persistentDisposition, bizTransaction/source/destination types, the
 * error declaration's reason, and sensor report type, exception and component.
 */
export const checkEventFields = (
  event: Readonly<Record<string, unknown>>,
  pointer: string,
): ValidationFailure[] => {
  const out: ValidationFailure[] = [];
  for (const key of Object.keys(event)) {
    const check = EVENT_CHECKS.get(key);
    if (check !== undefined) check(event[key], childPointer(pointer, key), out);
  }
  return out;
};
