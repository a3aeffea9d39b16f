// The service loading its own demo (npm start on a first run, npm run demo): organizations are
// made through AuthService directly, so no admin key has to exist for it; everything else goes
// over HTTP like any client's requests.
import type { INestApplication } from '@nestjs/common';

import { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { DemoBanner } from '../startup/banner.js';
import { type CreateOrganization, loadDemo } from './load-demo.js';
import { demoUrls } from './scenarios/index.js';

export const organizationsOf =
  (app: INestApplication): CreateOrganization =>
  async (organization) => {
    try {
      const { id, apiKey } = await app.get(AuthService).createOrganization(organization);
      return { id, apiKey };
    } catch (error) {
      const isGlnTaken =
        error instanceof DomainError &&
        error.code === 'VALIDATION_FAILED' &&
        error.message.includes('GLN already exists');
      if (isGlnTaken) return null;
      throw error;
    }
  };

/**
 * Loads the demo into this very service (listening on `port`), printing progress lines, and says
 * what the banner should show. Never throws: a demo that fails to load leaves the service running.
 */
export const loadOwnDemo = async (
  app: INestApplication,
  port: number,
  publicBaseUrl: string,
): Promise<DemoBanner> => {
  try {
    await loadDemo({
      baseUrl: `http://127.0.0.1:${port}`,
      createOrganization: organizationsOf(app),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const urls = demoUrls(publicBaseUrl);
    return {
      loaded: true,
      productPage: urls.teaCakePage,
      qrCode: urls.teaCakeQrCode,
      recalledLotPage: urls.recalledStrawberryLotPage,
    };
  } catch (error) {
    return { loaded: false, reason: error instanceof Error ? error.message : String(error) };
  }
};
