import { createIdentifierTags } from '../../../shared/users/tags';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

describe('identifier tags', () => {
  const tags = createIdentifierTags(SECRET);

  it('name one identifier the same way every time, and two identifiers differently', () => {
    expect(tags.account('alice@example.com')).toBe(
      createIdentifierTags(SECRET).account('alice@example.com'),
    );
    expect(tags.account('alice@example.com')).not.toBe(tags.account('bob@example.com'));
    expect(tags.log('alice@example.com')).not.toBe(tags.log('bob@example.com'));
  });

  it('are keyed: without the secret an identifier cannot be matched to its tag', () => {
    const other = createIdentifierTags(`${SECRET}-other`);

    expect(other.account('alice@example.com')).not.toBe(tags.account('alice@example.com'));
    expect(other.log('alice@example.com')).not.toBe(tags.log('alice@example.com'));
  });

  it('differ by purpose: a log line tag is not the throttle and device cookie tag', () => {
    const account = tags.account('alice@example.com');
    const logged = tags.log('alice@example.com');

    expect(account.startsWith(logged)).toBe(false);
  });

  it('are URL-safe and of fixed length, whatever the identifier', () => {
    for (const identifier of ['', 'a', 'alice@example.com', 'é'.repeat(1000)]) {
      expect(tags.account(identifier)).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(tags.log(identifier)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
  });
});
