/**
 * The dev cloud and every fake cloud of the tests live on 127.0.0.1. A developer's
 * HTTP(S)_PROXY must not route them through a corporate proxy (requests would: loopback is
 * not exempt by itself), so loopback is added to no_proxy for the test process unless
 * DEFCORE_TEST_PROXY=1 asks for the ambient proxy to be used. Proxy tests pass their own env.
 */
if (process.env['DEFCORE_TEST_PROXY'] !== '1') {
  const current = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
  const loopback = '127.0.0.1,localhost,::1,127.0.0.0/8';
  const value = current ? `${current},${loopback}` : loopback;
  process.env['no_proxy'] = value;
  process.env['NO_PROXY'] = value;
}
export {};
