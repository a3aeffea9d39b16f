import type { IncomingMessage } from 'node:http';

import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';

import { DomainError } from '../common/errors/domain-error.js';
import { IS_ADMIN_ONLY } from './admin-only.decorator.js';
import { AuthService } from './auth.service.js';
import { requireScope } from './authorization.js';
import type { ApiKeyScope } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';
import { setPrincipal } from './request-principal.js';
import { REQUIRED_SCOPE } from './require-scope.decorator.js';

/**
 * Authenticates every request by its `Authorization: Bearer <API key>` header, unless the route is
 * @Public() and no key is sent; refuses non-admin keys on @AdminOnly() routes and keys without
 * the scope of a @RequireScope() route (403). Meant to be the app's APP_GUARD, so a route is
 * protected unless it says otherwise. Nothing is cached: an expired or revoked key fails on its
 * very next request.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
    const isAdminOnly = this.reflector.getAllAndOverride<boolean | undefined>(
      IS_ADMIN_ONLY,
      targets,
    );
    const requiredScope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(
      REQUIRED_SCOPE,
      targets,
    );
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const header = request.headers.authorization;

    if (isPublic === true && header === undefined) {
      setPrincipal(request, null);
      return true;
    }
    const principal = await this.auth.authenticate(header).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') {
        this.challenge(http.getResponse(), header !== undefined);
      }
      throw error;
    });
    if (isAdminOnly === true && !principal.isAdmin) {
      throw new DomainError('FORBIDDEN', 'this route needs an admin API key');
    }
    if (requiredScope !== undefined) requireScope(principal, requiredScope);
    setPrincipal(request, principal);
    return true;
  }

  // RFC 9110 §11.6.1: a 401 names the scheme to use; RFC 6750 §3.1 adds why a sent token failed.
  private challenge(response: unknown, wasKeySent: boolean): void {
    const value = wasKeySent
      ? 'Bearer realm="traceroot", error="invalid_token"'
      : 'Bearer realm="traceroot"';
    this.adapterHost.httpAdapter.setHeader(response, 'WWW-Authenticate', value);
  }
}
