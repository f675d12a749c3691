import { clientView } from '../../../shared/flows/client';
import { captureLogs } from '../support/logs';

describe('clientView', () => {
  it('names the client by its client_name, trimmed', () => {
    expect(clientView({ client_id: 'demo', client_name: '  Demo App ' }).name).toBe('Demo App');
  });

  it('falls back to the client_id, then to a neutral name', () => {
    expect(clientView({ client_id: 'demo', client_name: '   ' }).name).toBe('demo');
    expect(clientView({}).name).toBe('the application');
    expect(clientView(undefined).name).toBe('the application');
  });

  it('shortens a very long name to 100 characters', () => {
    const name = clientView({ client_name: 'A'.repeat(500) }).name;

    expect(name).toHaveLength(100);
    expect(name.endsWith('…')).toBe(true);
  });

  it('passes the links on for the views to check', () => {
    expect(
      clientView({
        client_name: 'Demo',
        logo_uri: 'https://app.example/logo.png',
        policy_uri: 'https://app.example/privacy',
        tos_uri: 'https://app.example/tos',
        client_uri: 'https://app.example/',
      }),
    ).toEqual({
      name: 'Demo',
      logoUri: 'https://app.example/logo.png',
      policyUri: 'https://app.example/privacy',
      tosUri: 'https://app.example/tos',
      clientUri: 'https://app.example/',
    });
  });
});

describe("clientView: a client's metadata.brand", () => {
  const logs = captureLogs();
  const client = (brand: unknown) => ({
    client_id: 'orders',
    client_name: 'Registered',
    logo_uri: 'https://orders.example/registered.png',
    metadata: { brand },
  });

  it('overrides the name and logo and adds its colour', () => {
    expect(
      clientView(
        client({
          display_name: ' Orders by Acme ',
          logo_uri: 'https://orders.example/brand.png',
          colour: '#7C3AED',
        }),
      ),
    ).toMatchObject({
      name: 'Orders by Acme',
      logoUri: 'https://orders.example/brand.png',
      colour: '#7c3aed',
    });
    expect(logs.lines).toEqual([]);
  });

  it.each([
    ['an empty name', { display_name: ' ' }, 'metadata.brand.display_name'],
    ['a name of two lines', { display_name: 'Orders\nby Acme' }, 'metadata.brand.display_name'],
    [
      'a name over 100 characters',
      { display_name: 'A'.repeat(101) },
      'metadata.brand.display_name',
    ],
    ['a javascript: logo', { logo_uri: 'javascript:alert(1)' }, 'metadata.brand.logo_uri'],
    ['a colour that is not #rrggbb', { colour: 'purple' }, 'metadata.brand.colour'],
    ['a colour below WCAG AA', { colour: '#f59e0b' }, 'metadata.brand.colour'],
    ['a brand that is not an object', 'purple', 'metadata.brand'],
    ['a key we do not read', { font: 'Comic Sans' }, '1 unknown key(s)'],
  ])('ignores %s, with a warning naming the client and the key', (_case, brand, ignored) => {
    const view = clientView(client(brand));

    expect(view).toMatchObject({
      name: 'Registered',
      logoUri: 'https://orders.example/registered.png',
    });
    expect(view.colour).toBeUndefined();
    expect(logs.entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'client brand metadata ignored',
        clientId: 'orders',
        ignored: [ignored],
      }),
    ]);
  });

  it('reads nothing, and says nothing, without metadata.brand', () => {
    expect(clientView({ client_id: 'orders', metadata: { other: 1 } }).colour).toBeUndefined();
    expect(logs.lines).toEqual([]);
  });
});
