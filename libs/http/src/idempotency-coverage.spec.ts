import { Controller, Get, Patch, Post } from '@nestjs/common';
import { postRoutesWithoutIdempotency } from './idempotency-coverage';
import { HandlesOwnIdempotency, IdempotentPosts } from './idempotency.interceptor';

@IdempotentPosts()
@Controller('covered')
class CoveredController {
  @Post()
  create() {}
}

@Controller('mixed')
class MixedController {
  @Post('own')
  @HandlesOwnIdempotency()
  own() {}

  @Post('forgotten')
  forgotten() {}

  @Patch('edited')
  edited() {}

  @Get()
  read() {}

  helper() {}
}

describe('postRoutesWithoutIdempotency', () => {
  it('names the mutating routes that neither attach the interceptor (their transaction) nor keep their own keys', () => {
    expect(postRoutesWithoutIdempotency([CoveredController, MixedController])).toEqual([
      'MixedController.forgotten',
      'MixedController.edited',
    ]);
  });
});
