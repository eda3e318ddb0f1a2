import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

// The address of the client behind a request. The peer of the TCP connection
// is the client unless it is a reverse proxy the operator named
// (CANDYCE_TRUSTED_PROXY): only then is X-Forwarded-For read, from the right,
// skipping the named proxies, so that a client cannot choose its address by
// sending the header itself.

/** Returns `address` without the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` is `10.0.0.1`). */
export const plainAddress = (address: string): string =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

/** Addresses and subnets (`10.0.0.0/8`, `::1`) of trusted proxies. */
export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * Parses the entries of CANDYCE_TRUSTED_PROXY (addresses or CIDR subnets);
 * throws a `RangeError` naming the first one that is neither.
 */
export const trustedProxies = (entries: readonly string[]): TrustedProxies => {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new RangeError(`CANDYCE_TRUSTED_PROXY: ${entry} is not an IP address or subnet`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
        throw new RangeError(`CANDYCE_TRUSTED_PROXY: ${entry} has an invalid prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  const empty = entries.length === 0;
  return {
    has(address) {
      if (empty) return false;
      const plain = plainAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
};

/**
 * The client's address of `req`: the TCP peer, or, when the peer is a trusted
 * proxy, the rightmost X-Forwarded-For entry that is not itself a trusted
 * proxy. Never throws; an entry that is not an IP address ends the walk at
 * the last address a trusted proxy vouched for.
 */
export const clientAddress = (req: IncomingMessage, proxies: TrustedProxies): string => {
  let address = plainAddress(req.socket.remoteAddress ?? '');
  if (!proxies.has(address)) return address;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!proxies.has(hop)) return hop;
  }
  return address;
};
