/**
 * The malformed requests of R4, drawn from a seeded generator: every one is wrong in at least one
 * way the API must refuse (so none may start a run), across every route and every part of a
 * request — body, headers, encodings, path parameters, query, method, token, the protocol itself.
 * A category names what is wrong; the variant is chosen (and parameterised) by the random source.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync, deflateSync } from 'node:zlib';
import type { Rng } from '../lib/rng.js';
import { signToken, userClaims } from '../lib/tokens.js';
import { requestBytes } from './raw-http.js';

export interface FloodRequest {
  category: string;
  /** Method and target as sent, for reports. */
  line: string;
  bytes: Buffer;
}

export interface FloodTarget {
  port: number;
  jwtSecret: string;
  users: string[];
}

const START_ROUTES = ['/api/concepts/generate', '/api/concepts/generate-with-palettes'];
const REFINE_ROUTE = '/api/concepts/refine';
const ID_ROUTES: [string, (id: string) => string][] = [
  ['GET', (id) => `/api/tasks/${id}`],
  ['GET', (id) => `/api/tasks/${id}/events`],
  ['POST', (id) => `/api/tasks/${id}/cancel`],
  ['GET', (id) => `/api/concepts/${id}`],
  ['GET', (id) => `/api/storage/concept/${id}`],
];
const LIST_ROUTES = ['/api/tasks', '/api/concepts', '/api/storage/recent'];
const EXPORT_ROUTE = '/api/export/process';
const OTHER_ROUTES = ['/api/health', '/api/ready', '/api/health/ping', '/api/health/config', '/api/health/rate-limits-status', '/api/health/rate-limits', EXPORT_ROUTE, '/'];
/** The embedded store's signed object URLs (Supabase's layout) and the earlier layout. */
const FILE_PREFIXES = ['/storage/v1/object/sign/', '/files/'];
const ALL_ROUTES = [...START_ROUTES, REFINE_ROUTE, '/api/tasks', '/api/tasks/00000000-0000-4000-8000-000000000000', '/api/concepts', ...OTHER_ROUTES];

type Header = [string, string];

interface Parts {
  method: string;
  target: string;
  headers?: Header[];
  body?: Buffer | string;
  /** Leave out the Content-Length header the builder adds for a body. */
  noLength?: boolean;
}

export function createCatalogue(target: FloodTarget) {
  const host: Header = ['Host', `127.0.0.1:${target.port}`];
  const tokenOf = (rng: Rng) => signToken(target.jwtSecret, userClaims(rng.pick(target.users)));
  const auth = (rng: Rng): Header => ['Authorization', `Bearer ${tokenOf(rng)}`];
  const json: Header = ['Content-Type', 'application/json'];

  const build = (category: string, parts: Parts): FloodRequest => {
    const body = typeof parts.body === 'string' ? Buffer.from(parts.body, 'utf8') : parts.body;
    const headers: Header[] = [host, ['Connection', 'close'], ...(parts.headers ?? [])];
    if (body && !parts.noLength) headers.push(['Content-Length', String(body.length)]);
    return { category, line: `${parts.method} ${parts.target.slice(0, 120)}`, bytes: requestBytes(parts.method, parts.target, headers, body) };
  };

  const validGenerate = (rng: Rng) => ({
    logo_description: `R4 flood ${rng.pick(['fox', 'owl', 'peak', 'wave'])} emblem`,
    theme_description: rng.pick(['warm autumn', 'deep ocean', 'neon night']),
    num_palettes: rng.int(1, 12),
  });
  const randomText = (rng: Rng, length: number) =>
    Array.from({ length }, () => String.fromCodePoint(rng.pick([rng.int(0x20, 0x7e), rng.int(0xa0, 0x2fff), rng.int(0x1f300, 0x1f64f)]))).join('');

  /** A generate body with exactly one field made invalid (or the shape broken). */
  const badField = (rng: Rng): string => {
    const body: Record<string, unknown> = validGenerate(rng);
    const field = rng.pick(['logo_description', 'theme_description', 'num_palettes', 'shape']);
    if (field === 'num_palettes') {
      body.num_palettes = rng.pick<unknown>(['3', 3.5, 0, 13, -1, 1000, null, true, [3], {}, 'NaN', 1e-9, rng.int(13, 1e6)]);
    } else if (field === 'shape') {
      const variant = rng.int(0, 7);
      if (variant === 0) delete body.logo_description;
      if (variant === 1) delete body.theme_description;
      if (variant === 2) return JSON.stringify({});
      if (variant === 3) body[rng.pick(['user_id', 'task_id', 'status', 'workflow_id', 'extra'])] = 'x';
      if (variant === 4) return JSON.stringify([body]);
      if (variant === 5) return JSON.stringify({ ...body, num_palettes: undefined, Num_Palettes: 3, logo_description: undefined, Logo_Description: 'a fox head' });
      if (variant === 6) return `{"__proto__":{"polluted":true},${JSON.stringify(body).slice(1)}`;
      if (variant === 7) return `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(body).slice(1)}`;
    } else {
      body[field] = rng.pick<unknown>([
        42,
        true,
        null,
        [],
        {},
        ['a fox head'],
        '',
        'ab',
        '  a  ',
        ' '.repeat(rng.int(1, 40)),
        'x'.repeat(rng.int(501, 4000)),
        randomText(rng, rng.int(600, 1200)),
        { $gt: '' },
      ]);
    }
    return JSON.stringify(body);
  };

  const brokenJson = (rng: Rng): string | Buffer => {
    const text = JSON.stringify(validGenerate(rng));
    const variants: (() => string | Buffer)[] = [
      () => text.slice(0, rng.int(1, text.length - 1)),
      () => `${text}}`,
      () => `${text.slice(0, -1)},}`,
      () => text.replace(/"/g, "'"),
      () => text.replace(/"([a-z_]+)":/g, '$1:'),
      () => `${text}${randomText(rng, 5)}`,
      () => `/* comment */${text}`,
      () => text.replace(/\d+}$/, 'NaN}'),
      () => text.replace('emblem', 'emb\u0000lem'),
      () => `{"logo_description":"a fox\u0001\n head","theme_description":"warm"`,
      () => `\ufeff{${text}`,
      () => '['.repeat(rng.int(1000, 15000)),
      () => '{"a":'.repeat(rng.int(100, 2000)),
      () => `{"logo_description":"${'\\'.repeat(rng.int(1, 9))}x"}`,
      () => `{"logo_description": "\\ud800", "theme_description": 7}`,
      () => Buffer.from(Array.from({ length: rng.int(8, 400) }, () => rng.int(0, 255))),
      () => rng.pick(['{', '}', '[', ']', 'nul', 'tru', '"', '{"a":}', '{,}', '{"a" 1}', ' ', '\t\n']),
      () => `${text}\n${text}`,
      () => `{"num_palettes":3,"num_palettes":"three",${text.slice(1).replace(/,?"num_palettes":\d+/, '')}`,
    ];
    return rng.pick(variants)();
  };

  /** A category → a request. Every one must be refused (4xx), none may start a run. */
  const categories: Record<string, (rng: Rng) => FloodRequest> = {
    'json syntax': (rng) => build('json syntax', { method: 'POST', target: rng.pick(START_ROUTES), headers: [auth(rng), json], body: brokenJson(rng) }),

    'field values': (rng) => build('field values', { method: 'POST', target: rng.pick(START_ROUTES), headers: [auth(rng), json], body: badField(rng) }),

    'body size': (rng) => {
      const size = rng.int(16 * 1024 + 1, 300 * 1024);
      const body = JSON.stringify({ ...validGenerate(rng), logo_description: 'y'.repeat(size) });
      return build('body size', { method: 'POST', target: rng.pick([...START_ROUTES, REFINE_ROUTE]), headers: [auth(rng), json], body });
    },

    'content type': (rng) => {
      const body = JSON.stringify(validGenerate(rng));
      const variant = rng.int(0, 11);
      const types = ['text/plain', 'application/xml', 'application/jsonx', 'text/json', '*/*', 'application/json-seq', 'multipart/form-data; boundary=drill', 'application/octet-stream', ''];
      if (variant < types.length) return build('content type', { method: 'POST', target: rng.pick(START_ROUTES), headers: [auth(rng), ['Content-Type', types[variant]!]], body });
      if (variant === 9) return build('content type', { method: 'POST', target: rng.pick(START_ROUTES), headers: [auth(rng)], body });
      if (variant === 10) {
        return build('content type', {
          method: 'POST',
          target: rng.pick(START_ROUTES),
          headers: [auth(rng), ['Content-Type', 'application/x-www-form-urlencoded']],
          body: 'logo_description=a+fox+head&theme_description=warm+autumn&num_palettes=3',
        });
      }
      return build('content type', { method: 'POST', target: rng.pick(START_ROUTES), headers: [auth(rng), ['Content-Type', `application/json; charset=${rng.pick(['latin1', 'iso-2022-jp', 'ebcdic', 'bogus', 'utf-16le', 'utf-32'])}`]], body });
    },

    encoding: (rng) => {
      const text = JSON.stringify(validGenerate(rng));
      const route = rng.pick(START_ROUTES);
      const variant = rng.int(0, 9);
      const withEncoding = (encoding: string, body: Buffer | string) => build('encoding', { method: 'POST', target: route, headers: [auth(rng), json, ['Content-Encoding', encoding]], body });
      switch (variant) {
        case 0:
          return withEncoding('gzip', text);
        case 1:
          return withEncoding('deflate', gzipSync(text));
        case 2:
          return withEncoding('gzip', gzipSync(text).subarray(0, rng.int(5, 20)));
        case 3:
          return withEncoding(rng.pick(['br', 'compress', 'x-custom', 'zstd', 'gzip, gzip', 'identity, br']), Buffer.from(Array.from({ length: 40 }, () => rng.int(0, 255))));
        case 4:
          return withEncoding('gzip', gzipSync(`{"logo_description":"${' '.repeat(rng.int(1, 4) * 1024 * 1024)}"}`));
        case 5:
          return withEncoding('gzip', gzipSync(text.slice(0, -3)));
        case 6:
          return withEncoding('deflate', deflateSync(`${text}garbage`));
        case 7:
          return build('encoding', { method: 'POST', target: route, headers: [auth(rng), json, ['Transfer-Encoding', 'chunked']], body: `zz\r\n${text}\r\n0\r\n\r\n`, noLength: true });
        case 8:
          return build('encoding', {
            method: 'POST',
            target: route,
            headers: [auth(rng), json, ['Transfer-Encoding', 'chunked'], ['Content-Length', String(text.length)]],
            body: `${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`,
            noLength: true,
          });
        default:
          return build('encoding', { method: 'POST', target: route, headers: [auth(rng), json, ['Content-Length', rng.pick(['-1', 'abc', `${text.length}, ${text.length + 1}`, '1e3', ''])]], body: text, noLength: true });
      }
    },

    'idempotency key': (rng) => {
      const key = rng.pick(['', 'k'.repeat(rng.int(256, 2000)), 'ключ-повтора', 'key\twith\ttabs', 'émoji-🔑', '\u0085next-line']);
      return build('idempotency key', {
        method: 'POST',
        target: rng.pick(START_ROUTES),
        headers: [auth(rng), json, ['Idempotency-Key', Buffer.from(key, 'utf8').toString('latin1')]],
        body: JSON.stringify(validGenerate(rng)),
      });
    },

    token: (rng) => {
      const user = rng.pick(target.users);
      const now = Math.floor(Date.now() / 1000);
      const good = userClaims(user);
      const tokens: (() => string | undefined)[] = [
        () => undefined,
        () => 'Bearer',
        () => 'Bearer ',
        () => 'Basic ZHJpbGw6ZHJpbGw=',
        () => `Token ${signToken(target.jwtSecret, good)}`,
        () => `Bearer ${randomText(rng, rng.int(1, 60)).replace(/\s/g, '')}`,
        () => 'Bearer a.b.c',
        () => `Bearer ${'x'.repeat(rng.int(1000, 12000))}`,
        () => `Bearer ${signToken('not-the-secret-but-long-enough-123456', good)}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, exp: now - rng.int(120, 100000) })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, exp: undefined })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, exp: 'tomorrow' })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, nbf: now + 3600 })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, aud: rng.pick(['anon', 'service_role', '', ['other'], 42]) })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, iat: now - 10, exp: now + rng.int(2, 30) * 24 * 3600 })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, iat: now + rng.int(600, 100000) })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, sub: undefined })}`,
        () => `Bearer ${signToken(target.jwtSecret, { ...good, sub: rng.pick(['', '../etc', 'a b', '-x', 'x'.repeat(200), 42, null]) })}`,
        () => `Bearer ${signToken(target.jwtSecret, good, { alg: rng.pick(['none', 'HS512', 'RS256', 'ES256', 'hs256']) })}`,
        () => {
          const [header, payload] = signToken(target.jwtSecret, good).split('.');
          return `Bearer ${header}.${payload}.`;
        },
        () => {
          const [header, payload] = signToken(target.jwtSecret, good, { alg: 'none' }).split('.');
          return `Bearer ${header}.${payload}`;
        },
        () => `Bearer ${Buffer.from('{not json').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`,
        () => `Bearer ${signToken(target.jwtSecret, good)} ${signToken(target.jwtSecret, good)}`,
        () => `Bearer ${signToken(target.jwtSecret, good).slice(0, -rng.int(1, 10))}`,
      ];
      const value = rng.pick(tokens)();
      const headers: Header[] = value === undefined ? [json] : [['Authorization', value], json];
      return build('token', { method: 'POST', target: rng.pick([...START_ROUTES, REFINE_ROUTE]), headers, body: JSON.stringify(validGenerate(rng)) });
    },

    'path params': (rng) => {
      const id = rng.pick([
        'abc',
        '1',
        '-1',
        '0'.repeat(36),
        randomUUID(),
        randomUUID().toUpperCase(),
        `{${randomUUID()}}`,
        `${randomUUID()}x`,
        '%00',
        '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '..%2F..%2Fdb',
        '%E0%A4%A',
        '%',
        '%%',
        '%ZZ',
        'a'.repeat(rng.int(300, 6000)),
        '%F0%9F%98%80',
        encodeURIComponent("'; drop table tasks; --"),
        'null',
        '__proto__',
        'constructor',
        '%C0%AE%C0%AE',
      ]);
      const [method, path] = rng.pick(ID_ROUTES);
      return build('path params', { method, target: path(id), headers: [auth(rng)] });
    },

    query: (rng) => {
      const query = rng.pick([
        'limit=0',
        'limit=51',
        'limit=-1',
        'limit=abc',
        'limit=1.5',
        'limit=',
        'limit[]=1',
        'limit=1&limit=2',
        'limit[$gt]=1',
        'status=bogus',
        'status[$ne]=completed',
        'type=x',
        'status=',
        'limit=99999999999999999999999',
        '%ZZ=1',
        'limit=%00',
        'limit=%E0%A4%A',
        `q=${'x'.repeat(rng.int(1000, 7000))}`,
        'status=pending&status=failed',
        'limit=1e1',
        'limit= 5',
        'limit=0x10',
      ]);
      return build('query', { method: 'GET', target: `${rng.pick(LIST_ROUTES)}?${query}`, headers: [auth(rng)] });
    },

    method: (rng) => {
      const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'GET', 'HEAD', 'POST', 'SEARCH']);
      const route = rng.pick(ALL_ROUTES);
      // GET/HEAD on the start routes and POST on read routes are wrong; the same method on its own route is left out.
      const startsRuns = [...START_ROUTES, REFINE_ROUTE].includes(route);
      const effective = startsRuns && method === 'POST' ? 'PUT' : method;
      const withBody = !['GET', 'HEAD'].includes(effective);
      return build('method', {
        method: effective,
        target: route,
        headers: [auth(rng), ...(withBody ? [json] : [])],
        ...(withBody ? { body: JSON.stringify(validGenerate(rng)) } : {}),
      });
    },

    refine: (rng) => {
      const origin = `http://127.0.0.1:${target.port}`;
      const body = rng.pick<Record<string, unknown>>([
        {},
        { refinement_prompt: 'make it darker' },
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), original_image_url: `${origin}/files/concept-images/x.png` },
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID() },
        { refinement_prompt: 'make it darker', original_concept_id: 'abc' },
        { refinement_prompt: 'make it darker', original_image_url: 'http://evil.example/logo.png' },
        { refinement_prompt: 'make it darker', original_image_url: 'file:///etc/passwd' },
        { refinement_prompt: 'make it darker', original_image_url: `${origin}/files/concept-images/..%2F..%2Fsigning-secret?expires=9999999999&signature=${'0'.repeat(64)}` },
        { refinement_prompt: 'make it darker', original_image_url: `${origin}/files/concept-images/r4-user-0/x/base.png?expires=9999999999&signature=${'a'.repeat(64)}` },
        { refinement_prompt: 'make it darker', original_image_url: 'javascript:alert(1)' },
        { refinement_prompt: 'make it darker', original_image_url: 'data:image/png;base64,iVBORw0KGgo=' },
        { refinement_prompt: 'make it darker', original_image_url: `http://169.254.169.254/latest/meta-data` },
        { refinement_prompt: 'make it darker', original_image_url: 'x'.repeat(rng.int(2049, 5000)) },
        { refinement_prompt: 'abcd', original_concept_id: randomUUID() },
        { refinement_prompt: 'r'.repeat(501), original_concept_id: randomUUID() },
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), preserve_aspects: ['everything'] },
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), num_palettes: 99 },
        { refinement_prompt: ['make it darker'], original_concept_id: randomUUID() },
      ]);
      return build('refine', { method: 'POST', target: REFINE_ROUTE, headers: [auth(rng), json], body: JSON.stringify(body) });
    },

    files: (rng) => {
      const bucket = rng.pick(['concept-images', 'palette-images', 'etc', '..', '.meta', '']);
      const path = rng.pick(['r4-user-0/x/base.png', '..%2F..%2Fdb%2Fpgdata%2FPG_VERSION', '%2e%2e/%2e%2e/signing-secret', '.meta/x.json', '', 'a'.repeat(3000), '%00', '%E0%A4%A']);
      const query = rng.pick([
        '',
        '?expires=abc&signature=x',
        `?expires=9999999999&signature=${randomUUID().replace(/-/g, '').repeat(2)}`,
        `?expires=1&signature=${'f'.repeat(64)}`,
        `?expires=9999999999999999999999&signature=${'0'.repeat(64)}`,
        '?signature=&expires=',
        '?expires[]=1&signature[]=2',
      ]);
      return build('files', { method: rng.pick(['GET', 'HEAD']), target: `${rng.pick(FILE_PREFIXES)}${bucket}/${path}${query}`, headers: [] });
    },

    protocol: (rng) => {
      const garbage: (() => Buffer)[] = [
        () => Buffer.from(Array.from({ length: rng.int(16, 600) }, () => rng.int(0, 255))),
        () => Buffer.from('GET / HTTP/9.9\r\nHost: x\r\n\r\n'),
        () => Buffer.from('GET\r\n\r\n'),
        () => Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
        () => Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Drill: a\u0000b\r\n\r\n', 'latin1'),
        () => Buffer.from(`GET /${'a'.repeat(rng.int(17000, 40000))} HTTP/1.1\r\nHost: x\r\n\r\n`),
        () => Buffer.from(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(rng.int(17000, 40000))}\r\n\r\n`),
        () => Buffer.from('POST /api/concepts/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef'),
        () => Buffer.from('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n'),
        () => Buffer.from('get /api/health HTTP/1.1\r\nHost: x\r\n\r\n'),
        () => Buffer.from('GET /api/health HTTP/1.1\nHost: x\n\n'),
        () => Buffer.from(`POST /api/concepts/generate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n${'f'.repeat(40)}\r\n`),
        () => Buffer.from('\r\n\r\n\r\n'),
        () => Buffer.from(`GET http://evil.example/api/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`),
      ];
      const bytes = rng.pick(garbage)();
      return { category: 'protocol', line: bytes.subarray(0, 40).toString('latin1').split('\r\n')[0] ?? '', bytes };
    },

    export: (rng) => {
      const body = rng.pick<unknown>([
        {},
        { target_format: 'png' },
        { image_identifier: '../../etc/passwd', target_format: 'exe' },
        { image_identifier: '', target_format: 'png' },
        { image_identifier: 'http://evil.example/x.png', target_format: 'png' },
        { image_identifier: '/abs/x.png', target_format: 'svg' },
        { image_identifier: 'r4-user-0/x/base.png?x=1', target_format: 'jpg' },
        { image_identifier: 'r4-user-0/x/base.png', target_format: 'png', target_size: 'huge' },
        { image_identifier: 'r4-user-0/x/base.png', target_format: 'png', storage_bucket: 'secrets' },
        { image_identifier: 'r4-user-0/x/base.png', concept_id: randomUUID(), target_format: 'png' },
        { variation_id: randomUUID(), target_format: 'png' },
        { concept_id: 'abc', target_format: 'png' },
        { concept_id: randomUUID(), target_format: 'svg', svg_params: { color_mode: 'rainbow' } },
        { concept_id: randomUUID(), target_format: 'svg', svg_params: { max_colors: 10000 } },
        { image_identifier: 'x'.repeat(rng.int(1025, 5000)), target_format: 'png' },
        { image_identifier: 'r4-user-0/x/base.png', target_format: 'png', extra: true },
        [],
        'png',
      ]);
      return build('export', { method: 'POST', target: EXPORT_ROUTE, headers: [auth(rng), json], body: JSON.stringify(body) });
    },

    'other routes': (rng) => {
      const route = rng.pick(OTHER_ROUTES);
      const bodies = ['{}', '{"image_identifier":"../../etc/passwd","target_format":"exe"}', '{"target_format":"png","target_size":"huge","image_identifier":""}', 'not json', '[]'];
      const method = route === EXPORT_ROUTE ? 'POST' : rng.pick(['GET', 'GET', 'POST']);
      const headers: Header[] = [auth(rng), ...(method === 'POST' ? [json] : []), ['Accept', rng.pick(['*/*', 'text/html', 'application/x-drill', '', 'image/*;q=abc'])]];
      return build('other routes', {
        method,
        target: `${route}${rng.pick(['', '?x=%ZZ', `?${'p'.repeat(500)}=1`, '/extra', '%00', '/..%2f..%2f'])}`,
        headers,
        ...(method === 'POST' ? { body: rng.pick(bodies) } : {}),
      });
    },
  };

  return {
    categories: Object.keys(categories),
    next(rng: Rng): FloodRequest {
      const category = rng.pick(Object.keys(categories));
      return categories[category]!(rng);
    },
  };
}
