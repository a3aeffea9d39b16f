// Which callback destinations a subscription may have (SSRF protection). A subscriber chooses
// `dest`, and the service POSTs to it from inside its own network: without a check, anyone with a
// query key could make the service call its database, a cloud metadata endpoint
// (169.254.169.254) or an admin port on localhost. So `dest` must be an http(s) URL without
// credentials, and unless SUBSCRIPTION_ALLOW_PRIVATE_DEST=1 every address it resolves to must be
// public: the check runs on the addresses the connection actually uses (webhook-client.ts
// resolves, vets, and connects to the vetted address), so DNS rebinding cannot slip past it.
import { BlockList, isIP } from 'node:net';

/** Why a destination is refused; the message names no secret. */
export class DestinationError extends Error {
  override readonly name = 'DestinationError';
}

// Special-purpose address blocks (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890)
// that are not globally reachable, plus multicast.
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

// An IPv6 address that embeds an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
// NAT64 64:ff9b::a.b.c.d): judged by the IPv4 address it reaches.
const EMBEDDED_IPV4 =
  /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

const embeddedIpv4 = (address: string): string | null => {
  const match = EMBEDDED_IPV4.exec(address);
  if (!match) return null;
  if (match[1] !== undefined) return match[1];
  const high = parseInt(match[2] ?? '0', 16);
  const low = parseInt(match[3] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
};

/** Whether an IP address (v4 or v6, as text) is not a public unicast address. */
export const isNonPublicAddress = (address: string): boolean => {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return NON_PUBLIC.check(bare, 'ipv4');
  if (version !== 6) return true; // not an address at all: never trust it
  const v4 = embeddedIpv4(bare.toLowerCase());
  if (v4 !== null && isIP(v4) === 4) return NON_PUBLIC.check(v4, 'ipv4');
  return NON_PUBLIC.check(bare, 'ipv6');
};

/** A vetted callback URL. */
export type Destination = { url: URL };

const MAX_DEST_LENGTH = 2048;

/**
 * Parses and checks a `dest`: an absolute http or https URL of at most 2048 characters, without
 * user name or password (the URL is shown in GET responses, so it must not carry a secret) and
 * without a fragment. Unless `allowPrivate`, a host that is an IP address must be public, and
 * `localhost` (and `*.localhost`, RFC 6761) is refused; host names are checked again at each
 * delivery, on the addresses they resolve to. Throws DestinationError saying why.
 */
export const parseDestination = (dest: string, allowPrivate: boolean): Destination => {
  if (dest.length > MAX_DEST_LENGTH) {
    throw new DestinationError(`must be at most ${MAX_DEST_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw new DestinationError('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DestinationError(`must be an http or https URL, not ${url.protocol.slice(0, 20)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new DestinationError('must not carry a user name or password');
  }
  if (url.hash !== '') throw new DestinationError('must not have a fragment');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && isNonPublicAddress(host)) {
      throw new DestinationError(
        'is a loopback, private or otherwise non-public address (SUBSCRIPTION_ALLOW_PRIVATE_DEST=1 allows it)',
      );
    }
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost' || name.endsWith('.localhost')) {
      throw new DestinationError(
        'is localhost (SUBSCRIPTION_ALLOW_PRIVATE_DEST=1 allows loopback destinations)',
      );
    }
  }
  return { url };
};
