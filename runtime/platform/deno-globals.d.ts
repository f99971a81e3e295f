// Only the Deno APIs the adapter uses, so type-checking does not need Deno's own lib files.
export {};

declare global {
  namespace Deno {
    const version: { deno: string };
    function uid(): number | null;
    interface HttpClient {
      close(): void;
    }
    function createHttpClient(options: { proxy?: { transport: "unix"; path: string }; caCerts?: string[] }): HttpClient;
    interface CommandOutput {
      code: number;
      stdout: Uint8Array;
      stderr: Uint8Array;
    }
    interface ChildProcess {
      stdin: WritableStream<Uint8Array>;
      output(): Promise<CommandOutput>;
    }
    class Command {
      constructor(
        cmd: string,
        options: {
          args?: string[];
          stdin?: "piped" | "null";
          stdout?: "piped";
          stderr?: "piped";
          env?: Record<string, string>;
          cwd?: string;
          signal?: AbortSignal;
        },
      );
      spawn(): ChildProcess;
    }
    interface FileInfo {
      isFile: boolean;
      isDirectory: boolean;
      isSymlink: boolean;
      isSocket: boolean | null;
      mode: number | null;
      size: number;
    }
    function lstat(path: string): Promise<FileInfo>;
    function readTextFile(path: string): Promise<string>;
    function writeTextFile(path: string, data: string, options?: { mode?: number }): Promise<void>;
    function chmod(path: string, mode: number): Promise<void>;
    namespace errors {
      class NotFound extends Error {}
    }
    const env: { get(name: string): string | undefined };
    function execPath(): string;
    const mainModule: string;
    // FFI, for setns and the ethtool ioctl (deno-ffi.ts).
    type PointerObject = object;
    interface ForeignFunction {
      parameters: readonly string[];
      result: string;
    }
    interface DynamicLibrary<S> {
      // biome-ignore lint/suspicious/noExplicitAny: foreign calls are typed by the caller (deno-ffi.ts)
      symbols: { [K in keyof S]: (...args: any[]) => any };
      close(): void;
    }
    function dlopen<S extends Record<string, ForeignFunction>>(path: string, symbols: S): DynamicLibrary<S>;
    class UnsafePointerView {
      constructor(pointer: PointerObject);
      getInt32(offset?: number): number;
    }
    const UnsafePointer: {
      of(buffer: BufferSource): PointerObject | null;
      value(pointer: PointerObject | null): number | bigint;
    };
  }
}
