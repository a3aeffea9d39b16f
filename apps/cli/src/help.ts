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
  audit --url URL | --database-url URL
                               Recompute every leaf of a log from its stored events and every
                               checkpoint root, and name the first mismatch (leaf index and
                               eventID, checkpoint tree size, or tree node level and index, and
                               what differed). Streams: memory stays small whatever the log's size.
                               --url URL           a running service (its public /log endpoints);
                                                   cannot check the stored tree nodes proofs are
                                                   served from (no endpoint lists them)
                               --database-url URL  its PostgreSQL database, read by the service's
                                                   own audit script (apps/api/dist/audit/main.js);
                                                   also checks every stored tree node (log_nodes)
                                                   against the leaves, and that none is missing;
                                                   keep the password in PGPASSWORD or ~/.pgpass
                               --key VERIFIER-KEY  trusted verifier key (repeatable, required)
                               --origin ORIGIN     require this log origin
                               --json              print the whole result as JSON (--url only)
  monitor URL                  Fetch the newest checkpoint of the log at URL, verify it, and
                               prove it extends the last one verified (consistency proof, and
                               the checkpoint chain when it can be walked). A split view (a
                               failing proof, a smaller tree, another root for one size) is
                               printed loudly on stderr with both checkpoints, and exits 1.
                               The first run trusts the checkpoint on first use.
                               --key VERIFIER-KEY  trusted verifier key (repeatable, required)
                               --origin ORIGIN     the log's origin (default: the key's name)
                               --state FILE        where the last verified checkpoint is kept
                                                   (default ~/.traceroot/monitor-<origin hash>.json,
                                                   replaced atomically)
                               --once              check once and exit (the default)
                               --interval SECONDS  keep checking every SECONDS (exits on a
                                                   finding; an unreachable log is retried)
  rules check FILE|- | --url URL
                               Replay the published rules over a log's events, in leaf index
                               order, and compare every verdict with the service's. FILE is what
                               GET /log/leaves serves (a page, an array of leaves or JSON lines).
                               Exits 1 naming each event whose verdict differs. A differing
                               verdict on fields this viewer cannot see (withheld here, or in an
                               earlier event naming the same items) is reported as not checkable.
                               Prints progress on stderr every 10,000 events.
                               --url URL  a running service (its public /log/leaves)
                               --json     print the whole result as JSON
  rules --rules                Print the rule set and its hash (what GET /rules serves).
  admin create-organization NAME
                               Create an organization on a running service and print its first
                               API key. --gln GLN  the organization's GS1 GLN (13 digits)
  admin create-api-key ORG-ID  Print a new API key for organization ORG-ID.
                               --scopes S,…      capture, query, admin (default: capture,query;
                                                 admin: administer ORG-ID only)
                               --expires-at T    an RFC 3339 instant after which it is refused
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
  1  the input is invalid or verification failed, an audit found a mismatch, a monitor found a
     split view, a rules check found a different verdict, or the service refused an admin
     request (HTTP 4xx); the reason is printed
  2  usage error: unknown command, missing or malformed argument
  3  a file could not be read, or is not JSON; or the service could not be reached or failed

Examples:
  traceroot event-hash capture.jsonld
  traceroot dl 'https://id.gs1.org/01/09520123456788/10/ABC123'
  traceroot epc urn:epc:id:sgtin:9520123.045678.1001
  traceroot epc https://id.gs1.org/01/09520123456788/21/1001 --gcp-length 7
  traceroot keygen trace.example.com/log
  traceroot verify bundle.json --key 'trace.example.com/log+1a2b3c4d+AT…'
  traceroot audit --url http://localhost:3000 --key 'trace.example.com/log+1a2b3c4d+AT…'
  traceroot monitor https://trace.example.com --key 'trace.example.com/log+1a2b3c4d+AT…' --interval 600
  traceroot rules check --url http://localhost:3000
  traceroot admin create-organization 'Acme Foods' --gln 9520123456788 --url http://localhost:3000
`;
