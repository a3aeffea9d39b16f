import { SetMetadata } from '@nestjs/common';

import type { ApiKeyScope } from './principal.js';

export const REQUIRED_SCOPE = 'traceroot:auth:required-scope';

/**
 * The route (or every route of the controller; a route's own decorator wins) needs a key with
 * `scope`: ApiKeyGuard answers any other key with 403 naming the missing scope. An operator key
 * (`isAdmin`) holds `admin` whatever its stored scopes (see hasScope).
 */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, scope);
