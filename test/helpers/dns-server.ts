/** Starts a real `dns2` DNS server (UDP and TCP on one port) on 127.0.0.1, answering TXT and A from a table. */
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;

export interface DnsZone {
  /** name → TXT records, each record a list of character-strings. */
  txt?: Record<string, string[][]>;
  a?: Record<string, string[]>;
  /** Names whose queries get no answer at all (a hanging server). */
  silent?: string[];
}

export interface StartedDnsServer {
  /** `127.0.0.1:PORT`, as `--endpoint dns=` takes it. */
  endpoint: string;
  zone: DnsZone;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startDnsServer(zone: DnsZone): Promise<StartedDnsServer> {
  const server = dns2.createServer({
    udp: true,
    tcp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      if (!question) return send(response);
      const name = question.name.toLowerCase();
      if (zone.silent?.includes(name)) return;
      if (question.type === Packet.TYPE.TXT) {
        for (const data of zone.txt?.[name] ?? []) {
          response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data } as never);
        }
      } else if (question.type === Packet.TYPE.A) {
        for (const address of zone.a?.[name] ?? []) {
          response.answers.push({ name: question.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 60, address } as never);
        }
      }
      const known = name in (zone.txt ?? {}) || name in (zone.a ?? {});
      if (!known) response.header.rcode = 3; // NXDOMAIN
      send(response);
    },
  });
  const port = await freePort();
  await server.listen({ udp: { port, address: '127.0.0.1' }, tcp: { port, address: '127.0.0.1' } } as never);
  return {
    endpoint: `127.0.0.1:${port}`,
    zone,
    close: async () => {
      await server.close();
    },
  };
}
