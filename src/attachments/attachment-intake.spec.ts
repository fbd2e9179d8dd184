import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { Controller, Module, Post, Req, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyRequest } from 'fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ProblemFilter } from '@helpdesk/common';
import {
  elfExecutable,
  minimalDocx,
  tinyPng,
  windowsExecutable,
} from '@helpdesk/testing/sample-files';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { AttachmentIntake, type ReceivedUpload } from './attachment-intake';
import { AttachmentFilesModule } from './attachment-files.module';
import { multipartOptions } from './multipart-options';
import { AttachmentStorage, type PutOptions } from './storage/attachment-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MiB = 1024 * 1024;

/** Local disk storage that also counts the bytes handed to it, to watch an upload progress. */
class CountingStorage extends LocalDiskStorage {
  received = 0;

  override put(key: string, content: Readable, options?: PutOptions) {
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.received += chunk.length;
        callback(null, chunk);
      },
    });
    return super.put(
      key,
      pipeline(content, counter, () => undefined),
      options,
    );
  }
}

// A throwaway route: the intake as the attachments controller will use it.
@Controller('uploads')
class UploadController {
  constructor(private readonly intake: AttachmentIntake) {}

  @Post()
  receive(@Req() req: FastifyRequest): Promise<ReceivedUpload> {
    return this.intake.receive(req);
  }
}

@Module({})
class ConfigHolder {
  static with(config: AppConfig): DynamicModule {
    return {
      module: ConfigHolder,
      global: true,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

interface UploadApp {
  app: NestFastifyApplication;
  http: TestAgent;
  storage: CountingStorage;
  root: string;
  close(): Promise<void>;
}

async function startUploadApp(env: Record<string, string> = {}): Promise<UploadApp> {
  const root = await mkdtemp(join(tmpdir(), 'helpdesk-intake-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env, STORAGE_DIR: root });
  const storage = new CountingStorage(config);
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigHolder.with(config), AttachmentFilesModule],
    controllers: [UploadController],
    providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
  })
    .overrideProvider(AttachmentStorage)
    .useValue(storage)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter({ multipart: multipartOptions(config) }),
    { logger: false },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await storage.onModuleInit();
  return {
    app,
    http: request(app.getHttpServer()),
    storage,
    root,
    close: async () => {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Stored files (not directories), relative to the storage root; includes unfinished temp files. */
async function storedFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe('AttachmentIntake', () => {
  let t: UploadApp;

  beforeAll(async () => {
    t = await startUploadApp({ MAX_ATTACHMENT_BYTES: String(256 * 1024) });
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(async () => {
    await rm(t.root, { recursive: true, force: true });
    await t.storage.onModuleInit();
  });

  it('stores each file under a fresh key with the type its bytes show, its size and sha256', async () => {
    const png = tinyPng();
    const docx = minimalDocx();
    const text = 'Grüße aus dem Helpdesk\n';

    const res = await t.http
      .post('/uploads')
      .field('visibility', 'internal')
      .field('message_id', '0190d7a5-1c2b-7a3e-9f00-000000000001')
      // Declared types and names are lies on purpose: neither is trusted.
      .attach('files', png, { filename: 'screenshot.jpg', contentType: 'application/pdf' })
      .attach('files', docx, { filename: 'Résumé.docx', contentType: 'text/plain' })
      .attach('files', Buffer.from(text), { filename: '../../notes', contentType: 'image/png' })
      .expect(201);

    expect(res.body.fields).toEqual({
      visibility: 'internal',
      message_id: '0190d7a5-1c2b-7a3e-9f00-000000000001',
    });
    expect(res.body.files).toEqual([
      {
        storageKey: expect.any(String),
        fileName: 'screenshot.jpg.png',
        contentType: 'image/png',
        size: png.length,
        sha256: sha256(png),
      },
      {
        storageKey: expect.any(String),
        fileName: 'Résumé.docx',
        contentType: DOCX,
        size: docx.length,
        sha256: sha256(docx),
      },
      {
        storageKey: expect.any(String),
        fileName: 'notes.txt',
        contentType: 'text/plain',
        size: Buffer.byteLength(text),
        sha256: sha256(text),
      },
    ]);
    for (const [file, bytes] of [
      [res.body.files[0], png],
      [res.body.files[1], docx],
    ] as const) {
      expect((await readFile(join(t.root, file.storageKey))).equals(bytes)).toBe(true);
    }
    expect((await storedFiles(t.root)).sort()).toEqual(
      res.body.files.map((f: { storageKey: string }) => f.storageKey).sort(),
    );
  });

  it('answers 415 for an executable renamed .png, and deletes the files stored before it', async () => {
    const res = await t.http
      .post('/uploads')
      .attach('files', tinyPng(), 'fine.png')
      .attach('files', elfExecutable(), { filename: 'cute-cat.png', contentType: 'image/png' })
      .expect(415);

    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'Executable files (ELF) are not accepted.',
    });
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it.each([
    ['a Windows executable', windowsExecutable()],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['an HTML page', Buffer.from('<!doctype html><script>alert(document.cookie)</script>')],
    ['an SVG image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['text with a NUL byte', Buffer.from('abc\0def')],
    ['invalid UTF-8', Buffer.from([0x68, 0xff, 0x69])],
  ])('answers 415 for %s', async (_name, bytes) => {
    const res = await t.http.post('/uploads').attach('files', bytes, 'upload.txt').expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('answers 415 when a NUL byte comes long after the sniffed head', async () => {
    const bytes = Buffer.concat([Buffer.alloc(200 * 1024, 'a'), Buffer.from([0])]);
    await t.http.post('/uploads').attach('files', bytes, 'long.txt').expect(415);
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('answers 413 for a file over MAX_ATTACHMENT_BYTES and leaves nothing behind', async () => {
    const res = await t.http
      .post('/uploads')
      .attach('files', tinyPng(), 'first.png')
      .attach('files', Buffer.alloc(1 * MiB, 'a'), 'big.txt')
      .expect(413);

    expect(res.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'Each file may be at most 256 KiB.',
    });
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('accepts a file of exactly MAX_ATTACHMENT_BYTES', async () => {
    const res = await t.http
      .post('/uploads')
      .attach('files', Buffer.alloc(256 * 1024, 'a'), 'exact.txt')
      .expect(201);
    expect(res.body.files[0].size).toBe(256 * 1024);
  });

  it('answers 413 for an 11th file and keeps none of the first ten', async () => {
    let req = t.http.post('/uploads');
    for (let i = 0; i < 11; i += 1)
      req = req.attach('files', Buffer.from(`file ${i}\n`), `f${i}.txt`);
    const res = await req.expect(413);
    expect(res.body.detail).toBe('At most 10 files per request.');
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('accepts ten files', async () => {
    let req = t.http.post('/uploads');
    for (let i = 0; i < 10; i += 1)
      req = req.attach('files', Buffer.from(`file ${i}\n`), `f${i}.txt`);
    const res = await req.expect(201);
    expect(res.body.files).toHaveLength(10);
  });

  it.each([
    [
      'an unknown text field',
      (r: request.Test) => r.field('owner', 'me').attach('files', tinyPng(), 'a.png'),
      'owner',
    ],
    [
      'a field sent twice',
      (r: request.Test) =>
        r
          .field('visibility', 'public')
          .field('visibility', 'internal')
          .attach('files', tinyPng(), 'a.png'),
      'visibility',
    ],
    [
      'a file in another field',
      (r: request.Test) => r.attach('avatar', tinyPng(), 'a.png'),
      'avatar',
    ],
    ['no file at all', (r: request.Test) => r.field('visibility', 'public'), 'files'],
    [
      'an empty file',
      (r: request.Test) => r.attach('files', Buffer.alloc(0), 'empty.txt'),
      'files',
    ],
  ])('answers 422 for %s', async (_name, build, field) => {
    const res = await build(t.http.post('/uploads')).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors[0].field).toBe(field);
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('answers 415 for a body that is not multipart/form-data', async () => {
    const res = await t.http.post('/uploads').send({ files: 'nope' }).expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 for a multipart body that breaks off', async () => {
    const res = await t.http
      .post('/uploads')
      .set('content-type', 'multipart/form-data; boundary=XyZ')
      .send('--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhello')
      .expect(400);
    expect(res.body.code).toBe('MALFORMED_REQUEST');
    expect(await storedFiles(t.root)).toEqual([]);
  });

  it('keeps a UTF-8 file name and decodes the form encoding of quotes', async () => {
    const res = await t.http
      .post('/uploads')
      .attach('files', tinyPng(), { filename: '屏幕截图 %22final%22.png' })
      .expect(201);
    expect(res.body.files[0].fileName).toBe('屏幕截图 _final_.png');
  });

  it('cleans up when the client disconnects mid-upload', async () => {
    const port = await listening(t.app);
    const boundary = 'cut-off-boundary';
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/uploads',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('error', () => undefined);
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n`,
    );
    req.write(Buffer.alloc(200 * 1024, 'a'));
    // Wait until the upload is being written (its temp file exists), then cut it off.
    await until(async () => (await storedFiles(t.root)).length > 0);
    req.destroy();

    await until(async () => (await storedFiles(t.root)).length === 0);
  });
});

describe('AttachmentIntake streaming', () => {
  const FILE_BYTES = 64 * MiB;
  let t: UploadApp;

  beforeAll(async () => {
    t = await startUploadApp({ MAX_ATTACHMENT_BYTES: String(FILE_BYTES) });
  });

  afterAll(async () => {
    await t.close();
  });

  it('streams a 64 MiB file to disk while it arrives instead of buffering it', async () => {
    const started = Date.now();
    const port = await listening(t.app);
    const boundary = 'streaming-test-boundary';
    const line = Buffer.from('The quick brown fox jumps over the lazy dog, 0123456789.\n');
    const chunk = Buffer.concat(
      Array.from({ length: Math.ceil((64 * 1024) / line.length) }, () => line),
    );
    const hash = createHash('sha256');
    let produced = 0;
    // How far the client ever got ahead of what had reached storage. A buffering intake would let
    // this grow to the whole file; a streaming one keeps it to socket and stream buffers.
    let largestLead = 0;
    // And what the process holds live (after a full GC, so garbage not yet collected does not
    // count), sampled every 16 MiB: a buffered file would show up here in full.
    const live = (): number => {
      collectGarbage();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const before = live();
    let peakGrowth = 0;

    let ended = false;
    const body = new Readable({
      read() {
        if (ended) return void this.push(null);
        if (produced > 0 && produced % (16 * MiB) < chunk.length) {
          peakGrowth = Math.max(peakGrowth, live() - before);
        }
        largestLead = Math.max(largestLead, produced - t.storage.received);
        if (produced >= FILE_BYTES) {
          ended = true;
          return void this.push(`\r\n--${boundary}--\r\n`);
        }
        const piece = chunk.subarray(0, Math.min(chunk.length, FILE_BYTES - produced));
        hash.update(piece);
        produced += piece.length;
        this.push(piece);
      },
    });
    const response = await new Promise<{ status: number; body: ReceivedUpload }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/uploads',
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (data: string) => (text += data));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.write(
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.log"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        );
        body.pipe(req);
      },
    );

    expect(response.status).toBe(201);
    expect(response.body.files[0]).toMatchObject({
      fileName: 'big.log',
      contentType: 'text/plain',
      size: FILE_BYTES,
      sha256: hash.digest('hex'),
    });
    expect(largestLead).toBeLessThan(FILE_BYTES / 4);
    expect(peakGrowth).toBeLessThan(FILE_BYTES / 8);
    console.log(
      `streamed ${FILE_BYTES / MiB} MiB: client lead ≤ ${(largestLead / MiB).toFixed(1)} MiB, ` +
        `heap+arrayBuffers growth ≤ ${(peakGrowth / MiB).toFixed(1)} MiB, ${Date.now() - started} ms`,
    );
  }, 30_000);
});

/** Full garbage collection, without starting the process with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // V8 releases Buffer memory in a concurrent sweep after a collection; the second collection
  // finishes the first one's sweep, so what is left is really live.
  gc();
  gc();
}

async function listening(app: NestFastifyApplication): Promise<number> {
  const server = app.getHttpServer();
  if (!server.listening) await app.listen(0, '127.0.0.1');
  return (server.address() as AddressInfo).port;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
