import { api, el } from './api';

interface Identities {
  tenantId: string;
  resources: { name: string; applicationId: string; instrumentationKey: string; disableLocalAuth: boolean }[];
  identities: { name: string; kind: string; clientId: string; objectId: string; systemAssigned?: boolean; roles: Record<string, string[]> }[];
  roles: string[];
}

function render(box: HTMLElement, data: Identities): void {
  const table = el('table', undefined, 'grid');
  const head = el('tr');
  head.append(el('th', 'Identity'), el('th', 'Kind'), el('th', 'Client id'), el('th', 'Object id'));
  for (const r of data.resources) for (const role of data.roles) head.append(el('th', `${role} on ${r.name}`));
  table.append(head);
  for (const i of data.identities) {
    const tr = el('tr');
    tr.dataset['identity'] = i.name;
    tr.append(el('td', i.name), el('td', `${i.kind}${i.systemAssigned ? ' (system-assigned)' : ''}`), el('td', i.clientId), el('td', i.objectId));
    for (const r of data.resources) {
      for (const role of data.roles) {
        const td = el('td');
        const box = el('input');
        box.type = 'checkbox';
        box.checked = i.roles[r.name]?.includes(role) ?? false;
        box.dataset['testid'] = `role-${i.name}-${r.name}-${role}`;
        box.setAttribute('aria-label', `${role} for ${i.name} on ${r.name}`);
        box.addEventListener('change', () => {
          box.disabled = true;
          api<Identities>('roles', { identity: i.name, resource: r.name, role, granted: box.checked })
            .then((next) => render(document.getElementById('identities') as HTMLElement, next))
            .catch((e: unknown) => { box.checked = !box.checked; box.disabled = false; alert(String(e)); });
        });
        td.append(box);
        tr.append(td);
      }
    }
    table.append(tr);
  }
  const resources = el('table', undefined, 'grid');
  resources.append(el('tr'));
  resources.rows[0]?.append(el('th', 'Resource'), el('th', 'Instrumentation key'), el('th', 'Application id'), el('th', 'Local authentication'));
  for (const r of data.resources) {
    const tr = el('tr');
    tr.append(el('td', r.name), el('td', r.instrumentationKey), el('td', r.applicationId), el('td', r.disableLocalAuth ? 'disabled (Entra ID only)' : 'enabled'));
    resources.append(tr);
  }
  box.replaceChildren(el('p', `Tenant ${data.tenantId}`), table, el('h3', 'Resources'), resources);
}

/** Loads the identities and resources; returns the resource names. */
export async function loadIdentities(): Promise<string[]> {
  const data = await api<Identities>('identities');
  render(document.getElementById('identities') as HTMLElement, data);
  return data.resources.map((r) => r.name);
}
