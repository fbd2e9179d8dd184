export const ROLES = ['customer', 'support', 'support_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['support', 'support_manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const STAFF_RANK: Record<StaffRole, number> = { support: 1, support_manager: 2, admin: 3 };

export function isStaffRole(role: string | null | undefined): role is StaffRole {
  return role === 'support' || role === 'support_manager' || role === 'admin';
}

/** support < support_manager < admin; customers are outside the staff hierarchy. */
export function hasStaffRole(actual: string | null | undefined, required: StaffRole): boolean {
  return isStaffRole(actual) && STAFF_RANK[actual] >= STAFF_RANK[required];
}
