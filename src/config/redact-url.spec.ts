import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('redis://:s3cret-pass@127.0.0.1:6380/0')).toBe(
      'redis://:***@127.0.0.1:6380/0',
    );
    expect(redactUrl('postgres://app:s3cret@db:5432/helpdesk')).toBe(
      'postgres://app:***@db:5432/helpdesk',
    );
  });

  it('leaves a URL without a password alone, and never echoes an unparseable one', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url with s3cret')).toBe('[unparseable url]');
  });
});
