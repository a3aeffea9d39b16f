import { Injectable } from '@nestjs/common';

import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { EpcFormat } from '../query/epc-format.js';
import { parseEventQuery } from '../query/event-query.js';
import { queryDocument } from '../query/query-document.js';
import { QueryService } from '../query/query.service.js';
import { decodeListToken, encodeListToken } from './list-token.js';
import { queryOwnerOf } from './owner.js';
import { parseCreateQueryBody, QUERY_NAME } from './requests.js';
import { type StoredNamedQuery, SubscriptionsRepository } from './subscriptions.repository.js';

/** A named query as the binding shows it (QueryDefinition). */
export type NamedQueryView = { name: string; query: Record<string, unknown> };

const viewOf = (stored: StoredNamedQuery): NamedQueryView => ({
  name: stored.name,
  query: stored.query,
});

/**
 * EPCIS 2.0 named queries (docs/specs/subscriptions.md): a SimpleEventQuery's parameters under a
 * name, owned by the organization whose key created it. Other organizations do not see it: for
 * them it does not exist (404), and they may create their own query of the same name.
 */
@Injectable()
export class NamedQueriesService {
  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly queries: QueryService,
  ) {}

  /**
   * Creates a named query. The query's parameters are checked exactly as GET /events checks
   * them (QueryParameterException naming a bad one); nothing is stored unless they are valid.
   */
  async create(principal: Principal, body: unknown): Promise<NamedQueryView> {
    const owner = queryOwnerOf(principal);
    const { name, query } = parseCreateQueryBody(body);
    parseEventQuery(query);
    const stored = await this.repository.insertNamedQuery(owner, name, query);
    if (stored === null) {
      throw new DomainError('ALREADY_EXISTS', `a query named ${name} already exists`, {
        errors: [{ pointer: '/name', message: `/name: a query named ${name} already exists` }],
      });
    }
    return viewOf(stored);
  }

  /** The organization's named queries, oldest first, in pages. */
  async list(
    principal: Principal,
    perPage: number,
    nextPageToken: string | undefined,
  ): Promise<{ queries: NamedQueryView[]; nextPageToken: string | null }> {
    const owner = queryOwnerOf(principal);
    const after = decodeListToken(nextPageToken);
    if (after !== null && !QUERY_NAME.test(after.key)) {
      throw new DomainError('QUERY_PARAMETER_INVALID', 'nextPageToken is not a token of this list');
    }
    const rows = await this.repository.listNamedQueries(
      owner,
      after === null ? null : { createdAt: after.createdAt, name: after.key },
      perPage + 1,
    );
    const page = rows.slice(0, perPage);
    const last = page.at(-1);
    return {
      queries: page.map(viewOf),
      nextPageToken:
        rows.length > perPage && last !== undefined
          ? encodeListToken({ createdAt: last.createdAt, key: last.name })
          : null,
    };
  }

  async get(principal: Principal, name: string): Promise<NamedQueryView> {
    return viewOf(await this.require(queryOwnerOf(principal), name));
  }

  /**
   * Deletes a named query and, as the binding says, "forcibly unsubscribes all active
   * subscriptions": they are deleted with it, and no callback starts after the commit.
   */
  async delete(principal: Principal, name: string): Promise<void> {
    const owner = queryOwnerOf(principal);
    if (!QUERY_NAME.test(name) || !(await this.repository.deleteNamedQuery(owner, name))) {
      throw noSuchQuery(name);
    }
  }

  /** One page of the query's results: the EPCISQueryDocument GET /events would answer. */
  async events(
    principal: Principal,
    name: string,
    options: { perPage: number; nextPageToken?: string; epcFormat: EpcFormat },
  ): Promise<{ document: Record<string, unknown>; nextPageToken: string | null }> {
    const stored = await this.require(queryOwnerOf(principal), name);
    const page = await this.queries.page(parseEventQuery(stored.query), {
      ...options,
      reader: principal,
    });
    return { document: queryDocument(stored.name, page.events), nextPageToken: page.nextPageToken };
  }

  /** The organization's query of this name; NOT_FOUND (NoSuchNameException) otherwise. */
  async require(organizationId: string, name: string): Promise<StoredNamedQuery> {
    const stored = QUERY_NAME.test(name)
      ? await this.repository.findNamedQuery(organizationId, name)
      : null;
    if (stored === null) throw noSuchQuery(name);
    return stored;
  }
}

export const noSuchQuery = (name: string): DomainError =>
  new DomainError('NOT_FOUND', `no query named ${name.slice(0, 200)}`, {
    epcisException: 'NoSuchNameException',
  });
