import { Module } from '@nestjs/common';

import { AdminController } from './admin.controller.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';

/**
 * Organizations, API keys and the admin routes. Needs PrismaService (the global DatabaseModule)
 * and ENV (the global ConfigModule). The app makes the guard global:
 * `{ provide: APP_GUARD, useExisting: ApiKeyGuard }` in a module that imports this one.
 */
@Module({
  controllers: [AdminController],
  providers: [AuthRepository, AuthService, ApiKeyGuard],
  exports: [AuthService, ApiKeyGuard],
})
export class AuthModule {}
