import { z } from 'zod';

/**
 * Field visibility (docs/specs/privacy.md). Every committed field of an event — a top-level
 * member (`bizStep`, `example:price`) or an ILMD member (`ilmd/cbvmda:lotNumber`) — is
 * `public` (everyone), `partner` (the owner and the partners its sharing mode admits) or
 * `private` (the owner only). Ordered: a later one is stricter.
 */
export const VISIBILITIES = ['public', 'partner', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * Who the partner fields are shared with (IBM Food Trust's model): `restricted`, the parties the
 * event names in its source/destination lists or business transactions; `linked`, those and
 * every organization that recorded an event naming one of the identifiers this event names.
 */
export const SHARING_MODES = ['restricted', 'linked'] as const;
export type SharingMode = (typeof SHARING_MODES)[number];

/**
 * An organization's policy. `fields` maps a field name or a pattern (`*` matches any run of
 * characters; case-insensitive) to a visibility; the most specific entry wins (an exact name,
 * else the pattern with the most literal characters, ties to the stricter); `default` covers
 * the rest.
 */
export type Policy = {
  sharing: SharingMode;
  default: Visibility;
  fields: Readonly<Record<string, Visibility>>;
};

/**
 * Fields the log itself needs in the open: the event's identity, time and type, its JSON-LD
 * context (needed to recompute the event hash ID) and the service's pseudo-fields. No policy can
 * hide them.
 */
export const ALWAYS_PUBLIC: ReadonlySet<string> = new Set([
  'type',
  'eventID',
  'eventTime',
  'eventTimeZoneOffset',
  'recordTime',
  '@context',
  '@ruleSet',
]);

/**
 * The default policy: product, lot, place, time and the parties of a hand-off are public;
 * business transactions, prices and people's names and contact data (in extensions and ILMD)
 * are private; CBV master data attributes in ILMD are public; anything else is public.
 */
export const DEFAULT_POLICY: Policy = Object.freeze({
  sharing: 'restricted',
  default: 'public',
  fields: Object.freeze({
    bizTransactionList: 'private',
    'ilmd/cbvmda:*': 'public',
    '*price*': 'private',
    '*cost*': 'private',
    '*invoice*': 'private',
    '*amount*': 'private',
    '*name*': 'private',
    '*person*': 'private',
    '*contact*': 'private',
    '*phone*': 'private',
    '*email*': 'private',
    '*address*': 'private',
  }),
});

const RANK: Readonly<Record<Visibility, number>> = { public: 0, partner: 1, private: 2 };

/** The stricter of two visibilities. */
export const stricter = (a: Visibility, b: Visibility): Visibility => (RANK[a] >= RANK[b] ? a : b);

type CompiledEntry = {
  exact: string | null;
  pattern: RegExp | null;
  weight: number;
  visibility: Visibility;
};

/** A policy made ready to classify many fields quickly (patterns compiled once, results cached). */
export type CompiledPolicy = {
  readonly policy: Policy;
  visibilityOf(this: void, field: string): Visibility;
};

const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

export const compilePolicy = (policy: Policy): CompiledPolicy => {
  const entries: CompiledEntry[] = Object.entries(policy.fields).map(([key, visibility]) =>
    key.includes('*')
      ? {
          exact: null,
          pattern: new RegExp(`^${key.split('*').map(escape).join('.*')}$`, 'is'),
          weight: key.replaceAll('*', '').length,
          visibility,
        }
      : { exact: key, pattern: null, weight: Number.POSITIVE_INFINITY, visibility },
  );
  const cache = new Map<string, Visibility>();
  const classify = (field: string): Visibility => {
    if (ALWAYS_PUBLIC.has(field)) return 'public';
    let best: CompiledEntry | null = null;
    for (const entry of entries) {
      const hit = entry.exact !== null ? entry.exact === field : entry.pattern!.test(field);
      if (!hit) continue;
      if (
        best === null ||
        entry.weight > best.weight ||
        (entry.weight === best.weight && RANK[entry.visibility] > RANK[best.visibility])
      ) {
        best = entry;
      }
    }
    return best?.visibility ?? policy.default;
  };
  return {
    policy,
    visibilityOf(this: void, field) {
      let found = cache.get(field);
      if (found === undefined) {
        found = classify(field);
        if (cache.size < 10_000) cache.set(field, found);
      }
      return found;
    },
  };
};

const visibilitySchema = z.enum(VISIBILITIES, {
  error: `must be one of ${VISIBILITIES.join(', ')}`,
});

const FIELD_KEY = /^[^\s]{1,200}$/;

/** PUT /admin/organizations/{id}/policy: a whole policy; fields that must stay public are refused. */
export const policySchema = z.strictObject({
  sharing: z.enum(SHARING_MODES, { error: `must be one of ${SHARING_MODES.join(', ')}` }),
  default: visibilitySchema,
  fields: z
    .record(
      z.string().regex(FIELD_KEY, 'must be a field name or pattern without spaces'),
      visibilitySchema,
    )
    .superRefine((fields, context) => {
      if (Object.keys(fields).length > 500) {
        context.addIssue({ code: 'custom', message: 'must have at most 500 entries' });
      }
      for (const [key, visibility] of Object.entries(fields)) {
        if (ALWAYS_PUBLIC.has(key) && visibility !== 'public') {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `${key} is always public: the log needs it to identify and order the event`,
          });
        }
      }
    }),
});

/**
 * The tightening a capture asks for in its `Traceroot-Field-Visibility` header: a comma-separated
 * list of `field=visibility` (e.g. `bizLocation=private, ilmd/tr:grower=partner`). It can only
 * make fields stricter than the policy; a field that must stay public cannot be tightened.
 * Returns null for no header; throws a message naming the fault.
 */
export const parseTightening = (
  header: string | undefined,
): Readonly<Record<string, Visibility>> | null => {
  if (header === undefined || header.trim() === '') return null;
  const out: Record<string, Visibility> = {};
  for (const part of header.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const at = item.lastIndexOf('=');
    const field = at > 0 ? item.slice(0, at).trim() : '';
    const visibility = at > 0 ? item.slice(at + 1).trim() : '';
    if (
      field === '' ||
      !FIELD_KEY.test(field) ||
      !(VISIBILITIES as readonly string[]).includes(visibility)
    ) {
      throw new TighteningError(
        `'${item}' is not field=visibility with a visibility of ${VISIBILITIES.join(', ')}`,
      );
    }
    if (ALWAYS_PUBLIC.has(field) && visibility !== 'public') {
      throw new TighteningError(`${field} is always public and cannot be tightened`);
    }
    out[field] = visibility as Visibility;
  }
  return out;
};

export class TighteningError extends Error {}

/** The visibility of `field` under a compiled policy and a capture's tightening. */
export const fieldVisibility = (
  policy: CompiledPolicy,
  tightening: Readonly<Record<string, Visibility>> | null,
  field: string,
): Visibility => {
  const base = policy.visibilityOf(field);
  const asked = tightening?.[field];
  return asked === undefined ? base : stricter(base, asked);
};

/**
 * Fields an event of a type must show for the served event to stay valid EPCIS 2.0 (the JSON
 * schema's `required`, and of each `anyOf` group of alternatives at least one): they stay public
 * whatever the policy says. `anyOf`: when no present member of a group is public, its first
 * present member is.
 */
const STRUCTURE: Readonly<
  Record<string, { required: readonly string[]; anyOf: readonly (readonly string[])[] }>
> = {
  ObjectEvent: {
    required: ['action'],
    anyOf: [['epcList', 'quantityList', 'sensorElementList', 'readPoint']],
  },
  AggregationEvent: { required: ['action'], anyOf: [['childEPCs', 'childQuantityList']] },
  AssociationEvent: {
    required: ['action', 'parentID'],
    anyOf: [['childEPCs', 'childQuantityList']],
  },
  TransactionEvent: {
    required: ['action', 'bizTransactionList'],
    anyOf: [['epcList', 'quantityList']],
  },
  TransformationEvent: {
    required: [],
    anyOf: [
      ['inputEPCList', 'inputQuantityList', 'transformationID'],
      ['outputEPCList', 'outputQuantityList', 'transformationID'],
    ],
  },
};

/** The fields of `event` that stay public so that it remains valid EPCIS (see STRUCTURE). */
export const structuralFields = (
  event: Readonly<Record<string, unknown>>,
  isPublic: (field: string) => boolean,
): Set<string> => {
  const out = new Set<string>();
  const shape = typeof event.type === 'string' ? STRUCTURE[event.type] : undefined;
  if (shape === undefined) return out;
  for (const field of shape.required) if (field in event) out.add(field);
  for (const group of shape.anyOf) {
    const present = group.filter((field) => field in event);
    if (present.length > 0 && !present.some((field) => out.has(field) || isPublic(field))) {
      out.add(present[0]!);
    }
  }
  return out;
};
