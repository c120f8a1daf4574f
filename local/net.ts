import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port free on the loopback interface right now, for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/** Whether something already listens on the loopback `port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(true);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(false);
      });
    });
  });
}
