import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.service';

/**
 * @nestjs/config over the process environment; `AppConfig` validates it when the application
 * is created (not when this file is imported), so tools can import the libraries without a
 * complete environment and a bad value surfaces as one error naming the variable.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true })],
  providers: [AppConfig],
  exports: [AppConfig],
})
export class AppConfigModule {}
