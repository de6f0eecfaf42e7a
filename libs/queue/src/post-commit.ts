import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';

const CALLBACKS = Symbol('post-commit');

/**
 * Work that must wait until a job's transaction has committed (telling live clients about it).
 * Inside `around()` callbacks are kept and run after the work succeeds, and dropped if it fails;
 * outside, they run on the next turn of the event loop.
 */
@Injectable()
export class PostCommit {
  constructor(private readonly cls: ClsService) {}

  add(callback: () => void): void {
    const pending = this.cls.isActive() ? this.cls.get<(() => void)[] | undefined>(CALLBACKS) : undefined;
    if (pending) pending.push(callback);
    else setImmediate(callback);
  }

  around<T>(work: () => Promise<T>): Promise<T> {
    return this.cls.run(async () => {
      const pending: (() => void)[] = [];
      this.cls.set(CALLBACKS, pending);
      const result = await work();
      for (const callback of pending) callback();
      return result;
    });
  }
}
