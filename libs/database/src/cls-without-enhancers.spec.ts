import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { withoutClsEnhancers } from './cls-without-enhancers';

/** Every provider token of a dynamic module and the dynamic modules it imports. */
function tokens(module: DynamicModule): unknown[] {
  const own = (module.providers ?? []).map((p: Provider) => (typeof p === 'function' ? p : p.provide));
  const nested = (module.imports ?? []).flatMap((m) => (typeof m === 'object' && 'module' in m ? tokens(m) : []));
  return [...own, ...nested];
}

describe('withoutClsEnhancers', () => {
  const cls = ClsModule.forRoot({ global: true, middleware: { mount: false } });

  it('drops the global guard and interceptor nestjs-cls registers unmounted, and nothing else', () => {
    // If nestjs-cls stops registering them, this helper can go.
    expect(tokens(cls)).toEqual(expect.arrayContaining([APP_GUARD, APP_INTERCEPTOR]));
    const stripped = tokens(withoutClsEnhancers(cls));
    expect(stripped).not.toContain(APP_GUARD);
    expect(stripped).not.toContain(APP_INTERCEPTOR);
    expect(stripped).toEqual(tokens(cls).filter((token) => token !== APP_GUARD && token !== APP_INTERCEPTOR));
  });
});
