import type { Services } from '../services.ts';
import { createMunicipality } from '../commands/municipalityCreator.ts';

/** Placeholder until the demo data lands: creates the municipality and its administrator. */
export async function loadDemo(services: Services) {
  await createMunicipality(services.database, { name: 'デモ市', adminLogin: 'admin', adminPassword: 'demo-admin-pass', isDemo: true });
  return [{ loginId: 'admin', password: 'demo-admin-pass', who: 'システム管理者' }];
}
