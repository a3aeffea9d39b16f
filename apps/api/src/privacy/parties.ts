import { indexedForm } from '../events/indexed-identifier.js';

const PARTY_OR_LOCATION = /^https:\/\/id\.gs1\.org\/(?:417|414)\/(\d{13})(?:\/|$)/;
const BIZ_TRANSACTION = /^urn:epcglobal:cbv:bt:(\d{13}):/i;

const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

/**
 * The GLNs of the parties an event names (restricted sharing, docs/specs/privacy.md): every
 * source and destination that is a party (PGLN) or a location (SGLN), as an EPC URI or a Digital
 * Link (/417/, /414/), and the issuer of every business transaction identifier of the CBV form
 * `urn:epcglobal:cbv:bt:{GLN}:{id}`. Sorted, without duplicates.
 */
export const partiesOf = (event: Readonly<Record<string, unknown>>): string[] => {
  const found = new Set<string>();
  const add = (id: unknown, pattern: RegExp, form: (s: string) => string): void => {
    if (typeof id !== 'string') return;
    const match = pattern.exec(form(id.trim()));
    if (match) found.add(match[1]!);
  };
  for (const entry of objects(event.sourceList)) add(entry.source, PARTY_OR_LOCATION, indexedForm);
  for (const entry of objects(event.destinationList)) {
    add(entry.destination, PARTY_OR_LOCATION, indexedForm);
  }
  for (const entry of objects(event.bizTransactionList)) {
    add(entry.bizTransaction, BIZ_TRANSACTION, (s) => s);
  }
  return [...found].sort();
};
