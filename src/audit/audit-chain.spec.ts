import {
  advisoryLockIdOf,
  AuditKeyring,
  canonicalContent,
  chainKeyOf,
  ChainVerifier,
  type AuditEntryContent,
  type SignedAuditEntry,
} from './audit-chain';

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);

let counter = 0;

/** A chain of `length` entries for one resource, signed the way the writer signs them. */
function chain(keyring: AuditKeyring, length: number, resourceId = 'r-1'): SignedAuditEntry[] {
  const entries: SignedAuditEntry[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    counter += 1;
    const content: AuditEntryContent = {
      id: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 10, 21, 9, 30, counter)),
      actorType: 'user',
      actorId: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11',
      actorRole: 'admin',
      action: 'user.update',
      resourceType: 'user',
      resourceId,
      requestId: `req-${counter}`,
      ip: '127.0.0.1',
      userAgent: 'jest',
      changes: { name: [`n${seq - 1}`, `n${seq}`] },
      details: {},
      chainKey: chainKeyOf('user', resourceId),
      chainSeq: seq,
      prevHash: entries[seq - 2]?.hash ?? null,
      keyId: keyring.current.id,
    };
    entries.push({ ...content, hash: keyring.hashOf(content)! });
  }
  return entries;
}

function faults(keyring: AuditKeyring, entries: SignedAuditEntry[]) {
  const verifier = new ChainVerifier(keyring);
  return entries.map((entry) => verifier.check(entry));
}

describe('canonicalContent', () => {
  it('covers every field, in a fixed order whatever the object', () => {
    const [entry] = chain(new AuditKeyring(KEY_A), 1);
    const text = canonicalContent(entry);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'action',
      'actor_id',
      'actor_role',
      'actor_type',
      'chain_key',
      'chain_seq',
      'changes',
      'details',
      'id',
      'ip',
      'key_id',
      'occurred_at',
      'prev_hash',
      'request_id',
      'resource_id',
      'resource_type',
      'user_agent',
    ]);
    expect(text).not.toContain('"hash"');
  });
});

describe('AuditKeyring', () => {
  it('derives a stable key id that does not reveal the key', () => {
    expect(AuditKeyring.idOf(KEY_A)).toBe(AuditKeyring.idOf(KEY_A));
    expect(AuditKeyring.idOf(KEY_A)).not.toBe(AuditKeyring.idOf(KEY_B));
    expect(AuditKeyring.idOf(KEY_A)).toMatch(/^[0-9a-f]{16}$/);
    expect(KEY_A).not.toContain(AuditKeyring.idOf(KEY_A));
  });

  it('signs with the current key and verifies with previous ones', () => {
    const keyring = new AuditKeyring(KEY_B, [KEY_A]);
    expect(keyring.current.id).toBe(AuditKeyring.idOf(KEY_B));
    expect(keyring.find(AuditKeyring.idOf(KEY_A))?.secret).toBe(KEY_A);
    expect(keyring.find('0000000000000000')).toBeUndefined();
  });

  it('gives a different hash for any change of content', () => {
    const keyring = new AuditKeyring(KEY_A);
    const [entry] = chain(keyring, 1);
    const variants: Array<Partial<AuditEntryContent>> = [
      { actorId: null },
      { actorRole: 'support' },
      { action: 'user.create' },
      { resourceId: 'r-2' },
      { ip: '10.0.0.1' },
      { changes: { name: ['n0', 'n2'] } },
      { details: { reason: 'x' } },
      { chainSeq: 2 },
      { occurredAt: new Date(entry.occurredAt.getTime() + 1) },
    ];
    for (const variant of variants) {
      expect(keyring.hashOf({ ...entry, ...variant })).not.toBe(entry.hash);
    }
  });
});

describe('ChainVerifier', () => {
  const keyring = new AuditKeyring(KEY_A);

  it('accepts untouched chains, one after another', () => {
    const entries = [...chain(keyring, 3, 'r-a'), ...chain(keyring, 2, 'r-b')];
    expect(faults(keyring, entries)).toEqual([null, null, null, null, null]);
  });

  it('flags only the entry whose content was edited', () => {
    const entries = chain(keyring, 3);
    entries[1] = { ...entries[1], changes: { name: ['n0', 'forged'] } };
    expect(faults(keyring, entries)).toEqual([null, 'hash_mismatch', null]);
  });

  it('flags an edited hash and the entry that linked to it', () => {
    const entries = chain(keyring, 3);
    entries[1] = { ...entries[1], hash: 'f'.repeat(64) };
    expect(faults(keyring, entries)).toEqual([null, 'hash_mismatch', 'broken_link']);
  });

  it('flags the entry after a removed one', () => {
    const entries = chain(keyring, 3);
    expect(faults(keyring, [entries[0], entries[2]])).toEqual([null, 'sequence_gap']);
  });

  it('flags a chain whose first entry was removed', () => {
    const entries = chain(keyring, 2);
    expect(faults(keyring, [entries[1]])).toEqual(['sequence_gap']);
  });

  it('flags an entry moved to another resource', () => {
    const entries = chain(keyring, 1);
    expect(faults(keyring, [{ ...entries[0], resourceId: 'r-9' }])).toEqual(['wrong_chain']);
  });

  it('after a rotation, verifies old and new entries only while the old key is listed', () => {
    const old = chain(new AuditKeyring(KEY_A), 2, 'r-rot');
    const rotated = new AuditKeyring(KEY_B, [KEY_A]);
    const next: AuditEntryContent = {
      ...old[1],
      id: '00000000-0000-7000-8000-999999999999',
      chainSeq: 3,
      prevHash: old[1].hash,
      keyId: rotated.current.id,
    };
    const entries = [...old, { ...next, hash: rotated.hashOf(next)! }];
    expect(faults(rotated, entries)).toEqual([null, null, null]);
    expect(faults(new AuditKeyring(KEY_B), entries)).toEqual(['unknown_key', 'unknown_key', null]);
  });
});

describe('advisoryLockIdOf', () => {
  it('is a stable signed 64-bit number per chain', () => {
    const id = advisoryLockIdOf('ticket:1');
    expect(advisoryLockIdOf('ticket:1')).toBe(id);
    expect(advisoryLockIdOf('ticket:2')).not.toBe(id);
    expect(id >= -(2n ** 63n) && id < 2n ** 63n).toBe(true);
  });
});
