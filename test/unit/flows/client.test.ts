import { clientView } from '../../../shared/flows/client';

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
