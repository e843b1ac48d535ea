/**
 * Types shared by the in-memory fake OpenStack services behind nock
 * (fake-neutron, fake-cinder, fake-glance): one request/reply shape and one
 * way to bend a reply, so a fault written for one fake reads the same in all.
 */

/** A JSON object as the fakes store and answer it. */
export type Json = Record<string, unknown>;

/** A request as a fake sees it. */
export interface FakeRequest {
  method: string;
  /** Path without query, e.g. `/v2.0/networks/<id>`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** What a fake answers. */
export interface FakeReply {
  status: number;
  body?: unknown;
}

/**
 * Bends the replies to requests matching method and path: `reply` replaces or
 * edits what the fake would answer; `times` limits how often.
 */
export interface Fault {
  method: string;
  path: RegExp;
  times?: number;
  reply: (conforming: FakeReply, req: FakeRequest) => FakeReply;
}

/**
 * Runs `reply` through every fault matching the request, in order; a fault
 * with `times` is consumed once per use and skipped when spent.
 */
export function applyFaults(faults: Fault[], req: FakeRequest, reply: FakeReply): FakeReply {
  let out = reply;
  for (const fault of faults) {
    if (fault.method !== req.method || !fault.path.test(req.path)) continue;
    if (fault.times !== undefined) {
      if (fault.times <= 0) continue;
      fault.times -= 1;
    }
    out = fault.reply(out, req);
  }
  return out;
}
