/**
 * SSH to a guest through ssh2 (pure JavaScript): log in with a private key held
 * only in memory, run one command at a time under a deadline, keep a transcript
 * (command, exit status, output) for the evidence. Host keys are not known in
 * advance, as with Tempest: the key is accepted and its SHA256 fingerprint recorded.
 * Logging in is retried until the SSH deadline (a guest boots, then its SSH server
 * starts, then cloud-init installs the key); each failure is reported with its kind.
 */
import { createHash } from 'node:crypto';
import ssh2, { type ClientChannel } from 'ssh2';
import { CheckFailure } from '../common/failures.js';

// ssh2 is CommonJS: its classes come through the default export under ESM.
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;

/** Longest output kept per stream of one command. */
export const MAX_OUTPUT_BYTES = 64 * 1024;

export interface SshTarget {
  host: string;
  port?: number;
  username: string;
  /** OpenSSH-format private key; never logged, never in evidence. */
  privateKey: string;
}

export interface CommandResult {
  command: string;
  /** null when the command ended by a signal or the session closed without a status. */
  exitStatus: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Why a login attempt failed, for the final message. */
export type LoginFailureKind = 'unreachable' | 'refused-key' | 'handshake' | 'closed';

export interface LoginOptions {
  /** Until a login must have succeeded (Tempest's ssh_timeout). */
  timeoutMs: number;
  /** One connection attempt (TCP + handshake + auth). */
  attemptTimeoutMs: number;
  /** Pause between attempts (default 2 s). */
  retryDelayMs?: number;
  signal?: AbortSignal;
  /** Called once per attempt outcome, for the evidence. */
  log?: (line: string) => void;
}

/** A key pair for one run's validation: the private half stays in this process. */
export async function generateKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  return new Promise((resolve, reject) => {
    utils.generateKeyPair('rsa', { bits: 2048 }, (err, keys) => {
      if (err) reject(err);
      else resolve({ privateKey: keys.private, publicKey: keys.public });
    });
  });
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function keyType(key: Buffer): string {
  // An SSH public key blob starts with its type as a length-prefixed string.
  if (key.length < 4) return 'unknown';
  const n = key.readUInt32BE(0);
  return n > 0 && n < 64 && key.length >= 4 + n ? key.subarray(4, 4 + n).toString('ascii') : 'unknown';
}

function classifyLoginError(err: Error & { level?: string; code?: string }): LoginFailureKind {
  if (err.level === 'client-authentication') return 'refused-key';
  if (err.level === 'client-timeout' || ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(err.code ?? '')) return 'unreachable';
  if (/closed|ended/i.test(err.message)) return 'closed';
  return 'handshake';
}

/** A logged-in session. */
export class GuestSession {
  readonly transcript: CommandResult[] = [];
  private closed = false;
  private closeReason = '';

  constructor(
    private readonly conn: Client,
    readonly target: Omit<SshTarget, 'privateKey'>,
    /** `ssh-ed25519 SHA256:…` of the key the guest presented. */
    readonly hostKey: string,
  ) {
    conn.on('close', () => {
      this.closed = true;
      this.closeReason ||= 'the guest closed the connection';
    });
    conn.on('error', (e: Error) => {
      this.closeReason = e.message;
    });
  }

  /** Runs one command; fails (CheckFailure) when the session breaks or the deadline passes. */
  exec(command: string, timeoutMs: number): Promise<CommandResult> {
    const where = `${this.target.username}@${this.target.host}`;
    if (this.closed) return Promise.reject(new CheckFailure(`ssh ${where}: cannot run "${command}": ${this.closeReason}`));
    return new Promise((resolve, reject) => {
      let stream: ClientChannel | undefined;
      let done = false;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outLen = 0;
      let errLen = 0;
      let exitStatus: number | null = null;
      let signal: string | undefined;
      const finish = (e?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.conn.off('close', onConnClose);
        if (e) return reject(e);
        const result: CommandResult = { command, exitStatus, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...(signal ? { signal } : {}) };
        this.transcript.push(result);
        resolve(result);
      };
      const timer = setTimeout(() => {
        stream?.close();
        this.transcript.push({ command, exitStatus: null, stdout: Buffer.concat(out).toString('utf8'), stderr: `(no exit status within ${Math.round(timeoutMs / 1000)} s)` });
        finish(new CheckFailure(`ssh ${where}: "${command}" did not finish within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const onConnClose = () => {
        this.transcript.push({ command, exitStatus: null, stdout: Buffer.concat(out).toString('utf8'), stderr: '(connection closed)' });
        finish(new CheckFailure(`ssh ${where}: the guest closed the connection while "${command}" ran (no exit status)`));
      };
      this.conn.once('close', onConnClose);
      this.conn.exec(command, (e, s) => {
        if (e) {
          this.transcript.push({ command, exitStatus: null, stdout: '', stderr: `(refused: ${e.message})` });
          return finish(new CheckFailure(`ssh ${where}: the guest refused to run "${command}": ${e.message}`));
        }
        stream = s;
        s.on('data', (d: Buffer) => {
          if (outLen < MAX_OUTPUT_BYTES) out.push(d.subarray(0, MAX_OUTPUT_BYTES - outLen));
          outLen += d.length;
        });
        s.stderr.on('data', (d: Buffer) => {
          if (errLen < MAX_OUTPUT_BYTES) err.push(d.subarray(0, MAX_OUTPUT_BYTES - errLen));
          errLen += d.length;
        });
        s.on('exit', (code: number | null, sig?: string) => {
          exitStatus = typeof code === 'number' ? code : null;
          if (sig) signal = sig;
        });
        s.on('close', () => {
          if (exitStatus === null && !signal) {
            this.transcript.push({ command, exitStatus: null, stdout: Buffer.concat(out).toString('utf8'), stderr: '(channel closed without an exit status)' });
            return finish(new CheckFailure(`ssh ${where}: the guest closed the session while "${command}" ran (no exit status)`));
          }
          finish();
        });
      });
    });
  }

  close(): void {
    this.closeReason = 'closed by the harness';
    this.conn.end();
  }
}

function attempt(target: SshTarget, timeoutMs: number): Promise<GuestSession> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    let hostKey = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    // ssh2's readyTimeout covers the handshake only; this covers the TCP connect too.
    const timer = setTimeout(() => settle(() => {
      conn.end();
      reject(Object.assign(new Error(`no SSH login within ${Math.round(timeoutMs / 1000)} s`), { level: 'client-timeout' }));
    }), timeoutMs);
    conn.on('ready', () => settle(() => resolve(new GuestSession(conn, { host: target.host, port: target.port ?? 22, username: target.username }, hostKey))));
    conn.on('error', (e: Error) => settle(() => {
      conn.end();
      reject(e);
    }));
    conn.on('close', () => settle(() => reject(new Error('the guest closed the connection during the handshake'))));
    conn.connect({
      host: target.host,
      port: target.port ?? 22,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: timeoutMs,
      // Host keys are not known in advance (as with Tempest); record what was presented.
      hostVerifier: (key: Buffer) => {
        hostKey = `${keyType(key)} ${fingerprint(key)}`;
        return true;
      },
      // Only the key: never a password prompt or agent.
      tryKeyboard: false,
    });
  });
}

/**
 * Logs in, retrying until `timeoutMs`: a guest that is not up yet, or whose key is
 * not installed yet, answers later. The failure names the last error's kind.
 */
export async function loginWithRetry(target: SshTarget, opts: LoginOptions): Promise<GuestSession> {
  const where = `${target.username}@${target.host}:${target.port ?? 22}`;
  const deadline = Date.now() + opts.timeoutMs;
  let attempts = 0;
  let last: { kind: LoginFailureKind; message: string } | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
    attempts++;
    const left = deadline - Date.now();
    try {
      const session = await attempt(target, Math.max(1000, Math.min(opts.attemptTimeoutMs, left)));
      opts.log?.(`ssh ${where}: logged in with the validation key after ${attempts} attempt(s); host key ${session.hostKey} (not known in advance; recorded)`);
      return session;
    } catch (e) {
      const err = e as Error & { level?: string; code?: string };
      last = { kind: classifyLoginError(err), message: err.message };
      if (attempts <= 3 || attempts % 10 === 0) opts.log?.(`ssh ${where}: attempt ${attempts}: ${last.kind}: ${last.message}`);
    }
    const pause = opts.retryDelayMs ?? 2000;
    if (Date.now() + pause >= deadline) break;
    await new Promise((r) => setTimeout(r, pause));
  }
  const why: Record<LoginFailureKind, string> = {
    unreachable: 'the guest never answered on the SSH port',
    'refused-key': `the guest refused the validation key for user ${target.username}`,
    handshake: 'the SSH handshake failed',
    closed: 'the guest closed the connection before login',
  };
  throw new CheckFailure(`ssh ${where}: no login within ${Math.round(opts.timeoutMs / 1000)} s (${attempts} attempts): ${why[last!.kind]} (last error: ${last!.message})`);
}
