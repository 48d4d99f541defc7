/** A conversation's customer as it may leave the server. */
export type CustomerContact = {
  name: string | null;
  /** The internal User ID (customers.user_ref). */
  userRef: string | null;
  phone: string | null;
  email: string | null;
  /** True when phone and email were withheld ("Obscure customer info" is on). */
  obscured: boolean;
};

/**
 * The one place customer contact details are masked. With "Obscure customer info" on, the phone
 * number and e-mail address are dropped here, on the server, before any list, panel or export gets
 * them; the internal User ID is shown instead.
 */
export function maskCustomer(
  customer: Omit<CustomerContact, "obscured">,
  obscureCustomerInfo: boolean,
): CustomerContact {
  if (!obscureCustomerInfo) return { ...customer, obscured: false };
  return { name: customer.name, userRef: customer.userRef, phone: null, email: null, obscured: true };
}
