declare module 'node-red-node-test-helper' {
  interface TestNode {
    id: string;
    on(event: string, listener: (...args: never[]) => void): void;
    receive(msg: Record<string, unknown>): void;
    context(): {
      flow: { set(key: string, value: unknown): void };
      global: { set(key: string, value: unknown): void };
    };
  }
  interface Helper {
    init(runtimePath: string, settings?: Record<string, unknown>): void;
    settings(settings: Record<string, unknown>): Record<string, unknown>;
    load(
      nodes: unknown | unknown[],
      flow: Array<Record<string, unknown>>,
      credentials?: Record<string, Record<string, string>>,
    ): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): TestNode;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    clearFlows(): Promise<void>;
  }
  const helper: Helper;
  export = helper;
}

declare module 'node-red' {
  import type { Server } from 'node:http';
  import type { RequestListener } from 'node:http';
  const RED: {
    init(server: Server, settings: Record<string, unknown>): void;
    start(): Promise<void>;
    stop(): Promise<void>;
    httpNode: RequestListener;
    httpAdmin: RequestListener;
  };
  export = RED;
}
