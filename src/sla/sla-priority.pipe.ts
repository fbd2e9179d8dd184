import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '@helpdesk/common';
import { isSlaPriority, SLA_PRIORITIES, type SlaPriority } from './sla-rules';

/** A `{priority}` path value must name a priority; anything else is a 422, not a 404. */
@Injectable()
export class SlaPriorityPipe implements PipeTransform<string, SlaPriority> {
  transform(value: string): SlaPriority {
    if (!isSlaPriority(value)) {
      throw ValidationFailedError.forField(
        'priority',
        `priority must be one of ${SLA_PRIORITIES.join(', ')}`,
      );
    }
    return value;
  }
}
