import { parseSender, threadHeaders, ticketIdFromReplyAddress } from './mail-addressing';

describe('parseSender', () => {
  it.each([
    ['Helpdesk <support@localhost>', { name: 'Helpdesk', local: 'support', domain: 'localhost' }],
    [
      '"Acme Support" <help@Acme.example>',
      { name: 'Acme Support', local: 'help', domain: 'acme.example' },
    ],
    ['support@example.com', { name: 'Helpdesk', local: 'support', domain: 'example.com' }],
    ['<desk@example.com>', { name: 'Helpdesk', local: 'desk', domain: 'example.com' }],
  ])('reads %s', (from, expected) => {
    expect(parseSender(from)).toEqual(expected);
  });

  it('refuses a MAIL_FROM without an address', () => {
    expect(() => parseSender('Helpdesk')).toThrow(/MAIL_FROM/);
  });
});

describe('threadHeaders', () => {
  const sender = parseSender('Helpdesk <support@help.example.com>');
  const ticketId = '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11';

  it('threads ticket emails under one root and routes replies back to the ticket', () => {
    const first = threadHeaders(sender, 'n-1', ticketId);
    const second = threadHeaders(sender, 'n-2', ticketId);
    expect(first).toEqual({
      messageId: '<n-1@help.example.com>',
      inReplyTo: `<ticket-${ticketId}@help.example.com>`,
      references: [`<ticket-${ticketId}@help.example.com>`],
      replyTo: `support+t${ticketId}@help.example.com`,
    });
    expect(second.inReplyTo).toBe(first.inReplyTo);
    expect(second.messageId).not.toBe(first.messageId);
    expect(ticketIdFromReplyAddress(first.replyTo!)).toBe(ticketId);
  });

  it('gives other emails only their own Message-ID', () => {
    expect(threadHeaders(sender, 'n-3', null)).toEqual({
      messageId: '<n-3@help.example.com>',
      inReplyTo: null,
      references: [],
      replyTo: null,
    });
    expect(ticketIdFromReplyAddress('support@help.example.com')).toBeNull();
  });
});
