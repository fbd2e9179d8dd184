import { Transform, type TransformCallback } from 'node:stream';
import {
  PlainTextCheck,
  SNIFF_BYTES,
  type FileClassification,
  type FileTypePolicy,
} from './file-type-policy';

/**
 * Sits between an upload and storage: holds back the first SNIFF_BYTES, has the policy classify
 * them, then lets everything through — checking every later chunk too when the file is text. A
 * refused file fails the stream (UnsupportedMediaTypeError) before most of it is written.
 */
export class ContentInspector extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private decided?: FileClassification;
  private textCheck?: PlainTextCheck;

  constructor(
    private readonly policy: FileTypePolicy,
    private readonly sniffBytes = SNIFF_BYTES,
  ) {
    super();
  }

  /** The verdict, once the stream has finished. */
  get classification(): FileClassification {
    if (!this.decided) throw new Error('ContentInspector: read the classification after the end');
    return this.decided;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.decided) {
      try {
        this.forward(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < this.sniffBytes) {
      callback();
      return;
    }
    this.decide(false).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    const decided = this.decided ? Promise.resolve() : this.decide(true);
    decided.then(() => {
      try {
        this.textCheck?.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    }, callback);
  }

  private async decide(complete: boolean): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.decided = await this.policy.classify(head, complete);
    if (this.decided.isText) this.textCheck = new PlainTextCheck();
    this.forward(head);
  }

  /** Throws when a text file stops being text. */
  private forward(chunk: Buffer): void {
    this.textCheck?.push(chunk);
    if (chunk.length) this.push(chunk);
  }
}
