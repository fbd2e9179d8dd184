import { ApiKey } from 'src/auth/api-key.entity';
import { AuthSession } from 'src/auth/auth-session.entity';
import { MagicLinkToken } from 'src/auth/magic-link-token.entity';
import { BusinessHours } from 'src/sla/business-hours.entity';
import { SlaPolicy } from 'src/sla/sla-policy.entity';
import { User } from 'src/users/user.entity';

/** Every entity, listed explicitly so the CLI and the app see the same model. */
export const ENTITIES = [User, AuthSession, MagicLinkToken, ApiKey, SlaPolicy, BusinessHours];
