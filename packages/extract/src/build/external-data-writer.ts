import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Offsets are aligned like the reference `onnx` writer does for mmap-friendly loading. */
const ALIGNMENT = 64;

/**
 * Appends weight bytes to an ONNX external data file (`model.onnx_data`), written under a
 * temporary name and renamed into place by {@link ExternalDataWriter.commit}, so readers never see
 * half a file (the same contract as `writeFileAtomic`, which needs the whole content in memory).
 */
export class ExternalDataWriter {
  private offset = 0;

  private constructor(
    readonly fileName: string,
    private readonly path: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  /** Starts `folder/fileName` (the folder must exist). */
  static async create(folder: string, fileName: string): Promise<ExternalDataWriter> {
    const tempPath = join(folder, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    return new ExternalDataWriter(fileName, join(folder, fileName), tempPath, await open(tempPath, 'w'));
  }

  /** Appends `bytes` and returns where they went. */
  async append(bytes: Uint8Array): Promise<{ offset: number; length: number }> {
    const padding = (ALIGNMENT - (this.offset % ALIGNMENT)) % ALIGNMENT;
    if (padding > 0) {
      await this.handle.write(new Uint8Array(padding), 0, padding, this.offset);
      this.offset += padding;
    }
    const offset = this.offset;
    await this.handle.write(bytes, 0, bytes.byteLength, offset);
    this.offset += bytes.byteLength;
    return { offset, length: bytes.byteLength };
  }

  /** Flushes and renames the file into place. */
  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.tempPath, this.path);
  }

  /** Closes and deletes the temporary file (after a failure). */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }
}
