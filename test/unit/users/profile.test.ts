import { canonicalLocale, profileProblems } from '../../../shared/users/profile';

describe('profile claims with a form of their own', () => {
  it('takes an https picture, an E.164 phone number and a canonical BCP 47 locale', () => {
    expect(
      profileProblems({
        picture: 'https://cdn.example.com/u/alice.png?size=96',
        phone_number: '+442071838750',
        locale: 'pt-BR',
      }),
    ).toEqual([]);
    expect(profileProblems({})).toEqual([]);
  });

  it.each([
    ['http://example.com/a.png', 'plain http'],
    ['//example.com/a.png', 'no scheme'],
    ['javascript:alert(1)', 'another scheme'],
    ['https://user:pw@example.com/a.png', 'credentials in the URL'],
    ['a.png', 'no URL at all'],
  ])('refuses the picture %s (%s)', (picture) => {
    expect(profileProblems({ picture })).toEqual([
      { claim: 'picture', problem: expect.stringMatching(/^must be an https URL/) },
    ]);
  });

  it.each(['4155550123', '+1 415 555 0123', '+0123456', '+1234567890123456', '+1', ''])(
    'refuses the phone number "%s"',
    (phone_number) => {
      expect(profileProblems({ phone_number })).toEqual([
        { claim: 'phone_number', problem: expect.stringMatching(/^must be in E\.164 form/) },
      ]);
    },
  );

  it.each(['en_US', 'en,de', '', 'x', 'english!'])('refuses the locale "%s"', (locale) => {
    expect(profileProblems({ locale })).toEqual([
      { claim: 'locale', problem: expect.stringMatching(/^must be one BCP 47 language tag/) },
    ]);
  });

  it('asks for the canonical form of a locale that is a tag in another spelling', () => {
    expect(canonicalLocale('de-ch')).toBe('de-CH');
    expect(profileProblems({ locale: 'de-ch' })).toEqual([
      { claim: 'locale', problem: 'must be in its canonical form, de-CH' },
    ]);
  });

  it('lists every problem, in claim order', () => {
    expect(
      profileProblems({ picture: 'x', phone_number: 'y', locale: 'z_' }).map((p) => p.claim),
    ).toEqual(['picture', 'phone_number', 'locale']);
  });
});
