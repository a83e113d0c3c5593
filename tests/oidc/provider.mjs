// A real OpenID Connect provider on loopback for Engage's single sign-on tests.
//
// It is oidc-provider (certified for the OpenID Connect Basic, Config and other profiles;
// MIT licence, node_modules/oidc-provider/LICENSE.md) with one confidential client, the
// accounts of a JSON file read on every request (so a test can change someone's groups
// between two sign-ins), and a one-field sign-in form a test posts to, so that no browser
// is needed. Consent is given for the client (a first-party application), as an
// organisation's identity provider does for its own applications.
//
//   node provider.mjs ACCOUNTS.json CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// listens on a free port of 127.0.0.1 (the system's choice) and prints "ready ISSUER".

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const [accountsFile, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: node provider.mjs ACCOUNTS.json CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

// The issuer names the port, so the server listens before the provider is made.
let handle;
const server = createServer((req, res) => handle(req, res));
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

// {"alice": {"email": "...", "email_verified": true, "name": "...", "groups": [...]}}
function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

const { generateKeyPair, exportJWK } = await import('jose');
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups', 'roles'],
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, sub) {
    const account = accounts()[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, ...account };
      },
    };
  },
  // The client is the organisation's own application: consent to what it asks is given.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'groups', 'roles']);
    await grant.save();
    return grant;
  },
});

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

// GET /interaction/UID shows the sign-in form; POST /interaction/UID/login signs in as
// the account named in its "login" field (an unknown one is shown the form again, 400).
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const action = `/interaction/${details.uid}/login`;
  if (req.method === 'POST' && req.url === action) {
    const login = (await readForm(req)).get('login') || '';
    if (login in accounts()) {
      await provider.interactionFinished(req, res, { login: { accountId: login } }, {
        mergeWithLastSubmission: false,
      });
      return;
    }
    res.statusCode = 400;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><title>Test identity provider</title>
<form method="post" action="${action}"><label>Account <input name="login"></label>
<button>Sign in</button></form>`);
}

const oidc = provider.callback();
handle = (req, res) => {
  if (!req.url.startsWith('/interaction/')) {
    oidc(req, res);
    return;
  }
  interaction(req, res).catch((error) => {
    res.statusCode = 400;
    res.end(String(error));
  });
};
console.log(`ready ${issuer}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
