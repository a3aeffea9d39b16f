import { type Browser, chromium } from 'playwright-core';

// Tests only: Debian's Chromium driven by playwright-core (no browser download; STACK-NOTES §7),
// with the flags that keep it off this machine's closed network (no background connections).
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
