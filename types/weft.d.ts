// Type declarations for weft's builtin `weft` module (docs/api.md).

declare module 'weft' {
  import { EventEmitter } from 'events';

  type Transferable = ArrayBuffer | MessagePort;
  type TransferList = readonly Transferable[] | { transfer?: readonly Transferable[] };

  export interface ThreadLimits {
    /** Heap limit in bytes. */
    memory?: number;
    /** Native stack size in bytes. */
    stack?: number;
    /** CPU time limit in milliseconds. */
    cpu?: number;
  }

  export interface ThreadOptions {
    data?: unknown;
    capabilities?: Record<string, unknown>;
    transfer?: readonly Transferable[];
    name?: string;
    limits?: ThreadLimits;
    argv?: readonly unknown[];
    /** The entry is source text rather than a path. */
    source?: boolean;
    /** For source entries: 'commonjs' (default) or 'module'. */
    type?: 'commonjs' | 'module';
    ref?: boolean;
  }

  export type ThreadState = 'starting' | 'online' | 'stopping' | 'exited';
  export type ExitReason = 'exit' | 'terminated' | 'out-of-memory' | 'cpu-limit';

  export interface ThreadStats {
    state: ThreadState;
    heapUsed: number;
    heapLimit: number;
    /** Milliseconds of CPU time. */
    cpuTime: number;
    /** Milliseconds the thread's event loop spent waiting with nothing to do. */
    idleTime: number;
    messagesIn: number;
    messagesOut: number;
  }

  export class Thread extends EventEmitter {
    constructor(entry: string | URL | ((data: any) => unknown), options?: ThreadOptions);
    readonly id: number;
    readonly name: string;
    readonly state: ThreadState;
    readonly exitCode: number | undefined;
    readonly exited: Promise<number>;
    postMessage(value: unknown, transfer?: TransferList): void;
    terminate(): Promise<number>;
    ref(): this;
    unref(): this;
    hasRef(): boolean;
    stats(): ThreadStats;
    on(event: 'online', listener: () => void): this;
    on(event: 'message', listener: (value: any) => void): this;
    on(event: 'messageerror', listener: (error: Error) => void): this;
    on(event: 'error', listener: (error: any) => void): this;
    on(event: 'exit', listener: (code: number, reason: ExitReason) => void): this;
    on(event: string | symbol, listener: (...args: any[]) => void): this;
  }

  export interface MessageEventLike<T = any> {
    data: T;
    target: MessagePort;
    type: string;
  }

  export class MessagePort extends EventEmitter implements AsyncIterable<any> {
    private constructor();
    readonly state: 'open' | 'closed' | 'transferred';
    onmessage: ((event: MessageEventLike) => void) | null;
    postMessage(value: unknown, transfer?: TransferList): void;
    start(): void;
    close(): void;
    ref(): this;
    unref(): this;
    hasRef(): boolean;
    receive(options?: { timeout?: number }): { message: any } | undefined;
    tryReceive(): { message: any } | undefined;
    addEventListener(type: string, listener: (event: MessageEventLike) => void, options?: { once?: boolean }): void;
    removeEventListener(type: string, listener: (event: MessageEventLike) => void): void;
    [Symbol.asyncIterator](): AsyncIterator<any>;
  }

  export class Channel {
    readonly port1: MessagePort;
    readonly port2: MessagePort;
  }

  export const isMainThread: boolean;
  export const threadId: number;
  export const threadName: string;
  export const data: any;
  export const capabilities: Record<string, any>;
  export const parent: MessagePort | null;
  export function stats(): ThreadStats;
}
