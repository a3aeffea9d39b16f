import type { Runtime } from './runtime.js';

/** What the banner says about the demo data loaded on this start (or why it was not). */
export type DemoBanner =
  | { loaded: true; productPage: string; qrCode: string; recalledLotPage: string }
  | { loaded: false; reason: string };

/** What a person starting the service needs to see once: where it is and how to use it. */
export const printBanner = (input: {
  /** The API's own address (PORT). */
  apiUrl: string;
  /** The web app's public base (PUBLIC_BASE_URL): consumer pages and QR codes. */
  publicBaseUrl: string;
  runtime: Runtime;
  firstOrganization: { name: string; apiKey: string } | null;
  /** API processes serving the port (API_WORKERS). */
  workers?: number;
  demo?: DemoBanner | null;
}): void => {
  const { apiUrl, publicBaseUrl, runtime, firstOrganization, workers = 1, demo = null } = input;
  const lines = [
    '',
    `Traceroot ledger service is running at ${apiUrl}`,
    `  database:      ${runtime.embedded ? 'embedded PGlite (set DATABASE_URL for a PostgreSQL server)' : 'PostgreSQL (DATABASE_URL)'}`,
    ...(workers > 1 ? [`  processes:     ${workers} (API_WORKERS), one sealer at a time`] : []),
    `  API docs:      ${apiUrl}/docs`,
    `  checkpoint:    ${apiUrl}/log/checkpoint`,
    `  web pages:     ${publicBaseUrl} (PUBLIC_BASE_URL)`,
    `  log origin:    ${runtime.ledger.origin}`,
    `  verifier key:  ${runtime.ledger.verifierKey}`,
    ...(runtime.generatedLogKey
      ? [
          '  (a development signing key was generated and kept in DATA_DIR; configure LOG_SIGNING_KEY for production)',
        ]
      : []),
    ...(runtime.generatedKek
      ? [
          '  (a development key-encryption key was generated and kept in DATA_DIR/kek.key; configure TRACEROOT_KEK_FILE for production)',
        ]
      : []),
    ...(firstOrganization
      ? [
          '',
          `First run: created the organization "${firstOrganization.name}". Its API key (shown once, keep it):`,
          `  ${firstOrganization.apiKey}`,
          `  e.g. curl -H 'Authorization: Bearer ${firstOrganization.apiKey}' -H 'Content-Type: application/json' --data @document.jsonld ${apiUrl}/capture`,
        ]
      : []),
    ...(demo?.loaded === true
      ? [
          '',
          'Demo data loaded (a Pu’er tea cake from Yunnan; strawberries from California with a recall):',
          `  product page:  ${demo.productPage}`,
          `  its QR code:   ${demo.qrCode}`,
          `  recalled lot:  ${demo.recalledLotPage}`,
        ]
      : demo?.loaded === false
        ? ['', `Demo data not loaded: ${demo.reason}`]
        : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};
