// The local OpenID provider: node-oidc-provider (OpenID Certified), configured from
// realm.json. People sign in on its login page (authorization code with PKCE); services get
// tokens by client credentials. Access tokens are JWTs for one API each (RFC 8707 resource
// indicators, RFC 9068 format) carrying `roles`, `name` and, for a partner's people,
// `partner_id`.
//
//   node provider.mjs serve --issuer http://127.0.0.1:9400 --keys FILE [--realm FILE]
//   node provider.mjs keys rotate FILE    a new signing key first; the old one still published
//   node provider.mjs keys retire FILE    withdraw every key but the newest
//
// The key file is created with one RS256 key when missing. A running provider reads it at
// start, so rotate or retire, then restart the provider: services pick up the change from
// the published key set without a restart of their own.

import { randomBytes, randomUUID, webcrypto } from 'node:crypto';

// Node 18 (Debian 12's own) keeps Web Crypto off the global object; jose needs it there.
globalThis.crypto ??= webcrypto;
const { generateKeyPair, exportJWK } = await import('jose');
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const { default: Provider, errors } = await import('oidc-provider');

const here = dirname(fileURLToPath(import.meta.url));

function usage(message) {
  if (message) console.error(message);
  console.error('usage: provider.mjs serve --issuer URL --keys FILE [--realm FILE] [--host H] [--clock-skew S]');
  console.error('       provider.mjs keys rotate|retire FILE');
  process.exit(2);
}

function options(args) {
  const found = {};
  for (let i = 0; i < args.length; i += 2) {
    if (!args[i].startsWith('--') || args[i + 1] === undefined) usage(`bad option ${args[i]}`);
    found[args[i].slice(2)] = args[i + 1];
  }
  return found;
}

async function newKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function readKeys(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeKeys(file, keys) {
  // Written whole then renamed, so a provider starting meanwhile never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(keys, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function keysCommand([action, file]) {
  if (!file) usage('keys: name the key file');
  const keys = existsSync(file) ? readKeys(file) : { keys: [] };
  if (action === 'rotate') {
    keys.keys.unshift(await newKey());
  } else if (action === 'retire') {
    keys.keys = keys.keys.slice(0, 1);
  } else {
    usage(`keys: unknown action ${action}`);
  }
  writeKeys(file, keys);
  console.log(keys.keys.map((k) => k.kid).join('\n'));
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} - Council sign-in</title>
<style>
body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}header{background:#0b0c0c;color:#fff;padding:10px 30px;font-weight:bold}
main{max-width:640px;margin:30px auto;padding:0 15px}label{display:block;font-weight:bold;margin:20px 0 5px}
input{font-size:19px;padding:5px;width:100%;max-width:320px;border:2px solid #0b0c0c}input:focus,button:focus{outline:3px solid #fd0;outline-offset:0}
button{margin-top:25px;font-size:19px;padding:8px 12px;background:#00703c;color:#fff;border:0;box-shadow:0 2px 0 #002d18}
.error{border-left:5px solid #d4351c;padding-left:15px;color:#d4351c;font-weight:bold}
</style></head><body><header>Council sign-in</header><main id="main-content">${body}</main></body></html>`;
}

function loginPage(uid, client, error) {
  return page(error ? `Error: Sign in` : 'Sign in', `
<h1>Sign in</h1>
<p>to ${escape(client)}</p>
${error ? `<p class="error" role="alert" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" novalidate>
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" spellcheck="false" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit" data-prevent-double-click="true">Sign in</button>
</form>`);
}

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16384) throw new errors.InvalidRequest('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function serve(args) {
  const opts = options(args);
  if (!opts.issuer || !opts.keys) usage('serve: --issuer and --keys are required');
  const issuer = new URL(opts.issuer);
  const realm = JSON.parse(readFileSync(opts.realm ?? join(here, 'realm.json'), 'utf8'));
  if (!existsSync(opts.keys)) writeKeys(opts.keys, { keys: [await newKey()] });
  const jwks = readKeys(opts.keys);

  // A provider whose clock is wrong, for tests of tokens issued in the future or the past.
  const skew = Number(opts['clock-skew'] ?? 0) * 1000;
  if (skew) {
    const now = Date.now;
    Date.now = () => now() + skew;
  }

  const people = new Map(realm.people.map((p) => [p.sub, p]));
  const byUsername = new Map(realm.people.map((p) => [p.username, p]));
  const services = new Set(realm.clients.filter((c) => c.service).map((c) => c.client_id));
  const clients = realm.clients.map(({ service, _comment, ...client }) => client);

  const provider = new Provider(issuer.href.replace(/\/$/, ''), {
    clients,
    jwks,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'offline_access', 'housing'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 900, ClientCredentials: 900, IdToken: 900, Interaction: 900, Session: 8 * 3600, Grant: 8 * 3600, RefreshToken: 8 * 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (!realm.resources[resource]) throw new errors.InvalidTarget(`unknown API ${resource}`);
          return {
            scope: 'housing',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 900,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // People and service clients both get the roles claim; a service role goes only to a
    // client-credentials token, so no person can hold it.
    extraTokenClaims: async (_ctx, token) => {
      if (token.accountId) {
        const person = people.get(token.accountId);
        if (!person) return undefined;
        return {
          roles: person.roles,
          name: person.name,
          ...(person.partner ? { partner_id: person.partner } : {}),
        };
      }
      if (token.kind === 'ClientCredentials' && services.has(token.clientId)) {
        return { roles: ['Housing.Service'], name: token.clientId };
      }
      return undefined;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: person.name, preferred_username: person.username }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sorry, there is a problem', `<h1>Sorry, there is a problem</h1><p>${escape(out.error_description ?? out.error)}</p>`);
    },
  });
  provider.proxy = true;

  provider.use(async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return next();
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { uid, prompt, params } = details;
    if (ctx.method === 'GET' && !match[2]) {
      ctx.type = 'html';
      ctx.body = loginPage(uid, params.client_id);
      return undefined;
    }
    if (ctx.method !== 'POST' || !match[2]) return next();
    const form = await formBody(ctx.req);
    const person = byUsername.get(form.get('username') ?? '');
    if (!person || person.password !== form.get('password')) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = loginPage(uid, params.client_id, 'Enter a correct username and password');
      return undefined;
    }
    // First-party clients only: signing in grants what was asked, with no consent screen.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: person.sub, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope ?? 'openid'));
    const resources = [].concat(params.resource ?? []);
    for (const resource of resources) grant.addResourceScope(resource, 'housing');
    const grantId = await grant.save();
    const result = { login: { accountId: person.sub }, consent: { grantId } };
    if (prompt.name !== 'login' && prompt.name !== 'consent') usage(`unexpected prompt ${prompt.name}`);
    await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    return undefined;
  });

  const port = Number(issuer.port || 80);
  const host = opts.host ?? '127.0.0.1';
  provider.listen(port, host, () => {
    console.log(`OpenID provider ${provider.issuer} listening on ${host}:${port}, keys ${jwks.keys.map((k) => k.kid).join(', ')}`);
  });
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'serve') await serve(rest);
else if (command === 'keys') await keysCommand(rest);
else usage();
