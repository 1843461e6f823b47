// A real OpenID Provider (the certified npm package oidc-provider) for the SSO tests and the demo.
// It listens on 127.0.0.1 only, signs in with its own login page (the package's development
// interactions: any password is accepted, the login name picks the test account) and gives each
// account a NIP claim.
//
//   node tests/oidc/provider.mjs            # http://127.0.0.1:9400, the demo users below
//
// Environment (all optional):
//   OIDC_TEST_PORT           port (default 9400)
//   OIDC_TEST_CLIENT_ID      the portal's client id (default spbe-portal)
//   OIDC_TEST_CLIENT_SECRET  its secret (default spbe-portal-secret)
//   OIDC_TEST_REDIRECT_URIS  comma-separated portal base URLs (default http://127.0.0.1:8000);
//                            each gets /sso/<provider>/callback/ for every OIDC_TEST_PROVIDER_KEYS
//   OIDC_TEST_PROVIDER_KEYS  comma-separated portal provider keys (default "uji")
//   OIDC_TEST_USERS          JSON {"login": {"nip": "...", "name": "..."}} replacing the demo users
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_TEST_PORT || 9400);
const issuer = `http://127.0.0.1:${port}`;
const bases = (process.env.OIDC_TEST_REDIRECT_URIS || 'http://127.0.0.1:8000').split(',').map((s) => s.trim().replace(/\/$/, '')).filter(Boolean);
const keys = (process.env.OIDC_TEST_PROVIDER_KEYS || 'uji').split(',').map((s) => s.trim()).filter(Boolean);

// The demo accounts' NIPs (manage.py sso_demo records the same NIPs on the portal's demo users).
const demoUsers = {
  'admin.siak': { nip: '198001012006041001', name: 'Admin Siak' },
  'opd.bkpsdm.siak': { nip: '198502022010012002', name: 'Operator BKPSDM Siak' },
  'verifikator.siak': { nip: '198703032012011003', name: 'Verifikator Siak' },
  'tanpa.akun': { nip: '199909092020121999', name: 'ASN tanpa akun portal' },
};
const users = process.env.OIDC_TEST_USERS ? JSON.parse(process.env.OIDC_TEST_USERS) : demoUsers;

const redirectUris = bases.flatMap((base) => keys.map((key) => `${base}/sso/${key}/callback/`));
const postLogoutUris = bases.flatMap((base) => [`${base}/accounts/login/`]);

const configuration = {
  clients: [{
    client_id: process.env.OIDC_TEST_CLIENT_ID || 'spbe-portal',
    client_secret: process.env.OIDC_TEST_CLIENT_SECRET || 'spbe-portal-secret',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  // PKCE for every client, not only public ones: a code without its verifier is refused.
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'nip'],
  claims: { openid: ['sub'], profile: ['name'], nip: ['nip'] },
  async findAccount(_ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, name: user.name, nip: user.nip }; } };
  },
  // First-party client: no consent screen, the grant covers what the portal asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile nip');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['spbe-portal-test-provider-cookie-key'] },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
