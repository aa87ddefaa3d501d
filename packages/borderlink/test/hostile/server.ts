// A gateway we did not write: a raw HTTP/1.1 server over node:net (or node:tls) that answers whatever the test
// scripts — any status line, any header bytes, any body bytes or size, a connection dropped anywhere. node:http
// would refuse to send most of what a broken or hostile gateway sends, so the answer is written byte by byte.
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** One request as the hostile gateway received it. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What to answer. `raw` is written as is (status line, headers and all); otherwise a response is framed from the rest. */
export interface HostileAnswer {
  raw?: Buffer | string;
  status?: number;
  /** Header lines as given, names and values unchecked. */
  headers?: [string, string][];
  body?: Buffer | string;
  /** Bytes of body to stream after `body` (filled with `x`), for answers larger than memory should hold. */
  streamBytes?: number;
  /** Leave out content-length (the body then ends when the connection closes). */
  noContentLength?: boolean;
  /** Destroy the socket after this many bytes of the framed answer. */
  cutAfter?: number;
  /** Never answer. */
  hang?: boolean;
}

export interface HostileGateway {
  readonly url: string;
  readonly requests: HostileRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Sets what the next requests are answered with. */
  answer(script: (request: HostileRequest) => HostileAnswer): void;
  close(): Promise<void>;
}

function frame(answer: HostileAnswer): Buffer {
  if (answer.raw !== undefined) return Buffer.from(answer.raw);
  const body = Buffer.from(answer.body ?? '');
  const lines = [`HTTP/1.1 ${answer.status ?? 200} X`];
  for (const [name, value] of answer.headers ?? [['content-type', 'application/json']]) lines.push(`${name}: ${value}`);
  if (!answer.noContentLength) lines.push(`content-length: ${body.length + (answer.streamBytes ?? 0)}`);
  lines.push('connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]);
}

function readRequest(socket: Socket, onRequest: (request: HostileRequest) => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffered.subarray(0, end).toString('latin1').split('\r\n');
    const [method = '', path = ''] = head[0]!.split(' ');
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffered.length < end + 4 + length) return;
    socket.off('data', onData);
    onRequest({ method, path, headers, body: buffered.subarray(end + 4, end + 4 + length).toString('utf8') });
  };
  socket.on('data', onData);
}

/** Starts a hostile gateway on 127.0.0.1; with `tls`, over TLS with that key and certificate. */
export async function startHostileGateway(tls?: { key: string; cert: string }): Promise<HostileGateway> {
  let script: (request: HostileRequest) => HostileAnswer = () => ({ status: 500, body: '' });
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onSocket = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    readRequest(socket, (request) => {
      requests.push(request);
      let answer: HostileAnswer;
      try {
        answer = script(request);
      } catch {
        socket.destroy();
        return;
      }
      if (answer.hang) return;
      const bytes = frame(answer);
      if (answer.cutAfter !== undefined) {
        socket.write(bytes.subarray(0, answer.cutAfter), () => socket.destroy());
        return;
      }
      socket.write(bytes);
      let left = answer.streamBytes ?? 0;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (left > 0 && !socket.destroyed) {
          const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= part.length;
          if (!socket.write(part)) return void socket.once('drain', pump);
        }
        if (!socket.destroyed) socket.end();
      };
      pump();
    });
  };
  const server: Server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, onSocket) : createNetServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    answer(next) {
      script = next;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
