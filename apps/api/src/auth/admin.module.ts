import { Module } from '@nestjs/common';

import { AdminRecordsModule } from '../admin-records/admin-records.module.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { AuthModule } from './auth.module.js';

/**
 * The /admin routes: organizations, API keys and the record of administrative actions. Needs the
 * log (LedgerModule, EventsModule): every change is recorded there. Imports AdminRecordsModule,
 * which is global, so AdminRecordsService is then injectable everywhere.
 */
@Module({
  imports: [AuthModule, AdminRecordsModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
