// Benchmark harness, not part of the product: the undici peer gateway of `scripts/bench --peers`.
//
// GET /fanout makes --fan-out GETs of /item/1..N on the upstream through one undici Pool, all in flight at once,
// bodies drained and dropped, and answers {"calls":N,"succeeded":M}: 200 when every call got a 200, else 502 (as the
// gateway and bench/BareGateway.java do). GET /health answers ok.
//
//   node gateway.js --port 8093 --upstream http://127.0.0.1:8081 --fan-out 100 --pool-size 10 \
//     --mode keepalive|close|http2|pipelined [--pipelining 100] [--workers 2]
//
// Modes, each sized like the gateway's client in that configuration:
//   keepalive  `connections` = pool size, one request at a time per connection
//   close      the same, each request sent with `reset: true` (Connection: close, the socket closed after it)
//   http2      h2c with prior knowledge (allowH2, connect.useH2c), `connections` = pool size, `pipelining` (default 100)
//              streams in flight on each (undici's own cap, whatever the server allows)
//   pipelined  `pipelining` requests in flight per connection (default 100)
// --workers N runs N Node processes (node:cluster) sharing the port, each with its share of the pool's connections,
// as the gateway runs one lane of its pool per event loop. Every flag also reads PEER_<NAME> (PEER_POOL_SIZE ...).
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const { parseArgs } = require('node:util');
const { Pool } = require('undici');

const MODES = ['keepalive', 'close', 'http2', 'pipelined'];

function settings() {
  const names = ['port', 'upstream', 'fan-out', 'pool-size', 'mode', 'pipelining', 'workers'];
  const { values } = parseArgs({ options: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) });
  const get = (n, dflt) => values[n] ?? process.env['PEER_' + n.replace('-', '_').toUpperCase()] ?? dflt;
  const whole = (n, dflt, min) => {
    const v = Number(get(n, dflt));
    if (!Number.isInteger(v) || v < min) usage(`--${n} takes a whole number of at least ${min}, not '${get(n, dflt)}'`);
    return v;
  };
  const s = {
    port: whole('port', '8093', 0),
    upstream: get('upstream', 'http://127.0.0.1:8081'),
    fanOut: whole('fan-out', '100', 1),
    poolSize: whole('pool-size', '10', 1),
    mode: get('mode', 'keepalive'),
    pipelining: whole('pipelining', '100', 1),
    workers: whole('workers', '1', 1),
  };
  if (!MODES.includes(s.mode)) usage(`--mode takes ${MODES.join(', ')}, not '${s.mode}'`);
  if (s.workers > s.poolSize) usage(`--workers (${s.workers}) cannot exceed --pool-size (${s.poolSize}): each needs a connection`);
  return s;
}

function usage(message) {
  console.error(`undici peer: ${message}`);
  process.exit(2);
}

function poolOptions(s, connections) {
  switch (s.mode) {
    case 'keepalive':
    case 'close':
      return { connections, pipelining: 1 };
    case 'http2':
      // undici caps the requests in flight on any connection at `pipelining` (default 1), HTTP/2 streams included.
      // A Pool does not pass its own useH2c to its connections (undici 7.30): the connect options do, and without
      // them the connection silently speaks HTTP/1.1, pipelined.
      return { connections, allowH2: true, connect: { useH2c: true }, maxConcurrentStreams: 100, pipelining: s.pipelining };
    case 'pipelined':
      return { connections, pipelining: s.pipelining };
  }
}

function serve(s, connections) {
  const pool = new Pool(s.upstream, poolOptions(s, connections));
  const reset = s.mode === 'close';

  async function call(i) {
    try {
      const { statusCode, body } = await pool.request({ path: '/item/' + i, method: 'GET', reset });
      await body.dump();
      return statusCode === 200 ? 1 : 0;
    } catch {
      return 0;
    }
  }

  async function fanout(res) {
    const calls = [];
    for (let i = 1; i <= s.fanOut; i++) calls.push(call(i));
    let ok = 0;
    for (const r of await Promise.all(calls)) ok += r;
    res.writeHead(ok === s.fanOut ? 200 : 502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ calls: s.fanOut, succeeded: ok }));
  }

  http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/fanout') {
      fanout(res);
    } else if (req.method === 'GET' && req.url === '/health') {
      res.end('ok');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route for ${req.method} ${req.url}`, status: 404 }));
    }
  }).listen(s.port, '127.0.0.1');
}

const s = settings();
if (s.workers === 1) {
  serve(s, s.poolSize);
  started(s);
} else if (cluster.isPrimary) {
  for (let n = 0; n < s.workers; n++) {
    // Worker n's share of the connections, as the gateway splits its pool into lanes.
    const share = Math.floor(s.poolSize / s.workers) + (n < s.poolSize % s.workers ? 1 : 0);
    cluster.fork({ PEER_SHARE: String(share) });
  }
  let listening = 0;
  cluster.on('listening', () => { if (++listening === s.workers) started(s); });
  cluster.on('exit', (worker, code) => { console.error(`undici peer: worker ${worker.process.pid} exited (${code})`); process.exit(1); });
} else {
  serve(s, Number(process.env.PEER_SHARE));
}

function started(s) {
  console.log(`undici peer listening on http://127.0.0.1:${s.port} transport libuv mode ${s.mode} pool ${s.poolSize}`
    + `${s.mode === 'pipelined' || s.mode === 'http2' ? ' pipelining ' + s.pipelining : ''} workers ${s.workers} fan-out ${s.fanOut}`
    + ` upstream ${s.upstream} node ${process.version} undici ${require('undici/package.json').version}`);
}
