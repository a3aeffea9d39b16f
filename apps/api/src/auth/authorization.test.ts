import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../common/errors/domain-error.js';
import {
  canAdministerOrganization,
  hasScope,
  ORGANIZATION_NOT_FOUND,
  requireOrganizationAdmin,
  requireScope,
} from './authorization.js';
import { type ApiKeyScope, BOOTSTRAP_PRINCIPAL, type Principal } from './principal.js';

const X = '0b9c5f0e-3d7a-4c55-9f3e-2a1b4c6d8e0f';
const Y = '6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6';

const keyOf = (
  organizationId: string | null,
  scopes: ApiKeyScope[],
  isAdmin = false,
): Principal => ({
  organizationId,
  isAdmin,
  keyId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  scopes,
});

const thrown = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe(hasScope.name, () => {
  it('holds exactly the stored scopes of an organization key', () => {
    const key = keyOf(X, ['capture']);
    expect(hasScope(key, 'capture')).toBe(true);
    expect(hasScope(key, 'query')).toBe(false);
    expect(hasScope(key, 'admin')).toBe(false);
  });

  it('gives the operator admin whatever its stored scopes, and nothing more', () => {
    const operator = keyOf(null, ['capture', 'query'], true);
    expect(hasScope(operator, 'admin')).toBe(true);
    expect(hasScope(BOOTSTRAP_PRINCIPAL, 'admin')).toBe(true);
    expect(hasScope(BOOTSTRAP_PRINCIPAL, 'capture')).toBe(false);
  });
});

describe(requireScope.name, () => {
  it('throws FORBIDDEN naming the missing scope', () => {
    expect(thrown(() => requireScope(keyOf(X, ['query']), 'capture'))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'this API key lacks the capture scope, which this request needs',
    });
    expect(() => requireScope(keyOf(X, ['capture']), 'capture')).not.toThrow();
  });
});

describe(requireOrganizationAdmin.name, () => {
  it('lets the operator administer any organization ID', () => {
    for (const principal of [BOOTSTRAP_PRINCIPAL, keyOf(X, ['capture'], true)]) {
      expect(canAdministerOrganization(principal, Y)).toBe(true);
      expect(() => requireOrganizationAdmin(principal, Y)).not.toThrow();
    }
  });

  it("lets an organization's admin key administer its own organization, in either case", () => {
    const key = keyOf(X, ['admin']);
    expect(() => requireOrganizationAdmin(key, X)).not.toThrow();
    expect(() => requireOrganizationAdmin(key, X.toUpperCase())).not.toThrow();
  });

  it('answers another organization, an unknown ID and a malformed one with one NOT_FOUND', () => {
    const key = keyOf(X, ['admin', 'capture', 'query']);
    const errors = [Y, 'not-a-uuid', ''].map((id) =>
      thrown(() => requireOrganizationAdmin(key, id)),
    );
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: ORGANIZATION_NOT_FOUND });
    }
    expect(canAdministerOrganization(key, Y)).toBe(false);
  });

  it('refuses a key without the admin scope with FORBIDDEN, even for its own organization', () => {
    expect(thrown(() => requireOrganizationAdmin(keyOf(X, ['capture', 'query']), X))).toMatchObject(
      { code: 'FORBIDDEN' },
    );
    expect(canAdministerOrganization(keyOf(X, ['capture', 'query']), X)).toBe(false);
  });
});
