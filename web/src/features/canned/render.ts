/** Values for a canned response's variables; missing ones render empty. */
export interface CannedVars {
  contact?: { name?: string | null; email?: string | null; phone?: string | null };
  agent?: { name?: string | null };
}

/**
 * Fills `{{contact.name}}`, `{{contact.email}}`, `{{contact.phone}}` and
 * `{{agent.name}}` (spaces inside the braces allowed) the way the server's
 * `canned::render` does: unknown variables and unclosed braces stay as written.
 */
export function renderCanned(content: string, vars: CannedVars): string {
  const lookup = (name: string): string | undefined => {
    switch (name) {
      case 'contact.name':
        return vars.contact?.name ?? '';
      case 'contact.email':
        return vars.contact?.email ?? '';
      case 'contact.phone':
        return vars.contact?.phone ?? '';
      case 'agent.name':
        return vars.agent?.name ?? '';
      default:
        return undefined;
    }
  };
  return content.replace(/\{\{([^{}]*)\}\}/g, (whole, inner: string) => lookup(inner.trim()) ?? whole);
}
