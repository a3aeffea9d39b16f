import type { IncomingMessage } from 'node:http';

import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';

import type { Principal } from './principal.js';
import { getPrincipal } from './request-principal.js';

/**
 * The caller's {@link Principal}; on a @Public() route, null when no key was sent (type the
 * parameter `Principal | null` there). Throws (a 500) when ApiKeyGuard did not run, so a wiring
 * mistake cannot pass as an anonymous caller.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | null => {
    const principal = getPrincipal(context.switchToHttp().getRequest<IncomingMessage>());
    if (principal === undefined) {
      throw new Error('@CurrentPrincipal() needs ApiKeyGuard: register it as APP_GUARD');
    }
    return principal;
  },
);
