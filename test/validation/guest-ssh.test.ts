/**
 * The guest side of the validation checks against an in-process SSH server
 * (ssh2's server) playing the guest: the hostname and vCPU assertions pass on a
 * conforming guest and fail with a clear reason on a wrong hostname, a vCPU count
 * other than the flavor's, an unreachable guest (after the SSH deadline, with the
 * attempts in the evidence), a refused key, and a guest that closes the session.
 * The private key appears in no note.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import ssh2 from 'ssh2';
import { expectGuestHostname, expectGuestVcpus, loginToGuest } from '../../capabilities/compute/steps-validation.js';
import { CheckFailure } from '../../src/check/api.js';
import { MemoryRecorder } from '../../src/cloud/recorder.js';
import { createScope, type TestScope } from '../../src/runner/context.js';
import type { ResolvedValidation } from '../../src/validation/resolve.js';
import { generateKeyPair } from '../../src/validation/ssh.js';

const { Server, utils } = ssh2;

interface GuestBehaviour {
  hostname?: string;
  processors?: string;
  /** Refuse every key. */
  refuseKeys?: boolean;
  /** Drop the connection when a command is asked. */
  closeOnExec?: boolean;
}

interface FakeGuest {
  port: number;
  close(): Promise<void>;
}

const HOST_KEY = utils.generateKeyPairSync('ed25519').private;

async function startGuest(publicKey: string, b: GuestBehaviour): Promise<FakeGuest> {
  const allowed = utils.parseKey(publicKey);
  if (allowed instanceof Error) throw allowed;
  const server = new Server({ hostKeys: [HOST_KEY] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (b.refuseKeys || ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const key = ctx.key;
      if (key.algo !== allowed.type || !key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          if (b.closeOnExec) {
            client.end();
            return;
          }
          const stream = acceptExec();
          const answers: Record<string, string | undefined> = { hostname: b.hostname, 'grep -c ^processor /proc/cpuinfo': b.processors };
          const out = answers[info.command];
          if (out === undefined) {
            stream.stderr.write(`sh: ${info.command}: not found\n`);
            stream.exit(127);
          } else {
            stream.write(`${out}\n`);
            stream.exit(0);
          }
          stream.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function validation(port: number, sshTimeoutMs = 20_000): ResolvedValidation {
  return {
    runValidation: true, connectMethod: 'fixed', ipVersionForSsh: 4, sshTimeoutMs, connectTimeoutMs: 2000, buildTimeoutMs: 10_000, commandTimeoutMs: 3000, sshPort: port,
    image: { id: 'img', name: 'guest' }, flavor: { id: 'f2', name: 'm1.two', vcpus: 2 }, sshUser: 'root', network: { id: 'n', name: 'net' }, choices: [],
  };
}

function scope(v: ResolvedValidation): TestScope {
  return createScope({}, 'defcore-test00-', new MemoryRecorder(), new AbortController().signal, { validation: v });
}

describe('guest validation over SSH (in-process SSH server as the guest)', function () {
  this.timeout(60_000);
  let keys: { privateKey: string; publicKey: string };
  let guest: FakeGuest | undefined;

  before(async () => {
    keys = await generateKeyPair();
  });
  afterEach(async () => {
    await guest?.close();
    guest = undefined;
  });

  /** Logs in and runs both guest assertions; returns the scope (notes) and the error, if any. */
  async function check(v: ResolvedValidation, vcpus = 2, name = 'defcore-test00-server-1'): Promise<{ s: TestScope; error?: Error }> {
    const s = scope(v);
    try {
      const session = await loginToGuest(s.ctx, { id: 'srv-1' }, '127.0.0.1', keys.privateKey);
      await expectGuestHostname(s.ctx, session, 'srv-1', name);
      await expectGuestVcpus(s.ctx, session, 'srv-1', 'f2', vcpus);
      return { s };
    } catch (e) {
      return { s, error: e as Error };
    } finally {
      await s.cleanup(5000);
    }
  }

  function assertNoPrivateKey(s: TestScope): void {
    const all = s.notes.join('\n');
    assert.doesNotMatch(all, /PRIVATE KEY/);
    for (const line of keys.privateKey.split('\n').filter((l) => l.length > 20)) assert.ok(!all.includes(line), 'a line of the private key is in the evidence');
  }

  it('passes on a conforming guest; the evidence has the host key fingerprint and the transcript, not the private key', async () => {
    guest = await startGuest(keys.publicKey, { hostname: 'defcore-test00-server-1.novalocal', processors: '2' });
    const { s, error } = await check(validation(guest.port));
    assert.equal(error, undefined, error?.message);
    assert.ok(s.notes.some((n) => /host key ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/.test(n)), s.notes.join('\n'));
    assert.ok(s.notes.some((n) => n.includes('$ hostname -> exit 0; stdout "defcore-test00-server-1.novalocal\\n"')), s.notes.join('\n'));
    assert.ok(s.notes.some((n) => n.includes('$ grep -c ^processor /proc/cpuinfo -> exit 0; stdout "2\\n"')), s.notes.join('\n'));
    assertNoPrivateKey(s);
  });

  it('fails when the guest hostname is not the server name', async () => {
    guest = await startGuest(keys.publicKey, { hostname: 'localhost', processors: '2' });
    const { s, error } = await check(validation(guest.port));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /the guest's hostname is "localhost", expected "defcore-test00-server-1"/);
    assertNoPrivateKey(s);
  });

  it('fails when the guest shows another vCPU count than the flavor', async () => {
    guest = await startGuest(keys.publicKey, { hostname: 'defcore-test00-server-1', processors: '1' });
    const { error } = await check(validation(guest.port));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /the guest has 1 processor\(s\) in \/proc\/cpuinfo, but flavor f2 says vcpus 2/);
  });

  it('fails after the SSH deadline when the guest is unreachable, with the attempts in the evidence', async () => {
    const { s, error } = await check(validation(await deadPort(), 3000));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /no login within 3 s \(\d+ attempts\): the guest never answered on the SSH port/);
    assert.ok(s.notes.some((n) => /attempt 1: unreachable/.test(n)), s.notes.join('\n'));
    assert.ok(s.notes.some((n) => n.startsWith('console of server srv-1')), 'console tail noted');
    assertNoPrivateKey(s);
  });

  it('fails when the guest refuses the key', async () => {
    guest = await startGuest(keys.publicKey, { refuseKeys: true });
    const { s, error } = await check(validation(guest.port, 3000));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /the guest refused the validation key for user root/);
    assertNoPrivateKey(s);
  });

  it('fails when the guest closes the session while a command runs', async () => {
    guest = await startGuest(keys.publicKey, { closeOnExec: true });
    const { s, error } = await check(validation(guest.port));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /closed the (connection|session) while "hostname" ran \(no exit status\)/);
    assert.ok(s.notes.some((n) => n.includes('$ hostname -> no exit status')), s.notes.join('\n'));
  });

  it('fails when a guest command exits non-zero, with its stderr', async () => {
    guest = await startGuest(keys.publicKey, { processors: '2' });
    const { error } = await check(validation(guest.port));
    assert.ok(error instanceof CheckFailure, String(error));
    assert.match(error.message, /guest command "hostname" exited with 127: sh: hostname: not found/);
  });
});
