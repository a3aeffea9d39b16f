import { Module } from '@nestjs/common';

import { ApiKeyGuard } from './api-key.guard.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';

/**
 * Organizations, API keys and the guard. Needs PrismaService (the global DatabaseModule) and ENV
 * (the global ConfigModule), nothing of the log: the /admin routes are AdminModule's. The app
 * makes the guard global: `{ provide: APP_GUARD, useExisting: ApiKeyGuard }` in a module that
 * imports this one.
 */
@Module({
  providers: [AuthRepository, AuthService, ApiKeyGuard],
  exports: [AuthRepository, AuthService, ApiKeyGuard],
})
export class AuthModule {}
