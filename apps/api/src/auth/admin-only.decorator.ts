import { SetMetadata } from '@nestjs/common';

export const IS_ADMIN_ONLY = 'traceroot:auth:admin-only';

/** The route (or every route of the controller) needs an admin key: a valid non-admin key gets 403. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(IS_ADMIN_ONLY, true);
