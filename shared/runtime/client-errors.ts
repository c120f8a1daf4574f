import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, ProblemError, type ProblemType } from '../errors';

/** Node's HTTP parser errors (llhttp codes and Node's own) and the problem each is answered with. */
const parserErrors: Record<string, ProblemType> = {
  HPE_HEADER_OVERFLOW: 'header-too-large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
};

/**
 * Requests Node refuses before any handler sees them (a malformed request line, headers over 16 KB,
 * an Expect it cannot meet) get a problem body like every other refusal, instead of Node's bare
 * status line, wherever the connection can still carry one.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = parserErrors[error.code ?? ''];
    const problem = known
      ? new ProblemError(known)
      : new ProblemError('bad-request', `The request is not valid HTTP/1.1 (${error.code ?? 'unknown'})`);
    const body = JSON.stringify(problem.toBody());
    socket.end(
      `HTTP/1.1 ${String(problem.status)} ${problem.problemType}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `content-length: ${String(Buffer.byteLength(body))}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  server.on('checkExpectation', (req, res) => {
    req.resume();
    const problem = new ProblemError(
      'expectation-failed',
      `Expect: ${req.headers.expect ?? ''} is not supported; send the body without it`,
    );
    const body = JSON.stringify(problem.toBody(req.url));
    res
      .writeHead(problem.status, {
        'content-type': PROBLEM_CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      })
      .end(body);
  });
}
