// Loads the demo data set into a running Traceroot API over HTTP, as its parties would: one
// organization each (with its own API key), their master data, then their EPCIS capture documents
// in the order the events happened; it returns once every capture job has succeeded and a signed
// checkpoint covers every demo event. Progress goes to `log`, one line per step.
import {
  buildDemo,
  type DemoCapture,
  type DemoData,
  DEMO_FEATURED,
  type DemoOrganization,
} from './scenarios/index.js';

/** Creates an organization with its first API key; null when one with that GLN already exists. */
export type CreateOrganization = (organization: {
  name: string;
  gln: string;
}) => Promise<{ id: string; apiKey: string } | null>;

export type LoadDemoOptions = {
  /** The API, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An admin API key, for POST /admin/organizations; not needed with `createOrganization`. */
  adminKey?: string | undefined;
  /** Creates the organizations another way (the service loading its own demo, in-process). */
  createOrganization?: CreateOrganization | undefined;
  /** Events happen in the days before it; default now. */
  baseTime?: Date | undefined;
  log?: ((line: string) => void) | undefined;
  /** How long capture jobs and the seal may take, in all (default 120 s). */
  timeoutMs?: number | undefined;
};

export type LoadedOrganization = DemoOrganization & { id: string; apiKey: string };

export type LoadedDemo = {
  organizations: LoadedOrganization[];
  captures: number;
  events: number;
  /** The size of the signed checkpoint that covers every demo event. */
  treeSize: number;
  featured: typeof DEMO_FEATURED;
};

export type DemoErrorCode = 'ALREADY_LOADED' | 'REFUSED' | 'TIMED_OUT';

export class DemoError extends Error {
  override readonly name = 'DemoError';

  constructor(
    readonly code: DemoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const POLL_MS = 100;

type Problem = { detail?: string; errors?: { pointer?: string; detail?: string }[] };

/** What an error response says, for a message: its problem detail, or its first 300 characters. */
const describe = async (response: Response): Promise<string> => {
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as Problem;
    const details = (problem.errors ?? []).map((e) => e.detail).filter(Boolean);
    return `${response.status} ${[problem.detail, ...details.slice(0, 3)].filter(Boolean).join('; ')}`;
  } catch {
    return `${response.status} ${text.slice(0, 300)}`;
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly deadline: number,
  ) {}

  request(
    method: string,
    path: string,
    options: { key?: string | undefined; body?: unknown; type?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  }

  async expect(
    status: readonly number[],
    what: string,
    method: string,
    path: string,
    options: { key?: string | undefined; body?: unknown; type?: string } = {},
  ): Promise<Response> {
    const response = await this.request(method, path, options);
    if (!status.includes(response.status)) {
      throw new DemoError(
        'REFUSED',
        `${what}: ${method} ${path} answered ${await describe(response)}`,
      );
    }
    return response;
  }

  /** Polls `check` until it returns a value; TIMED_OUT naming `what` at the deadline. */
  async until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > this.deadline) {
        throw new DemoError('TIMED_OUT', `timed out waiting for ${what}`);
      }
      await sleep(POLL_MS);
    }
  }
}

/** POST /admin/organizations with an admin key; a GLN conflict (400 on /gln) is null. */
const overHttp =
  (api: Api, adminKey: string): CreateOrganization =>
  async (organization) => {
    const response = await api.request('POST', '/admin/organizations', {
      key: adminKey,
      body: organization,
    });
    if (response.status === 201) return (await response.json()) as { id: string; apiKey: string };
    const text = await response.text();
    const problem = ((): Problem => {
      try {
        return JSON.parse(text) as Problem;
      } catch {
        return {};
      }
    })();
    if (response.status === 400 && problem.errors?.some((e) => e.pointer === '/gln')) return null;
    const hint =
      response.status === 401 || response.status === 403
        ? ' (it needs an admin API key, e.g. the service’s TRACEROOT_BOOTSTRAP_API_KEY)'
        : '';
    throw new DemoError(
      'REFUSED',
      `creating the organization "${organization.name}": POST /admin/organizations answered ${response.status} ${problem.detail ?? text.slice(0, 300)}${hint}`,
    );
  };

const createOrganizations = async (
  demo: DemoData,
  create: CreateOrganization,
  log: (line: string) => void,
): Promise<LoadedOrganization[]> => {
  const created: LoadedOrganization[] = [];
  for (const organization of demo.organizations) {
    const made = await create({ name: organization.name, gln: organization.gln });
    if (made === null) {
      throw created.length === 0
        ? new DemoError(
            'ALREADY_LOADED',
            `The demo is already loaded here: the organization with GLN ${organization.gln} ("${organization.name}") exists. Nothing was changed; to load the demo again, use an empty database (another DATA_DIR or DATABASE_URL).`,
          )
        : new DemoError(
            'REFUSED',
            `an organization with GLN ${organization.gln} ("${organization.name}") already exists, so the demo cannot be completed here; ${created.length} demo organizations were created before it. Load the demo into an empty database.`,
          );
    }
    created.push({ ...organization, ...made });
  }
  log(`  organizations: ${created.map((o) => o.name).join(', ')}`);
  return created;
};

const putMasterData = async (
  api: Api,
  demo: DemoData,
  keyOf: (owner: string) => string,
  log: (line: string) => void,
): Promise<void> => {
  const validFrom = demo.masterDataValidFrom;
  const { parties, locations, products, lots } = demo.masterData;
  const writes = [
    ...parties.map(({ owner, pgln, ...body }) => ({ owner, path: `parties/${pgln}`, body })),
    ...locations.map(({ owner, gln, ...body }) => ({ owner, path: `locations/${gln}`, body })),
    ...products.map(({ owner, gtin, ...body }) => ({ owner, path: `products/${gtin}`, body })),
    ...lots.map(({ owner, gtin, lot, ...body }) => ({
      owner,
      path: `products/${gtin}/lots/${encodeURIComponent(lot)}`,
      body,
    })),
  ];
  for (const { owner, path, body } of writes) {
    await api.expect([200, 201, 204], 'master data', 'PUT', `/masterdata/${path}`, {
      key: keyOf(owner),
      body: { ...body, validFrom },
    });
  }
  log(
    `  master data: ${parties.length} parties, ${locations.length} locations, ${products.length} products, ${lots.length} lots`,
  );
};

type CaptureJob = { running?: boolean; success?: boolean; errors?: unknown };

const capture = async (
  api: Api,
  item: DemoCapture,
  key: string,
): Promise<{ captureID: string; events: number }> => {
  const events = item.document.epcisBody.eventList.length;
  const response = await api.expect([202], `capturing ${events} events`, 'POST', '/capture', {
    key,
    body: item.document,
    type: 'application/ld+json',
  });
  const { captureID } = (await response.json()) as { captureID: string };
  const job = await api.until(`capture job ${captureID}`, async () => {
    const polled = await api.expect([200], 'capture job', 'GET', `/capture/${captureID}`, { key });
    const view = (await polled.json()) as CaptureJob;
    return view.running === false ? view : undefined;
  });
  if (job.success !== true) {
    throw new DemoError(
      'REFUSED',
      `capture job ${captureID} failed: ${JSON.stringify(job.errors).slice(0, 500)}`,
    );
  }
  return { captureID, events };
};

const summary = (
  events: readonly { type: string; bizStep?: unknown; disposition?: unknown }[],
): string => {
  const counts = new Map<string, number>();
  for (const event of events) {
    const what =
      typeof event.bizStep === 'string'
        ? event.bizStep
        : typeof event.disposition === 'string'
          ? event.disposition
          : event.type;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => (n > 1 ? `${n} × ${what}` : what)).join(', ');
};

// The tree size a C2SP checkpoint signs: its second line.
const treeSizeOf = (note: string): number => Number(note.split('\n')[1]);

/**
 * Loads the demo (scenarios 1 and 2) into the API at `baseUrl`. Refuses with ALREADY_LOADED,
 * changing nothing, when the demo's first organization exists there already.
 */
export const loadDemo = async (options: LoadDemoOptions): Promise<LoadedDemo> => {
  const log = options.log ?? (() => undefined);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const api = new Api(baseUrl, Date.now() + (options.timeoutMs ?? 120_000));
  const demo = buildDemo(options.baseTime ?? new Date());
  const create =
    options.createOrganization ??
    (options.adminKey === undefined ? undefined : overHttp(api, options.adminKey));
  if (create === undefined) {
    throw new DemoError('REFUSED', 'loading the demo needs an admin API key');
  }
  const total = demo.captures.reduce((n, c) => n + c.document.epcisBody.eventList.length, 0);
  log(
    `Loading the demo into ${baseUrl}: ${demo.organizations.length} organizations, ${total} events in ${demo.captures.length} captures`,
  );

  const organizations = await createOrganizations(demo, create, log);
  const keys = new Map(organizations.map((o) => [o.key, o.apiKey]));
  const names = new Map(organizations.map((o) => [o.key, o.name]));
  const keyOf = (owner: string): string => {
    const key = keys.get(owner);
    if (key === undefined) throw new Error(`no demo organization "${owner}"`); // a bug in the data
    return key;
  };
  await putMasterData(api, demo, keyOf, log);

  const width = String(demo.captures.length).length;
  for (const [i, item] of demo.captures.entries()) {
    const { events } = await capture(api, item, keyOf(item.by));
    log(
      `  capture ${String(i + 1).padStart(width)}/${demo.captures.length}: ${names.get(item.by)}: ${events === 1 ? '1 event' : `${events} events`} (${summary(item.document.epcisBody.eventList)})`,
    );
  }

  // The last event captured has the highest leaf index of the demo's events.
  const lastEvent = demo.captures.at(-1)!.document.epcisBody.eventList.at(-1)!;
  const eventId = String(lastEvent.eventID);
  const stored = await api.expect(
    [200],
    'the last demo event',
    'GET',
    `/events/${encodeURIComponent(eventId)}`,
  );
  const { leafIndex } = ((await stored.json()) as { ledger: { leafIndex: number } }).ledger;
  log(`  waiting for a signed checkpoint that covers leaf ${leafIndex}…`);
  const treeSize = await api.until('a signed checkpoint covering every demo event', async () => {
    const response = await api.request('GET', '/log/checkpoint');
    if (!response.ok) return undefined; // 404 until the first checkpoint
    const size = treeSizeOf(await response.text());
    return size > leafIndex ? size : undefined;
  });
  log(`  sealed: the checkpoint of tree size ${treeSize} covers all ${total} demo events`);
  return {
    organizations,
    captures: demo.captures.length,
    events: total,
    treeSize,
    featured: DEMO_FEATURED,
  };
};
