import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callNotebookApi, poll, useStack } from './helpers/stack.js';

// A server started with a secret: pages open with a token minted the way a
// host platform (Capytale) does, HS256 with the shared secret.

const secret = 'e2e-secret-that-is-long-enough-for-hs256';

const stack = useStack({ secret });

const mint = (claims: { sub: string; name: string; role: string; rooms: string[] }, exp: number) =>
  new SignJWT({ name: claims.name, role: claims.role, rooms: claims.rooms })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [], execution_count: null }],
};

const self = (page: Page) => page.locator('.person.self');

describe('tokens', () => {
  it('shows the name and role of the token in presence, and the read-only badge to a viewer', async () => {
    const teacherToken = await mint(
      { sub: 't-1', name: 'Mme Curie', role: 'teacher', rooms: ['physique-*'] },
      inAnHour(),
    );
    await callNotebookApi(stack, 'PUT', 'physique-1', lesson, teacherToken);
    // The URL's name is ignored: the token says who this is.
    const teacher = await stack.open('physique-1', { name: 'Quelqu’un', token: teacherToken });
    await teacher.locator('.status[data-status="online"]').waitFor();
    await expect.poll(() => self(teacher).locator('.name').textContent(), poll).toBe('Mme Curie (vous)');
    expect(await self(teacher).locator('.meta').textContent()).toContain('enseignant·e');
    expect(await teacher.locator('.badge.readonly').count()).toBe(0);

    const viewerToken = await mint(
      { sub: 'v-1', name: 'Parent', role: 'viewer', rooms: ['physique-1'] },
      inAnHour(),
    );
    const viewer = await stack.open('physique-1', { name: 'x', token: viewerToken });
    await viewer.locator('.status[data-status="online"]').waitFor();
    await expect.poll(() => self(viewer).locator('.name').textContent(), poll).toBe('Parent (vous)');
    expect(await self(viewer).locator('.meta').textContent()).toContain('lecteur·rice');
    expect(await viewer.locator('.badge.readonly').textContent()).toBe(
      'Lecture seule : vous pouvez lire, pas modifier',
    );
    // The teacher sees the viewer by the token's name and role.
    await expect
      .poll(() => teacher.locator('.person:not(.self)').textContent(), poll)
      .toMatch(/Parent[\s\S]*lecteur·rice/);
  });

  it('says, translated, that an expired token is refused', async () => {
    const expired = await mint(
      { sub: 's-1', name: 'Léo', role: 'student', rooms: ['physique-*'] },
      Math.floor(Date.now() / 1000) - 60,
    );
    const fr = await stack.open('physique-1', { name: 'Léo', token: expired });
    await fr.locator('.status[data-status="denied"]').waitFor();
    expect(await fr.locator('.status').textContent()).toContain(
      'Accès refusé : votre lien d’accès a expiré ou n’est pas valide.',
    );
    const en = await stack.open('physique-1', { name: 'Léo', token: expired, lang: 'en' });
    await en.locator('.status[data-status="denied"]').waitFor();
    expect(await en.locator('.status').textContent()).toContain(
      'Access refused: your access link has expired or is not valid.',
    );
  });
});
