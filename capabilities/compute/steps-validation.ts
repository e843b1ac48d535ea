/**
 * Guest validation for the compute checks, as Tempest's validatable servers: the
 * run's validation resources (a keypair whose private key never leaves this
 * process, a security group allowing SSH and ICMP), the boot arguments that use
 * them, the address to dial (the fixed address on network_for_ssh, or a floating
 * IP made for the server), an SSH login that waits until the guest lets us in, and
 * commands whose transcript goes to the evidence. Registers no check.
 */
import { CheckFailure, CheckSkip, type CheckContext } from '../../src/check/api.js';
import { expectStatus } from '../../src/check/expect.js';
import type { CloudClient } from '../../src/cloud/types.js';
import { runFixture } from '../../src/services/compute-fixtures.js';
import { ComputeClient, type Server } from '../../src/services/compute.js';
import { NetworkClient, type Port } from '../../src/services/network.js';
import { anyReply, statusOnly } from '../../src/services/protocol.js';
import type { ResolvedValidation } from '../../src/validation/resolve.js';
import { HOW_TO_ENABLE } from '../../src/validation/settings.js';
import { generateKeyPair, loginWithRetry, type CommandResult, type GuestSession } from '../../src/validation/ssh.js';
import { NO_VALIDATION_REASON } from '../../src/validation/verdict-note.js';

/** Deadline of a check that boots a validation server and logs in to it. */
export const GUEST_CHECK_TIMEOUT_MS = 900_000;

/** The run's validation settings, or a skip naming what enables them. */
export function requireValidation(ctx: CheckContext): ResolvedValidation {
  if (!ctx.validation) throw new CheckSkip(`${NO_VALIDATION_REASON} (to enable it, ${HOW_TO_ENABLE})`);
  return ctx.validation;
}

export interface ValidationResources {
  keypairName: string;
  /** In memory only: never noted, never recorded. */
  privateKey: string;
  securityGroup: { id: string; name: string };
}

/** Keypair + security group (SSH and ICMP in), once per run and account. */
export function validationResources(ctx: CheckContext): Promise<ValidationResources> {
  const v = requireValidation(ctx);
  const client = ctx.account('primary');
  return runFixture(ctx.prefix, client, 'validation-resources', async () => {
    const nova = new ComputeClient(client);
    const neutron = new NetworkClient(client);
    const keys = await generateKeyPair();
    const keypairName = ctx.name('keypair');
    // Either success status will do here, and the schema was never judged.
    await statusOnly(() => nova.createKeypair({ name: keypairName, public_key: keys.publicKey }, [200, 201]));
    let sgId: string | undefined;
    try {
      const sgName = ctx.name('secgroup');
      // Status only, as before the client validated bodies: the fixture reads just the id.
      const sg = await anyReply(() => neutron.createSecurityGroup({ name: sgName, description: 'defcore guest validation: SSH and ICMP in' }));
      expectStatus(sg, 201);
      sgId = (sg.body as { security_group: { id: string } }).security_group.id;
      const ethertype = v.ipVersionForSsh === 6 ? 'IPv6' : 'IPv4';
      for (const rule of [
        { protocol: 'tcp', port_range_min: 22, port_range_max: 22 },
        { protocol: v.ipVersionForSsh === 6 ? 'ipv6-icmp' : 'icmp' },
      ]) {
        const attrs = { security_group_id: sgId, direction: 'ingress', ethertype, ...rule };
        expectStatus(await anyReply(() => neutron.createSecurityGroupRule(attrs)), 201);
      }
      const id = sgId;
      return {
        value: { keypairName, privateKey: keys.privateKey, securityGroup: { id, name: sgName } },
        teardown: async (c: CloudClient) => {
          const del = await anyReply(() => new NetworkClient(c).deleteSecurityGroup(id));
          if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE security group ${id}: ${del.status}`);
          const kdel = await anyReply(() => new ComputeClient(c).deleteKeypair(keypairName));
          if (kdel.status !== 202 && kdel.status !== 204 && kdel.status !== 404) throw new Error(`DELETE keypair ${keypairName}: ${kdel.status}`);
        },
      };
    } catch (err) {
      if (sgId) await neutron.deleteSecurityGroup(sgId).catch(() => undefined);
      await anyReply(() => nova.deleteKeypair(keypairName)).catch(() => undefined);
      throw err;
    }
  });
}

/** What a validatable server is booted with (Tempest's create_test_server(validatable=True)). */
export function validatableAttrs(v: ResolvedValidation, res: ValidationResources): Record<string, unknown> {
  return {
    imageRef: v.image.id,
    flavorRef: v.flavor.id,
    networks: [{ uuid: v.network.id }],
    key_name: res.keypairName,
    security_groups: [{ name: res.securityGroup.name }],
  };
}

/** The fixed address of `server` on network_for_ssh in the configured IP version. */
export function fixedAddress(v: ResolvedValidation, server: Server): string {
  const entries = server.addresses?.[v.network.name] ?? [];
  const fixed = entries.filter((a) => a.version === v.ipVersionForSsh && (a['OS-EXT-IPS:type'] === undefined || a['OS-EXT-IPS:type'] === 'fixed'));
  if (!fixed.length) {
    throw new CheckFailure(`server ${server.id} has no fixed IPv${v.ipVersionForSsh} address on network ${v.network.name} (addresses: ${JSON.stringify(server.addresses ?? {})})`);
  }
  return fixed[0]!.addr;
}

/**
 * A floating IP from the external network for the server's port on network_for_ssh.
 * Returns its address and id; the caller removes it (before the server).
 */
export async function attachFloatingIp(ctx: CheckContext, client: CloudClient, v: ResolvedValidation, server: Server): Promise<{ id: string; address: string }> {
  const neutron = new NetworkClient(client);
  const ports = await anyReply(() => neutron.listPorts({ device_id: server.id, network_id: v.network.id }));
  expectStatus(ports, 200);
  const port = (ports.body as { ports: Port[] }).ports[0];
  if (!port) throw new CheckFailure(`server ${server.id} has no port on network ${v.network.name} to give a floating IP`);
  const fip = await neutron.createFloatingIp({ floating_network_id: v.floatingNetwork!.id, port_id: port.id, description: ctx.name('floatingip') });
  return { id: fip.body.floatingip.id, address: fip.body.floatingip.floating_ip_address };
}

/** Removes a floating IP (204 or 404); for teardowns. */
export async function deleteFloatingIp(client: CloudClient, id: string): Promise<void> {
  const del = await anyReply(() => new NetworkClient(client).deleteFloatingIp(id));
  if (del.status !== 204 && del.status !== 404) throw new Error(`DELETE floating IP ${id}: ${del.status}`);
}

/** The last lines of the server's console, for the evidence of a failed login. */
async function consoleTail(ctx: CheckContext, serverId: string): Promise<string> {
  try {
    const res = await anyReply(() => new ComputeClient(ctx.account('primary')).getConsoleOutput(serverId, 20));
    return res.status === 200 && typeof res.body?.output === 'string' ? res.body.output.slice(-4000) : `(console output: HTTP ${res.status})`;
  } catch (e) {
    return `(console output unavailable: ${(e as Error).message})`;
  }
}

/** Logs in to the guest (waiting up to ssh_timeout); failures carry the console's tail. */
export async function loginToGuest(ctx: CheckContext, server: Pick<Server, 'id'>, address: string, privateKey: string): Promise<GuestSession> {
  const v = requireValidation(ctx);
  try {
    const session = await loginWithRetry(
      { host: address, username: v.sshUser, privateKey, ...(v.sshPort ? { port: v.sshPort } : {}) },
      { timeoutMs: v.sshTimeoutMs, attemptTimeoutMs: v.connectTimeoutMs, signal: ctx.signal, log: (l) => ctx.note(l) },
    );
    ctx.defer(`close SSH session to ${address}`, async () => session.close());
    return session;
  } catch (err) {
    if (err instanceof CheckFailure || (err as Error).name === 'CheckFailure') {
      ctx.note(`console of server ${server.id} (last lines):\n${await consoleTail(ctx, server.id)}`);
    }
    throw err;
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 1000 ? `${s.slice(0, 1000)}…` : s);
}

/** Runs a command in the guest; its transcript line goes to the evidence. */
export async function guestCommand(ctx: CheckContext, session: GuestSession, command: string): Promise<CommandResult> {
  const v = requireValidation(ctx);
  let result: CommandResult;
  try {
    result = await session.exec(command, v.commandTimeoutMs);
  } catch (err) {
    const last = session.transcript[session.transcript.length - 1];
    if (last?.command === command) ctx.note(`guest ${session.target.username}@${session.target.host} $ ${command} -> no exit status; stdout ${quote(last.stdout)}; ${last.stderr}`);
    throw err;
  }
  ctx.note(`guest ${session.target.username}@${session.target.host} $ ${command} -> exit ${result.exitStatus ?? `signal ${result.signal ?? '?'}`}; stdout ${quote(result.stdout)}; stderr ${quote(result.stderr)}`);
  if (result.exitStatus !== 0) {
    throw new CheckFailure(`guest command "${command}" exited with ${result.exitStatus ?? `signal ${result.signal ?? '?'}`}: ${result.stderr.trim().slice(0, 300) || '(no stderr)'}`);
  }
  return result;
}

/** Tempest's test_host_name_is_same_as_server_name, guest side: `hostname`'s first label is the server name in lower case. */
export async function expectGuestHostname(ctx: CheckContext, session: GuestSession, serverId: string, name: string): Promise<void> {
  const hostname = (await guestCommand(ctx, session, 'hostname')).stdout.trimEnd();
  // As Tempest: images may append a domain (name.novalocal); the first label must be the name in lower case.
  const first = hostname.split('.')[0] ?? '';
  if (first !== name.toLowerCase()) {
    throw new CheckFailure(`server ${serverId}: the guest's hostname is ${JSON.stringify(hostname)}, expected "${name.toLowerCase()}" (the server name; a domain suffix is allowed)`);
  }
}

/** Tempest's test_verify_created_server_vcpus, guest side: as many processors as the flavor's vcpus. */
export async function expectGuestVcpus(ctx: CheckContext, session: GuestSession, serverId: string, flavorId: string, vcpus: unknown): Promise<void> {
  const out = (await guestCommand(ctx, session, 'grep -c ^processor /proc/cpuinfo')).stdout.trim();
  if (!/^\d+$/.test(out)) throw new CheckFailure(`server ${serverId}: the guest's processor count is not a number: ${JSON.stringify(out.slice(0, 200))}`);
  if (Number(out) !== vcpus) {
    throw new CheckFailure(`server ${serverId}: the guest has ${out} processor(s) in /proc/cpuinfo, but flavor ${flavorId} says vcpus ${JSON.stringify(vcpus)}`);
  }
}
