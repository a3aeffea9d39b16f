export const HELP = `traceroot — verify Traceroot logs offline and work with GS1 identifiers

Usage: traceroot <command> [arguments] [options]

Commands:
  event-hash FILE|-            Print the CBV 2.0 event hash ID of every event of an EPCIS 2.0
                               JSON or JSON-LD document, in document order, one per line.
                               --prehash  also print each event's pre-hash string (debugging)
  dl URI                       Parse a GS1 Digital Link URI and print its parts as JSON.
  epc URN-or-URI               Convert an EPC URN to a Digital Link URI, or back.
                               --gcp-length N  GS1 Company Prefix length (6–12), required for
                                               Digital Link → EPC URN
                               --base URL      Digital Link base (default https://id.gs1.org)
  keygen NAME                  Print a new Ed25519 signer key (line 1, keep it secret) and its
                               verifier key (line 2, publish it). NAME is the log's key name,
                               usually its origin, e.g. trace.example.com/log.
  verify BUNDLE.json|-         Verify a trace bundle offline against a key you trust.
                               --key VERIFIER-KEY  trusted verifier key (repeatable, required)
                               --origin ORIGIN     require this log origin
                               --json              print the full verdict as JSON
  admin create-organization NAME
                               Create an organization on a running service and print its first
                               API key. --gln GLN  the organization's GS1 GLN (13 digits)
  admin create-api-key ORG-ID  Print a new API key for organization ORG-ID.
  admin revoke-api-key KEY-ID  Revoke an API key: its next request is refused.
                               The admin commands call the service's /admin API; new keys go to
                               stdout (shown once: only their hash is kept), notes to stderr.
                               --url URL  the service (default http://localhost:3000)
                               --key KEY  an admin API key (default: $TRACEROOT_BOOTSTRAP_API_KEY,
                                          which keeps the key out of the process list)
                               --json     print the service's whole answer as JSON

Options:
  -h, --help                   Show this help (also: traceroot <command> --help).
  -v, --version                Show the version.

Exit codes:
  0  success (the bundle verified, the identifier is valid, …)
  1  the input is invalid or verification failed, or the service refused an admin request
     (HTTP 4xx); the reason is printed on stderr
  2  usage error: unknown command, missing or malformed argument
  3  a file could not be read, or is not JSON; or the service could not be reached or failed

Examples:
  traceroot event-hash capture.jsonld
  traceroot dl 'https://id.gs1.org/01/09520123456788/10/ABC123'
  traceroot epc urn:epc:id:sgtin:9520123.045678.1001
  traceroot epc https://id.gs1.org/01/09520123456788/21/1001 --gcp-length 7
  traceroot keygen trace.example.com/log
  traceroot verify bundle.json --key 'trace.example.com/log+1a2b3c4d+AT…'
  traceroot admin create-organization 'Acme Foods' --gln 9520123456788 --url http://localhost:3000
`;
