import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'traceroot:auth:public';

/**
 * The route (or every route of the controller) needs no API key: reads of public log data,
 * health, discovery. A key that is sent anyway is still checked (a bad one gets 401), so public
 * reads can show a caller more once visibility rules arrive.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
