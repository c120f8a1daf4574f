import ipaddr from 'ipaddr.js';

/**
 * Which addresses a webhook may be sent to. Only global unicast: never loopback, RFC 1918, link-local
 * (cloud metadata at 169.254.169.254), CGNAT, multicast, unspecified or reserved space, nor those
 * written as IPv4-mapped or NAT64 IPv6 addresses, nor IPv6 link-local and unique-local. `allowed` names
 * ranges let through anyway (`loopback` for make dev), as ipaddr.js names them.
 */
export function addressRefusal(address: string, allowed: ReadonlySet<string>): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.process(address); // IPv4-mapped IPv6 → the IPv4 address it carries
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).range() === 'rfc6052') {
    // NAT64 (64:ff9b::/96): the last 32 bits are the IPv4 address it reaches.
    const bytes = (parsed as ipaddr.IPv6).toByteArray().slice(12);
    parsed = ipaddr.fromByteArray(bytes);
  }
  const range = parsed.range();
  if (range === 'unicast' || allowed.has(range)) return null;
  return `${address} is in a ${range} range, where webhooks are not sent`;
}

/** WEBHOOK_ALLOW_PRIVATE: ranges by ipaddr.js's names (loopback, private, linkLocal, uniqueLocal, ...). */
export const allowedRanges = (value: string | undefined): ReadonlySet<string> =>
  new Set(
    (value ?? '')
      .split(',')
      .map((range) => range.trim())
      .filter((range) => range !== ''),
  );
