// Entry point of `npm start -w @candyce/embed`: the example host platform on
// its own port, next to a Candyce server.
import { fileURLToPath } from 'node:url';
import { createHostServer } from './host-server.js';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new RangeError(`PORT=${process.env.PORT} is not a port number`);
}
const secret = process.env.CANDYCE_SECRET ?? '';
const candyceUrl = process.env.CANDYCE_URL ?? 'http://127.0.0.1:1234';
if (!secret)
  console.warn('CANDYCE_SECRET is not set: tokens are not minted (the Candyce server must run open)');
const host = createHostServer({
  candyceUrl,
  secret,
  port,
  host: process.env.HOST || '127.0.0.1',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
});
await host.listen();
console.log(`example host platform: ${host.url()} (Candyce at ${candyceUrl})`);
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
