import type { Runtime } from './runtime.js';

/** What a person starting the service needs to see once: where it is and how to use it. */
export const printBanner = (input: {
  baseUrl: string;
  runtime: Runtime;
  firstOrganization: { name: string; apiKey: string } | null;
  /** API processes serving the port (API_WORKERS). */
  workers?: number;
}): void => {
  const { baseUrl, runtime, firstOrganization, workers = 1 } = input;
  const lines = [
    '',
    `Traceroot ledger service is running at ${baseUrl}`,
    `  database:      ${runtime.embedded ? 'embedded PGlite (set DATABASE_URL for a PostgreSQL server)' : 'PostgreSQL (DATABASE_URL)'}`,
    ...(workers > 1 ? [`  processes:     ${workers} (API_WORKERS), one sealer at a time`] : []),
    `  API docs:      ${baseUrl}/docs`,
    `  checkpoint:    ${baseUrl}/log/checkpoint`,
    `  log origin:    ${runtime.ledger.origin}`,
    `  verifier key:  ${runtime.ledger.verifierKey}`,
    ...(runtime.generatedLogKey
      ? [
          '  (a development signing key was generated and kept in DATA_DIR; configure LOG_SIGNING_KEY for production)',
        ]
      : []),
    ...(firstOrganization
      ? [
          '',
          `First run: created the organization "${firstOrganization.name}". Its API key (shown once, keep it):`,
          `  ${firstOrganization.apiKey}`,
          `  e.g. curl -H 'Authorization: Bearer ${firstOrganization.apiKey}' -H 'Content-Type: application/json' --data @document.jsonld ${baseUrl}/capture`,
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};
