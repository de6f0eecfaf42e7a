import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DayKind } from '../domain/working-days';

/** A year whose official holiday notice has been entered, with the notice's name. */
@Entity({ name: 'working_calendar_year' })
export class WorkingCalendarYear {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ type: 'text' })
  source: string;
}

/** An exception to Monday–Friday: a holiday on a weekday, or a weekend day worked (调休). */
@Entity({ name: 'working_calendar_day' })
export class WorkingCalendarDay {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'text' })
  kind: DayKind;

  @Column({ type: 'text' })
  name: string;
}

/** The last serial issued per year and registration point (province, city, point): gapless numbers. */
@Entity({ name: 'registration_counter' })
export class RegistrationCounter {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @PrimaryColumn({ name: 'point_code', type: 'char', length: 6 })
  pointCode: string;

  @Column({ name: 'last_serial', type: 'int' })
  lastSerial: number;
}
