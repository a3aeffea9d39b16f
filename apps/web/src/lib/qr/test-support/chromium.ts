import { type Browser, chromium } from 'playwright-core';

// Tests only: Debian's Chromium driven by playwright-core (no browser download; STACK-NOTES §7).
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
